"""What a client reads from the emulator, exactly: times, error words, pages.

The contract tests check that each operation works; these pin down the words and values a
client (boto3 over HTTP on 127.0.0.1) is given, so that a change to any of them is seen:
job times (ISO 8601 with milliseconds, following the clock, ending at the end time), how long
jobs take, each not-found and conflict message with its resource type, and pages (default
sizes, an exact fit, filters, tokens the service did not give).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from conftest import valid_request
from support.answers import T0, error_of

from amplify_auth_widgets.core.lifecycle import JobStatus
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.backend import iso

# -- times -----------------------------------------------------------------------------------


def test_iso_is_utc_with_milliseconds(far_from_utc):
    assert iso(T0) == "2027-01-15T08:00:00.000Z"
    assert iso(T0 + 0.0071) == "2027-01-15T08:00:00.007Z"
    assert iso(T0 + 61.9999) == "2027-01-15T08:01:01.999Z"


def test_job_times_follow_the_clock_and_end_at_the_end_time(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    clock.advance(0.25)
    job_id = client.create_backend_auth(**valid_request(AppId=app_id))["JobId"]
    ids = {"AppId": app_id, "BackendEnvironmentName": env, "JobId": job_id}
    assert uuid.UUID(job_id).version == 4 and str(uuid.UUID(job_id)) == job_id
    created = iso(T0 + 0.25)
    job = client.get_backend_job(**ids)
    assert (job["CreateTime"], job["UpdateTime"], job["Status"]) == (
        created,
        created,
        "IN_PROGRESS",
    )
    assert "Error" not in job
    clock.advance(2)
    assert client.get_backend_job(**ids)["UpdateTime"] == iso(T0 + 2.25)
    clock.advance(-10)  # a clock set back: the update time never precedes the creation
    assert client.get_backend_job(**ids)["UpdateTime"] == created
    clock.advance(10 + 2.9)
    job = client.get_backend_job(**ids)
    assert (job["Status"], job["UpdateTime"]) == ("IN_PROGRESS", iso(T0 + 5.15))
    clock.advance(0.1)  # exactly the end time: done
    job = client.get_backend_job(**ids)
    assert (job["Status"], job["UpdateTime"]) == ("COMPLETED", iso(T0 + 5.25))
    clock.advance(100)
    job = client.get_backend_job(**ids)
    assert (job["CreateTime"], job["UpdateTime"]) == (created, iso(T0 + 5.25))


def test_settle_says_how_many_jobs_it_finished(emulator, clock):
    apps = [emulator.create_app(f"a{i}", ("dev",)) for i in range(2)]
    client = emulator.client()
    for app_id in apps:
        client.create_backend_auth(**valid_request(AppId=app_id, BackendEnvironmentName="dev"))
    assert emulator.settle() == 0
    clock.advance(5)
    assert emulator.settle() == 2
    assert emulator.settle() == 0


def test_job_durations_come_from_the_range_or_the_function(tmp_path, clock):
    asked: list[tuple[str, str]] = []

    def seconds(operation: str, app_id: str) -> float:
        asked.append((operation, app_id))
        return 7

    with Emulator(db=str(tmp_path / "f.sqlite3"), clock=clock, job_seconds=seconds) as emu:
        app_id = emu.create_app("f", ("dev",))
        job = emu.client().create_backend_auth(
            **valid_request(AppId=app_id, BackendEnvironmentName="dev")
        )
        assert asked == [("CreateBackendAuth", app_id)]
        clock.advance(7)
        done = emu.client().get_backend_job(
            AppId=app_id, BackendEnvironmentName="dev", JobId=job["JobId"]
        )
        assert done["UpdateTime"] == iso(clock())
    with Emulator(db=str(tmp_path / "r.sqlite3"), clock=clock, job_seconds=(2, 4), seed=1) as emu:
        start = clock()
        ends = []
        for i in range(5):
            app_id = emu.create_app(f"r{i}", ("dev",))
            job = emu.client().create_backend_auth(
                **valid_request(AppId=app_id, BackendEnvironmentName="dev")
            )
            ends.append((app_id, job["JobId"]))
        clock.advance(4)
        times = [
            emu.client().get_backend_job(AppId=a, BackendEnvironmentName="dev", JobId=j)
            for a, j in ends
        ]
        seconds_taken = [
            dt.datetime.strptime(t["UpdateTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
            .replace(tzinfo=dt.UTC)
            .timestamp()
            - start
            for t in times
        ]
        assert all(2 <= s <= 4 for s in seconds_taken), seconds_taken
        assert len({round(s, 3) for s in seconds_taken}) == 5  # drawn, not fixed


# -- errors: the code, the words and the resource type -------------------------------------


def test_not_found_names_what_is_missing(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    where = f"in backend environment {env} of app {app_id}."
    assert error_of(client.get_backend, AppId="dnope") == (
        "NotFoundException",
        "App dnope not found.",
        "App",
    )
    assert error_of(client.get_backend, AppId=app_id, BackendEnvironmentName="nope") == (
        "NotFoundException",
        f"Backend environment nope not found for app {app_id}.",
        "BackendEnvironment",
    )
    auth = {"AppId": app_id, "BackendEnvironmentName": env}
    assert error_of(client.get_backend_auth, **auth, ResourceName="mainauth") == (
        "NotFoundException",
        f"Auth resource mainauth not found {where}",
        "Auth",
    )
    assert (
        error_of(client.get_backend_auth, **auth, ResourceName="")[1] == f"Auth not found {where}"
    )
    assert error_of(client.get_backend_job, **auth, JobId="j1") == (
        "NotFoundException",
        f"Job j1 not found {where}",
        "Job",
    )
    client.create_backend_auth(**valid_request(AppId=app_id))
    emulator.clock.advance(5)
    assert error_of(client.get_backend_auth, **auth, ResourceName="other")[1] == (
        f"Auth resource other not found {where}"
    )
    assert client.get_backend_auth(**auth, ResourceName="mainauth")["ResourceName"] == "mainauth"


def test_changes_aimed_at_an_auth_resource_of_another_name_are_not_found(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    where = f"in backend environment {env} of app {app_id}."
    auth = {"AppId": app_id, "BackendEnvironmentName": env}
    client.create_backend_auth(**valid_request(AppId=app_id))
    emulator.clock.advance(5)
    config = {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 12}},
    }
    for call, extra in (
        (client.update_backend_auth, {"ResourceConfig": config}),
        (client.delete_backend_auth, {}),
    ):  # a change aimed at a resource of another name changes nothing
        assert error_of(call, **auth, ResourceName="other", **extra) == (
            "NotFoundException",
            f"Auth resource other not found {where}",
            "Auth",
        )
    emulator.clock.advance(60)
    got = client.get_backend_auth(**auth, ResourceName="mainauth")["ResourceConfig"]
    assert got == valid_request()["ResourceConfig"]


def test_conflicts_say_what_is_in_the_way(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    amplify = emulator.client("amplify")
    assert error_of(client.create_backend, AppId=app_id, AppName="x", BackendEnvironmentName=env)[
        :2
    ] == ("BadRequestException", f"Backend environment {env} already exists for {app_id}.")
    assert error_of(amplify.create_backend_environment, appId=app_id, environmentName=env)[:2] == (
        "BadRequestException",
        f"Backend environment {env} already exists for {app_id}.",
    )
    job_id = client.create_backend_auth(**valid_request(AppId=app_id))["JobId"]
    assert error_of(client.delete_backend, AppId=app_id, BackendEnvironmentName=env)[:2] == (
        "BadRequestException",
        f"There is already a pending job for the requested appId {app_id} (job {job_id}, "
        "CreateBackendAuth). Please wait for it to complete before creating a new job.",
    )
    emulator.clock.advance(5)
    assert error_of(client.create_backend_auth, **valid_request(AppId=app_id))[:2] == (
        "BadRequestException",
        f"Auth already exists in backend environment {env} of app {app_id}; "
        "use UpdateBackendAuth to change it.",
    )


def test_update_backend_job_refusals(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    job_id = client.create_backend_auth(**valid_request(AppId=app_id))["JobId"]
    ids = {"AppId": app_id, "BackendEnvironmentName": env, "JobId": job_id}
    assert error_of(client.update_backend_job, **ids, Status="DONE")[:2] == (
        "BadRequestException",
        "Status 'DONE' is not a job status; use one of IN_PROGRESS, COMPLETED, FAILED.",
    )
    emulator.clock.advance(5)
    assert error_of(client.update_backend_job, **ids, Status="FAILED")[:2] == (
        "BadRequestException",
        f"Job {job_id} is COMPLETED: a finished job cannot become FAILED. Start a new job instead.",
    )


def test_create_backend_names_every_bad_member(emulator):
    client = emulator.client()
    code, message, _ = error_of(
        client.create_backend, AppId="D1", AppName="", BackendEnvironmentName=""
    )
    assert (code, message) == (
        "BadRequestException",
        "Invalid request: AppId: 'D1' does not match the pattern d[a-z0-9]+. AppName: takes 1 "
        "to 255 characters. AppName: '' does not match the pattern (?s).+. "
        "BackendEnvironmentName: takes 1 to 255 characters. BackendEnvironmentName: '' does "
        "not match the pattern (?s).+.",
    )
    assert emulator.client("amplify").list_apps()["apps"] == []


# -- pages --------------------------------------------------------------------------------------


def finished_jobs(emulator, app_id, env, count):
    """``count`` finished jobs of ``app_id``, as the store keeps them, oldest first."""
    for i in range(count):
        now = emulator.clock()
        emulator.store.add_job(
            {
                "job_id": f"job-{i:03d}",
                "app_id": app_id,
                "env_name": env,
                "operation": "UpdateBackendAuth" if i % 2 else "CreateBackendAuth",
                "status": JobStatus.FAILED if i == 1 else JobStatus.COMPLETED,
                "error": "it broke" if i == 1 else None,
                "create_time": now,
                "update_time": now,
                "end_time": now,
                "outcome": JobStatus.COMPLETED,
                "outcome_error": None,
                "effect": {"kind": "create_env"},
            }
        )
    return [f"job-{i:03d}" for i in reversed(range(count))]  # newest first


def job_ids(page):
    return [j["JobId"] for j in page["Jobs"]]


def test_job_pages_default_size_exact_fit_and_filters(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    ids = finished_jobs(emulator, app_id, env, 26)
    where = {"AppId": app_id, "BackendEnvironmentName": env}
    first = client.list_backend_jobs(**where)
    assert job_ids(first) == ids[:25] and first["NextToken"]
    rest = client.list_backend_jobs(**where, NextToken=first["NextToken"])
    assert job_ids(rest) == ids[25:] and "NextToken" not in rest
    halves = client.list_backend_jobs(**where, MaxResults=13)
    assert job_ids(halves) == ids[:13]
    second = client.list_backend_jobs(**where, MaxResults=13, NextToken=halves["NextToken"])
    assert job_ids(second) == ids[13:] and "NextToken" not in second  # an exact fit: no more
    failed = client.list_backend_jobs(**where, Status="FAILED")["Jobs"]
    assert [(j["JobId"], j["Error"]) for j in failed] == [("job-001", "it broke")]
    updates = client.list_backend_jobs(**where, Operation="UpdateBackendAuth", MaxResults=25)
    assert job_ids(updates) == [i for i in ids if int(i[-3:]) % 2][:25]
    assert job_ids(client.list_backend_jobs(**where, JobId="job-007")) == ["job-007"]
    other = client.list_backend_jobs(AppId=app_id, BackendEnvironmentName="other")
    assert other["Jobs"] == []


@pytest.mark.parametrize(
    "token",
    ["garbage!", "djE6", "djI6MQ==", "djE6eA==", "djE6LTE=", "_w==", "djE="],
    ids=["not-base64", "v1-no-number", "v2", "v1-letters", "v1-negative", "not-utf8", "v1-only"],
)
def test_a_token_the_service_did_not_give_is_refused(emulator, app_env, token):
    app_id, env = app_env
    finished_jobs(emulator, app_id, env, 3)
    unchecked = emulator.client()
    assert error_of(
        unchecked.list_backend_jobs, AppId=app_id, BackendEnvironmentName=env, NextToken=token
    )[:2] == ("BadRequestException", "NextToken is not valid: repeat the request without it.")


def test_amplify_pages_default_sizes(emulator):
    amplify = emulator.client("amplify")
    apps = sorted(emulator.create_app(f"a{i:03d}", ()) for i in range(101))
    first = amplify.list_apps()
    assert len(first["apps"]) == 100 and first["nextToken"]
    rest = amplify.list_apps(nextToken=first["nextToken"])
    assert len(rest["apps"]) == 1 and "nextToken" not in rest
    assert sorted(a["appId"] for a in first["apps"] + rest["apps"]) == apps
    assert len(amplify.list_apps(maxResults=0)["apps"]) == 100  # 0: the default
    app_id = apps[0]
    envs = [f"e{i:02d}" for i in range(51)]
    for env in envs:
        emulator.store.put_environment(app_id, env, {}, emulator.clock())
    page = amplify.list_backend_environments(appId=app_id)
    assert [e["environmentName"] for e in page["backendEnvironments"]] == envs[:50]
    last = amplify.list_backend_environments(appId=app_id, nextToken=page["nextToken"])
    assert [e["environmentName"] for e in last["backendEnvironments"]] == envs[50:]
    one = amplify.list_backend_environments(appId=app_id, environmentName="e07")
    assert [e["environmentName"] for e in one["backendEnvironments"]] == ["e07"]


def test_backend_and_auth_answers_name_their_app_and_environment(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    request = valid_request(AppId=app_id, BackendEnvironmentName=env)
    client.create_backend_auth(**request)
    clock.advance(10)
    backend = client.get_backend(AppId=app_id, BackendEnvironmentName=env)
    assert (backend["AppId"], backend["BackendEnvironmentName"]) == (app_id, env)
    auth = client.get_backend_auth(
        AppId=app_id, BackendEnvironmentName=env, ResourceName=request["ResourceName"]
    )
    assert (auth["AppId"], auth["BackendEnvironmentName"]) == (app_id, env)
    assert auth["ResourceName"] == request["ResourceName"]
