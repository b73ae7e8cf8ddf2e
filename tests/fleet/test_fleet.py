"""Fleet audit and apply against the emulator's demo fleet: 50 apps x 3 environments."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, fleet_config, seed_fleet
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.report import weaknesses
from amplify_auth_widgets.fleet.rollout import Outcome

APPS = 50
FIX = {"ResourceName": "fleetauth", "ResourceConfig": fleet_config(0, "fixed", None)}


def make_fleet(emulator, history=None, **options):
    """A fleet whose waits cost no time: the service's backoff does not sleep, and the
    tracker asks about a job a moment after it starts (the emulator's jobs take no time)."""
    history = history or JobHistory(":memory:")
    service = BackendAuthService(
        emulator.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    tracker = JobTracker(
        service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
    )
    return Fleet(service, history, tracker, **options)


@pytest.fixture(scope="module")
def seeded_emulator():
    with Emulator(job_seconds=0, seed=5) as emu:
        seeded = seed_fleet(emu.backend, APPS)
        yield emu, seeded


@pytest.fixture
def fresh(tmp_path):
    """An emulator of its own (the apply tests change it)."""
    with Emulator(job_seconds=0, seed=8, db=str(tmp_path / "state.sqlite3")) as emu:
        seeded = seed_fleet(emu.backend, APPS)
        yield emu, seeded


def test_audit_finds_exactly_the_seeded_weak_configurations(seeded_emulator):
    emu, seeded = seeded_emulator
    fleet = make_fleet(emu, page_size=7)
    seen = []
    frame = fleet.audit(concurrency=8, progress=lambda done, total: seen.append((done, total)))
    fleet_rows = frame[frame["app_id"].str.endswith("fleet")]
    assert len(fleet_rows) == APPS * 3 and fleet_rows["configured"].all()
    flags = weaknesses(fleet_rows)
    found = {
        kind: {
            (a, e)
            for a, e, hit in zip(
                fleet_rows["app_id"], fleet_rows["environment"], flags[column], strict=True
            )
            if hit
        }
        for kind, column in (
            ("mfa-off", "mfa_off"),
            ("short-password", "short_password"),
            ("implicit-grant", "implicit_grant"),
        )
    }
    for kind, targets in found.items():
        assert targets == {key for key, weakness in seeded.items() if weakness == kind}
    assert 0 < sum(map(len, found.values())) < APPS * 3
    # one pandas filter, on proper dtypes
    assert isinstance(frame["UserPoolConfigs.Mfa.MFAMode"].dtype, pd.CategoricalDtype)
    assert str(frame["UserPoolConfigs.PasswordPolicy.MinimumLength"].dtype) == "Float64"
    assert str(frame["IdentityPoolConfigs.UnauthenticatedLogin"].dtype) == "boolean"
    assert str(frame["app_id"].dtype) == "string" and str(frame["errors"].dtype) == "Int64"
    implicit = fleet_rows[flags["implicit_grant"]]
    assert all(any("implicit-grant" in code for code in c) for c in implicit["finding_codes"])
    assert (implicit["warnings"] >= 1).all() and (fleet_rows["errors"] == 0).all()
    # every page was read: 50 apps, 7 a page
    calls = fleet.history.requests()["operation"].astype(str).tolist()
    assert calls.count("ListApps") == -(-APPS // 7)
    assert seen[0] == (0, APPS * 3) and seen[-1] == (APPS * 3, APPS * 3)


def test_audit_redacts_secrets_and_records_errors_in_their_rows(tmp_path):
    with Emulator(job_seconds=0, seed=2, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        store.put_app("d1social", "social", {}, now)
        store.put_environment("d1social", "prod", {}, now)
        store.put_auth("d1social", "prod", "socialauth", SOCIAL, now)
        store.put_environment("d1social", "empty", {}, now)
        store.put_app("not-an-app-id", "broken", {}, now)  # the validator refuses its id
        store.put_environment("not-an-app-id", "dev", {}, now)
        audited = make_fleet(emu).audit()
        frame = audited.set_index(["app_id", "environment"])
    assert "demo-google-secret" not in frame.to_csv()
    row = frame.loc[("d1social", "prod")]
    assert row["UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"] == "<redacted>"
    assert row["UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientId"].startswith("demo")
    empty = frame.loc[("d1social", "empty")]
    assert not empty["configured"] and pd.isna(empty["error"])  # none configured: a value
    # an id the service refuses: its listing (or its read) fails, in its own row
    (broken,) = audited[audited["app_id"] == "not-an-app-id"].to_dict("records")
    assert "not-an-app-id" in broken["error"] or "AppId" in broken["error"]
    assert not broken["configured"] and len(audited) == 3


@pytest.mark.timeout(300)
def test_apply_under_throttling_and_gateway_timeouts_loses_and_duplicates_no_job(fresh):
    emu, seeded = fresh
    emu.faults.throttle_rate, emu.faults.timeout_rate = 0.2, 0.1
    fleet = make_fleet(emu)
    # the resource named: an update needs no look-up first
    targets = pd.DataFrame(
        [{"app_id": a, "environment": e, "resource_name": "fleetauth"} for a, e in seeded],
    )
    targets["UserPoolConfigs.PasswordPolicy.MinimumLength"] = "14"  # as a CSV cell
    results = fleet.apply(FIX, targets, mode="update", concurrency=8, sleep=lambda s: None)
    emu.faults.throttle_rate = emu.faults.timeout_rate = 0.0
    assert results["status"].astype(str).tolist() == ["COMPLETED"] * len(seeded)
    assert results["job_id"].is_unique and results["request_hash"].notna().all()
    jobs = emu.backend.store.query("SELECT app_id, env_name, COUNT(*) AS n FROM jobs GROUP BY 1, 2")
    assert len(jobs) == len(seeded) and {r["n"] for r in jobs} == {1}  # none lost, none twice
    assert set(fleet.history.terminal_event_counts().values()) == {1}
    assert fleet.tracker._callbacks == []  # the apply's listener went with it
    # the faults were there, and answered by retrying: about 3 in 10 of some 600 calls
    assert fleet.service.retries > 50
    after = make_fleet(emu).audit()
    assert (after["UserPoolConfigs.PasswordPolicy.MinimumLength"] == 14).all()


@pytest.mark.timeout(300)
def test_an_interrupted_apply_resumes_without_resubmitting(fresh, tmp_path):
    emu, seeded = fresh
    path = tmp_path / "history.sqlite3"
    targets = pd.DataFrame([{"app_id": a, "environment": e} for a, e in seeded])
    targets["UserPoolConfigs.PasswordPolicy.MinimumLength"] = 13

    def interrupt(done, total):
        if done >= total // 2:
            raise KeyboardInterrupt  # as Ctrl-C would, half-way

    with pytest.raises(KeyboardInterrupt):
        make_fleet(emu, JobHistory(path)).apply(FIX, targets, mode="update", progress=interrupt)
    sent_first = emu.backend.store.query("SELECT COUNT(*) AS n FROM jobs")[0]["n"]
    assert len(seeded) // 2 <= sent_first < len(seeded)
    again = make_fleet(emu, JobHistory(path))  # a new kernel on the same history
    results = again.apply(FIX, targets, mode="update")
    statuses = results["status"].astype(str)
    # done before: its environment already has it (UNCHANGED); pending: followed to its end
    assert set(statuses) <= {"COMPLETED", Outcome.UNCHANGED}
    assert (statuses == Outcome.UNCHANGED).sum() >= len(seeded) // 2
    jobs = emu.backend.store.query("SELECT app_id, env_name, COUNT(*) AS n FROM jobs GROUP BY 1, 2")
    assert len(jobs) == len(seeded) and {r["n"] for r in jobs} == {1}
    resent = again.history.requests()
    resent = resent[resent["operation"].astype(str) == "UpdateBackendAuth"]
    assert len(resent) == len(seeded)  # over both runs: each target sent exactly once


def test_two_targets_of_one_app_go_one_after_the_other(tmp_path):
    with Emulator(job_seconds=0.3, seed=4, db=str(tmp_path / "s.sqlite3")) as emu:
        app_id = emu.create_app("two", ("dev", "prod"))
        fleet = make_fleet(emu)
        targets = pd.DataFrame({"app_id": [app_id, app_id], "environment": ["dev", "prod"]})
        results = fleet.apply(FIX, targets, mode="create", concurrency=8)
        jobs = emu.backend.store.query(
            "SELECT create_time, end_time FROM jobs WHERE app_id = ? ORDER BY create_time",
            (app_id,),
        )
    assert results["status"].astype(str).tolist() == ["COMPLETED", "COMPLETED"]
    assert len(jobs) == 2 and jobs[1]["create_time"] >= jobs[0]["end_time"]
    codes = fleet.history.requests()["error_code"].dropna().astype(str).tolist()
    assert codes == []  # never refused for a pending job


def test_validation_first_and_a_dry_run_sends_nothing(seeded_emulator):
    emu, seeded = seeded_emulator
    fleet = make_fleet(emu)
    (app_id, _), *_ = seeded
    targets = pd.DataFrame(
        {
            "app_id": [app_id, app_id],
            "environment": ["dev", "prod"],
            "UserPoolConfigs.PasswordPolicy.MinimumLength": [None, "3"],
        }
    )
    template = {**FIX, "ResourceConfig": json.loads(json.dumps(FIX["ResourceConfig"]))}
    template["ResourceConfig"]["UserPoolConfigs"]["OAuth"] = SOCIAL["UserPoolConfigs"]["OAuth"]
    results = fleet.apply(template, targets, mode="upsert", dry_run=True).set_index("environment")
    assert results.loc["prod", "status"] == Outcome.INVALID
    assert any("MinimumLength" in f for f in results.loc["prod", "findings"])
    assert results.loc["dev", "status"] == Outcome.DRY_RUN
    assert results.loc["dev", "operation"] == "UpdateBackendAuth"  # it has auth: upsert updates
    diff = results.loc["dev", "diff"]
    assert any(line.startswith("UserPoolConfigs.OAuth") for line in diff)
    assert "demo-google-secret" not in "".join(diff)
    sent = fleet.history.requests()["operation"].astype(str)
    assert not sent.isin(["CreateBackendAuth", "UpdateBackendAuth"]).any()


def test_bad_targets_are_refused_with_the_fix():
    frame = pd.DataFrame({"app_id": ["d1"], "environment": ["dev"], "Mfa.Mode": ["ON"]})
    fleet = Fleet(BackendAuthService())
    with pytest.raises(ValueError, match=r"'Mfa.Mode' is neither .* a configuration field"):
        fleet.apply(FIX, frame)
    with pytest.raises(ValueError, match="missing: environment"):
        fleet.apply(FIX, pd.DataFrame({"app_id": ["d1"]}))
    with pytest.raises(ValueError, match="mode must be one of create, update, upsert"):
        fleet.apply(FIX, frame[["app_id", "environment"]], mode="replace")


def test_an_audit_frame_is_not_taken_for_overrides(seeded_emulator):
    emu, _ = seeded_emulator
    fleet = make_fleet(emu)
    frame = fleet.audit_async(apps=["fleet-app-0001"]).result(timeout=60)  # kernel not blocked
    assert frame["app_id"].tolist() == ["d0001fleet"] * 3
    with pytest.raises(ValueError, match="audit frame"):
        fleet.apply(FIX, frame)
    picked = frame[["app_id", "environment", "resource_name"]]
    results = fleet.apply(FIX, picked, mode="update", dry_run=True)
    # (an environment that already has what the update sends shows UNCHANGED)
    assert results["status"].astype(str).isin([Outcome.DRY_RUN, Outcome.UNCHANGED]).all()


def test_cancel_stops_sending_and_the_jobs_can_be_followed_later(fresh):
    emu, seeded = fresh
    cancel = threading.Event()
    cancel.set()
    fleet = make_fleet(emu)
    targets = pd.DataFrame([{"app_id": a, "environment": e} for a, e in list(seeded)[:6]])
    targets["UserPoolConfigs.PasswordPolicy.MinimumLength"] = 15  # a change for every one
    results = fleet.apply(FIX, targets, mode="update", cancel=cancel)
    assert (results["status"].astype(str) == Outcome.CANCELLED).all()
    assert emu.backend.store.query("SELECT COUNT(*) AS n FROM jobs")[0]["n"] == 0


def test_requests_that_share_all_but_their_target_are_validated_as_each_alone():
    """An apply validates what its requests share once, and each target's own members for
    each: the findings are exactly ``validate``'s, whatever is wrong and where."""
    from amplify_auth_widgets.core.validation import validate
    from amplify_auth_widgets.fleet.rollout import SharedValidation

    weak = json.loads(json.dumps(FIX["ResourceConfig"]))
    weak["UserPoolConfigs"]["PasswordPolicy"] = {"MinimumLength": 3}
    weak["UserPoolConfigs"]["UserPoolName"] = " pool "
    configs = [FIX["ResourceConfig"], weak, {"Service": "COGNITO"}]
    targets = [
        {"AppId": "d1abc", "BackendEnvironmentName": "dev"},
        {"AppId": "NOT an app id", "BackendEnvironmentName": " prod "},
        {"AppId": "d2abc", "BackendEnvironmentName": ""},
        {"AppId": 7},
        {},
    ]
    shared = SharedValidation()
    for operation in ("CreateBackendAuth", "UpdateBackendAuth"):
        for config in configs:
            for target in targets:
                request = {**target, "ResourceName": "fleetauth", "ResourceConfig": config}
                expected = validate(request, operation)
                assert shared(request, operation) == expected
    codes = {f.code for f in shared({**targets[1], "ResourceConfig": weak}, "CreateBackendAuth")}
    assert {"amplify.app-id", "input.whitespace"} <= codes  # (the cases above do differ)


def test_threads_asking_for_the_client_at_once_share_one():
    """An audit's eight threads all ask for the clients first thing: each built its own (some
    20 MB and a fifth of a second apiece), so the audit's peak memory grew by 100 MB."""
    from concurrent.futures import ThreadPoolExecutor

    from amplify_auth_widgets.client.connection import Connection

    service = BackendAuthService(Connection.for_emulator("http://127.0.0.1:9"))
    start = threading.Barrier(8)

    def both(_):
        start.wait(10)
        return service.client, service.apps_client

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(both, range(8)))
    assert len({id(backend) for backend, _ in got}) == 1
    assert len({id(apps) for _, apps in got}) == 1
