"""No request corrupts the emulator's state or reaches another resource than its path names.

Values the store cannot hold are refused before anything is written; a job whose change cannot
be applied fails alone; path parameters come only from the path; a finished job stays finished;
two emulators on one database keep one pending job per app; the JSON parser's limits are 400s.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import signed, valid_request

from amplify_auth_widgets.core.lifecycle import JobStatus
from amplify_auth_widgets.emulator import Emulator

JSON = {"Content-Type": "application/json"}


def wire(request: dict[str, Any], operation: str = "CreateBackendAuth") -> dict[str, Any]:
    """A request's body as botocore puts it on the wire (its wire names, no path members)."""
    from botocore.serialize import create_serializer

    from amplify_auth_widgets.core.model import service_model

    serialized = create_serializer("rest-json").serialize_to_request(
        request, service_model().operation_model(operation)
    )
    return json.loads(serialized["body"])


def job_count(emulator: Emulator) -> int:
    return emulator.store.query("SELECT COUNT(*) FROM jobs")[0][0]


# -- values the store cannot hold -----------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "where"),
    [
        (lambda body: body.__setitem__("resourceName", "a\ud800"), "resourceName"),
        (
            lambda body: body["resourceConfig"]["userPoolConfigs"].__setitem__(
                "userPoolName", "\udfff"
            ),
            "resourceConfig.userPoolConfigs.userPoolName",
        ),
        (
            lambda body: body["resourceConfig"]["userPoolConfigs"]["oAuth"][
                "redirectSignInURIs"
            ].append("https://x/\ud800"),
            "resourceConfig.userPoolConfigs.oAuth.redirectSignInURIs[2]",
        ),
        (lambda body: body.__setitem__("x\ud800", 1), "x\\ud800"),
    ],
)
def test_a_lone_surrogate_anywhere_is_refused_before_anything_is_written(
    emulator, app_env, place, where
):
    app_id, env = app_env
    body = wire(valid_request(AppId=app_id, BackendEnvironmentName=env))
    place(body)
    status, headers, payload = signed(
        emulator.url, "POST", f"/backend/{app_id}/auth", json.dumps(body), JSON
    )
    assert status == 400 and headers["x-amzn-errortype"] == "BadRequestException"
    assert where in payload["message"] and "surrogate" in payload["message"]
    assert job_count(emulator) == 0
    # The same request without the bad value goes through, and later requests are unharmed.
    good = emulator.client().create_backend_auth(
        **valid_request(AppId=app_id, BackendEnvironmentName=env)
    )
    assert good["Status"] == "IN_PROGRESS"


def test_a_surrogate_in_an_app_s_map_or_a_path_is_refused(emulator):
    body = json.dumps({"name": "n", "environmentVariables": {"K": "\ud800"}})
    status, _, payload = signed(emulator.url, "POST", "/apps", body, JSON, service="amplify")
    assert status == 400 and "environmentVariables.K" in payload["message"]
    assert emulator.store.query("SELECT COUNT(*) FROM apps")[0][0] == 0
    # A path segment whose percent-escapes are not UTF-8 (the bytes of an encoded surrogate).
    status, _, payload = signed(emulator.url, "POST", "/backend/%ED%A0%80/details", b"{}", JSON)
    assert status == 400 and "UTF-8" in payload["message"]


def test_a_job_that_cannot_be_applied_fails_alone_also_after_a_restart(tmp_path, clock):
    db = str(tmp_path / "state.sqlite3")
    with Emulator(db=db, clock=clock, job_seconds=5) as emu:
        bad_app = emu.create_app("bad", ("dev",))
        good_app = emu.create_app("good", ("dev",))
        # A job row as an earlier version wrote it: its change names a resource SQLite cannot
        # store (the effect is JSON, which escapes the surrogate; the auth table's column not).
        emu.store.add_job(
            {
                "job_id": "bad-job",
                "app_id": bad_app,
                "env_name": "dev",
                "operation": "CreateBackendAuth",
                "status": JobStatus.IN_PROGRESS,
                "error": None,
                "create_time": clock(),
                "update_time": clock(),
                "end_time": clock() + 1,
                "outcome": JobStatus.COMPLETED,
                "outcome_error": None,
                "effect": {"kind": "put_auth", "resource_name": "\ud800", "config": {}},
            }
        )
        good = emu.client().create_backend_auth(
            **valid_request(AppId=good_app, BackendEnvironmentName="dev")
        )
    clock.advance(10)
    for _ in range(2):  # the restart that settles the jobs, and one more on the same file
        with Emulator(db=db, clock=clock, job_seconds=5) as emu:
            client = emu.client()
            bad = client.get_backend_job(
                AppId=bad_app, BackendEnvironmentName="dev", JobId="bad-job"
            )
            assert bad["Status"] == "FAILED" and "could not apply" in bad["Error"]
            done = client.get_backend_job(
                AppId=good_app, BackendEnvironmentName="dev", JobId=good["JobId"]
            )
            assert done["Status"] == "COMPLETED"
            got = client.get_backend_auth(
                AppId=good_app, BackendEnvironmentName="dev", ResourceName="mainauth"
            )
            assert got["ResourceName"] == "mainauth"


# -- path parameters come only from the path ------------------------------------------------


@pytest.fixture
def victim(emulator, clock):
    """An app whose auth is in place: nothing aimed at another app may read or change it."""
    app_id = emulator.create_app("victim", ("prod",))
    emulator.client().create_backend_auth(
        **valid_request(AppId=app_id, BackendEnvironmentName="prod")
    )
    clock.advance(5)
    emulator.settle()
    return app_id


def victim_config(emulator, victim):
    return emulator.client().get_backend_auth(
        AppId=victim, BackendEnvironmentName="prod", ResourceName="mainauth"
    )["ResourceConfig"]


@pytest.mark.parametrize(
    "smuggled",
    [
        lambda v: {"appId": v, "backendEnvironmentName": "prod"},
        lambda v: {"AppId": v, "BackendEnvironmentName": "prod"},
    ],
)
def test_body_members_cannot_name_another_app(emulator, app_env, victim, smuggled):
    app_id, env = app_env
    before = victim_config(emulator, victim)
    read = {"resourceName": "mainauth", **smuggled(victim)}
    status, _, payload = signed(
        emulator.url, "POST", f"/backend/{app_id}/auth/{env}/details", json.dumps(read), JSON
    )
    assert status == 400, payload
    assert "path" in payload["message"] and "resourceConfig" not in payload
    update = {
        "resourceName": "mainauth",
        "resourceConfig": {
            "authResources": "USER_POOL_ONLY",
            "service": "COGNITO",
            "userPoolConfigs": {"passwordPolicy": {"minimumLength": 6}},
        },
        **smuggled(victim),
    }
    status, _, payload = signed(
        emulator.url, "POST", f"/backend/{app_id}/auth/{env}", json.dumps(update), JSON
    )
    assert status == 400, payload
    emulator.clock.advance(60)
    assert victim_config(emulator, victim) == before
    assert emulator.store.query("SELECT COUNT(*) FROM jobs WHERE app_id = ?", (victim,))[0][0] == 1


def test_amplify_body_cannot_name_another_app(emulator, victim):
    other = emulator.create_app("other", ())
    body = json.dumps({"environmentName": "sneaky", "appId": victim})
    status, _, payload = signed(
        emulator.url, "POST", f"/apps/{other}/backendenvironments", body, JSON, service="amplify"
    )
    assert status == 400 and "appId" in payload["message"]
    assert emulator.store.environment(victim, "sneaky") is None
    assert emulator.store.environment(other, "sneaky") is None


def test_a_member_spelled_by_its_name_instead_of_its_wire_name_is_unknown(emulator, app_env):
    app_id, env = app_env
    body = wire(valid_request(AppId=app_id, BackendEnvironmentName=env))
    body["ResourceName"] = body.pop("resourceName")
    status, _, payload = signed(
        emulator.url, "POST", f"/backend/{app_id}/auth", json.dumps(body), JSON
    )
    assert status == 400 and "ResourceName" in payload["message"]
    assert "resourceName" in payload["message"]  # the spelling that works
    assert job_count(emulator) == 0


# -- UpdateBackendJob ---------------------------------------------------------------------------


def test_a_finished_job_stays_finished(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    job_id = client.create_backend_auth(**valid_request(AppId=app_id, BackendEnvironmentName=env))[
        "JobId"
    ]
    clock.advance(5)
    ids = {"AppId": app_id, "BackendEnvironmentName": env, "JobId": job_id}
    assert client.get_backend_job(**ids)["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.BadRequestException, match=r"COMPLETED.*finished"):
        client.update_backend_job(**ids, Status="IN_PROGRESS")
    assert client.update_backend_job(**ids, Status="COMPLETED")["Status"] == "COMPLETED"
    with pytest.raises(client.exceptions.BadRequestException, match="IN_PROGRESS, COMPLETED"):
        client.update_backend_job(**ids, Status="DONE")
    clock.advance(60)
    assert client.get_backend_job(**ids)["Status"] == "COMPLETED"
    assert emulator.store.query("SELECT status FROM jobs")[0][0] == "COMPLETED"


def test_a_job_status_outside_the_lifecycle_is_refused_while_it_runs(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    job_id = client.create_backend_auth(**valid_request(AppId=app_id, BackendEnvironmentName=env))[
        "JobId"
    ]
    ids = {"AppId": app_id, "BackendEnvironmentName": env, "JobId": job_id}
    with pytest.raises(client.exceptions.BadRequestException, match="not a job status"):
        client.update_backend_job(**ids, Status="in_progress")
    assert client.get_backend_job(**ids)["Status"] == "IN_PROGRESS"


# -- two emulators on one database -------------------------------------------------------------


def test_two_emulators_on_one_database_keep_one_pending_job_per_app(tmp_path, clock):
    """The second emulator's request arrives between the first one's check and its insert."""
    db = str(tmp_path / "shared.sqlite3")
    answers: list[int] = []

    def meanwhile(operation: str, app_id: str) -> float:
        if not answers:  # once: the other emulator takes a job for the same app now
            body = json.dumps(wire(valid_request(AppId=app_id, BackendEnvironmentName="dev")))
            answers.append(signed(second.url, "POST", f"/backend/{app_id}/auth", body, JSON)[0])
        return 60.0

    with (
        Emulator(db=db, clock=clock, job_seconds=meanwhile) as first,
        Emulator(db=db, clock=clock, job_seconds=60) as second,
    ):
        app_id = first.create_app("shared", ("dev",))
        body = json.dumps(wire(valid_request(AppId=app_id, BackendEnvironmentName="dev")))
        status, _, _ = signed(first.url, "POST", f"/backend/{app_id}/auth", body, JSON)
        pending = first.store.query(
            "SELECT COUNT(*) FROM jobs WHERE app_id = ? AND status = 'IN_PROGRESS'", (app_id,)
        )[0][0]
        assert pending == 1
        assert sorted([status, *answers]) == [200, 400]


# -- parser limits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested"),
        ('{"resourceName": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
        ('{"resourceName": ' + '{"a": ' * 50 + "1" + "}" * 51, "nested"),
        ('{"maxResults": ' + "9" * 5000 + "}", "number"),
        ('{"maxResults": 1' + "0" * 30 + "}", "number"),
        ('{"maxResults": NaN}', "NaN"),
        ('{"maxResults": 1e999}', "number"),
        ('{"maxResults": -Infinity}', "Infinity"),
    ],
)
def test_parser_limits_are_400s_with_a_message(emulator, app_env, body, words):
    app_id, env = app_env
    status, headers, payload = signed(
        emulator.url, "POST", f"/backend/{app_id}/job/{env}", body, JSON
    )
    assert status == 400 and headers["x-amzn-errortype"] == "BadRequestException"
    assert words in payload["message"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"name": "n", "tags": {"": "v"}}, "tags (key '')"),
        ({"name": "n", "tags": {"aws:x": "v"}}, "does not match"),
        ({"name": "n", "environmentVariables": {"K": 5}}, "environmentVariables.K: must be a str"),
        ({"name": "n", "environmentVariables": ["K"]}, "environmentVariables: must be an object"),
    ],
)
def test_maps_are_checked_as_the_model_says_before_they_are_stored(emulator, body, words):
    status, _, payload = signed(emulator.url, "POST", "/apps", json.dumps(body), JSON, "amplify")
    assert status == 400 and words in payload["message"], payload
    assert emulator.store.query("SELECT COUNT(*) FROM apps")[0][0] == 0


def test_a_row_written_by_something_else_does_not_fail_every_listing(emulator):
    good = emulator.create_app("good", ("dev",))
    bad = emulator.create_app("bad", ("dev",))
    with emulator.store.transaction() as db:
        db.execute("UPDATE apps SET data = 'not json' WHERE app_id = ?", (bad,))
        db.execute("UPDATE environments SET data = '[1]' WHERE app_id = ?", (bad,))
    amplify = emulator.client("amplify")
    assert {a["appId"] for a in amplify.list_apps()["apps"]} == {good, bad}
    envs = amplify.list_backend_environments(appId=bad)["backendEnvironments"]
    assert [e["environmentName"] for e in envs] == ["dev"]


@pytest.mark.parametrize(
    ("app_id", "name", "env", "words"),
    [
        (" ", "n", "dev", "AppId"),
        ("dok", "", "dev", "AppName"),
        ("D1", "n", "dev", "AppId"),
    ],
)
def test_create_backend_makes_only_apps_amplify_can_list(emulator, app_id, name, env, words):
    body = json.dumps({"appId": app_id, "appName": name, "backendEnvironmentName": env})
    status, _, payload = signed(emulator.url, "POST", "/backend", body, JSON)
    assert status == 400 and words in payload["message"], payload
    assert emulator.client("amplify").list_apps()["apps"] == []
