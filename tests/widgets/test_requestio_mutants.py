"""The request's controls (widgets/requestio.py) as a person meets them: the preset picker, the
upload, the download and "include secrets" with their words, what they accept and how they
are laid out; a file name part that starts with X; a list typed where the form holds a
section. The cases the module's mutation run found unchecked; milliseconds a test."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from support.widgetface import upload

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.model import REDACTED, request_spec
from amplify_auth_widgets.core.presets import PRESETS
from amplify_auth_widgets.widgets.html import error_html
from amplify_auth_widgets.widgets.requestio import RequestIO, file_name_part, restore_secrets


class Store:
    """The editor, as far as RequestIO sees it."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value
        self.io = RequestIO(
            lambda: self.value,
            self.set,
            lambda: "CreateBackendAuth",
            request_spec,
            lambda: Connection.for_emulator("http://127.0.0.1:9"),
        )

    def set(self, value: dict[str, Any]) -> None:
        self.value = value


def test_the_preset_picker_asks_for_a_choice_and_offers_every_preset():
    io = Store({}).io
    picker = io.preset_picker
    assert picker.options == (("(choose a preset)", ""), *((n, n) for n in PRESETS))
    assert picker.label == "(choose a preset)" and picker.value == ""
    assert picker.layout.width == "auto"  # as wide as the longest preset's name
    assert (io.preset_button.description, io.preset_button.icon) == ("Apply preset", "magic")


def test_the_upload_takes_one_skeleton_file_of_json_or_yaml():
    upload = Store({}).io.upload
    assert upload.accept == ".json,.yaml,.yml"
    assert upload.multiple is False
    assert upload.description == "Upload skeleton"


def test_the_download_is_prepared_by_a_button_and_leaves_secrets_out_unless_ticked():
    store = Store({"AppId": "d1", "ResourceConfig": {"ClientSecret": "s3cret"}})
    io = store.io
    button = io.download_button
    assert (button.description, button.icon) == ("Prepare download", "download")
    ticked = io.include_secrets
    assert (ticked.value, ticked.description, ticked.indent) == (False, "include secrets", False)
    assert io.download_link.value == ""
    button.click()
    assert 'download="CreateBackendAuth-d1.json"' in io.download_link.value


def test_the_controls_size_to_their_words_and_wrap_in_their_rows():
    io = Store({}).io
    for control in (io.preset_picker, io.preset_button, io.upload, io.download_button):
        assert control.layout.width == "auto"
    presets, download, message = io.rows
    assert presets.children == (io.preset_picker, io.preset_button, io.upload)
    assert download.children == (io.download_button, io.include_secrets, io.download_link)
    assert presets.layout.flex_flow == download.layout.flex_flow == "row wrap"
    assert message is io.message
    assert io.dirty  # the text tabs are written at their first showing


def test_a_file_name_part_keeps_a_leading_x():
    assert file_name_part("XYZ-app") == "XYZ-app"
    assert file_name_part("xx.-y") == "xx.-y"


def test_a_list_typed_where_the_form_holds_a_section_is_loaded_as_typed():
    old = {"UserPoolConfigs": {"ClientSecret": "s"}}
    assert restore_secrets([{"ClientSecret": REDACTED}], old) == [{"ClientSecret": REDACTED}]
    store = Store({"AppId": "d1", "ResourceConfig": old})
    text = json.dumps({"AppId": "d1", "ResourceConfig": [{"ClientSecret": REDACTED}]})
    assert store.io.load_text(text) is True
    assert store.value["ResourceConfig"] == [{"ClientSecret": REDACTED}]


def test_only_a_file_chosen_loads_the_form_not_another_change_to_the_upload():
    store = Store({"AppId": "d1"})
    upload = store.io.upload
    upload.disabled = True  # a host may lock it, or retitle it
    upload.description = "Open a skeleton"
    assert store.value == {"AppId": "d1"} and store.io.message.value == ""


def test_the_yaml_export_is_yaml_not_json():
    store = Store({"AppId": "d1", "ResourceConfig": {"ClientSecret": "s3cret"}})
    text = store.io.export("yaml")
    assert text == "AppId: d1\nResourceConfig:\n  ClientSecret: " + REDACTED + "\n"
    assert json.loads(store.io.export()) == {
        "AppId": "d1",
        "ResourceConfig": {"ClientSecret": REDACTED},
    }


def test_the_cli_tab_sends_the_operation_to_the_connection_s_endpoint():
    store = Store({"AppId": "d1", "BackendEnvironmentName": "dev", "ResourceName": "auth"})
    store.io.refresh()
    script = store.io.texts.cli.script
    assert "aws amplifybackend create-backend-auth --app-id d1" in script
    assert "--endpoint-url http://127.0.0.1:9" in script


def test_text_loaded_without_a_format_is_read_as_the_json_tab_s():
    store = Store({"AppId": "d1"})
    assert store.io.load_text("{oops") is False
    assert "JSON tab" in store.io.texts.json_error.value
    assert store.io.texts.yaml_error.value == ""


#: A skeleton as Python's ``json.dump`` writes it by default: the emoji as two ASCII escapes (a
#: surrogate pair), which JSON reads as one character and YAML refuses outright.
SUBJECT = "Reset your password \U0001f511"
ESCAPED = json.dumps(
    {
        "AppId": "d1",
        "ResourceConfig": {
            "UserPoolConfigs": {"ForgotPassword": {"EmailSettings": {"EmailSubject": SUBJECT}}}
        },
    }
)


def subject(store: Store) -> str:
    config = store.value["ResourceConfig"]["UserPoolConfigs"]
    return config["ForgotPassword"]["EmailSettings"]["EmailSubject"]


def test_json_typed_in_the_json_tab_is_read_as_json_escapes_and_all():
    assert "\\ud83d\\udd11" in ESCAPED
    store = Store({})
    assert store.io.load_text(ESCAPED) is True
    assert subject(store) == SUBJECT
    assert store.io.texts.json_error.value == ""


@pytest.mark.parametrize("file_name", ["request.json", "Request.JSON"])
def test_an_uploaded_json_file_is_read_as_json_whatever_the_case_of_its_extension(file_name):
    store = Store({})
    upload(store, file_name, ESCAPED.encode())
    assert store.io.message.value == f"Loaded {file_name}."
    assert subject(store) == SUBJECT


def test_a_broken_json_file_is_reported_as_malformed_json_by_the_json_tab():
    store = Store({"AppId": "d1"})
    upload(store, "broken.json", b'{"AppId": "d2",}')
    said = store.io.message.value
    assert "broken.json" in said and "malformed JSON" in said
    assert store.io.texts.json_error.value == said
    assert store.io.texts.yaml_error.value == ""
    assert store.value == {"AppId": "d1"}


def test_text_that_is_not_an_object_is_refused_in_these_words():
    store = Store({"AppId": "d1"})
    assert store.io.load_text("[1, 2]") is False
    assert store.io.texts.json_error.value == error_html(
        "JSON tab: the request must be an object of request members."
        " The form keeps its last good state."
    )


def test_the_download_is_offered_as_a_json_file():
    store = Store({"AppId": "d1"})
    store.io.prepare_download()
    href = store.io.download_link.value.split('href="', 1)[1]
    mime, encoded = href.split(";base64,", 1)
    assert mime.lower() == "data:application/json"  # media types are case-insensitive
    assert json.loads(base64.b64decode(encoded.split('"', 1)[0])) == {"AppId": "d1"}
