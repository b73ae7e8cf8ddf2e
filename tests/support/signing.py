"""Requests signed by botocore for a Host, service and region we choose, sent as they are."""

from __future__ import annotations

import http.client
import json
from typing import Any

KEY, SECRET = "AKIDTEST", "s3cret"


def send(
    emu: Any,
    method: str,
    path: str,
    host: str,
    body: bytes = b"",
    service: str = "amplify",
    region: str = "us-east-1",
    key: str = "emulator",
    secret: str = "emulator-secret",
    extra: list[tuple[str, str]] | None = None,
    signed_extra: list[tuple[str, str]] | None = None,
) -> tuple[int, dict[str, str], Any]:
    """``method path`` with a ``Host`` of our choosing, signed by botocore for that Host,
    ``service`` and ``region`` with the header lines ``signed_extra`` (repeats kept), then sent
    with the header lines ``extra`` in place of the signed ones of their names."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=f"http://localhost{path}", data=body)
    for name, value in signed_extra or []:
        request.headers[name] = value  # HTTPHeaders: a second assignment adds a second line
    if body:
        request.headers["Content-Type"] = "application/json"
    request.headers["Host"] = host
    SigV4Auth(Credentials(key, secret), service, region).add_auth(request)
    lines = [(k, v) for k, v in request.headers.items() if k.lower() != "host"]
    if extra is not None:  # sent in place of the signed lines of the same names
        names = {name.lower() for name, _ in extra}
        lines = [(k, v) for k, v in lines if k.lower() not in names] + extra
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        for name, value in lines:
            connection.putheader(name, value)
        if body:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        raw = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(raw)
    finally:
        connection.close()
