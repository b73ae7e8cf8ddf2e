"""AuthConfigEditor as a widget: its traits, observed and linked; events through callbacks;
the submit flow as an object of its own; an unreachable service said in words."""

from __future__ import annotations

import ipywidgets as w
import pytest
import traitlets as t
from conftest import free_port, valid_request

from amplify_auth_widgets import AuthConfigEditor, BackendAuthService, Connection, Finding
from amplify_auth_widgets.widgets.status import StatusLine
from amplify_auth_widgets.widgets.submit import Submitter

UPC = "ResourceConfig.UserPoolConfigs"


def test_the_editor_is_a_widget_with_documented_traits():
    editor = AuthConfigEditor()
    assert isinstance(editor, w.VBox) and editor.widget is editor
    assert "aaw-editor" in editor._dom_classes
    for name in ("value", "findings", "operation", "busy", "status", "job_status"):
        assert editor.traits()[name].help, name
    bundle = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_observe_fires_on_a_field_change():
    editor = AuthConfigEditor()
    seen = []
    editor.observe(lambda change: seen.append(change["new"]), "value")
    editor.field("AppId").control.value = "d1abc"
    assert seen and seen[-1]["AppId"] == "d1abc"
    editor.field(f"{UPC}.SignInMethod").control.value = "EMAIL"
    assert seen[-1]["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] == "EMAIL"
    assert seen[-1]["AppId"] == "d1abc"


def test_setting_value_fills_the_form_and_the_findings():
    editor = AuthConfigEditor()
    findings = []
    editor.observe(lambda change: findings.append(change["new"]), "findings")
    editor.value = valid_request(AppId="d9zz")
    assert editor.field("AppId").control.value == "d9zz"
    assert editor.field(f"{UPC}.PasswordPolicy.MinimumLength").control.value == "10"
    assert editor.value == valid_request(AppId="d9zz")
    assert editor.findings == [] and findings[-1] == []
    editor.value = valid_request(AppId="Bad App")
    assert all(isinstance(f, Finding) for f in editor.findings)
    assert [f.code for f in editor.findings] == ["amplify.app-id"]
    with pytest.raises(t.TraitError):
        editor.value = ["not", "a", "request"]
    assert editor.field("AppId").control.value == "Bad App"  # nothing lost


def test_link_between_two_editors_and_to_a_plain_widget():
    left, right = AuthConfigEditor(), AuthConfigEditor()
    link = w.link((left, "value"), (right, "value"))
    left.field("AppId").control.value = "d1left"
    assert right.field("AppId").control.value == "d1left"
    right.field("BackendEnvironmentName").control.value = "dev"
    assert left.value["BackendEnvironmentName"] == "dev"
    link.unlink()
    status = w.Text()
    w.dlink((left, "status"), (status, "value"))
    left.cancel()
    assert status.value == "Cancelled."
    mode = w.Dropdown(options=["CreateBackendAuth", "UpdateBackendAuth"])
    w.link((mode, "value"), (left, "operation"))
    mode.value = "UpdateBackendAuth"
    assert left.operation == "UpdateBackendAuth" and left.operation_toggle.value == mode.value


def test_on_submit_through_a_dispatcher_and_job_status(emulator, app_env):
    app_id, _ = app_env
    editor = AuthConfigEditor(service=BackendAuthService(emulator.connection()))
    seen, broken = [], []

    def broken_callback(response, operation, request):
        broken.append(response["JobId"])
        raise RuntimeError("a callback that fails does not stop the others")

    editor.on_submit(broken_callback)
    editor.on_submit(lambda response, operation, request: seen.append(operation))
    editor.value = valid_request(AppId=app_id)
    assert editor.create()
    editor.join()
    assert broken and seen == ["CreateBackendAuth"]
    job_id = editor.last_response["JobId"]
    assert editor.job_status == "IN_PROGRESS"
    editor.show_job({"JobId": "someone-else", "Status": "FAILED"})
    assert editor.job_status == "IN_PROGRESS"
    editor.show_job({"JobId": job_id, "Status": "COMPLETED", "Operation": "CreateBackendAuth"})
    assert editor.job_status == "COMPLETED" and "COMPLETED" in editor.status


def test_set_service_switches_the_connection(emulator, app_env):
    app_id, env = app_env
    editor = AuthConfigEditor()
    assert editor.service is None and editor.create_button.disabled
    editor.value = valid_request(AppId=app_id)
    assert not editor.create()
    editor.set_service(BackendAuthService(emulator.connection()))
    assert not editor.create_button.disabled
    assert editor.create()
    editor.join()
    jobs = emulator.client().list_backend_jobs(AppId=app_id, BackendEnvironmentName=env)["Jobs"]
    assert [j["JobId"] for j in jobs] == [editor.last_response["JobId"]]


def test_an_unreachable_service_is_named_with_what_to_do():
    url = f"http://127.0.0.1:{free_port()}"
    waits = []
    service = BackendAuthService(Connection.for_emulator(url), sleep=waits.append)
    editor = AuthConfigEditor(service=service, value=valid_request())
    assert editor.create()
    editor.join()
    assert len(waits) == service.max_attempts - 1  # retried, without waiting in the test
    status = editor.status
    assert f"nothing answers at {url}" in status and "CreateBackendAuth was not sent" in status
    assert "emulator" in status and "send again" in status
    assert editor.status_line.kind == "error" and not editor.busy
    assert not editor.create_button.disabled  # ready to try again


def test_submitter_needs_only_a_service_a_value_and_a_status(emulator, app_env, clock):
    app_id, _ = app_env
    status = StatusLine()
    request = valid_request(AppId=app_id)
    submitter = Submitter(None, lambda: request, status, background=False)
    assert submitter.send("CreateBackendAuth") is False  # not connected
    submitter.set_service(BackendAuthService(emulator.connection()))
    busy = []
    submitter.observe(lambda change: busy.append(change["new"]), "busy")
    assert submitter.send("CreateBackendAuth")
    assert busy == [True, False] and "IN_PROGRESS" in status.message
    assert "aaw-status-ok" in status._dom_classes
    clock.advance(5)
    loaded = []
    assert submitter.load_current(lambda config, deployed: loaded.append((config, deployed)))
    config, deployed = loaded[0]
    assert config["UserPoolConfigs"]["UserPoolName"] == "main-users"
    assert deployed is not None and deployed.user_pool_name == "main-users-staging"
    assert status.message.startswith("Loaded the current configuration")
    with pytest.raises(ValueError, match="cannot send"):
        submitter.send("ImportBackendAuth")
