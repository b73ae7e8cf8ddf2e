"""JobHistory and the reports: durable, safe with two writers, proper dtypes, plots, exports."""

from __future__ import annotations

import math
import multiprocessing
import struct
import warnings
from statistics import NormalDist
from typing import Any

import pandas as pd
import pytest
from conftest import valid_request
from support.jobs import job

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.jobs.report import figure_png, plot_status_counts, plot_timeline, summary
from amplify_auth_widgets.jobs.schedule import FIRST_QUANTILES


def utc_times(series):
    return isinstance(series.dtype, pd.DatetimeTZDtype) and str(series.dtype.tz) == "UTC"


@pytest.fixture
def filled(clock):
    history = JobHistory(":memory:", clock)
    for i, (status, seconds) in enumerate(
        [("COMPLETED", 30), ("COMPLETED", 50), ("FAILED", 20), ("IN_PROGRESS", 0)]
    ):
        history.record_status(job(f"j{i}", "IN_PROGRESS", app=f"d{i % 2}"))
        clock.advance(seconds)
        history.record_status(
            job(f"j{i}", status, app=f"d{i % 2}", Error="boom" if status == "FAILED" else None)
        )
    history.record_status(job("u1", "IN_PROGRESS", operation="UpdateBackendAuth"))
    clock.advance(10)
    history.record_status(job("u1", "COMPLETED", operation="UpdateBackendAuth"))
    return history


def test_jobs_frame_dtypes(filled):
    frame = filled.jobs()
    assert str(frame["job_id"].dtype) == "string" and str(frame["app_id"].dtype) == "string"
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["operation"].dtype, pd.CategoricalDtype)
    for column in ("created", "updated", "finished"):  # every time column, by name
        assert utc_times(frame[column]), (column, frame[column].dtype)
    times = [c for c in frame.columns if utc_times(frame[c])]
    assert times == ["created", "updated", "finished"]
    assert pd.api.types.is_timedelta64_dtype(frame["duration"])
    assert str(frame["error"].dtype) == "string"
    row = frame.set_index("job_id").loc["j1"]
    assert row["duration"] == pd.Timedelta(seconds=50) and row["status"] == "COMPLETED"
    assert pd.isna(frame.set_index("job_id").loc["j3", "finished"])
    # `updated` is when the job was last seen: j1 started when j0 ended (30 s in) and ended
    # 50 s later
    start = pd.Timestamp(1_800_000_000, unit="s", tz="UTC")
    assert row["updated"] == start + pd.Timedelta(seconds=80) == row["finished"]
    assert (frame["updated"] >= frame["created"]).all()
    assert frame.set_index("job_id").loc["j2", "error"] == "boom"


def test_summary(filled):
    table = filled.summary()
    create = table.loc["CreateBackendAuth"]
    assert (create["jobs"], create["completed"], create["failed"], create["in_progress"]) == (
        4,
        2,
        1,
        1,
    )
    assert create["success_rate"] == pytest.approx(2 / 3)
    assert create["p50_duration"] == pd.Timedelta(seconds=40)
    assert table.loc["(all)", "jobs"] == 5
    assert pd.api.types.is_timedelta64_dtype(table["p95_duration"])
    assert summary(filled.jobs()).equals(table)


def test_summary_without_a_completed_job(clock):
    history = JobHistory(":memory:", clock)
    empty = history.summary()
    assert empty.loc["(all)", "jobs"] == 0 and pd.isna(empty.loc["(all)", "p50_duration"])
    history.record_status(job("j", "FAILED", Error="boom"))
    table = history.summary()
    assert pd.api.types.is_timedelta64_dtype(table["p95_duration"])
    assert table.loc["CreateBackendAuth", "failed"] == 1
    assert pd.isna(table.loc["CreateBackendAuth", "p50_duration"])


def test_terminal_status_recorded_once(clock):
    history = JobHistory(":memory:", clock)
    assert history.record_status(job("j", "IN_PROGRESS"))
    assert not history.record_status(job("j", "IN_PROGRESS"))
    assert history.record_status(job("j", "COMPLETED"))
    assert not history.record_status(job("j", "COMPLETED"))
    assert not history.record_status(job("j", "FAILED"))  # nothing after the end
    assert history.terminal_event_counts() == {"j": 1}
    assert history.events()["status"].astype(str).tolist() == ["IN_PROGRESS", "COMPLETED"]


def test_a_late_observation_never_reopens_a_finished_job(tmp_path, clock):
    """Two kernels on one history: the one whose poll was slow reports IN_PROGRESS after the
    other recorded COMPLETED; the end stays the end."""
    path = tmp_path / "history.sqlite3"
    fast, slow = JobHistory(path, clock), JobHistory(path, clock)
    fast.record_status(job("j", "IN_PROGRESS"))
    clock.advance(30)
    assert fast.record_status(job("j", "COMPLETED"))
    clock.advance(5)
    assert not slow.record_status(job("j", "IN_PROGRESS"))
    assert not slow.record_status(job("j", "FAILED", Error="late"))
    for history in (fast, slow):
        row = history.jobs().iloc[0]
        assert (row["status"], row["finished"]) == (
            "COMPLETED",
            row["created"] + pd.Timedelta(30, "s"),
        )
        assert pd.isna(row["error"]) and history.unfinished() == []
        assert history.events()["status"].astype(str).tolist() == ["IN_PROGRESS", "COMPLETED"]
    fast.close()
    slow.close()


def test_requests_are_recorded_with_secrets_redacted(emulator, app_env, clock):
    app_id, _ = app_env
    history = JobHistory(":memory:", clock)
    service = BackendAuthService(emulator.connection(), on_call=history.record_call)
    response = service.create_backend_auth(valid_request(AppId=app_id))
    with pytest.raises(Exception, match="not found"):
        service.get_backend_job(app_id, "staging", "nope")
    frame = history.requests()
    assert frame["operation"].astype(str).tolist() == ["CreateBackendAuth", "GetBackendJob"]
    assert "g-secret-value" not in frame.to_csv()
    assert "<redacted>" in frame.loc[0, "request"]
    assert frame.loc[1, "http_status"] == 404 and frame.loc[1, "error_code"] == "NotFoundException"
    assert utc_times(frame["time"])
    assert history.status_of(response["JobId"]) == "IN_PROGRESS"  # the job is on record


def test_requests_carry_a_hash_and_submissions_join_their_jobs(clock):
    history = JobHistory(":memory:", clock)
    request_hash = history.request_hash
    request = valid_request(AppId="d1", BackendEnvironmentName="dev")
    started = {"JobId": "j1", "Status": "IN_PROGRESS", "AppId": "d1"}
    history.record_call("CreateBackendAuth", request, started, None)
    history.record_call("GetBackendJob", {"AppId": "d1", "JobId": "j1"}, {"Status": "X"}, None)
    history.record_status(job("j1", "COMPLETED"))
    digest = request_hash("CreateBackendAuth", request)
    assert history.requests()["request_hash"].iloc[0] == digest
    other = valid_request(AppId="d1", BackendEnvironmentName="dev")
    other["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"][
        "ClientSecret"
    ] = "another-secret"
    assert request_hash("CreateBackendAuth", other) != digest  # a new secret is a new request
    assert request_hash("UpdateBackendAuth", request) != digest
    frame = history.submissions()
    assert frame[["job_id", "request_hash", "status"]].astype(str).values.tolist() == [
        ["j1", digest, "COMPLETED"],
        ["j1", request_hash("GetBackendJob", {"AppId": "d1", "JobId": "j1"}), "COMPLETED"],
    ]
    assert str(frame["request_hash"].dtype) == "string" and utc_times(frame["time"])


@pytest.mark.filterwarnings("ignore:.*made private")  # sqlite3 made it 0644
def test_a_file_from_before_request_hashes_is_migrated(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE requests (id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, "
        "operation TEXT NOT NULL, app_id TEXT, env_name TEXT, job_id TEXT, request TEXT NOT "
        "NULL, response TEXT, error_code TEXT, error_message TEXT, http_status INTEGER, "
        "request_id TEXT)"
    )
    db.execute("INSERT INTO requests (time, operation, request) VALUES (1, 'GetBackendJob', '{}')")
    db.commit()
    db.close()
    history = JobHistory(path)
    history.record_call("GetBackendJob", {"AppId": "d1"}, {}, None)
    frame = history.requests()
    assert len(frame) == 2 and pd.isna(frame["request_hash"].iloc[0])
    assert frame["request_hash"].iloc[1] == history.request_hash("GetBackendJob", {"AppId": "d1"})


def _writer(path: str, worker: int, count: int) -> None:
    history = JobHistory(path)
    for i in range(count):
        history.record_status(job(f"w{worker}-{i}", "IN_PROGRESS"))
        history.record_status(job(f"w{worker}-{i}", "COMPLETED"))
        history.record_call(
            "GetBackendJob",
            {"AppId": "d1", "JobId": f"w{worker}-{i}"},
            {"Status": "COMPLETED"},
            None,
        )
    history.close()


def test_two_kernels_writing_at_once(tmp_path):
    path = str(tmp_path / "shared.sqlite3")
    JobHistory(path).close()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(path, w, 150)) for w in range(2)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
        assert process.exitcode == 0
    history = JobHistory(path)
    assert len(history.jobs()) == 300 and len(history.requests()) == 300
    assert set(history.terminal_event_counts().values()) == {1}


def test_history_survives_a_restart(tmp_path, clock):
    path = tmp_path / "h.sqlite3"
    with JobHistory(path, clock) as history:
        history.record_status(job("j", "IN_PROGRESS"))
    with JobHistory(path, clock) as again:
        assert [j["JobId"] for j in again.unfinished()] == ["j"]


def test_default_location_is_the_user_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("AMPLIFY_AUTH_DATA", raising=False)  # the tests' own data folder
    history = JobHistory()
    assert history.path.startswith(str(tmp_path)) and history.path.endswith("history.sqlite3")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_plots_render_to_png(filled):
    frame = filled.jobs()
    timeline = figure_png(plot_timeline(frame, now=frame["updated"].max()))
    counts = figure_png(plot_status_counts(filled.events(), "10s"))
    for png in (timeline, counts):
        width, height = _png_size(png)
        assert width > 300 and height > 100 and len(png) > 5000
    axes = plot_timeline(frame).axes[0]
    assert len(axes.patches) == 5  # one bar a job
    # times with nanoseconds (as the history's clock can give) plot without a warning
    frame["created"] += pd.Timedelta(1, "ns")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_timeline(frame, now=frame["updated"].max())
    assert [t.get_text() for t in axes.get_yticklabels()] == ["d0 / dev", "d1 / dev"]


def test_exports(filled, tmp_path):
    csv = filled.export(tmp_path / "jobs.csv")
    assert pd.read_csv(csv)["job_id"].tolist() == filled.jobs()["job_id"].tolist()
    parquet = filled.export(tmp_path / "jobs.parquet")
    back = pd.read_parquet(parquet)
    assert isinstance(back["status"].dtype, pd.CategoricalDtype)
    assert all(utc_times(back[c]) for c in ("created", "updated", "finished"))
    assert back["updated"].tolist() == filled.jobs()["updated"].tolist()
    filled.export(tmp_path / "events.csv", table="events")
    with pytest.raises(ValueError, match=r"\.csv or \.parquet"):
        filled.export(tmp_path / "jobs.xlsx")


def test_learned_durations_feed_the_tracker(filled, clock):
    tracker = JobTracker(
        BackendAuthService(), filled, clock=clock, policy=TrackerPolicy(min_samples=2)
    )
    assert sorted(filled.durations("CreateBackendAuth")) == [30.0, 50.0]
    # a log-normal fit to 30 s and 50 s: log-mean ln(sqrt(1500)), log-sd ln(50/30)/sqrt(2)
    mu, sigma = math.log(1500) / 2, math.log(50 / 30) / math.sqrt(2)
    schedule = tracker.schedule("CreateBackendAuth")
    # two samples say little: the predictive spread is wider by sqrt(1 + 1/2)
    quantile = NormalDist(mu, sigma * math.sqrt(1.5)).cdf(math.log(schedule.first))
    assert any(quantile == pytest.approx(q) for q in FIRST_QUANTILES)
    assert schedule.first < math.exp(mu) < schedule.dense_until
    assert schedule.median_delay <= 0.9  # no later than polling every 2 s
    assert schedule.expected_calls < math.exp(mu) / 2  # and cheaper
    assert tracker.window("CreateBackendAuth") == (schedule.first, schedule.dense_until)
    assert tracker.schedule("UpdateBackendAuth") is None  # one sample is too few
    assert tracker.schedule("DeleteBackendAuth") is None  # none at all
    # a new job of that operation is first asked about when the schedule says, not before
    job = tracker.track("d9", "dev", "new", "CreateBackendAuth", "IN_PROGRESS")
    assert job.next_poll - job.created == pytest.approx(schedule.first)


# -- a local verdict never overrides a terminal status -------------------------------------


@pytest.mark.parametrize("final", ["COMPLETED", "FAILED"])
def test_timeout_after_another_history_saw_the_end_is_not_recorded(tmp_path, clock, final):
    """Two kernels on one file: one saw the job finish, the other's tracker then gives up."""
    path = tmp_path / "shared.sqlite3"
    with JobHistory(path, clock) as saw_the_end, JobHistory(path, clock) as gave_up:
        gave_up.record_status(job("j", "IN_PROGRESS"))
        clock.advance(5)
        saw_the_end.record_status(job("j", final))
        clock.advance(5)
        assert gave_up.record_timeout("j") is False
        for history in (saw_the_end, gave_up):
            row = history.jobs().set_index("job_id").loc["j"]
            assert row["status"] == final and not row["timed_out"]
            assert "TIMED_OUT" not in " ".join(history.events()["status"].astype(str))


def test_a_terminal_status_after_a_timeout_clears_the_verdict(tmp_path, clock):
    path = tmp_path / "shared.sqlite3"
    with JobHistory(path, clock) as one, JobHistory(path, clock) as other:
        one.record_status(job("j", "IN_PROGRESS"))
        assert one.record_timeout("j") is True
        assert other.jobs().set_index("job_id").loc["j", "timed_out"]
        other.record_status(job("j", "COMPLETED"))
        row = one.jobs().set_index("job_id").loc["j"]
        assert row["status"] == "COMPLETED" and not row["timed_out"]


def _race(path: str, job_id: str, action: str, start: Any) -> None:
    history = JobHistory(path)
    start.wait()
    if action == "timeout":
        history.record_timeout(job_id)
    else:
        history.record_status(job(job_id, "COMPLETED"))
    history.close()


def test_terminal_status_wins_over_a_concurrent_timeout(tmp_path):
    """Whichever process writes first, no finished job ends up marked timed out."""
    path = str(tmp_path / "race.sqlite3")
    jobs = [f"r{i}" for i in range(4)]
    with JobHistory(path) as history:
        for job_id in jobs:
            history.record_status(job(job_id, "IN_PROGRESS"))
    context = multiprocessing.get_context("spawn")
    for job_id in jobs:
        start = context.Event()
        workers = [
            context.Process(target=_race, args=(path, job_id, action, start))
            for action in ("timeout", "complete")
        ]
        for worker in workers:
            worker.start()
        start.set()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
    with JobHistory(path) as history:
        frame = history.jobs().set_index("job_id")
        assert (frame.loc[jobs, "status"] == "COMPLETED").all()
        assert not frame.loc[jobs, "timed_out"].any()
