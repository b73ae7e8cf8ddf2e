"""Check a response body against the model, as the wire carries it: what a real client may rely on.

``response_problems`` takes one response (service, operation, status, headers, body) and returns
what is wrong with it, each problem naming its path: for a success, the operation's output
shape; for an error, the shape of the error named by ``x-amzn-ErrorType`` in that service, or
``{"message": ...}`` alone for an error the model does not define. Checked recursively: wire
names (``locationName``), unknown keys, types, enums, min/max (lengths and values), patterns,
required members. It reads botocore's shapes directly, maps included, and knows nothing of the
emulator, so that it cannot share the emulator's mistakes.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from amplify_auth_widgets.core.model import service_model


def response_problems(
    service: str | None, operation: str | None, status: int, headers: dict, body: bytes
) -> list[str]:
    where = f"{service} {operation} {status}"
    try:
        value = json.loads(body) if body else {}
    except ValueError:
        return [f"{where}: the body is not JSON: {body[:80]!r}"]
    if status < 400:
        if service is None or operation is None:
            return [f"{where}: a success for no operation"]
        shape = service_model(service).operation_model(operation).output_shape
        return [f"{where}: {p}" for p in shape_problems(value, shape)] if shape else []
    code = {k.lower(): v for k, v in headers.items()}.get("x-amzn-errortype", "")
    error_shapes = {s.name: s for s in service_model(service).error_shapes} if service else {}
    if code in error_shapes:
        return [f"{where} {code}: {p}" for p in shape_problems(value, error_shapes[code])]
    if not (isinstance(value, dict) and set(value) == {"message"}):
        return [f"{where} {code}: an error the model does not define carries only message"]
    return [] if isinstance(value["message"], str) else [f"{where}: message is not a string"]


def shape_problems(value: Any, shape: Any, path: str = "") -> list[str]:
    """What is wrong with ``value`` as the wire form of botocore ``shape``."""
    problems: list[str] = []
    _check(value, shape, path or "(body)", problems)
    return problems


def _check(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    checker = _CHECKS.get(kind)
    if checker is None:
        problems.append(f"{path}: the checker does not know type {kind}")
        return
    checker(value, shape, path, problems)


def _structure(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: a structure ({shape.name}) expected, got {type(value).__name__}")
        return
    body_members = {
        member.serialization.get("name", name): (name, member)
        for name, member in shape.members.items()
        if member.serialization.get("location") in (None, "")
    }
    for key, item in value.items():
        if key not in body_members:
            spelled = [w for w, (n, _) in body_members.items() if n == key]
            hint = f" (the wire name is {spelled[0]})" if spelled else ""
            problems.append(f"{path}.{key}: not a member of {shape.name}{hint}")
            continue
        name, member = body_members[key]
        _check(item, member, f"{path}.{key}", problems)
    for name in shape.required_members:
        member = shape.members[name]
        if member.serialization.get("location") not in (None, ""):
            continue
        if member.serialization.get("name", name) not in value:
            problems.append(f"{path}: required {member.serialization.get('name', name)} missing")


def _list(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append(f"{path}: a list expected, got {type(value).__name__}")
        return
    _range(len(value), shape, path, problems, "items")
    for i, item in enumerate(value):
        _check(item, shape.member, f"{path}[{i}]", problems)


def _map(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: a map expected, got {type(value).__name__}")
        return
    _range(len(value), shape, path, problems, "entries")
    for key, item in value.items():
        _check(key, shape.key, f"{path}<key {key!r}>", problems)
        _check(item, shape.value, f"{path}.{key}", problems)


def _string(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"{path}: a string expected, got {type(value).__name__}")
        return
    enum = getattr(shape, "enum", None) or []
    if enum and value not in enum:
        problems.append(f"{path}: {value!r} is not one of {', '.join(enum)}")
    _range(len(value), shape, path, problems, "characters")
    pattern = shape.metadata.get("pattern")
    if pattern:
        try:
            compiled = re.compile(pattern)
        except re.error:
            return  # a pattern in a syntax Python does not read: not checked
        if not compiled.search(value):  # model patterns are not anchored (ECMAScript style)
            problems.append(f"{path}: {value[:40]!r} does not match {pattern}")


def _boolean(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, bool):
        problems.append(f"{path}: a boolean expected, got {type(value).__name__}")


def _integer(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{path}: an integer expected, got {type(value).__name__}")
        return
    _range(value, shape, path, problems, "")


def _number(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{path}: a finite number expected, got {value!r}")
        return
    _range(value, shape, path, problems, "")


def _timestamp(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    # rest-json bodies carry timestamps as epoch seconds unless the shape says otherwise.
    if shape.serialization.get("timestampFormat") not in (None, "unixTimestamp"):
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{path}: an epoch-seconds timestamp expected, got {value!r}")


def _range(size: float, shape: Any, path: str, problems: list[str], unit: str) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        problems.append(f"{path}: {size} {unit} is under the minimum {low}".replace("  ", " "))
    if high is not None and size > high:
        problems.append(f"{path}: {size} {unit} is over the maximum {high}".replace("  ", " "))


_CHECKS = {
    "structure": _structure,
    "list": _list,
    "map": _map,
    "string": _string,
    "boolean": _boolean,
    "integer": _integer,
    "long": _integer,
    "double": _number,
    "float": _number,
    "timestamp": _timestamp,
}
