"""JobTracker's rules, exactly, against the emulator on a fake clock: when each poll happens,
what a miss, a fault or a deadline does, what discovery tracks, what callbacks are told."""

from __future__ import annotations

import threading

import pytest
from conftest import valid_request

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker

NOT_FOUND = "NOT_FOUND (local)"


@pytest.fixture
def setup(emulator, clock):
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    tracker = JobTracker(service, history, clock=clock, jitter=0.0)
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
    job = tracker.track(app_id, "dev", "no-such-job")
    # min_interval, then backing off from it after each miss: 2 * 2**2, 2 * 2**3
    assert poll_times(tracker, clock, job) == [2.0, 10.0, 26.0]
    assert (job.status, job.misses, tracker.calls) == (NOT_FOUND, 3, 3)
    assert seen == [(job, None, NOT_FOUND)]
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
    assert found[0].created == pytest.approx(started)  # the service's time, not when found
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

    def wait(self, timeout=None):
        self.clock.advance(timeout or 0)
        return self.is_set()


def test_a_job_being_followed_is_left_alone_by_the_rounds(setup, clock):
    emulator, service, _, tracker = setup
    response = start_job(emulator, service)
    job = tracker.track(response["AppId"], "dev", response["JobId"])
    due_while_followed = []
    tracker.on_change(lambda j, old, new: due_while_followed.append(tracker.next_due()))
    assert tracker.follow_job(job, ClockedStop(clock)) is job
    assert job.status == "COMPLETED" and not job.followed
    # told of IN_PROGRESS while followed: no round was due for it
    assert due_while_followed == [None, None]
