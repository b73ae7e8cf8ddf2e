"""JobHistory's rows, exactly: what each call, status and verdict leaves on record, the times
the service's answers are read as, and where the file lives."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.client.service import ApiError
from amplify_auth_widgets.jobs.history import HISTORY_ENV, parse_time, request_hash

START = 1_800_000_000.0
T2026 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def job(job_id, status, **extra):
    return {
        "JobId": job_id,
        "AppId": "d1",
        "BackendEnvironmentName": "dev",
        "Status": status,
        **extra,
    }


def rows(history, sql):
    return history._query(sql)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        (5, 5.0),
        (2.5, 2.5),
        ("2026-01-01T00:00:00Z", T2026),
        ("2026-01-01T00:00:00", T2026),  # no zone: the service means UTC
        ("2026-01-01T00:00:00+01:00", T2026 - 3600),
        ("1800000000", START),  # epoch seconds as text
        ("1800000000000", START),  # epoch milliseconds as text
        ("100000000000", 1e11),  # the largest number read as seconds
        ("100000000001", 100_000_000.001),  # the smallest read as milliseconds
        ("soon", None),
        ("", None),
    ],
)
def test_service_times_are_read_as_epoch_seconds(value, seconds):
    assert parse_time(value) == (pytest.approx(seconds, abs=1e-6) if seconds is not None else None)
    if seconds is not None:
        assert isinstance(parse_time(value), float)


def test_request_hash_is_a_short_digest_of_the_content_not_its_order():
    key = bytes(32)
    one = {"AppId": "d1", "BackendEnvironmentName": "dev", "ResourceName": "main"}
    reordered = dict(reversed(list(one.items())))
    digest = request_hash(key, "CreateBackendAuth", one)
    assert digest == request_hash(key, "CreateBackendAuth", reordered)
    assert len(digest) == 20 and int(digest, 16) >= 0
    # a value JSON cannot hold (a YAML date) is hashed by its text, not refused
    assert request_hash(key, "CreateBackendAuth", {"When": pd.Timestamp(0).date()}) == (
        request_hash(key, "CreateBackendAuth", {"When": "1970-01-01"})
    )


def test_a_failed_call_keeps_every_error_field_and_no_secret(clock):
    history = JobHistory(":memory:", clock)
    secret = "Sup3rSecretValue"
    request = {
        "AppId": "d1",
        "BackendEnvironmentName": "dev",
        "ResourceConfig": {
            "UserPoolConfigs": {
                "OAuth": {"SocialProviderSettings": {"Google": {"ClientSecret": secret}}}
            }
        },
    }
    error = ApiError("CreateBackendAuth", "BadRequestException", f"no: {secret}", 400, "req-1")
    history.record_call("CreateBackendAuth", request, None, error)
    row = history.requests().iloc[0]
    assert (row["app_id"], row["environment"], row["operation"]) == (
        "d1",
        "dev",
        "CreateBackendAuth",
    )
    assert (row["error_code"], row["http_status"], row["request_id"]) == (
        "BadRequestException",
        400,
        "req-1",
    )
    assert row["error_message"] == "no: <redacted>"
    assert secret not in row["request"] and pd.isna(row["response"]) and pd.isna(row["job_id"])
    assert row["time"] == pd.Timestamp(START, unit="s", tz="UTC")
    assert history.jobs().empty  # no job started


def test_a_call_names_its_job_from_the_response_or_else_the_request(clock):
    history = JobHistory(":memory:", clock)
    history.record_call("GetBackendJob", {"AppId": "d1", "JobId": "asked"}, {"Status": "X"}, None)
    history.record_call("ListBackendJobs", {"AppId": "d1"}, {"JobId": "answered"}, None)
    frame = history.requests()
    assert frame["job_id"].tolist() == ["asked", "answered"]
    assert json.loads(frame["response"].iloc[0]) == {"Status": "X"}
    assert frame["error_code"].isna().all() and frame["http_status"].isna().all()
    assert history.jobs().empty  # a job goes on record only with both an id and a status


def test_a_start_response_puts_the_job_on_record_under_the_call_operation(clock):
    history = JobHistory(":memory:", clock)
    started = {"JobId": "j1", "Status": "IN_PROGRESS", "AppId": "d1"}
    history.record_call("CreateBackendAuth", {"BackendEnvironmentName": "dev"}, started, None)
    renamed = {**started, "JobId": "j2", "Operation": "UpdateBackendAuth"}
    history.record_call("CreateBackendAuth", {}, renamed, None)
    frame = history.jobs().set_index("job_id")
    assert frame.loc["j1", "operation"] == "CreateBackendAuth"
    assert frame.loc["j2", "operation"] == "UpdateBackendAuth"  # the response's own wins
    assert frame.loc["j1", "status"] == "IN_PROGRESS"
    assert frame.loc["j1", "created"] == pd.Timestamp(START, unit="s", tz="UTC")


def test_a_job_row_holds_what_the_service_said(clock):
    history = JobHistory(":memory:", clock)
    history.record_status(
        job("j", "IN_PROGRESS", Operation="CreateBackendAuth", CreateTime="2026-01-01T00:00:00Z")
    )
    clock.advance(100)
    # the service finished it at 30 s; the poll saw it later
    assert history.record_status(
        job("j", "FAILED", UpdateTime="2026-01-01T00:00:30Z", Error="boom"), source="tracker"
    )
    row = history.jobs().iloc[0]
    assert (row["app_id"], row["environment"], row["status"]) == ("d1", "dev", "FAILED")
    assert row["operation"] == "CreateBackendAuth"  # kept from the first report
    assert row["created"] == pd.Timestamp(T2026, unit="s", tz="UTC")
    assert row["finished"] - row["created"] == pd.Timedelta(30, "s")
    assert row["updated"] == pd.Timestamp(START + 100, unit="s", tz="UTC")
    assert row["error"] == "boom" and not row["timed_out"]
    events = history.events()
    assert events[["status", "error", "source"]].astype(object).values.tolist() == [
        ["IN_PROGRESS", pd.NA, "service"],
        ["FAILED", "boom", "tracker"],
    ]
    assert events["time"].tolist() == [
        pd.Timestamp(START, unit="s", tz="UTC"),
        pd.Timestamp(START + 100, unit="s", tz="UTC"),
    ]


def test_a_finish_time_after_the_poll_is_clamped_to_the_poll(clock):
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "COMPLETED", UpdateTime=START + 50), observed=START + 10)
    row = history.jobs().iloc[0]
    assert row["finished"] == pd.Timestamp(START + 10, unit="s", tz="UTC") == row["updated"]


def test_the_earliest_known_creation_time_is_kept(clock):
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "IN_PROGRESS"), observed=START + 20)
    history.record_status(job("j", "IN_PROGRESS", CreateTime=START + 5), observed=START + 30)
    history.record_status(job("j", "IN_PROGRESS", CreateTime=START + 25), observed=START + 40)
    assert history.unfinished()[0]["Created"] == START + 5


def test_a_job_reported_without_a_status_or_names_is_unknown_not_lost(clock):
    history = JobHistory(":memory:", clock)
    assert history.record_status({"JobId": "bare"})
    assert history.unfinished() == [
        {
            "JobId": "bare",
            "AppId": "",
            "BackendEnvironmentName": "",
            "Operation": None,
            "Status": "UNKNOWN",
            "Created": START,
        }
    ]
    assert history.status_of("bare") == "UNKNOWN" and history.status_of("nope") is None


def test_unfinished_jobs_come_oldest_first(clock):
    history = JobHistory(":memory:", clock)
    for name, created in (("b", 20), ("a", 30), ("c", 10)):
        history.record_status(job(name, "IN_PROGRESS", CreateTime=START + created))
    history.record_status(job("done", "COMPLETED", CreateTime=START))
    assert [j["JobId"] for j in history.unfinished()] == ["c", "b", "a"]
    # each with what a tracker needs to resume it: whose app and environment it is
    history.record_status(job("d", "PENDING", CreateTime=START, Operation="UpdateBackendAuth"))
    assert history.unfinished()[0] == {
        "JobId": "d",
        "AppId": "d1",
        "BackendEnvironmentName": "dev",
        "Operation": "UpdateBackendAuth",
        "Status": "PENDING",
        "Created": START,
    }


def test_a_timeout_is_a_local_event_of_its_own(clock):
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "IN_PROGRESS"))
    clock.advance(60)
    assert history.record_timeout("j") is True
    row = history.jobs().iloc[0]
    assert row["status"] == "IN_PROGRESS" and row["timed_out"]
    assert row["local_verdict"] == "TIMED_OUT (local)"
    assert row["updated"] == pd.Timestamp(START + 60, unit="s", tz="UTC")
    last = history.events().iloc[-1]
    assert (last["status"], last["error"], last["source"]) == (
        "TIMED_OUT (local)",
        "no terminal status before the deadline",
        "local",
    )
    assert last["time"] == pd.Timestamp(START + 60, unit="s", tz="UTC")
    # the job is seen again: the verdict is cleared, the status change recorded
    # the tracker's own time of the verdict, when it gives one, is the one kept
    assert history.record_timeout("j", observed=START + 90)
    assert history.jobs().iloc[0]["updated"] == pd.Timestamp(START + 90, unit="s", tz="UTC")
    assert history.events().iloc[-1]["time"] == pd.Timestamp(START + 90, unit="s", tz="UTC")
    clock.advance(5)
    assert history.record_status(job("j", "COMPLETED"))
    assert not history.jobs().iloc[0]["timed_out"]


def test_learned_durations_are_the_latest_completed_of_that_operation(clock):
    history = JobHistory(":memory:", clock)
    spans = {"a": 30, "b": 10, "c": 20}
    for name, seconds in spans.items():
        clock.advance(100)
        history.record_status(job(name, "IN_PROGRESS", Operation="CreateBackendAuth"))
        history.record_status(
            job(name, "COMPLETED", Operation="CreateBackendAuth"), observed=clock() + seconds
        )
    history.record_status(job("f", "FAILED", Operation="CreateBackendAuth"), observed=clock() + 5)
    history.record_status(job("u", "COMPLETED", Operation="UpdateBackendAuth"))
    # a finish the service dates before the creation we saw is no duration
    history.record_status(
        job(
            "neg", "COMPLETED", Operation="CreateBackendAuth", CreateTime=clock() + 50, UpdateTime=1
        )
    )
    assert history.durations("CreateBackendAuth") == [20.0, 10.0, 30.0]  # latest finish first
    assert history.durations("CreateBackendAuth", limit=2) == [20.0, 10.0]
    assert history.durations("UpdateBackendAuth") == [0.0]


def test_submissions_are_the_requests_that_started_a_job(clock):
    history = JobHistory(":memory:", clock)
    started = {"JobId": "j1", "Status": "IN_PROGRESS", "AppId": "d1"}
    request = {"AppId": "d1", "BackendEnvironmentName": "dev"}
    history.record_call("CreateBackendAuth", request, started, None)
    history.record_call("GetBackendAuth", {"AppId": "d1"}, {}, None)  # no job: not a submission
    history.record_timeout("j1")
    frame = history.submissions()
    assert frame[
        ["app_id", "environment", "operation", "job_id", "status", "local_verdict"]
    ].astype(str).values.tolist() == [
        ["d1", "dev", "CreateBackendAuth", "j1", "IN_PROGRESS", "TIMED_OUT (local)"]
    ]
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["operation"].dtype, pd.CategoricalDtype)
    assert str(frame["local_verdict"].dtype) == "string"


def test_requests_and_events_frames_have_proper_dtypes(clock):
    history = JobHistory(":memory:", clock)
    history.record_call("GetBackendJob", {"AppId": "d1", "JobId": "j"}, None, None)
    history.record_status(job("j", "IN_PROGRESS"))
    requests = history.requests()
    for column in ("app_id", "environment", "job_id", "error_code", "error_message"):
        assert str(requests[column].dtype) == "string", column
    for column in ("request_id", "request_hash", "request", "response"):
        assert str(requests[column].dtype) == "string", column
    assert str(requests["http_status"].dtype) == "Int64"
    assert isinstance(requests["operation"].dtype, pd.CategoricalDtype)
    events = history.events()
    assert str(events["job_id"].dtype) == "string" and str(events["error"].dtype) == "string"
    assert isinstance(events["status"].dtype, pd.CategoricalDtype)
    assert isinstance(events["source"].dtype, pd.CategoricalDtype)
    jobs = history.jobs()
    for column in ("environment", "local_verdict"):
        assert str(jobs[column].dtype) == "string", column
    assert str(jobs["timed_out"].dtype) == "bool"


def test_each_table_exports_and_a_wrong_name_is_refused(clock, tmp_path):
    history = JobHistory(":memory:", clock)
    history.record_call("GetBackendJob", {"AppId": "d1", "JobId": "j"}, None, None)
    history.record_status(job("j", "IN_PROGRESS"))
    assert pd.read_csv(history.export(tmp_path / "r.csv", "requests"))["job_id"].tolist() == ["j"]
    events = pd.read_csv(history.export(tmp_path / "e.csv", table="events"))
    assert events["status"].tolist() == ["IN_PROGRESS"]
    assert history.export(tmp_path / "j.csv") == tmp_path / "j.csv"
    with pytest.raises(ValueError) as refused:
        history.export(tmp_path / "x.csv", table="job")
    assert str(refused.value) == "table must be one of jobs, requests, events"


def test_the_file_lives_where_the_user_or_the_environment_says(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(HISTORY_ENV)
    monkeypatch.setenv("AMPLIFY_AUTH_DATA", str(tmp_path / "moved"))  # the data folder's own
    with JobHistory() as moved:
        assert Path(moved.path) == tmp_path / "moved" / "history.sqlite3"
    monkeypatch.delenv("AMPLIFY_AUTH_DATA")
    with JobHistory() as default:
        assert Path(default.path) == tmp_path / "data" / "amplify-auth-widgets" / "history.sqlite3"
    with JobHistory.from_environment() as again:
        assert again.path == default.path
    with JobHistory.from_environment(tmp_path / "given.sqlite3") as given:
        assert given.path == str(tmp_path / "given.sqlite3")
    monkeypatch.setenv(HISTORY_ENV, str(tmp_path / "deep" / "er" / "named.sqlite3"))
    with JobHistory.from_environment(tmp_path / "given.sqlite3") as named:
        named.record_status(job("j", "IN_PROGRESS"))
    assert (tmp_path / "deep" / "er" / "named.sqlite3").is_file()
    with JobHistory(":memory:") as memory:
        assert memory.path == ":memory:" and not Path(":memory:").exists()


def test_durations_are_learned_from_the_latest_two_hundred_by_default(clock):
    history = JobHistory(":memory:", clock)
    for i in range(201):
        history.record_status(job(f"j{i}", "IN_PROGRESS", Operation="CreateBackendAuth"))
        clock.advance(1 + i)  # the oldest job took 1 s; none since as quick
        history.record_status(job(f"j{i}", "COMPLETED", Operation="CreateBackendAuth"))
    learned = history.durations("CreateBackendAuth")
    assert len(learned) == 200 and min(learned) == 2.0


def test_values_json_lacks_are_kept_as_text_and_misshapen_secrets_hidden(clock):
    import datetime as dt

    history = JobHistory(":memory:", clock)
    when = dt.date(2026, 1, 2)
    providers = {"Google": "client-id:leaky-secret-1"}  # a provider given as a string
    request = {
        "AppId": "d1",
        "When": when,
        "ResourceConfig": {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": providers}}},
    }
    history.record_call("CreateBackendAuth", request, {"Seen": when}, None)
    row = history.requests().iloc[0]
    stored = json.loads(row["request"])
    assert stored["When"] == "2026-01-02" and json.loads(row["response"]) == {"Seen": "2026-01-02"}
    settings = stored["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert settings == {"Google": "<redacted>"}


def test_an_error_message_is_scrubbed_for_the_operation_sent(clock):
    """The same value is a secret in a CreateBackendAuth request (under a provider, which the
    model flags sensitive) and an ordinary one in a DeleteBackendAuth request, which has no
    such member: the message of each failure hides it, or shows it, accordingly."""
    history = JobHistory(":memory:", clock)
    value = "client-id:leaky-secret-1"
    request = {
        "AppId": "d1",
        "ResourceConfig": {
            "UserPoolConfigs": {"OAuth": {"SocialProviderSettings": {"Google": value}}}
        },
    }
    for operation in ("CreateBackendAuth", "DeleteBackendAuth"):
        error = ApiError(operation, "BadRequestException", f"bad value {value}", 400)
        history.record_call(operation, request, None, error)
    messages = history.requests()["error_message"].tolist()
    assert messages == ["bad value <redacted>", f"bad value {value}"]


def test_a_started_job_goes_on_record_at_the_time_of_its_request():
    ticks = iter(range(1_800_000_000, 1_800_000_100))
    history = JobHistory(":memory:", lambda: float(next(ticks)))  # a clock that moves each call
    started = {"JobId": "j1", "Status": "IN_PROGRESS", "AppId": "d1"}
    history.record_call("CreateBackendAuth", {"BackendEnvironmentName": "dev"}, started, None)
    sent = history.requests().iloc[0]["time"]
    row = history.jobs().iloc[0]
    assert row["created"] == row["updated"] == sent == history.events().iloc[0]["time"]


def test_an_operation_told_later_fills_the_record_and_an_open_job_has_no_finish(clock):
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "IN_PROGRESS"))  # a listing that did not name it
    clock.advance(5)
    history.record_status(job("j", "IN_PROGRESS", Operation="UpdateBackendAuth"))
    row = history.jobs().iloc[0]
    assert row["operation"] == "UpdateBackendAuth"
    assert pd.isna(row["finished"]) and pd.isna(row["duration"])
    assert rows(history, "SELECT finished FROM jobs") == [(None,)]
    assert history.unfinished()[0]["Operation"] == "UpdateBackendAuth"


def test_a_time_without_a_zone_is_utc_whatever_the_local_zone(far_from_utc):
    assert parse_time("2026-01-01T00:00:00") == T2026
    assert parse_time("2026-01-01T00:00:00Z") == T2026


class _KeyReadBeforeAnotherMadeIt(JobHistory):
    """A history whose first look for the file's key came just before another process made
    it: the race ``_hash_key`` settles inside its write transaction."""

    def _migrate(self) -> None:
        super()._migrate()
        JobHistory(self.path).close()  # the other process: opening a new file makes its key
        read = self._query
        self._query = lambda sql, *args: [] if "request_hash_key" in sql else read(sql, *args)


def test_a_key_another_process_made_meanwhile_is_taken_not_made_again(tmp_path):
    path = tmp_path / "history.sqlite3"
    late = _KeyReadBeforeAnotherMadeIt(path)
    other = JobHistory(path)
    request = {"AppId": "d1", "ResourceConfig": {"x": 1}}
    assert late.request_hash("CreateBackendAuth", request) == other.request_hash(
        "CreateBackendAuth", request
    )


def test_making_the_key_leaves_secure_delete_as_the_connection_had_it(tmp_path):
    # the key's making turns secure_delete on to zero the unkeyed hashes it clears, then puts
    # back the connection's own setting (this SQLite's default), which later deletes rely on
    default = sqlite3.connect(":memory:").execute("PRAGMA secure_delete").fetchone()[0]
    with JobHistory(tmp_path / "new.sqlite3") as history:
        setting = history.database.connection.execute("PRAGMA secure_delete").fetchone()[0]
    assert setting == default


def test_a_job_first_seen_failed_keeps_its_error(clock):
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "FAILED", Error="UserPoolName is taken"), observed=START + 9)
    row = history.jobs().iloc[0]
    assert (row["status"], row["error"]) == ("FAILED", "UserPoolName is taken")
    assert history.events().iloc[0]["error"] == "UserPoolName is taken"
