"""BackendAuthService end to end against the emulator: validation first, errors in one shape,
retries under injected faults, paging, and waiting on jobs with the test's clock."""

from __future__ import annotations

import itertools

import pytest
from conftest import valid_request

from amplify_auth_widgets import ApiError, BackendAuthService, ValidationFailed
from amplify_auth_widgets.emulator import Emulator


@pytest.fixture
def service(emulator):
    return BackendAuthService(emulator.connection())


def test_invalid_request_is_refused_before_sending(emulator, service, app_env):
    app_id, _ = app_env
    request = valid_request(AppId=app_id)
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["DomainPrefix"] = "my-aws-login"
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
    assert job["Status"] == "FAILED" and "reserved word 'aws'" in job["Error"]


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


def test_list_backend_jobs_reads_every_page(emulator, service, app_env, clock):
    app_id, env = app_env
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
    calls = service.calls
    jobs = service.list_backend_jobs(app_id, env, MaxResults=2)
    assert len(jobs) == 5 and len({j["JobId"] for j in jobs}) == 5
    assert service.calls - calls == 3
    assert len(service.list_backend_jobs(app_id, env, MaxResults=2, max_pages=1)) == 2


def test_wait_for_job_uses_the_given_clock(emulator, service, app_env, clock):
    app_id, env = app_env
    created = service.create_backend_auth(valid_request(AppId=app_id))
    seen = []
    job = service.wait_for_job(
        app_id,
        env,
        created["JobId"],
        first_delay=1.0,
        on_status=lambda j, t: seen.append((j["Status"], t)),
        sleep=clock.advance,
        clock=clock,
    )
    assert job["Status"] == "COMPLETED"
    assert seen[0] == ("IN_PROGRESS", 0) and seen[-1][0] == "COMPLETED"
    delays = [b[1] - a[1] for a, b in itertools.pairwise(seen)]
    assert delays == sorted(delays)  # backoff never shrinks
    clock.advance(1)
    created = service.delete_backend_auth(app_id, env, "mainauth")
    job = service.wait_for_job(
        app_id, env, created["JobId"], timeout=2, sleep=clock.advance, clock=clock
    )
    assert job["TimedOut"] and job["Status"] == "IN_PROGRESS"


def test_on_call_hook_sees_every_call(service, app_env):
    app_id, env = app_env
    calls = []
    service.on_call = lambda op, req, resp, err: calls.append((op, err and err.code))
    with pytest.raises(ApiError):
        service.get_backend_job(app_id, env, "nope")
    service.list_backend_jobs(app_id, env)
    assert calls == [("GetBackendJob", "NotFoundException"), ("ListBackendJobs", None)]
