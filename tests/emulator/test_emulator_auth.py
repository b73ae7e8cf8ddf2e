"""--strict-auth as AWS checks SigV4, a client that goes away mid-body, and modeled error members.

Both clocks are the test's: the emulator's is injected, and botocore dates its signatures by a
second one that stays put, so moving the emulator's clock an hour either way makes the same
fresh signature an hour old or an hour early, however long the test takes to run.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import socket
import time

import pytest
from conftest import FakeClock, sign_by, signed

from amplify_auth_widgets import Connection
from amplify_auth_widgets.emulator import Emulator

KEY, SECRET = "AKIDTEST", "s3cret"


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch):
    sign_by(FakeClock(), monkeypatch)
    clock = FakeClock()
    with Emulator(strict_auth=f"{KEY}:{SECRET}", clock=clock) as emu:
        emu.app_id = emu.create_app("strict", ("dev",))
        yield emu, clock


def details(emu):
    return signed(emu.url, "POST", f"/backend/{emu.app_id}/details", b"{}", key=KEY, secret=SECRET)


def test_a_signature_older_or_newer_than_five_minutes_is_expired(strict):
    emu, clock = strict
    assert details(emu)[0] == 200
    clock.advance(3600)  # the emulator's now is an hour after the signature: a replay
    status, headers, body = details(emu)
    assert status == 403 and headers["x-amzn-errortype"] == "InvalidSignatureException"
    assert body["message"].startswith("Signature expired:") and "- 5 min." in body["message"]
    clock.advance(-7200)  # an hour before the signature: dated in the future
    status, _, body = details(emu)
    assert status == 403 and body["message"].startswith("Signature not yet current:")
    clock.advance(3600 - 4 * 60)  # four minutes off is within the window
    assert details(emu)[0] == 200
    client = Connection.for_emulator(emu.url, access_key_id=KEY, secret_access_key=SECRET).client()
    clock.advance(10 * 60)
    with pytest.raises(client.exceptions.ClientError, match="Signature expired"):
        client.get_backend(AppId=emu.app_id)


def send_signed_then_swapped(emu, path: str, signed_body: bytes, sent_body: bytes):
    """Sign ``signed_body`` with its x-amz-content-sha256, then send ``sent_body`` instead."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    headers = {
        "Content-Type": "application/json",
        "X-Amz-Content-SHA256": hashlib.sha256(signed_body).hexdigest(),
    }
    request = AWSRequest(method="POST", url=emu.url + path, data=signed_body, headers=headers)
    SigV4Auth(Credentials(KEY, SECRET), "amplifybackend", "us-east-1").add_auth(request)
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        connection.request("POST", path, body=sent_body, headers=dict(request.headers.items()))
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_the_body_is_hashed_not_trusted(strict):
    emu, _ = strict
    path = f"/backend/{emu.app_id}/details"
    honest = send_signed_then_swapped(emu, path, b"{}", b"{}")
    assert honest[0] == 200
    status, body = send_signed_then_swapped(
        emu, path, b'{"backendEnvironmentName": "dev"}', b'{"backendEnvironmentName": "xyz"}'
    )
    assert status == 403 and "x-amz-content-sha256" in body["message"]


def test_a_client_gone_mid_body_is_one_log_line(emulator, caplog):
    caplog.set_level(logging.INFO, logger="amplify_auth_widgets.emulator")
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(
            b"POST /backend/d1/details HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + b'{"resourceN'
        )
    deadline = time.monotonic() + 10  # waits for the server's thread to log, not for a time
    while time.monotonic() < deadline and not any(
        r.name == "amplify_auth_widgets.emulator" for r in caplog.records
    ):
        time.sleep(0.01)
    records = [r for r in caplog.records if r.name.startswith("amplify_auth_widgets")]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].exc_info is None and "\n" not in records[0].getMessage()
    assert "disconnected before its whole body arrived" in records[0].getMessage()
    assert signed(emulator.url, "GET", "/apps", service="amplify")[0] == 200


def test_modeled_error_members_reach_boto3_by_their_wire_names(emulator):
    client = emulator.client()
    with pytest.raises(client.exceptions.NotFoundException) as info:
        client.get_backend(AppId="dnope")
    assert info.value.response["ResourceType"] == "App"  # sent as resourceType
    amplify = emulator.client("amplify")
    status, _, body = signed(emulator.url, "GET", "/apps/dnope", service="amplify")
    assert status == 404 and body == {"message": "App dnope not found."}
    with pytest.raises(amplify.exceptions.NotFoundException):
        amplify.get_app(appId="dnope")
    emulator.faults.throttle_rate = 1.0
    status, _, body = signed(emulator.url, "POST", "/backend/dnope/details", b"{}")
    assert status == 429 and body["limitType"] == "requests" and "LimitType" not in body


def test_a_long_error_message_is_clipped_to_the_model_s_maximum(emulator):
    body = json.dumps({"appId": "x", "backendEnvironmentName": "y", "stackName": "z" * 300})
    status, _, payload = signed(
        emulator.url, "DELETE", "/apps/dnope/backendenvironments/dev", body, service="amplify"
    )
    assert status == 400 and len(payload["message"]) == 255 and payload["message"].endswith("…")
