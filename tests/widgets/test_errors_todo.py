"""The action bar's to-do list (widgets/actionbar.py, editor.go_to): each setting left to
complete named by its section and label, a control that opens its section and puts the focus
in its field; Create and Update off, saying why, while any is left; Service not asked."""

from __future__ import annotations

import threading
from typing import Any

import ipywidgets as w
from conftest import valid_request
from support.widgetface import focus_requests, items

from amplify_auth_widgets import AuthConfigEditor, BackendAuthService
from amplify_auth_widgets.widgets.actionbar import TODO_SHOWN
from amplify_auth_widgets.widgets.messages import SEPARATOR

UPC = "ResourceConfig.UserPoolConfigs"


def fill_visible(editor: AuthConfigEditor) -> None:
    """Every field of the open sections, as a person fills them in the browser."""
    editor.field("AppId").control.value = "d1abc"
    editor.field("BackendEnvironmentName").control.value = "dev"
    editor.field("ResourceName").control.value = "auth"
    editor.field(f"{UPC}.UserPoolName").control.value = "users"
    editor.field(f"{UPC}.SignInMethod").control.value = "EMAIL"
    editor.field(f"{UPC}.RequiredSignUpAttributes").tags.value = ["Email"]


def test_the_untouched_form_lists_what_is_left_in_the_forms_order():
    editor = AuthConfigEditor()
    assert editor.problems == 7
    assert (
        items(editor)
        == [
            f"Target {SEPARATOR} App ID: required",
            f"Target {SEPARATOR} Environment: required",
            f"Target {SEPARATOR} Auth resource name: required",
            f"Sign-in and sign-up {SEPARATOR} Sign in with: choose one",
        ][:TODO_SHOWN]
    )
    more = editor.bar.more
    assert more in editor.bar.todo.children and more.description == "3 more"
    more.value = True  # "3 more" chosen: every item
    assert len(items(editor)) == 7 and more.description == "Show fewer"
    assert items(editor)[-1] == f"Identity pool {SEPARATOR} What to create: choose one"


def test_the_last_required_choice_in_a_closed_section_is_named_and_reachable(monkeypatch):
    editor = AuthConfigEditor()
    fill_visible(editor)
    assert "1 setting to complete before sending" in editor.bar.problems.value
    assert "Ready to send" not in editor.bar.problems.value
    assert items(editor) == [f"Identity pool {SEPARATOR} What to create: choose one"]
    identity = editor.sections[-1]
    assert identity.fold.selected_index is None  # closed, yet built: its control exists
    control = editor.field("ResourceConfig.AuthResources").control
    sent = focus_requests(control, monkeypatch)
    editor.bar.todo.children[0].click()
    assert identity.fold.selected_index == 0  # opened
    assert sent == [{"do": "focus"}]  # the focus moves into its dropdown
    shown = editor.field("ResourceConfig.AuthResources").messages.value
    assert "What to create is required in Resource config." in shown
    assert "1 problem" in identity.fold.get_title(0)
    control.value = "USER_POOL_ONLY"
    assert items(editor) == [] and editor.bar.todo.layout.display == "none"
    assert "Ready to send" in editor.bar.problems.value


def test_go_to_shows_the_form_tab_and_reaches_a_member_of_a_switched_off_structure(
    monkeypatch,
):
    editor = AuthConfigEditor(value=valid_request())
    editor.tabs.selected_index = 1  # reading the JSON
    editor.field(f"{UPC}.Mfa.Settings").control.value = False  # MFA on, no methods
    assert any("MFA methods" in text or "Methods" in text for text in items(editor))
    switch = editor.field(f"{UPC}.Mfa.Settings").control
    sent = focus_requests(switch, monkeypatch)
    field = editor.go_to(f"{UPC}.Mfa.Settings.MfaTypes")
    assert field is editor.field(f"{UPC}.Mfa.Settings")  # the switch that shows it
    assert editor.tabs.selected_index == 0
    assert editor.sections[4].fold.selected_index == 0  # MFA opened
    assert sent == [{"do": "focus"}]


def test_a_secret_or_a_list_takes_the_focus_in_its_text_or_tags(monkeypatch):
    editor = AuthConfigEditor(value=valid_request())
    google = f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret"
    editor.field(google).hidden.value = ""
    secret = focus_requests(editor.field(google).hidden, monkeypatch)
    editor.go_to(google)
    assert secret == [{"do": "focus"}]
    attributes = f"{UPC}.RequiredSignUpAttributes"
    tags = focus_requests(editor.field(attributes).tags, monkeypatch)
    editor.go_to(attributes)
    assert tags == [{"do": "focus"}]


def test_create_is_off_and_says_why_while_settings_are_left(emulator):
    service = BackendAuthService(emulator.connection())
    editor = AuthConfigEditor(service=service, background=False)
    assert editor.create_button.disabled
    assert "Complete the 7 settings listed to send." in editor.bar.reason.value
    editor.field("AppId").control.value = "Bad App"
    reason = "Fix the 1 problem and complete the 6 settings to send."
    assert reason in editor.bar.reason.value and editor.create_button.tooltip == reason
    editor.value = valid_request()
    assert not editor.create_button.disabled and editor.bar.reason.value == ""
    # the look of "off" is the bar's own rule, not the theme's faint opacity alone
    style = editor.bar.children[0].value
    assert ".aaw-create:disabled" in style and "dashed" in style


def test_update_is_off_too_while_settings_are_left(emulator):
    editor = AuthConfigEditor(
        "UpdateBackendAuth", service=BackendAuthService(emulator.connection())
    )
    assert editor.problems > 0 and editor.update_button.disabled
    assert "to send" in editor.bar.reason.value


def test_service_has_one_value_so_it_is_set_and_not_asked():
    editor = AuthConfigEditor()
    service = editor.field("ResourceConfig.Service")
    assert editor.value["ResourceConfig"]["Service"] == "COGNITO"
    assert service.box.layout.display == "none"
    assert not any("Service" in text for text in items(editor))
    for operation in ("UpdateBackendAuth", "CreateBackendAuth"):
        editor.operation = operation
        assert editor.value["ResourceConfig"]["Service"] == "COGNITO"
    # an update's sign-in section holds Service alone: nothing to ask, so it is not shown
    editor.operation = "UpdateBackendAuth"
    sign_in = editor.sections[1]
    assert sign_in.section.paths == ("ResourceConfig.Service",)
    assert sign_in.fold.layout.display == "none"
    editor.operation = "CreateBackendAuth"
    assert editor.sections[1].fold.layout.display is None
    editor.value = {"ResourceConfig": {"Service": "FOO"}}  # given: kept, shown, refused
    assert editor.value["ResourceConfig"]["Service"] == "FOO"
    assert editor.field("ResourceConfig.Service").box.layout.display is None
    assert any(f.code == "model.enum" for f in editor.findings)


def test_the_first_screen_builds_no_closed_section_until_a_person_begins():
    editor = AuthConfigEditor()
    identity = editor.sections[-1]
    assert not identity.built  # the first screen stays light
    editor.field("AppId").control.value = "d1abc"  # begun: the sections to go to are built
    assert identity.built and identity.fold.selected_index is None


def test_going_to_a_section_built_that_moment_asks_for_the_focus_again(monkeypatch):
    editor = AuthConfigEditor()
    assert not editor.sections[-1].built  # nothing touched yet: its controls do not exist
    twice = threading.Event()
    focused: list[Any] = []

    def focus(widget: Any) -> None:
        focused.append(widget)
        if len(focused) == 2:
            twice.set()

    monkeypatch.setattr(w.Dropdown, "focus", focus)
    editor.go_to("ResourceConfig.AuthResources")
    assert twice.wait(5)  # now, and again once the page has made the control's view
    assert focused == [editor.field("ResourceConfig.AuthResources").control] * 2
