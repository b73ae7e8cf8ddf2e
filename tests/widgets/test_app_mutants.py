"""AuthApp as a person and a notebook meet it: its parts and their order, what each tab builds
when shown, the connection panel's words and what connecting moves, the environment's settings
(``from_environment``), the draft kept across pages, and ``view_size``. In process, against the
test's emulator (or the kernel's own ``local()`` one, started fresh), milliseconds to a second
each; one test starts the data folder's emulator process, as the app does."""

from __future__ import annotations

import os
import signal
import time
from html import escape
from pathlib import Path

import ipywidgets as w
import pytest
from conftest import profiles_of_two_accounts, valid_request

import amplify_auth_widgets.emulator.local as local_module
import amplify_auth_widgets.widgets.drafts as drafts_module
from amplify_auth_widgets import AuthApp, BackendAuthService, JobHistory
from amplify_auth_widgets.core.demo import DEMO_APPS
from amplify_auth_widgets.widgets.access import Fold
from amplify_auth_widgets.widgets.app import STYLE, TABS, view_size
from amplify_auth_widgets.widgets.html import error_html
from amplify_auth_widgets.widgets.style import WIDE

HEADING = STYLE + '<h1 class="aaw-title">Amplify backend auth</h1>'


@pytest.fixture
def service(emulator):
    return BackendAuthService(emulator.connection(), sleep=lambda s: None)


@pytest.fixture
def app(service, clock):
    made = AuthApp(service, history=JobHistory(":memory:", clock), autostart=False)
    yield made
    made.close()


@pytest.fixture
def fresh_local(monkeypatch):
    """The kernel's shared emulator (``local()``) not started yet: the app starts it, with the
    job time it is given; stopped after the test."""
    monkeypatch.setattr(local_module, "_shared", None)
    yield
    if local_module._shared is not None:
        local_module._shared.stop()


def settings_shown(app):
    later = app.connection_panel.children[1].body.children[0]
    return later.children[0].children if later.children else ()


def built(later):
    return later.children != ()


def aws_words(profile, region, endpoint=None):
    words = f"Connected to <b>AWS</b>: profile <code>{profile}</code>, region <code>{region}</code>"
    return words + (f", endpoint <code>{escape(endpoint)}</code>" if endpoint else "")


def emulator_words(url):
    apps = ", ".join(f"<code>{app_id}</code>" for app_id, _, _ in DEMO_APPS)
    return (
        f"Connected to the <b>embedded emulator</b> at <code>{escape(url)}</code>, with demo "
        f"apps {apps}. Nothing reaches AWS."
    )


def test_view_size_counts_a_widget_and_all_it_holds_at_every_depth():
    assert view_size(w.Label("leaf")) == 1  # a widget with no children at all
    assert view_size(w.VBox()) == 1
    tree = w.VBox([w.HBox([w.Label("a"), w.Label("b")]), w.Label("c")])
    assert view_size(tree) == 5
    assert view_size(w.VBox([tree, w.Button()])) == 7


def test_from_the_environment_aws_is_durable_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("AMPLIFY_AUTH_TARGET", "aws")
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "mine.sqlite3"))
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.delenv("AMPLIFY_AUTH_DURABLE", raising=False)
    app = AuthApp.from_environment()
    try:
        assert app.emulator is None and app.target == "aws" and app.endpoint_url == ""
        assert app.where.value == aws_words("default", "eu-west-1")
        assert app.history.path == str(tmp_path / "mine.sqlite3")
        assert app.drafts is not None
        assert app.children[2] is app.drafts.widget and app.children[3] is app.tabs
        assert app.monitor.tracking.value is True
    finally:
        app.close()


@pytest.mark.parametrize("off", ["0", " Off ", "NO", "false"])
def test_from_the_environment_durability_is_turned_off_by_any_word_for_no(
    off, tmp_path, monkeypatch
):
    monkeypatch.setenv("AMPLIFY_AUTH_TARGET", "aws")
    monkeypatch.setenv("AMPLIFY_AUTH_DURABLE", off)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    app = AuthApp.from_environment()
    try:
        assert app.drafts is None and len(app.children) == 3
    finally:
        app.close()


def test_from_the_environment_the_kernel_s_emulator_with_its_job_time_and_history(
    fresh_local, tmp_path, monkeypatch
):
    monkeypatch.delenv("AMPLIFY_AUTH_TARGET", raising=False)
    monkeypatch.setenv("AMPLIFY_AUTH_DURABLE", "0")
    monkeypatch.setenv("AMPLIFY_AUTH_JOB_SECONDS", "0")
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "mine.sqlite3"))
    app = AuthApp.from_environment()
    try:
        assert app.emulator is local_module.local() and app.target == "emulator"
        assert app.emulator.backend.job_seconds == (0.0, 0.0)
        assert app.history.path == str(tmp_path / "mine.sqlite3") and app.drafts is None
    finally:
        app.close()


def test_from_the_environment_the_kernel_s_emulator_has_3_second_jobs_by_default(
    fresh_local, monkeypatch
):
    for name in ("AMPLIFY_AUTH_TARGET", "AMPLIFY_AUTH_JOB_SECONDS", "AMPLIFY_AUTH_HISTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AMPLIFY_AUTH_DURABLE", "off")
    app = AuthApp.from_environment()
    try:
        assert app.emulator.backend.job_seconds == (3.0, 3.0)
        assert app.history.path == ":memory:"
    finally:
        app.close()


def test_from_the_environment_by_default_the_data_folder_s_emulator_and_history(monkeypatch):
    for name in ("AMPLIFY_AUTH_TARGET", "AMPLIFY_AUTH_HISTORY", "AMPLIFY_AUTH_DURABLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AMPLIFY_AUTH_JOB_SECONDS", "0")
    data = os.environ["AMPLIFY_AUTH_DATA"]  # the test's own (conftest)
    app = AuthApp.from_environment()
    try:
        folder = app.emulator.folder
        assert str(folder) == os.path.join(data, "emulator")
        assert app.history.path == str(folder / "history.sqlite3")
        assert app.drafts is not None and app.target == "emulator"
        assert app.where.value == emulator_words(app.emulator.url)
        # its jobs take the environment's time: none
        request = valid_request(AppId="d4demonew", BackendEnvironmentName="dev")
        job = app.service.create_backend_auth(request)["JobId"]
        status = app.service.get_backend_job("d4demonew", "dev", job)["Status"]
        assert status == "COMPLETED"
    finally:
        app.close()
        stop(app.emulator.pid)


def stop(pid: int) -> None:
    """Stop the data folder's emulator (it would outlive the test by its idle time) and see it
    gone: the run counts a process left behind as a failure."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state == "Z":
            return
        time.sleep(0.02)  # waiting for another process to exit: nothing to be told by
    raise AssertionError(f"the emulator {pid} did not stop")


def test_made_with_no_service_it_starts_the_kernel_s_emulator_with_3_second_jobs(
    fresh_local, emulator, tmp_path, monkeypatch
):
    app = AuthApp(autostart=False)
    try:
        assert app.emulator is local_module.local()
        assert app.emulator.backend.job_seconds == (3.0, 3.0)
        assert app.history.path == ":memory:" and app.drafts is None
        assert app.target == "emulator" and app.endpoint_url == app.emulator.url
        assert app.where.value == emulator_words(app.emulator.url)
        # connecting elsewhere leaves the embedded emulator
        profiles_of_two_accounts(tmp_path, monkeypatch, "other")
        app.profile.value, app.region.value, app.endpoint.value = "home", "us-east-1", emulator.url
        assert app.connect_aws()
        assert app.emulator is None and app.target == "aws"
        assert app.where.value == aws_words("home", "us-east-1", emulator.url)
    finally:
        app.close()


def test_the_app_shows_its_heading_connection_and_tabs_in_order(app, service, emulator):
    heading, panel, tabs = app.children  # no draft note: not durable unless asked
    assert heading.value == HEADING
    assert panel is app.connection_panel and tabs is app.tabs
    assert "aaw-app" in app._dom_classes
    assert app.drafts is None
    assert [tabs.get_title(i) for i in range(4)] == list(TABS)
    assert list(tabs.children[:2]) == [app.editor, app.monitor]
    assert not built(tabs.children[2]) and not built(tabs.children[3])
    assert app.service is service and app.editor.service is service
    assert app.monitor.tracker.service is service
    assert app.monitor.tracker.history is app.history
    assert app.monitor.table.value == ""  # the Jobs table is drawn when its tab is shown
    assert app.monitor.tracking.value is False
    where, fold = panel.children
    assert where is app.where and isinstance(fold, Fold)
    assert fold.get_title(0) == "Connection" and not fold.expanded
    assert not built(fold.body.children[0])  # the settings are built when first opened
    described = service.connection.describe()
    assert app.target == "aws" and app.endpoint_url == emulator.url
    assert app.where.value == aws_words(described["profile"], described["region"], emulator.url)


def test_calls_through_the_app_s_service_go_on_its_history(app, emulator):
    app_id = emulator.create_app("recorded", ("dev",))
    job = app.service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName="dev"))
    assert app.history.status_of(job["JobId"]) == "IN_PROGRESS"


def test_by_default_the_monitor_tracks_and_closing_the_app_stops_it(service):
    app = AuthApp(service, history=JobHistory(":memory:"))
    assert app.monitor.tracking.value is True
    app.close()
    assert app.monitor.tracking.value is False


def test_each_tab_builds_or_draws_what_it_shows_when_shown_and_not_before(app):
    reports, fleet = app.tabs.children[2:]
    app.tabs.selected_index = TABS.index("Jobs")
    assert "No jobs yet" in app.monitor.table.value
    assert not built(reports) and not built(fleet)
    app.tabs.selected_index = TABS.index("Configure")
    assert not built(reports) and not built(fleet)
    app.tabs.selected_index = TABS.index("Reports")
    assert reports.children == (app.reports,)
    assert "No jobs in the history yet" in app.reports.table.value
    assert not built(fleet)
    app.tabs.selected_index = TABS.index("Fleet")
    assert fleet.children == (app.fleet,)


def test_only_showing_the_jobs_tab_draws_its_table(app):
    # a trait of the tabs set to True (which equals 1, the Jobs tab's index) is no tab shown
    app.tabs.tabbable = True
    app.tabs.tooltip = "the app's parts"
    assert app.monitor.table.value == ""


def test_the_reports_and_fleet_tabs_work_on_the_app_s_service_history_and_editor(app):
    assert app.reports.history is app.history
    panel = app.fleet.fleet
    assert panel.service is app.service and panel.history is app.history
    assert panel.tracker is app.monitor.tracker
    app.editor.value = valid_request()
    assert app.fleet.template == app.editor.value


def test_the_connection_settings_are_built_when_the_fold_is_opened(app):
    fold = app.connection_panel.children[1]
    fold.tooltip = "where requests go"  # no opening: nothing built
    fold.add_class("aaw-elsewhere")
    assert not built(fold.body.children[0])
    fold.selected_index = 0
    first, second, message = settings_shown(app)
    assert list(first.children) == [app.profile, app.region]
    assert list(second.children) == [app.endpoint, app.connect_button]
    assert message is app.connection_message and message.value == ""
    texts = [(c.description, c.placeholder) for c in (app.profile, app.region, app.endpoint)]
    assert texts == [
        ("Profile", "default"),
        ("Region", "from your AWS config"),
        ("Endpoint URL", "https://... (optional)"),
    ]
    for text in (app.profile, app.region, app.endpoint):  # the whole label shown
        assert text.style.description_width == WIDE["description_width"]
    button = app.connect_button
    assert (button.description, button.icon) == ("Connect to AWS", "plug")


def test_a_setting_asked_for_from_python_builds_the_panel_and_other_names_are_errors(app):
    assert app.profile.description == "Profile"  # before the fold was ever opened
    assert len(settings_shown(app)) == 3
    with pytest.raises(AttributeError, match=r"^no_such_part$"):
        app.no_such_part  # noqa: B018
    assert getattr(app, "no_such_part", None) is None


def test_the_connect_button_says_why_a_profile_does_not_work_and_changes_nothing(app, service):
    app.profile.value = "no-such-profile"
    app.connect_button.click()
    message = app.connection_message.value
    before, after = error_html("\0").split("\0")  # said as an error
    assert message.startswith(before) and message.endswith(after)
    assert "no-such-profile" in message
    assert app.service is service and app.editor.service is service
    assert app.target == "aws"
    assert app.connect_aws() is False


def test_connecting_moves_every_part_to_the_settings_typed(
    app, emulator, tmp_path, monkeypatch, clock
):
    profiles_of_two_accounts(tmp_path, monkeypatch, "other")
    before = app.service
    app.profile.value = " home "
    app.region.value = " us-east-1 "
    app.endpoint.value = f" {emulator.url} "
    assert app.connect_aws() is True
    assert app.connection_message.value == "Connected."
    assert app.service is not before
    assert app.service.connection.describe()["profile"] == "home"
    assert app.editor.service is app.service and app.monitor.tracker.service is app.service
    assert app.target == "aws" and app.endpoint_url == emulator.url
    assert app.where.value == aws_words("home", "us-east-1", emulator.url)
    assert not built(app.tabs.children[3])  # the Fleet tab is built when shown, on this service
    assert app.fleet.fleet.service is app.service
    # the new connection's calls are on the app's history too
    app_id = emulator.create_app("moved", ("dev",))
    job = app.service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName="dev"))
    assert app.history.status_of(job["JobId"]) == "IN_PROGRESS"


def test_connecting_moves_a_fleet_tab_already_built(app, emulator, tmp_path, monkeypatch):
    profiles_of_two_accounts(tmp_path, monkeypatch, "other")
    panel = app.fleet
    app.profile.value, app.region.value, app.endpoint.value = "home", "us-east-1", emulator.url
    assert app.connect_aws()
    assert app.fleet is panel and panel.fleet.service is app.service


def test_connecting_to_aws_s_own_endpoint_names_none(app, tmp_path, monkeypatch):
    profiles_of_two_accounts(tmp_path, monkeypatch, "other")
    app.profile.value, app.region.value = "home", "eu-west-1"
    assert app.connect_aws()
    assert app.where.value == aws_words("home", "eu-west-1")
    assert app.endpoint_url == "" and app.target == "aws"


def test_a_durable_app_keeps_the_draft_a_closed_page_left_and_the_next_shows_it(
    service, emulator, tmp_path, monkeypatch
):
    monkeypatch.setattr(drafts_module, "DEBOUNCE_SECONDS", 600)  # saved by closing, not later
    path = tmp_path / "history.sqlite3"
    first = AuthApp(service, history=JobHistory(path), durable=True, autostart=False)
    assert first.children[2] is first.drafts.widget and first.children[3] is first.tabs
    assert first.drafts.store.history is first.history
    first.editor.value = valid_request(AppId="kept", BackendEnvironmentName="dev")
    first.close()  # the pending draft is saved as the page closes
    second = AuthApp(service, history=JobHistory(path), durable=True, autostart=False)
    try:
        assert second.editor.value["AppId"] == "kept"
        assert "is back" in second.drafts.note.value
    finally:
        second.close()


def test_the_monitor_follows_what_the_editor_sends_and_tells_it_when_the_job_ends(
    app, emulator, clock
):
    tracker = app.monitor.tracker
    tracker.clock = clock
    app_id = emulator.create_app("followed", ("dev",))
    app.editor.value = valid_request(AppId=app_id, BackendEnvironmentName="dev")
    assert app.editor.create()
    app.editor.join()
    assert [row["app_id"] for row in app.monitor.jobs] == [app_id]
    assert app.editor.job_status == "IN_PROGRESS"
    while tracker.pending:
        clock.now = max(clock.now, tracker.next_due())
        tracker.poll_due()
    assert app.editor.job_status == "COMPLETED"
