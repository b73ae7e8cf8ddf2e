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
import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from ..core.model import (
    FieldSpec,
    join_path,
    operation_model,
    request_spec,
    response_spec,
    service_model,
    spec_from_shape,
)
from ..core.operations import emulated_operations

#: The services routed: those the emulator serves operations of (every operation of each has a
#: route, so that one not emulated is answered as such rather than as an unknown path).
SERVICES = tuple(emulated_operations())


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


@functools.cache
def error_spec(code: str, service: str) -> FieldSpec | None:
    """The model's shape of error ``code`` in ``service``, or None where it has none."""
    for shape in service_model(service).error_shapes:
        if shape.name == code:
            return spec_from_shape(shape, code, "")
    return None


def error_body(error: EmulatorError, service: str | None) -> dict[str, Any]:
    """An error's body by the same serializer as every response: the members of the error's
    shape in ``service`` (``ResourceType`` goes out as ``resourceType``; Amplify's
    NotFoundException has only ``message``, so that is all it gets), or just ``message`` for an
    error the model does not define (a missing signature, an unknown path)."""
    spec = error_spec(error.code, service) if service else None
    if spec is None:
        return {"message": error.message}
    values = dict(error.fields)
    for member in spec.members:
        if member.wire_name == "message":
            values[member.name] = _clip(error.message, member.max)
    return to_wire(values, spec)


def _clip(text: str, limit: float | None) -> str:
    """``text`` within the model's maximum length (Amplify's messages: 255 characters)."""
    if limit is None or len(text) <= limit:
        return text
    return text[: int(limit) - 1] + "…"


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
    method: str, raw_path: str, service_hint: str | None = None
) -> tuple[Route, dict[str, str]] | None:
    """The route for ``method raw_path`` (the path as sent, still percent-encoded), and its path
    parameters, each decoded once: ``a%2Fb`` is one parameter ``a/b``, never two segments."""
    candidates = []
    for route in _routes_by_method().get(method.upper(), ()):
        found = route.pattern.match(raw_path)
        if found:
            params = {k: _path_parameter(k, v) for k, v in found.groupdict().items()}
            candidates.append((route, params))
    if service_hint:
        hinted = [c for c in candidates if c[0].service == service_hint]
        candidates = hinted or candidates
    return candidates[0] if candidates else None


def _path_parameter(name: str, raw: str) -> str:
    try:
        return unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except UnicodeDecodeError:
        raise EmulatorError(
            "BadRequestException",
            f"The path parameter {name} is not UTF-8 text once its %-escapes are decoded.",
        ) from None


def allowed_methods(path: str) -> list[str]:
    return sorted({r.method for r in routes() if r.pattern.match(path)})


# -- parsing -------------------------------------------------------------------------------

#: Deeper than any request of either model (ResourceConfig's deepest member is 6 levels down).
MAX_DEPTH = 32
#: Integers beyond 64 bits fit no member of either model, nor SQLite.
MAX_INT = 2**63


def _reject_constant(name: str) -> Any:
    raise EmulatorError(
        "BadRequestException", f"{name} is not a JSON number; send a finite number."
    )


def _parse_int(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > 19 or abs(int(text)) >= MAX_INT:
        shown = text if len(text) <= 24 else f"{text[:12]}... ({len(digits)} digits)"
        raise EmulatorError(
            "BadRequestException",
            f"The number {shown} is out of range: numbers must fit in 64 bits.",
        )
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        shown = text if len(text) <= 24 else f"{text[:12]}... ({len(text)} characters)"
        raise EmulatorError(
            "BadRequestException", f"The number {shown} is out of range of a double."
        )
    return value


def decode_body(body: bytes) -> Any:
    """The JSON body as Python values, or a 400 naming what the emulator cannot take: not UTF-8,
    malformed, nested deeper than ``MAX_DEPTH``, a number out of range, or text that is not
    Unicode (a lone surrogate such as ``"\\ud800"``, valid JSON that no store can hold)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise EmulatorError("BadRequestException", "The body is not UTF-8 text.") from None
    try:
        data = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
        )
    except RecursionError:
        raise _too_deep() from None
    except json.JSONDecodeError as exc:
        raise EmulatorError(
            "BadRequestException",
            f"Malformed JSON body at line {exc.lineno}, column {exc.colno}: {exc.msg}.",
        ) from None
    except ValueError as exc:  # what the number parsers let through
        raise EmulatorError("BadRequestException", f"A number in the body is bad: {exc}.") from None
    # Decoded UTF-8 holds no surrogate, so only a \\uD800-\\uDFFF escape can bring one in, and
    # only that many brackets can nest that deep: most bodies need no walk at all.
    brackets = text.count("{") + text.count("[")
    if brackets >= MAX_DEPTH or _SURROGATE_ESCAPE.search(text):
        check_storable(data)
    return data


_SURROGATE_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F]")


def _too_deep() -> EmulatorError:
    return EmulatorError(
        "BadRequestException",
        f"The JSON body is nested too deep: at most {MAX_DEPTH} levels of objects and arrays.",
    )


def check_storable(data: Any, where: str = "") -> None:
    """Refuse (400) nesting past ``MAX_DEPTH`` and strings that are not Unicode, naming the
    wire path; iterative, so that no depth can exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(data, where, 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, path or "the body")
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            if isinstance(value, dict):
                for key, item in value.items():
                    child = f"{path}.{key}" if path else key
                    _check_text(key, child.encode("utf-8", "backslashreplace").decode())
                    stack.append((item, child, depth + 1))
            else:
                stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        shown = path.encode("utf-8", "backslashreplace").decode()
        bad = text[exc.start : exc.end].encode("unicode_escape").decode()
        raise EmulatorError(
            "BadRequestException",
            f"{shown} holds a lone surrogate ({bad}), which is not Unicode text and cannot be "
            "stored; send the character it stands for, or its pair.",
        ) from None


@dataclass
class Unknown:
    """A body member the model does not have where it was sent, by its path as sent."""

    path: str
    key: str
    hint: str


def from_wire(
    value: Any, spec: FieldSpec, unknown: list[Unknown] | None = None, path: str = ""
) -> Any:
    """A body value with wire names, as member names. A key that is no member's wire name here
    goes to ``unknown`` and is left out, even when it spells a member's name: ``ResourceName``
    is not ``resourceName``, and a path member (``appId``) is never read from a body."""
    if spec.is_structure and isinstance(value, dict):
        by_wire = {m.wire_name: m for m in spec.members if m.location is None}
        result: dict[str, Any] = {}
        for key, item in value.items():
            member = by_wire.get(key)
            if member is None:
                if unknown is not None:
                    unknown.append(Unknown(join_path(path, key), key, _unknown_hint(key, spec)))
            else:
                result[member.name] = from_wire(item, member, unknown, join_path(path, member.name))
        return result
    if spec.is_list and isinstance(value, list) and spec.item is not None:
        return [from_wire(v, spec.item, unknown, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def _unknown_hint(key: str, spec: FieldSpec) -> str:
    for member in spec.members:
        if key in (member.name, member.wire_name) or key.lower() == member.wire_name.lower():
            if member.location == "uri":
                return f"{member.wire_name} is taken from the request's path, never the body"
            if member.location:
                return f"{member.wire_name} is sent in the {member.location}, not the body"
            return f"the member is spelled {member.wire_name} in a body"
    names = ", ".join(m.wire_name for m in spec.members if m.location is None)
    return f"{spec.name or 'the request'} takes {names or 'no body members'}"


def unknown_problems(unknown: list[Unknown]) -> list[str]:
    return [f"{u.path}: unknown member {u.key!r}; {u.hint}." for u in unknown]


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
) -> tuple[dict[str, Any], list[Unknown]]:
    """The request as member names, from wherever the model puts each member (a path member
    only from the path, a body member only from the body), and the body's unknown members."""
    spec = request_spec(route.operation, route.service)
    unknown: list[Unknown] = []
    request: dict[str, Any] = from_wire(body if isinstance(body, dict) else {}, spec, unknown)
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
        elif member.location == "header" and member.wire_name.lower() in headers:
            request[member.name] = _scalar_from_text(headers[member.wire_name.lower()], member)
    return request, unknown


def shape_findings(request: dict[str, Any], operation: str, service: str) -> list[str]:
    """What the model says and ``validation.model_findings`` does not check: maps (their keys
    and values: ``tags``, ``environmentVariables``) and string patterns. Whatever is accepted
    here is echoed back in responses, which must be the model's shape too."""
    shape = operation_model(operation, service).input_shape
    problems: list[str] = []
    if shape is not None:
        _walk_shape(request, shape, "", problems)
    return problems


def _walk_shape(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            # Path, query and header members name what to look up, and are never stored: an id
            # that does not match is simply not found, as the tools that list apps expect.
            if name in value and not member.serialization.get("location"):
                _walk_shape(value[name], member, join_path(path, name), problems)
    elif kind == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            _walk_shape(item, shape.member, f"{path}[{i}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: must be an object of names to values.")
            return
        high = shape.metadata.get("max")
        if high is not None and len(value) > high:
            problems.append(f"{path}: takes at most {high} entries; it has {len(value)}.")
        for key, item in value.items():
            check_string(key, shape.key, f"{path} (key {key[:40]!r})", problems)
            if shape.value.type_name == "string":
                check_string(item, shape.value, f"{path}.{key}", problems)
            else:
                _walk_shape(item, shape.value, f"{path}.{key}", problems)
    elif kind == "string" and isinstance(value, str):
        _check_pattern(value, shape, path, problems)


def check_string(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    """Append to ``problems`` what is wrong with ``value`` as botocore string ``shape``."""
    if not isinstance(value, str):
        problems.append(f"{path}: must be a string, not {type(value).__name__}.")
        return
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        problems.append(f"{path}: takes {low or 0} to {high or 'any number of'} characters.")
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        problems.append(f"{path}: must be one of {', '.join(enum)}.")
    _check_pattern(value, shape, path, problems)


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.ASCII)  # the models' (Java's) \d, \w and \s are ASCII
    except re.error:  # Java-only syntax such as \p{L}: not checked
        return None


def _check_pattern(value: str, shape: Any, path: str, problems: list[str]) -> None:
    pattern = shape.metadata.get("pattern")
    compiled = _pattern(pattern) if pattern else None
    if compiled is not None and not compiled.search(value):
        problems.append(f"{path}: {value[:40]!r} does not match the pattern {pattern}.")


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
