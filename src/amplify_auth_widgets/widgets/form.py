"""The form: a tree of field widgets built from the field specs, laid out in sections.

``WIDGET_RULES`` maps a spec to its widget class; it is the only place that decides which
control a member gets, and callers can extend it. ``SECTIONS`` only says where members sit and
in what order; a member the table does not place (a member new to the model) still gets its
widget, in the "Other settings" section, so the form follows the model without code changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..model import FieldSpec
from .fields import (
    MISSING,
    BoolField,
    EnumField,
    EnumListField,
    Field,
    JsonField,
    NumberField,
    SecretField,
    StringListField,
    TextField,
)

UPC = "ResourceConfig.UserPoolConfigs"

#: (title, member paths in order, folded at first). Layout only: no type, no enum, no rule.
SECTIONS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Target", ("AppId", "BackendEnvironmentName", "ResourceName"), False),
    (
        "Resources and identity pool",
        (
            "ResourceConfig.AuthResources",
            "ResourceConfig.Service",
            "ResourceConfig.IdentityPoolConfigs",
        ),
        False,
    ),
    (
        "Sign-in and sign-up attributes",
        (f"{UPC}.UserPoolName", f"{UPC}.SignInMethod", f"{UPC}.RequiredSignUpAttributes"),
        False,
    ),
    ("Password policy", (f"{UPC}.PasswordPolicy",), False),
    ("MFA", (f"{UPC}.Mfa",), False),
    ("Verification message", (f"{UPC}.VerificationMessage",), False),
    ("OAuth and social providers", (f"{UPC}.OAuth",), False),
    ("Forgot password (deprecated)", (f"{UPC}.ForgotPassword",), True),
)

#: Parts of the form that apply only under a condition: path -> (test on the request, reason).
CONDITIONS: dict[str, tuple[Callable[[dict[str, Any]], bool], str]] = {
    "ResourceConfig.IdentityPoolConfigs": (
        lambda request: (
            (request.get("ResourceConfig") or {}).get("AuthResources") != "USER_POOL_ONLY"
        ),
        "Not used: AuthResources is USER_POOL_ONLY. Choose IDENTITY_POOL_AND_USER_POOL to "
        "configure an identity pool.",
    ),
}


class StructureField(Field):
    """An object: its members' fields, and a switch when the structure is optional.

    A switched-off structure is absent from the request; switched on, it holds the members
    that have values (and any member the model does not know, kept as it was given).
    """

    def __init__(
        self,
        spec: FieldSpec,
        on_change: Callable[[Field], None],
        rules: list[tuple[Callable[[FieldSpec], bool], type[Field]]],
    ) -> None:
        self.children = [build_field(m, on_change, rules) for m in spec.members]
        self.extra: dict[str, Any] = {}
        super().__init__(spec, on_change)
        self.body = w.VBox([c.box for c in self.children], layout=w.Layout(margin="0 0 0 24px"))
        self.reason = w.HTML()
        self.box.children = (*self.box.children, self.reason, self.body)
        self._show_body()

    def make_control(self) -> w.Widget:
        optional = not self.spec.required
        switch = w.Checkbox(
            value=not optional,
            indent=False,
            description=f"use {self.spec.name}" if optional else "",
        )
        switch.layout.display = None if optional else "none"
        return switch

    def _on_control(self, change: Any) -> None:
        self._show_body()
        super()._on_control(change)

    def _show_body(self) -> None:
        if hasattr(self, "body"):
            self.body.layout.display = None if self.control.value else "none"

    def read(self) -> Any:
        if not self.control.value:
            return MISSING
        value = dict(self.extra)
        for child in self.children:
            child_value = child.get()
            if child_value is not MISSING:
                value[child.spec.name] = child_value
        return value

    def write(self, value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        self.control.value = True
        self._show_body()
        names = set(self.spec.member_names)
        self.extra = {k: v for k, v in value.items() if k not in names}
        for child in self.children:
            child.set(value.get(child.spec.name, MISSING))
        return True

    def clear(self) -> None:
        self.extra = {}
        self.control.value = self.spec.required
        self._show_body()
        for child in self.children:
            child.set(MISSING)

    def enable(self, enabled: bool, reason: str = "") -> None:
        self.control.disabled = not enabled
        self.reason.value = "" if enabled else f'<i style="color:#666">{reason}</i>'
        for child in self.children:
            child.enable(enabled)
        self.body.layout.opacity = "1" if enabled else "0.5"

    def fields(self) -> list[Field]:
        found: list[Field] = [self]
        for child in self.children:
            found += child.fields()
        return found


def _is_enum_list(spec: FieldSpec) -> bool:
    return spec.is_list and spec.item is not None and bool(spec.item.enum)


def _is_string_list(spec: FieldSpec) -> bool:
    return spec.is_list and spec.item is not None and spec.item.type == "string"


#: From spec to widget: the first rule that matches wins. Extend it to change a control.
WIDGET_RULES: list[tuple[Callable[[FieldSpec], bool], type[Field]]] = [
    (lambda s: s.is_structure, StructureField),
    (_is_enum_list, EnumListField),
    (_is_string_list, StringListField),
    (lambda s: s.type == "string" and bool(s.enum), EnumField),
    (lambda s: s.type == "string" and s.sensitive, SecretField),
    (lambda s: s.type == "string", TextField),
    (lambda s: s.type == "boolean", BoolField),
    (lambda s: s.type in ("double", "float", "integer", "long"), NumberField),
]


def build_field(
    spec: FieldSpec,
    on_change: Callable[[Field], None],
    rules: list[tuple[Callable[[FieldSpec], bool], type[Field]]] | None = None,
) -> Field:
    rules = WIDGET_RULES if rules is None else rules
    for test, cls in rules:
        if test(spec):
            if cls is StructureField:
                return StructureField(spec, on_change, rules)
            return cls(spec, on_change)
    return JsonField(spec, on_change)


def lay_out(root: StructureField) -> list[tuple[str, list[w.Widget], bool]]:
    """The sections, each with the boxes of the fields it shows.

    A required structure (``ResourceConfig``, ``UserPoolConfigs``) is a container only: its
    members are placed one by one. Whatever no section names lands in "Other settings".
    """
    by_path = {f.path: f for f in root.fields()}
    placed: set[str] = set()
    sections: list[tuple[str, list[w.Widget], bool]] = []
    for title, paths, folded in SECTIONS:
        boxes = [by_path[p].box for p in paths if p in by_path]
        placed.update(p for p in paths if p in by_path)
        if boxes:
            sections.append((title, boxes, folded))
    other: list[w.Widget] = []

    def collect(field: Field) -> None:
        if field.path in placed:
            return
        if isinstance(field, StructureField) and (field.spec.required or field is root):
            for child in field.children:
                collect(child)
        elif field is not root:
            other.append(field.box)

    collect(root)
    if other:
        sections.append(("Other settings", other, False))
    return sections
