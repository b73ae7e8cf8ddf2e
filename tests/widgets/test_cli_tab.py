"""widgets.cli_tab's contract piece by piece: the shell variable for each secret, the lines
the script holds for each kind of connection, the JSON escaping function run in a real shell,
and the tab's two states. tests/test_output_sinks.py pastes whole scripts into bash."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from conftest import valid_request
from support.htmltext import text_of

from amplify_auth_widgets.client.connection import (
    EMULATOR_ACCESS_KEY,
    EMULATOR_SECRET_KEY,
    Connection,
)
from amplify_auth_widgets.core.model import REDACTED
from amplify_auth_widgets.widgets.cli_tab import (
    JSON_TEXT,
    JSON_TEXT_FUNCTION,
    CliTab,
    secret_variable,
    shell_script,
)

GOOGLE = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.Google"


def _providers(request: dict) -> dict:
    return request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]


def _variables(script: str) -> list[str]:
    """The variables the script asks to set first, in order."""
    prefix = "# Set first, without showing it: read -rs "
    lines = [line for line in script.splitlines() if line.startswith(prefix)]
    return [line[len(prefix) :].split()[0] for line in lines]


@pytest.mark.parametrize(
    "path, name",
    [
        ("ClientSecret", "CLIENT_SECRET"),
        (f"{GOOGLE}.ClientSecret", "GOOGLE_CLIENT_SECRET"),
        ("$.$", "SECRET"),  # nothing left of the name
        ("a.9lives.ClientSecret", "_9LIVES_CLIENT_SECRET"),
        ("_x_.Key", "X_KEY"),  # no leading or trailing underscore of its own
    ],
)
def test_the_shell_variable_for_a_secret(path, name):
    assert secret_variable(path) == name


def test_keys_that_make_the_same_variable_get_a_number_each():
    request = valid_request()
    providers = _providers(request)
    for key in ("google", "Google!", "GOOGLE"):
        providers[key] = {"ClientId": "id", "ClientSecret": f"secret of {key}"}
    variables = _variables(shell_script(request, "CreateBackendAuth"))
    assert [v for v in variables if v.startswith("GOOGLE")] == [
        "GOOGLE_CLIENT_SECRET",
        "GOOGLE_CLIENT_SECRET_2",
        "GOOGLE_CLIENT_SECRET_3",
        "GOOGLE_CLIENT_SECRET_4",
    ]


@pytest.mark.parametrize("empty", [None, "", REDACTED])
def test_a_secret_with_no_value_is_no_variable(empty):
    request = valid_request()
    _providers(request)["Google"]["ClientSecret"] = empty
    script = shell_script(request, "CreateBackendAuth")
    assert "GOOGLE_CLIENT_SECRET" not in script


def test_a_secret_in_a_list_or_of_another_shape_is_still_a_variable():
    request = valid_request()
    _providers(request)["Google"]["ClientSecret"] = ["a", 1]
    request["ResourceConfig"]["UserPoolConfigs"]["Items"] = [{"PrivateKey": "k"}]
    script = shell_script(request, "CreateBackendAuth")
    assert _variables(script) == ["GOOGLE_CLIENT_SECRET", "ITEMS_PRIVATE_KEY"]
    assert '"k"' not in script and '["a", 1]' not in script


def test_without_a_connection_the_script_is_the_command_alone():
    request = valid_request()
    _providers(request).clear()
    script = shell_script(request, "CreateBackendAuth")
    assert script.startswith("aws amplifybackend create-backend-auth ")
    assert "\n" not in script and "--endpoint-url" not in script


def test_the_emulator_s_endpoint_region_and_throwaway_credentials():
    request = valid_request()
    _providers(request).clear()
    script = shell_script(request, "CreateBackendAuth", Connection.for_emulator("http://h:1"))
    lines = script.splitlines()
    assert lines[:2] == [
        "# The local emulator's throwaway credentials (not an AWS account's):",
        f"export AWS_ACCESS_KEY_ID={EMULATOR_ACCESS_KEY} "
        f"AWS_SECRET_ACCESS_KEY={EMULATOR_SECRET_KEY}",
    ]
    assert lines[2].endswith(" --endpoint-url http://h:1 --region us-east-1")


def test_another_endpoint_gets_no_credentials_and_a_missing_region_no_option():
    request = valid_request()
    _providers(request).clear()
    connection = Connection(endpoint_url="http://h:1", access_key_id="AKIAREAL")
    script = shell_script(request, "CreateBackendAuth", connection)
    assert "export" not in script and "AKIAREAL" not in script
    assert script.endswith(" --endpoint-url http://h:1") and "--region" not in script


def test_the_json_function_is_there_only_for_a_secret_inside_json():
    request = valid_request(ClientSecret="s")
    _providers(request).clear()
    alone = shell_script(request, "CreateBackendAuth")
    assert JSON_TEXT not in alone and alone.endswith(' --client-secret "$CLIENT_SECRET"')
    inside = shell_script(valid_request(), "CreateBackendAuth")
    lines = inside.splitlines()
    assert f"# {JSON_TEXT} writes its argument as the text of a JSON string:" in lines
    assert JSON_TEXT_FUNCTION in lines
    assert f'\'"$({JSON_TEXT} "$GOOGLE_CLIENT_SECRET")"\'' in lines[-1]


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
@pytest.mark.parametrize(
    "value", ['quote " backslash \\ tab \t', "lines\nand\r\nmore\n", "\x01\x1f é €", ""]
)
def test_the_json_function_writes_any_text_as_a_json_string_s_text(value):
    script = f'{JSON_TEXT_FUNCTION}\n{JSON_TEXT} "$VALUE"'
    done = subprocess.run(
        ["sh", "-c", script], env={"VALUE": value, "LC_ALL": "C"}, capture_output=True, check=True
    )
    # the shell's "$(...)" drops trailing line breaks, as command substitution does
    assert json.loads(b'"' + done.stdout + b'"') == value.rstrip("\n")


def test_a_nul_in_a_member_s_name_is_shown_as_an_escape():
    request = {"App\x00Id": "d1", "ClientSecret": "s\x00"}
    with pytest.raises(ValueError, match=r"^App\\x00Id: holds a NUL character \(\\x00\)"):
        shell_script(request, "CreateBackendAuth")


def test_the_tab_shows_the_script_with_a_copy_button():
    tab = CliTab()
    tab.refresh(valid_request(AppId="<b>"), "CreateBackendAuth", None, skeleton="{ }")
    assert tab.script.startswith("# Set first")
    assert tab.command.value.startswith('<button class="aaw-cli-copy"')
    shown = tab.command.value.split("</button>", 1)[1]
    assert "&lt;b&gt;" in shown and "<b>" not in shown
    assert text_of(shown) == tab.script  # what is shown (and copied) is the script itself
    assert '<pre class="aaw-code aaw-code-wrap">' in shown  # code font, long lines wrap
    assert "aaw-code-text" in tab.skeleton._dom_classes  # the skeleton in the code font too
    assert tab.skeleton.value == "{ }"


def test_the_tab_s_parts_before_any_request():
    """The command's CSS class (monospace, see widgets.style), the skeleton's size, and what
    each heading tells the reader to do."""
    tab = CliTab()
    assert tab.script == ""
    assert "aaw-cli-command" in tab.command._dom_classes
    assert (tab.skeleton.layout.width, tab.skeleton.layout.height) == ("100%", "300px")
    headings = [c.value for c in tab.children if c is not tab.command and hasattr(c, "value")]
    assert headings[0].endswith("</style><b>Command</b> (paste it in a shell)")
    assert headings[1] == (
        "<b>Skeleton</b> (save as <code>auth.json</code>, then "
        "<code>--cli-input-json file://auth.json</code>)"
    )
    assert list(tab.children) == [tab.children[0], tab.command, tab.children[2], tab.skeleton]


def test_the_copy_button_copies_the_command_shown_after_it():
    tab = CliTab()
    tab.refresh(valid_request(), "CreateBackendAuth", Connection.for_emulator("http://h:1"), "")
    button, shown = tab.command.value.split("</button>", 1)
    assert button + "</button>" == (
        '<button class="aaw-cli-copy" title="Copy the command" onclick="'
        "navigator.clipboard.writeText(this.nextElementSibling.innerText);"
        "this.textContent='Copied'\">Copy</button>"
    )
    assert " --endpoint-url http://h:1 --region us-east-1" in tab.script  # the tab's connection
    # the next element: the box whose text is the script
    assert shown.startswith('<div class="aaw-scroll"') and shown.endswith("</pre></div>")
    assert "--endpoint-url http://h:1" in text_of(shown)


def test_the_operation_named_is_the_command_run():
    request = valid_request()
    assert (
        shell_script(request, "UpdateBackendAuth")
        .splitlines()[-1]
        .startswith("aws amplifybackend update-backend-auth ")
    )


def test_a_connection_needs_only_an_endpoint():
    """Any object with the connection's attributes will do; a missing one is an unset one."""
    request = valid_request()
    _providers(request).clear()
    script = shell_script(request, "CreateBackendAuth", SimpleNamespace(endpoint_url="http://h:1"))
    assert script.endswith(" --endpoint-url http://h:1") and "export" not in script


def test_a_secret_of_a_type_json_cannot_write_is_still_a_variable():
    """Its value never reaches the command, so what it is does not matter."""
    request = valid_request(ClientSecret=b"bytes")
    _providers(request)["Google"]["ClientSecret"] = Decimal("1.5")
    script = shell_script(request, "CreateBackendAuth")
    assert _variables(script) == ["GOOGLE_CLIENT_SECRET", "CLIENT_SECRET"]
    assert "1.5" not in script and "bytes" not in script


@pytest.mark.parametrize("around", ["@@", "@@@", "None", ""])
def test_a_value_spelling_a_variable_s_name_stays_as_it_is(around):
    """Only a secret's place becomes its variable (a secret of a provider, or in a list): not
    a value that spells its name between what a token could look like."""
    request = valid_request()
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    pool["Items"] = [{"PrivateKey": "k"}]
    names = ["GOOGLE_CLIENT_SECRET", "ITEMS_PRIVATE_KEY"]
    pool["UserPoolName"] = "".join(f"{around}{name}{around}" for name in names)
    pool["Tags"] = [f"{around}{name}{around}" for name in names]
    script = shell_script(request, "CreateBackendAuth")
    assert _variables(script) == names
    argv = shlex.split(script.splitlines()[-1])
    config = json.loads(argv[argv.index("--resource-config") + 1])
    assert config["UserPoolConfigs"]["UserPoolName"] == pool["UserPoolName"]
    assert config["UserPoolConfigs"]["Tags"] == pool["Tags"]


def test_a_nul_after_a_secret_is_still_refused_with_what_to_do():
    request = {"ClientSecret": "s\x00", "AppId": "d\x00"}
    with pytest.raises(ValueError) as caught:
        shell_script(request, "CreateBackendAuth")
    assert str(caught.value) == (
        "AppId: holds a NUL character (\\x00), which no command line can carry; "
        "remove it to get the command"
    )
