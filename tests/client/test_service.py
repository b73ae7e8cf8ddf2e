"""BackendAuthService end to end against the emulator: validation first, errors in one shape,
retries under injected faults, paging, and waiting on jobs with the test's clock."""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from conftest import LocalServer, QuietHandler, aws_env, serving, valid_request

from amplify_auth_widgets import ApiError, BackendAuthService, ValidationFailed
from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.client.service import PaginationError
from amplify_auth_widgets.emulator import Emulator


@pytest.fixture
def service(emulator):
    return BackendAuthService(emulator.connection())


@pytest.mark.parametrize(
    ("prefix", "word"),
    [("my-aws-login", "aws"), ("amazonshop", "amazon"), ("a-cognito", "cognito")],
)
def test_invalid_request_is_refused_before_sending(emulator, service, app_env, prefix, word):
    app_id, _ = app_env
    request = valid_request(AppId=app_id)
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["DomainPrefix"] = prefix
    before = emulator.app.requests
    with pytest.raises(ValidationFailed) as info:
        service.create_backend_auth(request)
    assert [f.code for f in info.value.findings] == ["cognito.domain-prefix"]
    assert emulator.app.requests == before and service.calls == 0
    created = service.create_backend_auth(request, force=True)  # the service decides
    assert emulator.app.requests == before + 1
    job = None
    emulator.clock.advance(5)
    job = service.get_backend_job(app_id, "staging", created["JobId"])
    assert job["Status"] == "FAILED" and f"reserved word '{word}'" in job["Error"]
    assert f"reserved word '{word}'" in info.value.findings[0].message


def test_password_length_has_an_upper_bound_end_to_end(emulator, service, clock):
    """99 is the longest minimum Cognito takes: the validator refuses 100 before sending, and
    the emulator's job fails on it as a deployment would."""
    outcomes = {}
    for length in (99, 100):
        app_id = emulator.create_app(f"length{length}", ("dev",))
        request = valid_request(AppId=app_id, BackendEnvironmentName="dev")
        request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = length
        if length == 100:
            with pytest.raises(ValidationFailed, match="MinimumLength"):
                service.create_backend_auth(request)
        created = service.create_backend_auth(request, force=True)
        clock.advance(5)
        outcomes[length] = service.get_backend_job(app_id, "dev", created["JobId"])
    assert outcomes[99]["Status"] == "COMPLETED"
    assert outcomes[100]["Status"] == "FAILED"
    assert "MinimumLength 100 is not allowed" in outcomes[100]["Error"]


def test_one_pending_job_per_app_not_per_service(emulator, service, clock):
    first, second = (emulator.create_app(name, ("dev", "prod")) for name in ("one", "two"))
    service.create_backend_auth(valid_request(AppId=first, BackendEnvironmentName="dev"))
    # another app may start a job meanwhile; another environment of the same app may not
    service.create_backend_auth(valid_request(AppId=second, BackendEnvironmentName="dev"))
    with pytest.raises(ApiError) as info:
        service.create_backend_auth(valid_request(AppId=first, BackendEnvironmentName="prod"))
    assert (info.value.code, info.value.http_status) == ("BadRequestException", 400)
    assert f"already a pending job for the requested appId {first}" in info.value.message
    clock.advance(5)  # once it has ended, the app takes a new job
    created = service.create_backend_auth(valid_request(AppId=first, BackendEnvironmentName="prod"))
    assert created["Status"] == "IN_PROGRESS"


def test_service_errors_come_out_as_one_api_error(service, app_env):
    app_id, env = app_env
    with pytest.raises(ApiError) as info:
        service.get_backend_auth(app_id, env, "missing")
    error = info.value
    assert (error.operation, error.code, error.http_status) == (
        "GetBackendAuth",
        "NotFoundException",
        404,
    )
    assert "not found" in error.message and error.request_id
    assert error.is_service_error
    assert error.to_dict()["Code"] == "NotFoundException"


def test_connection_and_timeout_errors(emulator, app_env):
    app_id, env = app_env
    closed = BackendAuthService(
        emulator.connection(endpoint_url="http://127.0.0.1:1", max_attempts=1, connect_timeout=1)
    )
    with pytest.raises(ApiError) as info:
        closed.get_backend_job(app_id, env, "j")
    assert info.value.code == "ConnectionError" and not info.value.is_service_error
    emulator.faults.latency_ms = 1500
    slow = BackendAuthService(emulator.connection(read_timeout=0.2, max_attempts=1))
    with pytest.raises(ApiError) as info:
        slow.get_backend_job(app_id, env, "j")
    assert info.value.code == "Timeout"


def test_throttling_is_retried_and_reported_when_it_persists(clock, app_env, emulator):
    app_id, env = app_env
    emulator.faults.throttle_rate = 1.0
    waits = []
    service = BackendAuthService(emulator.connection(max_attempts=4), sleep=waits.append)
    with pytest.raises(ApiError) as info:
        service.list_backend_jobs(app_id, env)
    assert info.value.code == "TooManyRequestsException" and info.value.http_status == 429
    assert info.value.retry_attempts == 3 and "after 3 retries" in info.value.message
    assert service.calls == 4 and len(waits) == 3
    assert all(0 < w <= 8 for w in waits) and waits[2] > waits[0]


def test_service_rides_out_injected_faults(clock, tmp_path):
    with Emulator(throttle_rate=0.3, timeout_rate=0.1, seed=11, clock=clock, job_seconds=0) as emu:
        service = BackendAuthService(emu.connection(max_attempts=10), sleep=lambda s: None)
        app_id = emu.create_app("faulty", ("dev",))
        created = service.create_backend_auth(
            valid_request(AppId=app_id, BackendEnvironmentName="dev")
        )
        statuses = {
            service.get_backend_job(app_id, "dev", created["JobId"])["Status"] for _ in range(20)
        }
        assert statuses == {"COMPLETED"}
        jobs = service.list_backend_jobs(app_id, "dev")
        assert [j["JobId"] for j in jobs] == [created["JobId"]]  # nothing duplicated
        assert service.retries > 0


def test_faults_are_reproducible_with_a_seed(clock):
    def outcomes(seed):
        with Emulator(throttle_rate=0.5, seed=seed, clock=clock) as emu:
            client = emu.client(max_attempts=1)
            seen = []
            for _ in range(12):
                try:
                    client.get_backend(AppId="dnone")
                    seen.append("ok")
                except client.exceptions.TooManyRequestsException:
                    seen.append("429")
                except client.exceptions.NotFoundException:
                    seen.append("404")
            return seen

    first = outcomes(42)
    assert first == outcomes(42) and {"429", "404"} <= set(first)


def test_gateway_timeouts_raise_the_modeled_exception(clock):
    with Emulator(timeout_rate=1.0, clock=clock) as emu:
        client = emu.client(max_attempts=1)
        with pytest.raises(client.exceptions.GatewayTimeoutException):
            client.get_backend(AppId="dnone")


def test_failed_jobs_on_demand(clock):
    with Emulator(fail_rate=1.0, clock=clock, job_seconds=0) as emu:
        app_id = emu.create_app("fails", ("dev",))
        service = BackendAuthService(emu.connection())
        created = service.create_backend_auth(
            valid_request(AppId=app_id, BackendEnvironmentName="dev")
        )
        job = service.get_backend_job(app_id, "dev", created["JobId"])
        assert job["Status"] == "FAILED" and "--fail-rate" in job["Error"]


def five_jobs(service, app_id, env, clock):
    """Five finished jobs in one environment: a create and four updates."""
    service.create_backend_auth(valid_request(AppId=app_id))
    for length in (8, 9, 10, 11):
        clock.advance(5)
        service.update_backend_auth(
            {
                "AppId": app_id,
                "BackendEnvironmentName": env,
                "ResourceName": "mainauth",
                "ResourceConfig": {
                    "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
                    "Service": "COGNITO",
                    "UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": length}},
                },
            }
        )
    clock.advance(5)


def test_list_backend_jobs_reads_every_page(emulator, service, app_env, clock):
    app_id, env = app_env
    five_jobs(service, app_id, env, clock)
    calls = service.calls
    jobs = service.list_backend_jobs(app_id, env, MaxResults=2)
    assert len(jobs) == 5 and len({j["JobId"] for j in jobs}) == 5
    assert service.calls - calls == 3
    assert len(service.list_backend_jobs(app_id, env, MaxResults=2, max_pages=1)) == 2
    calls = service.calls
    assert len(service.list_backend_jobs(app_id, env, MaxResults=2, max_pages=2)) == 4
    assert service.calls - calls == 2


def test_a_listing_stops_at_the_page_limit(emulator, service, app_env, clock):
    app_id, env = app_env
    five_jobs(service, app_id, env, clock)
    service.page_limit = 5  # five pages of one: exactly the limit, which is allowed
    assert len(service.list_backend_jobs(app_id, env, MaxResults=1)) == 5
    service.page_limit = 4
    calls = service.calls
    with pytest.raises(PaginationError) as info:
        service.list_backend_jobs(app_id, env, MaxResults=1)
    assert str(info.value) == (
        "ListBackendJobs failed: PageLimitExceeded: more than 4 pages of Jobs; stopped reading. "
        "Narrow the listing with a filter, or raise the page limit if so many are expected."
    )
    assert service.calls - calls == 4


class RepeatingProxy(LocalServer):
    """A real HTTP server in front of the emulator that passes every request on and answers
    every later ListBackendJobs page with the first page's nextToken again: the service defect
    that made the listing loop forever."""

    def __init__(self, upstream: str) -> None:
        super().__init__(_ProxyHandler)
        self.upstream = urlsplit(upstream)
        self.first_token: str | None = None
        self.pages = 0


class _ProxyHandler(QuietHandler):
    server: RepeatingProxy

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        upstream = http.client.HTTPConnection(
            self.server.upstream.hostname, self.server.upstream.port, timeout=10
        )
        try:
            upstream.request("POST", self.path, body=body, headers=dict(self.headers.items()))
            answer = upstream.getresponse()
            data, status = answer.read(), answer.status
            headers = [(k, v) for k, v in answer.getheaders() if k.lower() != "content-length"]
        finally:
            upstream.close()
        if "/job/" in self.path and status == 200:
            page = json.loads(data)
            self.server.pages += 1
            if page.get("nextToken"):
                self.server.first_token = self.server.first_token or page["nextToken"]
                page["nextToken"] = self.server.first_token
            data = json.dumps(page).encode()
        self.answer(status, data, headers)


@pytest.fixture
def repeating(emulator) -> Iterator[RepeatingProxy]:
    with serving(RepeatingProxy(emulator.url)) as proxy:
        yield proxy


def test_a_repeated_page_token_stops_the_listing(emulator, service, app_env, clock, repeating):
    app_id, env = app_env
    five_jobs(service, app_id, env, clock)
    looping = BackendAuthService(emulator.connection(endpoint_url=repeating.url))
    with pytest.raises(PaginationError) as info:
        looping.list_backend_jobs(app_id, env, MaxResults=2)
    error = info.value
    assert (error.operation, error.code) == ("ListBackendJobs", "RepeatedPageToken")
    assert repeating.first_token and repeating.pages == 2
    assert error.message == (
        f"the service gave the same NextToken again after page 2 ({repeating.first_token!r}); "
        "stopped reading pages, which would never end. Try again later, or read one page at a "
        "time (--no-paginate)."
    )
    assert not error.is_service_error  # a verdict on the answers, not the service's error
    # a token the caller gave that comes straight back is a repeat too
    with pytest.raises(PaginationError, match="after page 1"):
        looping.list_backend_jobs(app_id, env, MaxResults=2, NextToken=repeating.first_token)


def test_the_cli_reports_a_repeated_page_token(
    emulator, service, app_env, clock, repeating, monkeypatch
):
    app_id, env = app_env
    five_jobs(service, app_id, env, clock)
    for name, value in aws_env(emulator.url).items():
        monkeypatch.setenv(name, value)
    out, err = io.StringIO(), io.StringIO()
    argv = ["list-backend-jobs", "--app-id", app_id, "--backend-environment-name", env]
    argv += ["--max-results", "2", "--endpoint-url", repeating.url]
    assert main(argv, stdout=out, stderr=err) == 255
    assert out.getvalue() == ""
    assert "RepeatedPageToken" in err.getvalue() and "--no-paginate" in err.getvalue()
    out = io.StringIO()
    assert main([*argv, "--no-paginate"], stdout=out, stderr=err) == 0
    assert len(json.loads(out.getvalue())["Jobs"]) == 2


def test_on_call_hook_sees_every_call(service, app_env):
    app_id, env = app_env
    calls = []
    service.on_call = lambda op, req, resp, err: calls.append((op, err and err.code))
    with pytest.raises(ApiError):
        service.get_backend_job(app_id, env, "nope")
    service.list_backend_jobs(app_id, env)
    assert calls == [("GetBackendJob", "NotFoundException"), ("ListBackendJobs", None)]
