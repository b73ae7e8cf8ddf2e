"""An apply interrupted while a send is still in flight: the apply does not return (or raise)
before that send is answered, so no sending thread outlives it and the answer's job is handed
on (on record, for a later run to follow)."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
QUICK, HELD = "d1quick", "d2held"


@pytest.mark.timeout(60)
def test_an_interruption_waits_for_the_send_in_flight_and_leaves_no_sending_thread(tmp_path):
    release, answered = threading.Event(), threading.Event()
    with Emulator(job_seconds=0, seed=7, db=str(tmp_path / "state.sqlite3")) as made:
        store, now = made.backend.store, made.clock()
        for app_id in (QUICK, HELD):
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "dev", {}, now)
            store.put_auth(app_id, "dev", "fleetauth", STORED, now)
        history = JobHistory(":memory:")
        service = BackendAuthService(
            made.connection(), on_call=history.record_call, sleep=lambda s: None
        )
        policy = TrackerPolicy(min_interval=0.02, max_interval=0.1, min_samples=10**6)
        fleet = Fleet(service, history, JobTracker(service, history, policy=policy))
        call = service.call

        def held(operation, request, **options):
            """HELD's send waits until released (the Ctrl-C comes while it is in flight)."""
            if operation == "UpdateBackendAuth" and request.get("AppId") == HELD:
                release.wait(10)
                try:
                    return call(operation, request, **options)
                finally:
                    answered.set()
            return call(operation, request, **options)

        service.call = held  # type: ignore[method-assign]

        def interrupt(done: int, total: int) -> None:
            if done:  # Ctrl-C as QUICK's job ends, HELD's send answered a moment after
                threading.Timer(0.3, release.set).start()
                raise KeyboardInterrupt

        targets = pd.DataFrame({"app_id": [QUICK, HELD], "environment": "dev"})
        with pytest.raises(KeyboardInterrupt):
            fleet.apply(TEMPLATE, targets, mode="update", progress=interrupt)
        assert answered.is_set()  # the apply waited for the send in flight
        assert not [t for t in threading.enumerate() if t.name.startswith("fleet-send")]
        assert not fleet.tracker.running
        sent = history.submissions()
        assert set(sent["app_id"].astype(str)) == {QUICK, HELD}  # a later run follows both
