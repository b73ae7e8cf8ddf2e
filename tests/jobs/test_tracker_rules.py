"""JobTracker's rules, exactly, against the emulator on a fake clock: when each poll happens,
what a miss, a fault or a deadline does, what discovery tracks, what callbacks are told."""

from __future__ import annotations

import itertools
import json
import random
import threading
from dataclasses import replace

import pytest
from conftest import FakeClock, LocalServer, QuietHandler, serving, valid_request
from support.jobs import drive

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.lifecycle import Verdict
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.jobs.schedule import plan
from amplify_auth_widgets.jobs.tracker import LONG_WAIT

NOT_FOUND = "NOT_FOUND (local)"


@pytest.fixture
def setup(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    tracker = JobTracker(service, history, clock=clock, policy=TrackerPolicy(jitter=0.0))
    return emulator, service, history, tracker


def start_job(emulator, service, name="app", env="dev"):
    app_id = emulator.create_app(name, (env,))
    return service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName=env))


def poll_times(tracker, clock, job):
    """Seconds after the job's creation at which the tracker asked about it."""
    times = []
    while not job.done:
        clock.now = tracker.next_due()
        times.append(round(clock.now - job.created, 6))
        tracker.poll_due()
    return times


def recording_sleep(clock):
    sleeps: list[float] = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock.advance(seconds)

    return sleeps, sleep


def test_an_unknown_job_is_asked_about_three_times_then_dropped(setup, clock):
    emulator, _, _, tracker = setup
    seen = []
    tracker.on_change(lambda job, old, new: seen.append((job, old, new)))
    app_id = emulator.create_app("ghost", ("dev",))
    job = tracker.track(app_id, "dev", "no-such-job", status="IN_PROGRESS")
    # min_interval, then backing off from it after each miss: 2 * 2**2, 2 * 2**3
    assert poll_times(tracker, clock, job) == [2.0, 10.0, 26.0]
    assert (job.status, job.misses, tracker.calls) == (NOT_FOUND, 3, 3)
    assert seen == [(job, "IN_PROGRESS", NOT_FOUND)]
    assert tracker.problems == ["job no-such-job is not known to the service; no longer tracked"]


def test_discover_tracks_the_pending_jobs_and_records_the_finished(setup, clock):
    emulator, service, history, tracker = setup
    created = start_job(emulator, service, "elsewhere")
    app_id = created["AppId"]
    clock.advance(5)  # the create finished; a delete started after it is still going on
    deleted = service.delete_backend_auth(app_id, "dev", "mainauth")
    started = clock()
    clock.advance(1)
    found = tracker.discover(app_id, "dev")
    assert [(j.job_id, j.operation, j.status) for j in found] == [
        (deleted["JobId"], "DeleteBackendAuth", "IN_PROGRESS")
    ]
    assert found[0].created == pytest.approx(
        started, abs=0.01
    )  # the service's time, not when found
    assert list(tracker.jobs) == [deleted["JobId"]]  # the finished one is not tracked
    assert history.status_of(created["JobId"]) == "COMPLETED"  # but on record
    assert history.status_of(deleted["JobId"]) == "IN_PROGRESS"
    assert tracker.discover(app_id, "dev") == []  # already tracked: not found twice
    assert list(tracker.jobs) == [deleted["JobId"]]


def test_run_until_done_sleeps_until_each_poll_is_due(setup, clock):
    emulator, service, _, tracker = setup
    job = tracker.track_response(start_job(emulator, service))
    sleeps, sleep = recording_sleep(clock)
    tracker.run_until_done(sleep)
    assert job.status == "COMPLETED"
    assert sleeps == [pytest.approx(2.0), pytest.approx(3.0)]  # min_interval, then x1.5


def test_run_until_done_asks_at_once_about_a_job_already_due(setup, clock):
    emulator, service, _, tracker = setup
    job = tracker.track_response(start_job(emulator, service))
    clock.now = job.next_poll
    sleeps, sleep = recording_sleep(clock)
    tracker.run_until_done(sleep)
    assert job.polls == 2 and sleeps == [pytest.approx(3.0)]


def test_run_until_done_waits_on_followed_jobs_until_its_timeout(setup, clock):
    """A job its own thread follows is not polled here: the loop only waits, a min_interval
    at a time, and gives up once more than ``timeout`` seconds have passed."""
    emulator, service, _, tracker = setup
    job = tracker.track_response(start_job(emulator, service), followed=True)
    sleeps, sleep = recording_sleep(clock)
    tracker.run_until_done(sleep, timeout=10)
    assert sleeps == [2.0] * 6 and job.polls == 0 and tracker.calls == 0


class ClockedStop(threading.Event):
    """A stop event whose waits move the fake clock instead of passing real time."""

    def __init__(self, clock):
        super().__init__()
        self.clock = clock
        self.waits: list[float] = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        self.clock.advance(timeout or 0)
        return self.is_set()


def test_a_job_being_followed_is_left_alone_by_the_rounds(setup, clock):
    emulator, service, _, tracker = setup
    response = start_job(emulator, service)
    job = tracker.track(response["AppId"], "dev", response["JobId"])
    due_while_followed = []
    tracker.on_change(lambda j, old, new: due_while_followed.append(tracker.next_due()))
    assert tracker.follow_job(job, ClockedStop(clock)) is job
    assert job.status == "COMPLETED" and job.followed is False
    # told of IN_PROGRESS while followed: no round was due for it
    assert due_while_followed == [None, None]


def test_tracking_a_job_twice_keeps_one_and_puts_it_on_record_once(setup, clock):
    _, _, history, tracker = setup
    job = tracker.track("d1", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS", created=clock() - 7)
    clock.advance(3)
    assert tracker.track("d1", "dev", "j1", "UpdateBackendAuth", "COMPLETED") is job
    assert (job.operation, job.status, job.created) == (
        "CreateBackendAuth",
        "IN_PROGRESS",
        clock() - 10,
    )
    row = history.jobs().iloc[0]
    assert (row["job_id"], row["app_id"], row["environment"]) == ("j1", "d1", "dev")
    assert (row["operation"], row["status"]) == ("CreateBackendAuth", "IN_PROGRESS")
    assert row["created"].timestamp() == job.created  # its creation, not when it was tracked
    assert row["updated"].timestamp() == clock() - 3  # when it was seen
    assert len(history.events()) == 1
    unseen = tracker.track("d1", "dev", "j2")  # no status yet: nothing to record
    assert unseen.created == clock() and history.status_of("j2") is None
    assert unseen.next_poll == clock() + 2.0 and not unseen.followed


def test_a_response_names_the_job_and_the_request_fills_what_it_lacks(setup, clock):
    _, _, _, tracker = setup
    assert tracker.track_response({"Status": "IN_PROGRESS"}) is None  # no job to track
    request = {"AppId": "d1", "BackendEnvironmentName": "dev"}
    job = tracker.track_response(
        {"JobId": "j1", "Status": "IN_PROGRESS", "CreateTime": clock() - 4},
        "CreateBackendAuth",
        request,
        followed=True,
    )
    assert (job.app_id, job.env, job.operation, job.status) == (
        "d1",
        "dev",
        "CreateBackendAuth",
        "IN_PROGRESS",
    )
    assert job.created == clock() - 4 and job.followed
    own = tracker.track_response(
        {"JobId": "j2", "AppId": "d2", "BackendEnvironmentName": "prod", "Operation": "X"},
        "CreateBackendAuth",
        request,
    )
    assert (own.app_id, own.env, own.operation, own.status) == ("d2", "prod", "X", None)
    bare = tracker.track_response({"JobId": "j3"})
    assert (bare.app_id, bare.env, bare.operation) == ("", "", None)


def test_resume_tracks_again_what_history_left_unfinished(emulator, clock, tmp_path):
    path = tmp_path / "h.sqlite3"
    with JobHistory(path, clock) as history:
        history.record_status(
            {
                "JobId": "j1",
                "AppId": "d1",
                "BackendEnvironmentName": "dev",
                "Operation": "DeleteBackendAuth",
                "Status": "IN_PROGRESS",
                "CreateTime": clock() - 9,
            }
        )
    clock.advance(60)
    history = JobHistory(path, clock)
    tracker = JobTracker(BackendAuthService(emulator.connection()), history, clock=clock)
    (job,) = tracker.resume()
    assert (job.app_id, job.env, job.job_id, job.operation, job.status) == (
        "d1",
        "dev",
        "j1",
        "DeleteBackendAuth",
        "IN_PROGRESS",
    )
    assert job.created == clock() - 69
    history.close()


def test_a_callback_taken_off_is_told_nothing_more(setup, clock):
    emulator, service, _, tracker = setup
    told, kept = [], []

    def callback(job, old, new):
        told.append(new)

    tracker.on_change(callback)
    tracker.on_change(lambda job, old, new: kept.append(new))
    tracker.on_change(callback, remove=True)
    tracker.track_response(start_job(emulator, service))
    drive(tracker, clock)
    assert told == [] and kept == ["COMPLETED"]


def test_no_operation_no_schedule(setup):
    _, _, _, tracker = setup
    assert tracker.schedule(None) is None and tracker.window(None) is None


def test_polls_without_history_are_spread_by_the_jitter(emulator, clock):
    import random

    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock, rng=random.Random(4))
    assert tracker.policy.jitter == 0.1
    gaps = []
    for i in range(12):
        job = tracker.track(f"d{i}", "dev", f"j{i}")
        gaps.append((job.next_poll - job.created) / 2.0)  # min_interval 2 s
    assert all(0.9 <= g <= 1.1 for g in gaps)
    assert min(gaps) < 0.97 and max(gaps) > 1.03  # spread across the range, both ways


def test_a_throttled_poll_is_a_problem_and_the_job_is_asked_later(clock):
    with Emulator(clock=clock, job_seconds=5) as emu:
        service = BackendAuthService(emu.connection(max_attempts=1), sleep=lambda s: None)
        tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0))
        job = tracker.track_response(start_job(emu, service))
        emu.faults.throttle_rate = 1.0
        clock.now = tracker.next_due()
        assert tracker.poll_due() == 1
        problem = (
            f"GetBackendJob {job.job_id}: Rate exceeded (injected by the emulator's "
            "--throttle-rate). (TooManyRequestsException)"
        )
        assert tracker.problems == [problem] and job.last_problem == problem
        assert job.next_poll == clock() + 4.0  # twice min_interval, then
        assert job.status == "IN_PROGRESS" and job.misses == 0
        # two jobs of one environment are asked about by one list call
        ghost = tracker.track(job.app_id, "dev", "ghost")
        clock.now = max(job.next_poll, ghost.next_poll)
        assert tracker.poll_due() == 1
        listed = (
            f"ListBackendJobs {job.app_id}/dev: Rate exceeded (injected by the emulator's "
            "--throttle-rate). (TooManyRequestsException)"
        )
        assert tracker.problems[-1] == listed
        assert job.last_problem == ghost.last_problem == listed
        assert job.next_poll == ghost.next_poll == clock() + 4.0
        emu.faults.throttle_rate = 0.0
        clock.advance(10)
        assert tracker.poll_due() == 1
        assert job.last_problem is None and job.status == "COMPLETED"
        assert ghost.misses == 1 and ghost.status is None  # not listed: a miss
        assert ghost.next_poll == clock() + 8.0  # backing off: min_interval * 2**(misses + 1)


def test_what_a_poll_learns_of_a_job_tracked_by_its_id_alone(setup, clock):
    emulator, service, history, tracker = setup
    response = start_job(emulator, service)
    started = clock()
    clock.advance(1)
    job = tracker.track(response["AppId"], "dev", response["JobId"])
    assert job.created == clock() and job.operation is None
    clock.now = tracker.next_due()
    tracker.poll_due()
    assert job.operation == "CreateBackendAuth" and job.created == pytest.approx(started, abs=0.01)
    assert job.status == "IN_PROGRESS" and job.polls == 1 and job.finished is None
    assert history.jobs().iloc[0]["operation"] == "CreateBackendAuth"
    drive(tracker, clock)
    assert job.finished == clock() and job.last["Status"] == "COMPLETED"


def test_a_job_tracked_by_its_id_alone_that_ended_before_its_first_poll(setup, clock):
    """Its operation is learned from that poll, with no schedule planned for it yet."""
    emulator, service, history, tracker = setup
    response = start_job(emulator, service)
    clock.advance(60)
    job = tracker.track(response["AppId"], "dev", response["JobId"])
    clock.now = tracker.next_due()
    tracker.poll_due()
    assert (job.operation, job.status, job.polls) == ("CreateBackendAuth", "COMPLETED", 1)
    assert job.finished == clock() and tracker.problems == []
    assert tracker.next_due() is None
    assert history.jobs().iloc[0][["operation", "status"]].tolist() == [
        "CreateBackendAuth",
        "COMPLETED",
    ]


def test_a_tracker_started_on_a_history_plans_again_once_new_durations_are_half(clock):
    """Planned from the 5 durations on record: 3 new of 20 s are fewer than half of 8 known,
    the 4th is half of 9."""
    with Emulator(clock=clock, job_seconds=20) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        tracker = JobTracker(
            service, history_of(*[5.0] * 5), clock=clock, policy=TrackerPolicy(jitter=0.0)
        )
        windows = [tracker.window("CreateBackendAuth")]
        for i in range(4):
            tracker.track_response(start_job(emu, service, f"new{i}"))
            drive(tracker, clock)
            windows.append(tracker.window("CreateBackendAuth"))
    assert windows[0] == (pytest.approx(5.0, abs=0.01), pytest.approx(5.0, abs=0.01))
    assert windows[1] == windows[2] == windows[3] == windows[0]
    assert windows[4][1] > 10.0  # planned again, from all nine


class TerseService(LocalServer):
    """A service on 127.0.0.1 that answers GetBackendJob with a job's id and status only (the
    model's answer members are all optional): ``statuses`` in turn, the last one again and
    again; None is a NotFoundException."""

    def __init__(self, *statuses: str | None) -> None:
        super().__init__(_TerseHandler)
        self.statuses = list(statuses)

    def service(self) -> BackendAuthService:
        return BackendAuthService(Connection.for_emulator(self.url, max_attempts=1))


class _TerseHandler(QuietHandler):
    def do_GET(self) -> None:
        statuses = self.server.statuses  # type: ignore[attr-defined]
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        if status is None:
            error = [("x-amzn-ErrorType", "NotFoundException")]
            self.answer(404, b'{"message": "no such job"}', error)
            return
        body = json.dumps({"jobId": self.path.rsplit("/", 1)[-1], "status": status}).encode()
        self.answer(200, body, [("Content-Type", "application/json")])


def test_what_the_tracker_records_names_the_app_environment_and_operation_it_tracks(clock):
    with serving(TerseService("COMPLETED")) as server:
        history = JobHistory(":memory:", FakeClock(0.0))  # the tracker says when it saw it
        tracker = JobTracker(
            server.service(), history, clock=clock, policy=TrackerPolicy(jitter=0.0)
        )
        # no status given: nothing is on record until the job is polled
        job = tracker.track("d1terse", "dev", "j1", "UpdateBackendAuth")
        drive(tracker, clock)
    assert job.status == "COMPLETED" and job.polls == 1 and tracker.problems == []
    row = history.jobs().iloc[0]
    assert row[["job_id", "app_id", "environment", "operation", "status"]].tolist() == [
        "j1",
        "d1terse",
        "dev",
        "UpdateBackendAuth",
        "COMPLETED",
    ]
    assert row["created"].timestamp() == row["finished"].timestamp() == clock()  # polled then


def test_a_job_seen_then_forgotten_by_the_service_is_asked_about_three_times(clock):
    with serving(TerseService("IN_PROGRESS", None)) as server:
        tracker = JobTracker(server.service(), clock=clock, policy=TrackerPolicy(jitter=0.0))
        job = tracker.track("d1terse", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS")
        # seen at min_interval, asked again 1.5 times later, then 2 * 2**2 and 2 * 2**3 after
        # the first two misses, as a job never seen
        assert poll_times(tracker, clock, job) == [2.0, 5.0, 13.0, 29.0]
    assert (job.status, job.polls, job.misses, tracker.calls) == (NOT_FOUND, 1, 3, 4)


def test_a_deadline_is_told_to_callbacks_and_on_record_at_the_trackers_time(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", FakeClock(0.0))  # the tracker says when it gave up
    tracker = JobTracker(
        service, history, clock=clock, policy=TrackerPolicy(jitter=0.0, deadline=3.0)
    )
    seen = []
    tracker.on_change(lambda job, old, new: seen.append((job, old, new)))
    job = tracker.track_response(start_job(emulator, service))  # the job takes 5 s
    drive(tracker, clock)
    assert job.status == Verdict.TIMED_OUT and job.finished is None
    assert seen == [(job, "IN_PROGRESS", Verdict.TIMED_OUT)]
    verdict = history.events().iloc[-1]
    assert (verdict["status"], verdict["source"]) == (Verdict.TIMED_OUT, "local")
    assert verdict["time"].timestamp() == clock() == job.created + 3.0
    assert history.jobs().iloc[0]["updated"].timestamp() == clock()


def idle_service() -> BackendAuthService:
    """A service for a tracker the test never lets poll: nothing listens at its address, so
    a call would fail the test at once."""
    return BackendAuthService(Connection.for_emulator("http://127.0.0.1:9", max_attempts=1))


def history_of(*seconds: float, operation: str = "CreateBackendAuth") -> JobHistory:
    """A history of completed jobs of ``operation`` that took ``seconds`` each."""
    history = JobHistory(":memory:", FakeClock())
    for i, took in enumerate(seconds):
        start = 1_000_000.0 + 10_000.0 * i
        job = {"JobId": f"past{i}", "AppId": "d1past", "BackendEnvironmentName": "dev"}
        times = {"CreateTime": start, "UpdateTime": start + took}
        history.record_status({**job, **times, "Operation": operation, "Status": "COMPLETED"})
    return history


@pytest.fixture
def long_jobs() -> JobHistory:
    """Jobs that took 1000 s: a schedule whose first poll is past LONG_WAIT."""
    return history_of(*[1000.0] * 5)


@pytest.mark.parametrize(
    ("tracked_at", "asked_at"),
    [
        (lambda first: 0.0, lambda first: first / 2),  # new: halfway first
        (lambda first: 0.4 * first, lambda first: first / 2),  # before halfway: halfway still
        (lambda first: first / 2 - 0.5, lambda first: first / 2),
        # within 50 ms of halfway, or at it: when such jobs end
        (lambda first: first / 2 - 0.05, lambda first: first),
        (lambda first: first / 2, lambda first: first),
        (lambda first: 0.7 * first, lambda first: first),
        # when such jobs end: the dense interval after it, not jittered
        (lambda first: first, lambda first: first + 0.05),
    ],
)
def test_where_the_first_poll_of_a_long_job_falls(clock, long_jobs, tracked_at, asked_at):
    """The job was created at 0.0, so that the times are exact in floating point."""
    tracker = JobTracker(idle_service(), long_jobs, clock=clock, rng=random.Random(1))
    schedule = tracker.schedule("CreateBackendAuth")
    assert schedule.first > LONG_WAIT and schedule.first == schedule.dense_until
    assert schedule.interval == 0.05
    clock.now = tracked_at(schedule.first)
    job = tracker.track("d1terse", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS", 0.0)
    assert job.next_poll == asked_at(schedule.first)


def test_a_long_job_is_asked_halfway_once_whatever_the_rounding_of_its_times(clock):
    with serving(TerseService("IN_PROGRESS")) as server:
        tracker = JobTracker(
            server.service(),
            history_of(*[2000.7] * 5),
            clock=clock,
            policy=TrackerPolicy(jitter=0.0),
        )
        first = tracker.schedule("CreateBackendAuth").first
        # the case at hand: halfway, read back from these epoch seconds, falls a hair short
        assert (clock() + first / 2) - clock() < first / 2
        job = tracker.track("d1terse", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS")
        clock.now = tracker.next_due()
        assert clock() - job.created == pytest.approx(first / 2, abs=1e-6)
        assert tracker.poll_due() == 1
        assert tracker.next_due() - job.created == pytest.approx(first, abs=1e-6)


def test_jitter_spreads_each_interval_by_up_to_its_fraction_either_way(clock):
    tracker = JobTracker(
        idle_service(), clock=clock, rng=random.Random(1), policy=TrackerPolicy(jitter=0.1)
    )
    jobs = [tracker.track("d1terse", "dev", f"j{i}") for i in range(3)]
    draws = random.Random(1)
    assert [job.next_poll - clock() for job in jobs] == [
        pytest.approx(2.0 * (1 + draws.uniform(-0.1, 0.1)), abs=1e-6) for _ in jobs
    ]


def test_the_schedule_is_planned_with_the_trackers_budget_and_intervals(clock):
    """Each setting changes the plan (the second assertion of each pair shows it)."""
    history = history_of(40.0, 55.0, 60.0, 75.0, 90.0, 120.0)
    durations = history.durations("CreateBackendAuth")
    tight = JobTracker(
        idle_service(),
        history,
        clock=clock,
        policy=TrackerPolicy(call_budget=5.0, max_interval=20.0),
    )
    eager = JobTracker(idle_service(), history, clock=clock, policy=TrackerPolicy(min_interval=1.0))
    planned = plan(durations, naive_interval=2.0, call_budget=5.0, max_interval=20.0)
    assert tight.schedule("CreateBackendAuth") == planned
    assert planned != plan(durations, naive_interval=2.0, max_interval=20.0)
    assert planned != plan(durations, naive_interval=2.0, call_budget=5.0, max_interval=60.0)
    planned = plan(durations, naive_interval=1.0, max_interval=60.0)
    assert eager.schedule("CreateBackendAuth") == planned
    assert planned != plan(durations, naive_interval=2.0, max_interval=60.0)


def test_a_default_tracker_polls_up_to_a_minute_apart_and_gives_up_after_an_hour(clock):
    with serving(TerseService("IN_PROGRESS")) as server:
        tracker = JobTracker(server.service(), clock=clock, policy=TrackerPolicy(jitter=0.0))
        job = tracker.track("d1terse", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS")
        times = poll_times(tracker, clock, job)
    gaps = [b - a for a, b in itertools.pairwise([0.0, *times])]
    growing = [min(60.0, 2.0 * 1.5**k) for k in range(10)]  # 2, 3, 4.5, ... then 60
    assert gaps[:10] == pytest.approx(growing, abs=1e-5) and growing[-1] == 60.0
    assert gaps[10:-1] == pytest.approx([60.0] * (len(gaps) - 11), abs=1e-5)
    assert 0 < gaps[-1] <= 60.0
    assert job.status == Verdict.TIMED_OUT and times[-1] == 3600.0


def test_a_tracker_without_a_history_keeps_one_in_memory_on_its_clock(clock):
    tracker = JobTracker(idle_service(), clock=clock)
    assert tracker.history.path == ":memory:"
    tracker.history.record_status({"JobId": "j1", "Status": "IN_PROGRESS"})
    assert tracker.history.jobs().iloc[0]["created"].timestamp() == clock()


def test_failed_jobs_are_no_new_durations_for_the_schedule(clock):
    """Planned from 5 on record: 3 failed jobs and 1 completed are 1 new duration of 6 known,
    too few to plan again (counted as 4 of 9, they would be enough)."""
    with Emulator(clock=clock, job_seconds=20) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        tracker = JobTracker(
            service, history_of(*[5.0] * 5), clock=clock, policy=TrackerPolicy(jitter=0.0)
        )
        window = tracker.window("CreateBackendAuth")
        emu.fail_rate = 1.0
        try:  # (the three environments are polled in the tracker's pool)
            failed = [tracker.track_response(start_job(emu, service, f"f{i}")) for i in range(3)]
            drive(tracker, clock)
            emu.fail_rate = 0.0
            done = tracker.track_response(start_job(emu, service, "done"))
            drive(tracker, clock)
        finally:
            tracker.stop()
    assert [job.status for job in [*failed, done]] == ["FAILED"] * 3 + ["COMPLETED"]
    assert tracker.window("CreateBackendAuth") == window


def test_a_job_is_overdue_only_once_past_the_end_of_the_dense_polls(clock):
    """Jobs that took 100 s: the dense polls start and end at the same time, and a job still
    going there is asked again at the dense interval, then at twice and four times it."""
    with serving(TerseService("IN_PROGRESS")) as server:
        tracker = JobTracker(
            server.service(),
            history_of(*[100.0] * 5),
            clock=clock,
            policy=TrackerPolicy(jitter=0.0),
        )
        schedule = tracker.schedule("CreateBackendAuth")
        assert schedule.first == schedule.dense_until
        clock.now = 0.0
        job = tracker.track("d1terse", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS")
        times = []
        for _ in range(4):
            clock.now = tracker.next_due()
            times.append(clock.now)
            tracker.poll_due()
    assert times[0] == schedule.dense_until  # not yet overdue there
    gaps = [b - a for a, b in itertools.pairwise(times)]
    step = schedule.interval
    assert gaps == [pytest.approx(step), pytest.approx(2 * step), pytest.approx(4 * step)]
    assert job.overdue_polls == 3


def test_jobs_expected_to_take_long_are_checked_once_halfway(clock):
    with Emulator(clock=clock, job_seconds=1000) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0))
        for i in range(5):
            tracker.track_response(start_job(emu, service, f"learn{i}"))
            drive(tracker, clock)
        assert tracker.schedule("CreateBackendAuth").first == pytest.approx(1000, abs=1)
        job = tracker.track_response(start_job(emu, service, "long"))
        times = poll_times(tracker, clock, job)
        # halfway, then when such jobs end (and once just after, as the service's clock ticks)
        assert times[:2] == [pytest.approx(500, abs=0.5), pytest.approx(1000, abs=1)]
        assert len(times) <= 3


def test_only_the_latest_fifty_problems_are_kept(clock):
    with Emulator(clock=clock, throttle_rate=1.0) as emu:
        service = BackendAuthService(emu.connection(max_attempts=1), sleep=lambda s: None)
        tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(poll_concurrency=1))
        for i in range(55):
            tracker.track("d1", f"e{i}", f"g{i}")
        assert tracker.poll_due(now=clock() + 60) == 55
    throttled = "Rate exceeded (injected by the emulator's --throttle-rate)."
    assert tracker.problems == [
        f"GetBackendJob g{i}: {throttled} (TooManyRequestsException)" for i in range(5, 55)
    ]


def test_a_broken_callback_is_named_in_the_problems(setup, clock):
    emulator, service, _, tracker = setup
    tracker.on_change(lambda job, old, new: 1 / 0)
    tracker.track_response(start_job(emulator, service))
    drive(tracker, clock)
    assert tracker.problems == ["a status callback failed: ZeroDivisionError: division by zero"]


def polling_threads(emulator, clock, environments: int, **options) -> set[str]:
    """The names of the threads one round polled ``environments`` environments' jobs in."""
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(**options))
    seen = set()
    tracker.on_change(lambda job, old, new: seen.add(threading.current_thread().name))
    for i in range(environments):
        tracker.track_response(start_job(emulator, service, f"app{i}"))
    clock.advance(10)
    try:
        assert tracker.poll_due() == environments
    finally:
        tracker.stop()
    return seen


@pytest.mark.parametrize(
    ("options", "environments", "threads"),
    [
        ({"poll_concurrency": 8}, 2, {"job-poll"}),
        ({"poll_concurrency": 2}, 2, {"job-poll"}),
        ({"poll_concurrency": 1}, 2, {"MainThread"}),
        ({"poll_concurrency": 8}, 1, {"MainThread"}),  # one environment: no pool
    ],
)
def test_environments_are_polled_at_once_unless_told_not_to(
    emulator, clock, options, environments, threads
):
    seen = polling_threads(emulator, clock, environments, **options)
    assert {name.split("_")[0] for name in seen} == threads  # (job-poll_0, job-poll_1, ...)


@pytest.mark.parametrize(("options", "most"), [({"poll_concurrency": 2}, 2), ({}, 8)])
def test_poll_concurrency_environments_are_polled_at_once_and_no_more(
    emulator, clock, options, most
):
    """Eight by default. The status callbacks of the first round of polls wait until ``most``
    are held at once (a smaller pool never gets there), then up to 0.3 s more for one too
    many (a larger pool would get there at once); the last environment waits its turn."""
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(**options))
    held = [0, 0]  # now, at most
    full = threading.Event()
    change = threading.Condition()

    def hold(job, old, new):
        with change:
            held[0] += 1
            held[1] = max(held)
            change.notify_all()
            if not full.is_set():
                change.wait_for(lambda: held[0] >= most, timeout=30)
                full.set()
                change.wait_for(lambda: held[0] > most, timeout=0.3)
            held[0] -= 1

    tracker.on_change(hold)
    for i in range(most + 1):
        tracker.track_response(start_job(emulator, service, f"app{i}"))
    clock.advance(10)
    try:
        assert tracker.poll_due() == most + 1
    finally:
        tracker.stop()
    assert held[1] == most


def test_a_failing_round_is_a_problem_and_the_rounds_go_on():
    with Emulator(job_seconds=0) as emu:
        service = BackendAuthService(emu.connection())
        history = JobHistory(":memory:")
        tracker = JobTracker(service, history, policy=TrackerPolicy(min_interval=0.01))
        response = start_job(emu, service)
        tracker.track(response["AppId"], "dev", response["JobId"])
        history.close()  # every round now fails to record what it learns
        tracker.start()
        try:
            waited = threading.Event()
            for _ in range(1000):
                if len(tracker.problems) >= 2:
                    break
                waited.wait(0.01)
        finally:
            tracker.stop()
        assert not tracker.running
    failed = "a polling round failed: ProgrammingError: Cannot operate on a closed database."
    assert tracker.problems[:2] == [failed, failed]


def test_the_schedule_is_planned_again_once_new_durations_are_half_the_old(clock):
    """Planned from 5 jobs of 5 s; 4 more of 20 s: the 4th makes 4 new of 9 known."""
    seconds = {"n": 5.0}
    with Emulator(clock=clock, job_seconds=lambda op, app: seconds["n"]) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0))
        windows = []
        for i in range(9):
            seconds["n"] = 5.0 if i < 5 else 20.0
            tracker.track_response(start_job(emu, service, f"j{i}"))
            drive(tracker, clock)
            windows.append(tracker.window("CreateBackendAuth"))
        assert windows[:4] == [None] * 4  # fewer than min_samples
        assert windows[4] == windows[5] == windows[6] == windows[7]  # 1 to 3 new: no new plan
        assert windows[4] == (pytest.approx(5.0, abs=0.01), pytest.approx(5.0, abs=0.01))
        assert windows[8][1] > 10.0  # planned again, from all nine


def test_polls_after_the_usual_window_are_jittered_and_inside_it_are_not(clock):
    import random

    seconds = {"n": 10.0}
    with Emulator(clock=clock, job_seconds=lambda op, app: seconds["n"]) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0))
        for i in range(5):
            tracker.track_response(start_job(emu, service, f"w{i}"))
            drive(tracker, clock)
        step = tracker.schedule("CreateBackendAuth").interval
        tracker.policy, tracker.rng = replace(tracker.policy, jitter=0.1), random.Random(2)
        seconds["n"] = 200.0
        job = tracker.track_response(start_job(emu, service, "slow"))
        times = poll_times(tracker, clock, job)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert times[0] == pytest.approx(10.0, abs=0.01)  # the window's start, exactly
    assert gaps[0] == pytest.approx(step, abs=1e-6)  # at its end: not yet overdue
    # overdue: doubling from the dense interval up to max_interval, each spread by the jitter
    plain = [min(60.0, step * 2**k) for k in range(1, len(gaps))]
    ratios = [gap / base for gap, base in zip(gaps[1:], plain, strict=True)]
    assert all(0.9 <= r <= 1.1 for r in ratios[:-1])
    assert any(abs(r - 1) > 0.01 for r in ratios[:-1])


def on_its_own_clock(emulator, clock, **policy):
    """A service, a history whose own clock is far from the tracker's, and a tracker: what is
    on record by the tracker's clock shows it."""
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", FakeClock(1_000_000_000.0))
    return (
        service,
        history,
        JobTracker(service, history, clock=clock, policy=TrackerPolicy(**policy)),
    )


def test_what_discovery_records_is_dated_by_the_tracker_clock(emulator, clock):
    """The history's own clock is only its default: a job the tracker saw finish is on record
    at the tracker's time, as its polls are."""
    service, history, tracker = on_its_own_clock(emulator, clock)
    created = start_job(emulator, service, "dated")
    clock.advance(30)
    assert tracker.discover(created["AppId"], "dev") == []
    row = history.jobs().iloc[0]
    assert row["status"] == "COMPLETED" and row["updated"].timestamp() == clock()


def test_a_job_tracked_with_its_status_is_on_record_at_the_trackers_time(emulator, clock):
    """As discovery's: a status handed to ``track`` is on record when the tracker was told
    it, by the tracker's clock, not by the history's own."""
    _, history, tracker = on_its_own_clock(emulator, clock)
    clock.advance(30)
    tracker.track("d1", "dev", "j1", "CreateBackendAuth", "IN_PROGRESS", created=clock() - 5)
    row = history.jobs().iloc[0]
    assert row["updated"].timestamp() == clock() and row["created"].timestamp() == clock() - 5
    assert history.events()["time"].map(lambda t: t.timestamp()).tolist() == [clock()]


def test_a_job_listed_with_its_environment_s_ends_with_its_error_at_the_trackers_time(
    emulator, clock
):
    """Two jobs of one environment are asked about by one ListBackendJobs call: a failed one
    ends there with the service's error, finished (and on record) at the round's time."""
    service, history, tracker = on_its_own_clock(emulator, clock, jitter=0.0)
    emulator.fail_rate = 1.0
    job = tracker.track_response(start_job(emulator, service, "failing"))
    ghost = tracker.track(job.app_id, "dev", "ghost")  # not listed: a miss, nothing else
    clock.advance(30)
    assert tracker.poll_due() == 1  # one list call for both
    error = service.get_backend_job(job.app_id, "dev", job.job_id)["Error"]
    assert error and job.status == "FAILED" and job.error == error
    assert job.finished == clock() and ghost.misses == 1
    row = history.jobs().set_index("job_id").loc[job.job_id]
    assert row["status"] == "FAILED" and row["updated"].timestamp() == clock()


def test_a_follower_waits_for_each_poll_however_short_the_wait(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0, min_interval=0.5))
    job = tracker.track_response(start_job(emulator, service))
    stop = ClockedStop(clock)
    tracker.follow_job(job, stop)
    # 0.5 s growing by half each time, until the job's 5 s are over: one poll after each wait
    assert stop.waits == pytest.approx([0.5, 0.75, 1.125, 1.6875, 2.53125])
    assert job.status == "COMPLETED" and job.polls == tracker.calls == 5


def test_follow_sleeps_each_wait_however_short(emulator, clock):
    # the CLI's --wait: every wait slept, the short ones too (not polled at once, nor spun on)
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0, min_interval=0.5))
    sleeps, sleep = recording_sleep(clock)
    job = tracker.follow(start_job(emulator, service), sleep=sleep)
    assert sleeps == pytest.approx([0.5, 0.75, 1.125, 1.6875, 2.53125])
    assert job.status == "COMPLETED" and job.polls == tracker.calls == 5


def test_follow_fills_what_the_response_lacks_from_the_call(setup, clock):
    emulator, service, _, tracker = setup
    for i in range(5):  # jobs of this operation take 5 s: its schedule asks at 5 s
        tracker.track_response(start_job(emulator, service, f"learn{i}"))
        drive(tracker, clock)
    response = start_job(emulator, service)
    request = {"AppId": response["AppId"], "BackendEnvironmentName": "dev"}
    bare = {"JobId": response["JobId"], "Status": "IN_PROGRESS"}
    sleeps, sleep = recording_sleep(clock)
    job = tracker.follow(bare, "CreateBackendAuth", request, sleep=sleep)
    assert (job.app_id, job.env, job.operation) == (response["AppId"], "dev", "CreateBackendAuth")
    # the operation given, not the response's (it has none), chose the schedule
    assert job.status == "COMPLETED" and sleeps == [pytest.approx(5.0, abs=0.01)]


def test_follow_asks_at_once_about_a_job_already_due(setup, clock):
    emulator, service, _, tracker = setup
    response = start_job(emulator, service)
    job = tracker.track_response(response)
    clock.now = job.next_poll
    sleeps, sleep = recording_sleep(clock)
    assert tracker.follow(response, sleep=sleep) is job
    assert job.polls == 2 and sleeps == [pytest.approx(3.0)]


def test_the_background_thread_is_named_and_never_holds_the_interpreter(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock)
    tracker.start()
    try:
        assert tracker.start() is tracker  # already running: the same thread
        threads = [t for t in threading.enumerate() if t.name == "job-tracker"]
        assert len(threads) == 1 and threads[0].daemon
    finally:
        tracker.stop()
    assert not tracker.running


def test_stop_waits_ten_seconds_for_the_polling_thread_unless_told(emulator, clock, monkeypatch):
    """How long each ``stop`` waits, read from the join it makes (the thread ends at once)."""
    waits = []
    join = threading.Thread.join

    def recording_join(thread, timeout=None):
        if thread.name == "job-tracker":
            waits.append(timeout)
        join(thread, timeout)

    tracker = JobTracker(BackendAuthService(emulator.connection()), clock=clock)
    monkeypatch.setattr(threading.Thread, "join", recording_join)
    tracker.start().stop()
    tracker.start().stop(timeout=2.5)
    monkeypatch.undo()
    assert waits == [10.0, 2.5] and not tracker.running


def test_stop_gives_up_on_a_stuck_round_and_the_tracker_starts_again(emulator, clock):
    """A callback that blocks holds its round: ``stop`` waits ``timeout`` for the thread and
    does not wait on the round's pool; started again, the tracker polls as before."""
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock)
    release, entered = threading.Event(), threading.Event()

    def stuck(job, old, new):
        entered.set()
        release.wait(30)

    tracker.on_change(stuck)
    for name in ("one", "two"):  # two environments: the round polls them in its pool
        tracker.track_response(start_job(emulator, service, name))
    clock.advance(10)
    tracker.start()
    try:
        assert entered.wait(30)
        tracker.stop(timeout=0.05)
        assert tracker.running  # the round is still stuck in the callback
    finally:
        release.set()
        tracker.stop()
    assert not tracker.running
    tracker.on_change(stuck, remove=True)
    for name in ("three", "four"):
        tracker.track_response(start_job(emulator, service, name))
    clock.advance(10)
    assert tracker.poll_due() == 2  # a new pool for the new round
    tracker.stop()


class RecordingWake(threading.Event):
    """The background loop's wake-up event: records how long each wait would be, moves
    ``step`` along, and stops the loop after the last step."""

    def __init__(self, tracker, steps):
        super().__init__()
        self.tracker, self.steps, self.waits = tracker, list(steps), []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        if self.steps:
            self.steps.pop(0)()
        else:
            self.tracker._stop.set()
        return True


def test_the_background_loop_wakes_when_the_next_poll_is_due_at_most_a_second_on(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    tracker = JobTracker(service, clock=clock, policy=TrackerPolicy(jitter=0.0, min_interval=0.5))
    app_id = emulator.create_app("woken", ("dev",))
    steps = [
        lambda: tracker.track(app_id, "dev", "soon"),  # due in 0.5 s
        lambda: tracker.track(app_id, "dev", "late", followed=True) and clock.advance(0.4),
        lambda: clock.advance(0.1),  # "soon" is asked about, missed, and asked again in 2 s
    ]
    tracker._wake = RecordingWake(tracker, steps)
    tracker._loop()
    # nothing pending: a second; a poll due in 0.5 s, then in 0.1 s: until then; one due in
    # 2 s: a second, and look again
    assert tracker._wake.waits == [1.0, pytest.approx(0.5), pytest.approx(0.1), 1.0]


def test_a_list_call_takes_on_the_pending_jobs_started_elsewhere(setup, clock):
    emulator, service, _, tracker = setup
    created = start_job(emulator, service, "shared")
    app_id = created["AppId"]
    clock.advance(5)  # finished, and never tracked here
    deleted = service.delete_backend_auth(app_id, "dev", "mainauth")  # pending, not tracked
    started = clock()
    ghosts = [tracker.track(app_id, "dev", name) for name in ("g1", "g2")]
    clock.now = tracker.next_due()
    assert tracker.poll_due() == 1  # one list call for the environment
    assert set(tracker.jobs) == {"g1", "g2", deleted["JobId"]}
    found = tracker.jobs[deleted["JobId"]]
    assert (found.app_id, found.env, found.job_id, found.operation, found.status) == (
        app_id,
        "dev",
        deleted["JobId"],
        "DeleteBackendAuth",
        "IN_PROGRESS",
    )
    assert found.created == pytest.approx(started, abs=0.01)
    assert [g.misses for g in ghosts] == [1, 1]
