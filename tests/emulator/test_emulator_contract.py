"""The emulator's contract, with real boto3 clients over HTTP.

The tests that do not need to hold a job in progress run twice: against the emulator in a
thread, and against `amplify-auth emulator` in its own process.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Any

import psutil
import pytest
from botocore.config import Config
from conftest import BIN, valid_request
from conftest import signed as raw_signed
from support.wire import response_problems

from amplify_auth_widgets import Connection
from amplify_auth_widgets.emulator.protocol import match

#: What is wrong with the responses the running test received (see the autouse fixture).
PROBLEMS: list[str] = []


def record(service, operation, status, headers, body) -> None:
    PROBLEMS.extend(response_problems(service, operation, status, headers, body))


def check_parsed(operation_model, response_dict, **_) -> None:
    """botocore's before-parse event: the raw response of every boto3 call, either target."""
    service = operation_model.service_model.service_name
    record(
        service,
        operation_model.name,
        response_dict["status_code"],
        dict(response_dict["headers"]),
        response_dict["body"],
    )


def signed(url, method, path, body=b"", headers=None, service="amplifybackend", **kw):
    """conftest's raw signed request, its response checked against the model too."""
    status, got_headers, payload = raw_signed(url, method, path, body, headers, service, **kw)
    found = match(method, path.split("?")[0], service)
    operation = found[0].operation if found else None
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    record(found[0].service if found else service, operation, status, got_headers, raw)
    return status, got_headers, payload


@pytest.fixture(autouse=True)
def every_response_matches_the_model(request):
    """Every response body a contract test receives, from the emulator in a thread (a server
    hook), from any target through boto3 (botocore's before-parse event) or through
    ``signed``, must be its operation's output shape or its error's shape, in wire names."""
    PROBLEMS.clear()
    emulator = request.getfixturevalue("emulator") if "emulator" in request.fixturenames else None
    if emulator is not None:
        emulator.app.response_hooks.append(record)
    yield
    if emulator is not None:
        emulator.app.response_hooks.remove(record)
    problems = sorted(set(PROBLEMS))
    assert not problems, "responses that are not the model's shape:\n" + "\n".join(problems)


@dataclass
class Target:
    url: str
    finish_jobs: Any  # moves time past every job's end

    def client(self, service: str = "amplifybackend", **config: Any) -> Any:
        connection = Connection.for_emulator(self.url)
        if config:
            client = connection.session().client(
                service, endpoint_url=self.url, region_name="us-east-1", config=Config(**config)
            )
        else:
            client = connection.client(service)
        client.meta.events.register("before-parse", check_parsed)
        return client


def stderr_of(process: subprocess.Popen) -> str:
    """What the process wrote to stderr so far."""
    process.errors.seek(0)  # type: ignore[attr-defined]
    return str(process.errors.read())  # type: ignore[attr-defined]


def start_process(*extra: str) -> tuple[subprocess.Popen, str]:
    # stderr to a file, not a pipe nobody reads until the end: a process that writes more
    # than a pipe holds would block, and look as if it ignored its signal
    errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 (the process owns it until it ends)
    process = subprocess.Popen(
        [str(BIN / "amplify-auth"), "emulator", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    process.errors = errors  # type: ignore[attr-defined]
    ready, _, _ = select.select([process.stdout], [], [], 20)
    assert ready, "the emulator process did not report its URL"
    line = process.stdout.readline()
    assert "listening on http://127.0.0.1:" in line, line + stderr_of(process)
    return process, line.rsplit(" ", 1)[1].strip()


@pytest.fixture(scope="module")
def emulator_process(tmp_path_factory):
    """`amplify-auth emulator` in a process of its own, and its URL."""
    db = tmp_path_factory.mktemp("proc") / "state.sqlite3"
    process, url = start_process("--job-seconds", "0", "--db", str(db), "--seed", "3")
    yield process, url
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    assert "emulator stopped" in stderr_of(process)


@pytest.fixture(scope="module")
def process_emulator(emulator_process):
    return emulator_process[1]


@pytest.fixture(params=["thread", pytest.param("process", marks=pytest.mark.separate_process)])
def target(request, emulator, clock):
    if request.param == "thread":
        return Target(emulator.url, lambda: clock.advance(5))
    return Target(request.getfixturevalue("process_emulator"), lambda: None)


@pytest.fixture
def app(target):
    """A fresh app with a `staging` environment, made through the Amplify API."""
    amplify = target.client("amplify")
    app_id = amplify.create_app(name="contract")["app"]["appId"]
    amplify.create_backend_environment(appId=app_id, environmentName="staging")
    return app_id


def create_auth(client, app_id, **changes):
    request = valid_request(AppId=app_id, **changes)
    return client.create_backend_auth(**request), request


# -- Amplify app listing -------------------------------------------------------------------


def test_amplify_apps_and_environments(target):
    amplify = target.client("amplify")
    ids = [amplify.create_app(name=f"app{i}", platform="WEB")["app"]["appId"] for i in range(3)]
    app = amplify.get_app(appId=ids[0])["app"]
    assert app["name"] == "app0" and app["appArn"].endswith(f"apps/{ids[0]}")
    assert app["createTime"].tzinfo is not None
    pages = list(amplify.get_paginator("list_apps").paginate(PaginationConfig={"PageSize": 1}))
    listed = [a["appId"] for p in pages for a in p["apps"]]
    assert set(ids) <= set(listed) and len(pages) >= 3
    for env in ("dev", "prod"):
        amplify.create_backend_environment(appId=ids[0], environmentName=env, stackName="s")
    with pytest.raises(amplify.exceptions.BadRequestException, match="already exists"):
        amplify.create_backend_environment(appId=ids[0], environmentName="dev")
    envs = amplify.list_backend_environments(appId=ids[0], maxResults=1)
    assert len(envs["backendEnvironments"]) == 1 and envs["nextToken"]
    rest = amplify.list_backend_environments(appId=ids[0], nextToken=envs["nextToken"])
    assert [e["environmentName"] for e in rest["backendEnvironments"]] == ["prod"]
    got = amplify.get_backend_environment(appId=ids[0], environmentName="prod")
    assert got["backendEnvironment"]["stackName"] == "s"
    amplify.delete_backend_environment(appId=ids[0], environmentName="prod")
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_backend_environment(appId=ids[0], environmentName="prod")
    amplify.delete_app(appId=ids[1])
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_app(appId=ids[1])


# -- auth lifecycle ------------------------------------------------------------------------


def test_create_get_update_delete_auth(target, app):
    client = target.client()
    created, request = create_auth(client, app)
    assert created["Status"] == "IN_PROGRESS" and created["Operation"] == "CreateBackendAuth"
    assert (created["AppId"], created["BackendEnvironmentName"]) == (app, "staging")
    target.finish_jobs()
    job = client.get_backend_job(
        AppId=app, BackendEnvironmentName="staging", JobId=created["JobId"]
    )
    assert job["Status"] == "COMPLETED" and job["CreateTime"] and job["UpdateTime"]
    got = client.get_backend_auth(
        AppId=app, BackendEnvironmentName="staging", ResourceName="mainauth"
    )
    assert got["ResourceConfig"] == request["ResourceConfig"]
    with pytest.raises(client.exceptions.BadRequestException, match="already exists"):
        create_auth(client, app)
    client.update_backend_auth(
        AppId=app,
        BackendEnvironmentName="staging",
        ResourceName="mainauth",
        ResourceConfig={
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
            "Service": "COGNITO",
            "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 14}},
        },
    )
    target.finish_jobs()
    config = client.get_backend_auth(
        AppId=app, BackendEnvironmentName="staging", ResourceName="mainauth"
    )["ResourceConfig"]
    policy = config["UserPoolConfigs"]["PasswordPolicy"]
    assert policy == {
        "MinimumLength": 14.0,
        "AdditionalConstraints": ["REQUIRE_DIGIT", "REQUIRE_UPPERCASE"],
    }
    assert config["UserPoolConfigs"]["UserPoolName"] == "main-users"  # merged, not replaced
    deleted = client.delete_backend_auth(
        AppId=app, BackendEnvironmentName="staging", ResourceName="mainauth"
    )
    assert deleted["Operation"] == "DeleteBackendAuth"
    target.finish_jobs()
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend_auth(
            AppId=app, BackendEnvironmentName="staging", ResourceName="mainauth"
        )


def test_import_backend_auth(target, app):
    client = target.client()
    client.import_backend_auth(
        AppId=app,
        BackendEnvironmentName="staging",
        UserPoolId="us-east-1_abc",
        NativeClientId="n",
        WebClientId="w",
        IdentityPoolId="us-east-1:xyz",
    )
    target.finish_jobs()
    got = client.get_backend_auth(
        AppId=app, BackendEnvironmentName="staging", ResourceName="imported"
    )
    assert got["ResourceConfig"]["AuthResources"] == "IDENTITY_POOL_AND_USER_POOL"
    assert got["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] == "us-east-1_abc"


def test_rule_breaking_request_is_accepted_and_its_job_fails(target, app):
    client = target.client()
    request = valid_request(AppId=app)
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 5
    created = client.create_backend_auth(**request)
    assert created["Status"] == "IN_PROGRESS"
    target.finish_jobs()
    job = client.get_backend_job(
        AppId=app, BackendEnvironmentName="staging", JobId=created["JobId"]
    )
    assert job["Status"] == "FAILED"
    assert "MinimumLength 5 is not allowed" in job["Error"]
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_backend_auth(
            AppId=app, BackendEnvironmentName="staging", ResourceName="mainauth"
        )


def test_backends(target):
    client = target.client()
    app_id = target.client("amplify").create_app(name="b")["app"]["appId"]
    created = client.create_backend(AppId=app_id, AppName="b", BackendEnvironmentName="dev")
    assert created["Operation"] == "CreateBackend"
    target.finish_jobs()
    backend = client.get_backend(AppId=app_id, BackendEnvironmentName="dev")
    assert backend["BackendEnvironmentList"] == ["dev"] and backend["AppName"] == "b"
    client.delete_backend(AppId=app_id, BackendEnvironmentName="dev")
    target.finish_jobs()
    assert client.get_backend(AppId=app_id)["BackendEnvironmentList"] == []


def test_jobs_listing(target, app):
    client = target.client()
    ids = []
    create_auth(client, app)
    target.finish_jobs()
    for length in (10, 11, 12):
        ids.append(
            client.update_backend_auth(
                AppId=app,
                BackendEnvironmentName="staging",
                ResourceName="mainauth",
                ResourceConfig={
                    "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
                    "Service": "COGNITO",
                    "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": length}},
                },
            )["JobId"]
        )
        target.finish_jobs()
    everything = client.list_backend_jobs(AppId=app, BackendEnvironmentName="staging")["Jobs"]
    assert len(everything) == 4 and everything[0]["JobId"] == ids[-1]  # newest first
    page = client.list_backend_jobs(AppId=app, BackendEnvironmentName="staging", MaxResults=3)
    assert len(page["Jobs"]) == 3 and page["NextToken"]
    rest = client.list_backend_jobs(
        AppId=app, BackendEnvironmentName="staging", NextToken=page["NextToken"]
    )
    assert len(rest["Jobs"]) == 1 and "NextToken" not in rest
    only = client.list_backend_jobs(
        AppId=app, BackendEnvironmentName="staging", Operation="CreateBackendAuth"
    )["Jobs"]
    assert [j["Operation"] for j in only] == ["CreateBackendAuth"]
    by_id = client.list_backend_jobs(AppId=app, BackendEnvironmentName="staging", JobId=ids[0])
    assert [j["JobId"] for j in by_id["Jobs"]] == [ids[0]]
    assert (
        client.list_backend_jobs(AppId=app, BackendEnvironmentName="staging", Status="FAILED")[
            "Jobs"
        ]
        == []
    )
    for bad in ({"MaxResults": 26}, {"NextToken": "garbage!"}):
        unchecked = target.client(parameter_validation=False)
        with pytest.raises(unchecked.exceptions.BadRequestException):
            unchecked.list_backend_jobs(AppId=app, BackendEnvironmentName="staging", **bad)
    updated = client.update_backend_job(
        AppId=app,
        BackendEnvironmentName="staging",
        JobId=ids[0],
        Status="COMPLETED",
        Operation="Renamed",
    )
    assert updated["Operation"] == "Renamed"


def test_not_found_errors(target, app):
    client = target.client()
    cases = [
        lambda: client.get_backend_auth(
            AppId="dnope", BackendEnvironmentName="x", ResourceName="r"
        ),
        lambda: client.get_backend_auth(AppId=app, BackendEnvironmentName="nope", ResourceName="r"),
        lambda: client.get_backend_auth(
            AppId=app, BackendEnvironmentName="staging", ResourceName="r"
        ),
        lambda: client.get_backend_job(AppId=app, BackendEnvironmentName="staging", JobId="j"),
        lambda: create_auth(client, "dnope"),
    ]
    for case in cases:
        with pytest.raises(client.exceptions.NotFoundException) as info:
            case()
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert info.value.response["ResponseMetadata"]["RequestId"]


def test_model_errors_are_refused_at_once(target, app):
    client = target.client(parameter_validation=False)
    bad_enum = valid_request(AppId=app)
    bad_enum["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] = "FOO"
    with pytest.raises(
        client.exceptions.BadRequestException,
        match=r"SignInMethod: 'FOO' is not a valid SignInMethod",
    ):
        client.create_backend_auth(**bad_enum)
    missing = valid_request(AppId=app)
    del missing["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"]
    with pytest.raises(client.exceptions.BadRequestException, match="UserPoolName is required"):
        client.create_backend_auth(**missing)


def wire_body(app_id):
    """The valid request's body as it goes on the wire (botocore's own serializer)."""
    from botocore.serialize import create_serializer

    model = Connection.for_emulator("http://127.0.0.1:1").client().meta.service_model
    request = valid_request(AppId=app_id)
    serialized = create_serializer("rest-json").serialize_to_request(
        request, model.operation_model("CreateBackendAuth")
    )
    return json.loads(serialized["body"])


def test_wire_level_model_errors(target, app):
    body = wire_body(app)
    assert body["resourceConfig"]["userPoolConfigs"]["mfa"]["MFAMode"] == "OPTIONAL"
    social = body["resourceConfig"]["userPoolConfigs"]["oAuth"]["socialProviderSettings"]
    assert social["Google"]["client_secret"] == "g-secret-value"
    body["resourceConfig"]["userPoolConfigs"]["passwordPolicy"]["minimumLength"] = "8"
    body["resourceConfig"]["userPoolConfigs"]["colour"] = "blue"
    status, headers, payload = signed(
        target.url,
        "POST",
        f"/backend/{app}/auth",
        json.dumps(body),
        {"Content-Type": "application/json"},
    )
    assert status == 400 and headers["x-amzn-errortype"] == "BadRequestException"
    assert "ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength" in payload["message"]
    assert "ResourceConfig.UserPoolConfigs.colour" in payload["message"]


def test_other_operations_are_not_emulated(target, app):
    client = target.client()
    with pytest.raises(client.exceptions.BadRequestException, match="CloneBackend is not emul"):
        client.clone_backend(
            AppId=app, BackendEnvironmentName="staging", TargetEnvironmentName="copy"
        )
    amplify = target.client("amplify")
    with pytest.raises(amplify.exceptions.BadRequestException, match="ListBranches is not"):
        amplify.list_branches(appId=app)


# -- only in a thread, where the clock is the test's ---------------------------------------


def test_one_pending_job_per_app_and_times_advance(emulator, clock, app_env):
    app_id, env = app_env
    client = emulator.client()
    created = client.create_backend_auth(**valid_request(AppId=app_id))
    first = client.get_backend_job(AppId=app_id, BackendEnvironmentName=env, JobId=created["JobId"])
    with pytest.raises(
        client.exceptions.BadRequestException,
        match=f"There is already a pending job for the requested appId {app_id}",
    ):
        client.delete_backend(AppId=app_id, BackendEnvironmentName=env)
    clock.advance(2)
    second = client.get_backend_job(
        AppId=app_id, BackendEnvironmentName=env, JobId=created["JobId"]
    )
    assert second["Status"] == "IN_PROGRESS" and second["UpdateTime"] > first["UpdateTime"]
    assert second["CreateTime"] == first["CreateTime"]
    clock.advance(3)
    done = client.get_backend_job(AppId=app_id, BackendEnvironmentName=env, JobId=created["JobId"])
    assert done["Status"] == "COMPLETED" and done["UpdateTime"] > second["UpdateTime"]
    client.delete_backend_auth(AppId=app_id, BackendEnvironmentName=env, ResourceName="mainauth")


def test_state_survives_a_restart(tmp_path, clock):
    from amplify_auth_widgets.emulator import Emulator

    db = str(tmp_path / "durable.sqlite3")
    with Emulator(db=db, clock=clock, job_seconds=60) as first:
        app_id = first.create_app("durable", ("prod",))
        created = first.client().create_backend_auth(
            **valid_request(AppId=app_id, BackendEnvironmentName="prod")
        )
    clock.advance(61)  # the job's end passes while the emulator is down
    with Emulator(db=db, clock=clock, job_seconds=60) as second:
        client = second.client()
        job = client.get_backend_job(
            AppId=app_id, BackendEnvironmentName="prod", JobId=created["JobId"]
        )
        assert job["Status"] == "COMPLETED"
        got = client.get_backend_auth(
            AppId=app_id, BackendEnvironmentName="prod", ResourceName="mainauth"
        )
        assert got["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"] == "main-users"
        assert second.client("amplify").get_app(appId=app_id)["app"]["name"] == "durable"


def test_demo_seed_is_there_and_idempotent(tmp_path):
    from amplify_auth_widgets.emulator import Emulator

    db = str(tmp_path / "demo.sqlite3")
    for _ in range(2):
        with Emulator(db=db, demo=True) as emu:
            apps = emu.client("amplify").list_apps()["apps"]
            assert sorted(a["name"] for a in apps) == [
                "legacy-admin",
                "new-project",
                "shop-mobile",
                "todo-web",
            ]
    with Emulator(demo=True) as emu:
        weak = emu.client().get_backend_auth(
            AppId="d1demotodo", BackendEnvironmentName="dev", ResourceName="todowebauth"
        )
        assert weak["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 6


@pytest.mark.separate_process
def test_process_emulator_is_a_separate_process(emulator_process):
    process, url = emulator_process
    port = int(url.rsplit(":", 1)[1])

    def listening(pid):
        return [
            c.laddr
            for c in psutil.Process(pid).net_connections("tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port
        ]

    # the port is held by the child process, on the loopback address only, and not by us
    assert process.pid != os.getpid() and process.poll() is None
    assert [(a.ip, a.port) for a in listening(process.pid)] == [("127.0.0.1", port)]
    assert listening(os.getpid()) == []
    assert "/amplify-auth emulator --port 0 " in " ".join(psutil.Process(process.pid).cmdline())
    # and it is the one that answers there
    apps = Connection.for_emulator(url).client("amplify").list_apps()["apps"]
    assert isinstance(apps, list)


@pytest.mark.separate_process
def test_ctrl_c_stops_the_emulator_cleanly(tmp_path):
    db = tmp_path / "ctrl-c.sqlite3"
    process, url = start_process("--db", str(db), "--demo")
    assert url.startswith("http://127.0.0.1:")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    assert "emulator stopped" in stderr_of(process)
    process, url = start_process("--db", str(db))  # the same state, after the restart
    try:
        client = Connection.for_emulator(url).client("amplify")
        assert {a["appId"] for a in client.list_apps()["apps"]} >= {"d1demotodo", "d4demonew"}
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
