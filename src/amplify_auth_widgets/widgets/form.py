"""The form: a tree of field widgets built from the field specs, some of them built later.

``WIDGET_RULES`` maps a spec to its widget class; it is the only place that decides which
control a member gets, and callers can extend it. Where members sit is ``layout.py``'s business.

A member of a section that is not open yet is a ``Deferred`` field: it holds its value and its
findings as plain data and builds its widgets only when its section is first opened (or when
code asks for the field), so that the first screen costs only what it shows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..core.findings import Finding
from ..core.model import FieldSpec
from .access import name
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
from .html import muted_html
from .labels import distinct_label, in_sentence, label_for
from .style import BORDER, NEST
from .targets import TARGET_CLASSES, ComboField

#: Columns of a section or a structure: two where the width allows (from ~620 px), else one.
GRID_COLUMNS = "repeat(auto-fill, minmax(min(100%, 280px), 1fr))"

#: Parts of the form that apply only under a condition: path -> (test on the request, reason).
CONDITIONS: dict[str, tuple[Callable[[dict[str, Any]], bool], str]] = {
    "ResourceConfig.IdentityPoolConfigs": (
        lambda request: (
            (c if isinstance(c := request.get("ResourceConfig"), dict) else {}).get("AuthResources")
            != "USER_POOL_ONLY"
        ),
        "Not used: What to create is User pool only (USER_POOL_ONLY). Choose User pool and "
        "identity pool to configure one.",
    ),
}

Rules = list[tuple[Callable[[FieldSpec], bool], type[Field]]]


def grid(children: list[w.Widget]) -> w.GridBox:
    return w.GridBox(
        children,
        layout=w.Layout(grid_template_columns=GRID_COLUMNS, grid_gap="4px 24px"),
    )


class Deferred:
    """A field whose widgets are not built yet: it keeps what it is given until ``build``."""

    def __init__(self, spec: FieldSpec, make: Callable[[], Field]) -> None:
        self.spec = spec
        self.path = spec.path
        self._make = make
        self.real: Field | None = None
        self._value: Any = MISSING
        self.findings: list[Finding] = []
        self._enabled: tuple[bool, str] = (True, "")

    def build(self) -> Field:
        if self.real is None:
            real = self._make()
            real.set(self._value)
            real.enable(*self._enabled)
            real.show(self.findings)
            self.real = real
        return self.real

    @property
    def built(self) -> bool:
        return self.real is not None

    @property
    def box(self) -> w.Widget:
        return self.build().box

    def get(self) -> Any:
        return self.real.get() if self.real is not None else self._value

    def set(self, value: Any) -> None:
        if self.real is not None:
            self.real.set(value)
        else:
            self._value = value

    def show(self, findings: list[Finding]) -> None:
        if self.real is not None:
            self.real.show(findings)
        else:
            self.findings = findings

    def enable(self, enabled: bool, reason: str = "") -> None:
        if self.real is not None:
            self.real.enable(enabled, reason)
        else:
            self._enabled = (enabled, reason)

    def offer(self, label: str | None, fix: Callable[[Any], Any] | None = None) -> None:
        if self.real is not None:
            self.real.offer(label, fix)

    def fields(self) -> list[Any]:
        return self.real.fields() if self.real is not None else [self]


class StructureField(Field):
    """An object: its members' fields, and a switch when the structure is optional.

    A switched-off structure is absent from the request; switched on, it holds the members
    that have values (and any member the model does not know, kept as it was given).
    """

    def __init__(
        self,
        spec: FieldSpec,
        on_change: Callable[[Field], None],
        rules: Rules,
        defer: Callable[[FieldSpec], bool] = lambda spec: False,
    ) -> None:
        self.children: list[Any] = [
            Deferred(m, functools.partial(build_field, m, on_change, rules))
            if defer(m)
            else build_field(m, on_change, rules, defer)
            for m in spec.members
        ]
        self.extra: dict[str, Any] = {}
        super().__init__(spec, on_change)
        self.body = grid([c.box for c in self.children if not isinstance(c, Deferred)])
        self.body.layout.padding = "0 0 0 16px"
        self.body.layout.border_left = f"2px solid {NEST}"
        self.reason = w.HTML()
        self.box.children = (*self.box.children, self.reason, self.body)
        self._show_body()

    def make_control(self) -> w.Widget:
        optional = not self.spec.required
        switch = w.Checkbox(
            value=not optional,
            indent=False,
            description=f"Include {in_sentence(distinct_label(self.spec))}" if optional else "",
            layout=w.Layout(width="auto"),
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
        self.reason.value = "" if enabled else muted_html(reason, "i")
        for child in self.children:
            child.enable(enabled)
        self.body.layout.opacity = "1" if enabled else "0.5"

    def fields(self) -> list[Any]:
        found: list[Any] = [self]
        for child in self.children:
            found += child.fields()
        return found


class ProviderCards(StructureField):
    """A set of optional structures (the social providers) as cards added and removed.

    Each member is a card (CSS ``aaw-provider-card`` and ``aaw-provider-<Name>``) with a Remove
    button (``aaw-provider-remove``); a dropdown (``aaw-provider-pick``) and an Add button
    (``aaw-provider-add``) add one of those not shown. Removing a card leaves the provider out
    of the request, as switching its structure off does; the set itself is in the request
    while it has a card.
    """

    def make_control(self) -> w.Widget:
        switch = super().make_control()
        switch.layout.display = "none"  # present while a card is: no switch of its own
        return switch

    def _show_body(self) -> None:
        if hasattr(self, "body"):
            self.body.layout.display = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick = w.Dropdown(layout=w.Layout(width="auto"))
        self.pick.add_class("aaw-provider-pick")
        name(self.pick, "Provider to add")
        self.add_button = w.Button(description="Add provider", icon="plus")
        self.add_button.add_class("aaw-provider-add")
        self.add_button.on_click(self._add_picked)
        for card in self.children:
            remove = w.Button(
                description=f"Remove {label_for(card.spec)}",
                icon="trash",
                layout=w.Layout(width="auto", align_self="flex-start"),
            )
            remove.add_class("aaw-provider-remove")
            remove.on_click(lambda _, card=card: self.remove(card.spec.name))
            card.control.layout.display = "none"  # the card's presence is its switch
            card.box.children = (card.box.children[0], remove, *card.box.children[1:])
            card.box.add_class("aaw-provider-card")
            card.box.add_class(f"aaw-provider-{card.spec.name}")
            card.box.layout.border = f"1px solid {BORDER}"
            card.box.layout.padding = "6px 10px"
            card.control.observe(lambda _: self._show_cards(), names="value")
        self.adder = w.HBox([self.pick, self.add_button])
        self.body.children = (self.adder, *self.body.children)
        self._show_cards()

    def card(self, name: str) -> StructureField:
        for card in self.children:
            if card.spec.name == name:
                return card
        raise KeyError(f"no provider {name!r}; there are: {', '.join(self.spec.member_names)}")

    def _add_picked(self, _button: Any = None) -> None:
        if self.pick.value:
            self.add(self.pick.value)

    def add(self, name: str) -> None:
        """Add the card for provider ``name`` (a member name: ``Google``), as a user would."""
        self.control.value = True
        self.card(name).control.value = True

    def remove(self, name: str) -> None:
        self.card(name).control.value = False
        if not self.shown:
            self.control.value = False

    @property
    def shown(self) -> list[str]:
        return [c.spec.name for c in self.children if c.control.value]

    def _show_cards(self) -> None:
        for card in self.children:
            card.box.layout.display = None if card.control.value else "none"
        missing = [(label_for(c.spec), c.spec.name) for c in self.children if not c.control.value]
        self.pick.options = missing
        self.pick.value = missing[0][1] if missing else None
        self.adder.layout.display = None if missing else "none"


def _is_enum_list(spec: FieldSpec) -> bool:
    return spec.is_list and spec.item is not None and bool(spec.item.enum)


def _is_card_set(spec: FieldSpec) -> bool:
    """An optional structure made only of optional structures: one card each (the social
    providers). A required one (Update's UserPoolConfigs) is a container, not a card set."""
    return (
        spec.is_structure
        and not spec.required
        and len(spec.members) > 1
        and all(m.is_structure and not m.required for m in spec.members)
    )


def _is_string_list(spec: FieldSpec) -> bool:
    return spec.is_list and spec.item is not None and spec.item.type == "string"


#: From spec to widget: the first rule that matches wins. Extend it to change a control.
WIDGET_RULES: Rules = [
    (lambda s: s.path in TARGET_CLASSES, ComboField),
    (_is_card_set, ProviderCards),
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
    rules: Rules | None = None,
    defer: Callable[[FieldSpec], bool] = lambda spec: False,
) -> Field:
    """The field for ``spec``; members for which ``defer`` is true become ``Deferred``."""
    rules = WIDGET_RULES if rules is None else rules
    for test, cls in rules:
        if test(spec):
            if issubclass(cls, StructureField):
                return cls(spec, on_change, rules, defer)
            return cls(spec, on_change)
    return JsonField(spec, on_change)
