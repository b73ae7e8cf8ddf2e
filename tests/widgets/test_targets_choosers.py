"""The target choosers (widgets/targets.py) against the emulator: apps offered by name and ID,
an environment that already has auth said to have it in Create mode (where Create would be
refused with a 400), Load current switching to Update, and a mode switch that keeps the
sections a person opened open."""

from __future__ import annotations

import pytest
from conftest import valid_request

from amplify_auth_widgets import AuthConfigEditor, BackendAuthService
from amplify_auth_widgets.client.service import ApiError
from amplify_auth_widgets.widgets.targets import PLACEHOLDERS, app_option

UPC = "ResourceConfig.UserPoolConfigs"


@pytest.fixture
def deployed(emulator, clock):
    """An app whose `dev` has auth (a completed create) and whose `prod` has none."""
    app_id = emulator.create_app("Todo <App>", ("dev", "prod"))
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName="dev"))
    clock.advance(5)
    return app_id, service


def choose(editor: AuthConfigEditor, app_id: str, env: str) -> None:
    """Pick the app from its list, as a person does, then the environment."""
    app = editor.field("AppId").control
    app.value = next(option for option in app.options if option.endswith(f"({app_id})"))
    editor.field("BackendEnvironmentName").control.value = env


def test_apps_are_offered_as_name_and_id_and_the_request_holds_the_id(emulator):
    named = emulator.create_app("shop", ("main",))
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()), background=False)
    app = editor.field("AppId").control
    assert app.options == (f"shop ({named})",)
    assert app.placeholder == PLACEHOLDERS["AppId"]
    assert "aaw-combo-chooser" in app._dom_classes  # the arrow shown at all times
    app.value = f"shop ({named})"
    assert app.value == named and editor.value["AppId"] == named
    assert editor.field("BackendEnvironmentName").control.options == ("main",)
    app.value = "d0typed"  # an ID typed by hand is taken as it is
    assert editor.value["AppId"] == "d0typed"
    assert app_option("d1", "") == "d1"  # a nameless app is offered by its ID


def test_an_environment_with_auth_says_so_in_create_mode_and_create_is_off(deployed, emulator):
    app_id, service = deployed
    editor = AuthConfigEditor(service=service, background=False)
    editor.value = valid_request(AppId=app_id, BackendEnvironmentName="prod")
    choose(editor, app_id, "prod")  # no auth there: ready
    assert "Ready to send" in editor.bar.problems.value and not editor.create_button.disabled
    editor.field("BackendEnvironmentName").control.value = "dev"
    bar = editor.bar.problems.value
    assert "dev already has auth: Load current to update it" in bar
    assert "Ready to send" not in bar
    assert editor.create_button.disabled
    assert "Create would be refused" in editor.bar.reason.value
    with pytest.raises(ApiError, match="already exists"):  # what Create would have met
        service.create_backend_auth(editor.value)
    editor.operation = "UpdateBackendAuth"  # updating it is what can be done
    assert "already has auth" not in editor.bar.problems.value


def test_load_current_switches_to_update_and_keeps_open_sections_open(deployed):
    app_id, service = deployed
    editor = AuthConfigEditor(service=service, background=False)
    choose(editor, app_id, "dev")
    editor.field("ResourceName").control.value = "mainauth"
    editor.sections[3].open()  # password policy
    editor.sections[1].fold.selected_index = None  # sign-in closed by the person
    assert editor.load_current()
    editor.join()
    assert editor.operation == "UpdateBackendAuth"
    assert editor.operation_toggle.value == "UpdateBackendAuth"
    assert editor.field(f"{UPC}.PasswordPolicy.MinimumLength").control.value == "10"
    assert editor.current is not None and "already has auth" not in editor.bar.problems.value
    opened = [s.section.key for s in editor.sections if s.fold.selected_index == 0]
    assert opened == ["target", "password"]


def test_switching_to_update_by_hand_keeps_open_sections_open():
    editor = AuthConfigEditor(value=valid_request())
    editor.sections[4].open()  # MFA
    editor.sections[2].open()  # social sign-in
    before = [s.section.key for s in editor.sections if s.fold.selected_index == 0]
    editor.operation_toggle.value = "UpdateBackendAuth"
    after = [s.section.key for s in editor.sections if s.fold.selected_index == 0]
    assert after == before == ["target", "sign-in", "social", "mfa"]
    assert editor.sections[4].built
