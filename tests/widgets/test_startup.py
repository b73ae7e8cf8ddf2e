"""What the app's first screen costs the kernel: the job monitor, a tab not shown at first,
draws its table (the history's frames, which import pandas) only when asked to; a tracked job
draws it as before."""

from __future__ import annotations

import subprocess
import sys

from conftest import valid_request

from amplify_auth_widgets import BackendAuthService, JobHistory, JobMonitor, JobTracker


def test_a_monitor_made_not_to_draw_draws_at_its_first_refresh_or_job(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    service.on_call = history.record_call
    monitor = JobMonitor(JobTracker(service, history, clock=clock), autostart=False, draw=False)
    assert monitor.table.value == "" and monitor.summary.value == ""
    monitor.refresh()
    assert "No jobs yet" in monitor.table.value and "0 pending" in monitor.summary.value
    app_id = emulator.create_app("drawn", ("dev",))
    again = JobMonitor(JobTracker(service, history, clock=clock), autostart=False, draw=False)
    response = service.create_backend_auth(
        valid_request(AppId=app_id, BackendEnvironmentName="dev")
    )
    again.track(response)
    assert [row["app_id"] for row in again.jobs] == [app_id]
    assert response["JobId"][:8] in again.table.value


def test_pandas_is_imported_by_drawing_which_a_monitor_does_at_once_by_default():
    script = (
        "import sys\n"
        "from amplify_auth_widgets import JobHistory, JobMonitor, JobTracker\n"
        "from amplify_auth_widgets.client.service import BackendAuthService\n"
        "from amplify_auth_widgets.client.connection import Connection\n"
        "service = BackendAuthService(Connection.for_emulator('http://127.0.0.1:9'))\n"
        "tracker = JobTracker(service, JobHistory(':memory:'))\n"
        "JobMonitor(tracker, autostart=False, draw=False)\n"
        "assert 'pandas' not in sys.modules, 'drawn'\n"
        "monitor = JobMonitor(tracker, autostart=False)\n"
        "assert 'pandas' in sys.modules and 'No jobs yet' in monitor.table.value\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_the_app_s_first_screen_imports_no_pandas_and_its_jobs_tab_draws_when_shown(emulator):
    script = (
        "import sys\n"
        "from amplify_auth_widgets import AuthApp, BackendAuthService, JobHistory\n"
        "from amplify_auth_widgets.client.connection import Connection\n"
        "from amplify_auth_widgets.widgets.app import TABS\n"
        f"service = BackendAuthService(Connection.for_emulator({emulator.url!r}))\n"
        "app = AuthApp(service, history=JobHistory(':memory:'), autostart=False)\n"
        "assert 'pandas' not in sys.modules, 'the first screen imported pandas'\n"
        "assert app.monitor.table.value == ''\n"
        "app.tabs.selected_index = TABS.index('Jobs')\n"
        "assert 'No jobs yet' in app.monitor.table.value, app.monitor.table.value\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
