"""Defects the hostile-strings property (test_hostile_strings.py) found, one example each."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess

import pytest
from conftest import valid_request

from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.widgets.cli_tab import CliTab, shell_script
from amplify_auth_widgets.widgets.requestio import RequestIO


def test_a_nul_in_a_name_gets_no_command_but_a_message_naming_it():
    """A NUL cannot be an argument: pasted, the shell dropped it and ``aws`` was given another
    environment than the request's; now the tab says why there is no command."""
    request = valid_request(BackendEnvironmentName="dev\x00prod")
    tab = CliTab()
    tab.refresh(request, "CreateBackendAuth", None, skeleton="{}")
    assert tab.script == ""
    assert "BackendEnvironmentName" in tab.command.value and "NUL" in tab.command.value
    assert tab.skeleton.value == "{}"
    # inside the JSON a NUL is an escape, and a secret is a shell variable: those stay commands
    inside = valid_request(ClientSecret="s\x00")
    inside["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "a\x00b"
    script = shell_script(inside, "CreateBackendAuth")
    assert "\x00" not in script and "a\\u0000b" in script
    done = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(json.dumps(inside))  # (the request itself is untouched)


@pytest.mark.parametrize(
    "secret",
    [
        'a"b\\c',
        "tab\there\r\nline two",
        "it's $(touch PWNED) `id` ${HOME}",
        "é ✓ \u2028 \x01",
        "\\",
    ],
)
def test_a_secret_with_a_quote_reaches_aws_as_json(tmp_path, secret):
    """A secret's value went into the --resource-config JSON as it was: a quote or backslash
    ended the string (or added members). It is now escaped for JSON by the script's shell
    function, whatever it holds, and nothing in it runs."""
    request = valid_request()
    providers = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    providers["Google"]["ClientSecret"] = "in-the-form"
    aws = tmp_path / "aws"
    aws.write_text('#!/bin/bash\nprintf \'%s\\0\' "$@" > "$AAW_ARGV"\n')
    aws.chmod(0o700)
    script = shell_script(request, "CreateBackendAuth")
    env = {
        "PATH": f"{tmp_path}:/usr/bin:/bin",
        "AAW_ARGV": str(tmp_path / "argv"),
        "GOOGLE_CLIENT_SECRET": secret,
    }
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    argv = (tmp_path / "argv").read_bytes().decode().split("\0")
    config = json.loads(argv[argv.index("--resource-config") + 1])
    google = config["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]
    assert google["ClientSecret"] == secret
    assert not (tmp_path / "PWNED").exists()
    # the same in a POSIX shell that is not bash
    if shutil.which("dash"):
        done = subprocess.run(["dash", "-c", script], env=env, capture_output=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        argv = (tmp_path / "argv").read_bytes().decode().split("\0")
        config = json.loads(argv[argv.index("--resource-config") + 1])
        assert (
            config["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"]
            == secret
        )


def _download(h: str) -> tuple[str, bytes]:
    """The ``download`` name and the bytes of the request's "Prepare download" link."""
    request = valid_request(AppId=h)
    io_ = RequestIO(lambda: request, lambda _: None, lambda: "CreateBackendAuth", request_spec, str)
    io_.prepare_download()
    link = io_.download_link.value
    name = html.unescape(re.search(r'download="([^"]*)"', link)[1])  # type: ignore[index]
    return name, base64.b64decode(re.search(r"base64,([^\"]*)", link)[1])  # type: ignore[index]


def test_the_request_download_is_named_with_one_safe_component():
    """The name came from the AppId as it was: ``../../.bashrc`` made a path and a bidi
    override could disguise the extension."""
    name, _ = _download("../../x/.bashrc\u202eexe.json\x00")
    assert name == "CreateBackendAuth-_.._x_.bashrc_exe.json_.json"
    assert _download("d1a2b3c4d5e6f7")[0] == "CreateBackendAuth-d1a2b3c4d5e6f7.json"
    assert _download("")[0] == "CreateBackendAuth-request.json"
    assert len(_download("é" * 500)[0].encode()) <= 255


def test_the_request_download_of_a_lone_surrogate_is_json_that_reads_back():
    """``text.encode()`` raised (the button did nothing); the surrogate is its JSON escape."""
    _, data = _download("d1\ud800")
    assert json.loads(data.decode("utf-8"))["AppId"] == "d1\ud800"
