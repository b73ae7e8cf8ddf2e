"""AuthConfigEditor, driven from Python as a person drives it in the browser: through its
widgets. No browser needed."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json

import ipywidgets as w
import pytest
import yaml
from conftest import CORPUS, valid_request
from support.htmltext import text_of

from amplify_auth_widgets import AuthConfigEditor, BackendAuthService, validate
from amplify_auth_widgets.core.model import REDACTED, request_spec
from amplify_auth_widgets.core.presets import PRESETS
from amplify_auth_widgets.widgets.fields import (
    BoolField,
    EnumField,
    EnumListField,
    NumberField,
    SecretField,
    StringListField,
    TextField,
)
from amplify_auth_widgets.widgets.form import StructureField
from amplify_auth_widgets.widgets.targets import ComboField

UPC = "ResourceConfig.UserPoolConfigs"
SECRET = "g-secret-value"


def exact(value):
    return json.dumps(value, sort_keys=True)


@pytest.fixture
def editor():
    return AuthConfigEditor()


@pytest.mark.parametrize("case_file", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_corpus_case_round_trips_exactly(case_file):
    case = json.loads(case_file.read_text())
    editor = AuthConfigEditor(case["operation"])
    editor.value = case["request"]
    assert exact(editor.value) == exact(case["request"])
    expected = {(f.code, f.path) for f in validate(case["request"], case["operation"])}
    assert {(f.code, f.path) for f in editor.findings} == expected


def test_an_empty_form_sends_nothing_it_was_not_given(editor):
    # Service has one possible value: it is set, not asked (its field hidden)
    assert editor.value == {"ResourceConfig": {"Service": "COGNITO", "UserPoolConfigs": {}}}
    assert editor.field("ResourceConfig.Service").box.layout.display == "none"
    sign_in = editor.field(f"{UPC}.SignInMethod").control
    assert sign_in.value == "" and sign_in.label == "(unset)"
    assert ("Email and phone number", "EMAIL_AND_PHONE_NUMBER") in sign_in.options  # words
    assert editor.field(f"{UPC}.Mfa").control.value is False  # optional structure: off


def test_widgets_by_type_from_the_model(editor):
    kinds = {
        "AppId": ComboField,
        f"{UPC}.UserPoolName": TextField,
        f"{UPC}.SignInMethod": EnumField,
        f"{UPC}.RequiredSignUpAttributes": EnumListField,
        f"{UPC}.OAuth.RedirectSignInURIs": StringListField,
        "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin": BoolField,
        f"{UPC}.PasswordPolicy.MinimumLength": NumberField,
        f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret": SecretField,
        f"{UPC}.OAuth.SocialProviderSettings.SignInWithApple.PrivateKey": SecretField,
        f"{UPC}.Mfa": StructureField,
    }
    for path, kind in kinds.items():
        assert type(editor.field(path)) is kind, path
    spec = request_spec()
    for section in editor.sections:
        section.build()
    for path, field in editor._fields.items():
        if path:
            documentation = spec.find(path).documentation
            assert documentation and field.label.tooltip == f"{path}: {documentation}"
    length = editor.field(f"{UPC}.PasswordPolicy.MinimumLength")
    assert isinstance(length.control, w.Text)  # typed as text: kept as typed, never clamped
    assert "<b>Minimum length</b>" in length.label.value and "6 to 99" in length.label.value
    assert "<b>Environment</b>" in editor.field("BackendEnvironmentName").label.value
    tags = editor.field(f"{UPC}.RequiredSignUpAttributes").tags
    assert "Phone number" in tags.allowed_tags and "PHONE_NUMBER" not in tags.allowed_tags
    assert not any("SHOE" in tag.upper() for tag in tags.allowed_tags)
    assert "Phone number = PHONE_NUMBER" in tags.tooltip  # the API value stays in reach


def test_typing_into_widgets_builds_the_request(editor):
    editor.field("AppId").control.value = "d1abc"
    editor.field("BackendEnvironmentName").control.value = "dev"
    editor.field("ResourceName").control.value = "auth"
    editor.field("ResourceConfig.AuthResources").control.value = "USER_POOL_ONLY"
    editor.field("ResourceConfig.Service").control.value = "COGNITO"
    editor.field(f"{UPC}.UserPoolName").control.value = "users"
    editor.field(f"{UPC}.SignInMethod").control.value = "EMAIL"
    editor.field(f"{UPC}.RequiredSignUpAttributes").tags.value = ["Email"]
    assert editor.findings == [] and not editor.has_errors
    editor.field(f"{UPC}.Mfa").control.value = True  # switch MFA on
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["Mfa"] == {}
    mode = editor.field(f"{UPC}.Mfa.MFAMode")
    assert mode.findings == []  # not touched yet: not red
    editor.reveal()  # as a send attempt does
    assert [f.code for f in mode.findings] == ["model.required"]
    assert "MFA is required in Multi-factor authentication." in mode.messages.value
    mode.control.value = "ON"
    types = editor.field(f"{UPC}.Mfa.Settings.MfaTypes")
    assert [f.code for f in types.findings] == []  # shown on the nearest field: Settings
    settings = editor.field(f"{UPC}.Mfa.Settings")
    assert [f.code for f in settings.findings] == ["cognito.mfa-types"]
    settings.control.value = True
    types.tags.value = ["Authenticator app (TOTP)"]
    assert editor.findings == []
    editor.field(f"{UPC}.Mfa").control.value = False  # off again: absent from the request
    assert "Mfa" not in editor.value["ResourceConfig"]["UserPoolConfigs"]


def test_findings_inline_and_in_the_summary(editor):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"][1] = "http://x.io/"
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["OAuthGrantType"] = "IMPLICIT"
    editor.value = request
    uris = editor.field(f"{UPC}.OAuth.RedirectSignInURIs")
    assert "uses http for a host other than localhost" in uris.messages.value
    grant = editor.field(f"{UPC}.OAuth.OAuthGrantType")
    assert "#8a5a00" in grant.messages.value and "#b00020" in uris.messages.value
    assert "Sign-in redirect URLs" in editor.summary.value
    assert "1 problem</b>" in editor.bar.problems.value
    assert "1 warning" in editor.bar.problems.value
    # rule codes are tooltips, not part of the sentence
    assert 'title="cognito.redirect-uri"' in uris.messages.value
    assert "<code>cognito" not in uris.messages.value + editor.summary.value


def test_send_buttons_follow_the_errors(emulator, app_env):
    app_id, _ = app_env
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    editor.value = valid_request(AppId=app_id)
    assert not editor.create_button.disabled
    assert editor.update_button.layout.display == "none"  # the mode shows its own button
    editor.field("AppId").control.value = "Bad App"
    assert editor.create_button.disabled and "Fix the 1 problem" in editor.create_button.tooltip
    assert AuthConfigEditor().create_button.disabled  # no service


def test_identity_pool_greyed_out_when_it_does_not_apply(editor):
    editor.value = valid_request()
    pools = editor.field("ResourceConfig.IdentityPoolConfigs")
    assert not pools.control.disabled and pools.reason.value == ""
    editor.field("ResourceConfig.AuthResources").control.value = "USER_POOL_ONLY"
    assert pools.control.disabled and "USER_POOL_ONLY" in pools.reason.value
    assert editor.field("ResourceConfig.IdentityPoolConfigs.IdentityPoolName").control.disabled
    assert editor.value["ResourceConfig"]["IdentityPoolConfigs"]  # greyed, not lost
    assert [f.code for f in editor.findings] == ["cognito.identity-pool-ignored"]


def test_values_the_controls_cannot_show_are_kept(editor):
    request = valid_request()
    upc = request["ResourceConfig"]["UserPoolConfigs"]
    upc["PasswordPolicy"]["MinimumLength"] = "8"
    upc["SignInMethod"] = "FOO"
    upc["Colour"] = "blue"
    editor.value = request
    length = editor.field(f"{UPC}.PasswordPolicy.MinimumLength")
    assert "cannot show" in length.note.value
    assert editor.field(f"{UPC}.SignInMethod").control.value == "FOO"
    assert exact(editor.value) == exact(request)
    length.control.value = "12"  # the user types: the held value goes
    assert (
        editor.value["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 12
    )
    assert length.note.value == ""


def test_secrets_are_masked_revealable_and_never_exported(editor):
    editor.value = valid_request()
    secret = editor.field(f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret")
    assert isinstance(secret.hidden, w.Password) and secret.hidden.value == SECRET
    assert secret.shown.layout.display == "none"
    secret.reveal.value = True
    assert secret.shown.layout.display is None and secret.shown.value == SECRET
    for tab in (1, 2, 3):
        editor.tabs.selected_index = tab
    assert SECRET not in editor.json_text.value + editor.yaml_text.value
    assert SECRET not in editor.texts.cli.command.value + editor.texts.cli.skeleton.value
    assert REDACTED in editor.yaml_text.value
    assert SECRET not in editor.export("json") + editor.export("yaml")
    assert (
        SECRET
        in editor.value["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"][
            "Google"
        ]["ClientSecret"]
    )
    editor.include_secrets.value = True
    assert SECRET in editor.yaml_text.value  # asked for
    editor.include_secrets.value = False
    editor.io.prepare_download()
    href = editor.io.download_link.value.split("base64,", 1)[1].split('"', 1)[0]
    downloaded = json.loads(base64.b64decode(href))
    assert downloaded["AppId"] == "d1a2b3c4d5e6f7" and SECRET not in json.dumps(downloaded)
    for section in editor.sections:
        section.build()
    for field in editor._fields.values():
        assert SECRET not in field.note.value + field.messages.value + field.label.value


def test_json_and_yaml_tabs_sync_both_ways(editor):
    editor.value = valid_request()
    editor.tabs.selected_index = 1
    data = json.loads(editor.json_text.value)
    data["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "renamed"
    editor.json_text.value = json.dumps(data)
    assert editor.field(f"{UPC}.UserPoolName").control.value == "renamed"
    # the redacted secret came back from the form, not from the text
    assert (
        editor.value["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"][
            "Google"
        ]["ClientSecret"]
        == SECRET
    )
    editor.tabs.selected_index = 2
    assert (
        yaml.safe_load(editor.yaml_text.value)["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"]
        == "renamed"
    )
    before = editor.value
    editor.yaml_text.value = "AppId: d1\nResourceConfig: {a: 1\n"
    assert "line 3, column 1" in editor.texts.yaml_error.value
    assert editor.value == before  # the form keeps its last good state
    editor.json_text.value = '{"AppId": "d1",}'
    assert "line 1, column 16" in editor.texts.json_error.value and editor.value == before


def test_aws_cli_tab(editor):
    editor.value = valid_request()
    editor.tabs.selected_index = 3
    command = editor.texts.cli.command.value
    # highlighted a token a span: the line is read as shown
    assert "aws amplifybackend create-backend-auth --app-id d1a2b3c4d5e6f7" in text_of(command)
    assert json.loads(editor.texts.cli.skeleton.value)["ResourceName"] == "mainauth"


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_valid(name, editor):
    editor.value = {"AppId": "d1abc", "BackendEnvironmentName": "dev", "ResourceName": "auth"}
    editor.apply_preset(name)
    assert editor.findings == [], [str(f) for f in editor.findings]
    assert editor.value["AppId"] == "d1abc"


def test_upload_a_skeleton(editor, tmp_path):
    content = yaml.safe_dump(valid_request()).encode()
    editor.upload.value = (
        {
            "name": "auth.yaml",
            "type": "text/yaml",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
    )
    assert editor.value == valid_request() and "Loaded auth.yaml" in editor.io_message.value
    editor.upload.value = (
        {
            "name": "bad.json",
            "type": "application/json",
            "size": 3,
            "content": memoryview(b"{x}"),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
    )
    assert "bad.json line 1, column 2: malformed JSON" in editor.io_message.value
    assert editor.value == valid_request()


def test_switching_operation_sets_aside_and_restores(editor):
    editor.value = valid_request()
    editor.operation = "UpdateBackendAuth"
    value = editor.value
    assert "UserPoolName" not in value["ResourceConfig"]["UserPoolConfigs"]
    assert "UserPoolName" in editor.io_message.value
    assert editor.findings == []
    editor.field(f"{UPC}.PasswordPolicy.MinimumLength").control.value = "14"
    editor.operation = "CreateBackendAuth"
    upc = editor.value["ResourceConfig"]["UserPoolConfigs"]
    assert upc["UserPoolName"] == "main-users" and upc["PasswordPolicy"]["MinimumLength"] == 14


def test_a_new_model_member_appears_without_code_changes():
    def spec_with_extra(operation):
        spec = request_spec(operation)
        rc = spec.member("ResourceConfig")
        upc = rc.member("UserPoolConfigs")
        extra = dataclasses.replace(
            upc.member("UserPoolName"),
            name="DeletionProtection",
            path=f"{UPC}.DeletionProtection",
            required=False,
            enum=("ACTIVE", "INACTIVE"),
            documentation="New member.",
        )
        upc = dataclasses.replace(upc, members=(*upc.members, extra))
        rc = dataclasses.replace(
            rc, members=tuple(upc if m.name == "UserPoolConfigs" else m for m in rc.members)
        )
        return dataclasses.replace(
            spec, members=tuple(rc if m.name == "ResourceConfig" else m for m in spec.members)
        )

    editor = AuthConfigEditor(spec_for=spec_with_extra)
    field = editor.field(f"{UPC}.DeletionProtection")
    assert isinstance(field, EnumField)
    other = editor.sections[-1]
    assert other.section.title == "Other settings" and f"{UPC}.DeletionProtection" in other.paths
    assert "<b>Deletion protection</b>" in field.label.value and "New member." in field.label.value
    field.control.value = "ACTIVE"
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["DeletionProtection"] == "ACTIVE"


def test_submit_create_once_and_report_the_job(emulator, app_env):
    app_id, env = app_env
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    submitted = []
    editor.on_submit(
        lambda response, operation, request: submitted.append(
            (response["JobId"], operation, request["AppId"])
        )
    )
    editor.value = valid_request(AppId=app_id)
    assert editor.create() is True
    editor.create_button.click()  # a double click while the first is under way: ignored
    editor.join()
    jobs = emulator.client().list_backend_jobs(AppId=app_id, BackendEnvironmentName=env)["Jobs"]
    assert len(jobs) == 1 and submitted == [(jobs[0]["JobId"], "CreateBackendAuth", app_id)]
    assert jobs[0]["JobId"] in editor.status and "IN_PROGRESS" in editor.status


def test_service_errors_are_shown_in_words(emulator, app_env):
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    editor.value = valid_request(AppId="dnotthere")
    editor.create()
    editor.join()
    assert "CreateBackendAuth failed: App dnotthere not found." in editor.status
    assert "Traceback" not in editor.status and not editor.create_button.disabled


def test_load_current_then_update_shows_the_difference(emulator, clock, app_env):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id))
    clock.advance(5)
    editor = AuthConfigEditor("UpdateBackendAuth", service=service)
    editor.value = {"AppId": app_id, "BackendEnvironmentName": env, "ResourceName": "mainauth"}
    editor.load_current()
    editor.join()
    assert editor.field(f"{UPC}.PasswordPolicy.MinimumLength").control.value == "10"
    editor.field(f"{UPC}.PasswordPolicy.MinimumLength").control.value = "16"
    editor.field(f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret").hidden.value = "new"
    editor.field(f"{UPC}.Mfa").control.value = False  # cannot be said by an update
    assert editor.update() and editor.confirm_box.layout.display is None
    diff = editor.confirm_text.value
    assert "Multi-factor authentication stays switched on" in diff and "aaw-kept" in diff
    # the stored double is shown as the whole number the form shows
    assert "Minimum length (Password policy): 10 -&gt; 16</li>" in diff
    assert 'ClientSecret">Client secret (Google): changed (secret)' in diff
    assert "new" not in diff.split("secret")[0]
    assert (
        emulator.client().list_backend_jobs(AppId=app_id, BackendEnvironmentName=env)["Jobs"][0][
            "Operation"
        ]
        == "CreateBackendAuth"
    )  # nothing sent before Confirm
    editor.confirm()
    editor.join()
    clock.advance(5)
    stored = service.get_backend_auth(app_id, env, "mainauth")["ResourceConfig"]
    assert stored["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 16


def test_delete_asks_first(emulator, clock, app_env):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id))
    clock.advance(5)
    editor = AuthConfigEditor(service=service, value=valid_request(AppId=app_id))
    editor.delete_button.click()
    assert "cannot be undone" in editor.confirm_text.value
    editor.cancel_button.click()
    assert editor.confirm_box.layout.display == "none" and "Cancelled" in editor.status
    editor.delete_button.click()
    editor.confirm_button.click()
    editor.join()
    assert "DeleteBackendAuth" in editor.status
    clock.advance(5)
    with pytest.raises(Exception, match="not found"):
        service.get_backend_auth(app_id, env, "mainauth")


def test_load_current_hands_the_gen2_tab_the_deployed_ids_of_that_environment(
    emulator, clock, app_env
):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id))
    clock.advance(5)
    editor = AuthConfigEditor("UpdateBackendAuth", service=service)
    editor.value = {"AppId": app_id, "BackendEnvironmentName": env, "ResourceName": "mainauth"}
    assert editor.gen2_tab.deployed is None  # unknown until loaded
    editor.load_current()
    editor.join()
    assert editor.gen2_tab.deployed == service.deployed_auth(app_id, env)
    editor.gen2_tab.way = "keep"
    editor.gen2_tab.refresh()
    assert editor.gen2_tab.error == ""
    assert editor.gen2_tab.deployed.user_pool_id in editor.gen2_tab.export.text()
    editor.field("BackendEnvironmentName").control.value = "prod"  # another environment
    assert editor.gen2_tab.deployed is None
