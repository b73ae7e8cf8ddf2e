"""The request in and out (widgets/requestio.py) on its own, over a plain dict for the editor:
file names made from data, secrets restored after a round trip, text tabs loaded or refused
with the reason, uploads, the download and presets. A mutation run of the module found these
checked only through the whole editor."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import yaml
from support.widgetface import upload

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.model import REDACTED, request_spec
from amplify_auth_widgets.core.presets import preset
from amplify_auth_widgets.core.skeleton import to_json
from amplify_auth_widgets.widgets.html import error_html
from amplify_auth_widgets.widgets.requestio import RequestIO, file_name_part, restore_secrets

GOOGLE = {"ClientId": "g-id", "ClientSecret": "g-secret"}


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("d1abc", "d1abc"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("line\nbreak\u202etab\t", "line_break_tab_"),  # controls and bidi overrides
        ("..-.hidden", "hidden"),
        ("  spaced  ", "spaced"),
        ("x" * 60, "x" * 50),
        ("", "request"),
        ("...", "request"),
        (None, "request"),
        (42, "request"),
    ],
)
def test_a_file_name_part_holds_only_what_a_name_can(value, part):
    assert file_name_part(value) == part


def test_a_file_name_part_has_its_own_default_and_limit():
    assert file_name_part("", default="auth") == "auth"
    assert file_name_part("abcdef", limit=3) == "abc"


def test_redacted_secrets_come_back_from_where_they_were():
    old = {"A": {"ClientSecret": "s1", "List": [{"PrivateKey": "k1"}, {"PrivateKey": "k2"}]}}
    new = {
        "A": {
            "ClientSecret": REDACTED,
            "List": [{"PrivateKey": REDACTED}, {"PrivateKey": "typed"}, {"PrivateKey": REDACTED}],
            "Name": REDACTED,  # not a secret's name: taken as typed
        },
        "B": {"ClientSecret": REDACTED},  # nowhere before: stays redacted
    }
    assert restore_secrets(new, old) == {
        "A": {
            "ClientSecret": "s1",
            "List": [{"PrivateKey": "k1"}, {"PrivateKey": "typed"}, {"PrivateKey": REDACTED}],
            "Name": REDACTED,
        },
        "B": {"ClientSecret": REDACTED},
    }
    assert restore_secrets([{"ClientSecret": REDACTED}], "not a list") == [
        {"ClientSecret": REDACTED}
    ]
    assert restore_secrets({"ClientSecret": REDACTED}, None) == {"ClientSecret": REDACTED}


class Store:
    """The editor, as far as RequestIO sees it."""

    def __init__(self, value: dict[str, Any], operation: str = "CreateBackendAuth") -> None:
        self.value, self.operation = value, operation
        self.io = RequestIO(
            lambda: self.value,
            self.set,
            lambda: self.operation,
            request_spec,
            lambda: Connection.for_emulator("http://127.0.0.1:9"),
        )

    def set(self, value: dict[str, Any]) -> None:
        self.value = value


def request() -> dict[str, Any]:
    return {
        "AppId": "d1abc",
        "BackendEnvironmentName": "dev",
        "ResourceName": "auth",
        "ResourceConfig": {
            "UserPoolConfigs": {"OAuth": {"SocialProviderSettings": {"Google": dict(GOOGLE)}}}
        },
    }


def test_export_redacts_secrets_unless_asked_in_json_or_yaml():
    store = Store(request())
    shown = json.loads(store.io.export())
    assert shown["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"][
        "Google"
    ] == {"ClientId": "g-id", "ClientSecret": REDACTED}
    assert yaml.safe_load(store.io.export("yaml", include_secrets=True)) == request()
    assert store.io.export("json", include_secrets=True) == to_json(request())


def test_text_loaded_back_keeps_the_secrets_the_tab_did_not_show():
    store = Store(request())
    text = store.io.export().replace('"dev"', '"prod"')
    assert store.io.load_text(text) is True
    assert store.value["BackendEnvironmentName"] == "prod"
    assert store.value["ResourceConfig"] == request()["ResourceConfig"]  # the secret restored
    assert store.io.texts.json_error.value == ""


@pytest.mark.parametrize(
    ("text", "fmt", "says"),
    [
        ("{oops", "json", "JSON tab"),
        ("[1, 2]", "json", "the request must be an object of request members"),
        ("a: [", "yaml", "YAML tab"),
    ],
)
def test_text_that_is_no_request_is_refused_and_the_form_keeps_its_state(text, fmt, says):
    store = Store(request())
    store.io.message.value = "before"
    assert store.io.load_text(text, fmt) is False
    assert store.value == request()
    box = store.io.texts.error_box(fmt).value
    assert says in box and "The form keeps its last good state." in box
    assert box.startswith(error_html("").removesuffix("</span>"))  # shown as an error
    assert store.io.message.value == "before"  # a tab's error stays by its tab
    other = store.io.texts.error_box("json" if fmt == "yaml" else "yaml")
    assert other.value == ""


def test_an_uploaded_file_fills_the_form_by_its_kind_and_says_so():
    store = Store(request())
    upload(store, "My<App>.YAML", b"AppId: d2xyz\nBackendEnvironmentName: qa\n")
    assert store.value == {"AppId": "d2xyz", "BackendEnvironmentName": "qa"}
    assert store.io.message.value == "Loaded My&lt;App&gt;.YAML."
    upload(store, "req.JSON", json.dumps({"AppId": "d3"}).encode())
    assert store.value == {"AppId": "d3"}


def test_an_upload_that_is_not_utf8_or_not_a_request_loads_nothing_and_says_why():
    store = Store(request())
    upload(store, "bad.json", b"\xff\xfe{}")
    assert store.io.message.value == error_html("bad.json is not UTF-8 text; nothing was loaded.")
    upload(store, "list.json", b"[1]")
    said = store.io.message.value
    assert said.startswith(error_html("").removesuffix("</span>")) and "list.json" in said
    assert "the request must be an object of request members" in said
    assert store.value == request()
    store.io.upload.value = ()  # cleared: nothing happens
    assert store.value == request()


def test_the_download_is_named_for_the_operation_and_app_and_holds_the_export():
    store = Store({**request(), "AppId": "../d1/abc"}, operation="UpdateBackendAuth")
    text = store.io.prepare_download()
    assert text == store.io.export()
    link = store.io.download_link.value
    assert 'download="UpdateBackendAuth-_d1_abc.json"' in link
    encoded = link.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(encoded).decode() == text
    store.io.include_secrets.value = True
    assert "g-secret" in store.io.prepare_download()


def test_a_lone_surrogate_is_downloaded_as_its_escape():
    store = Store({"AppId": "d1", "ResourceName": "a\ud800b"})
    store.io.prepare_download()
    link = store.io.download_link.value
    data = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])
    assert b"a\\ud800b" in data and json.loads(data)["ResourceName"] == "a\ud800b"


def test_a_preset_replaces_the_configuration_and_keeps_the_target():
    name = "Username with optional TOTP MFA"
    store = Store({**request(), "Extra": 1})
    store.io.preset_picker.value = ""
    store.io.preset_button.click()  # nothing picked: nothing happens
    assert store.value["ResourceConfig"] == request()["ResourceConfig"]
    store.io.preset_picker.value = name
    store.io.preset_button.click()
    assert store.value == {
        "AppId": "d1abc",
        "BackendEnvironmentName": "dev",
        "ResourceName": "auth",
        "ResourceConfig": preset(name),
    }
    # an update's shape: what it cannot hold is left out
    store = Store(request(), operation="UpdateBackendAuth")
    store.io.apply_preset(name)
    assert "UserPoolName" not in store.value["ResourceConfig"]["UserPoolConfigs"]


def test_the_tabs_are_written_only_when_the_request_changed():
    store = Store(request())
    store.io.refresh()
    assert "g-secret" not in store.io.texts.json_text.value and not store.io.dirty
    store.value = {"AppId": "changed"}
    store.io.refresh()  # not dirty: not rewritten
    assert "changed" not in store.io.texts.json_text.value
    store.io.dirty, store.io.include_secrets.value = True, True
    store.value = request()
    store.io.refresh()
    assert "g-secret" in store.io.texts.json_text.value
    assert yaml.safe_load(store.io.texts.yaml_text.value) == request()


def test_the_text_tabs_are_code_font_text_areas_editable_both_ways():
    """JSON and YAML (and the CLI tab's skeleton) are text areas in the code font, whose style
    sheet is in each panel (a panel may be shown alone); typing in one fills the form, and the
    form's changes are written back to both."""
    store = Store(request())
    texts = store.io.texts
    for area, panel in zip((texts.json_text, texts.yaml_text), texts.panels[:2], strict=True):
        assert "aaw-code-text" in area._dom_classes
        sheet = panel.children[0].value
        assert ".aaw-code-text textarea{font-family:var(--jp-code-font-family" in sheet
    assert "aaw-code-text" in texts.cli.skeleton._dom_classes
    # each named for a screen reader (its label hidden from sight: the tab says the same)
    named = (texts.json_text, texts.yaml_text, texts.cli.skeleton, store.io.preset_picker)
    assert [c.description for c in named] == [
        "The request as JSON (edit it to change the form)",
        "The request as YAML (edit it to change the form)",
        "Skeleton, to save as a cli-input JSON file",
        "Preset",
    ]
    assert all("aaw-named" in c._dom_classes for c in named)
    store.io.refresh()
    texts.yaml_text.value = texts.yaml_text.value.replace("dev", "prod")  # typed in the tab
    assert store.value["BackendEnvironmentName"] == "prod"
    store.value = {**store.value, "ResourceName": "other"}  # changed in the form
    store.io.dirty = True
    store.io.refresh()
    assert json.loads(texts.json_text.value)["ResourceName"] == "other"
    assert yaml.safe_load(texts.yaml_text.value)["BackendEnvironmentName"] == "prod"
