"""A job an earlier run left pending is followed on the schedule its operation has learned, as
a job just sent is: its first poll comes when such jobs usually end, not at once (a mutation
run of fleet/rollout.py found this left open: a resumed job was followed without its
operation, so on the back-off of an operation never seen, until its first poll named it)."""

from __future__ import annotations

import json
import threading
import time

import pandas as pd
import pytest
from support.rollout import emulator_with_auth, quick_fleet

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APP = "d1resumed"
TARGETS = pd.DataFrame({"app_id": [APP], "environment": ["dev"], "resource_name": ["fleetauth"]})
#: How long the updates on record took: the schedule's first poll comes this long after a start.
USUAL = 1.0


@pytest.mark.timeout(60)
def test_a_resumed_job_is_first_polled_when_its_operation_s_jobs_usually_end(tmp_path):
    path, offset = str(tmp_path / "history.sqlite3"), [0.0]
    cancel = threading.Event()
    with emulator_with_auth(str(tmp_path / "state.sqlite3"), APP, STORED, offset) as made:
        # a run interrupted while its job (of ten minutes) was pending
        hook = lambda service, answered, *rest: answered == "GetBackendJob" and cancel.set()  # noqa: E731
        made.app.response_hooks.append(hook)
        (row,) = (
            quick_fleet(made, JobHistory(path))
            .apply(TEMPLATE, TARGETS, mode="update", cancel=cancel)
            .to_dict("records")
        )
        assert row["status"] == Outcome.CANCELLED and pd.notna(row["job_id"])
        made.app.response_hooks.remove(hook)
        # the history knows how long updates take: five of a second each
        history = JobHistory(path)
        for n in range(5):
            start = time.time() - 100 + n
            history.record_status(
                {
                    "JobId": f"learned{n}",
                    "AppId": "d9learned",
                    "BackendEnvironmentName": "dev",
                    "Operation": "UpdateBackendAuth",
                    "Status": "COMPLETED",
                    "CreateTime": start,
                    "UpdateTime": start + USUAL,
                },
                start + USUAL,
            )
        assert history.durations("UpdateBackendAuth") == [USUAL] * 5

        # the job ends once it has been asked about (the emulator's clock moves past it)
        def polled(service, answered, *rest) -> None:
            if answered == "GetBackendJob":
                offset[0] += 1000.0

        made.app.response_hooks.append(polled)
        service = BackendAuthService(
            made.connection(), on_call=history.record_call, sleep=lambda s: None
        )
        policy = TrackerPolicy(min_interval=0.02, max_interval=0.1, min_samples=5)
        fleet = Fleet(service, history, JobTracker(service, history, policy=policy))
        followed: list[float] = []
        polls: list[float] = []
        track_response, call = fleet.tracker.track_response, service.call

        def tracked(*args, **options):
            followed.append(time.time())
            return track_response(*args, **options)

        def watched(operation, request, **options):
            if operation == "GetBackendJob" and request.get("JobId") == row["job_id"]:
                polls.append(time.time())
            return call(operation, request, **options)

        fleet.tracker.track_response = tracked  # type: ignore[method-assign]
        service.call = watched  # type: ignore[method-assign]
        (again,) = fleet.apply(TEMPLATE, TARGETS, mode="update").to_dict("records")
    assert again["status"] == "COMPLETED" and again["job_id"] == row["job_id"]
    # followed again, it was not asked about before updates usually end
    assert len(followed) == 1 and polls
    assert polls[0] - followed[0] >= USUAL - 0.05
