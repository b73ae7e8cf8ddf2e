"""JobMonitor, driven from Python: the table, filters, progress, exports, the editor's jobs."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest
from conftest import valid_request

from amplify_auth_widgets import (
    AuthConfigEditor,
    BackendAuthService,
    JobHistory,
    JobMonitor,
    JobTracker,
)


@pytest.fixture
def monitor(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    service.on_call = history.record_call
    tracker = JobTracker(service, history, clock=clock)
    return JobMonitor(tracker, autostart=False)


def submit(emulator, monitor, name, env="dev"):
    app_id = emulator.create_app(name, (env,))
    response = monitor.tracker.service.create_backend_auth(
        valid_request(AppId=app_id, BackendEnvironmentName=env)
    )
    monitor.track(response)
    return app_id, response["JobId"]


def finish(monitor, clock):
    while monitor.tracker.pending:
        clock.now = max(clock.now, monitor.tracker.next_due())
        monitor.tracker.poll_due()


def test_table_progress_and_calls(emulator, monitor, clock):
    assert "No jobs yet" in monitor.table.value
    _, job_id = submit(emulator, monitor, "one")
    assert job_id[:8] in monitor.table.value and "IN_PROGRESS" in monitor.table.value
    assert monitor.progress.layout.visibility == "visible"
    assert "1 pending" in monitor.summary.value
    clock.advance(3)
    monitor.refresh()
    assert "0m03s" in monitor.table.value  # elapsed, from the injected clock
    finish(monitor, clock)
    assert "COMPLETED" in monitor.table.value and "0 pending" in monitor.summary.value
    assert monitor.progress.layout.visibility == "hidden"
    assert f"API calls: <b>{monitor.tracker.calls}</b>" in monitor.summary.value
    assert monitor.tracker.calls >= 1


def test_filters(emulator, monitor, clock):
    first, _ = submit(emulator, monitor, "a", env="dev")
    second, _ = submit(emulator, monitor, "b", env="prod")
    finish(monitor, clock)
    assert set(monitor.app_filter.options) == {"(all)", first, second}
    monitor.env_filter.value = "prod"
    assert second in monitor.table.value and first not in monitor.table.value
    monitor.env_filter.value = "(all)"
    monitor.status_filter.value = "COMPLETED"
    assert len(monitor.frame()) == 2
    monitor.app_filter.value = first
    assert list(monitor.frame()["app_id"]) == [first]


def test_failed_jobs_show_their_error(emulator, monitor, clock):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    app_id = emulator.create_app("bad", ("dev",))
    response = monitor.tracker.service.create_backend_auth(
        {**request, "AppId": app_id, "BackendEnvironmentName": "dev"}, force=True
    )
    monitor.track(response)
    finish(monitor, clock)
    assert "FAILED" in monitor.table.value and "MinimumLength 3 is not allowed" in (
        monitor.table.value
    )


def test_exports_and_timeline(emulator, monitor, clock):
    submit(emulator, monitor, "x")
    finish(monitor, clock)
    csv = monitor.export("csv")
    assert pd.read_csv(io.BytesIO(csv))["status"].tolist() == ["COMPLETED"]
    assert "jobs.csv" in monitor.download.value
    parquet = monitor.export("parquet")
    assert pd.read_parquet(io.BytesIO(parquet))["status"].tolist() == ["COMPLETED"]
    href = monitor.download.value.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(href) == parquet
    png = monitor.plot()
    assert png[:4] == b"\x89PNG" and monitor.timeline.png == png
    assert monitor.timeline.layout.display is None
    # shown with its text alternative: what the chart shows, counted
    assert monitor.timeline.alt == "Timeline of 1 job in 1 app environment: 1 COMPLETED."
    assert f'alt="{monitor.timeline.alt}"' in monitor.timeline.value
    assert base64.b64encode(png).decode() in monitor.timeline.value


def test_picks_up_the_editors_jobs(emulator, monitor, clock):
    editor = AuthConfigEditor(service=monitor.tracker.service)
    monitor.watch(editor)
    app_id = emulator.create_app("edited", ("dev",))
    editor.value = valid_request(AppId=app_id, BackendEnvironmentName="dev")
    editor.create()
    editor.join()
    assert len(monitor.tracker.jobs) == 1 and app_id in monitor.table.value
    finish(monitor, clock)
    assert "COMPLETED" in monitor.table.value


def test_resume_after_a_restart(emulator, clock, tmp_path):
    path = tmp_path / "h.sqlite3"
    service = BackendAuthService(emulator.connection())
    first = JobMonitor(JobTracker(service, JobHistory(path, clock), clock=clock), autostart=False)
    submit(emulator, first, "r")
    first.history.close()
    again = JobMonitor(
        JobTracker(BackendAuthService(emulator.connection()), JobHistory(path, clock), clock=clock),
        autostart=False,
    )
    assert not again.resume_button.disabled and "Resume 1 unfinished" in (
        again.resume_button.description
    )
    again.resume_button.click()
    assert len(again.tracker.jobs) == 1
    finish(again, clock)
    assert "COMPLETED" in again.table.value and again.resume_button.disabled


def test_start_stop_runs_the_tracker_in_the_background(emulator):
    service = BackendAuthService(emulator.connection())
    monitor = JobMonitor(service=service, history=JobHistory(":memory:"))
    assert monitor.tracker.running and monitor.tracking.value
    monitor.tracking.value = False
    assert not monitor.tracker.running
    with pytest.raises(ValueError, match="JobTracker, or a BackendAuthService"):
        JobMonitor()


def test_problems_are_shown_in_words(emulator, monitor, clock):
    app_id = emulator.create_app("ghost", ("dev",))
    monitor.tracker.track(app_id, "dev", "no-such-job")
    emulator.faults.throttle_rate = 1.0
    monitor.tracker.service.max_attempts = 1
    clock.advance(10)
    monitor.refresh(poll=True)
    assert "TooManyRequestsException" in monitor.problem.value
    assert "Traceback" not in monitor.problem.value


def test_the_monitor_is_a_widget_with_documented_traits(monitor):
    import ipywidgets as w

    assert isinstance(monitor, w.VBox) and monitor.widget is monitor
    assert "aaw-monitor" in monitor._dom_classes
    for name in ("jobs", "filters"):
        assert monitor.traits()[name].help, name
    assert "application/vnd.jupyter.widget-view+json" in monitor._repr_mimebundle_()
    # the filters' labels are whole words, shown in full
    labels = [c.description for c in (monitor.app_filter, monitor.env_filter)]
    assert labels == ["App", "Environment"]
    assert monitor.env_filter.style.description_width == "initial"


def test_jobs_trait_follows_the_table_and_can_be_observed(emulator, monitor, clock):
    seen = []
    monitor.observe(lambda change: seen.append(len(change["new"])), "jobs")
    app_id, job_id = submit(emulator, monitor, "observed")
    assert seen and seen[-1] == 1
    (row,) = monitor.jobs
    assert row["job_id"] == job_id and row["app_id"] == app_id
    assert row["status"] == "IN_PROGRESS" and row["finished"] == ""
    finish(monitor, clock)
    assert monitor.jobs[0]["status"] == "COMPLETED" and monitor.jobs[0]["finished"]


def test_filters_trait_moves_the_dropdowns_and_the_reverse(emulator, monitor, clock):
    import ipywidgets as w

    first, _ = submit(emulator, monitor, "a", env="dev")
    second, _ = submit(emulator, monitor, "b", env="prod")
    monitor.filters = {"environment": "prod"}
    assert monitor.env_filter.value == "prod"
    assert [r["app_id"] for r in monitor.jobs] == [second]
    monitor.app_filter.value = first
    assert monitor.filters == {"environment": "prod", "app_id": first}
    assert monitor.jobs == []
    monitor.filters = {}
    assert monitor.env_filter.value == "(all)" and len(monitor.jobs) == 2
    with pytest.raises(Exception, match="filters takes app_id, environment, status"):
        monitor.filters = {"region": "x"}
    # linked to another widget, as any trait
    chooser = w.Dropdown(options=["(all)", first, second], value="(all)")
    w.dlink((chooser, "value"), (monitor, "filters"), lambda v: {"app_id": v})
    chooser.value = second
    assert [r["app_id"] for r in monitor.jobs] == [second]


def test_on_job_done_gets_the_job_in_the_services_spelling(emulator, monitor, clock):
    done = []
    monitor.on_job_done(done.append)
    app_id, job_id = submit(emulator, monitor, "cb")
    assert done == []  # IN_PROGRESS is not an end
    finish(monitor, clock)
    assert done == [
        {
            "AppId": app_id,
            "BackendEnvironmentName": "dev",
            "JobId": job_id,
            "Operation": "CreateBackendAuth",
            "Status": "COMPLETED",
            "Error": "",
        }
    ]
    monitor.on_job_done(done.append, remove=True)
    submit(emulator, monitor, "cb2")
    finish(monitor, clock)
    assert len(done) == 1


def test_the_timeline_legend_stays_off_the_bars(emulator, monitor, clock):
    from amplify_auth_widgets.jobs.report import plot_timeline

    for name in ("l1", "l2", "l3"):
        submit(emulator, monitor, name)
    finish(monitor, clock)
    figure = plot_timeline(monitor.history.jobs())
    figure.canvas.draw()
    (axes,) = figure.axes
    legend = axes.get_legend().get_window_extent()
    plot_area = axes.get_window_extent()
    assert not legend.overlaps(plot_area), (legend, plot_area)


def test_a_refresh_that_fails_stays_in_words_over_an_older_problem(monitor):
    monitor.tracker.problems.append("ListBackendJobs d1/dev: slow down (TooManyRequests)")
    monitor.refresh()

    def broken(*args, **kwargs):
        raise ConnectionError("the service went away")

    monitor.tracker.poll_due = broken
    monitor.refresh(poll=True)
    assert monitor.announcement.message == "Refresh failed: the service went away"
    assert "Refresh failed: the service went away" in monitor.problem.value
    assert "TooManyRequests" not in monitor.problem.value


def test_a_filter_waiting_for_its_first_job_holds_when_other_jobs_arrive(emulator, monitor, clock):
    first, _ = submit(emulator, monitor, "a")
    seen = []
    monitor.observe(lambda change: seen.append(change["new"]), "filters")
    monitor.filters = {"app_id": "d-not-yet"}  # a value with no job yet: offered
    second, _ = submit(emulator, monitor, "b")  # a new app: the App dropdown grows
    assert monitor.filters == {"app_id": "d-not-yet"} and monitor.app_filter.value == "d-not-yet"
    assert set(monitor.app_filter.options) == {"(all)", first, second, "d-not-yet"}
    assert monitor.jobs == []
    assert seen == [{"app_id": "d-not-yet"}]  # the filter never dropped on the way
    # a status the dropdown did not offer yet leaves a chosen status as it was
    monitor.filters = {"status": "IN_PROGRESS"}
    finish(monitor, clock)
    assert monitor.filters == {"status": "IN_PROGRESS"} and monitor.jobs == []
    assert seen[-1] == {"status": "IN_PROGRESS"}
