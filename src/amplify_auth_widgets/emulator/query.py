"""The AWS query protocol, as STS speaks it, driven by botocore's model like ``protocol``.

A request is a form-encoded POST (``Action=AssumeRole&Version=2011-06-15&RoleArn=...``) whose
members are read by the operation's input shape: a structure's member as ``Name.Member``, a
list's items as ``Name.member.1``, ``Name.member.2`` (``Name.1`` when flattened), scalars as
text turned into the member's type. An answer is XML built along the output shape, inside
``<{Operation}Response>`` and the shape's ``resultWrapper``, with the request id in
``ResponseMetadata``; an error is ``<ErrorResponse><Error>`` with its type, code and message,
which botocore raises as the modeled exception. Nothing here is written per operation.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import parse_qsl

from ..core.model import operation_model, service_model
from ..core.validation import model_findings
from .protocol import EmulatorError

#: The query protocol's version parameter each served service expects.
VERSIONS = {"sts": "2011-06-15"}
#: The form parameters every request carries besides its members.
ENVELOPE = ("Action", "Version")


def read_form(body: bytes, query: str) -> dict[str, str]:
    """The request's parameters, from its query string and form body (the body's win), each
    name once; a body that is not UTF-8 or a name sent twice is a 400."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise EmulatorError("InvalidParameterValue", "The body is not UTF-8 text.") from None
    form: dict[str, str] = {}
    for source in (query, text):
        seen: set[str] = set()
        for name, value in parse_qsl(source, keep_blank_values=True):
            if name in seen:
                raise EmulatorError(
                    "InvalidParameterValue", f"The parameter {name[:60]!r} is given twice."
                )
            seen.add(name)
            form[name] = value
    return form


def _scalar(text: str, shape: Any, name: str) -> Any:
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
    except ValueError:
        raise EmulatorError(
            "InvalidParameterValue", f"{name[:80]}: {text[:40]!r} is not a number."
        ) from None
    if kind == "boolean":
        return text.lower() == "true"
    return text


def _read(form: dict[str, str], shape: Any, key: str, used: set[str]) -> Any:
    """The value of ``shape`` at ``key`` in the form (None: not given)."""
    kind = shape.type_name
    if kind == "structure":
        found: dict[str, Any] = {}
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            value = _read(form, member, f"{key}.{wire}" if key else wire, used)
            if value is not None:
                found[name] = value
        return found if found or not key else None
    if kind == "list":
        if key in form and form[key] == "":  # an empty list is sent as its bare name
            used.add(key)
            return []
        item = shape.member.serialization.get("name", "member")
        base = key if shape.serialization.get("flattened") else f"{key}.{item}"
        items: list[Any] = []
        while (value := _read(form, shape.member, f"{base}.{len(items) + 1}", used)) is not None:
            items.append(value)
        return items or None
    if kind == "map":
        return None  # no served operation takes one
    if key in form:
        used.add(key)
        return _scalar(form[key], shape, key)
    return None


def parse(form: dict[str, str], service: str) -> tuple[str, dict[str, Any]]:
    """The operation a request names and its members; a 400 naming every problem the model
    finds (an unknown action or parameter, a missing or out-of-range member)."""
    action = form.get("Action", "")
    model = service_model(service)
    if action not in model.operation_names:
        raise EmulatorError(
            "InvalidAction",
            f"Could not find operation {action[:60]!r} for version "
            f"{form.get('Version', '')[:20]!r}.",
        )
    version = form.get("Version")
    if version != VERSIONS[service]:
        raise EmulatorError(
            "InvalidParameterValue",
            f"Version must be {VERSIONS[service]} for {service}, not {str(version)[:20]!r}.",
        )
    shape = operation_model(action, service).input_shape
    used: set[str] = set(ENVELOPE)
    request = _read(form, shape, "", used) if shape is not None else {}
    unknown = sorted(set(form) - used)
    problems = [f"{name[:60]}: unknown parameter of {action}." for name in unknown[:5]]
    problems += [f"{f.path}: {f.message}" for f in model_findings(request, action, service)]
    if problems:
        raise EmulatorError("ValidationError", " ".join(problems))
    return action, request


def _text(value: Any, shape: Any) -> str:
    if shape.type_name == "timestamp":
        if isinstance(value, int | float):
            value = dt.datetime.fromtimestamp(value, dt.UTC)
        return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if shape.type_name == "boolean":
        return "true" if value else "false"
    return str(value)


def _write(parent: ET.Element, value: Any, shape: Any) -> None:
    """``value`` under ``parent`` along ``shape`` (members left None are left out)."""
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            if value.get(name) is not None:
                child = ET.SubElement(parent, member.serialization.get("name", name))
                _write(child, value[name], member)
    elif shape.type_name == "list":
        item = shape.member.serialization.get("name", "member")
        for entry in value:
            _write(ET.SubElement(parent, item), entry, shape.member)
    else:
        parent.text = _text(value, shape)


def answer(service: str, operation: str, result: dict[str, Any], request_id: str) -> bytes:
    """The XML answer of ``operation`` with ``result`` (member names)."""
    namespace = service_model(service).metadata.get("xmlNamespace", "")
    root = ET.Element(f"{operation}Response", xmlns=namespace)
    shape = operation_model(operation, service).output_shape
    if shape is not None:
        name = shape.serialization.get("resultWrapper", f"{operation}Result")
        wrapper = ET.SubElement(root, name)
        _write(wrapper, result, shape)
    metadata = ET.SubElement(root, "ResponseMetadata")
    ET.SubElement(metadata, "RequestId").text = request_id
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=False))


def error_answer(service: str, error: EmulatorError, request_id: str) -> bytes:
    """An error as the query protocol sends it: ``Sender`` for a 4xx, ``Receiver`` otherwise."""
    namespace = service_model(service).metadata.get("xmlNamespace", "")
    root = ET.Element("ErrorResponse", xmlns=namespace)
    body = ET.SubElement(root, "Error")
    ET.SubElement(body, "Type").text = "Sender" if error.status < 500 else "Receiver"
    ET.SubElement(body, "Code").text = error.code
    ET.SubElement(body, "Message").text = error.message
    ET.SubElement(root, "RequestId").text = request_id
    return bytes(ET.tostring(root, encoding="utf-8"))
