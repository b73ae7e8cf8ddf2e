"""Another's job waited out by the apply, and a Ctrl-C that comes before the apply has heard
of that job again: what the job history then holds of it (a mutation run of fleet/rollout.py
found this left open)."""

from __future__ import annotations

import json
import threading

import pandas as pd
from support.rollout import emulator_with_auth

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.core.diff import prune
from amplify_auth_widgets.core.lifecycle import PENDING
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
APP = "d1waited"
TARGETS = pd.DataFrame({"app_id": [APP], "environment": ["dev"], "resource_name": ["fleetauth"]})


def test_a_stop_while_another_s_job_is_waited_out_leaves_it_on_record_as_that_update(
    tmp_path,
):
    offset, cancel = [-10.0], threading.Event()
    with emulator_with_auth(str(tmp_path / "state.sqlite3"), APP, STORED, offset) as made:
        # someone's update of dev, sent ten seconds ago and running for ten minutes
        config, _ = prune(
            json.loads(json.dumps(CONFIG)),
            request_spec("UpdateBackendAuth").member("ResourceConfig"),
        )
        config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 10
        theirs = BackendAuthService(made.connection(), sleep=lambda s: None).call(
            "UpdateBackendAuth",
            {
                "AppId": APP,
                "BackendEnvironmentName": "dev",
                "ResourceName": "fleetauth",
                "ResourceConfig": config,
            },
            force=True,
        )["JobId"]
        offset[0] = 0.0
        history = JobHistory(":memory:")
        service = BackendAuthService(
            made.connection(), on_call=history.record_call, sleep=lambda s: None
        )
        # a tracker that would not poll for a minute: the Ctrl-C comes before any poll of it
        policy = TrackerPolicy(min_interval=60.0, max_interval=120.0, min_samples=10**6)
        fleet = Fleet(service, history, JobTracker(service, history, policy=policy))
        # Ctrl-C as soon as the apply, refused, has found their job pending
        made.app.response_hooks.append(
            lambda service, answered, *rest: answered == "ListBackendJobs" and cancel.set()
        )
        (row,) = fleet.apply(
            TEMPLATE, TARGETS, mode="update", cancel=cancel, sleep=lambda s: None
        ).to_dict("records")
    assert row["status"] == Outcome.CANCELLED
    # their job is on record as what it is, pending: that app's dev, an update, for the
    # history's views and for a later run, though nothing was heard of it after the listing
    jobs = history.jobs().set_index("job_id")
    assert jobs.loc[theirs, ["app_id", "environment", "operation", "status"]].tolist() == [
        APP,
        "dev",
        "UpdateBackendAuth",
        PENDING,
    ]
