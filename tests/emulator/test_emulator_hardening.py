"""The emulator answers only local Host names and no other origin, and --strict-auth checks a
signature's scope and repeated headers as AWS does.

DNS rebinding: a page on evil.example whose name comes to resolve to 127.0.0.1 is same-origin
with the emulator and, as any access key works without --strict-auth, could sign requests and
read every stored configuration, secrets included. Requests are sent with http.client (whose
Host header can be forged) and from headless Chromium told that evil.example is 127.0.0.1.
"""

from __future__ import annotations

import io
import socket
from typing import Any

import pytest
from conftest import FakeClock, LocalServer, QuietHandler, serving, sign_by, signed
from support.signing import KEY, SECRET, send

from amplify_auth_widgets.cli.entry import build_parser, main
from amplify_auth_widgets.cli.services import emulator_from_args
from amplify_auth_widgets.emulator import Emulator

#: A well-formed SigV4 Authorization header: without --strict-auth, it is all a client needs.
ANY_SIGNATURE = (
    "AWS4-HMAC-SHA256 Credential=anything/20270115/us-east-1/amplify/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)


@pytest.fixture
def seeded(emulator: Any) -> Any:
    emulator.app_id = emulator.create_app("private-app", ("dev",))
    return emulator


# --- Host ------------------------------------------------------------------------------------


def test_a_foreign_host_is_refused_and_nothing_is_read_or_written(seeded):
    host = f"evil.example:{seeded.port}"
    status, headers, body = send(seeded, "GET", "/apps", host)
    assert status == 403 and headers["x-amzn-errortype"] == "HostNotAllowedException"
    assert f"Host {host!r}" in body["message"]
    assert "--allow-host evil.example " in body["message"] and "private-app" not in str(body)
    assert "access-control-allow-origin" not in headers
    status, _, body = send(seeded, "POST", "/apps", host, b'{"name": "planted"}')
    assert status == 403 and "DNS rebinding" in body["message"]
    names = [app["name"] for app in seeded.client("amplify").list_apps()["apps"]]
    assert names == ["private-app"]  # boto3, by 127.0.0.1, is still answered; nothing planted


@pytest.mark.parametrize(
    "host",
    [
        *("127.0.0.1:{port}", "127.0.0.1", "localhost", "LocalHost:{port}"),
        *("localhost.:{port}", "[::1]:{port}", "[::1]"),
    ],
)
def test_local_names_are_answered_with_or_without_port_in_any_case(seeded, host):
    status, _, body = send(seeded, "GET", "/apps", host.format(port=seeded.port))
    assert status == 200 and body["apps"][0]["name"] == "private-app"


@pytest.mark.parametrize(
    "host",
    [
        *("localhost.evil.example", "127.0.0.1.nip.io", "evil.example:{port}", "localhost:x"),
        *("localhost..", "[::1", "[::1]x", "", "127.0.0.2"),
    ],
)
def test_names_that_only_look_local_are_refused(seeded, host):
    status, headers, _ = send(seeded, "GET", "/apps", host.format(port=seeded.port))
    assert status == 403 and headers["x-amzn-errortype"] == "HostNotAllowedException"


def test_a_request_without_host_is_answered(seeded):
    """HTTP/1.0 needs no Host. Browsers always send one, so no web page can make such a
    request: it is answered, for old local tools."""
    with socket.create_connection(("127.0.0.1", seeded.port), timeout=10) as sock:
        sock.sendall(f"GET /apps HTTP/1.0\r\nAuthorization: {ANY_SIGNATURE}\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"private-app" in body


def test_allowed_hosts_adds_names_and_star_allows_any():
    with Emulator(allowed_hosts=["Emu.Test:80", "::1", "10.0.0.7"]) as emu:
        assert send(emu, "GET", "/apps", f"emu.test:{emu.port}")[0] == 200
        assert send(emu, "GET", "/apps", "10.0.0.7")[0] == 200
        assert send(emu, "GET", "/apps", "localhost")[0] == 200  # the local names stay
        assert send(emu, "GET", "/apps", "emu.test.evil.example")[0] == 403
    with Emulator(allowed_hosts="*") as emu:
        assert send(emu, "GET", "/apps", "evil.example")[0] == 200
    with Emulator(allowed_hosts="emu.test") as emu:  # one name, not its letters
        assert send(emu, "GET", "/apps", "emu.test")[0] == 200
        assert send(emu, "GET", "/apps", "e")[0] == 403
    for bad in ("emu test", "a/b", "", "[zz]"):
        with pytest.raises(ValueError, match=r"allowed_hosts: .* is not a host name"):
            Emulator(allowed_hosts=[bad])


def test_the_listening_address_is_answered_by_its_url():
    with Emulator(host="::1") as emu:  # url http://[::1]:port
        assert emu.client("amplify").list_apps()["apps"] == []


def test_an_empty_listening_address_is_refused_not_taken_for_every_address():
    for host in ("", " "):
        with pytest.raises(ValueError) as refused:
            Emulator(host=host)
        assert str(refused.value) == (
            "host is empty: give 127.0.0.1 for this machine only (the default), or 0.0.0.0 "
            "for every address of the machine"
        )


def test_a_rate_outside_0_to_1_is_refused_by_its_name_and_its_ends_are_taken(tmp_path):
    for name in ("throttle_rate", "fail_rate", "timeout_rate"):
        for bad in (-0.01, 1.01, 1.5, 2.0, float("nan")):
            with pytest.raises(ValueError) as refused:
                Emulator(db=str(tmp_path / "s.db"), **{name: bad})
            assert str(refused.value) == f"{name} must be between 0 and 1, not {bad}"
        for good in (0.0, 1.0):
            emu = Emulator(db=str(tmp_path / "s.db"), **{name: good})
            rate = {
                "throttle_rate": emu.faults.throttle_rate,
                "fail_rate": emu.fail_rate,
                "timeout_rate": emu.faults.timeout_rate,
            }[name]
            assert rate == good


def test_the_allow_host_option():
    args = build_parser().parse_args(
        ["emulator", "--port", "0", "--allow-host", "emu.test", "--allow-host", "other.test"]
    )
    with emulator_from_args(args) as emu:
        assert send(emu, "GET", "/apps", f"emu.test:{emu.port}")[0] == 200
        assert send(emu, "GET", "/apps", "other.test")[0] == 200
        assert send(emu, "GET", "/apps", "evil.example")[0] == 403
    with emulator_from_args(build_parser().parse_args(["emulator", "--port", "0"])) as emu:
        assert send(emu, "GET", "/apps", "emu.test")[0] == 403


def test_the_allow_host_option_s_errors_and_help():
    out, err = io.StringIO(), io.StringIO()
    assert main(["emulator", "--allow-host", "a b"], stdout=out, stderr=err) == 252
    assert "--allow-host: 'a b' is not a host name or address" in err.getvalue()
    out = io.StringIO()
    main(["emulator", "--help"], stdout=out, stderr=io.StringIO())
    assert "--allow-host NAME" in out.getvalue()
    assert "DNS rebinding" in " ".join(out.getvalue().split())


# --- no CORS ---------------------------------------------------------------------------------


def test_no_answer_carries_cors_headers(seeded):
    origin = {"Origin": "http://evil.example"}
    for method, path, headers in [
        ("GET", "/apps", origin),
        ("OPTIONS", "/apps", {**origin, "Access-Control-Request-Method": "GET"}),
    ]:
        _, answer, _ = signed(seeded.url, method, path, headers=headers, service="amplify")
        assert not [h for h in answer if h.startswith("access-control-")], answer


FETCH = """async ([url, authorization]) => {
  try {
    const response = await fetch(url, authorization ? {headers: {authorization}} : {});
    return {status: response.status, text: await response.text()};
  } catch (error) {
    return {error: String(error)};
  }
}"""


def _browser(extra_args: list[str]) -> Any:
    from playwright.sync_api import sync_playwright
    from support.browser import CHROMIUM

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make chromium installs it)")
    return sync_playwright, CHROMIUM, ["--no-sandbox", "--disable-gpu", *extra_args]


def test_a_page_of_another_origin_cannot_read_the_emulator(seeded):
    class Page(QuietHandler):
        def do_GET(self) -> None:
            self.answer(200, b"<title>other origin</title>", [("Content-Type", "text/html")])

    playwright, executable, args = _browser([])
    with serving(LocalServer(Page)) as server, playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        try:
            page = browser.new_page()
            page.goto(server.url)
            for authorization in (ANY_SIGNATURE, ""):  # preflighted, then a simple request
                got = page.evaluate(FETCH, [seeded.url + "/apps", authorization])
                assert "error" in got and "private-app" not in str(got), got
        finally:
            browser.close()


def test_a_rebound_name_cannot_read_the_emulator_in_a_browser(seeded):
    """evil.example resolves to 127.0.0.1, so its page's same-origin fetch reaches the
    emulator: refused by Host."""
    playwright, executable, args = _browser(["--host-resolver-rules=MAP evil.example 127.0.0.1"])
    with playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        try:
            page = browser.new_page()
            page.goto(f"http://evil.example:{seeded.port}/")
            got = page.evaluate(FETCH, ["/apps", ANY_SIGNATURE])
            assert got.get("status") == 403, got
            assert "--allow-host evil.example" in got["text"]
            assert "private-app" not in got["text"]
        finally:
            browser.close()


# --- strict auth: scope and repeated headers --------------------------------------------------


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> Any:
    clock = FakeClock()
    sign_by(clock, monkeypatch)
    with Emulator(strict_auth=f"{KEY}:{SECRET}", clock=clock) as emu:
        emu.app_id = emu.create_app("strict", ("dev",))
        yield emu


def strict_send(emu: Any, path: str, **kw: Any) -> tuple[int, dict[str, str], Any]:
    kw.setdefault("service", "amplifybackend" if path.startswith("/backend") else "amplify")
    method = "POST" if path.startswith("/backend") else "GET"
    body = b"{}" if method == "POST" else b""
    return send(emu, method, path, "127.0.0.1", body, key=KEY, secret=SECRET, **kw)


def test_a_signature_for_another_region_is_refused(strict):
    details = f"/backend/{strict.app_id}/details"
    assert strict_send(strict, details)[0] == 200
    status, headers, body = strict_send(strict, details, region="eu-west-1")
    assert status == 403 and headers["x-amzn-errortype"] == "InvalidSignatureException"
    assert body["message"].startswith(
        "Credential should be scoped to a valid region, not 'eu-west-1'."
    )
    assert "us-east-1" in body["message"]
    from amplify_auth_widgets import Connection

    client = Connection.for_emulator(
        strict.url, access_key_id=KEY, secret_access_key=SECRET, region="eu-west-1"
    ).client()
    with pytest.raises(client.exceptions.ClientError, match="scoped to a valid region"):
        client.get_backend(AppId=strict.app_id)


@pytest.mark.parametrize(
    ("path", "signed_for", "expected"),
    [
        ("/backend/{app}/details", "amplify", "amplifybackend"),
        ("/backend/{app}/details", "s3", "amplifybackend"),
        ("/apps", "amplifybackend", "amplify"),
        ("/apps/{app}", "execute-api", "amplify"),
    ],
)
def test_a_signature_for_another_service_is_refused(strict, path, signed_for, expected):
    path = path.format(app=strict.app_id)
    assert strict_send(strict, path)[0] == 200
    status, headers, body = strict_send(strict, path, service=signed_for)
    assert status == 403 and headers["x-amzn-errortype"] == "InvalidSignatureException"
    assert body["message"].startswith(
        f"Credential should be scoped to correct service: {expected!r}."
    )


def test_the_scope_s_date_must_be_the_signature_s_day(strict):
    day_before = ANY_SIGNATURE.replace("anything/20270115", f"{KEY}/20270114")
    status, _, body = strict_send(strict, "/apps", extra=[("Authorization", day_before)])
    assert status == 403 and "is not the day of X-Amz-Date" in body["message"]


def test_a_signature_for_a_service_not_ours_gets_a_json_error_not_a_crash(seeded):
    """The error's shape is looked up in the signed service's model only when it is ours: a
    service botocore does not know used to make the error itself fail (a text 500)."""
    status, headers, body = signed(seeded.url, "GET", "/nope", service="execute-api")
    assert status == 404 and headers["x-amzn-errortype"] == "UnknownOperationException"
    assert body["message"].startswith("No AmplifyBackend or Amplify operation answers GET /nope")


def test_a_repeated_header_is_signed_comma_joined(strict):
    """Two lines of one header are signed as one value: each trimmed, runs of spaces made one,
    joined by commas. A signature over the first line only no longer matches."""
    path = f"/backend/{strict.app_id}/details"
    both = [("X-Note", "  first   part "), ("X-Note", "second")]
    status, _, body = strict_send(strict, path, signed_extra=both)
    assert status == 200 and body["appName"] == "strict"
    status, headers, body = strict_send(strict, path, signed_extra=both[:1], extra=both)
    assert status == 403 and headers["x-amzn-errortype"] == "InvalidSignatureException"
    assert "signature does not match" in body["message"]
