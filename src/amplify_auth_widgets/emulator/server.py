"""The emulator's HTTP face: an ASGI application in front of the emulated services' handlers
(``amplify.Amplify``, ``backend.Backend``), routed to by the service of each request's route.

Each request goes through the same steps: its ``Host`` (403 unless one of ``allowed_hosts``),
body size limit (413), SigV4 ``Authorization`` header (403 without one; with ``strict_auth`` the
signature and its scope are checked), the model's route (404 for an unknown path, 400 for an
operation that exists but is not emulated: what is comes from
``core.operations.emulated_operations()``), injected faults (latency, 429, 504: AmplifyBackend
only), content type and JSON (415, 400), model-level checks (400 naming the path), then the
route's service. Whatever happens, the answer is a rest-json response whose body ``protocol``
serializes from the operation's output shape or the error's shape, in the model's wire names;
an exception that escapes a service is logged and answered with a 500 that says so, and the
server lives on. A client that goes away before its body arrived is one log line.

Only requests for a local name are answered (``127.0.0.1``, ``localhost``, ``[::1]``, with or
without a port or a final dot, in any case): otherwise a web page of any site could read the
stored configurations, secrets included, by DNS rebinding (its own name resolving to 127.0.0.1
makes the emulator same-origin with it). The refusal is a 403 rather than 421 Misdirected
Request: clients do not retry a 403, and a 421 asks them to retry on another connection, which
reaches this same server. A request without ``Host`` (HTTP/1.0) is answered: browsers always
send one, so it cannot come from a web page. No CORS header is ever sent, so a page of another
origin cannot read an answer either.

Each request is served in one (account, region) pair (``store.Scope``): the account its access
key belongs to (``sts.Identities``), the region its signature is scoped to, which must be one of
``regions`` (403 otherwise, as AWS refuses a signature for another region); each pair holds
apps of its own. A request signed for ``sts`` is STS's, in the query protocol (``query``):
``GetCallerIdentity`` and ``AssumeRole``, which role profiles need.

``response_hooks`` are called with every response (service, operation, status, headers, body)
before it is sent: the contract tests check each body against the model there.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..client.connection import EMULATOR_REGION
from ..core.model import SERVICE_NAME
from ..core.operations import emulated_operations
from ..core.rules import MAX_REQUEST_BYTES as MAX_BODY
from ..core.validation import model_findings
from . import query
from .auth import check_region, signing_service, verify
from .common import ServiceBackend
from .protocol import (
    EmulatorError,
    Route,
    decode_body,
    error_body,
    match,
    parse_request,
    serialize_response,
    shape_findings,
    unknown_problems,
)
from .store import Scope, scoped
from .sts import Identities

log = logging.getLogger("amplify_auth_widgets.emulator")

JSON_TYPES = ("application/json", "application/x-amz-json-1.1", "application/x-amz-json-1.0")
#: The services whose requests get the injected faults: AmplifyBackend's, as its clients retry.
FAULTED_SERVICES = (SERVICE_NAME,)


#: The Host names answered by default: this machine's own.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_NAME = re.compile(r"\[[0-9a-f:.]+\]|[a-z0-9_-]+(\.[a-z0-9_-]+)*")


def host_name(value: str) -> str | None:
    """The name in a ``Host`` value, lower-case and without its port or final dot
    (``LocalHost.:4600`` is ``localhost``, ``[::1]:80`` is ``[::1]``); None if malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]") + 1
        name, rest = value[:end], value[end:] if end else ""
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    name = name.removesuffix(".")
    return name if _NAME.fullmatch(name) else None


def allowed_host_names(names: Iterable[str]) -> frozenset[str]:
    """``names`` as the Host names to answer besides the local ones: each a name or address,
    with or without a port (``::1`` may go unbracketed), or ``*`` for any name."""
    if isinstance(names, str):
        names = [names]
    allowed = set(LOCAL_HOSTS)
    for given in names:
        text = str(given).strip()
        if text == "*":
            allowed.add("*")
            continue
        if text.count(":") > 1 and not text.startswith("["):
            text = f"[{text}]"  # an IPv6 address as written without brackets
        name = host_name(text)
        if name is None:
            raise ValueError(
                f"allowed_hosts: {given!r} is not a host name or address; give a name like "
                "emulator.test or 192.168.1.5 (a port is ignored), or '*' to answer any Host."
            )
        allowed.add(name)
    return frozenset(allowed)


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
        services: Iterable[ServiceBackend],
        faults: Faults,
        rng: random.Random,
        clock: Callable[[], float],
        strict_auth: tuple[str, str] | None = None,
        allowed_hosts: frozenset[str] = frozenset(LOCAL_HOSTS),
        identities: Identities | None = None,
        regions: tuple[str, ...] = (EMULATOR_REGION,),
    ) -> None:
        #: What is served, by service: ``core.operations.emulated_operations()``.
        self.emulated: Mapping[str, tuple[str, ...]] = emulated_operations()
        #: Each service's handlers, by the botocore name of the service (``amplify``, ...).
        self.services: dict[str, ServiceBackend] = {s.service: s for s in services}
        missing = sorted(set(self.emulated) - set(self.services))
        if missing:
            raise ValueError(f"no handlers given for the emulated services {', '.join(missing)}")
        self.faults = faults
        self.clock = clock
        self.rng = rng
        self.strict_auth = strict_auth
        #: Whose each access key is, and the STS operations.
        self.identities = identities or Identities({}, strict_auth, clock, rng)
        #: The regions served, each with apps of its own.
        self.regions = regions
        #: Host names answered (see ``allowed_host_names``); ``*`` among them answers any.
        self.allowed_hosts = allowed_hosts
        self.requests = 0
        self.response_hooks: list[Callable[[str | None, str | None, int, dict, bytes], None]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        request_id = str(uuid.uuid4())
        response = await self._answer(request, request_id)
        if response is None:
            return
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
    async def _lifespan(receive: Any, send: Any) -> None:
        """Acknowledge startup and shutdown: the emulator has nothing to set up."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _answer(self, request: Request, request_id: str) -> Response | None:
        """The response to ``request``, an error's included; None for a client gone before
        its body arrived (nothing to answer)."""
        request.state.service = request.state.operation = None  # known once routed
        try:
            response = await self.handle(request, request_id)
        except ClientDisconnect:
            log.warning(
                "request %s: the client disconnected before its whole body arrived; "
                "nothing was done",
                request_id,
            )
            return None
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
        return response

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

    def _check_host(self, request: Request) -> None:
        if "*" in self.allowed_hosts:
            return
        for value in request.headers.getlist("host"):
            if host_name(value) not in self.allowed_hosts:
                shown = value[:80] + ("…" if len(value) > 80 else "")
                name = host_name(value) or "NAME"
                raise EmulatorError(
                    "HostNotAllowedException",
                    f"This emulator does not answer requests for Host {shown!r}: it answers "
                    f"{', '.join(sorted(self.allowed_hosts))} only, so that a web page cannot "
                    "read it through a name of its own (DNS rebinding). To answer this name, "
                    f"start it with --allow-host {name} (Emulator(allowed_hosts=[...]) in "
                    "Python), or --allow-host '*' for any name.",
                    403,
                )

    def _check_auth(
        self,
        request: Request,
        body: bytes,
        service: str,
        credential: re.Match[str],
        route_service: str | None,
    ) -> None:
        """With ``strict_auth``, the signature, made for the emulator's region and for the
        service the request's route belongs to (the signed one's when no route matches)."""
        if self.strict_auth is None:
            return
        if route_service is None:
            route_service = service if service in self.emulated else SERVICE_NAME
        verify(
            credential,
            request.method,
            request.scope.get("raw_path", b"").decode("latin-1") or request.url.path,
            request.scope.get("query_string", b"").decode("latin-1"),
            request.headers,
            body,
            self.identities.secret_of,
            self.clock,
            route_service,
            self.regions,
        )

    def _scope(self, request: Request, credential: re.Match[str]) -> Scope:
        """The (account, region) the request is served in: its key's account, its
        signature's region (one served, or 403)."""
        check_region(credential["region"], self.regions)
        token = request.headers.get("x-amz-security-token")
        return Scope(self.identities.account_of(credential["key"], token), credential["region"])

    def _answer_sts(
        self, request: Request, body: bytes, credential: re.Match[str], request_id: str
    ) -> Response:
        """An STS request, answered (errors too) in the query protocol's XML."""
        request.state.service = "sts"
        try:
            self._check_auth(request, body, "sts", credential, "sts")
            account = self._scope(request, credential).account
            form = query.read_form(body, request.url.query)
            operation, params = query.parse(form, "sts")
            request.state.operation = operation
            result = self.identities.call(operation, params, credential["key"], account)
            content, status = query.answer("sts", operation, result, request_id), 200
        except EmulatorError as exc:
            content, status = query.error_answer("sts", exc, request_id), exc.status
        return Response(
            content,
            status_code=status,
            media_type="text/xml",
            headers={"x-amzn-RequestId": request_id},
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
        """Check, route, read and answer one request; an ``EmulatorError`` is its answer."""
        self.requests += 1
        self._check_host(request)
        body = await self._read_body(request)
        service, credential = signing_service(request.headers)
        if service == "sts":
            return self._answer_sts(request, body, credential, request_id)
        route, path_params = self._route(request, body)
        pair = self._scope(request, credential)
        if route.service in FAULTED_SERVICES:
            await self._inject_faults()
        params = self._read_params(request, route, path_params, body)
        with scoped(*pair):
            result = self._dispatch(route, params)
        return Response(
            json.dumps(serialize_response(route, result)),
            status_code=route.status,
            media_type="application/json",
            headers={"x-amzn-RequestId": request_id},
        )

    def _route(self, request: Request, body: bytes) -> tuple[Route, dict[str, str]]:
        """The emulated operation the request is for, and its path parameters: after the
        signature (403), an unknown path (404) or an operation not emulated (400)."""
        service, credential = signing_service(request.headers)
        # errors take the shapes of the signed service's model: only for one of ours
        request.state.service = service if service in self.emulated else None
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        bad_path: EmulatorError | None = None
        try:
            found = match(request.method, raw_path.decode("latin-1"), service)
        except EmulatorError as exc:  # said once the signature is known good
            found, bad_path = None, exc
        self._check_auth(request, body, service, credential, found[0].service if found else None)
        if bad_path is not None:
            raise bad_path
        if found is None:
            raise EmulatorError(
                "UnknownOperationException",
                f"No AmplifyBackend or Amplify operation answers {request.method} "
                f"{request.url.path}.",
                404,
            )
        route = found[0]
        request.state.service, request.state.operation = route.service, route.operation
        served = self.emulated[route.service]
        if route.operation not in served:
            raise EmulatorError(
                "BadRequestException",
                f"{route.service} {route.operation} is not emulated. The emulator serves "
                f"{', '.join(served)}.",
            )
        return found

    def _read_params(
        self, request: Request, route: Route, path_params: dict[str, str], body: bytes
    ) -> dict[str, Any]:
        """The request as member names, from its path, query, headers and JSON body; a 400
        naming every member the model refuses."""
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
        return params

    def _dispatch(self, route: Route, params: dict[str, Any]) -> dict[str, Any]:
        """Settle what is due in every service (a job of one changes what another lists), then
        call the route's service's handler: the operation's name in snake_case."""
        from botocore import xform_name

        for service in self.services.values():
            service.settle()
        handler = getattr(self.services[route.service], xform_name(route.operation))
        result: dict[str, Any] = handler(params)
        return result
