"""The task-shaped form: sections built when opened, findings once touched, values kept as
typed, fixes offered, what an update cannot do said in words, a CLI command that works."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

from conftest import free_port, valid_request
from support.htmltext import text_of

from amplify_auth_widgets import AuthConfigEditor, BackendAuthService, Connection, request_spec
from amplify_auth_widgets.widgets.fields import Field
from amplify_auth_widgets.widgets.form import Deferred
from amplify_auth_widgets.widgets.labels import enum_label
from amplify_auth_widgets.widgets.layout import SECTIONS
from amplify_auth_widgets.widgets.review import update_review

UPC = "ResourceConfig.UserPoolConfigs"
APPLE = f"{UPC}.OAuth.SocialProviderSettings.SignInWithApple"
RED = "#b00020"


def shown_messages(editor: AuthConfigEditor) -> dict[str, str]:
    return {
        path: field.messages.value
        for path, field in editor._fields.items()
        if isinstance(field, Field) and field.messages.value
    }


def test_sections_by_task_in_order_and_only_two_built_at_first():
    editor = AuthConfigEditor()
    titles = [s.fold.get_title(0) for s in editor.sections]
    assert titles == [
        "Target",
        "Sign-in and sign-up",
        "Social sign-in",
        "Password policy",
        "MFA",
        "Messages",
        "Identity pool",
    ]  # every member placed: no "Other settings"
    assert [s.built for s in editor.sections] == [True, True] + [False] * 5
    assert [s.fold.selected_index for s in editor.sections[:3]] == [0, 0, None]
    assert "aaw-section-social" in editor.sections[2].fold._dom_classes
    assert isinstance(editor._fields[f"{UPC}.PasswordPolicy"], Deferred)
    assert {s.key for s in SECTIONS} >= {s.section.key for s in editor.sections}


def test_an_unbuilt_section_holds_its_values_and_builds_them_on_opening():
    editor = AuthConfigEditor()
    editor.value = valid_request()
    assert not editor.sections[3].built  # password policy: still not built
    assert editor.value == valid_request()  # the value round-trips through the held parts
    editor.sections[3].fold.selected_index = 0  # a person opens the section
    assert editor.sections[3].built
    length = editor.field(f"{UPC}.PasswordPolicy.MinimumLength")
    assert length.control.value == "10"
    length.control.value = "12"
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"] == {
        "MinimumLength": 12,
        "AdditionalConstraints": valid_request()["ResourceConfig"]["UserPoolConfigs"][
            "PasswordPolicy"
        ]["AdditionalConstraints"],
    }


def test_an_untouched_empty_form_is_not_red():
    editor = AuthConfigEditor()
    assert editor.problems == 7 and editor.has_errors  # still not ready to send
    assert shown_messages(editor) == {} and editor.summary.value == ""
    count = editor.bar.problems.value
    assert RED not in count and "7 settings to complete before sending" in count
    assert all("problem" not in s.fold.get_title(0) for s in editor.sections)


def test_a_touched_field_shows_its_own_findings_only():
    editor = AuthConfigEditor()
    editor.field("AppId").control.value = "Bad App"
    assert list(shown_messages(editor)) == ["AppId"]
    assert "is not an Amplify app id" in editor.field("AppId").messages.value
    count = editor.bar.problems.value
    assert "1 problem</b>" in count and RED in count and "6 settings more to complete" in count
    assert editor.sections[0].fold.get_title(0) == "Target · 1 problem"


def test_a_send_attempt_shows_every_problem_and_opens_their_sections(emulator):
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    assert editor.create_button.disabled  # off, and it says why beside it
    assert "Complete the 7 settings listed to send." in editor.bar.reason.value
    assert editor.create() is False  # called from code: it shows every problem
    assert "Not sent: 7 problems to fix" in editor.status
    shown = shown_messages(editor)
    assert "AppId" in shown and f"{UPC}.SignInMethod" in shown
    assert "ResourceConfig.AuthResources" in shown  # in a section that was closed
    identity = editor.sections[-1]
    assert identity.built and identity.fold.selected_index == 0
    assert identity.fold.get_title(0) == "Identity pool · 1 problem"
    assert editor.create_button.disabled and "Fix the 7 problems" in editor.create_button.tooltip
    assert editor.service.calls == 0  # nothing was sent


def test_values_are_kept_as_typed_with_the_finding():
    editor = AuthConfigEditor(value=valid_request())
    length = editor.field(f"{UPC}.PasswordPolicy.MinimumLength")
    length.control.value = "3"
    assert length.control.value == "3"
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 3
    assert "6 to 99" in length.messages.value or "at least 6" in length.messages.value
    assert 'title="cognito.password-length"' in length.messages.value
    length.control.value = "eight"
    assert (
        editor.value["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"]
        == "eight"
    )
    assert 'title="model.type"' in length.messages.value
    length.control.value = "8.5"
    assert (
        editor.value["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 8.5
    )


def test_none_of_these_sends_an_empty_list_on_purpose():
    editor = AuthConfigEditor()
    attributes = editor.field(f"{UPC}.RequiredSignUpAttributes")
    assert attributes.present.description == "None of these"
    assert "RequiredSignUpAttributes" not in editor.value["ResourceConfig"]["UserPoolConfigs"]
    attributes.present.value = True
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["RequiredSignUpAttributes"] == []
    attributes.tags.value = ["Email"]
    assert attributes.present.value is False
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["RequiredSignUpAttributes"] == [
        "EMAIL"
    ]


def test_tags_show_values_in_words_and_send_the_api_values():
    editor = AuthConfigEditor()
    editor.value = valid_request()
    upc = editor.value["ResourceConfig"]["UserPoolConfigs"]
    attributes = editor.field(f"{UPC}.RequiredSignUpAttributes")
    assert attributes.tags.value == [enum_label(v) for v in upc["RequiredSignUpAttributes"]]
    assert not any(tag.isupper() or "_" in tag for tag in attributes.tags.allowed_tags)
    attributes.tags.value = ["Phone number", "Email"]  # as a person picks them
    upc = editor.value["ResourceConfig"]["UserPoolConfigs"]
    assert upc["RequiredSignUpAttributes"] == ["PHONE_NUMBER", "EMAIL"]
    assert '"PHONE_NUMBER"' in editor.export("json")  # the JSON tab speaks the API
    # the labels come from the label table, for every enum list of the model
    for path, tag, value in [
        (f"{UPC}.OAuth.OAuthScopes", "Cognito user admin", "AWS_COGNITO_SIGNIN_USER_ADMIN"),
        (f"{UPC}.Mfa.Settings.MfaTypes", "SMS text message", "SMS"),
        (f"{UPC}.PasswordPolicy.AdditionalConstraints", "A symbol", "REQUIRE_SYMBOL"),
    ]:
        field = editor.field(path)
        field.set([value])
        assert field.tags.value == [tag] and field.get() == [value]
        assert f"{tag} = {value}" in field.tags.tooltip
    # a value outside the enum is kept, as a marked tag, and sent as it was
    attributes.set(["EMAIL", "SHOE_SIZE"])
    assert attributes.tags.value == ["Email", "SHOE_SIZE (not a valid value)"]
    assert attributes.get() == ["EMAIL", "SHOE_SIZE"]


def test_the_private_key_rule_offers_to_strip_the_pem_lines():
    request = valid_request()
    apple = {
        "ClientId": "com.example.app",
        "KeyId": "ABC123DEFG",
        "TeamId": "TEAM123456",
        "PrivateKey": "-----BEGIN PRIVATE KEY-----\nMIGTAgEA\nBggqhkjO\n-----END PRIVATE KEY-----",
    }
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"][
        "SignInWithApple"
    ] = apple
    editor = AuthConfigEditor(value=request)
    key = editor.field(f"{APPLE}.PrivateKey")
    assert key.fix_button is not None and key.fix_button.layout.display is None
    assert key.fix_button.description == "Remove the BEGIN/END lines"
    key.fix_button.click()
    assert key.hidden.value == "MIGTAgEABggqhkjO"
    assert editor.findings == [] and key.fix_button.layout.display == "none"


def test_update_review_says_what_an_update_cannot_do():
    current = valid_request()["ResourceConfig"]
    proposed = copy.deepcopy(current)
    upc = proposed["UserPoolConfigs"]
    del upc["OAuth"]["SocialProviderSettings"]["Google"]
    del upc["OAuth"]["DomainPrefix"]
    del upc["Mfa"]
    upc["PasswordPolicy"]["MinimumLength"] = 12
    # the service returns the stored length as a double: shown as the whole number it is
    current["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 10.0
    text = update_review(
        current, proposed, request_spec("UpdateBackendAuth").member("ResourceConfig")
    )
    # in words, with the API path in the tooltip
    path = "ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength"
    assert f'<li title="{path}">Minimum length (Password policy): 10 -&gt; 12</li>' in text
    assert "Google stays a sign-in option: an update cannot remove a social provider" in text
    assert "Multi-factor authentication stays switched on" in text
    assert "Domain prefix keeps &#x27;main-app-login&#x27;" in text or (
        "Domain prefix keeps 'main-app-login'" in text
    )
    assert "no change" not in text.lower()
    # the last card removed: the provider is named, not "Social providers stays switched on"
    del upc["OAuth"]["SocialProviderSettings"]
    text = update_review(
        current, proposed, request_spec("UpdateBackendAuth").member("ResourceConfig")
    )
    assert "Google stays a sign-in option: an update cannot remove a social provider" in text
    assert "Social providers stays" not in text


def test_the_cli_tab_works_as_pasted(emulator, app_env, clock, tmp_path: Path):
    app_id, env = app_env
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    editor.value = valid_request(AppId=app_id)
    editor.tabs.selected_index = 3
    script = editor.texts.cli.script
    assert f"--endpoint-url {emulator.url}" in script
    # the secret goes into the JSON escaped for it, by a function the script defines
    assert '\'"$(aaw_json_text "$GOOGLE_CLIENT_SECRET")"\'' in script
    assert "aaw_json_text() {" in script and "g-secret-value" not in script
    assert "read -rs GOOGLE_CLIENT_SECRET" in script
    html = editor.texts.cli.command.value
    assert 'class="aaw-cli-copy"' in html and "<pre" in html
    assert f"--endpoint-url {emulator.url}" in text_of(html)  # as shown, highlighted
    env_vars = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "GOOGLE_CLIENT_SECRET": 'from-the-"shell"\\',
    }
    done = subprocess.run(
        ["bash", "-e", "-c", script], env=env_vars, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    clock_jobs = emulator.client().list_backend_jobs(AppId=app_id, BackendEnvironmentName=env)
    assert [j["Operation"] for j in clock_jobs["Jobs"]] == ["CreateBackendAuth"]
    clock.advance(5)  # the job's time on the emulator's clock
    stored = emulator.client().get_backend_auth(
        AppId=app_id, BackendEnvironmentName=env, ResourceName="mainauth"
    )["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]
    assert stored["ClientSecret"] == 'from-the-"shell"\\'  # a quote and a backslash, as typed


def test_provider_cards_are_added_and_removed():
    editor = AuthConfigEditor(value=valid_request())
    cards = editor.field(f"{UPC}.OAuth.SocialProviderSettings")
    assert cards.shown == ["Google"]
    google = cards.card("Google")
    assert "aaw-provider-card" in google.box._dom_classes and google.box.layout.display is None
    assert cards.card("Facebook").box.layout.display == "none"
    assert [v for _, v in cards.pick.options] == ["Facebook", "LoginWithAmazon", "SignInWithApple"]
    cards.pick.value = "SignInWithApple"
    cards.add_button.click()
    assert cards.shown == ["Google", "SignInWithApple"]
    providers = editor.value["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert set(providers) == {"Google", "SignInWithApple"} and providers["SignInWithApple"] == {}
    apple_id = editor.field(f"{APPLE}.ClientId")
    apple_id.control.value = "com.example.app"
    assert editor.field(f"{APPLE}.KeyId").messages.value == ""  # untouched: not red yet
    [remove] = [c for c in google.box.children if "aaw-provider-remove" in c._dom_classes]
    remove.click()
    providers = editor.value["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert list(providers) == ["SignInWithApple"]
    cards.remove("SignInWithApple")
    assert (
        "SocialProviderSettings" not in editor.value["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
    )
    assert len(cards.pick.options) == 4


def test_target_dropdowns_list_apps_environments_and_suggest_a_resource(emulator, clock):
    todo = emulator.create_app("Todo App", ("dev", "prod"))
    shop = emulator.create_app("shop", ("main",))
    service = BackendAuthService(emulator.connection())
    editor = AuthConfigEditor(service=service, background=False)
    app = editor.field("AppId").control
    # offered by name and ID; the box and the request hold the ID
    assert set(app.options) == {f"Todo App ({todo})", f"shop ({shop})"}
    assert "aaw-target-app" in app._dom_classes
    assert editor.value.get("AppId") is None  # listed, not chosen
    assert "2 app(s) on this connection" in editor.targets.hint.value
    app.value = f"Todo App ({todo})"  # chosen from the list
    assert app.value == todo and editor.value["AppId"] == todo
    assert editor.targets.hint.value.count("Todo App") == 1
    env = editor.field("BackendEnvironmentName").control
    assert sorted(env.options) == ["dev", "prod"]
    env.value = "dev"
    resource = editor.field("ResourceName").control
    assert resource.options == ("todoappauth",) and resource.placeholder == "e.g. todoappauth"
    assert "ResourceName" not in editor.value  # a suggestion is not a choice
    service.create_backend_auth(valid_request(AppId=todo, BackendEnvironmentName="dev"))
    clock.advance(5)
    env.value = "prod"
    env.value = "dev"
    assert resource.options == ("mainauth", "todoappauth")
    app.value = "d0typedbyhand"  # typing an ID stays possible
    assert editor.value["AppId"] == "d0typedbyhand" and env.options == ()
    assert "Not one of the apps listed" in editor.targets.hint.value


def test_target_listing_that_fails_is_said_in_words():
    url = f"http://127.0.0.1:{free_port()}"  # nothing answers
    service = BackendAuthService(Connection.for_emulator(url, max_attempts=1))
    editor = AuthConfigEditor(service=service, background=False)
    hint = editor.targets.hint.value
    assert "Could not list the apps on this connection" in hint and "Type the IDs" in hint
    editor.field("AppId").control.value = "d1abc"
    assert editor.value["AppId"] == "d1abc"
