"""One app's send that takes long holds up only that app: another app whose job has ended
meanwhile sends its next target at once (a mutation run of fleet/rollout.py found this left
open: the dispatcher stopped looking at the apps after the first with a send in flight)."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest
from support.rollout import quick_fleet

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
SLOW, OTHER = "d1slowsend", "d2other"


@pytest.mark.timeout(60)
def test_an_app_s_slow_send_does_not_hold_up_another_app_s_next_target(tmp_path):
    other_sent = threading.Event()
    held: list[bool] = []

    def job_seconds(operation: str, app_id: str) -> float:
        return 0.0 if app_id == SLOW else 0.5  # OTHER's first job ends after SLOW's

    with Emulator(job_seconds=job_seconds, seed=7, db=str(tmp_path / "state.sqlite3")) as made:
        store, now = made.backend.store, made.clock()
        for app_id in (SLOW, OTHER):
            store.put_app(app_id, app_id, {}, now)
            for env in ("dev", "prod", "test"):
                store.put_environment(app_id, env, {}, now)
                store.put_auth(app_id, env, "fleetauth", STORED, now)
        fleet = quick_fleet(made, JobHistory(":memory:"))
        call = fleet.service.call

        def slow(operation, request, **options):
            """SLOW's second send (its third still to go) takes until OTHER's second is sent
            (10 s at most)."""
            target = (request.get("AppId"), request.get("BackendEnvironmentName"))
            if operation == "UpdateBackendAuth" and target == (SLOW, "prod"):
                held.append(other_sent.wait(10))
            elif operation == "UpdateBackendAuth" and target == (OTHER, "prod"):
                other_sent.set()
            return call(operation, request, **options)

        fleet.service.call = slow  # type: ignore[method-assign]
        targets = pd.DataFrame(
            {
                "app_id": [SLOW] * 3 + [OTHER] * 2,
                "environment": ["dev", "prod", "test", "dev", "prod"],
            }
        )
        results = fleet.apply(TEMPLATE, targets, mode="update", concurrency=4)
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * 5
    # OTHER's prod was sent while SLOW's was still on its way, not after it
    assert held == [True]


@pytest.mark.timeout(60)
def test_a_target_s_end_is_counted_while_another_s_send_is_still_on_its_way(tmp_path):
    counted = threading.Event()
    held: list[bool] = []

    with Emulator(job_seconds=0, seed=7, db=str(tmp_path / "state.sqlite3")) as made:
        store, now = made.backend.store, made.clock()
        for app_id in (SLOW, OTHER):
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "dev", {}, now)
            store.put_auth(app_id, "dev", "fleetauth", STORED, now)
        fleet = quick_fleet(made, JobHistory(":memory:"))
        call = fleet.service.call

        def slow(operation, request, **options):
            """SLOW's send takes until the progress has counted a target (10 s at most)."""
            if operation == "UpdateBackendAuth" and request.get("AppId") == SLOW:
                held.append(counted.wait(10))
            return call(operation, request, **options)

        def progress(done: int, total: int) -> None:
            if done:
                counted.set()

        fleet.service.call = slow  # type: ignore[method-assign]
        targets = pd.DataFrame({"app_id": [SLOW, OTHER], "environment": "dev"})
        results = fleet.apply(TEMPLATE, targets, mode="update", progress=progress)
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * 2
    # OTHER's job ended and was counted while SLOW's send was on its way, not after it
    assert held == [True]
