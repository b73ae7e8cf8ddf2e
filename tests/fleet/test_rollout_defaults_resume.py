"""Two ends of the fleet's apply that the earlier tests left open (a mutation run of
fleet/rollout.py found them): without ``concurrency`` the apply keeps at most 8 requests to the
service in flight, as its documentation says; and a job the history holds as not ended but
that the tracker gave up on (timed out) is not followed again as pending: a run again decides by
what the environment has now."""

from __future__ import annotations

import json
import threading

import pandas as pd
from support.rollout import emulator_with_auth, quick_fleet

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.rollout import Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APP = "d1resume"
TARGETS = pd.DataFrame({"app_id": [APP], "environment": ["dev"], "resource_name": ["fleetauth"]})
SENDS = ("CreateBackendAuth", "UpdateBackendAuth")


def emulator(db: str, stored: dict, offset: list[float]) -> Emulator:
    return emulator_with_auth(db, APP, stored, offset)


fleet = quick_fleet


def test_without_a_concurrency_at_most_eight_sends_are_in_flight(tmp_path):
    apps = [f"d{n}bound" for n in range(1, 11)]
    in_flight, most, reached = [0], [0], [False]
    changed = threading.Condition()

    with Emulator(job_seconds=0, seed=7, db=str(tmp_path / "state.sqlite3")) as made:
        store, now = made.backend.store, made.clock()
        for app_id in apps:
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "dev", {}, now)
            store.put_auth(app_id, "dev", "fleetauth", STORED, now)
        applying = fleet(made, JobHistory(":memory:"))
        call = applying.service.call

        def held(operation, request, **options):
            """Each send held until eight are in flight at once (however long the workers take
            to get there on a loaded machine), then a second more for a ninth."""
            if operation not in SENDS:
                return call(operation, request, **options)
            with changed:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
                changed.notify_all()
                changed.wait_for(lambda: in_flight[0] >= 8 or reached[0], timeout=60)
                reached[0] = True
                changed.notify_all()
                changed.wait_for(lambda: in_flight[0] >= 9, timeout=1.0)
                in_flight[0] -= 1
            return call(operation, request, **options)

        applying.service.call = held  # type: ignore[method-assign]
        targets = pd.DataFrame({"app_id": apps, "environment": "dev"})
        results = applying.apply(TEMPLATE, targets, mode="update")
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * len(apps)
    assert most[0] == 8


def test_a_job_the_tracker_gave_up_on_is_not_followed_again_as_pending(tmp_path):
    path, offset = str(tmp_path / "history.sqlite3"), [0.0]
    cancel = threading.Event()
    with emulator(str(tmp_path / "state.sqlite3"), STORED, offset) as made:
        # a run stopped while its job was pending, then given up on (timed out)
        made.app.response_hooks.append(
            lambda service, answered, *rest: answered == "GetBackendJob" and cancel.set()
        )
        (row,) = (
            fleet(made, JobHistory(path))
            .apply(TEMPLATE, TARGETS, mode="update", cancel=cancel)
            .to_dict("records")
        )
        assert row["status"] == Outcome.CANCELLED and pd.notna(row["job_id"])
        history = JobHistory(path)
        assert history.record_timeout(row["job_id"])
        made.app.response_hooks.clear()
        # the job ended on the service meanwhile: the environment has the request
        offset[0] += 3600
        assert made.settle() == 1
        asked: list[str] = []
        made.app.response_hooks.append(lambda service, answered, *rest: asked.append(answered))
        (again,) = fleet(made, history).apply(TEMPLATE, TARGETS, mode="update").to_dict("records")
    assert again["status"] == Outcome.UNCHANGED  # decided by what the environment has now
    assert pd.isna(again["job_id"])
    assert "GetBackendJob" not in asked and not set(SENDS) & set(asked)
