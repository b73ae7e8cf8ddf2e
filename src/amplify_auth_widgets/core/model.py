"""The AmplifyBackend service model, as a tree of field specs.

botocore ships the service model; everything in this package that knows a field (the form, the
validator, the skeletons, the CLI and the emulator) reads it from here. Nothing below lists the
members of ``ResourceConfig``: the tree is built by walking botocore's shapes, dispatching on the
shape's type name, the way botocore's own ``docs/shape.py`` does.

A ``FieldSpec`` carries what a shape and its parent say of one member: its name, its dotted path
in a request (``ResourceConfig.UserPoolConfigs.OAuth.RedirectSignInURIs``), its type, its enum
values, whether it is required, its documentation as plain text, whether the model calls it
deprecated, whether it holds a secret, and its wire name (``locationName``).

The model is loaded lazily, once, on first use; importing this module does no work.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape

#: The service this package speaks to (the AWS CLI's command for it is named the same).
SERVICE_NAME = "amplifybackend"
#: Where a request holds the user pool's settings: the rules, the Gen 2 mapping and the
#: editor's layout all address members below it.
UPC = "ResourceConfig.UserPoolConfigs"

#: The model flags whole structures as sensitive (a social provider, an email template); of
#: their members only these are credentials, masked in the UI and redacted in every export
#: (``secrets.py`` holds the policy built on them).
SECRET_MEMBERS = frozenset({"ClientSecret", "PrivateKey"})

#: What a secret's value becomes in every export; the validator refuses it as a value.
REDACTED = "<redacted>"


@dataclass(frozen=True)
class FieldSpec:
    """One member of a request or response shape, with everything the model says of it."""

    name: str
    path: str
    type: str
    shape_name: str
    required: bool = False
    enum: tuple[str, ...] = ()
    documentation: str = ""
    deprecated: bool = False
    sensitive: bool = False
    wire_name: str = ""
    location: str | None = None
    min: float | None = None
    max: float | None = None
    members: tuple[FieldSpec, ...] = field(default=(), repr=False)
    item: FieldSpec | None = field(default=None, repr=False)

    @property
    def is_structure(self) -> bool:
        return self.type == "structure"

    @property
    def is_list(self) -> bool:
        return self.type == "list"

    @functools.cached_property
    def _by_name(self) -> dict[str, FieldSpec]:
        return {m.name: m for m in self.members}

    def member(self, name: str) -> FieldSpec | None:
        """The member spec called ``name`` (structures only), or None."""
        return self._by_name.get(name)

    @property
    def member_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    def walk(self) -> Iterator[FieldSpec]:
        """This spec and every spec below it, depth first, in model order."""
        yield self
        for m in self.members:
            yield from m.walk()
        if self.item is not None:
            yield from self.item.walk()

    def find(self, path: str) -> FieldSpec | None:
        """The spec at a dotted path relative to this one (``[i]`` steps into list items)."""
        spec: FieldSpec | None = self
        for step in _split_path(path):
            if spec is None:
                return None
            spec = spec.item if step == "[]" else spec.member(step)
        return spec


def _split_path(path: str) -> list[str]:
    steps: list[str] = []
    for part in path.split(".") if path else []:
        name, _, rest = part.partition("[")
        if name:
            steps.append(name)
        steps.extend("[]" for _ in range(rest.count("]")))
    return steps


def join_path(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("p", "li", "br"):
            self.parts.append(" ")


def doc_text(documentation: str) -> str:
    """The model's HTML documentation as one line of plain text."""
    if not documentation:
        return ""
    parser = _TextExtractor()
    parser.feed(documentation)
    return re.sub(r"\s+", " ", html.unescape("".join(parser.parts))).strip()


@functools.cache
def service_model(service: str = SERVICE_NAME) -> ServiceModel:
    """botocore's model of ``service`` (AmplifyBackend by default), loaded once."""
    import botocore.session  # deferred: slow to import

    return botocore.session.get_session().get_service_model(service)


def operation_model(operation: str, service: str = SERVICE_NAME) -> OperationModel:
    model = service_model(service)
    if operation not in model.operation_names:
        known = ", ".join(model.operation_names)
        raise ValueError(f"{service} has no operation {operation!r}; it has: {known}")
    return model.operation_model(operation)


def spec_from_shape(
    shape: Shape,
    name: str,
    path: str,
    required: bool = False,
    _seen: tuple[str, ...] = (),
) -> FieldSpec:
    """Build the spec tree for one shape. ``_seen`` guards against recursive shapes."""
    documentation = doc_text(shape.documentation or "")
    common: dict[str, Any] = {
        "name": name,
        "path": path,
        "type": shape.type_name,
        "shape_name": shape.name,
        "required": required,
        "enum": tuple(getattr(shape, "enum", None) or ()),
        "documentation": documentation,
        "deprecated": "(DEPRECATED)" in documentation,
        "sensitive": name in SECRET_MEMBERS,
        "wire_name": shape.serialization.get("name", name),
        "location": shape.serialization.get("location"),
        "min": shape.metadata.get("min"),
        "max": shape.metadata.get("max"),
    }
    if shape.type_name == "structure" and shape.name not in _seen:
        required_names = set(shape.required_members)
        members = tuple(
            spec_from_shape(
                member_shape,
                member_name,
                join_path(path, member_name),
                member_name in required_names,
                (*_seen, shape.name),
            )
            for member_name, member_shape in shape.members.items()
        )
        return FieldSpec(**common, members=members)
    if shape.type_name == "list":
        item = spec_from_shape(shape.member, name, f"{path}[]", False, _seen)
        return FieldSpec(**common, item=item)
    return FieldSpec(**common)


@functools.cache
def request_spec(operation: str = "CreateBackendAuth", service: str = SERVICE_NAME) -> FieldSpec:
    """The spec tree of an operation's input shape; its root has an empty path."""
    shape = operation_model(operation, service).input_shape
    if shape is None:
        return FieldSpec(operation, "", "structure", f"{operation}Request", True)
    return spec_from_shape(shape, operation, "", True)


@functools.cache
def response_spec(operation: str = "CreateBackendAuth", service: str = SERVICE_NAME) -> FieldSpec:
    """The spec tree of an operation's output shape."""
    shape = operation_model(operation, service).output_shape
    if shape is None:
        return FieldSpec(operation, "", "structure", f"{operation}Response", True)
    return spec_from_shape(shape, operation, "", True)


def secret_paths(operation: str = "CreateBackendAuth") -> frozenset[str]:
    """Dotted paths of every secret member in an operation's request."""
    return frozenset(s.path for s in request_spec(operation).walk() if s.sensitive)
