"""The emulated Amplify service as boto3's ``amplify`` client reads it: each member of an app
and of a backend environment (given, defaulted, or left out), what is kept and what is not,
listings, deletions, and the refusal of an environment that exists already."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError
from conftest import FakeClock

from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.amplify import app_view, environment_view

T0 = 1_800_000_000.0
ARN = "arn:aws:amplify:us-east-1:123456789012:apps/"


@pytest.fixture(scope="module")
def clock():
    return FakeClock(T0)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory, clock):
    db = str(tmp_path_factory.mktemp("amplify") / "state.sqlite3")
    with Emulator(job_seconds=0, clock=clock, db=db, seed=3) as emu:
        yield emu


@pytest.fixture(scope="module")
def amplify(emulator):
    return emulator.client("amplify")


def at(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def test_an_app_created_with_every_member_kept(amplify, clock):
    clock.now = T0 + 10
    app = amplify.create_app(
        name="full",
        description="the shop",
        repository="https://github.com/o/r",
        platform="WEB_COMPUTE",
        environmentVariables={"A": "1"},
        tags={"team": "web"},
        enableBranchAutoBuild=True,
        enableBasicAuth=True,
        basicAuthCredentials="dXNlcjpwYXNz",
        accessToken="secret-token",
    )["app"]
    app_id = app["appId"]
    assert app["appArn"] == ARN + app_id
    assert app["name"] == "full"
    assert (app["description"], app["repository"], app["platform"]) == (
        "the shop",
        "https://github.com/o/r",
        "WEB_COMPUTE",
    )
    assert app["environmentVariables"] == {"A": "1"} and app["tags"] == {"team": "web"}
    assert app["enableBranchAutoBuild"] is True and app["enableBasicAuth"] is True
    assert app["defaultDomain"] == f"{app_id}.amplifyapp.com"
    assert app["createTime"] == at(T0 + 10) == app["updateTime"]
    # credentials are accepted and never kept nor answered
    assert "basicAuthCredentials" not in app and "accessToken" not in app
    got = amplify.get_app(appId=app_id)["app"]
    assert got == app


def test_an_app_created_with_a_name_only_has_the_defaults(amplify):
    app = amplify.create_app(name="bare")["app"]
    assert (app["description"], app["repository"], app["platform"]) == ("", "", "WEB")
    assert app["environmentVariables"] == {} and app["tags"] == {}
    assert app["enableBranchAutoBuild"] is False and app["enableBasicAuth"] is False


def test_a_row_whose_document_is_not_an_object_shows_without_extras():
    row = {"app_id": "dx", "name": "odd", "create_time": T0, "update_time": T0 + 1}
    for data in ("not json", "[1, 2]", '"text"', "{}"):
        view = app_view({**row, "data": data})
        assert (view["description"], view["platform"], view["tags"]) == ("", "WEB", {})
        assert view["updateTime"] == at(T0 + 1) and view["createTime"] == at(T0)
    kept = app_view({**row, "data": '{"description": "kept", "enableBasicAuth": 1}'})
    assert kept["description"] == "kept" and kept["enableBasicAuth"] is True


def test_environments_are_created_got_listed_and_deleted(amplify, clock):
    app_id = amplify.create_app(name="envs")["app"]["appId"]
    clock.now = T0 + 20
    made = amplify.create_backend_environment(
        appId=app_id,
        environmentName="dev",
        stackName="my-stack",
        deploymentArtifacts="my-artifacts",
    )["backendEnvironment"]
    assert made == {
        "backendEnvironmentArn": f"{ARN}{app_id}/backendenvironments/dev",
        "environmentName": "dev",
        "stackName": "my-stack",
        "deploymentArtifacts": "my-artifacts",
        "createTime": at(T0 + 20),
        "updateTime": at(T0 + 20),
    }
    plain = amplify.create_backend_environment(appId=app_id, environmentName="prod")
    plain = plain["backendEnvironment"]
    assert plain["stackName"] == f"amplify-{app_id}-prod"
    assert "deploymentArtifacts" not in plain  # left out when unset
    got = amplify.get_backend_environment(appId=app_id, environmentName="dev")
    assert got["backendEnvironment"] == made
    listed = amplify.list_backend_environments(appId=app_id)
    assert [e["environmentName"] for e in listed["backendEnvironments"]] == ["dev", "prod"]
    assert "nextToken" not in listed
    one = amplify.list_backend_environments(appId=app_id, environmentName="prod")
    assert one["backendEnvironments"] == [plain]
    none = amplify.list_backend_environments(appId=app_id, environmentName="qa")
    assert none["backendEnvironments"] == []
    gone = amplify.delete_backend_environment(appId=app_id, environmentName="dev")
    assert gone["backendEnvironment"] == made
    listed = amplify.list_backend_environments(appId=app_id)["backendEnvironments"]
    assert [e["environmentName"] for e in listed] == ["prod"]


def test_an_environment_that_exists_is_refused(amplify):
    app_id = amplify.create_app(name="twice")["app"]["appId"]
    amplify.create_backend_environment(appId=app_id, environmentName="dev", stackName="first")
    with pytest.raises(ClientError) as info:
        amplify.create_backend_environment(appId=app_id, environmentName="dev", stackName="x")
    error = info.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "BadRequestException",
        f"Backend environment dev already exists for {app_id}.",
    )
    got = amplify.get_backend_environment(appId=app_id, environmentName="dev")
    assert got["backendEnvironment"]["stackName"] == "first"


def test_environments_of_an_app_not_there_are_not_found(amplify):
    for call, kwargs in (
        (amplify.create_backend_environment, {"environmentName": "dev"}),
        (amplify.list_backend_environments, {}),
        (amplify.get_backend_environment, {"environmentName": "dev"}),
        (amplify.delete_backend_environment, {"environmentName": "dev"}),
    ):
        with pytest.raises(ClientError) as info:
            call(appId="dnope", **kwargs)
        assert info.value.response["Error"]["Message"] == "App dnope not found."


def test_an_app_is_listed_then_deleted_with_its_last_view(amplify):
    app = amplify.create_app(name="doomed", description="soon gone")["app"]
    app_id = app["appId"]
    listed = {a["appId"]: a for a in amplify.list_apps()["apps"]}
    assert listed[app_id] == app
    deleted = amplify.delete_app(appId=app_id)["app"]
    assert deleted == app
    assert app_id not in {a["appId"] for a in amplify.list_apps()["apps"]}
    with pytest.raises(ClientError) as info:
        amplify.get_app(appId=app_id)
    assert info.value.response["Error"]["Code"] == "NotFoundException"


def test_apps_page_by_the_size_asked(amplify, emulator):
    for i in range(3):
        emulator.create_app(f"paged-{i}", ())
    total = len(amplify.list_apps()["apps"])
    first = amplify.list_apps(maxResults=2)
    assert len(first["apps"]) == 2 and first["nextToken"]
    rest = amplify.list_apps(maxResults=100, nextToken=first["nextToken"])
    assert len(rest["apps"]) == total - 2 and "nextToken" not in rest


def test_environments_page_by_the_size_asked(amplify):
    app_id = amplify.create_app(name="many")["app"]["appId"]
    for env in ("a", "b", "c"):
        amplify.create_backend_environment(appId=app_id, environmentName=env)
    first = amplify.list_backend_environments(appId=app_id, maxResults=2)
    assert [e["environmentName"] for e in first["backendEnvironments"]] == ["a", "b"]
    rest = amplify.list_backend_environments(appId=app_id, nextToken=first["nextToken"])
    assert [e["environmentName"] for e in rest["backendEnvironments"]] == ["c"]


def test_an_environment_view_reads_its_own_document():
    row = {"app_id": "dx", "env_name": "dev", "create_time": T0, "update_time": T0 + 2}
    view = environment_view({**row, "data": "broken"})
    assert view["stackName"] == "amplify-dx-dev" and view["deploymentArtifacts"] is None
    assert view["updateTime"] == at(T0 + 2)
