"""AuthApp as a widget: its parts composed through their public API, the job's end reaching the
editor's status, the reports tab, and ``local()``, the notebook's shared emulator."""

from __future__ import annotations

import os
import subprocess
import sys

import ipywidgets as w
import pytest
from conftest import valid_request

import amplify_auth_widgets as aaw
from amplify_auth_widgets import AuthApp, BackendAuthService, JobHistory


@pytest.fixture
def app(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    app = AuthApp(service, history=JobHistory(":memory:", clock), autostart=False)
    app.monitor.tracker.clock = clock
    yield app
    app.close()


def finish(app, clock):
    tracker = app.monitor.tracker
    while tracker.pending:
        clock.now = max(clock.now, tracker.next_due())
        tracker.poll_due()


def test_the_app_is_a_widget_exported_at_the_top(app):
    assert aaw.AuthApp is AuthApp and "AuthApp" in aaw.__all__ and "local" in aaw.__all__
    assert isinstance(app, w.VBox) and app.widget is app and "aaw-app" in app._dom_classes
    assert [app.tabs.get_title(i) for i in range(3)] == ["Configure", "Jobs", "Reports"]
    assert list(app.tabs.children)[:2] == [app.editor, app.monitor]
    reports = app.reports  # built when first asked for (or shown)
    assert app.tabs.children[2].children == (reports,)
    for name in ("target", "endpoint_url"):
        assert app.traits()[name].help, name
    assert app.target == "aws" and app.endpoint_url.startswith("http://127.0.0.1:")


def test_the_first_screen_builds_at_most_a_third_of_the_whole_app(app):
    from amplify_auth_widgets.widgets.app import view_size

    first = view_size(app)
    sign_in = app.editor.sections[1]
    closed = next(s for s in app.editor.sections if not s.section.open)
    assert sign_in.built and not closed.built and closed.body.children == ()
    closed.fold.selected_index = 0  # opening a section builds it
    assert closed.built and closed.body.children
    app.tabs.selected_index = 3  # so does showing a tab
    assert app.tabs.children[3].children == (app.fleet,)
    app.build_all()
    whole = view_size(app)
    assert first * 3 <= whole, (first, whole)
    assert view_size(app.editor.form_box) > 3 * 50  # every section's fields are in the tree


def test_a_jobs_end_reaches_the_editors_action_bar(emulator, app, clock):
    app_id = emulator.create_app("journey", ("dev",))
    app.editor.value = valid_request(AppId=app_id, BackendEnvironmentName="dev")
    assert app.editor.create()
    app.editor.join()
    assert app.editor.job_status == "IN_PROGRESS"
    assert [r["app_id"] for r in app.monitor.jobs] == [app_id]
    finish(app, clock)
    assert app.editor.job_status == "COMPLETED"
    assert "COMPLETED" in app.editor.status


def test_the_reports_tab_draws_summary_and_plots_when_opened(emulator, app, clock):
    assert app.reports.report is None
    app.tabs.selected_index = 2
    assert "No jobs in the history yet" in app.reports.table.value
    app_id = emulator.create_app("reported", ("dev",))
    app.editor.value = valid_request(AppId=app_id, BackendEnvironmentName="dev")
    app.editor.create()
    app.editor.join()
    clock.advance(5)
    finish(app, clock)
    app.tabs.selected_index = 0
    app.tabs.selected_index = 2
    frame = app.reports.report
    assert frame.loc["CreateBackendAuth", "completed"] == 1
    assert frame.loc["(all)", "success_rate"] == 1.0
    assert frame.loc["CreateBackendAuth", "p50_duration"].total_seconds() == pytest.approx(
        5, abs=0.01
    )
    html = app.reports.table.value
    assert "Success rate" in html and "100%" in html and "p95 duration" in html
    assert app.reports.timeline.png[:4] == b"\x89PNG"
    assert app.reports.status_plot.png[:4] == b"\x89PNG"


def test_a_bad_aws_profile_is_said_in_words_and_changes_nothing(app):
    before = app.service
    app.profile.value = "no-such-profile"
    assert app.connect_aws() is False
    assert "no-such-profile" in app.connection_message.value
    assert app.service is before and app.editor.service is before


def test_connecting_elsewhere_moves_editor_and_monitor(app, emulator):
    panel = app.fleet  # built on the first service
    app.endpoint.value = emulator.url
    app.region.value = "us-east-1"
    assert app.connect_aws()
    assert app.editor.service is app.service and app.monitor.tracker.service is app.service
    assert app.fleet is panel and panel.fleet.service is app.service  # (panel.set_service)
    assert app.target == "aws" and app.endpoint_url == emulator.url


def test_local_is_shared_survives_its_cell_and_stops_at_exit(tmp_path):
    # A separate interpreter: the emulator must be alive after the call returns (as after a
    # cell), the same object on a second call, and gone once the process has exited.
    script = (
        "import amplify_auth_widgets as aaw, urllib.request\n"
        "def cell():\n"
        "    return aaw.local(job_seconds=0)\n"
        "emu = cell()\n"
        "assert aaw.local() is emu\n"
        "apps = emu.client('amplify').list_apps()\n"
        "print(emu.db, sorted(a['appId'] for a in apps['apps'])[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    state, first_app = out
    assert first_app.startswith("d1demo")
    # stopped at exit: a stopped emulator removes its temporary state file
    assert not os.path.exists(state)
