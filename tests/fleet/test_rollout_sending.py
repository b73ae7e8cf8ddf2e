"""How an apply sends, against the emulator: a pending job on the app (another's, waited out;
ours, whose answer was lost, followed; one in another environment, backed off from), a refusal
that is final, throttling that never ends, a cancel while a job is followed and the run that
follows it later. The emulator's clock is the test's: its jobs end when the test moves it (or
after a few tenths of a second), and the apply's own back-off moves it instead of sleeping."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from conftest import LocalServer, QuietHandler, serving

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.core.diff import prune
from amplify_auth_widgets.core.lifecycle import PENDING
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import SEND_ROUNDS, Outcome

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
UPDATABLE = request_spec("UpdateBackendAuth").member("ResourceConfig")
#: What the environments have before an apply: weaker than CONFIG, so that it changes them
#: (an environment that already has what the apply sends is UNCHANGED and sent nothing).
STORED = json.loads(json.dumps(CONFIG))
STORED["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8


class World:
    """An emulator whose clock runs ``offset`` seconds from the real one and whose jobs take
    the seconds queued in ``durations`` (0 once they run out), an app with dev and prod that
    have auth, and a fleet on it."""

    def __init__(self, emulator: Emulator, offset: list[float], durations: list[float]) -> None:
        self.emulator, self.offset, self.durations = emulator, offset, durations
        store, now = emulator.backend.store, emulator.clock()
        self.app_id = emulator.create_app("sending", ("dev", "prod"))
        for env in ("dev", "prod"):
            store.put_auth(self.app_id, env, "fleetauth", STORED, now)
        self.history = JobHistory(":memory:")
        service = BackendAuthService(
            emulator.connection(), on_call=self.history.record_call, sleep=lambda s: None
        )
        policy = TrackerPolicy(min_interval=0.02, max_interval=0.1)
        self.fleet = Fleet(service, self.history, JobTracker(service, self.history, policy=policy))
        self.slept: list[float] = []

    def on_response(self, operation: str, then: Callable[[], object]) -> None:
        """Call ``then`` each time the emulator answers ``operation``."""

        def hook(service, answered, status, headers, body) -> None:
            if answered == operation:
                then()

        self.emulator.app.response_hooks.append(hook)

    def sleep(self, seconds: float) -> None:
        """The apply's back-off: time passes for the emulator, none for the test."""
        self.slept.append(seconds)
        self.offset[0] += seconds

    def send_directly(self, env: str, minimum: int = 10) -> str:
        """An update of ``env`` sent by someone else (or by us, its answer lost): its job id.
        The apply's history holds nothing of it (a lost answer leaves no job there)."""
        config, _ = prune(json.loads(json.dumps(CONFIG)), UPDATABLE)
        config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = minimum
        request = {
            "AppId": self.app_id,
            "BackendEnvironmentName": env,
            "ResourceName": "fleetauth",
            "ResourceConfig": config,
        }
        other = BackendAuthService(self.emulator.connection(), sleep=lambda s: None)
        return other.call("UpdateBackendAuth", request, force=True)["JobId"]

    def apply(self, env: str = "dev", **options) -> dict:
        targets = pd.DataFrame({"app_id": [self.app_id], "environment": [env]})
        targets["resource_name"] = "fleetauth"
        options.setdefault("sleep", self.sleep)
        (row,) = self.fleet.apply(TEMPLATE, targets, mode="update", **options).to_dict("records")
        return row

    def jobs(self) -> list[dict]:
        return self.emulator.backend.store.query(
            "SELECT job_id, env_name, create_time, end_time FROM jobs ORDER BY create_time"
        )

    def sent(self, operation: str = "UpdateBackendAuth") -> pd.DataFrame:
        calls = self.history.requests()
        return calls[calls["operation"].astype(str) == operation]


@pytest.fixture
def world(tmp_path) -> Iterator[World]:
    offset: list[float] = [0.0]
    durations: list[float] = []

    def job_seconds(operation: str, app_id: str) -> float:
        return durations.pop(0) if durations else 0.0

    with Emulator(
        job_seconds=job_seconds,
        seed=3,
        db=str(tmp_path / "state.sqlite3"),
        clock=lambda: time.time() + offset[0],
    ) as emulator:
        yield World(emulator, offset, durations)


def test_another_s_pending_job_is_waited_out_then_the_target_is_sent(world):
    # someone's update of dev, sent ten seconds ago and still running...
    world.offset[0], world.durations[:] = -10.0, [600.0]
    theirs = world.send_directly("dev")
    world.offset[0] = 0.0

    # ...until the apply, refused, has seen it pending
    world.on_response("ListBackendJobs", lambda: world.offset.__setitem__(0, 1000.0))
    row = world.apply()
    assert row["status"] == "COMPLETED" and pd.isna(row["error"])
    first, ours = world.jobs()
    assert first["job_id"] == theirs and ours["job_id"] == row["job_id"] != theirs
    assert ours["create_time"] >= first["end_time"]  # sent again once theirs ended
    refused, accepted = world.sent()["error_code"].tolist()
    assert refused == "BadRequestException" and pd.isna(accepted)
    assert world.slept == []  # waited for by following their job, not by backing off
    # their job was followed as what it is: that app's, that environment's, an update
    jobs = world.history.jobs().set_index("job_id")
    assert jobs.loc[theirs, ["app_id", "environment", "operation", "status"]].tolist() == [
        world.app_id,
        "dev",
        "UpdateBackendAuth",
        "COMPLETED",
    ]
    seen = world.history.events()
    assert PENDING in seen[seen["job_id"] == theirs]["status"].astype(str).tolist()


def test_our_own_job_whose_answer_was_lost_is_followed_not_sent_again(world):
    # the same operation started as the apply sent it: what a lost answer leaves behind (its
    # start stamped ahead, so that however slowly this test runs it is not "a while ago")
    world.offset[0], world.durations[:] = 30.0, [600.0]
    lost = world.send_directly("dev", minimum=12)  # the very request the apply sends
    world.offset[0] = 0.0
    world.on_response("ListBackendJobs", lambda: world.offset.__setitem__(0, 1000.0))
    row = world.apply()
    assert row["status"] == "COMPLETED" and row["job_id"] == lost
    assert [j["job_id"] for j in world.jobs()] == [lost]  # nothing sent twice
    assert world.sent()["error_code"].tolist() == ["BadRequestException"]  # refused, adopted
    assert world.slept == []


def test_a_job_pending_in_another_environment_of_the_app_is_backed_off_from(world):
    world.durations[:] = [600.0]
    other = world.send_directly("prod")
    # it ends once the apply, refused, has looked for a job of its own environment
    world.on_response("ListBackendJobs", lambda: world.offset.__setitem__(0, 1000.0))
    row = world.apply("dev")
    assert row["status"] == "COMPLETED"
    # one back-off (the fourth step of the service's: 2 to 4 seconds), then accepted
    (pause,) = world.slept
    assert 2.0 <= pause <= 4.0
    first, ours = world.jobs()
    assert first["job_id"] == other and ours["job_id"] == row["job_id"]
    assert ours["env_name"] == "dev" and ours["create_time"] >= first["end_time"]


def test_a_refusal_that_is_final_is_not_sent_again():
    with Emulator(job_seconds=0, seed=3) as emulator:
        world = World(emulator, [0.0], [])
        targets = pd.DataFrame({"app_id": ["d9nothere"], "environment": ["dev"]})
        targets["resource_name"] = "fleetauth"
        results = world.fleet.apply(TEMPLATE, targets, mode="update", sleep=world.sleep)
    (row,) = results.to_dict("records")
    assert row["status"] == Outcome.NOT_SENT and pd.isna(row["job_id"])
    assert row["error"].startswith("NotFoundException: ")
    assert len(world.sent()) == 1 and world.slept == []


def test_throttling_that_never_ends_gives_up_after_the_rounds_with_the_error(world):
    world.emulator.faults.throttle_rate = 1.0
    row = world.apply()
    world.emulator.faults.throttle_rate = 0.0
    assert row["status"] == Outcome.NOT_SENT
    assert row["error"].startswith("TooManyRequestsException: Rate exceeded")
    # between rounds the service's back-off from its fourth step on: 0.25 s doubling, 8 s cap
    assert len(world.slept) == SEND_ROUNDS
    for attempt, pause in enumerate(world.slept):
        ceiling = min(8.0, 0.25 * 2 ** (attempt + 3))
        assert ceiling / 2 <= pause <= ceiling
    assert world.jobs() == []


def test_a_cancel_while_following_leaves_the_job_to_the_next_run(world):
    world.durations[:] = [60.0]
    cancel = threading.Event()
    world.on_response("GetBackendJob", cancel.set)  # Ctrl-C while the job is followed
    row = world.apply(cancel=cancel)
    world.emulator.app.response_hooks.clear()
    assert row["status"] == Outcome.CANCELLED and pd.notna(row["job_id"])
    assert pd.isna(row["duration"])
    # later, the job has ended: the next run follows it and sends nothing
    world.offset[0] += 120.0
    again = world.apply()
    assert again["status"] == "COMPLETED" and again["job_id"] == row["job_id"]
    assert len(world.jobs()) == 1 and len(world.sent()) == 1
    assert again["duration"] >= pd.Timedelta(0)


def test_an_update_without_a_resource_name_updates_the_one_the_environment_has(world):
    store, now = world.emulator.backend.store, world.emulator.clock()
    app_id = world.emulator.create_app("named", ("dev", "bare"))
    store.put_auth(app_id, "dev", "envauth", STORED, now)
    targets = pd.DataFrame({"app_id": [app_id, app_id], "environment": ["dev", "bare"]})
    results = world.fleet.apply(TEMPLATE, targets, mode="update", sleep=world.sleep)
    dev, bare = results.to_dict("records")
    assert dev["status"] == "COMPLETED" and dev["resource_name"] == "envauth"
    (sent,) = world.sent()["request"].tolist()
    assert json.loads(sent)["ResourceName"] == "envauth"  # not the template's fleetauth
    assert (bare["status"], bare["error"]) == (
        Outcome.INVALID,
        "no auth to update in this environment",
    )


def test_a_look_up_refused_for_good_or_by_the_validator_ends_that_target_only(world):
    targets = pd.DataFrame(
        {
            "app_id": ["d9nothere", "not-an-app-id", world.app_id],
            "environment": ["dev", "dev", "dev"],
        }
    )
    results = world.fleet.apply(TEMPLATE, targets, mode="upsert", sleep=world.sleep)
    gone, bad, ok = results.to_dict("records")
    assert gone["status"] == Outcome.NOT_SENT and gone["error"].startswith("NotFoundException: ")
    assert bad["status"] == Outcome.INVALID
    assert bad["error"].startswith("AppId: error amplify.app-id: ") and ";" not in bad["error"]
    assert ok["status"] == "COMPLETED" and ok["operation"] == "UpdateBackendAuth"
    assert world.slept == []  # a final refusal is not asked again


def test_a_throttled_look_up_backs_off_each_round_then_gives_up(world):
    world.emulator.faults.throttle_rate = 1.0
    targets = pd.DataFrame({"app_id": [world.app_id], "environment": ["dev"]})
    (row,) = world.fleet.apply(
        TEMPLATE, targets, mode="upsert", dry_run=True, sleep=world.sleep
    ).to_dict("records")
    world.emulator.faults.throttle_rate = 0.0
    assert row["status"] == Outcome.NOT_SENT and pd.isna(row["operation"])
    assert row["error"].startswith("TooManyRequestsException: Rate exceeded")
    assert len(world.slept) == SEND_ROUNDS
    for attempt, pause in enumerate(world.slept):
        ceiling = min(8.0, 0.25 * 2 ** (attempt + 3))
        assert ceiling / 2 <= pause <= ceiling


def test_a_look_up_that_gets_through_after_a_back_off_leaves_no_error_behind(world):
    world.emulator.faults.throttle_rate = 1.0

    def calm_down(seconds: float) -> None:  # the service calms down while the apply waits
        world.sleep(seconds)
        world.emulator.faults.throttle_rate = 0.0

    targets = pd.DataFrame({"app_id": [world.app_id], "environment": ["dev"]})
    (row,) = world.fleet.apply(
        TEMPLATE, targets, mode="upsert", dry_run=True, sleep=calm_down
    ).to_dict("records")
    assert len(world.slept) == 1
    assert row["status"] == Outcome.DRY_RUN and pd.isna(row["error"])
    assert row["operation"] == "UpdateBackendAuth"  # the auth it found: an update


class NoJobService(LocalServer):
    """An AmplifyBackend on 127.0.0.1 that accepts a CreateBackendAuth and names no job."""

    def __init__(self) -> None:
        super().__init__(_NoJobHandler)


class _NoJobHandler(QuietHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"] or 0))
        if re.fullmatch(r"/backend/[^/]+/auth", self.path):
            body = json.dumps({"appId": "d1abc", "backendEnvironmentName": "dev"}).encode()
            self.answer(200, body, [("Content-Type", "application/json")])
        else:
            self.answer(404, b"{}", [("x-amzn-ErrorType", "NotFoundException")])


def test_an_answer_that_names_no_job_is_not_taken_for_a_sent_target(monkeypatch):
    for name, value in (("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "y")):
        monkeypatch.setenv(name, value)
    targets = pd.DataFrame({"app_id": ["d1abc"], "environment": ["dev"]})
    with serving(NoJobService()) as server:
        fleet = Fleet(BackendAuthService(Connection.for_emulator(server.url, max_attempts=1)))
        (row,) = fleet.apply(TEMPLATE, targets, mode="create").to_dict("records")
    assert (row["status"], row["error"]) == (Outcome.NOT_SENT, "the response named no job")
    assert pd.isna(row["job_id"]) and pd.isna(row["duration"])


def test_progress_starts_at_the_targets_already_settled_and_counts_each_to_the_total(world):
    targets = pd.DataFrame(
        {
            "app_id": [world.app_id, "", world.app_id],
            "environment": ["dev", "dev", "prod"],
            "resource_name": ["fleetauth"] * 3,
        }
    )
    told: list[tuple[int, int]] = []
    results = world.fleet.apply(
        TEMPLATE, targets, mode="update", progress=lambda d, t: told.append((d, t))
    )
    assert results["status"].astype(str).tolist() == ["COMPLETED", "INVALID", "COMPLETED"]
    assert told == [(1, 3), (2, 3), (3, 3)]


def test_an_app_s_targets_go_one_after_the_other(world):
    # the first job runs until the tracker has asked about it once: a second target sent
    # meanwhile would be refused for the pending job
    world.durations[:] = [600.0, 0.0]
    world.on_response("GetBackendJob", lambda: world.offset.__setitem__(0, 1000.0))
    targets = pd.DataFrame(
        {"app_id": [world.app_id] * 2, "environment": ["dev", "prod"], "resource_name": "fleetauth"}
    )
    results = world.fleet.apply(TEMPLATE, targets, mode="update", concurrency=8)
    assert results["status"].astype(str).tolist() == ["COMPLETED", "COMPLETED"]
    first, second = world.jobs()
    assert second["create_time"] >= first["end_time"]
    assert world.sent()["error_code"].isna().all()  # never refused for a pending job


def test_a_cancel_before_sending_sends_nothing(world):
    cancel = threading.Event()
    cancel.set()
    row = world.apply(cancel=cancel)
    assert row["status"] == Outcome.CANCELLED and pd.isna(row["job_id"])
    assert world.jobs() == [] and world.sent().empty


def test_a_target_with_errors_is_not_sent_and_the_others_are(world):
    targets = pd.DataFrame(
        {
            "app_id": [world.app_id] * 2,
            "environment": ["dev", "prod"],
            "resource_name": "fleetauth",
            "UserPoolConfigs.PasswordPolicy.MinimumLength": ["3", None],
        }
    )
    results = world.fleet.apply(TEMPLATE, targets, mode="update").to_dict("records")
    assert [r["status"] for r in results] == [Outcome.INVALID, "COMPLETED"]
    assert any("MinimumLength" in f for f in results[0]["findings"])
    assert [j["env_name"] for j in world.jobs()] == ["prod"]


def test_a_dry_run_shows_each_target_its_diff_and_sends_nothing(world):
    targets = pd.DataFrame({"app_id": [world.app_id], "environment": ["dev"]})
    targets["UserPoolConfigs.PasswordPolicy.MinimumLength"] = 14
    (row,) = world.fleet.apply(TEMPLATE, targets, mode="upsert", dry_run=True).to_dict("records")
    assert row["status"] == Outcome.DRY_RUN and row["operation"] == "UpdateBackendAuth"
    _, now = world.fleet.current_auth(world.app_id, "dev")
    was = now["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"]
    assert row["diff"] == [f"UserPoolConfigs.PasswordPolicy.MinimumLength: {was} -> 14"]
    assert world.jobs() == [] and world.sent().empty


def test_a_refusal_whose_jobs_cannot_be_listed_backs_off_and_sends_again(world):
    # someone's job pending in dev; once the apply is refused for it, the listing is
    # throttled (and the job ends) until the apply has backed off once
    world.durations[:] = [600.0]
    world.send_directly("dev")

    def throttle() -> None:
        world.offset[0] = 1000.0
        world.emulator.faults.throttle_rate = 1.0

    def refused(service, operation, status, headers, body) -> None:
        if operation == "UpdateBackendAuth" and status == 400:
            throttle()

    world.emulator.app.response_hooks.append(refused)

    def calm_down(seconds: float) -> None:
        world.sleep(seconds)
        world.emulator.faults.throttle_rate = 0.0

    row = world.apply(sleep=calm_down)
    assert row["status"] == "COMPLETED"
    # the back-off of a listing that failed: the service's third step, 1 to 2 seconds
    (pause,) = world.slept
    assert 1.0 <= pause <= 2.0
