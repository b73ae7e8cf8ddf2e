"""One app's long job holds up only that app: another app's jobs that end meanwhile are
counted, and its next target sent, while the long one runs (a mutation run of
fleet/rollout.py found this left open: the dispatcher stopped looking at the apps followed
after the first whose job had not ended)."""

from __future__ import annotations

import json
import threading
import time

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
LONG, OTHER = "d1longjob", "d2other"


@pytest.mark.timeout(60)
def test_an_app_s_long_job_does_not_hold_up_another_app_s_count_and_next_target(tmp_path):
    offset, ended_by = [0.0], []
    lock = threading.Lock()

    def end_long_job(why: str) -> None:
        """LONG's job ends (the emulator's clock moves past it), once: ``why`` says when."""
        with lock:
            if not ended_by:
                ended_by.append(why)
                offset[0] += 1000.0

    def job_seconds(operation: str, app_id: str) -> float:
        return 600.0 if app_id == LONG else 0.0

    with Emulator(
        job_seconds=job_seconds,
        seed=7,
        db=str(tmp_path / "state.sqlite3"),
        clock=lambda: time.time() + offset[0],
    ) as made:
        store, now = made.backend.store, made.clock()
        for app_id in (LONG, OTHER):
            store.put_app(app_id, app_id, {}, now)
            for env in ("dev", "prod"):
                store.put_environment(app_id, env, {}, now)
                store.put_auth(app_id, env, "fleetauth", STORED, now)
        fleet = quick_fleet(made, JobHistory(":memory:"))
        call = fleet.service.call
        long_sent = threading.Event()

        def ordered(operation, request, **options):
            """OTHER's first send is answered after LONG's (so LONG's job is followed first)."""
            if operation == "UpdateBackendAuth" and request.get("AppId") == OTHER:
                long_sent.wait(10)
            answer = call(operation, request, **options)
            if operation == "UpdateBackendAuth" and request.get("AppId") == LONG:
                long_sent.set()
            return answer

        def progress(done: int, total: int) -> None:
            if done == 2:  # both of OTHER's targets: its dev ended, its prod sent and ended
                end_long_job("counted")

        fleet.service.call = ordered  # type: ignore[method-assign]
        # (were the count held up, LONG's job would end after 10 s nonetheless)
        timer = threading.Timer(10, end_long_job, ("timed out",))
        timer.start()
        try:
            targets = pd.DataFrame(
                {"app_id": [LONG, OTHER, OTHER], "environment": ["dev", "dev", "prod"]}
            )
            results = fleet.apply(TEMPLATE, targets, mode="update", progress=progress)
        finally:
            timer.cancel()
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * 3
    # OTHER's dev was counted and its prod sent and counted while LONG's job still ran
    assert ended_by == ["counted"]
