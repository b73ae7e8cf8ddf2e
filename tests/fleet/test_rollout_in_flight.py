"""An apply's jobs in flight and what it decides to send, against the emulator: every app's job
pending at once with a single sending thread, the one tracker following them all, an app's
targets still one after the other; a run again sends nothing (history in memory or on disk);
a durable history is no proof of state (an environment changed since is sent again, a pending
job the service does not know is decided again); a dry run shows what is unchanged; an
interruption leaves every job on record; throttled sends slow down and none fails. The
emulator's clock is the test's: its jobs end when the test moves it, never after a sleep."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pandas as pd
import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.client.service import ADAPTIVE
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
#: What the environments have before an apply: the template with a shorter password.
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APPS = [f"d{n}inflight" for n in range(1, 7)]
ENVS = ("dev", "prod")


class Clocked:
    """An emulator whose clock runs ``offset`` seconds ahead of the real one, its jobs 600 s
    long, and APPS x ENVS with STORED auth (fixed app ids: a second emulator has the same)."""

    def __init__(self, db: str, seed: int = 7) -> None:
        self.offset = 0.0
        self.emulator = Emulator(
            job_seconds=600, seed=seed, db=db, clock=lambda: time.time() + self.offset
        )
        store, now = self.emulator.backend.store, self.emulator.clock()
        for app_id in APPS:
            store.put_app(app_id, app_id, {}, now)
            for env in ENVS:
                store.put_environment(app_id, env, {}, now)
                store.put_auth(app_id, env, "fleetauth", STORED, now)

    def fleet(self, history: JobHistory) -> Fleet:
        """A fleet whose waits cost no time (its tracker asks about a job a moment after it
        starts, and again soon: never on a schedule learned from the jobs the test's clock
        makes last 1000 s)."""
        service = BackendAuthService(
            self.emulator.connection(), on_call=history.record_call, sleep=lambda s: None
        )
        policy = TrackerPolicy(min_interval=0.02, max_interval=0.1, min_samples=10**6)
        return Fleet(service, history, JobTracker(service, history, policy=policy))

    def end_jobs_on(self, operation: str) -> None:
        """Every job ends each time the emulator answers ``operation``."""

        def hook(service, answered, *rest) -> None:
            if answered == operation:
                self.offset += 1000.0

        self.emulator.app.response_hooks.append(hook)

    def pending(self) -> int:
        """Jobs the service is running now."""
        rows = self.emulator.backend.store.query("SELECT end_time FROM jobs")
        now = self.emulator.clock()
        return sum(row["end_time"] > now for row in rows)

    def jobs(self) -> list[dict]:
        return self.emulator.backend.store.query(
            "SELECT job_id, app_id, env_name, create_time, end_time FROM jobs ORDER BY seq"
        )


@pytest.fixture
def clocked(tmp_path) -> Iterator[Clocked]:
    world = Clocked(str(tmp_path / "state.sqlite3"))
    with world.emulator:
        yield world


def targets(apps=APPS, envs=ENVS) -> pd.DataFrame:
    return pd.DataFrame([{"app_id": a, "environment": e} for a in apps for e in envs])


def sent(history: JobHistory) -> list[str]:
    calls = history.requests()
    return calls[calls["operation"].astype(str) == "UpdateBackendAuth"]["job_id"].tolist()


@pytest.mark.timeout(60)  # (were the jobs bounded by the thread, it would wait forever)
def test_every_app_has_a_job_in_flight_with_one_sending_thread(clocked):
    history = JobHistory(":memory:")
    fleet = clocked.fleet(history)
    seen: list[int] = []

    def on_sent(service, answered, status, headers, body) -> None:
        if answered == "UpdateBackendAuth":
            seen.append(clocked.pending())
            if seen[-1] == len(APPS):  # every app's job running at once: now they all end
                clocked.offset += 1000.0

    clocked.emulator.app.response_hooks.append(on_sent)
    results = fleet.apply(TEMPLATE, targets(), mode="update", concurrency=1)
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * len(APPS) * len(ENVS)
    assert max(seen) == len(APPS)  # not 1: the thread sends, the tracker follows
    jobs = clocked.jobs()
    assert len(jobs) == len(APPS) * len(ENVS)  # each target sent once
    for app_id in APPS:  # an app's targets one after the other: never two of its jobs at once
        first, second = [j for j in jobs if j["app_id"] == app_id]
        assert second["create_time"] >= first["end_time"]
    # one tracker followed every job, none in a thread of its own
    assert set(fleet.tracker.jobs) == {j["job_id"] for j in jobs}
    assert not any(job.followed for job in fleet.tracker.jobs.values())
    assert fleet.tracker.pending == [] and not fleet.tracker.running  # its thread: the apply's


def test_a_tracker_already_running_follows_the_jobs_and_is_left_running(clocked):
    fleet = clocked.fleet(JobHistory(":memory:"))
    clocked.end_jobs_on("GetBackendJob")
    fleet.tracker.start()  # the app's, say
    try:
        results = fleet.apply(TEMPLATE, targets(APPS[:2], ("dev",)), mode="update")
        assert fleet.tracker.running
    finally:
        fleet.tracker.stop()
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * 2
    assert set(fleet.tracker.jobs) == set(results["job_id"])


@pytest.mark.parametrize("durable", [False, True])
def test_a_run_again_sends_nothing_and_names_the_job_that_applied_it(clocked, tmp_path, durable):
    clocked.offset, path = 0.0, str(tmp_path / "history.sqlite3") if durable else ":memory:"
    history = JobHistory(path)
    clocked.end_jobs_on("GetBackendJob")
    first = clocked.fleet(history).apply(TEMPLATE, targets(APPS[:2]), mode="update")
    assert first["status"].astype(str).tolist() == ["COMPLETED"] * 4
    # the same fleet (one kernel), or a new one on the same file (a new kernel)
    again_history = JobHistory(path) if durable else history
    fleet = clocked.fleet(again_history)
    dry = fleet.apply(TEMPLATE, targets(APPS[:2]), mode="update", dry_run=True)
    again = fleet.apply(TEMPLATE, targets(APPS[:2]), mode="update")
    for frame in (dry, again):
        assert frame["status"].astype(str).tolist() == [Outcome.UNCHANGED] * 4
        assert frame["job_id"].isna().all() and frame["error"].isna().all()
        assert frame["applied_by"].tolist() == first["job_id"].tolist()
    assert dry["diff"].tolist() == [[]] * 4
    assert len(clocked.jobs()) == 4 and len(sent(again_history)) == 4  # nothing sent again


def test_an_environment_changed_since_the_history_s_apply_is_sent_again(clocked, tmp_path):
    path = str(tmp_path / "history.sqlite3")
    clocked.end_jobs_on("GetBackendJob")
    first = clocked.fleet(JobHistory(path)).apply(TEMPLATE, targets(APPS[:1]), mode="update")
    assert first["status"].astype(str).tolist() == ["COMPLETED"] * 2
    # someone sets dev back in the console: the history still says COMPLETED
    store = clocked.emulator.backend.store
    store.put_auth(APPS[0], "dev", "fleetauth", STORED, clocked.emulator.clock())
    again = clocked.fleet(JobHistory(path)).apply(TEMPLATE, targets(APPS[:1]), mode="update")
    dev, prod = again.to_dict("records")
    assert dev["status"] == "COMPLETED" and dev["job_id"] not in first["job_id"].tolist()
    assert dev["applied_by"] == first["job_id"][0]  # the history reports, it does not decide
    assert prod["status"] == Outcome.UNCHANGED and pd.isna(prod["job_id"])
    assert len(clocked.jobs()) == 3


def test_a_pending_job_the_service_does_not_know_is_decided_by_the_configuration(tmp_path):
    path = str(tmp_path / "history.sqlite3")
    before = Clocked(str(tmp_path / "before.sqlite3"))
    cancel = threading.Event()
    with before.emulator:  # a run interrupted while its job was pending...
        before.emulator.app.response_hooks.append(
            lambda service, answered, *rest: answered == "GetBackendJob" and cancel.set()
        )
        (row,) = (
            before.fleet(JobHistory(path))
            .apply(TEMPLATE, targets(APPS[:1], ("dev",)), mode="update", cancel=cancel)
            .to_dict("records")
        )
    assert row["status"] == Outcome.CANCELLED and pd.notna(row["job_id"])
    # ...and the emulator restarted (its job ids drawn afresh: not the same seed's)
    after = Clocked(str(tmp_path / "after.sqlite3"), seed=8)
    with after.emulator:
        after.end_jobs_on("UpdateBackendAuth")
        history = JobHistory(path)
        (again,) = (
            after.fleet(history)
            .apply(TEMPLATE, targets(APPS[:1], ("dev",)), mode="update")
            .to_dict("records")
        )
        jobs = after.jobs()
    assert again["status"] == "COMPLETED" and again["job_id"] != row["job_id"]
    assert [j["job_id"] for j in jobs] == [again["job_id"]]


def test_a_named_update_reads_one_resource_and_a_create_what_the_environment_has(clocked):
    history = JobHistory(":memory:")
    fleet = clocked.fleet(history)
    named = targets(APPS[:2], ("dev",)).assign(resource_name="fleetauth")
    stored = {"ResourceName": "fleetauth", "ResourceConfig": STORED}  # what they have
    for mode, reads in (
        ("update", ["GetBackendAuth"] * 2),  # one call a target
        ("create", ["GetBackend", "GetBackendAuth"] * 2),  # which resource, then it
    ):
        before = len(history.requests())
        results = fleet.apply(stored, named, mode=mode)
        assert results["status"].astype(str).tolist() == [Outcome.UNCHANGED] * 2, mode
        calls = history.requests()["operation"].astype(str).tolist()[before:]
        assert sorted(calls) == sorted(reads), mode
    assert clocked.jobs() == []


def test_an_interruption_leaves_every_job_on_record_and_no_thread_behind(clocked):
    history = JobHistory(":memory:")
    fleet = clocked.fleet(history)
    clocked.end_jobs_on("GetBackendJob")

    def interrupt(done: int, total: int) -> None:
        if done:  # Ctrl-C as the first target ends, and again as the apply stops
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fleet.apply(TEMPLATE, targets(), mode="update", progress=interrupt)
    assert not fleet.tracker.running
    sent_first = {j["job_id"] for j in clocked.jobs()}
    assert len(APPS) <= len(sent_first) < len(APPS) * len(ENVS)  # dev's went, not all prod's
    assert sent_first <= set(history.submissions()["job_id"])  # a run again follows them
    again = fleet.apply(TEMPLATE, targets(), mode="update")
    # ended before (seen: UNCHANGED), or followed or sent now (COMPLETED)
    assert set(again["status"].astype(str)) <= {"COMPLETED", Outcome.UNCHANGED}
    assert len(clocked.jobs()) == len(APPS) * len(ENVS)  # each sent once over both runs


def test_under_throttling_the_adaptive_sender_slows_down_and_no_target_fails(tmp_path):
    with Emulator(job_seconds=0, seed=5, db=str(tmp_path / "s.sqlite3")) as emulator:
        store, now = emulator.backend.store, emulator.clock()
        for app_id in APPS[:3]:
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "dev", {}, now)
            store.put_auth(app_id, "dev", "fleetauth", STORED, now)
        history = JobHistory(":memory:")
        service = BackendAuthService(
            emulator.connection(),
            on_call=history.record_call,
            sleep=lambda s: None,
            send_retry_mode=ADAPTIVE,  # as Fleet.connect gives it
        )
        policy = TrackerPolicy(min_interval=0.02, max_interval=0.1)
        fleet = Fleet(service, history, JobTracker(service, history, policy=policy))
        emulator.faults.throttle_rate = 0.5
        results = fleet.apply(TEMPLATE, targets(APPS[:3], ("dev",)), mode="update")
        emulator.faults.throttle_rate = 0.0
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * 3
    assert service.retries > 0  # throttled, and retried rather than given up
    sends = history.requests()
    sends = sends[sends["operation"].astype(str) == "UpdateBackendAuth"]
    assert sends["error_code"].isna().all() and len(sends) == 3  # each sent once, accepted
