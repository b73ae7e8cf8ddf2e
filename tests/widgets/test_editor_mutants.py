"""The configuration editor as a person first meets it: its parts in order, the tabs' titles,
the confirmation hidden, each button's label and state and why it is off, the count in the
bar. Then each control's wiring: the mode toggle, a press of Load, Create, Update, Delete,
Confirm and Cancel, the status and the job followed, the to-do list and where it leads, the
text tabs and the summary. Sends go to the emulator in this thread (``background=False``)
unless the test is about the background."""

from __future__ import annotations

import threading
from typing import Any

import ipywidgets as w
import pytest
from conftest import valid_request
from support.htmltext import text_of
from support.widgetface import as_shown, focus_requests, items

from amplify_auth_widgets import AuthConfigEditor, BackendAuthService
from amplify_auth_widgets.core.deployed import DeployedAuth
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.core.presets import PRESETS
from amplify_auth_widgets.widgets import editor as editor_module
from amplify_auth_widgets.widgets.editor import OPERATIONS, focus_target, single_choices
from amplify_auth_widgets.widgets.fields import Field
from amplify_auth_widgets.widgets.messages import SEPARATOR

UPC = "ResourceConfig.UserPoolConfigs"
NOT_CONNECTED = "Not connected to a service: give the editor a BackendAuthService."
KEYS = ("description", "disabled", "tooltip", "button_style", "icon")


def jobs(emulator: Any, app_id: str, env: str) -> list[str]:
    """The operations the emulator was sent for ``app_id``/``env``, oldest first."""
    listed = emulator.client().list_backend_jobs(AppId=app_id, BackendEnvironmentName=env)
    return [op for _, op in sorted((j["CreateTime"], j["Operation"]) for j in listed["Jobs"])]


def connected(emulator: Any, **kwargs: Any) -> AuthConfigEditor:
    """An editor on the emulator, its requests sent in this thread."""
    service = BackendAuthService(emulator.connection())
    return AuthConfigEditor(service=service, background=False, **kwargs)


def test_service_cognito_is_the_one_value_a_request_must_hold():
    for operation in OPERATIONS:
        assert single_choices(request_spec(operation)) == [("ResourceConfig.Service", "COGNITO")]


def test_the_focus_goes_to_a_secrets_text_a_lists_tags_or_else_the_control():
    editor = AuthConfigEditor(background=False)
    secret = editor.field(f"{UPC}.OAuth.SocialProviderSettings.Google.ClientSecret")
    attributes = editor.field(f"{UPC}.RequiredSignUpAttributes")
    name = editor.field(f"{UPC}.UserPoolName")
    assert focus_target(secret) is secret.hidden
    assert focus_target(attributes) is attributes.tags
    assert focus_target(name) is name.control


def test_an_unknown_operation_is_refused_naming_the_ones_there_are():
    with pytest.raises(ValueError) as raised:
        AuthConfigEditor("ImportBackendAuth")
    assert str(raised.value) == "operation must be one of CreateBackendAuth, UpdateBackendAuth"


def test_the_editor_as_first_met():
    editor = AuthConfigEditor()
    assert editor.operation == "CreateBackendAuth" == editor.operation_toggle.value
    assert "aaw-editor" in editor._dom_classes
    assert list(editor.children) == [
        editor.bar,
        editor.confirm_box,
        *editor.io.rows,
        editor.tabs,
        editor.summary,
    ]
    assert editor.tabs.titles == ("Form", "JSON", "YAML", "AWS CLI", "Gen 2")
    assert editor.tabs.selected_index == 0
    assert list(editor.tabs.children) == [editor.form_box, *editor.texts.panels, editor.gen2_tab]
    assert list(editor.form_box.children) == [s.fold for s in editor.sections]
    # the bar's controls are the editor's, and the request's file controls the io's
    for name in ("load", "create", "update", "delete"):
        assert getattr(editor, f"{name}_button") is getattr(editor.bar, f"{name}_button")
    assert editor.progress is editor.bar.progress
    assert editor.progress.layout.visibility == "hidden"
    assert editor.upload is editor.io.upload and editor.include_secrets is editor.io.include_secrets
    assert editor.preset_picker is editor.io.preset_picker
    assert editor.io_message is editor.io.message
    assert editor.json_text is editor.texts.json_text and editor.yaml_text is editor.texts.yaml_text
    # nothing under way, nothing sent, nothing loaded
    assert (editor.busy, editor.status, editor.job_status, editor.problems) == (False, "", "", 7)
    assert editor.current is None and editor.last_response is None and editor.service is None
    assert editor.value == {"ResourceConfig": {"Service": "COGNITO", "UserPoolConfigs": {}}}
    assert text_of(editor.bar.problems.value) == "7 settings to complete before sending"
    assert editor.summary.value == "" and editor.bar.job_status.value == ""
    # the buttons: Create shown, Update hidden, all off while not connected, saying why
    assert as_shown(editor.create_button, KEYS) == {
        "kind": "Button",
        "description": "Create",
        "disabled": True,
        "tooltip": NOT_CONNECTED,
        "button_style": "primary",
        "icon": "plus",
    }
    assert editor.update_button.disabled and editor.update_button.tooltip == NOT_CONNECTED
    assert editor.create_button.layout.display is None
    assert editor.update_button.layout.display == "none"
    assert editor.load_button.disabled and editor.delete_button.disabled
    assert text_of(editor.bar.reason.value) == NOT_CONNECTED
    # the confirmation: hidden until asked, Confirm and Cancel under its text
    assert editor.confirm_box.layout.display == "none"
    assert "aaw-confirm-box" in editor.confirm_box._dom_classes
    text, row = editor.confirm_box.children
    assert text is editor.confirm_text and text.value == ""
    assert list(row.children) == [editor.confirm_button, editor.cancel_button]
    assert as_shown(editor.confirm_button, ("description", "button_style", "disabled")) == {
        "kind": "Button",
        "description": "Confirm",
        "button_style": "warning",
        "disabled": False,
    }
    assert "aaw-confirm" in editor.confirm_button._dom_classes
    assert editor.cancel_button.description == "Cancel"
    assert "aaw-cancel" in editor.cancel_button._dom_classes
    # the first screen: the open sections built, the closed ones not yet (nothing made)
    opened = [s for s in editor.sections if s.fold.selected_index == 0]
    closed = [s for s in editor.sections if s.fold.selected_index is None]
    assert [s.section.key for s in opened] == ["target", "sign-in"]
    assert all(s.built for s in opened) and not any(s.built for s in closed)
    assert not any(isinstance(f, Field) for s in closed for f in s.fields)
    assert all(s.fold.layout.display is None for s in editor.sections)
    assert editor.field("ResourceConfig.Service").box.layout.display == "none"
    # the Gen 2 export is made when its tab is shown, not before
    assert editor.gen2_tab.export is None
    editor.tabs.selected_index = 4
    assert editor.gen2_tab.export is not None


def test_an_update_editor_shows_update_and_no_section_with_nothing_to_ask():
    editor = AuthConfigEditor("UpdateBackendAuth")
    assert editor.operation == "UpdateBackendAuth" == editor.operation_toggle.value
    assert editor.create_button.layout.display == "none"
    assert editor.update_button.layout.display is None
    sign_in = editor.sections[1]
    assert sign_in.section.paths == ("ResourceConfig.Service",)
    assert sign_in.fold.layout.display == "none"
    assert all(s.fold.layout.display is None for s in editor.sections if s is not sign_in)


def test_the_mode_toggle_and_the_operation_follow_each_other():
    editor = AuthConfigEditor(value=valid_request())
    editor.operation_toggle.value = "UpdateBackendAuth"
    assert editor.operation == "UpdateBackendAuth"
    assert editor.create_button.layout.display == "none"
    assert editor.update_button.layout.display is None
    editor.operation = "CreateBackendAuth"
    assert editor.operation_toggle.value == "CreateBackendAuth"
    assert editor.value == valid_request()  # what Update lacked was set aside, and is back


def test_a_value_given_fills_the_form_and_typing_sets_the_value():
    request = valid_request(AppId="d1given")
    editor = AuthConfigEditor(value=request)
    assert editor.field("AppId").control.value == "d1given" and editor.value == request
    fresh = AuthConfigEditor()
    fresh.field("AppId").control.value = "Bad App"
    assert fresh.value["AppId"] == "Bad App"
    assert "is not an Amplify app id" in fresh.field("AppId").messages.value  # typed: shown
    assert fresh.field("BackendEnvironmentName").messages.value == ""  # not touched
    fresh.value = valid_request(AppId="d1later")  # a value given after typing fills the form
    assert fresh.field("AppId").control.value == "d1later"


def test_a_field_asked_for_that_is_not_in_the_form_is_named():
    editor = AuthConfigEditor()
    with pytest.raises(KeyError, match="no field at 'Nope'"):
        editor.field("Nope")
    field = editor.field("ResourceConfig.AuthResources")  # its closed section built for it
    assert isinstance(field, Field) and editor.sections[-1].built


def test_the_count_the_titles_and_the_summary_say_what_is_shown():
    editor = AuthConfigEditor(value=valid_request(AppId="Bad App"))
    assert text_of(editor.bar.problems.value) == "1 problem"
    titles = [s.fold.get_title(0) for s in editor.sections]
    assert titles[0] == "Target · 1 problem"
    assert not any("problem" in title for title in titles[1:])
    assert not any(s.built for s in editor.sections if s.fold.selected_index is None)
    summary = editor.summary.value
    assert summary.startswith('<div class="aaw-summary"><ul><li><b>App ID</b> ')
    assert summary.count("<li>") == 1 and 'title="amplify.app-id"' in summary
    assert "App ID &#x27;Bad App&#x27; is not an Amplify app id" in summary
    # a member the model does not know: shown as the request's, under the form
    request = valid_request()
    request["Colour"] = "blue"
    request["ResourceConfig"]["UserPoolConfigs"]["Colour"] = "red"
    editor.value = request
    assert text_of(editor.bar.problems.value) == "2 problems"
    summary = editor.summary.value
    assert summary.count("<li><b>Request</b> ") == 2 and "</li><li>" in summary
    assert "CreateBackendAuth has no member &#x27;Colour&#x27;" in summary
    assert items(editor)[0].startswith(f"Request {SEPARATOR} Request: CreateBackendAuth has no")


def test_a_finding_in_a_list_is_the_lists_in_the_to_do_list_and_its_section():
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"][1] = "http://x.io/"
    editor = AuthConfigEditor(value=request)
    assert editor.problems == 1
    assert items(editor) == [
        f"Social sign-in {SEPARATOR} Sign-in redirect URLs: " + items(editor)[0].split(": ", 1)[1]
    ]
    assert "Social sign-in" in items(editor)[0] and "http" in items(editor)[0]
    field = editor.go_to(f"{UPC}.OAuth.RedirectSignInURIs[1]")
    assert field is editor.field(f"{UPC}.OAuth.RedirectSignInURIs")
    assert editor.sections[2].fold.selected_index == 0
    assert editor.sections[2].fold.get_title(0) == "Social sign-in · 1 problem"


def test_the_to_do_list_follows_the_forms_order_and_leads_to_the_field(monkeypatch):
    editor = AuthConfigEditor(background=False)
    assert items(editor)[:3] == [
        f"Target {SEPARATOR} App ID: required",
        f"Target {SEPARATOR} Environment: required",
        f"Target {SEPARATOR} Auth resource name: required",
    ]
    editor.bar.more.value = True
    assert items(editor)[-1] == f"Identity pool {SEPARATOR} What to create: choose one"
    editor.field(f"{UPC}.Mfa").control.value = True  # on, with no mode: a nested member
    listed = items(editor)
    mfa = next(i for i, text in enumerate(listed) if text.startswith(f"MFA {SEPARATOR}"))
    assert listed.index(f"Identity pool {SEPARATOR} What to create: choose one") > mfa
    assert mfa > listed.index(f"Sign-in and sign-up {SEPARATOR} Sign in with: choose one")
    editor.tabs.selected_index = 2
    control = editor.field("ResourceConfig.AuthResources").control
    sent = focus_requests(control, monkeypatch)
    last = [b for b in editor.bar.todo.children if "aaw-todo-item" in b._dom_classes][-1]
    last.click()
    assert editor.tabs.selected_index == 0 and editor.sections[-1].fold.selected_index == 0
    assert sent == [{"do": "focus"}]
    assert (
        "What to create is required" in editor.field("ResourceConfig.AuthResources").messages.value
    )


def test_go_to_shows_the_fields_findings_and_nothing_for_a_member_outside_the_form():
    editor = AuthConfigEditor(background=False)
    sign_in = editor.field(f"{UPC}.SignInMethod")
    assert sign_in.messages.value == ""
    assert editor.go_to(f"{UPC}.SignInMethod") is sign_in
    assert "Sign in with is required" in sign_in.messages.value  # it counts as touched
    assert editor.go_to("Colour") is None


def _timers() -> list[threading.Timer]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_the_focus_is_asked_again_only_for_a_section_built_that_moment(monkeypatch):
    monkeypatch.setattr(editor_module, "REFOCUS_SECONDS", 0.0)
    focused: list[Any] = []
    monkeypatch.setattr(w.DOMWidget, "focus", lambda widget: focused.append(widget))
    background = AuthConfigEditor()
    background.field(f"{UPC}.SignInMethod")
    background.go_to(f"{UPC}.SignInMethod")  # its section was built: no second ask
    for timer in _timers():
        timer.join(2)
    assert focused == [background.field(f"{UPC}.SignInMethod").control]
    focused.clear()
    background.go_to("ResourceConfig.AuthResources")  # built this moment: asked again
    for timer in _timers():
        timer.join(2)
    assert focused == [background.field("ResourceConfig.AuthResources").control] * 2
    focused.clear()
    here = AuthConfigEditor(background=False)  # no page to wait for: asked once
    here.go_to("ResourceConfig.AuthResources")
    for timer in _timers():
        timer.join(2)
    assert focused == [here.field("ResourceConfig.AuthResources").control]


def test_reveal_opens_only_the_sections_with_an_error():
    request = valid_request()
    del request["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"]
    editor = AuthConfigEditor()
    editor.value = request
    editor.reveal()
    assert [s.fold.selected_index for s in editor.sections] == [0, 0, None, None, None, None, None]


def test_the_json_tab_follows_edits_and_secrets_only_when_asked():
    editor = AuthConfigEditor(value=valid_request())
    assert editor.json_text.value == ""  # written when shown
    editor.tabs.selected_index = 1
    assert '"UserPoolName": "main-users"' in editor.json_text.value
    editor.field(f"{UPC}.UserPoolName").control.value = "renamed"
    assert '"UserPoolName": "renamed"' in editor.json_text.value
    assert "g-secret-value" not in editor.json_text.value
    editor.include_secrets.value = True
    assert "g-secret-value" in editor.json_text.value
    editor.json_text.value = '{"AppId": "d1",}'  # a mistake: kept to be fixed, form unchanged
    editor.tabs.selected_index = 2
    editor.tabs.selected_index = 1
    assert editor.json_text.value == '{"AppId": "d1",}'
    assert editor.value["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] == "renamed"


def test_export_and_load_text_take_json_by_default():
    editor = AuthConfigEditor(value=valid_request())
    text = editor.export()
    assert text == editor.export("json", False) and text.lstrip().startswith("{")
    assert "g-secret-value" not in text
    assert "g-secret-value" in editor.export("yaml", True)
    assert "UserPoolName: main-users" in editor.export("yaml")
    other = AuthConfigEditor()
    assert other.load_text(editor.export("json", True))
    assert other.value == valid_request()
    assert other.load_text("AppId: d1yaml\n", "yaml") and other.value["AppId"] == "d1yaml"
    assert not other.load_text("{x}")
    assert "JSON tab line 1" in text_of(other.texts.json_error.value)
    assert other.io_message.value == ""  # no file named: the tab says it, not the file row
    assert not other.load_text("{x}", "json", "mine.json")
    assert "mine.json line 1" in text_of(other.io_message.value)
    other.apply_preset(next(iter(PRESETS)))
    assert other.value["AppId"] == "d1yaml" and other.findings[0].path != "AppId"


def test_the_status_follows_the_status_line_and_cancel_says_so():
    editor = AuthConfigEditor()
    editor.status_line.show("Hello", "ok")
    assert editor.status == "Hello"
    editor.cancel()
    assert editor.status == "Cancelled." and editor.status_line.kind == "info"
    assert editor.confirm_box.layout.display == "none"
    assert editor.confirm() is False  # nothing asked


def test_nothing_is_sent_or_shown_when_the_editor_cannot_send():
    editor = AuthConfigEditor()
    assert editor.create() is False and editor.update() is False and editor.delete() is False
    assert editor.status == "" and editor.confirm_box.layout.display == "none"
    assert editor.field("BackendEnvironmentName").messages.value == ""  # nothing revealed
    assert editor.sections[-1].fold.selected_index is None


def test_buttons_and_the_reason_follow_the_service_the_target_and_the_problems(emulator):
    editor = AuthConfigEditor(background=False)
    editor.value = valid_request()
    assert editor.create_button.disabled and editor.delete_button.disabled  # not connected
    assert editor.load_button.disabled
    editor.set_service(BackendAuthService(emulator.connection()))
    assert editor.service is not None and editor.progress.layout.visibility == "hidden"
    assert not editor.create_button.disabled and editor.create_button.tooltip == ""
    assert not editor.delete_button.disabled and not editor.load_button.disabled
    assert editor.bar.reason.value == ""
    editor.field("AppId").control.value = "Bad App"
    assert editor.create_button.disabled
    assert editor.create_button.tooltip == "Fix the 1 problem to send."
    assert text_of(editor.bar.reason.value) == "Fix the 1 problem to send."
    editor.field("ResourceName").control.value = ""  # a target part missing: no load or delete
    assert editor.delete_button.disabled and editor.load_button.disabled
    untouched = AuthConfigEditor(service=editor.service, background=False)
    assert untouched.create_button.tooltip == "Complete the 7 settings listed to send."
    request = valid_request(AppId="Bad App")
    request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "bad name!"
    untouched.value = request
    assert untouched.create_button.tooltip == "Fix the 2 problems to send."
    del request["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"]
    request["AppId"] = "d1abc"
    untouched.value = request  # a member left out is to complete, not yet a problem
    assert (
        untouched.create_button.tooltip == "Fix the 1 problem and complete the 1 setting to send."
    )
    # a target that is not text (from a file) is no target to load or delete
    odd = AuthConfigEditor(service=editor.service, background=False)
    odd.value = {**valid_request(), "AppId": 123}
    assert odd.delete_button.disabled and odd.load_button.disabled


def test_a_request_under_way_shows_progress_and_holds_every_button(emulator):
    editor = connected(emulator, value=valid_request(AppId="Bad App"))
    assert text_of(editor.bar.reason.value) == "Fix the 1 problem to send."
    editor.submitter.busy = True
    assert editor.busy and editor.progress.layout.visibility == "visible"
    assert editor.create_button.disabled and editor.delete_button.disabled
    assert editor.load_button.disabled and editor.confirm_button.disabled
    assert editor.bar.reason.value == ""  # the progress says it
    editor.submitter.busy = False
    assert not editor.busy and editor.progress.layout.visibility == "hidden"
    assert not editor.delete_button.disabled and not editor.confirm_button.disabled
    assert text_of(editor.bar.reason.value) == "Fix the 1 problem to send."


def test_a_send_with_problems_shows_them_and_says_so(emulator, app_env):
    app_id, env = app_env
    editor = connected(emulator)
    editor.field("AppId").control.value = app_id
    assert editor.field(f"{UPC}.SignInMethod").messages.value == ""  # not touched yet
    assert editor.create() is False
    assert editor.status == "Not sent: 6 problems to fix, shown beside the fields."
    assert editor.status_line.kind == "error"
    assert "Sign in with is required" in editor.field(f"{UPC}.SignInMethod").messages.value
    bad_name = valid_request(AppId=app_id)
    bad_name["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "bad name!"
    editor.value = bad_name
    assert editor.create() is False
    assert editor.status == "Not sent: 1 problem to fix, shown beside the fields."
    assert jobs(emulator, app_id, env) == []


def test_each_operation_is_sent_only_in_its_own_mode(emulator, app_env):
    app_id, env = app_env
    update = connected(emulator, value=valid_request(AppId=app_id))
    update.operation = "UpdateBackendAuth"
    assert update.problems == 0 and update.create() is False
    create = connected(emulator, value=valid_request(AppId=app_id))
    assert create.update() is False and create.confirm_box.layout.display == "none"
    assert jobs(emulator, app_id, env) == []


def test_the_job_sent_is_followed_and_other_jobs_are_not(emulator, app_env):
    app_id, _ = app_env
    editor = connected(emulator, value=valid_request(AppId=app_id))
    seen: list[Any] = []
    dropped: list[Any] = []
    editor.on_submit(
        lambda response, operation, request: seen.append(
            (operation, request["AppId"], threading.current_thread() is threading.main_thread())
        )
    )

    def drop(response: dict[str, Any], operation: str, request: dict[str, Any]) -> None:
        dropped.append(operation)

    editor.on_submit(drop)
    editor.on_submit(drop, remove=True)  # taken back: not called
    assert editor.create() is True
    assert seen == [("CreateBackendAuth", app_id, True)] and dropped == []  # sent, here
    job_id = editor.last_response["JobId"]
    assert editor.job_status == "IN_PROGRESS"
    assert editor.status == f"CreateBackendAuth: job {job_id} IN_PROGRESS"
    assert "Last job: <b>IN_PROGRESS</b>" in editor.bar.job_status.value
    editor.show_job(
        {"JobId": "someone-else", "Status": "FAILED", "Operation": "X", "Error": "not ours"}
    )
    assert editor.job_status == "IN_PROGRESS" and "not ours" not in editor.status
    editor.show_job(
        {"JobId": job_id, "Status": "FAILED", "Operation": "CreateBackendAuth", "Error": "quota"}
    )
    assert editor.job_status == "FAILED" and editor.status_line.kind == "error"
    assert editor.status == f"CreateBackendAuth: job {job_id} FAILED: quota"
    editor.show_job({"JobId": job_id, "Status": "COMPLETED"})
    assert editor.status == f"Job: job {job_id} COMPLETED" and editor.status_line.kind == "ok"
    editor.show_job({"Status": "COMPLETED", "Operation": "UpdateBackendAuth"})  # no id: shown
    assert editor.status == "UpdateBackendAuth: job  COMPLETED"
    editor.show_job({})
    assert editor.job_status == "" and editor.status == "Job: job  "
    editor.submitter.last_response = {"JobId": "j-2"}  # an answer without a status
    assert editor.job_status == "" and editor.bar.job_status.value == ""


def test_before_any_send_a_job_with_an_id_is_not_ours():
    editor = AuthConfigEditor()
    editor.show_job({"JobId": "j-1", "Status": "FAILED", "Operation": "CreateBackendAuth"})
    assert editor.job_status == "" and editor.status == ""
    editor.show_job({"Status": "COMPLETED", "Operation": "CreateBackendAuth"})
    assert editor.job_status == "COMPLETED"
    assert editor.status == "CreateBackendAuth: job  COMPLETED"


def test_a_request_is_sent_and_apps_listed_in_the_background_by_default(emulator, app_env):
    app_id, _ = app_env
    editor = AuthConfigEditor(value=valid_request(AppId=app_id))
    listed: list[threading.Thread] = []
    editor.field("AppId").control.observe(
        lambda _: listed.append(threading.current_thread()), names="options"
    )
    editor.set_service(BackendAuthService(emulator.connection()))
    editor.targets.join()
    assert listed and threading.main_thread() not in listed
    assert editor.field("AppId").control.options == (f"test-app ({app_id})",)
    threads: list[threading.Thread] = []
    editor.on_submit(lambda *_: threads.append(threading.current_thread()))
    assert editor.create()
    editor.join()
    assert threads and threads[0] is not threading.main_thread()


def test_create_is_refused_while_the_environment_has_auth(emulator, clock, app_env):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id))
    clock.advance(5)
    editor = AuthConfigEditor(service=service, value=valid_request(AppId=app_id), background=False)
    blocker = f"{env} already has auth: Load current to update it"
    assert editor.conflict() == blocker
    assert text_of(editor.bar.problems.value) == blocker
    assert editor.create_button.disabled
    assert editor.create_button.tooltip == f"Create would be refused: {blocker}."
    editor.operation = "UpdateBackendAuth"
    assert editor.conflict() == "" and not editor.update_button.disabled
    assert text_of(editor.bar.problems.value) == "Ready to send"
    other = AuthConfigEditor(service=service, background=False)
    other.value = valid_request(AppId=app_id, BackendEnvironmentName="prod")
    assert other.conflict() == "" and not other.create_button.disabled
    editor.operation = "CreateBackendAuth"
    assert editor.conflict() == blocker
    editor.set_service(None)  # disconnected: what was listed stays, for its environment only
    editor.field("BackendEnvironmentName").control.value = "prod"
    assert editor.conflict() == "" and blocker not in text_of(editor.bar.problems.value)


def test_each_button_does_what_it_says(emulator, clock, app_env):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    editor = AuthConfigEditor(service=service, value=valid_request(AppId=app_id), background=False)
    editor.create_button.click()
    assert jobs(emulator, app_id, env) == ["CreateBackendAuth"]
    clock.advance(5)
    editor.tabs.selected_index = 3  # the AWS CLI tab speaks to the editor's connection
    assert "The local emulator's throwaway credentials" in text_of(editor.texts.cli.command.value)
    editor.update()  # Create mode: nothing asked
    assert editor.confirm_box.layout.display == "none"
    editor.load_button.click()
    assert editor.status == f"Loaded the current configuration of {app_id}/{env}."
    assert editor.operation == "UpdateBackendAuth"
    assert editor.current == service.get_backend_auth(app_id, env, "mainauth")["ResourceConfig"]
    assert editor.value["AppId"] == app_id and editor.value["ResourceName"] == "mainauth"
    upc = editor.value["ResourceConfig"]["UserPoolConfigs"]
    assert "UserPoolName" not in upc and upc["PasswordPolicy"]["MinimumLength"] == 10
    assert editor.gen2_tab.deployed == service.deployed_auth(app_id, env)
    editor.field(f"{UPC}.PasswordPolicy.MinimumLength").control.value = "16"
    assert editor.gen2_tab.deployed is not None  # the same environment: its ids stay
    editor.update_button.click()
    assert editor.confirm_box.layout.display is None
    assert editor.confirm_text.value == (
        "<b>Update</b>: what changes, setting by setting:<ul><li "
        'title="ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength">'
        "Minimum length (Password policy): 10 -&gt; 16</li></ul>"
    )
    assert jobs(emulator, app_id, env) == ["CreateBackendAuth"]  # nothing before Confirm
    editor.confirm_button.click()
    assert editor.confirm_box.layout.display == "none"
    assert jobs(emulator, app_id, env) == ["CreateBackendAuth", "UpdateBackendAuth"]
    clock.advance(5)
    assert editor.delete() is True
    assert editor.confirm_text.value == (
        f"<b>Delete</b> the auth resource <code>mainauth</code> of <code>{app_id}</code>/"
        f"<code>{env}</code>? This cannot be undone."
    )
    editor.cancel_button.click()
    assert editor.confirm_box.layout.display == "none" and editor.status == "Cancelled."
    assert editor.confirm() is False
    editor.delete_button.click()
    assert editor.confirm() is True
    assert jobs(emulator, app_id, env)[-1] == "DeleteBackendAuth"


def test_an_update_not_loaded_first_says_so(emulator):
    editor = connected(emulator, value=valid_request())
    editor.operation = "UpdateBackendAuth"
    assert editor.update() is True
    assert "the current configuration is not loaded" in editor.confirm_text.value


def test_the_identity_pool_is_greyed_saying_why_while_it_does_not_apply():
    editor = AuthConfigEditor(value=valid_request())
    pools = editor.field("ResourceConfig.IdentityPoolConfigs")
    assert not pools.control.disabled and pools.reason.value == ""
    editor.field("ResourceConfig.AuthResources").control.value = "USER_POOL_ONLY"
    assert pools.control.disabled
    assert "Not used: What to create is User pool only" in text_of(pools.reason.value)
    editor.field("ResourceConfig.AuthResources").control.value = "IDENTITY_POOL_AND_USER_POOL"
    assert not pools.control.disabled and pools.reason.value == ""


def test_ids_handed_to_the_gen2_tab_stay_until_the_target_changes():
    editor = AuthConfigEditor()
    ids = DeployedAuth(
        resource_name="mainauth",
        region="us-east-1",
        account_id=None,
        user_pool_id="us-east-1_abc",
        user_pool_arn="arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc",
    )
    editor.gen2_tab.deployed = ids
    editor.field(f"{UPC}.UserPoolName").control.value = "renamed"  # no target named yet
    assert editor.gen2_tab.deployed is ids
    editor.field("AppId").control.value = "d1abc"  # a target named: not these ids'
    assert editor.gen2_tab.deployed is None


def test_a_preset_applied_to_an_update_holds_only_what_an_update_takes():
    editor = AuthConfigEditor(value=valid_request())
    editor.operation = "UpdateBackendAuth"
    editor.apply_preset(next(iter(PRESETS)))
    assert editor.value["AppId"] == "d1a2b3c4d5e6f7"
    assert "UserPoolName" not in editor.value["ResourceConfig"]["UserPoolConfigs"]
    assert not any(f.code == "model.unknown" for f in editor.findings)


def test_the_bar_says_so_when_the_picker_learns_the_environment_has_auth(emulator, clock, app_env):
    app_id, env = app_env
    service = BackendAuthService(emulator.connection())
    service.create_backend_auth(valid_request(AppId=app_id))
    clock.advance(5)
    editor = AuthConfigEditor(value=valid_request(AppId=app_id))  # listings in the background
    assert text_of(editor.bar.problems.value) == "Ready to send"
    editor.set_service(service)
    editor.targets.join()
    assert (
        text_of(editor.bar.problems.value) == f"{env} already has auth: Load current to update it"
    )
    assert editor.create_button.disabled


def test_the_apps_are_listed_again_for_a_new_service_and_not_for_each_send(emulator, app_env):
    app_id, _ = app_env
    answered: list[str | None] = []
    hook = lambda service, operation, *_: answered.append(operation)  # noqa: E731
    emulator.app.response_hooks.append(hook)
    try:
        editor = AuthConfigEditor(value=valid_request(AppId=app_id), background=False)
        editor.set_service(BackendAuthService(emulator.connection()))
        editor.targets.join()
        assert answered.count("ListApps") == 1
        editor.create_button.click()  # busy, then an answer: the service stays the same
        editor.targets.join()
        assert answered.count("CreateBackendAuth") == 1 and answered.count("ListApps") == 1
        editor.set_service(BackendAuthService(emulator.connection()))  # another: listed again
        editor.targets.join()
        assert answered.count("ListApps") == 2
    finally:
        emulator.app.response_hooks.remove(hook)


def test_a_finding_in_a_list_a_section_names_is_that_sections_and_in_its_place():
    request = valid_request()
    upc = request["ResourceConfig"]["UserPoolConfigs"]
    upc["RequiredSignUpAttributes"] = ["EMAIL", "SHOE_SIZE"]  # a finding at [1]
    upc["PasswordPolicy"]["MinimumLength"] = 2  # one in a later section, first by path
    editor = AuthConfigEditor(value=request, background=False)
    assert [f.path for f in editor.findings] == [
        f"{UPC}.PasswordPolicy.MinimumLength",
        f"{UPC}.RequiredSignUpAttributes[1]",
    ]
    assert [text.split(f" {SEPARATOR} ")[0] for text in items(editor)] == [
        "Sign-in and sign-up",
        "Password policy",
    ]
    field = editor.go_to(f"{UPC}.RequiredSignUpAttributes[1]")
    assert field is editor.field(f"{UPC}.RequiredSignUpAttributes")
    assert editor.sections[1].fold.selected_index == 0
    assert "SHOE_SIZE" in field.messages.value
