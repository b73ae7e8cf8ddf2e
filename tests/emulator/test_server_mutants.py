"""The emulator's HTTP face (``emulator.server``) as a client meets it: which Host names it
answers and what it says to others, body limits, the words of each refusal (unknown path,
operation not emulated, content type, body, request members), injected faults and which
service they hit, request ids, the response hooks, STS's XML, a 500 that the server outlives,
and the ASGI lifespan. One emulator serves the module (its faults are put back by each test
that sets them); raw HTTP through ``conftest.signed`` or a socket, so each answer is checked
exactly."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import signed

from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.server import (
    LOCAL_HOSTS,
    EmulatorApp,
    Faults,
    allowed_host_names,
    host_name,
)

JSON = {"Content-Type": "application/json"}
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def served() -> Iterator[Emulator]:
    with Emulator(job_seconds=0, seed=11) as emu:
        yield emu


@pytest.fixture
def faults(served: Emulator) -> Iterator[Faults]:
    before = (served.faults.latency_ms, served.faults.throttle_rate, served.faults.timeout_rate)
    yield served.faults
    served.faults.latency_ms, served.faults.throttle_rate, served.faults.timeout_rate = before


def raw(emu: Emulator, head: bytes, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """One request written as given on a socket, and its answer (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"the emulator closed the connection before answering: {data!r}"
            data += chunk
        header_text, _, rest = data.partition(b"\r\n\r\n")
        lines = header_text.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return int(lines[0].split()[1]), headers, rest


# -- Host names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("LocalHost.:4600", "localhost"),
        (" Example.TEST ", "example.test"),
        ("[::1]:80", "[::1]"),
        ("[::1]", "[::1]"),
        ("under_score-1.example", "under_score-1.example"),
        ("host:", None),
        ("host:80x", None),
        ("host:-1", None),
        ("[::1]x", None),
        ("[::1", None),
        ("[g::1]", None),
        ("a..b", None),
        ("evil.com/x", None),
        ("", None),
        (".", None),
    ],
)
def test_a_host_value_names_a_host_without_its_port_or_final_dot(value, name):
    assert host_name(value) == name


def test_the_hosts_answered_are_the_local_ones_and_those_given():
    assert allowed_host_names([]) == frozenset(LOCAL_HOSTS) == {"127.0.0.1", "localhost", "[::1]"}
    assert allowed_host_names("Emulator.Test:8080") == {*LOCAL_HOSTS, "emulator.test"}
    assert allowed_host_names(["fe80::1", " * ", "[::2]:80", "10.0.0.5"]) == {
        *LOCAL_HOSTS,
        "[fe80::1]",
        "*",
        "[::2]",
        "10.0.0.5",
    }


@pytest.mark.parametrize("given", ["bad host", "a/b", ""])
def test_a_host_to_answer_that_is_no_name_is_refused_saying_how(given):
    with pytest.raises(ValueError) as raised:
        allowed_host_names([given])
    assert str(raised.value) == (
        f"allowed_hosts: {given!r} is not a host name or address; give a name like "
        "emulator.test or 192.168.1.5 (a port is ignored), or '*' to answer any Host."
    )


def request_head(host: str, path: str = "/apps") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1")


def test_a_request_for_another_host_is_refused_saying_how_to_answer_it(served):
    status, headers, body = raw(served, request_head("Evil.Example:80"))
    assert status == 403 and headers["x-amzn-errortype"] == "HostNotAllowedException"
    assert json.loads(body) == {
        "message": "This emulator does not answer requests for Host 'Evil.Example:80': it "
        "answers 127.0.0.1, [::1], localhost only, so that a web page cannot read it through a "
        "name of its own (DNS rebinding). To answer this name, start it with --allow-host "
        "evil.example (Emulator(allowed_hosts=[...]) in Python), or --allow-host '*' for any "
        "name."
    }


def test_a_long_or_malformed_host_is_shown_clipped_and_named_as_a_placeholder(served):
    long = "h" * 90 + ".example"
    _, _, body = raw(served, request_head(long))
    message = json.loads(body)["message"]
    assert message.startswith(
        f"This emulator does not answer requests for Host {long[:80] + '…'!r}:"
    )
    assert f"--allow-host {long} (" in message
    exact = "e" * 80
    _, _, body = raw(served, request_head(exact))
    assert f"for Host {exact!r}:" in json.loads(body)["message"]
    one_over = "o" * 81
    _, _, body = raw(served, request_head(one_over))
    assert f"for Host {one_over[:80] + '…'!r}:" in json.loads(body)["message"]
    status, _, body = raw(served, request_head("bad_host:port"))
    assert status == 403 and "--allow-host NAME (" in json.loads(body)["message"]


def test_local_names_are_answered_in_any_case_and_with_a_port(served):
    for host in ("LOCALHOST.:1", "127.0.0.1", "[::1]:4600"):
        status, headers, _ = raw(served, request_head(host))
        assert (
            status == 403 and headers["x-amzn-errortype"] == "MissingAuthenticationTokenException"
        )


def test_an_emulator_answering_any_host_answers_every_name():
    with Emulator(job_seconds=0, allowed_hosts="*") as emu:
        status, headers, _ = raw(emu, request_head("anything.example"))
        assert headers["x-amzn-errortype"] == "MissingAuthenticationTokenException"
        assert status == 403


# -- bodies ----------------------------------------------------------------------------------


def test_a_body_declared_over_one_mebibyte_is_refused_before_it_is_read(served):
    head = (
        "POST /backend/d1/details HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
        f"\r\nContent-Length: {MIB + 1}\r\nConnection: close\r\n\r\n"
    ).encode()
    status, headers, body = raw(served, head)
    assert status == 413 and headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
    assert json.loads(body) == {
        "message": f"The request body is {MIB + 1} bytes; the limit is {MIB} (1 MiB)."
    }


def test_a_body_of_exactly_one_mebibyte_is_read(served):
    body = json.dumps({"backendEnvironmentName": "dev", "x": ""}).encode()
    padded = body[:-1] + b" " * (MIB - len(body)) + b"}"
    assert len(padded) == MIB
    status, _, payload = signed(served.url, "POST", "/backend/dnone/details", padded, JSON)
    assert status == 400 and payload["message"].startswith("Invalid request: x: unknown member")


def test_a_streamed_body_over_one_mebibyte_is_refused(served):
    head = (
        b"POST /backend/d1/details HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
        b"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunk = b" " * (64 * 1024)
    chunks = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 17 + b"0\r\n\r\n"
    status, headers, body = raw(served, head, chunks)
    assert status == 413 and headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
    assert json.loads(body) == {"message": f"The request body is over {MIB} bytes (1 MiB)."}


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "Application/JSON; charset=utf-8",
        " application/x-amz-json-1.1 ",
        "application/x-amz-json-1.0",
        "",
    ],
)
def test_json_is_read_under_each_json_type_or_none(served, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, payload = signed(served.url, "POST", "/backend/dnone/details", b"{}", headers)
    assert status == 404, payload  # read, and the app looked for


def test_another_content_type_is_refused_unless_the_body_is_blank(served):
    headers = {"Content-Type": "Text/Plain; charset=utf-8"}
    status, answer, payload = signed(served.url, "POST", "/backend/dnone/details", b"{}", headers)
    assert status == 415 and answer["x-amzn-errortype"] == "UnsupportedMediaTypeException"
    assert payload == {
        "message": "Content-Type 'text/plain' is not accepted; send application/json."
    }
    status, _, _ = signed(served.url, "POST", "/backend/dnone/details", b" \n", headers)
    assert status == 404  # nothing to read: no members


def test_a_body_that_is_no_object_is_refused(served):
    status, answer, payload = signed(served.url, "POST", "/backend/dnone/details", b'"x"', JSON)
    assert status == 400 and answer["x-amzn-errortype"] == "BadRequestException"
    assert payload == {"message": "The JSON body must be an object of request members."}


def test_every_problem_of_a_request_is_named_unknown_members_first(served):
    body = json.dumps({"x": 1, "environmentName": ""})
    status, answer, payload = signed(
        served.url, "POST", "/apps/d1/backendenvironments", body, JSON, "amplify"
    )
    assert status == 400 and answer["x-amzn-errortype"] == "BadRequestException"
    assert payload == {
        "message": "Invalid request: x: unknown member 'x'; CreateBackendEnvironment takes "
        "environmentName, stackName, deploymentArtifacts. environmentName: environmentName "
        "takes from 1 to 255 characters; it has 0. environmentName: '' does not match the "
        "pattern (?s).+."
    }


def test_an_amplify_error_is_clipped_to_its_model_and_an_amplifybackend_one_is_not(served):
    body = json.dumps({f"unknown{i}": 1 for i in range(10)})
    _, _, payload = signed(served.url, "POST", "/apps", body, JSON, "amplify")
    assert len(payload["message"]) == 255 and payload["message"].endswith("…")
    _, _, payload = signed(served.url, "POST", "/backend/dnone/details", body, JSON)
    assert len(payload["message"]) > 255 and payload["message"].endswith(".")


# -- routing ---------------------------------------------------------------------------------


def test_an_unknown_path_is_a_404_naming_the_method_and_path(served):
    status, answer, payload = signed(served.url, "GET", "/nothing/here?x=1", service="amplify")
    assert status == 404 and answer["x-amzn-errortype"] == "UnknownOperationException"
    assert payload == {
        "message": "No AmplifyBackend or Amplify operation answers GET /nothing/here."
    }


def test_an_operation_not_emulated_names_what_is(served):
    status, answer, payload = signed(
        served.url, "POST", "/apps/d1/branches", b"{}", JSON, service="amplify"
    )
    assert status == 400 and answer["x-amzn-errortype"] == "BadRequestException"
    assert payload == {
        "message": "amplify CreateBranch is not emulated. The emulator serves CreateApp, "
        "CreateBackendEnvironment, GetApp, GetBackendEnvironment, ListApps, "
        "ListBackendEnvironments, DeleteApp, DeleteBackendEnvironment."
    }
    client = served.client()
    with pytest.raises(client.exceptions.BadRequestException, match="CloneBackend is not emulated"):
        client.clone_backend(AppId="d1", BackendEnvironmentName="dev", TargetEnvironmentName="b")


def test_a_path_parameter_that_is_not_utf8_is_refused(served):
    status, _, payload = signed(served.url, "POST", "/backend/%FF/details", b"{}", JSON)
    assert status == 400
    assert payload == {
        "message": "The path parameter appId is not UTF-8 text once its %-escapes are decoded."
    }


def test_an_answer_is_json_with_its_request_id(served):
    app_id = served.create_app("answered", ("dev",))
    status, answer, payload = signed(served.url, "GET", f"/apps/{app_id}", service="amplify")
    assert status == 200 and answer["content-type"] == "application/json"
    assert payload["app"]["appId"] == app_id and payload["app"]["name"] == "answered"
    uuid.UUID(answer["x-amzn-requestid"])
    again = signed(served.url, "GET", f"/apps/{app_id}", service="amplify")[1]
    assert again["x-amzn-requestid"] != answer["x-amzn-requestid"]


def test_an_error_has_its_request_id_and_json_type(served):
    status, answer, _ = signed(served.url, "GET", "/apps/dnope", service="amplify")
    assert status == 404 and answer["content-type"] == "application/json"
    assert answer["x-amzn-errortype"] == "NotFoundException"
    uuid.UUID(answer["x-amzn-requestid"])


def test_what_one_service_s_job_made_is_listed_by_the_other_at_once(served):
    app_id = served.create_app("settled", ())
    body = json.dumps({"appId": app_id, "appName": "settled", "backendEnvironmentName": "prod"})
    assert signed(served.url, "POST", "/backend", body, JSON)[0] == 200
    status, _, payload = signed(
        served.url, "GET", f"/apps/{app_id}/backendenvironments", service="amplify"
    )
    assert status == 200
    assert [e["environmentName"] for e in payload["backendEnvironments"]] == ["prod"]


def test_every_request_is_counted(served):
    before = served.app.requests
    signed(served.url, "GET", "/apps", service="amplify")
    raw(served, request_head("evil.example"))
    signed(served.url, "GET", "/apps", sign=False)
    assert served.app.requests == before + 3


# -- faults ----------------------------------------------------------------------------------


def test_a_throttle_rate_of_one_throttles_every_amplifybackend_request(served, faults):
    faults.throttle_rate = 1.0
    status, answer, payload = signed(served.url, "POST", "/backend/dnone/details", b"{}", JSON)
    assert status == 429 and answer["x-amzn-errortype"] == "TooManyRequestsException"
    assert payload == {
        "limitType": "requests",
        "message": "Rate exceeded (injected by the emulator's --throttle-rate).",
    }
    assert signed(served.url, "GET", "/apps", service="amplify")[0] == 200


def test_a_timeout_rate_of_one_times_out_every_amplifybackend_request(served, faults):
    faults.timeout_rate = 1.0
    status, answer, payload = signed(served.url, "POST", "/backend/dnone/details", b"{}", JSON)
    assert status == 504 and answer["x-amzn-errortype"] == "GatewayTimeoutException"
    assert payload == {"message": "Gateway timeout (injected by the emulator's --timeout-rate)."}
    assert signed(served.url, "GET", "/apps", service="amplify")[0] == 200


def test_faults_come_after_the_route_and_before_the_members(served, faults):
    faults.throttle_rate = 1.0
    assert signed(served.url, "GET", "/nothing", service="amplifybackend")[0] == 404
    status, _, _ = signed(served.url, "POST", "/backend/dnone/details", b'{"x": 1}', JSON)
    assert status == 429


def test_rates_below_one_throttle_some_requests_only(served, faults):
    faults.throttle_rate = 0.5
    statuses = {
        signed(served.url, "POST", "/backend/dnone/details", b"{}", JSON)[0] for _ in range(24)
    }
    assert statuses == {404, 429}
    faults.throttle_rate, faults.timeout_rate = 0.0, 0.5
    statuses = {
        signed(served.url, "POST", "/backend/dnone/details", b"{}", JSON)[0] for _ in range(24)
    }
    assert statuses == {404, 504}


def test_latency_delays_amplifybackend_answers_by_milliseconds(served, faults):
    faults.latency_ms = 300
    started = time.monotonic()
    assert signed(served.url, "POST", "/backend/dnone/details", b"{}", JSON)[0] == 404
    assert time.monotonic() - started >= 0.3


# -- hooks, STS, failures ----------------------------------------------------------------------


def test_each_answer_reaches_the_response_hooks_with_its_service_and_operation(served):
    seen: list[tuple[Any, ...]] = []

    def record(service, operation, status, headers, body):
        seen.append((service, operation, status, headers.get("x-amzn-errortype"), body))

    served.app.response_hooks.append(record)
    try:
        ok = signed(served.url, "GET", "/apps?maxResults=1", service="amplify")
        signed(served.url, "GET", "/nothing", service="amplify")
        signed(served.url, "GET", "/nothing", service="s3")
        signed(served.url, "POST", "/apps/d1/branches", b"{}", JSON, service="amplify")
        signed(served.url, "GET", "/apps", sign=False)
        sts = sts_call(served, "Action=GetCallerIdentity&Version=2011-06-15")
    finally:
        served.app.response_hooks.remove(record)
    assert [s[:4] for s in seen] == [
        ("amplify", "ListApps", 200, None),
        ("amplify", None, 404, "UnknownOperationException"),
        (None, None, 404, "UnknownOperationException"),
        ("amplify", "CreateBranch", 400, "BadRequestException"),
        (None, None, 403, "MissingAuthenticationTokenException"),
        ("sts", "GetCallerIdentity", 200, None),
    ]
    assert json.loads(seen[0][4]) == ok[2]
    assert seen[5][4] == sts[2]


def sts_call(emu: Emulator, form: str) -> tuple[int, dict[str, str], Any]:
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    return signed(emu.url, "POST", "/", form, headers, "sts")


def test_sts_answers_in_xml_with_the_request_id(served):
    status, answer, payload = sts_call(served, "Action=GetCallerIdentity&Version=2011-06-15")
    assert status == 200 and answer["content-type"].startswith("text/xml")
    root = ElementTree.fromstring(payload)
    assert root.findtext("{*}GetCallerIdentityResult/{*}Account") == "123456789012"
    assert root.findtext("{*}ResponseMetadata/{*}RequestId") == answer["x-amzn-requestid"]
    # the form may come in the query string too
    status, _, payload = signed(
        served.url, "POST", "/?Action=GetCallerIdentity&Version=2011-06-15", "", {}, "sts"
    )
    assert status == 200
    assert ElementTree.fromstring(payload).findtext("{*}GetCallerIdentityResult/{*}Account") == (
        "123456789012"
    )


def test_an_sts_error_is_xml_with_its_status(served):
    status, answer, payload = sts_call(served, "Action=GetCallerIdentity&Version=2010")
    assert status == 400 and answer["content-type"].startswith("text/xml")
    root = ElementTree.fromstring(payload)
    assert root.findtext("{*}Error/{*}Code") == "InvalidParameterValue"
    assert root.findtext("{*}Error/{*}Type") == "Sender"
    assert root.findtext("{*}RequestId") == answer["x-amzn-requestid"]
    sts = served.connection().client("sts")
    assert sts.get_caller_identity()["Account"] == "123456789012"


def test_a_request_the_emulator_fails_on_is_a_500_naming_its_id_and_is_logged(served, caplog):
    caplog.set_level(logging.INFO, logger="amplify_auth_widgets.emulator")
    app_id = served.create_app("damaged", ())
    with served.store.transaction() as db:
        db.execute("UPDATE apps SET create_time = 'soon' WHERE app_id = ?", (app_id,))
    try:
        status, answer, payload = signed(served.url, "GET", f"/apps/{app_id}", service="amplify")
    finally:
        with served.store.transaction() as db:
            db.execute("DELETE FROM apps WHERE app_id = ?", (app_id,))
    request_id = answer["x-amzn-requestid"]
    assert status == 500 and answer["x-amzn-errortype"] == "InternalFailureException"
    assert payload == {
        "message": f"The emulator failed on this request (id {request_id}); see its log."
    }
    records = [r for r in caplog.records if r.name == "amplify_auth_widgets.emulator"]
    assert [r.getMessage() for r in records] == [f"request {request_id} failed"]
    assert records[0].exc_info is not None and records[0].levelno == logging.ERROR
    assert signed(served.url, "GET", "/apps", service="amplify")[0] == 200


def test_a_client_gone_before_its_body_gets_no_answer_and_one_warning(served, caplog):
    caplog.set_level(logging.INFO, logger="amplify_auth_widgets.emulator")
    seen: list[Any] = []
    hook = lambda *answer: seen.append(answer)  # noqa: E731
    served.app.response_hooks.append(hook)
    try:
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
            sock.sendall(
                b"POST /backend/d1/details HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Length: 1000\r\n\r\n" + b'{"resourceN'
            )
        deadline = time.monotonic() + 10  # waits for the server's thread, not for a time
        while time.monotonic() < deadline and not [
            r for r in caplog.records if r.name == "amplify_auth_widgets.emulator"
        ]:
            time.sleep(0.01)
    finally:
        served.app.response_hooks.remove(hook)
    [record] = [r for r in caplog.records if r.name == "amplify_auth_widgets.emulator"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert re.fullmatch(
        r"request [0-9a-f-]{36}: the client disconnected before its whole body arrived; "
        r"nothing was done",
        record.getMessage(),
    )
    assert seen == []


# -- the application itself -------------------------------------------------------------------


def test_an_app_needs_a_handler_for_each_emulated_service(served):
    with pytest.raises(ValueError) as raised:
        EmulatorApp([], Faults(), random.Random(1), time.time)
    assert (
        str(raised.value) == "no handlers given for the emulated services amplify, amplifybackend"
    )
    with pytest.raises(ValueError) as raised:
        EmulatorApp([served.backend], Faults(), random.Random(1), time.time)
    assert str(raised.value) == "no handlers given for the emulated services amplify"


def test_the_lifespan_is_acknowledged_and_other_scopes_ignored(served):
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(served.app({"type": "lifespan"}, receive, send))
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
    assert incoming == []
    asyncio.run(served.app({"type": "websocket"}, receive, send))
    assert len(sent) == 2


# -- who signs, for which service and region ----------------------------------------------------


def test_an_unknown_path_is_checked_against_the_signed_service_when_it_is_ours(monkeypatch):
    from conftest import FakeClock, sign_by
    from support.signing import KEY, SECRET, send

    clock = FakeClock()
    sign_by(clock, monkeypatch)
    auth = {"key": KEY, "secret": SECRET}
    with Emulator(strict_auth=f"{KEY}:{SECRET}", clock=clock) as emu:
        for service in ("amplify", "amplifybackend"):
            status, headers, _ = send(
                emu, "GET", "/nothing", "127.0.0.1", service=service, key=KEY, secret=SECRET
            )
            assert status == 404 and headers["x-amzn-errortype"] == "UnknownOperationException"
        status, headers, body = send(
            emu, "GET", "/nothing", "127.0.0.1", service="s3", key=KEY, secret=SECRET
        )
        assert status == 403 and headers["x-amzn-errortype"] == "InvalidSignatureException"
        assert body["message"].startswith(
            "Credential should be scoped to correct service: 'amplifybackend'."
        )
        # a known path is checked against its route's service, whatever was signed for
        status, _, body = send(
            emu, "GET", "/apps", "127.0.0.1", service="amplifybackend", key=KEY, secret=SECRET
        )
        assert status == 403
        assert body["message"].startswith(
            "Credential should be scoped to correct service: 'amplify'."
        )
        status, _, body = send(
            emu, "POST", "/backend/%FF/details", "127.0.0.1", b"{}", "amplifybackend", key=KEY
        )
        assert status == 403 and "signature does not match" in body["message"]
        # the signature covers the query string, the body, and the path as sent
        status, _, body = send(
            emu, "GET", "/apps?maxResults=1", "127.0.0.1", key=KEY, secret=SECRET
        )
        assert status == 200 and body["apps"] == []
        app_id = emu.create_app("signed", ("dev",))
        status, _, body = send(
            emu, "POST", f"/backend/{app_id}/details", "127.0.0.1", b"{}", "amplifybackend", **auth
        )
        assert status == 200 and body["appName"] == "signed"
        status, headers, _ = send(emu, "GET", "/apps/d%41b", "127.0.0.1", key=KEY, secret=SECRET)
        assert status == 404 and headers["x-amzn-errortype"] == "NotFoundException"
        # STS's requests are checked as signed for sts
        from botocore.exceptions import ClientError

        from amplify_auth_widgets import Connection

        sts = Connection.for_emulator(emu.url, access_key_id=KEY, secret_access_key=SECRET)
        assert sts.client("sts").get_caller_identity()["Account"] == "123456789012"
        wrong = Connection.for_emulator(emu.url, access_key_id=KEY, secret_access_key="nope")
        with pytest.raises(ClientError) as raised:
            wrong.client("sts").get_caller_identity()
        assert raised.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_a_region_not_served_is_refused_before_the_request_is_read(served):
    from support.signing import send

    status, headers, body = send(
        served, "POST", "/backend/d1/details", "127.0.0.1", b"[", "amplifybackend", "eu-west-1"
    )
    assert status == 403 and headers["x-amzn-errortype"] == "InvalidSignatureException"
    assert body["message"].startswith(
        "Credential should be scoped to a valid region, not 'eu-west-1'."
    )
    status, _, body = send(served, "GET", "/apps", "127.0.0.1", region="eu-west-1")
    assert status == 403 and "scoped to a valid region" in body["message"]


def test_temporary_credentials_are_served_in_their_role_s_account_with_their_token(served):
    import boto3

    sts = served.connection().client("sts")
    role = "arn:aws:iam::210987654321:role/auditor"
    credentials = sts.assume_role(RoleArn=role, RoleSessionName="s1")["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="us-east-1",
    )
    served.create_app("home-app", ())
    assumed = session.client("amplify", endpoint_url=served.url)
    assert assumed.list_apps()["apps"] == []  # the role's account holds none
    identity = session.client("sts", endpoint_url=served.url).get_caller_identity()
    assert identity["Account"] == "210987654321"


def test_an_app_made_without_identities_knows_the_strict_key_and_the_default_account(served):
    app = EmulatorApp(
        [served.backend, served.amplify],
        Faults(),
        random.Random(1),
        lambda: 1_800_000_000.0,
        strict_auth=("AKIDAPP", "s3cret"),
    )
    assert app.requests == 0 and app.response_hooks == []
    assert app.identities.secret_of("AKIDAPP") == "s3cret"
    assert app.identities.account_of("AKIDANY", None) == "123456789012"
    answer = app.identities.assume_role(
        {"RoleArn": "arn:aws:iam::210987654321:role/r", "RoleSessionName": "s1"}
    )
    credentials = answer["Credentials"]
    assert credentials["Expiration"] == 1_800_000_000 + 3600
    key, token = credentials["AccessKeyId"], credentials["SessionToken"]
    assert app.identities.account_of(key, token) == "210987654321"


def test_a_draw_equal_to_the_rate_is_neither_throttled_nor_timed_out(served, faults):
    """A fault is injected when the draw is below its rate, as with jobs' failures."""
    for name in ("throttle_rate", "timeout_rate"):
        probe = random.Random()
        probe.setstate(served.rng.getstate())
        setattr(faults, name, probe.random())
        assert signed(served.url, "POST", "/backend/dnone/details", b"{}", JSON)[0] == 404
        setattr(faults, name, 0.0)


def test_latency_is_waited_in_milliseconds_and_only_when_set(served, monkeypatch):
    import threading

    import amplify_auth_widgets.emulator.server as server

    waits: list[float] = []
    real_sleep = asyncio.sleep
    here = threading.get_ident()

    async def sleep(seconds: float, *args: Any) -> Any:
        if threading.get_ident() == here:  # not the emulator's own loop
            waits.append(seconds)
        return await real_sleep(0, *args)

    monkeypatch.setattr(server.asyncio, "sleep", sleep)
    for latency in (0.0, 1.0, 250.0):
        app = EmulatorApp(
            [served.backend, served.amplify],
            Faults(latency_ms=latency),
            random.Random(1),
            time.time,
        )
        asyncio.run(app._inject_faults())
    assert waits == [0.001, 0.25]


def test_query_members_are_read_a_blank_one_too(served):
    served.create_app("first", ())
    served.create_app("second", ())
    status, _, payload = signed(served.url, "GET", "/apps?maxResults=1", service="amplify")
    assert status == 200 and len(payload["apps"]) == 1 and payload["nextToken"]
    status, answer, payload = signed(served.url, "GET", "/apps?maxResults=", service="amplify")
    assert status == 400 and answer["x-amzn-errortype"] == "BadRequestException"
    assert "maxResults" in payload["message"]
