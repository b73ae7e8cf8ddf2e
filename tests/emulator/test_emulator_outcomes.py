"""What the emulator's jobs leave behind and how its resources show, as a client reads them.

Amplify's views of apps and environments (given members and defaults), what creating and
deleting backends, environments and apps does, and how auth jobs end: imported pools, every
broken rule, updates judged alone and merged, injected failures, jobs ended by UpdateBackendJob
and stored jobs the emulator cannot finish.
"""

from __future__ import annotations

import json
import random
import re

from conftest import valid_request
from support.answers import T0, at, error_of

from amplify_auth_widgets.core.lifecycle import JobStatus
from amplify_auth_widgets.emulator.backend import iso

# -- Amplify's views of apps and environments ------------------------------------------------


def test_apps_show_what_was_given_and_the_defaults(emulator, clock):
    amplify = emulator.client("amplify")
    given = {
        "description": "d",
        "repository": "https://example.com/r.git",
        "platform": "WEB_COMPUTE",
        "environmentVariables": {"K": "v"},
        "tags": {"team": "x"},
        "enableBranchAutoBuild": True,
        "enableBasicAuth": True,
    }
    full = amplify.create_app(name="full", accessToken="secret-token", **given)["app"]
    app_id = full["appId"]
    assert re.fullmatch(r"d[a-z0-9]{13}", app_id)
    assert full == {
        "appId": app_id,
        "appArn": f"arn:aws:amplify:us-east-1:123456789012:apps/{app_id}",
        "name": "full",
        "createTime": at(clock()),
        "updateTime": at(clock()),
        "defaultDomain": f"{app_id}.amplifyapp.com",
        **given,
    }
    assert amplify.get_app(appId=app_id)["app"] == full
    bare = amplify.create_app(name="bare")["app"]
    assert {k: v for k, v in bare.items() if k not in ("appId", "appArn", "defaultDomain")} == {
        "name": "bare",
        "description": "",
        "repository": "",
        "platform": "WEB",
        "createTime": at(clock()),
        "updateTime": at(clock()),
        "environmentVariables": {},
        "enableBranchAutoBuild": False,
        "enableBasicAuth": False,
        "tags": {},
    }
    assert amplify.delete_app(appId=app_id)["app"] == full
    assert [a["appId"] for a in amplify.list_apps()["apps"]] == [bare["appId"]]


def test_environments_show_their_stack_and_artifacts(emulator, clock):
    amplify = emulator.client("amplify")
    app_id = emulator.create_app("envs", ())
    clock.advance(3)
    made = amplify.create_backend_environment(
        appId=app_id, environmentName="prod", stackName="my-stack", deploymentArtifacts="art"
    )["backendEnvironment"]
    assert made == {
        "backendEnvironmentArn": "arn:aws:amplify:us-east-1:123456789012:apps/"
        f"{app_id}/backendenvironments/prod",
        "environmentName": "prod",
        "stackName": "my-stack",
        "deploymentArtifacts": "art",
        "createTime": at(clock()),
        "updateTime": at(clock()),
    }
    bare = amplify.create_backend_environment(appId=app_id, environmentName="dev")
    assert bare["backendEnvironment"]["stackName"] == f"amplify-{app_id}-dev"
    assert "deploymentArtifacts" not in bare["backendEnvironment"]
    assert (
        amplify.get_backend_environment(appId=app_id, environmentName="prod")["backendEnvironment"]
        == made
    )
    deleted = amplify.delete_backend_environment(appId=app_id, environmentName="prod")
    assert deleted["backendEnvironment"] == made
    listed = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert [e["environmentName"] for e in listed] == ["dev"]


# -- AmplifyBackend: backends -----------------------------------------------------------------


def test_create_backend_makes_the_app_once_and_the_environment_when_its_job_ends(emulator, clock):
    client = emulator.client()
    amplify = emulator.client("amplify")
    created = client.create_backend(AppId="dnew1", AppName="first", BackendEnvironmentName="dev")
    assert created["Status"] == "IN_PROGRESS"
    assert amplify.get_app(appId="dnew1")["app"]["name"] == "first"
    assert client.get_backend(AppId="dnew1")["BackendEnvironmentList"] == []
    clock.advance(5)
    env = amplify.get_backend_environment(appId="dnew1", environmentName="dev")
    assert env["backendEnvironment"]["createTime"] == at(clock())
    client.create_backend(AppId="dnew1", AppName="second", BackendEnvironmentName="prod")
    assert amplify.get_app(appId="dnew1")["app"]["name"] == "first"  # not renamed
    # An environment made through Amplify while the job ran: the job still completes.
    amplify.create_backend_environment(appId="dnew1", environmentName="prod")
    clock.advance(5)
    job = client.list_backend_jobs(AppId="dnew1", BackendEnvironmentName="prod")["Jobs"][0]
    assert job["Status"] == "COMPLETED" and "Error" not in job
    backend = client.get_backend(AppId="dnew1", BackendEnvironmentName="prod")
    assert backend["BackendEnvironmentList"] == ["dev", "prod"]
    meta = json.loads(backend["AmplifyMetaConfig"])  # the environment's, with no auth yet
    assert "auth" not in meta and meta["providers"]["awscloudformation"]["StackName"]
    assert backend["AmplifyFeatureFlags"] == "{}"


def test_get_backend_shows_the_auth_resource(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    client.create_backend_auth(**valid_request(AppId=app_id, ResourceName="myauth"))
    clock.advance(5)
    backend = client.get_backend(AppId=app_id, BackendEnvironmentName=env)
    auth = json.loads(backend["AmplifyMetaConfig"])["auth"]
    assert list(auth) == ["myauth"] and auth["myauth"]["service"] == "Cognito"
    assert backend["BackendEnvironmentName"] == env and backend["AppName"] == "test-app"
    assert "AmplifyMetaConfig" not in client.get_backend(AppId=app_id)
    assert emulator.store.auth(app_id, env)["imported"] is None  # created, not imported


def test_deleting_an_environment_or_app_deletes_what_it_held(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    amplify = emulator.client("amplify")
    auth = {"AppId": app_id, "BackendEnvironmentName": env}
    client.create_backend_auth(**valid_request(AppId=app_id))
    clock.advance(5)
    assert client.delete_backend(**auth)["Operation"] == "DeleteBackend"
    clock.advance(5)
    amplify.create_backend_environment(appId=app_id, environmentName=env)  # the name is free
    assert error_of(client.get_backend_auth, **auth, ResourceName="mainauth")[0] == (
        "NotFoundException"
    )
    client.create_backend_auth(**valid_request(AppId=app_id))
    clock.advance(5)
    amplify.delete_backend_environment(appId=app_id, environmentName=env)
    amplify.create_backend_environment(appId=app_id, environmentName=env)
    assert error_of(client.get_backend_auth, **auth, ResourceName="mainauth")[0] == (
        "NotFoundException"
    )
    amplify.delete_app(appId=app_id)
    # The same app id made again has none of the old environments.
    client.create_backend(AppId=app_id, AppName="again", BackendEnvironmentName=env)
    assert client.get_backend(AppId=app_id)["AppName"] == "again"


# -- auth jobs and their outcomes --------------------------------------------------------------


def test_import_keeps_the_pools_it_names(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    where = {"AppId": app_id, "BackendEnvironmentName": env}
    job = client.import_backend_auth(
        **where, UserPoolId="us-east-1_abc", NativeClientId="n", WebClientId="w"
    )
    assert (job["Operation"], job["Status"]) == ("ImportBackendAuth", "IN_PROGRESS")
    clock.advance(5)
    got = client.get_backend_auth(**where, ResourceName="imported")
    assert got["ResourceConfig"] == {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "UserPoolName": "us-east-1_abc",
            "SignInMethod": "USERNAME",
            "RequiredSignUpAttributes": [],
        },
    }
    row = emulator.store.auth(app_id, env)  # what a restart reads back
    assert row["imported"] == (
        '{"UserPoolId": "us-east-1_abc", "NativeClientId": "n", "WebClientId": "w"}'
    )
    client.delete_backend_auth(**where, ResourceName="imported")
    clock.advance(5)
    client.import_backend_auth(
        **where, UserPoolId="p", IdentityPoolId="us-east-1:xyz", NativeClientId="n", WebClientId=""
    )
    clock.advance(5)
    config = client.get_backend_auth(**where, ResourceName="imported")["ResourceConfig"]
    assert config["AuthResources"] == "IDENTITY_POOL_AND_USER_POOL"
    assert config["IdentityPoolConfigs"] == {
        "IdentityPoolName": "us-east-1:xyz",
        "UnauthenticatedLogin": False,
    }
    assert emulator.store.auth(app_id, env)["imported"] == (
        '{"UserPoolId": "p", "IdentityPoolId": "us-east-1:xyz", "NativeClientId": "n"}'
    )


def test_a_failed_job_lists_every_rule_it_broke(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    request = valid_request(AppId=app_id)
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 5
    request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] = "bad/name"
    job_id = client.create_backend_auth(**request)["JobId"]
    clock.advance(5)
    job = client.get_backend_job(AppId=app_id, BackendEnvironmentName=env, JobId=job_id)
    assert job["Status"] == "FAILED"
    assert job["Error"] == (
        "ResourceConfig.UserPoolConfigs.UserPoolName: UserPoolName contains '/'; use 1 to 128 "
        "letters, digits, spaces or + = , . @ - _.; "
        "ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength: MinimumLength 5 is not "
        "allowed; Cognito takes a whole number from 6 to 99."
    )


def update(client, app_id, env, user_pool):
    return client.update_backend_auth(
        AppId=app_id,
        BackendEnvironmentName=env,
        ResourceName="mainauth",
        ResourceConfig={
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
            "Service": "COGNITO",
            "UserPoolConfigs": user_pool,
        },
    )["JobId"]


def test_an_update_fails_on_its_own_findings_or_on_the_merged_configuration(
    emulator, clock, app_env
):
    app_id, env = app_env
    client = emulator.client()
    ids = {"AppId": app_id, "BackendEnvironmentName": env}
    client.create_backend_auth(**valid_request(AppId=app_id))
    clock.advance(5)
    # Wrong alone, right once merged (the stored MFA types complete it): still refused.
    alone = update(client, app_id, env, {"Mfa": {"MFAMode": "ON"}})
    clock.advance(5)
    job = client.get_backend_job(**ids, JobId=alone)
    assert job["Status"] == "FAILED" and "MfaTypes" in job["Error"], job
    assert job["Operation"] == "UpdateBackendAuth"
    # Right alone, wrong once merged.
    merged = update(client, app_id, env, {"Mfa": {"Settings": {"MfaTypes": []}}})
    clock.advance(5)
    job = client.get_backend_job(**ids, JobId=merged)
    assert job["Status"] == "FAILED" and "MfaTypes" in job["Error"], job
    config = client.get_backend_auth(**ids, ResourceName="mainauth")["ResourceConfig"]
    assert config == valid_request()["ResourceConfig"]


def test_injected_failures_fail_at_the_rate_and_rule_failures_come_first(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    ids = {"AppId": app_id, "BackendEnvironmentName": env}
    emulator.fail_rate = 1.0
    job_id = client.create_backend_auth(**valid_request(AppId=app_id))["JobId"]
    clock.advance(5)
    job = client.get_backend_job(**ids, JobId=job_id)
    assert job["Error"] == (
        "Injected failure: the deployment did not complete (emulator --fail-rate)."
    )
    request = valid_request(AppId=app_id)
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 5
    job_id = client.create_backend_auth(**request)["JobId"]
    clock.advance(5)
    assert "MinimumLength 5" in client.get_backend_job(**ids, JobId=job_id)["Error"]
    # A job fails when the draw is below the rate: a rate equal to the next draw does not fail.
    probe = random.Random()
    probe.setstate(emulator.rng.getstate())
    emulator.fail_rate = probe.random()
    job_id = client.create_backend_auth(**valid_request(AppId=app_id))["JobId"]
    clock.advance(5)
    assert client.get_backend_job(**ids, JobId=job_id)["Status"] == "COMPLETED"


def test_an_emulator_started_with_a_fail_rate_fails_jobs_from_the_first(clock, tmp_path):
    """The rate given when it starts (``--fail-rate``), not only one set later."""
    from amplify_auth_widgets.emulator import Emulator

    with Emulator(job_seconds=5, clock=clock, db=str(tmp_path / "s.db"), fail_rate=1.0) as emu:
        ids = {"AppId": emu.create_app("failing", ("dev",)), "BackendEnvironmentName": "dev"}
        client = emu.client()
        job_id = client.create_backend_auth(**valid_request(**ids))["JobId"]
        clock.advance(5)
        job = client.get_backend_job(**ids, JobId=job_id)
    assert emu.fail_rate == 1.0 and job["Status"] == "FAILED"
    assert job["Error"] == (
        "Injected failure: the deployment did not complete (emulator --fail-rate)."
    )


def test_update_backend_job_ends_a_running_job_now(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    where = {"AppId": app_id, "BackendEnvironmentName": env}
    job_id = client.create_backend_auth(**valid_request(AppId=app_id))["JobId"]
    clock.advance(1)
    renamed = client.update_backend_job(**where, JobId=job_id, Operation="Renamed")
    assert (renamed["Operation"], renamed["Status"]) == ("Renamed", "IN_PROGRESS")
    same = client.update_backend_job(**where, JobId=job_id, Status="IN_PROGRESS")
    assert (same["Status"], same["Operation"]) == ("IN_PROGRESS", "Renamed")
    clock.advance(1)
    done = client.update_backend_job(**where, JobId=job_id, Status="COMPLETED")
    assert (done["Status"], done["UpdateTime"]) == ("COMPLETED", iso(T0 + 2))
    assert client.get_backend_auth(**where, ResourceName="mainauth")["ResourceName"] == "mainauth"
    clock.advance(1)  # renaming a finished job is a change made now
    renamed = client.update_backend_job(**where, JobId=job_id, Operation="Again")
    assert (renamed["Status"], renamed["UpdateTime"]) == ("COMPLETED", iso(T0 + 3))
    clock.advance(1)  # restating how a finished job ended changes nothing, not even its time
    again = client.update_backend_job(**where, JobId=job_id, Status="COMPLETED")
    assert again["UpdateTime"] == iso(T0 + 3)
    job_id = client.delete_backend_auth(**where, ResourceName="mainauth")["JobId"]
    failed = client.update_backend_job(**where, JobId=job_id, Status="FAILED")
    assert failed["Status"] == "FAILED"
    assert failed["Error"] == "Ended as FAILED by UpdateBackendJob."
    clock.advance(60)
    assert client.get_backend_auth(**where, ResourceName="mainauth")["ResourceName"] == "mainauth"


def stored_job(emulator, app_id, env, job_id, **changes):
    now = emulator.clock()
    job = {
        "job_id": job_id,
        "app_id": app_id,
        "env_name": env,
        "operation": "CreateBackendAuth",
        "status": JobStatus.IN_PROGRESS,
        "error": None,
        "create_time": now,
        "update_time": now,
        "end_time": now + 1,
        "outcome": JobStatus.COMPLETED,
        "outcome_error": None,
        "effect": {"kind": "put_auth", "resource_name": "r", "config": {}},
    }
    emulator.store.add_job({**job, **changes})


def test_a_stored_job_the_emulator_cannot_finish_fails_with_the_reason(emulator, clock):
    apps = [emulator.create_app(f"s{i}", ("dev",)) for i in range(3)]
    stored_job(emulator, apps[0], "dev", "odd-outcome", outcome="PAUSED")
    stored_job(emulator, apps[1], "dev", "no-config", effect={"kind": "put_auth"})
    stored_job(emulator, apps[2], "dev", "fine")
    clock.advance(1)
    client = emulator.client()
    errors = {
        job_id: client.get_backend_job(AppId=app, BackendEnvironmentName="dev", JobId=job_id)
        for app, job_id in zip(apps, ("odd-outcome", "no-config", "fine"), strict=True)
    }
    assert errors["odd-outcome"]["Error"] == "The job's stored outcome 'PAUSED' is unknown."
    assert errors["no-config"]["Error"] == (
        "The emulator could not apply this job's change (KeyError)."
    )
    assert [e["Status"] for e in errors.values()] == ["FAILED", "FAILED", "COMPLETED"]
    assert errors["fine"]["UpdateTime"] == iso(clock())


def test_text_that_is_not_utf8_reads_with_replacement_characters(emulator):
    """A row written by something else with bytes that are not UTF-8 lists, marked, not a 500."""
    app_id = emulator.create_app("placeholder", ("dev",))
    with emulator.store.transaction() as db:
        db.execute("UPDATE apps SET name = CAST(X'6f6bff21' AS TEXT) WHERE app_id = ?", (app_id,))
    amplify = emulator.client("amplify")
    assert [a["name"] for a in amplify.list_apps()["apps"]] == ["ok\ufffd!"]
    assert amplify.get_app(appId=app_id)["app"]["name"] == "ok\ufffd!"
