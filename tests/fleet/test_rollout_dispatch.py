"""The dispatcher's ends of a target, against the emulator: a job the history holds pending
that a restarted service does not know, where the environment already has what the request
makes it (settled UNCHANGED, nothing sent), a target's duration read from the apply's own
clock, from its send to its job's end, the look-ups and sends in flight bounded by
``concurrency`` (the sending threads gone when the apply returns), and a send throttled
every round (its back-offs, its end, a cancel while it backs off), and a run again naming the
job that applied a target listed after a settled one. A mutation run of
fleet/rollout.py found these unchecked: the look-up before it was throttled too in the tests
of endless throttling."""

from __future__ import annotations

import json
import threading

import pandas as pd
from support.rollout import emulator_with_auth, quick_fleet

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.rollout import SEND_ROUNDS, Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APP = "d1dispatch"
TARGETS = pd.DataFrame({"app_id": [APP], "environment": ["dev"], "resource_name": ["fleetauth"]})


def emulator(db: str, seed: int, stored: dict, offset: list[float]) -> Emulator:
    return emulator_with_auth(db, APP, stored, offset, seed)


fleet = quick_fleet


def test_a_forgotten_pending_job_where_the_environment_has_the_request_is_unchanged(tmp_path):
    path, offset = str(tmp_path / "history.sqlite3"), [0.0]
    cancel = threading.Event()
    with emulator(str(tmp_path / "before.sqlite3"), 7, STORED, offset) as before:
        # a run interrupted while its job was pending: the history holds it pending
        before.app.response_hooks.append(
            lambda service, answered, *rest: answered == "GetBackendJob" and cancel.set()
        )
        (row,) = (
            fleet(before, JobHistory(path))
            .apply(TEMPLATE, TARGETS, mode="update", cancel=cancel)
            .to_dict("records")
        )
    assert row["status"] == Outcome.CANCELLED and pd.notna(row["job_id"])
    # the service restarted, knowing no job, its environment already as the request makes it
    with emulator(str(tmp_path / "after.sqlite3"), 8, CONFIG, offset) as after:
        history = JobHistory(path)
        (again,) = fleet(after, history).apply(TEMPLATE, TARGETS, mode="update").to_dict("records")
        jobs = after.backend.store.query("SELECT job_id FROM jobs")
    assert again["status"] == Outcome.UNCHANGED
    assert pd.isna(again["job_id"]) and pd.isna(again["error"])  # the forgotten job is no one's
    assert jobs == []  # nothing sent


def test_a_target_s_duration_is_the_apply_s_clock_from_its_send_to_its_job_s_end(tmp_path):
    offset, now = [0.0], [100.0]

    def ended(service, answered, *rest) -> None:
        if answered == "GetBackendJob":  # the job ends 7.5 s of the apply's clock after
            offset[0], now[0] = 1000.0, 107.5

    with emulator(str(tmp_path / "state.sqlite3"), 7, STORED, offset) as made:
        made.app.response_hooks.append(ended)
        history = JobHistory(":memory:")
        (row,) = (
            fleet(made, history)
            .apply(TEMPLATE, TARGETS, mode="update", clock=lambda: now[0])
            .to_dict("records")
        )
    assert row["status"] == "COMPLETED"
    assert row["duration"] == pd.Timedelta(seconds=7.5)
    # the job on record as what it is: that app's, that environment's, an update
    (job,) = history.jobs().to_dict("records")
    assert (job["job_id"], job["app_id"], job["environment"]) == (row["job_id"], APP, "dev")
    assert (job["operation"], job["status"]) == ("UpdateBackendAuth", "COMPLETED")


def test_a_cancel_while_a_throttled_send_backs_off_ends_the_target_cancelled(tmp_path):
    offset, cancel = [0.0], threading.Event()

    def throttle_from_now(service, answered, *rest) -> None:
        if answered == "GetBackendAuth":  # (the look-up gets through; every send is throttled)
            made.faults.throttle_rate = 1.0

    with emulator(str(tmp_path / "state.sqlite3"), 7, STORED, offset) as made:
        made.app.response_hooks.append(throttle_from_now)
        # Ctrl-C while the apply waits to send again
        (row,) = (
            fleet(made, JobHistory(":memory:"))
            .apply(TEMPLATE, TARGETS, mode="update", cancel=cancel, sleep=lambda s: cancel.set())
            .to_dict("records")
        )
        jobs = made.backend.store.query("SELECT job_id FROM jobs")
    assert row["status"] == Outcome.CANCELLED and pd.isna(row["job_id"])
    assert row["error"].startswith("TooManyRequestsException: ")  # why it was not sent yet
    assert jobs == []


def test_a_send_throttled_every_round_backs_off_each_round_then_gives_up(tmp_path):
    offset, slept = [0.0], []

    def throttle_from_now(service, answered, *rest) -> None:
        if answered == "GetBackendAuth":  # (the look-up gets through; every send is throttled)
            made.faults.throttle_rate = 1.0

    with emulator(str(tmp_path / "state.sqlite3"), 7, STORED, offset) as made:
        made.app.response_hooks.append(throttle_from_now)
        (row,) = (
            fleet(made, JobHistory(":memory:"))
            .apply(TEMPLATE, TARGETS, mode="update", sleep=slept.append)
            .to_dict("records")
        )
        jobs = made.backend.store.query("SELECT job_id FROM jobs")
    assert row["status"] == Outcome.NOT_SENT and pd.isna(row["job_id"])
    assert row["error"].startswith("TooManyRequestsException: Rate exceeded")
    # a round a back-off, the service's from its fourth step on: 0.25 s doubling, 8 s cap
    assert len(slept) == SEND_ROUNDS
    for attempt, pause in enumerate(slept):
        ceiling = min(8.0, 0.25 * 2 ** (attempt + 3))
        assert ceiling / 2 <= pause <= ceiling
    assert jobs == []


def test_at_most_concurrency_sends_are_in_flight_whatever_the_number_of_apps(tmp_path):
    apps = [f"d{n}dispatch" for n in range(1, 7)]
    seen: list[int] = []
    looking: list[int] = []  # the look-ups' threads (a pool of their own, named as by default)

    def count_senders(service, answered, *rest) -> None:
        if answered == "UpdateBackendAuth":
            seen.append(sum(t.name.startswith("fleet-send") for t in threading.enumerate()))
        elif answered == "GetBackendAuth":
            names = [t.name for t in threading.enumerate()]
            looking.append(sum(n.startswith("ThreadPoolExecutor-") for n in names))

    with Emulator(job_seconds=0, seed=7, db=str(tmp_path / "state.sqlite3")) as made:
        store, now = made.backend.store, made.clock()
        for app_id in apps:
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "dev", {}, now)
            store.put_auth(app_id, "dev", "fleetauth", STORED, now)
        made.app.response_hooks.append(count_senders)
        targets = pd.DataFrame({"app_id": apps, "environment": "dev"})
        results = fleet(made, JobHistory(":memory:")).apply(
            TEMPLATE, targets, mode="update", concurrency=2
        )
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * len(apps)
    # every app's target ready at once, sent by two threads: never more
    assert len(seen) == len(apps) and max(seen) == 2
    assert len(looking) == len(apps) and max(looking) == 2  # the look-ups before, as bounded
    assert not any(t.name.startswith("fleet-send") for t in threading.enumerate())


def test_a_run_again_names_the_job_that_applied_each_target_after_a_settled_one(tmp_path):
    offset = [0.0]

    def ended(service, answered, *rest) -> None:
        if answered == "GetBackendJob":
            offset[0] += 1000.0

    with emulator(str(tmp_path / "state.sqlite3"), 7, STORED, offset) as made:
        made.app.response_hooks.append(ended)
        history = JobHistory(":memory:")
        (first,) = fleet(made, history).apply(TEMPLATE, TARGETS, mode="update").to_dict("records")
        # the same target again, after a row that is settled before anything is read
        again = pd.concat([TARGETS.assign(app_id=""), TARGETS], ignore_index=True)
        invalid, row = fleet(made, history).apply(TEMPLATE, again, mode="update").to_dict("records")
    assert first["status"] == "COMPLETED"
    assert invalid["status"] == Outcome.INVALID and pd.isna(invalid["applied_by"])
    assert row["status"] == Outcome.UNCHANGED and row["applied_by"] == first["job_id"]
