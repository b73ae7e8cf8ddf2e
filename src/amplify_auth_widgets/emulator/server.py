"""The emulator's HTTP face: an ASGI application in front of ``Backend``.

Each request goes through the same steps: body size limit (413), SigV4 ``Authorization`` header
(403 without one; with ``strict_auth`` the signature is checked), the model's route (404 for an
unknown path, 400 for an operation that exists but is not emulated), injected faults (latency,
429, 504: AmplifyBackend only), content type and JSON (415, 400), model-level checks (400 naming
the path), then the backend. Whatever happens, the answer is a rest-json response whose body
``protocol`` serializes from the operation's output shape or the error's shape, in the model's
wire names; an exception that escapes the backend is logged and answered with a 500 that says
so, and the server lives on. A client that goes away before its body arrived is one log line.

``response_hooks`` are called with every response (service, operation, status, headers, body)
before it is sent: the contract tests check each body against the model there.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..validation import model_findings
from .auth import signing_service, verify
from .backend import Backend
from .protocol import (
    EmulatorError,
    decode_body,
    error_body,
    match,
    parse_request,
    serialize_response,
    shape_findings,
    unknown_problems,
)

log = logging.getLogger("amplify_auth_widgets.emulator")

MAX_BODY = 1024 * 1024
JSON_TYPES = ("application/json", "application/x-amz-json-1.1", "application/x-amz-json-1.0")
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
        self.response_hooks: list[Callable[[str | None, str | None, int, dict, bytes], None]] = []

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
        request.state.service = request.state.operation = None  # known once routed
        try:
            response = await self.handle(request, request_id)
        except ClientDisconnect:
            log.warning(
                "request %s: the client disconnected before its whole body arrived; "
                "nothing was done",
                request_id,
            )
            return
        except EmulatorError as exc:
            response = self.error_response(exc, request_id, request.state.service)
        except Exception:  # the server must never die of one request
            log.exception("request %s failed", request_id)
            response = self.error_response(
                EmulatorError(
                    "InternalFailureException",
                    f"The emulator failed on this request (id {request_id}); see its log.",
                    500,
                ),
                request_id,
                request.state.service,
            )
        for hook in self.response_hooks:
            hook(
                request.state.service,
                request.state.operation,
                response.status_code,
                dict(response.headers),
                bytes(response.body),
            )
        await response(scope, receive, send)

    @staticmethod
    def error_response(error: EmulatorError, request_id: str, service: str | None) -> Response:
        return Response(
            json.dumps(error_body(error, service)),
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

    def _check_auth(self, request: Request, body: bytes) -> str:
        service, found = signing_service(request.headers)
        request.state.service = service
        if self.strict_auth is not None:
            verify(
                found,
                request.method,
                request.scope.get("raw_path", b"").decode("latin-1") or request.url.path,
                request.scope.get("query_string", b"").decode("latin-1"),
                request.headers,
                body,
                self.strict_auth,
                self.backend.clock,
            )
        return service

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
        request.state.service, request.state.operation = route.service, route.operation
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
        problems = (
            unknown_problems(unknown)
            + [
                f"{f.path}: {f.message}"
                for f in model_findings(params, route.operation, route.service)
            ]
            + shape_findings(params, route.operation, route.service)
        )
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
