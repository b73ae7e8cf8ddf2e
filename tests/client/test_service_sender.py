"""The client that sends the calls that start jobs: in botocore's adaptive retry mode, its own
rate limiter slows the sends down once the service throttles them (the reads keep their pace);
in standard mode nothing waits. The mode is the connection's, else the service's
``send_retry_mode``; a fleet connected with ``Fleet.connect`` sends in adaptive mode."""

from __future__ import annotations

import time

import pytest

from amplify_auth_widgets import BackendAuthService
from amplify_auth_widgets.client.service import ADAPTIVE, ApiError
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.fleet.inventory import Fleet

REQUEST = {
    "AppId": "d1abc",
    "BackendEnvironmentName": "dev",
    "ResourceName": "auth",
    "ResourceConfig": {
        "AuthResources": "USER_POOL_ONLY",
        "Service": "COGNITO",
        "UserPoolConfigs": {
            "RequiredSignUpAttributes": ["EMAIL"],
            "SignInMethod": "EMAIL",
            "UserPoolName": "pool",
        },
    },
}
READ = {"AppId": "d1abc", "BackendEnvironmentName": "dev", "JobId": "j1"}


@pytest.fixture(scope="module")
def throttling():
    with Emulator(job_seconds=0, seed=1, throttle_rate=1.0) as emulator:
        yield emulator


def attempts_took(service: BackendAuthService, operation: str, request: dict) -> float:
    """Seconds one call took, all its attempts throttled (the service's own back-off costs
    nothing: its sleep is a no-op)."""
    started = time.monotonic()
    with pytest.raises(ApiError) as refused:
        service.call(operation, request, force=True)
    assert refused.value.code == "TooManyRequestsException"
    return time.monotonic() - started


def test_throttled_sends_slow_the_adaptive_sender_down_and_not_the_reads(throttling):
    connection = throttling.connection(max_attempts=3)
    standard = BackendAuthService(connection, sleep=lambda s: None)
    adaptive = BackendAuthService(connection, sleep=lambda s: None, send_retry_mode=ADAPTIVE)
    assert standard.sender is standard.client and adaptive.sender is not adaptive.client
    assert adaptive.sender.meta.config.retries["mode"] == "adaptive"
    assert attempts_took(standard, "CreateBackendAuth", REQUEST) < 0.5
    # the first throttled answer starts botocore's limiter: the next two attempts wait for it
    assert attempts_took(adaptive, "CreateBackendAuth", REQUEST) >= 0.5
    assert adaptive.calls == standard.calls == 3  # each attempt still one call, counted here
    assert attempts_took(adaptive, "GetBackendJob", READ) < 0.5  # reads go another way


def test_the_connection_s_retry_mode_wins_and_a_fleet_sends_in_adaptive_mode(throttling):
    named = throttling.connection(retry_mode="standard")
    assert BackendAuthService(named, send_retry_mode=ADAPTIVE).send_retry_mode == "standard"
    assert BackendAuthService(throttling.connection()).send_retry_mode == "standard"
    assert Fleet.connect(throttling.connection()).service.send_retry_mode == ADAPTIVE
    assert Fleet.connect(named).service.send_retry_mode == "standard"


def test_a_client_given_sends_too_whatever_the_retry_mode(throttling):
    # the caller's own client (its credentials, its config) is the one every call goes
    # through: no adaptive client of our own is built beside it
    given = throttling.client()
    for mode in ("standard", ADAPTIVE):
        service = BackendAuthService(client=given, send_retry_mode=mode)
        assert service.sender is given and service.client is given
