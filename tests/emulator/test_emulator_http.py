"""The emulator answers bad HTTP of every kind with a 4xx and a message, never a 5xx."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import FakeClock, sign_by, signed, valid_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.protocol import routes


def test_unsigned_requests_are_refused(emulator):
    status, headers, body = signed(emulator.url, "POST", "/backend/d1/details", b"{}", sign=False)
    assert status == 403
    assert headers["x-amzn-errortype"] == "MissingAuthenticationTokenException"
    assert "Signature Version 4" in body["message"] and "AWS_ACCESS_KEY_ID" in body["message"]


@contextlib.contextmanager
def strict_emulator(monkeypatch, credentials: str) -> Iterator[tuple[Any, str, str]]:
    """An emulator checking signatures against ``credentials`` (KEY:SECRET), one app in it:
    the emulator, the app's id and the path of its details."""
    clock = FakeClock()
    sign_by(clock, monkeypatch)  # boto3 and the raw requests sign by the emulator's clock
    with Emulator(strict_auth=credentials, clock=clock) as emu:
        app_id = emu.create_app("strict", ("dev",))
        yield emu, app_id, f"/backend/{app_id}/details"


def test_strict_auth_checks_the_signature(monkeypatch):
    with strict_emulator(monkeypatch, "AKIDTEST:s3cret") as (emu, app_id, path):
        ok = signed(emu.url, "POST", path, b"{}", key="AKIDTEST", secret="s3cret")
        assert ok[0] == 200 and ok[2]["appName"] == "strict"
        wrong_secret = signed(emu.url, "POST", path, b"{}", key="AKIDTEST", secret="nope")
        assert wrong_secret[0] == 403
        assert wrong_secret[1]["x-amzn-errortype"] == "InvalidSignatureException"
        wrong_key = signed(emu.url, "POST", path, b"{}", key="OTHER", secret="s3cret")
        assert wrong_key[0] == 403 and "--strict-auth" in wrong_key[2]["message"]
        query = signed(
            emu.url, "GET", "/apps?maxResults=1", service="amplify", key="AKIDTEST", secret="s3cret"
        )
        assert query[0] == 200
        from amplify_auth_widgets import Connection

        client = Connection.for_emulator(
            emu.url, access_key_id="AKIDTEST", secret_access_key="s3cret"
        ).client()
        assert client.get_backend(AppId=app_id)["AppName"] == "strict"


def test_strict_auth_is_cut_at_its_first_colon(monkeypatch):
    # KEY:SECRET: an access key id holds no colon, so the secret is all after the first
    with strict_emulator(monkeypatch, "AKIDTEST:s3:cret") as (emu, _, path):
        ok = signed(emu.url, "POST", path, b"{}", key="AKIDTEST", secret="s3:cret")
        assert ok[0] == 200 and ok[2]["appName"] == "strict"
        cut_last = signed(emu.url, "POST", path, b"{}", key="AKIDTEST:s3", secret="cret")
        assert cut_last[0] == 403 and "--strict-auth" in cut_last[2]["message"]


def test_strict_auth_without_a_key_or_a_secret_is_refused(tmp_path):
    for bad in ("AKIDTEST", "AKIDTEST:", ":s3cret", ":", ""):
        with pytest.raises(ValueError) as refused:
            Emulator(strict_auth=bad, db=str(tmp_path / "s.db"))
        assert str(refused.value) == "strict_auth must be KEY:SECRET"


def test_bodies_over_one_mebibyte_get_413(emulator):
    big = json.dumps({"resourceName": "x" * (1024 * 1024)})
    status, _, body = signed(
        emulator.url, "POST", "/backend/d1/auth", big, {"Content-Type": "application/json"}
    )
    assert status == 413 and "1 MiB" in body["message"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ('{"resourceName": ', "application/json", 400, "Malformed JSON body at line 1"),
        ("[1, 2]", "application/json", 400, "must be an object"),
        ("resourceName=x", "application/x-www-form-urlencoded", 415, "send application/json"),
        (b"\xff\xfe{}", "application/json", 400, "not UTF-8"),
    ],
)
def test_malformed_bodies(emulator, app_env, body, content_type, status, words):
    app_id, _ = app_env
    got = signed(
        emulator.url, "POST", f"/backend/{app_id}/auth", body, {"Content-Type": content_type}
    )
    assert got[0] == status and words in got[2]["message"]


def test_unknown_paths_and_methods(emulator):
    status, _headers, body = signed(emulator.url, "GET", "/nothing/here")
    assert status == 404 and "No AmplifyBackend or Amplify operation" in body["message"]
    status, _, _ = signed(emulator.url, "DELETE", "/backend")
    assert status == 404


def test_every_route_is_served_or_refused_clearly(emulator):
    """Each operation of both models, called with an empty body: never a 5xx."""
    for route in routes():
        path = route.pattern.pattern.strip("^$").replace("/?", "")
        path = path.replace("\\", "")
        for name in route.pattern.groupindex:
            path = path.replace(f"(?P<{name}>[^/]+)", "x").replace(f"(?P<{name}>.+)", "x")
        status, headers, body = signed(
            emulator.url,
            route.method,
            path,
            b"{}",
            {"Content-Type": "application/json"},
            service=route.service,
        )
        assert status < 500, (route.operation, status, body)
        if status >= 400:
            assert body["message"] and headers["x-amzn-errortype"]
        else:
            assert route.operation in ("ListApps", "CreateBackend")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceConfig",
                    "userPoolConfigs",
                    "resourceName",
                    "appId",
                    "backendEnvironmentName",
                    "mfa",
                    "MFAMode",
                    "maxResults",
                    "x",
                ]
            )
            | st.text(max_size=6),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def fuzz_target():
    with Emulator(job_seconds=0, demo=True, seed=5) as emu:
        yield emu


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    route=st.sampled_from([r for r in routes()]),
    body=JSON,
    segment=st.sampled_from(["d1demotodo", "dev", "x", "%00", "a%2Fb", "..", "d2demoshop"]),
)
def test_generated_requests_never_get_a_5xx(fuzz_target, route, body, segment):
    path = route.pattern.pattern.strip("^$").replace("/?", "").replace("\\", "")
    for name in route.pattern.groupindex:
        path = path.replace(f"(?P<{name}>[^/]+)", segment).replace(f"(?P<{name}>.+)", segment)
    status, _, payload = signed(
        fuzz_target.url,
        route.method,
        path,
        json.dumps(body),
        {"Content-Type": "application/json"},
        service=route.service,
    )
    assert status < 500, (route.operation, body, payload)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.text(alphabet="/abcdx1{}%?=&.", max_size=30), raw=st.binary(max_size=64))
def test_generated_paths_and_bytes_never_get_a_5xx(fuzz_target, path, raw):
    status, _, _ = signed(fuzz_target.url, "POST", "/" + path.lstrip("/"), raw)
    assert status < 500


def test_valid_request_still_works_after_the_noise(fuzz_target):
    app_id = fuzz_target.create_app("after", ("dev",))
    created = fuzz_target.client().create_backend_auth(
        **valid_request(AppId=app_id, BackendEnvironmentName="dev")
    )
    assert created["Status"] == "IN_PROGRESS"
