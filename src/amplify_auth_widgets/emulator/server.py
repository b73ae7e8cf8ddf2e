"""The emulator's HTTP face: an ASGI application in front of ``Backend``.

Each request goes through the same steps: body size limit (413), SigV4 ``Authorization`` header
(403 without one; with ``strict_auth`` the signature is checked), the model's route (404 for an
unknown path, 400 for an operation that exists but is not emulated), injected faults (latency,
429, 504: AmplifyBackend only), content type and JSON (415, 400), model-level checks (400 naming
the path), then the backend. Whatever happens, the answer is a rest-json response; an exception
that escapes the backend is logged and answered with a 500 that says so, and the server lives on.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import random
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from ..validation import model_findings
from .backend import Backend
from .protocol import (
    EmulatorError,
    check_storable,
    decode_body,
    error_body,
    match,
    parse_request,
    serialize_response,
    unknown_problems,
)

log = logging.getLogger("amplify_auth_widgets.emulator")

MAX_BODY = 1024 * 1024
JSON_TYPES = ("application/json", "application/x-amz-json-1.1", "application/x-amz-json-1.0")
CREDENTIAL = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<headers>[^,]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]+)"
)

EMULATED = {
    "amplifybackend": (
        "CreateBackend",
        "GetBackend",
        "DeleteBackend",
        "CreateBackendAuth",
        "GetBackendAuth",
        "UpdateBackendAuth",
        "DeleteBackendAuth",
        "ImportBackendAuth",
        "GetBackendJob",
        "ListBackendJobs",
        "UpdateBackendJob",
    ),
    "amplify": (
        "CreateApp",
        "GetApp",
        "ListApps",
        "DeleteApp",
        "CreateBackendEnvironment",
        "GetBackendEnvironment",
        "ListBackendEnvironments",
        "DeleteBackendEnvironment",
    ),
}


@dataclass
class Faults:
    """Faults injected on AmplifyBackend requests; change them while the emulator runs."""

    latency_ms: float = 0.0
    throttle_rate: float = 0.0
    timeout_rate: float = 0.0


class EmulatorApp:
    """The ASGI application."""

    def __init__(
        self,
        backend: Backend,
        faults: Faults,
        rng: random.Random,
        strict_auth: tuple[str, str] | None = None,
    ) -> None:
        self.backend = backend
        self.faults = faults
        self.rng = rng
        self.strict_auth = strict_auth
        self.requests = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        request_id = str(uuid.uuid4())
        try:
            response = await self.handle(request, request_id)
        except EmulatorError as exc:
            response = self.error_response(exc, request_id)
        except Exception:  # the server must never die of one request
            log.exception("request %s failed", request_id)
            response = self.error_response(
                EmulatorError(
                    "InternalFailureException",
                    f"The emulator failed on this request (id {request_id}); see its log.",
                    500,
                ),
                request_id,
            )
        await response(scope, receive, send)

    @staticmethod
    def error_response(error: EmulatorError, request_id: str) -> Response:
        return Response(
            json.dumps(error_body(error)),
            status_code=error.status,
            media_type="application/json",
            headers={"x-amzn-ErrorType": error.code, "x-amzn-RequestId": request_id},
        )

    async def _read_body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY:
            raise EmulatorError(
                "RequestEntityTooLargeException",
                f"The request body is {declared} bytes; the limit is {MAX_BODY} (1 MiB).",
            )
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_BODY:
                raise EmulatorError(
                    "RequestEntityTooLargeException",
                    f"The request body is over {MAX_BODY} bytes (1 MiB).",
                )
        return bytes(body)

    def _check_auth(self, request: Request, body: bytes) -> str | None:
        header = request.headers.get("authorization", "")
        found = CREDENTIAL.match(header)
        if not found:
            raise EmulatorError(
                "MissingAuthenticationTokenException",
                "The request is not signed with AWS Signature Version 4. Sign it with any "
                "access key (boto3 and the AWS CLI do, given credentials: e.g. set "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use "
                "Connection.for_emulator(url)).",
                403,
            )
        if self.strict_auth is not None:
            self._verify_signature(request, body, found)
        return found["service"]

    def _verify_signature(self, request: Request, body: bytes, found: re.Match[str]) -> None:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        key, secret = self.strict_auth  # type: ignore[misc]
        if found["key"] != key:
            raise EmulatorError(
                "UnrecognizedClientException",
                "The access key id is not the one this emulator was started with "
                "(--strict-auth KEY:SECRET).",
                403,
            )
        signed = found["headers"].split(";")
        headers = {h: request.headers.get(h, "") for h in signed}
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        query = request.scope.get("query_string", b"").decode("latin-1")
        url = f"http://{headers.get('host', 'localhost')}{raw_path}" + (
            f"?{query}" if query else ""
        )
        aws_request = AWSRequest(method=request.method, url=url, headers=headers, data=body)
        aws_request.context["timestamp"] = request.headers.get("x-amz-date", "")
        signer = SigV4Auth(Credentials(key, secret), found["service"], found["region"])
        canonical = signer.canonical_request(aws_request)
        expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
        if not hmac.compare_digest(expected, found["signature"]):
            raise EmulatorError(
                "InvalidSignatureException",
                "The request signature does not match: check the secret key given to the "
                "client (this emulator runs with --strict-auth).",
                403,
            )

    async def _inject_faults(self) -> None:
        faults = self.faults
        if faults.latency_ms > 0:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.throttle_rate and self.rng.random() < faults.throttle_rate:
            raise EmulatorError(
                "TooManyRequestsException",
                "Rate exceeded (injected by the emulator's --throttle-rate).",
                LimitType="requests",
            )
        if faults.timeout_rate and self.rng.random() < faults.timeout_rate:
            raise EmulatorError(
                "GatewayTimeoutException",
                "Gateway timeout (injected by the emulator's --timeout-rate).",
            )

    @staticmethod
    def _parse_json(request: Request, body: bytes) -> Any:
        if not body.strip():
            return {}
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and content_type not in JSON_TYPES:
            raise EmulatorError(
                "UnsupportedMediaTypeException",
                f"Content-Type {content_type!r} is not accepted; send application/json.",
            )
        data = decode_body(body)
        if not isinstance(data, dict):
            raise EmulatorError(
                "BadRequestException", "The JSON body must be an object of request members."
            )
        return data

    async def handle(self, request: Request, request_id: str) -> Response:
        self.requests += 1
        body = await self._read_body(request)
        signing_service = self._check_auth(request, body)
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        found = match(request.method, raw_path.decode("latin-1"), signing_service)
        if found is None:
            raise EmulatorError(
                "UnknownOperationException",
                f"No AmplifyBackend or Amplify operation answers {request.method} "
                f"{request.url.path}.",
                404,
            )
        route, path_params = found
        if route.operation not in EMULATED[route.service]:
            raise EmulatorError(
                "BadRequestException",
                f"{route.service} {route.operation} is not emulated. The emulator serves "
                f"{', '.join(EMULATED[route.service])}.",
            )
        if route.service == "amplifybackend":
            await self._inject_faults()
        data = self._parse_json(request, body)
        query = parse_qs(request.url.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in request.headers.items()}
        params, unknown = parse_request(route, path_params, query, headers, data)
        check_storable(params)  # the query string and the path, as decoded, too
        problems = unknown_problems(unknown) + [
            f"{f.path}: {f.message}" for f in model_findings(params, route.operation, route.service)
        ]
        if problems:
            raise EmulatorError("BadRequestException", "Invalid request: " + " ".join(problems))
        self.backend.settle()
        from botocore import xform_name

        result = getattr(self.backend, xform_name(route.operation))(params)
        payload = serialize_response(route, result)
        return Response(
            json.dumps(payload),
            status_code=route.status,
            media_type="application/json",
            headers={"x-amzn-RequestId": request_id},
        )
