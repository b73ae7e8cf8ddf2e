"""The request as text, without an editor around it: the JSON and YAML panels (named, in the
code font, each with its error line), an edited text handed back in its format, the panels
written from the form without that counting as an edit, and the AWS CLI tab given the real
request."""

from __future__ import annotations

import json

import ipywidgets as w
import yaml

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.widgets.access import NAMED
from amplify_auth_widgets.widgets.cli_tab import CliTab
from amplify_auth_widgets.widgets.codeview import TEXT_AREA_CLASS, TEXT_AREA_CSS
from amplify_auth_widgets.widgets.texts import RequestTexts

REQUEST = {"AppId": "d1", "BackendEnvironmentName": "dev", "ResourceName": "auth"}


def texts() -> tuple[RequestTexts, list[tuple[str, str]]]:
    loaded: list[tuple[str, str]] = []

    def load(text: str, fmt: str) -> bool:
        loaded.append((text, fmt))
        return True

    return RequestTexts(load), loaded


def test_the_panels_as_first_met():
    made, loaded = texts()
    json_panel, yaml_panel, cli = made.panels
    assert isinstance(cli, CliTab) and cli is made.cli
    for panel, error, text in (
        (json_panel, made.json_error, made.json_text),
        (yaml_panel, made.yaml_error, made.yaml_text),
    ):
        assert isinstance(panel, w.VBox) and isinstance(text, w.Textarea)
        style, *rest = panel.children
        assert isinstance(style, w.HTML) and style.value == TEXT_AREA_CSS
        assert rest == [error, text] and error.value == "" and text.value == ""
        assert text.continuous_update is False  # handed back once, not at every key
        assert (text.layout.width, text.layout.height) == ("100%", "420px")
        assert TEXT_AREA_CLASS in text._dom_classes and NAMED in text._dom_classes
    assert "aaw-json" in made.json_text._dom_classes
    assert "aaw-yaml" in made.yaml_text._dom_classes
    assert made.json_text.description == "The request as JSON (edit it to change the form)"
    assert made.yaml_text.description == "The request as YAML (edit it to change the form)"
    assert loaded == []


def test_each_format_has_its_own_error_line():
    made, _ = texts()
    assert made.error_box("yaml") is made.yaml_error
    assert made.error_box("json") is made.json_error
    assert made.json_error is not made.yaml_error


def test_an_edited_text_is_handed_back_in_its_format():
    made, loaded = texts()
    made.json_text.value = '{"AppId": "d2"}'
    made.yaml_text.value = "AppId: d3\n"
    assert loaded == [('{"AppId": "d2"}', "json"), ("AppId: d3\n", "yaml")]


def test_only_an_edit_of_the_text_is_handed_back():
    # greying a panel out, a tooltip, a class: no text to load (the form would show an error)
    made, loaded = texts()
    for text in (made.json_text, made.yaml_text):
        text.disabled = True
        text.tooltip = "Read only while a job runs"
        text.add_class("aaw-busy")
        text.layout = w.Layout(height="200px")
    assert loaded == []


def test_the_panels_written_from_the_form_are_no_edit_and_the_next_edit_is():
    made, loaded = texts()
    shown = {**REQUEST, "ResourceName": "<redacted>"}  # as the panels show it
    value = REQUEST  # as it is sent
    place = Connection(endpoint_url="http://127.0.0.1:4599", region="eu-west-1")
    made.refresh(shown, value, "CreateBackendAuth", place)
    assert json.loads(made.json_text.value) == shown
    assert made.json_text.value.endswith("\n") and '    "AppId": "d1"' in made.json_text.value
    assert yaml.safe_load(made.yaml_text.value) == shown
    assert made.yaml_text.value.startswith("AppId: d1\n")  # in the request's order
    assert loaded == []
    # the CLI tab: the command of the request as sent, the skeleton as shown
    assert made.cli.skeleton.value == made.json_text.value
    assert "create-backend-auth" in made.cli.script and "--resource-name auth" in made.cli.script
    assert "redacted" not in made.cli.script
    assert "--endpoint-url http://127.0.0.1:4599 --region eu-west-1" in made.cli.script
    made.json_text.value = "{}"
    assert loaded == [("{}", "json")]
