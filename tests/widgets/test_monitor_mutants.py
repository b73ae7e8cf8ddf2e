"""The job monitor as a person first meets it and as it then reads: each control's label,
icon and state, what each press reaches, the table's words, the summary and the progress,
the filters, and what the live region says. The jobs are written to a history in memory and
the tracker's service is never asked (nothing is sent), so the file takes about a second."""

from __future__ import annotations

import io
import types
from typing import Any

import pandas as pd
import pytest
from support.htmltext import text_of
from support.widgetface import as_shown

from amplify_auth_widgets import JobHistory, JobMonitor, JobTracker
from amplify_auth_widgets.widgets import monitor as monitor_module
from amplify_auth_widgets.widgets.monitor import ALL, badge, elapsed_text
from amplify_auth_widgets.widgets.style import STRIPE, WIDE, job_badge

START = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def quiet(clock: Clock | None = None, **kwargs: Any) -> JobMonitor:
    """A monitor over a history in memory whose tracker never asks a service."""
    clock = clock or Clock()
    tracker = JobTracker(None, JobHistory(":memory:", clock), clock=clock)  # type: ignore[arg-type]
    return JobMonitor(tracker, autostart=False, **kwargs)


def record(
    monitor: JobMonitor,
    job_id: str,
    status: str,
    *,
    app: str = "d1",
    env: str = "dev",
    operation: str = "CreateBackendAuth",
    created: float = START,
    finished: float | None = None,
    error: str | None = None,
) -> None:
    """A job on record, as an earlier session (or another kernel) left it."""
    job = {
        "JobId": job_id,
        "AppId": app,
        "BackendEnvironmentName": env,
        "Operation": operation,
        "Status": status,
        "CreateTime": created,
    }
    if error is not None:
        job["Error"] = error
    if finished is not None:
        job["UpdateTime"] = finished
    monitor.history.record_status(job, finished if finished is not None else created)


#: Each control as the monitor first shows it (nothing tracked, the history empty).
FACE: dict[str, dict[str, Any]] = {
    "app_filter": {"kind": "Dropdown", "description": "App", "options": (ALL,), "value": ALL},
    "env_filter": {
        "kind": "Dropdown",
        "description": "Environment",
        "options": (ALL,),
        "value": ALL,
    },
    "status_filter": {"kind": "Dropdown", "description": "Status", "options": (ALL,), "value": ALL},
    "tracking": {"kind": "ToggleButton", "description": "Tracking", "icon": "play", "value": False},
    "refresh_button": {"kind": "Button", "description": "Refresh", "icon": "refresh"},
    "resume_button": {
        "kind": "Button",
        "description": "Resume unfinished",
        "icon": "history",
        "disabled": True,
    },
    "plot_button": {"kind": "Button", "description": "Timeline", "icon": "bar-chart"},
    "csv_button": {"kind": "Button", "description": "CSV", "icon": "download"},
    "parquet_button": {"kind": "Button", "description": "Parquet", "icon": "download"},
}
FILTERS = ["app_filter", "env_filter", "status_filter"]
BUTTONS = [
    "tracking",
    "refresh_button",
    "resume_button",
    "plot_button",
    "csv_button",
    "parquet_button",
]


def test_every_control_first_shows_its_label_icon_and_state():
    monitor = quiet()
    shown = {name: as_shown(getattr(monitor, name), face) for name, face in FACE.items()}
    assert shown == FACE
    for name in FILTERS:  # labels in full ("Environment", not "environm…")
        assert getattr(monitor, name).style.description_width == WIDE["description_width"]
    for name in BUTTONS:  # as wide as their words
        assert getattr(monitor, name).layout.width == "auto", name


def test_the_parts_in_order_the_summary_and_the_empty_table_first_shown():
    monitor = quiet()
    assert len(monitor.children) == 7
    top, live, filters, buttons, problem, table, timeline = monitor.children
    assert top.children == (monitor.summary, monitor.progress)
    assert live is monitor.announcement and live.message == ""
    assert list(filters.children) == [getattr(monitor, n) for n in FILTERS]
    assert list(buttons.children) == [*(getattr(monitor, n) for n in BUTTONS), monitor.download]
    for row in (filters, buttons):  # a narrow page wraps them rather than cutting them off
        assert row.layout.flex_flow == "row wrap"
    assert (problem, table, timeline) == (monitor.problem, monitor.table, monitor.timeline)
    assert text_of(monitor.summary.value) == "0 pending · 0 completed · 0 failed · API calls: 0"
    assert (
        text_of(monitor.table.value) == "No jobs yet. Submit a request, or resume unfinished jobs."
    )
    assert monitor.problem.value == "" and monitor.download.value == ""
    progress = monitor.progress
    assert (progress.value, progress.min, progress.max) == (0, 0, 1)
    assert progress.bar_style == "info" and progress.layout.width == "200px"
    assert progress.layout.visibility == "hidden"  # nothing pending
    assert monitor.timeline.layout.display == "none"  # drawn on demand


def test_drawn_at_the_first_refresh_when_asked_not_to_draw():
    monitor = quiet(draw=False)
    record(monitor, "job-1", "COMPLETED", finished=START + 5)
    assert monitor.table.value == "" and monitor.summary.value == "" and monitor.jobs == []
    progress = monitor.progress  # before its first draw, the bar says nothing is done yet
    assert (progress.value, progress.min, progress.max) == (0, 0, 1)
    assert monitor.resume_button.description == "Resume unfinished"
    monitor.refresh()
    assert "job-1" in text_of(monitor.table.value) and len(monitor.jobs) == 1


def test_tracking_runs_the_tracker_and_its_icon_says_what_a_press_does():
    monitor = quiet()
    assert not monitor.tracker.running
    monitor.tracking.value = True  # as a press does
    try:
        assert monitor.tracker.running and monitor.tracking.icon == "stop"
    finally:
        monitor.tracking.value = False
    assert not monitor.tracker.running and monitor.tracking.icon == "play"
    monitor.start()
    assert monitor.tracking.value and monitor.tracker.running
    monitor.stop()
    assert not monitor.tracking.value and not monitor.tracker.running


def test_each_button_reaches_what_it_says():
    monitor = quiet()
    record(monitor, "job-1", "COMPLETED", finished=START + 5)
    polled, resumed = [], []
    monitor.tracker.poll_due = lambda *a, **k: polled.append(1) or 0  # type: ignore[method-assign]
    monitor.tracker.resume = lambda: resumed.append(1) or []  # type: ignore[method-assign]
    monitor.refresh_button.click()
    assert polled == [1]  # Refresh asks about the due jobs first
    monitor.resume_button.click()
    assert resumed == [1]
    monitor.plot_button.click()
    assert monitor.timeline.png[:4] == b"\x89PNG" and monitor.timeline.layout.display is None
    assert 'class="aaw-plot aaw-timeline"' in monitor.timeline.value  # the theme's class
    monitor.csv_button.click()
    assert 'download="jobs.csv"' in monitor.download.value
    assert 'href="data:text/csv;base64,' in monitor.download.value
    monitor.parquet_button.click()
    assert 'download="jobs.parquet"' in monitor.download.value
    assert 'href="data:application/vnd.apache.parquet;base64,' in monitor.download.value


def test_exports_give_the_filtered_jobs():
    monitor = quiet()
    record(monitor, "job-1", "COMPLETED", app="d1", finished=START + 5)
    record(monitor, "job-2", "COMPLETED", app="d2", finished=START + 5)
    monitor.filters = {"app_id": "d2"}
    assert pd.read_csv(io.BytesIO(monitor.export("csv")))["job_id"].tolist() == ["job-2"]
    assert monitor.export() == monitor.export("csv")  # CSV unless asked
    parquet = pd.read_parquet(io.BytesIO(monitor.export("parquet")))
    assert parquet["job_id"].tolist() == ["job-2"]


def test_the_timeline_of_no_job_says_so_and_one_that_cannot_be_drawn_says_why(monkeypatch):
    monitor = quiet()
    assert monitor.plot() == b""
    assert text_of(monitor.problem.value) == "Nothing to plot yet."
    record(monitor, "job-1", "COMPLETED", finished=START + 5)
    assert monitor.plot()[:4] == b"\x89PNG"

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(monitor_module, "plot_timeline", broken)
    assert monitor.plot() == b""
    assert text_of(monitor.problem.value) == "The timeline could not be drawn: no fonts"
    assert monitor.timeline.layout.display == "none"  # the old picture goes


def test_elapsed_times_read_in_minutes_and_hours():
    assert elapsed_text(0) == "0m00s"
    assert elapsed_text(59.9) == "0m59s"
    assert elapsed_text(61) == "1m01s"
    assert elapsed_text(3599) == "59m59s"
    assert elapsed_text(3600) == "1h00m00s"
    assert elapsed_text(3723) == "1h02m03s"
    assert elapsed_text(-4) == "0m00s"  # a clock a little behind the service's is no error


def test_a_status_badge_is_the_status_on_its_colour():
    assert badge("FAILED") == (
        f'<span class="aaw-badge" style="{job_badge("FAILED")};padding:1px 6px;'
        'border-radius:8px;font-size:90%">FAILED</span>'
    )
    assert "&lt;b&gt;" in badge("<b>")


def test_the_table_newest_first_with_each_jobs_columns():
    clock = Clock()
    monitor = quiet(clock)
    record(monitor, "0123456789-old", "COMPLETED", app="d1", created=START, finished=START + 65)
    record(
        monitor,
        "abcdefghij-new",
        "FAILED",
        app="d2",
        env="prod",
        operation="UpdateBackendAuth",
        created=START + 100,
        finished=START + 112,
        error="MinimumLength 3 is not allowed",
    )
    record(monitor, "pending-job", "IN_PROGRESS", app="d3", created=START + 200)
    clock.now = START + 200 + 3723
    monitor.refresh()
    value = monitor.table.value
    assert value.startswith(monitor_module.TABLE_STYLE)
    assert '<table class="aaw-jobs">' in value
    head = value.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert text_of(head.replace("</th>", "|")) == (
        "job|app|environment|operation|status|elapsed|error|"
    )
    body = value.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [text_of(row.replace("</td>", "|")) for row in body.split("</tr>") if row.strip()]
    assert rows == [
        "pending-|d3|dev|CreateBackendAuth|IN_PROGRESS|1h02m03s||",
        "abcdefgh|d2|prod|UpdateBackendAuth|FAILED|0m12s|MinimumLength 3 is not allowed|",
        "01234567|d1|dev|CreateBackendAuth|COMPLETED|1m05s||",
    ]
    assert "<code title='abcdefghij-new'>abcdefgh</code>" in value  # the whole id on hover


def test_a_job_the_tracker_gave_up_on_shows_its_verdict():
    monitor = quiet()
    record(monitor, "slow", "IN_PROGRESS")
    monitor.history.record_timeout("slow", START + 3600)
    monitor.refresh()
    assert "TIMED_OUT (local)" in text_of(monitor.table.value)
    (row,) = monitor.jobs
    assert row["status"] == "TIMED_OUT (local)" and row["error"] == ""


def test_the_jobs_trait_gives_each_job_as_text():
    monitor = quiet()
    record(monitor, "job-1", "FAILED", created=START, finished=START + 12, error="boom")
    record(monitor, "job-2", "IN_PROGRESS", app="d2", created=START + 1)
    monitor.refresh()
    assert [r["job_id"] for r in monitor.jobs] == ["job-2", "job-1"]  # newest first
    pending, failed = monitor.jobs
    assert failed == {
        "job_id": "job-1",
        "app_id": "d1",
        "environment": "dev",
        "operation": "CreateBackendAuth",
        "status": "FAILED",
        "created": pd.Timestamp(START, unit="s", tz="UTC").isoformat(),
        "finished": pd.Timestamp(START + 12, unit="s", tz="UTC").isoformat(),
        "error": "boom",
    }
    assert pending["finished"] == "" and pending["error"] == ""


def test_the_summary_progress_and_resume_count_the_jobs():
    monitor = quiet()
    record(monitor, "done-1", "COMPLETED", finished=START + 5)
    record(monitor, "done-2", "COMPLETED", finished=START + 5)
    record(monitor, "bad", "FAILED", finished=START + 5)
    record(monitor, "left-1", "IN_PROGRESS")
    record(monitor, "left-2", "IN_PROGRESS")
    monitor.refresh()
    assert text_of(monitor.summary.value) == "0 pending · 2 completed · 1 failed · API calls: 0"
    assert not monitor.resume_button.disabled
    assert monitor.resume_button.description == "Resume 2 unfinished"
    # one of them tracked here: pending, and no longer offered to resume
    monitor.tracker.track("d1", "dev", "left-1", "CreateBackendAuth", "IN_PROGRESS", START)
    monitor.tracker.track("d1", "dev", "done-9", "CreateBackendAuth", "COMPLETED", START)
    monitor.tracker.calls = 7
    monitor.refresh()
    assert text_of(monitor.summary.value) == "1 pending · 3 completed · 1 failed · API calls: 7"
    assert monitor.resume_button.description == "Resume 1 unfinished"
    progress = monitor.progress
    assert (progress.value, progress.max) == (1, 2)  # one of the two tracked has ended
    assert progress.layout.visibility == "visible"
    monitor.tracker.track("d1", "dev", "left-2", "CreateBackendAuth", "IN_PROGRESS", START)
    monitor.refresh()
    assert monitor.resume_button.disabled and monitor.resume_button.description == (
        "Resume unfinished"
    )


def test_the_filters_offer_each_value_sorted_and_keep_a_choice_still_offered():
    monitor = quiet()
    record(monitor, "j1", "COMPLETED", app="d2", env="prod", finished=START + 5)
    record(monitor, "j2", "FAILED", app="d1", env="dev", finished=START + 5)
    monitor.refresh()
    assert monitor.app_filter.options == (ALL, "d1", "d2")
    assert monitor.env_filter.options == (ALL, "dev", "prod")
    assert monitor.status_filter.options == (ALL, "COMPLETED", "FAILED")
    monitor.status_filter.value = "FAILED"
    assert monitor.filters == {"status": "FAILED"}
    assert [r["job_id"] for r in monitor.jobs] == ["j2"]
    record(monitor, "j3", "COMPLETED", app="d0", finished=START + 5)
    monitor.refresh()  # a new app offered, the choice kept
    assert monitor.app_filter.options == (ALL, "d0", "d1", "d2")
    assert monitor.status_filter.value == "FAILED"
    monitor.status_filter.value = ALL
    assert monitor.filters == {} and len(monitor.jobs) == 3


def test_a_filter_for_a_value_with_no_job_yet_is_offered_and_kept():
    monitor = quiet()
    record(monitor, "j1", "COMPLETED", app="d1", finished=START + 5)
    monitor.filters = {"app_id": "later"}
    assert monitor.app_filter.value == "later" and "later" in monitor.app_filter.options
    assert monitor.jobs == []
    monitor.refresh()
    assert monitor.app_filter.options == (ALL, "d1", "later")
    assert monitor.app_filter.value == "later"


def test_the_filters_trait_takes_text_and_drops_what_keeps_everything():
    monitor = quiet()
    monitor.filters = {"app_id": None, "status": ALL, "environment": 5}
    assert monitor.filters == {"environment": "5"}
    assert monitor.env_filter.value == "5"
    with pytest.raises(Exception) as raised:
        monitor.filters = {"zone": "x", "region": "y"}
    assert str(raised.value) == "filters takes app_id, environment, status; not region, zone"


def test_a_refresh_that_fails_is_shown_and_said():
    monitor = quiet()

    def broken(*args: Any, **kwargs: Any) -> int:
        raise ConnectionError("the service went away")

    monitor.tracker.poll_due = broken  # type: ignore[method-assign]
    said: list[str] = []
    monitor.announcement.observe(lambda change: said.append(change["new"]), names="message")
    monitor.refresh(poll=True)
    assert said == ["Refresh failed: the service went away"]
    assert text_of(monitor.problem.value) == "Refresh failed: the service went away"
    monitor.refresh()  # no poll, no failure: nothing said again
    assert said == ["Refresh failed: the service went away"]


def test_the_trackers_latest_problem_is_shown_and_said_once():
    monitor = quiet()
    said: list[str] = []
    monitor.announcement.observe(lambda change: said.append(change["new"]), names="message")
    monitor.tracker.problems.append("ListBackendJobs d1/dev: slow down (TooManyRequests)")
    monitor.refresh()
    monitor.refresh()
    assert said == ["ListBackendJobs d1/dev: slow down (TooManyRequests)"]
    assert text_of(monitor.problem.value) == "ListBackendJobs d1/dev: slow down (TooManyRequests)"
    monitor.tracker.problems.append("GetBackendJob d1/dev: gone")
    monitor.refresh()
    assert said[-1] == "GetBackendJob d1/dev: gone"
    assert text_of(monitor.problem.value) == "GetBackendJob d1/dev: gone"
    monitor.tracker.problems.clear()
    monitor.refresh()
    assert monitor.problem.value == ""


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


def _end(monitor: JobMonitor, job_id: str, status: str, **kwargs: Any) -> None:
    """The tracker sees ``job_id`` end with ``status``."""
    job = monitor.tracker.jobs.get(job_id) or monitor.tracker.track(
        kwargs.pop("app", "d1"), kwargs.pop("env", "dev"), job_id, kwargs.pop("operation", None)
    )
    job.status, job.error = status, kwargs.pop("error", None)
    monitor.tracker._emit(job, "IN_PROGRESS", status)


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> Monotonic:
    clock = Monotonic()
    monkeypatch.setattr(monitor_module, "time", types.SimpleNamespace(monotonic=clock.monotonic))
    return clock


def test_a_job_that_ends_is_said_with_its_operation_app_and_environment(monotonic):
    monitor = quiet()
    _end(monitor, "j1", "COMPLETED", operation="CreateBackendAuth", app="d2abc", env="dev")
    assert monitor.announcement.message == "CreateBackendAuth for d2abc, dev: COMPLETED"
    monotonic.now += 10
    _end(monitor, "j2", "FAILED", app="d2abc", env="prod", error="MinimumLength 3")
    assert monitor.announcement.message == "Job for d2abc, prod: FAILED. MinimumLength 3"


def test_jobs_that_end_within_two_seconds_are_said_together(monotonic):
    monitor = quiet()
    _end(monitor, "j1", "FAILED")
    monotonic.now += 2.0  # the edge: still together
    _end(monitor, "j2", "COMPLETED")
    assert monitor.announcement.message == "2 jobs ended: 1 COMPLETED, 1 FAILED"
    monotonic.now += 1.0  # three seconds after the first: said alone
    _end(monitor, "j3", "COMPLETED", operation="UpdateBackendAuth")
    assert monitor.announcement.message == "UpdateBackendAuth for d1, dev: COMPLETED"
    monotonic.now += 0.5
    _end(monitor, "j4", "COMPLETED")
    _end(monitor, "j5", "COMPLETED")
    assert monitor.announcement.message == "3 jobs ended: 3 COMPLETED"


def test_a_job_said_to_have_ended_is_not_said_again(monotonic):
    monitor = quiet()
    said: list[str] = []
    monitor.announcement.observe(lambda change: said.append(change["new"]), names="message")
    _end(monitor, "j1", "COMPLETED")
    monotonic.now += 10
    _end(monitor, "j1", "COMPLETED")
    assert said == ["Job for d1, dev: COMPLETED"]


def test_set_service_asks_the_new_one_and_redraws():
    monitor = quiet(draw=False)
    other = object()
    monitor.set_service(other)  # type: ignore[arg-type]
    assert monitor.tracker.service is other
    assert "No jobs yet" in monitor.table.value  # redrawn


def test_a_monitor_made_from_a_service_tracks_with_the_clock_given():
    clock = Clock()
    history = JobHistory(":memory:", clock)
    service = object()
    monitor = JobMonitor(service=service, history=history, clock=clock, autostart=False)  # type: ignore[arg-type]
    assert monitor.tracker.service is service  # the jobs are asked of it
    assert monitor.tracker.history is history and monitor.history is history
    assert monitor.clock is clock and monitor.tracker.clock is clock
    assert not monitor.tracker.running


def test_a_monitor_with_neither_a_tracker_nor_a_service_says_what_it_needs():
    with pytest.raises(ValueError) as raised:
        JobMonitor()
    assert str(raised.value) == "give the monitor a JobTracker, or a BackendAuthService"


def test_the_table_stripes_its_rows_and_aligns_its_cells_left():
    monitor = quiet()
    record(monitor, "job-1", "COMPLETED", finished=START + 5)
    monitor.refresh()
    style = monitor.table.value.split("</style>", 1)[0]
    assert ".aaw-jobs td,.aaw-jobs th{padding:2px 12px;text-align:left}" in style
    assert f".aaw-jobs tbody tr:nth-child(odd){{background:{STRIPE}}}" in style


def test_a_job_ended_reaches_the_callbacks_with_empty_text_for_what_is_unknown(monotonic):
    monitor = quiet()
    done: list[dict[str, Any]] = []
    monitor.on_job_done(done.append)
    _end(monitor, "j1", "FAILED", app="d2", env="prod", error="boom")
    _end(monitor, "j2", "COMPLETED", operation="UpdateBackendAuth")
    assert done == [
        {
            "AppId": "d2",
            "BackendEnvironmentName": "prod",
            "JobId": "j1",
            "Operation": "",
            "Status": "FAILED",
            "Error": "boom",
        },
        {
            "AppId": "d1",
            "BackendEnvironmentName": "dev",
            "JobId": "j2",
            "Operation": "UpdateBackendAuth",
            "Status": "COMPLETED",
            "Error": "",
        },
    ]


def test_a_response_that_names_only_its_job_is_tracked_with_the_request_sent():
    monitor = quiet()
    monitor.track(
        {"JobId": "j1", "Status": "IN_PROGRESS"},
        "UpdateBackendAuth",
        {"AppId": "d9", "BackendEnvironmentName": "qa"},
    )
    (row,) = monitor.jobs  # drawn at once
    assert (row["job_id"], row["app_id"], row["environment"], row["operation"]) == (
        "j1",
        "d9",
        "qa",
        "UpdateBackendAuth",
    )


def test_watching_an_editor_tracks_what_it_submits():
    class Editor:
        def on_submit(self, callback: Any) -> None:
            self.submitted = callback

    editor = Editor()
    monitor = quiet()
    monitor.watch(editor)
    editor.submitted(
        {"JobId": "j1", "Status": "IN_PROGRESS"},
        "DeleteBackendAuth",
        {"AppId": "d9", "BackendEnvironmentName": "qa"},
    )
    assert [(r["app_id"], r["operation"]) for r in monitor.jobs] == [("d9", "DeleteBackendAuth")]


def test_resume_tracks_each_unfinished_job_and_counts_them():
    monitor = quiet()
    record(monitor, "left-1", "IN_PROGRESS")
    record(monitor, "left-2", "IN_PROGRESS", app="d2")
    record(monitor, "done", "COMPLETED", finished=START + 5)
    assert monitor.resume() == 2
    assert sorted(monitor.tracker.jobs) == ["left-1", "left-2"]
    assert "2 pending" in text_of(monitor.summary.value)  # redrawn
    assert monitor.resume_button.disabled


def test_a_pending_jobs_bar_runs_to_the_monitors_clock(monkeypatch):
    clock = Clock()
    monitor = quiet(clock)
    record(monitor, "left", "IN_PROGRESS")
    clock.now = START + 90
    drawn: list[Any] = []
    plot_timeline = monitor_module.plot_timeline

    def spy(frame: Any, now: Any = None) -> Any:
        drawn.append(now)
        return plot_timeline(frame, now=now)

    monkeypatch.setattr(monitor_module, "plot_timeline", spy)
    assert monitor.plot()[:4] == b"\x89PNG"
    assert drawn == [pd.Timestamp("2027-01-15 08:01:30", tz="UTC")]
    assert str(drawn[0].tz) == "UTC"


def test_the_exports_hold_the_jobs_columns_and_no_index():
    import pyarrow.parquet as pq

    monitor = quiet()
    for number, app in enumerate(("d2", "d2", "d1", "d2")):
        record(monitor, f"job-{number}", "COMPLETED", app=app, created=START + number)
    monitor.filters = {"app_id": "d2"}  # rows 0, 1 and 3 are left: an index of no step
    columns = list(monitor.history.jobs().columns)
    assert list(pd.read_csv(io.BytesIO(monitor.export("csv"))).columns) == columns
    assert pq.read_table(io.BytesIO(monitor.export("parquet"))).column_names == columns
