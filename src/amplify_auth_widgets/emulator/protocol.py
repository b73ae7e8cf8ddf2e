"""The emulator's wire protocol, driven by botocore's models: routes, parsing, serialization.

Nothing here is written per operation. Routes come from each operation's ``http.requestUri`` and
method; a request is parsed member by member from where the model puts it (URI, query string,
header, or the JSON body under its wire name such as ``resourceConfig`` or ``client_id``); a
response is serialized from member names to wire names along the output shape; errors are
rest-json error responses whose ``x-amzn-ErrorType`` and HTTP status are the modeled ones, so
that botocore raises the modeled exception classes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..model import FieldSpec, operation_model, request_spec, response_spec, service_model

SERVICES = ("amplifybackend", "amplify")


class EmulatorError(Exception):
    """An error response: a modeled error code, its HTTP status, and a message."""

    def __init__(self, code: str, message: str, status: int | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS.get(code, 400)
        self.fields = fields


_STATUS = {
    "BadRequestException": 400,
    "UnauthorizedException": 401,
    "AccessDeniedException": 403,
    "MissingAuthenticationTokenException": 403,
    "InvalidSignatureException": 403,
    "NotFoundException": 404,
    "UnknownOperationException": 404,
    "RequestEntityTooLargeException": 413,
    "UnsupportedMediaTypeException": 415,
    "TooManyRequestsException": 429,
    "LimitExceededException": 429,
    "InternalFailureException": 500,
    "GatewayTimeoutException": 504,
}


def error_body(error: EmulatorError) -> dict[str, Any]:
    body: dict[str, Any] = {"message": error.message}
    body.update(error.fields)
    return body


@dataclass(frozen=True)
class Route:
    service: str
    operation: str
    method: str
    pattern: re.Pattern[str]
    literal_length: int
    status: int


def _compile(uri: str) -> tuple[re.Pattern[str], int]:
    path = uri.split("?", 1)[0]
    regex = ""
    literal = 0
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            name = part[1:-1]
            greedy = name.endswith("+")
            name = name.rstrip("+")
            regex += f"(?P<{name}>.+)" if greedy else f"(?P<{name}>[^/]+)"
        else:
            regex += re.escape(part)
            literal += len(part)
    return re.compile(f"^{regex}/?$"), literal


@functools.cache
def routes() -> tuple[Route, ...]:
    found: list[Route] = []
    for service in SERVICES:
        model = service_model(service)
        for name in model.operation_names:
            http = model.operation_model(name).http
            pattern, literal = _compile(http["requestUri"])
            found.append(
                Route(
                    service, name, http["method"], pattern, literal, http.get("responseCode", 200)
                )
            )
    # The most literal route wins, as in API Gateway: `/backend/{appId}/details` before
    # `/backend/{appId}/auth`'s variables.
    found.sort(key=lambda r: -r.literal_length)
    return tuple(found)


@functools.cache
def _routes_by_method() -> dict[str, tuple[Route, ...]]:
    by_method: dict[str, list[Route]] = {}
    for route in routes():
        by_method.setdefault(route.method, []).append(route)
    return {k: tuple(v) for k, v in by_method.items()}


def match(
    method: str, path: str, service_hint: str | None = None
) -> tuple[Route, dict[str, str]] | None:
    """The route for ``method path``, and its path parameters (URL-decoded)."""
    candidates = []
    for route in _routes_by_method().get(method.upper(), ()):
        found = route.pattern.match(path)
        if found:
            params = {k: unquote(v) for k, v in found.groupdict().items()}
            candidates.append((route, params))
    if service_hint:
        hinted = [c for c in candidates if c[0].service == service_hint]
        candidates = hinted or candidates
    return candidates[0] if candidates else None


def allowed_methods(path: str) -> list[str]:
    return sorted({r.method for r in routes() if r.pattern.match(path)})


# -- parsing -------------------------------------------------------------------------------


def from_wire(value: Any, spec: FieldSpec) -> Any:
    """A body value with wire names, as member names; unknown keys are kept (as model.unknown)."""
    if spec.is_structure and isinstance(value, dict):
        by_wire = {m.wire_name: m for m in spec.members}
        result: dict[str, Any] = {}
        for key, item in value.items():
            member = by_wire.get(key)
            if member is None:
                result[key] = item
            else:
                result[member.name] = from_wire(item, member)
        return result
    if spec.is_list and isinstance(value, list) and spec.item is not None:
        return [from_wire(v, spec.item) for v in value]
    return value


def _scalar_from_text(text: str, spec: FieldSpec) -> Any:
    if spec.type in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            return text  # reported as a model.type error
    if spec.type == "boolean":
        return {"true": True, "false": False}.get(text.lower(), text)
    if spec.type in ("double", "float"):
        try:
            return float(text)
        except ValueError:
            return text
    return text


def parse_request(
    route: Route,
    path_params: dict[str, str],
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: Any,
) -> dict[str, Any]:
    """The request as member names, from wherever the model puts each member."""
    spec = request_spec(route.operation, route.service)
    request: dict[str, Any] = {}
    body_members: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
    for member in spec.members:
        if member.location == "uri":
            if member.wire_name in path_params:
                request[member.name] = path_params[member.wire_name]
        elif member.location == "querystring":
            values = query.get(member.wire_name)
            if values:
                if member.is_list and member.item is not None:
                    request[member.name] = [_scalar_from_text(v, member.item) for v in values]
                else:
                    request[member.name] = _scalar_from_text(values[-1], member)
        elif member.location == "header":
            if member.wire_name.lower() in headers:
                request[member.name] = _scalar_from_text(headers[member.wire_name.lower()], member)
        elif member.wire_name in body_members:
            request[member.name] = from_wire(body_members.pop(member.wire_name), member)
    request.update(body_members)  # what is left is unknown to the model
    return request


# -- serialization -------------------------------------------------------------------------


def to_wire(value: Any, spec: FieldSpec) -> Any:
    if value is None:
        return None
    if spec.is_structure and isinstance(value, dict):
        out = {}
        for member in spec.members:
            if member.name in value and value[member.name] is not None:
                out[member.wire_name] = to_wire(value[member.name], member)
        return out
    if spec.is_list and isinstance(value, list) and spec.item is not None:
        return [to_wire(v, spec.item) for v in value]
    if spec.type == "timestamp":
        if isinstance(value, dt.datetime):
            return value.timestamp()
        return value
    return value


def serialize_response(route: Route, response: dict[str, Any]) -> dict[str, Any]:
    spec = response_spec(route.operation, route.service)
    body = to_wire(response, spec)
    return body if isinstance(body, dict) else {}


def operation_doc(operation: str, service: str) -> str:
    return operation_model(operation, service).documentation or ""
