"""JobTracker against the emulator on a fake clock: schedules, batching, faults, deadlines."""

from __future__ import annotations

import itertools
import threading
from dataclasses import replace

import pytest
from conftest import valid_request
from support.jobs import drive

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.core.lifecycle import Verdict
from amplify_auth_widgets.emulator import Emulator


@pytest.fixture
def setup(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    service.on_call = history.record_call
    tracker = JobTracker(service, history, clock=clock, policy=TrackerPolicy(jitter=0.0))
    return emulator, service, history, tracker


def start_job(emulator, service, name="app", env="dev", **changes):
    app_id = emulator.create_app(name, (env,))
    request = valid_request(AppId=app_id, BackendEnvironmentName=env, **changes)
    return service.create_backend_auth(request)


def test_jobs_complete_and_fail_with_callbacks(setup, clock):
    emulator, service, history, tracker = setup
    seen = []
    tracker.on_change(lambda job, old, new: seen.append((job.job_id, old, new)))
    ok = tracker.track_response(start_job(emulator, service, "ok"))
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "bad/name"
    app_id = emulator.create_app("bad", ("dev",))
    failing = service.create_backend_auth(
        {**request, "AppId": app_id, "BackendEnvironmentName": "dev"}, force=True
    )
    bad = tracker.track_response(failing)
    drive(tracker, clock)
    assert (ok.status, bad.status) == ("COMPLETED", "FAILED")
    assert "UserPoolName" in bad.error
    assert (ok.job_id, "IN_PROGRESS", "COMPLETED") in seen
    assert (bad.job_id, "IN_PROGRESS", "FAILED") in seen
    assert history.status_of(ok.job_id) == "COMPLETED"


def test_backoff_without_history_and_schedule_with_it(setup, clock):
    emulator, service, _, tracker = setup
    job = tracker.track_response(start_job(emulator, service, "first"))
    times = []
    while not job.done:
        clock.now = tracker.next_due()
        times.append(clock.now - job.created)
        tracker.poll_due()
    gaps = [b - a for a, b in zip([0, *times], times, strict=False)]
    assert gaps[0] == pytest.approx(2.0)  # min_interval
    assert all(later > earlier for earlier, later in itertools.pairwise(gaps))
    for i in range(5):  # history learns: every job of this emulator takes 5 s
        tracker.track_response(start_job(emulator, service, f"learn{i}"))
        drive(tracker, clock)
    start, end = tracker.window("CreateBackendAuth")
    assert start == pytest.approx(5.0, abs=0.01) and end == pytest.approx(5.0, abs=0.01)
    job = tracker.track_response(start_job(emulator, service, "known"))
    times = []
    while not job.done:
        clock.now = tracker.next_due()
        times.append(clock.now - job.created)
        tracker.poll_due()
    # nothing before the jobs usually end; then it is seen at once
    assert times == [pytest.approx(5.0, abs=0.01)]


def test_window_polls_then_backs_off_when_overdue(clock):
    durations = {"n": 10.0}
    with Emulator(clock=clock, job_seconds=lambda op, app: durations["n"]) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        history = JobHistory(":memory:", clock)
        tracker = JobTracker(service, history, clock=clock, policy=TrackerPolicy(jitter=0.0))
        for i in range(5):
            tracker.track_response(start_job(emu, service, f"w{i}"))
            drive(tracker, clock)
        durations["n"] = 40.0  # much slower than usual
        step = tracker.schedule("CreateBackendAuth").interval
        job = tracker.track_response(start_job(emu, service, "slow"))
        times = []
        while not job.done:
            clock.now = tracker.next_due()
            times.append(round(clock.now - job.created, 3))
            tracker.poll_due()
        assert times[0] == pytest.approx(10.0, abs=0.01)  # straight to when jobs usually end
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # then backoff from the dense interval, doubling up to max_interval
        expected = [step] + [min(60.0, step * 2**k) for k in range(1, len(gaps))]
        assert gaps == pytest.approx(expected, abs=1e-3)
        assert times[-2] < 40 <= times[-1]


def test_many_jobs_in_one_environment_share_one_list_call(setup, clock):
    emulator, service, history, tracker = setup
    created = start_job(emulator, service, "shared", env="prod")
    app_id = created["AppId"]
    clock.advance(5)  # let it finish, then start a second job there
    tracker.track_response(created)
    second = service.delete_backend_auth(app_id, "prod", "mainauth")
    tracker.track_response(second)
    before = len(history.requests())
    drive(tracker, clock)
    assert {j.status for j in tracker.jobs.values()} == {"COMPLETED"}
    # one list call for the two pending jobs (it finds the first done), then one get for the
    # one left: nothing else
    calls = history.requests()["operation"].astype(str).tolist()[before:]
    assert calls == ["ListBackendJobs", "GetBackendJob"] and tracker.calls == 2
    ids = [created["JobId"], second["JobId"]]
    frame = history.jobs().set_index("job_id")
    assert frame.loc[ids, "status"].astype(str).tolist() == ["COMPLETED", "COMPLETED"]
    assert history.terminal_event_counts() == dict.fromkeys(ids, 1)
    assert history.unfinished() == []


def test_terminal_statuses_learned_from_the_list_are_recorded(emulator, clock, tmp_path):
    path = tmp_path / "history.sqlite3"
    history = JobHistory(path, clock)
    service = BackendAuthService(emulator.connection(), on_call=history.record_call)
    tracker = JobTracker(service, history, clock=clock, policy=TrackerPolicy(jitter=0.0))
    created = start_job(emulator, service, "listed", env="prod")
    clock.advance(5)
    second = service.delete_backend_auth(created["AppId"], "prod", "mainauth")
    for response in (created, second):
        tracker.track_response(response)
    clock.advance(5)  # both are done before the tracker asks: one list call learns it
    drive(tracker, clock)
    calls = tracker.history.requests()["operation"].astype(str).tolist()
    assert calls.count("ListBackendJobs") == 1 and "GetBackendJob" not in calls
    ids = [created["JobId"], second["JobId"]]
    assert [tracker.jobs[i].status for i in ids] == ["COMPLETED", "COMPLETED"]
    assert [tracker.history.status_of(i) for i in ids] == ["COMPLETED", "COMPLETED"]
    assert tracker.history.terminal_event_counts() == dict.fromkeys(ids, 1)
    tracker.history.close()
    # a new kernel on the same history has nothing to resume, and asks the service nothing
    again = BackendAuthService(emulator.connection())
    resumed = JobTracker(again, JobHistory(path, clock), clock=clock)
    assert resumed.resume() == [] and resumed.pending == []
    assert again.calls == 0
    resumed.history.close()


def test_discover_jobs_started_elsewhere(setup, clock):
    emulator, service, _, tracker = setup
    created = start_job(emulator, service, "elsewhere")
    found = tracker.discover(created["AppId"], "dev")
    assert [j.job_id for j in found] == [created["JobId"]]
    drive(tracker, clock)
    assert found[0].status == "COMPLETED"


def test_faults_lose_and_duplicate_nothing(clock):
    with Emulator(
        clock=clock, job_seconds="20-60", throttle_rate=0.3, timeout_rate=0.1, seed=3
    ) as emu:
        service = BackendAuthService(emu.connection(max_attempts=3), sleep=lambda s: None)
        history = JobHistory(":memory:", clock)
        service.on_call = history.record_call
        tracker = JobTracker(service, history, clock=clock)
        ids = []
        for i in range(20):
            app_id = emu.create_app(f"f{i}", ("dev",))
            while True:  # the create call itself may be throttled past its retries
                try:
                    response = service.create_backend_auth(
                        valid_request(AppId=app_id, BackendEnvironmentName="dev")
                    )
                    break
                except Exception:
                    continue
            ids.append(tracker.track_response(response).job_id)
        drive(tracker, clock)
        assert all(tracker.jobs[i].status == "COMPLETED" for i in ids)
        assert history.terminal_event_counts() == dict.fromkeys(ids, 1)
        assert tracker.problems  # faults outlasted the retries at times, and were ridden out
        frame = history.jobs()
        assert sorted(frame["job_id"]) == sorted(ids)


def test_deadline_is_a_local_verdict(clock):
    with Emulator(clock=clock, job_seconds=1000) as emu:
        service = BackendAuthService(emu.connection())
        history = JobHistory(":memory:", clock)
        tracker = JobTracker(service, history, clock=clock, policy=TrackerPolicy(deadline=100))
        job = tracker.track_response(start_job(emu, service))
        drive(tracker, clock)
        assert job.status == Verdict.TIMED_OUT and clock.now - job.created == pytest.approx(100)
        row = history.jobs().iloc[0]
        assert row["status"] == "IN_PROGRESS" and row["timed_out"]  # the service's status stays
        assert history.events()["source"].astype(str).tolist()[-1] == "local"


def test_stop_and_resume_on_the_same_history(tmp_path, clock):
    path = tmp_path / "history.sqlite3"
    with Emulator(clock=clock, job_seconds=30) as emu:
        service = BackendAuthService(emu.connection())
        first = JobTracker(service, JobHistory(path, clock), clock=clock)
        ids = [first.track_response(start_job(emu, service, f"r{i}")).job_id for i in range(3)]
        clock.advance(3)
        first.poll_due()
        first.history.close()  # the kernel restarts
        history = JobHistory(path, clock)
        assert sorted(j["JobId"] for j in history.unfinished()) == sorted(ids)
        second = JobTracker(
            BackendAuthService(emu.connection()), history, clock=clock
        )  # a new kernel
        assert len(second.resume()) == 3
        drive(second, clock)
        assert history.unfinished() == [] and history.terminal_event_counts() == dict.fromkeys(
            ids, 1
        )


def test_background_thread_never_blocks_and_stops():
    with Emulator(job_seconds=0) as emu:
        service = BackendAuthService(emu.connection())
        tracker = JobTracker(
            service, JobHistory(":memory:"), policy=TrackerPolicy(min_interval=0.05)
        )
        done = threading.Event()
        tracker.on_change(lambda job, old, new: new == "COMPLETED" and done.set())
        tracker.start()
        assert tracker.running
        tracker.track_response(start_job(emu, service))
        assert done.wait(10), tracker.problems
        tracker.stop()
        assert not tracker.running


def test_a_broken_callback_does_not_stop_tracking(setup, clock):
    emulator, service, _, tracker = setup
    tracker.on_change(lambda job, old, new: 1 / 0)
    job = tracker.track_response(start_job(emulator, service))
    drive(tracker, clock)
    assert job.status == "COMPLETED" and "ZeroDivisionError" in tracker.problems[-1]


def test_unknown_jobs_are_dropped_after_three_misses(setup, clock):
    emulator, _, _, tracker = setup
    app_id = emulator.create_app("ghost", ("dev",))
    job = tracker.track(app_id, "dev", "no-such-job")
    drive(tracker, clock)
    assert job.status == "NOT_FOUND (local)"


def test_follow_waits_on_the_tracker_schedule_and_times_out_locally(setup, clock):
    emulator, service, history, tracker = setup
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock.advance(seconds)

    started = clock()
    job = tracker.follow(start_job(emulator, service, "followed"), sleep=sleep)
    assert job.status == "COMPLETED" and job.last["Status"] == "COMPLETED"
    assert sum(sleeps) >= 3.0  # the emulator's job time; nothing was asked before it was due
    assert sleeps == [pytest.approx(2.0), pytest.approx(3.0)]  # min_interval, then x1.5
    assert clock() - started == pytest.approx(5.0)
    assert history.status_of(job.job_id) == "COMPLETED"
    tracker.policy = replace(tracker.policy, deadline=1.0)
    response = service.delete_backend_auth(job.app_id, job.env, "mainauth")
    late = tracker.follow(response, sleep=sleep)
    assert late.status == Verdict.TIMED_OUT and late.last["Status"] == "IN_PROGRESS"
    assert history.jobs().set_index("job_id").loc[late.job_id, "timed_out"]


def test_jobs_that_end_at_once_are_asked_about_at_once(clock):
    """Learned durations of a few milliseconds: the first poll is that soon, not one dense
    interval (at least 50 ms) later, which made a fleet apply wait on every target."""
    with Emulator(clock=clock, job_seconds=0.002) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        history = JobHistory(":memory:", clock)
        service.on_call = history.record_call
        tracker = JobTracker(service, history, clock=clock, policy=TrackerPolicy(jitter=0.0))
        for i in range(5):
            tracker.track_response(start_job(emu, service, f"w{i}"))
            drive(tracker, clock)
        schedule = tracker.schedule("CreateBackendAuth")
        assert schedule.first < 0.01 < 0.05 <= schedule.interval
        job = tracker.track_response(start_job(emu, service, "instant"))
        assert tracker.next_due() - job.created < 0.01
        clock.now = tracker.next_due() + 0.002
        tracker.poll_due()
        assert job.status == "COMPLETED" and job.polls == 1


def test_a_followed_job_is_polled_by_its_follower_alone(tmp_path):
    """``follow_job`` polls in the caller's thread; the background rounds leave the job alone
    meanwhile (one poller a job), and take it on again when the follower stops."""
    with Emulator(job_seconds=0.05, db=str(tmp_path / "s.sqlite3")) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        tracker = JobTracker(service, policy=TrackerPolicy(min_interval=0.02, max_interval=0.05))
        job = tracker.track_response(start_job(emu, service, "mine"), followed=True)
        assert tracker.poll_due(now=job.created + 3600) == 0 and tracker.next_due() is None
        stop = threading.Event()
        stop.set()
        assert tracker.follow_job(job, stop) is job and not job.done and not job.followed
        assert tracker.next_due() is not None  # the rounds have it again
        tracker.follow_job(job)
        assert job.status == "COMPLETED" and not job.followed
        assert tracker.calls == job.polls >= 1
