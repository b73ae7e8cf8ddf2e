"""What a caller of BackendAuthService gets when a call goes wrong, and how the retries and the
listing's guards behave at their edges: the exact text and fields of each error, the waits
between attempts, the attempts allowed, and every operation sent to the emulator over HTTP."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator

import pytest
from conftest import LocalServer, QuietHandler, every_secret, serving, valid_request

from amplify_auth_widgets import ApiError, BackendAuthService, Connection, ValidationFailed
from amplify_auth_widgets.core.secrets import REDACTED


@pytest.fixture
def service(emulator):
    return BackendAuthService(emulator.connection())


def failure(call, *args, **kwargs) -> ApiError:
    with pytest.raises(ApiError) as info:
        call(*args, **kwargs)
    return info.value


# -- one error, whatever the cause -------------------------------------------------------------


def test_a_service_error_reads_as_one_line_with_its_fields(service, app_env):
    app_id, env = app_env
    error = failure(service.get_backend_auth, app_id, env, "missing")
    message = f"Auth resource missing not found in backend environment {env} of app {app_id}."
    assert str(error) == f"GetBackendAuth failed: NotFoundException (HTTP 404): {message}"
    assert error.to_dict() == {
        "Operation": "GetBackendAuth",
        "Code": "NotFoundException",
        "HttpStatus": 404,
        "Message": message,
        "RequestId": error.request_id,
    }
    assert len(error.request_id) == 36 and error.retry_attempts == 0
    assert error.is_service_error


def test_errors_on_the_way_say_what_to_do(emulator, app_env):
    app_id, env = app_env
    job = f"/backend/{app_id}/job/{env}/j"
    closed = BackendAuthService(emulator.connection(endpoint_url="http://127.0.0.1:1"))
    closed.max_attempts = 1
    error = failure(closed.get_backend_job, app_id, env, "j")
    assert str(error) == (
        f"GetBackendJob failed: ConnectionError: could not connect to http://127.0.0.1:1{job}"
    )
    assert (error.http_status, error.request_id, error.retry_attempts) == (None, None, 0)
    assert not error.is_service_error
    tls_url = "https://" + emulator.url.removeprefix("http://")
    tls = BackendAuthService(emulator.connection(endpoint_url=tls_url, max_attempts=1))
    assert str(failure(tls.get_backend_job, app_id, env, "j")) == (
        f"GetBackendJob failed: SSLError: TLS failed for {tls_url}{job}: check --ca-bundle"
    )
    unsigned = BackendAuthService(Connection(region="us-east-1", endpoint_url=emulator.url))
    assert str(failure(unsigned.get_backend_job, app_id, env, "j")) == (
        "GetBackendJob failed: NoCredentials: no AWS credentials: configure a profile, set "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --no-sign-request"
    )
    emulator.faults.latency_ms = 1500
    slow = BackendAuthService(emulator.connection(read_timeout=0.2, max_attempts=1))
    assert str(failure(slow.get_backend_job, app_id, env, "j")) == (
        f"GetBackendJob failed: Timeout: no answer in time from {emulator.url}{job}"
    )


def test_a_request_botocore_refuses_is_reported_with_its_report(service):
    request = {"AppId": "d1abc", "BackendEnvironmentName": "dev", "JobId": 7}
    with pytest.raises(ValidationFailed) as refused:
        service.call("GetBackendJob", {**request, "AppId": "MyApp"})
    assert refused.value.operation == "GetBackendJob"
    assert [f.code for f in refused.value.findings] == ["amplify.app-id", "model.type"]
    assert str(refused.value) == (
        "GetBackendJob not sent: the request has errors:\n"
        f"  {refused.value.findings[0]}\n"
        "  JobId: error model.type: JobId must be a string, not a number (7)."
    )
    assert str(refused.value.findings[0]).startswith("AppId: error amplify.app-id: AppId 'MyApp'")
    assert service.calls == 0
    error = failure(service.call, "GetBackendJob", request, force=True)
    assert str(error) == (
        "GetBackendJob failed: ParamValidation: Invalid type for parameter JobId, value: 7, "
        "type: <class 'int'>, valid types: <class 'str'>"
    )
    assert service.calls == 1 and service.retries == 0  # not worth another try


class EchoingService(LocalServer):
    """A real HTTP server standing where the service should be: it answers a POST with a 400
    that quotes the request body back, as a careless service may, and a GET with a 200 whose
    timestamp botocore cannot read."""

    def __init__(self) -> None:
        super().__init__(_EchoHandler)
        self.status, self.error_type = 400, "BadRequestException"


class _EchoHandler(QuietHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = json.dumps({"message": f"cannot take {body.decode()}"}).encode()
        self._answer(self.server.status, answer)  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self._answer(200, b'{"apps": [{"appId": "d1abc", "createTime": "yesterday"}]}')

    def _answer(self, status: int, data: bytes) -> None:
        error_type = self.server.error_type  # type: ignore[attr-defined]
        headers = [
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", error_type),
            ("x-amzn-RequestId", "echo-request-1"),
        ]
        self.answer(status, data, headers)


@pytest.fixture
def echoing() -> Iterator[EchoingService]:
    with serving(EchoingService()) as server:
        yield server


def test_a_secret_the_service_echoes_never_reaches_the_error(emulator, echoing):
    request, planted = every_secret(AppId="d1abc", BackendEnvironmentName="dev")
    service = BackendAuthService(emulator.connection(endpoint_url=echoing.url, max_attempts=1))
    error = failure(service.create_backend_auth, request)
    assert (error.operation, error.code, error.http_status, error.request_id) == (
        "CreateBackendAuth",
        "BadRequestException",
        400,
        "echo-request-1",
    )
    assert str(error).startswith("CreateBackendAuth failed: BadRequestException (HTTP 400): ")
    assert error.retry_attempts == 0 and error.message.startswith("cannot take {")
    assert REDACTED in error.message and "main-users" in error.message
    for secret in planted.values():
        assert secret not in str(error) and secret not in json.dumps(error.to_dict())


def test_retries_of_a_given_client_are_kept_when_its_error_is_scrubbed(
    emulator, echoing, monkeypatch
):
    """A client the caller gives may retry by itself (botocore's own retries): the attempts it
    reports stay on the error when a secret is taken out of its message."""
    import time
    import types

    import botocore.endpoint

    waits: list[float] = []  # botocore's waits between its attempts, not slept
    clock = {name: getattr(time, name) for name in dir(time) if not name.startswith("__")}
    clock["sleep"] = waits.append  # for botocore's endpoint only; time.sleep stays as it is
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(**clock))
    echoing.status, echoing.error_type = 429, "TooManyRequestsException"
    retrying = emulator.connection(endpoint_url=echoing.url, max_attempts=3, retry_mode="standard")
    service = BackendAuthService(client=retrying.client())
    service.max_attempts = 1  # the service's own retries out of the way
    request, planted = every_secret(AppId="d1abc", BackendEnvironmentName="dev")
    error = failure(service.create_backend_auth, request)
    assert (error.code, error.http_status, error.retry_attempts) == (
        "TooManyRequestsException",
        429,
        2,
    )
    assert len(waits) == 2 and service.calls == 1
    assert REDACTED in error.message
    assert all(secret not in str(error) for secret in planted.values())


def test_an_unexpected_failure_is_named_by_its_kind(emulator, echoing):
    service = BackendAuthService(emulator.connection(endpoint_url=echoing.url, max_attempts=1))
    error = failure(service.call, "ListApps", {}, client=service.apps_client)
    assert str(error) == (
        'ListApps failed: ValueError: Invalid timestamp "yesterday": Unknown string format: '
        "yesterday"
    )
    assert error.http_status is None and not error.is_service_error


# -- retries ---------------------------------------------------------------------------------


class FixedRandom(random.Random):
    """A random source that always draws ``value``: the jitter at a chosen point."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_waits_double_from_a_quarter_second_up_to_8_seconds_with_jitter():
    lowest = BackendAuthService(Connection(), rng=FixedRandom(0.0))
    middle = BackendAuthService(Connection(), rng=FixedRandom(0.5))
    # each wait is drawn from the upper half of its ceiling: 0.25 s doubling, at most 8 s
    assert [lowest.backoff(a) for a in range(8)] == [0.125, 0.25, 0.5, 1, 2, 4, 4, 4]
    assert [middle.backoff(a) for a in range(8)] == [0.1875, 0.375, 0.75, 1.5, 3, 6, 6, 6]


def test_a_throttled_call_waits_and_succeeds_on_a_later_attempt(emulator, app_env):
    app_id, env = app_env
    emulator.faults.throttle_rate = 1.0
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            emulator.faults.throttle_rate = 0.0  # the service lets the third attempt through

    calls = []
    service = BackendAuthService(emulator.connection(), sleep=sleep, rng=FixedRandom(0.0))
    service.on_call = lambda *call: calls.append(call)
    before = emulator.app.requests
    assert service.list_backend_jobs(app_id, env) == []
    assert waits == [0.25, 0.5]  # before the second attempt, then before the third
    assert (service.calls, service.retries, service.calls_here) == (3, 2, 3)
    assert emulator.app.requests - before == 3  # botocore itself tried each once
    request = {"AppId": app_id, "BackendEnvironmentName": env}
    assert calls == [("ListBackendJobs", request, {"Jobs": []}, None)]  # once, without metadata


def test_errors_not_worth_another_try_are_not_retried(service, app_env):
    app_id, env = app_env
    calls = []
    service.on_call = lambda *call: calls.append(call)
    error = failure(service.get_backend_job, app_id, env, "nope")
    assert service.calls == 1 and service.retries == 0
    assert "retries" not in error.message and error.retry_attempts == 0
    request = {"AppId": app_id, "BackendEnvironmentName": env, "JobId": "nope"}
    assert calls == [("GetBackendJob", request, None, error)]


@pytest.mark.parametrize(
    ("setting", "given", "attempts"),
    [
        ("2", None, 2),
        ("0", None, 1),
        ("-3", None, 1),
        ("many", None, 5),
        (None, None, 5),
        ("2", 3, 3),  # the connection's setting wins
    ],
)
def test_attempts_come_from_the_connection_then_aws_max_attempts(
    emulator, app_env, monkeypatch, setting, given, attempts
):
    app_id, env = app_env
    if setting is not None:
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", setting)
    emulator.faults.throttle_rate = 1.0
    service = BackendAuthService(emulator.connection(max_attempts=given), sleep=lambda s: None)
    assert service.max_attempts == attempts
    error = failure(service.get_backend_job, app_id, env, "j")
    assert error.code == "TooManyRequestsException" and service.calls == attempts
    assert error.retry_attempts == attempts - 1
    if attempts > 1:
        assert error.message.endswith(f" (after {attempts - 1} retries)")
        assert error.operation == "GetBackendJob"
        assert (error.http_status, error.request_id) == (429, error.request_id)
        assert len(error.request_id) == 36
    else:
        assert "retries" not in error.message


def test_attempts_are_counted_per_thread(service, app_env):
    app_id, env = app_env
    service.list_backend_jobs(app_id, env)
    other: list[int] = []
    thread = threading.Thread(target=lambda: other.append(service.calls_here))
    thread.start()
    thread.join(10)
    assert other == [0] and service.calls_here == 1 and service.calls == 1


# -- clients ---------------------------------------------------------------------------------


def test_clients_try_once_and_are_built_once(emulator, monkeypatch):
    # whatever retry mode the environment or the connection asks for (adaptive adds botocore's
    # own rate limiter)
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    service = BackendAuthService(emulator.connection(max_attempts=7, retry_mode="adaptive"))
    for client, name in ((service.client, "amplifybackend"), (service.apps_client, "amplify")):
        assert client.meta.service_model.service_name == name
        assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert service.client is service.client and service.apps_client is service.apps_client
    assert service.max_attempts == 7  # the retries are the service's own


def test_clients_asked_for_by_many_threads_at_once_are_built_once(emulator):
    service = BackendAuthService(emulator.connection())
    start = threading.Barrier(6)
    got: list[object] = []

    def ask() -> None:
        start.wait(10)
        got.extend((service.client, service.apps_client))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len({id(c) for c in got[0::2]}) == 1 and len({id(c) for c in got[1::2]}) == 1


def test_a_given_client_is_the_one_used(emulator, app_env):
    app_id, env = app_env
    client = emulator.client()
    service = BackendAuthService(client=client)  # no connection: nothing else could reach it
    assert service.client is client
    assert service.list_backend_jobs(app_id, env) == []


def test_amplify_calls_go_through_the_apps_client_unvalidated(emulator, app_env):
    app_id, _ = app_env
    calls = []
    service = BackendAuthService(emulator.connection(), on_call=lambda *c: calls.append(c[0]))
    apps = service.call("ListApps", {}, client=service.apps_client)["apps"]
    assert [a["appId"] for a in apps] == [app_id]
    assert calls == ["ListApps"] and service.calls == 1


# -- the operations --------------------------------------------------------------------------


def test_every_auth_operation_reaches_the_service(emulator, service, app_env, clock):
    app_id, env = app_env
    created = service.create_backend_auth(valid_request(AppId=app_id))
    assert (created["Operation"], created["Status"]) == ("CreateBackendAuth", "IN_PROGRESS")
    clock.advance(5)
    auth = service.get_backend_auth(app_id, env, "mainauth")
    assert (auth["ResourceName"], auth["BackendEnvironmentName"]) == ("mainauth", env)
    pool = auth["ResourceConfig"]["UserPoolConfigs"]
    assert pool["UserPoolName"] == "main-users"
    update = {
        "AppId": app_id,
        "BackendEnvironmentName": env,
        "ResourceName": "mainauth",
        "ResourceConfig": {
            "AuthResources": "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 100}},
        },
    }
    with pytest.raises(ValidationFailed):
        service.update_backend_auth(update)
    updated = service.update_backend_auth(update, force=True)
    assert updated["Operation"] == "UpdateBackendAuth"
    clock.advance(5)
    job = service.get_backend_job(app_id, env, updated["JobId"])
    assert job["Status"] == "FAILED" and "MinimumLength 100" in job["Error"]
    deleted = service.delete_backend_auth(app_id, env, "mainauth")
    assert deleted["Operation"] == "DeleteBackendAuth"
    clock.advance(5)
    assert failure(service.get_backend_auth, app_id, env, "mainauth").code == "NotFoundException"
    imported = {"AppId": app_id, "BackendEnvironmentName": env, "UserPoolId": "us-east-1_abc"}
    imported |= {"NativeClientId": "n1", "WebClientId": "w1"}
    no_pool = {k: v for k, v in imported.items() if k != "UserPoolId"}
    with pytest.raises(ValidationFailed):
        service.import_backend_auth(no_pool)
    forced = failure(service.import_backend_auth, no_pool, force=True)  # botocore refuses it
    assert forced.code == "ParamValidation" and "UserPoolId" in forced.message
    assert service.import_backend_auth(imported)["Operation"] == "ImportBackendAuth"
    done = service.list_backend_jobs(app_id, env, Operation="UpdateBackendAuth", Status=None)
    assert [j["JobId"] for j in done] == [updated["JobId"]]


def test_an_answer_that_is_neither_success_nor_error_is_an_unknown_error(emulator, echoing):
    """300 Multiple Choices (a proxy that would redirect): botocore raises it without an error
    code or message; it is still one ApiError, in words."""
    echoing.status = 300
    service = BackendAuthService(emulator.connection(endpoint_url=echoing.url, max_attempts=1))
    request = valid_request(AppId="d1abc", BackendEnvironmentName="dev")
    error = failure(service.create_backend_auth, request)
    assert (error.code, error.http_status, error.request_id) == ("Unknown", 300, "echo-request-1")
    assert error.message == (
        "An error occurred (Unknown) when calling the CreateBackendAuth operation (reached max "
        "retries: 0): Unknown"
    )
