"""A job the history holds pending that a restarted service does not know is sent again in its
app's turn: before the app's other targets, and never while another of the app's jobs runs
(a mutation run of fleet/rollout.py found this left open: the target sent again was queued
apart from its app's)."""

from __future__ import annotations

import json
import threading
import time

import pandas as pd
import pytest
from support.rollout import emulator_with_auth, quick_fleet

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.rollout import Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APP = "d1forgotten"


@pytest.mark.timeout(60)
def test_a_forgotten_pending_job_is_sent_again_in_its_app_s_turn(tmp_path):
    path, offset = str(tmp_path / "history.sqlite3"), [0.0]
    cancel = threading.Event()
    with emulator_with_auth(str(tmp_path / "before.sqlite3"), APP, STORED, offset) as before:
        # a run interrupted while its job was pending: the history holds it pending
        before.app.response_hooks.append(
            lambda service, answered, *rest: answered == "GetBackendJob" and cancel.set()
        )
        (row,) = (
            quick_fleet(before, JobHistory(path))
            .apply(
                TEMPLATE,
                pd.DataFrame({"app_id": [APP], "environment": ["dev"]}),
                mode="update",
                cancel=cancel,
            )
            .to_dict("records")
        )
    assert row["status"] == Outcome.CANCELLED and pd.notna(row["job_id"])
    # the service restarted, knowing no job; its jobs take ten minutes, over once polled
    with Emulator(
        job_seconds=600,
        seed=8,
        db=str(tmp_path / "after.sqlite3"),
        clock=lambda: time.time() + offset[0],
    ) as after:
        store, now = after.backend.store, after.clock()
        store.put_app(APP, APP, {}, now)
        for env in ("dev", "prod"):
            store.put_environment(APP, env, {}, now)
            store.put_auth(APP, env, "fleetauth", STORED, now)

        def polled(service, answered, *rest) -> None:
            if answered == "GetBackendJob":
                offset[0] += 1000.0

        after.app.response_hooks.append(polled)
        fleet = quick_fleet(after, JobHistory(path))
        call = fleet.service.call
        sends: list[tuple[str, int]] = []  # (environment, the app's jobs running then)

        def watched(operation, request, **options):
            if operation == "UpdateBackendAuth":
                running = sum(
                    r["end_time"] > after.clock()
                    for r in store.query("SELECT end_time FROM jobs WHERE app_id = ?", (APP,))
                )
                sends.append((request["BackendEnvironmentName"], running))
            return call(operation, request, **options)

        fleet.service.call = watched  # type: ignore[method-assign]
        targets = pd.DataFrame({"app_id": [APP, APP], "environment": ["dev", "prod"]})
        results = fleet.apply(TEMPLATE, targets, mode="update")
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * 2
    # dev first, as listed, then prod once dev's job ended: each sent once, none refused
    assert sends == [("dev", 0), ("prod", 0)]
