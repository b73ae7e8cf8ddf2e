"""A schedule learned while jobs are pending: the jobs of that operation whose next poll was
planned without it (the back-off from ``min_interval``) are polled where the schedule puts
them, if that is sooner. A fleet's first hundred jobs start together before anything is
learned; without this the longest of them waited out the back-off and set the apply's wall
time. Against the emulator, on a fake clock."""

from __future__ import annotations

import pytest
from conftest import FakeClock, valid_request

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator

OPERATION = "CreateBackendAuth"


@pytest.fixture
def world(tmp_path):
    clock = FakeClock()

    def job_seconds(operation: str, app_id: str) -> float:
        return 30.0 if app_id == long_app[0] else 1.0

    long_app: list[str] = []
    with Emulator(job_seconds=job_seconds, clock=clock, db=str(tmp_path / "s.sqlite3")) as emu:
        long_app.append(emu.create_app("long", ("dev",)))
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        history = JobHistory(":memory:", clock)
        policy = TrackerPolicy(jitter=0.0, poll_concurrency=1)
        tracker = JobTracker(service, history, clock=clock, policy=policy)
        yield emu, service, tracker, clock, long_app[0]


def start(emu, service, tracker, name: str, app_id: str | None = None):
    app_id = app_id or emu.create_app(name, ("dev",))
    answer = service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName="dev"))
    return tracker.track_response(answer, OPERATION)


def test_pending_jobs_are_polled_by_the_schedule_learned_meanwhile(world):
    emu, service, tracker, clock, long_app = world
    long = start(emu, service, tracker, "long", long_app)  # 30 s
    short = [start(emu, service, tracker, f"short{n}") for n in range(5)]  # 1 s each
    assert tracker.schedule(OPERATION) is None  # nothing learned yet
    clock.now = tracker.next_due()
    assert clock.now - long.created == pytest.approx(2.0)  # min_interval, no history
    tracker.poll_due()  # the long job first: still pending, asked again 3 s later...
    assert all(job.done for job in short) and not long.done
    schedule = tracker.schedule(OPERATION)  # ...but five 1-second jobs have ended meanwhile
    assert schedule is not None and schedule.dense_until < 3.0
    backoff = 2.0 + 2.0 * 1.5  # where it was: the back-off without history
    assert long.next_poll - long.created < backoff
    assert long.next_poll == pytest.approx(
        long.created + 2.0 + schedule.next_after(2.0, 0, tracker.policy.max_interval)
    )
