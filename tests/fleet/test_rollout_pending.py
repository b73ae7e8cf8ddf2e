"""A send refused for a pending job, in ``Runner._pending`` itself and through an apply, against
the emulator: whose the pending job is (ours, its answer lost, when it is of our operation and
started no more than a second before our first try), and a cancel while another's job is
waited out. The first-try time is ``_pending``'s argument, so the one-second window is tested
at its edges; the emulator's clock is the test's, so the other's job ends when the test says.
A mutation run of fleet/rollout.py found these unchecked."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pandas as pd
import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.core.diff import prune
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import Outcome, Runner, Target
from amplify_auth_widgets.jobs.history import parse_time

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
UPDATABLE = request_spec("UpdateBackendAuth").member("ResourceConfig")
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8


class Pending:
    """An emulator whose clock is ``offset`` seconds from the real one and whose jobs last
    600 s, an app whose dev has auth, a fleet on it, and a job someone started there ten
    seconds ago."""

    def __init__(self, emulator: Emulator, offset: list[float]) -> None:
        self.emulator, self.offset = emulator, offset
        self.app_id = emulator.create_app("pending", ("dev",))
        emulator.backend.store.put_auth(self.app_id, "dev", "fleetauth", STORED, emulator.clock())
        self.history = JobHistory(":memory:")
        service = BackendAuthService(
            emulator.connection(), on_call=self.history.record_call, sleep=lambda s: None
        )
        policy = TrackerPolicy(min_interval=0.02, max_interval=0.1)
        self.fleet = Fleet(service, self.history, JobTracker(service, self.history, policy=policy))
        self.slept: list[float] = []
        config, _ = prune(json.loads(json.dumps(CONFIG)), UPDATABLE)
        request = {
            "AppId": self.app_id,
            "BackendEnvironmentName": "dev",
            "ResourceName": "fleetauth",
            "ResourceConfig": config,
        }
        other = BackendAuthService(emulator.connection(), sleep=lambda s: None)
        offset[0] = -10.0  # started ten seconds ago: not a job an apply run now started
        self.job_id = other.call("UpdateBackendAuth", request, force=True)["JobId"]
        offset[0] = 0.0
        (job,) = [j for j in other.list_backend_jobs(self.app_id, "dev")]
        self.created = parse_time(job["CreateTime"])  # as the apply reads it: milliseconds

    def end_jobs_on(self, operation: str) -> None:
        def hook(service, answered, *rest) -> None:
            if answered == operation:
                self.offset[0] += 1000.0

        self.emulator.app.response_hooks.append(hook)

    def runner(self, cancel: threading.Event | None = None) -> Runner:
        return Runner(self.fleet, cancel or threading.Event(), self.slept.append, time.monotonic)

    def target(self, operation: str = "UpdateBackendAuth") -> Target:
        return Target(self.app_id, "dev", "fleetauth", {}, operation=operation)


@pytest.fixture
def pending(tmp_path) -> Iterator[Pending]:
    offset = [0.0]
    with Emulator(
        job_seconds=600,
        seed=11,
        db=str(tmp_path / "state.sqlite3"),
        clock=lambda: time.time() + offset[0],
    ) as emulator:
        yield Pending(emulator, offset)


@pytest.mark.parametrize("after", [0.0, 0.5, 1.0])
def test_a_job_of_our_operation_started_up_to_a_second_before_our_first_try_is_ours(pending, after):
    pending.end_jobs_on("GetBackendJob")  # (were it taken for another's, it ends: no hang)
    answer = pending.runner()._pending(pending.target(), pending.created + after)
    assert answer is not None  # adopted: followed as the job our send started
    assert answer["JobId"] == pending.job_id and answer["AppId"] == pending.app_id
    assert answer["Operation"] == "UpdateBackendAuth" and answer["Status"] == "IN_PROGRESS"
    assert pending.slept == [] and pending.fleet.tracker.jobs == {}  # not waited out


@pytest.mark.parametrize(
    ("operation", "after"),
    [
        ("UpdateBackendAuth", 1.001),  # ours would have started after our first try
        ("UpdateBackendAuth", 30.0),
        ("CreateBackendAuth", 0.0),  # not what we sent
    ],
)
def test_any_other_pending_job_is_another_s_and_is_waited_out(pending, operation, after):
    pending.end_jobs_on("GetBackendJob")
    answer = pending.runner()._pending(pending.target(operation), pending.created + after)
    assert answer is None  # the caller sends again
    job = pending.fleet.tracker.jobs[pending.job_id]
    assert job.done and job.status == "COMPLETED"  # followed to its end
    assert (job.app_id, job.env, job.operation) == (pending.app_id, "dev", "UpdateBackendAuth")
    assert pending.slept == []  # waited for by following it, not by backing off


@pytest.mark.timeout(60)
def test_a_cancel_while_another_s_job_is_waited_out_stops_the_wait(pending):
    # another's job that runs on (600 s of the emulator's clock); Ctrl-C once the apply,
    # refused for it, is following it
    cancel = threading.Event()
    pending.emulator.app.response_hooks.append(
        lambda service, answered, *rest: answered == "GetBackendJob" and cancel.set()
    )
    targets = pd.DataFrame(
        {"app_id": [pending.app_id], "environment": ["dev"], "resource_name": ["fleetauth"]}
    )
    started = time.monotonic()
    (row,) = pending.fleet.apply(
        TEMPLATE, targets, mode="update", cancel=cancel, sleep=pending.slept.append
    ).to_dict("records")
    assert time.monotonic() - started < 30  # not waited to the other job's end
    assert row["status"] == Outcome.CANCELLED and pd.isna(row["job_id"])
    assert row["error"].startswith("BadRequestException: ")  # why it was not sent
    job = pending.fleet.tracker.jobs[pending.job_id]
    assert not job.done  # theirs goes on
