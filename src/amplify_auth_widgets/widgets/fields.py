"""Field widgets, made from field specs by one rule table (``WIDGET_RULES``).

Every field has the same small interface: ``get()`` gives its request value (or ``MISSING``
when nothing is set, so that nothing the user did not choose is sent), ``set(value)`` fills it,
``show(findings)`` renders its own findings under it, ``enable(flag, reason)`` greys it out.

A control cannot always show what it is given: ``"FOO"`` for an enum, ``"8"`` for a number,
a list with a value outside its enum. Such a value is never dropped or changed: a dropdown or a
tags input gains it as an extra, marked choice; any other control keeps it as a *held* value,
shown in a note, and returned by ``get()`` until the user edits the control.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..model import FieldSpec
from ..validation import Finding
from .html import escape

MISSING: Any = type(
    "Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda s: False}
)()

#: Bounds that Cognito sets and the model lacks (docs/rules.md, cognito.password-length).
WHOLE_NUMBER_BOUNDS = {"MinimumLength": (6, 99)}

_FINDING_STYLE = {
    "error": "color:#b00020",
    "warning": "color:#8a5a00",
}


def render_findings(findings: list[Finding]) -> str:
    items = "".join(
        f'<div style="{_FINDING_STYLE[f.severity]}">{"&#x2716;" if f.is_error else "&#x26A0;"} '
        f"{escape(f.message)} <code>{f.code}</code></div>"
        for f in findings
    )
    return f'<div class="aaw-findings">{items}</div>' if items else ""


class Field:
    """Base class: a labelled control with an inline findings area."""

    def __init__(self, spec: FieldSpec, on_change: Callable[[Field], None]) -> None:
        self.spec = spec
        self.path = spec.path
        self._notify = on_change
        self._held: Any = MISSING
        self._writing = False
        self.findings: list[Finding] = []
        self.control = self.make_control()
        # A box's view cannot take a tooltip (its front end fails to render): composite
        # controls put it on their parts.
        for part in self.tooltip_parts():
            part.tooltip = spec.documentation or spec.name
        self.note = w.HTML()
        self.messages = w.HTML()
        self.label = w.HTML(self._label_html(), layout=w.Layout(width="220px"))
        self.label.tooltip = spec.documentation
        self.box = w.VBox(
            [w.HBox([self.label, self.control]), self.note, self.messages],
            layout=w.Layout(margin="0 0 4px 0"),
        )
        self.box.add_class("aaw-field")
        for control in self.watched():
            control.observe(self._on_control, names="value")

    def _label_html(self) -> str:
        star = (
            ' <span style="color:#b00020" title="required">*</span>' if self.spec.required else ""
        )
        dep = " <i>(deprecated)</i>" if self.spec.deprecated else ""
        return f"<b>{self.spec.name}</b>{star}{dep}"

    # -- for subclasses --------------------------------------------------------------------

    def make_control(self) -> w.Widget:
        raise NotImplementedError

    def read(self) -> Any:
        """The control's value, or MISSING."""
        raise NotImplementedError

    def write(self, value: Any) -> bool:
        """Show ``value`` in the control; False when the control cannot show it."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    # -- the interface ---------------------------------------------------------------------

    def watched(self) -> list[w.Widget]:
        """The controls whose changes are the user's edits."""
        return [self.control]

    def tooltip_parts(self) -> list[w.Widget]:
        """The controls that show the documentation as their tooltip."""
        return [] if isinstance(self.control, w.Box) else [self.control]

    def _on_control(self, change: Any) -> None:
        if self._writing:
            return
        self._held = MISSING
        self.note.value = ""
        self._notify(self)

    def get(self) -> Any:
        return self._held if self._held is not MISSING else self.read()

    def set(self, value: Any) -> None:
        self._writing = True
        try:
            self._held = MISSING
            self.note.value = ""
            if value is MISSING:
                self.clear()
            elif not self.write(value):
                self.clear()
                self._held = value
                shown = "(hidden)" if self.spec.sensitive else escape(json.dumps(value))[:120]
                self.note.value = (
                    f'<span style="color:#8a5a00">Holds {shown}, which this control cannot '
                    "show; it is kept as it is until you change the field.</span>"
                )
        finally:
            self._writing = False

    def show(self, findings: list[Finding]) -> None:
        if findings != self.findings:
            self.findings = findings
            self.messages.value = render_findings(findings)

    def enable(self, enabled: bool) -> None:
        if hasattr(self.control, "disabled"):
            self.control.disabled = not enabled

    def fields(self) -> list[Field]:
        return [self]


class TextField(Field):
    def make_control(self) -> w.Widget:
        return w.Text(placeholder=self.spec.name, layout=w.Layout(width="360px"))

    def read(self) -> Any:
        return self.control.value if self.control.value != "" else MISSING

    def write(self, value: Any) -> bool:
        if not isinstance(value, str) or value == "":
            return False
        self.control.value = value
        return True

    def clear(self) -> None:
        self.control.value = ""


class SecretField(TextField):
    """A password input with a reveal toggle; the value itself is never rendered in a note."""

    def make_control(self) -> w.Widget:
        self.hidden = w.Password(placeholder=self.spec.name, layout=w.Layout(width="300px"))
        self.shown = w.Text(placeholder=self.spec.name, layout=w.Layout(width="300px"))
        self.reveal = w.ToggleButton(
            value=False, description="show", icon="eye", layout=w.Layout(width="70px")
        )
        self.shown.layout.display = "none"
        self.reveal.observe(self._on_reveal, names="value")
        self.hidden.observe(self._sync, names="value")
        self.shown.observe(self._sync, names="value")
        box = w.HBox([self.hidden, self.shown, self.reveal])
        return box

    def watched(self) -> list[w.Widget]:
        return [self.hidden]

    def tooltip_parts(self) -> list[w.Widget]:
        return [self.hidden, self.shown]

    def _sync(self, change: Any) -> None:
        other = self.shown if change["owner"] is self.hidden else self.hidden
        if other.value != change["new"]:
            other.value = change["new"]

    def _on_reveal(self, change: Any) -> None:
        self.hidden.layout.display = "none" if change["new"] else None
        self.shown.layout.display = None if change["new"] else "none"

    @property
    def text(self) -> w.Password:
        return self.hidden

    def read(self) -> Any:
        return self.hidden.value if self.hidden.value != "" else MISSING

    def write(self, value: Any) -> bool:
        if not isinstance(value, str) or value == "":
            return False
        self.hidden.value = value
        return True

    def clear(self) -> None:
        self.hidden.value = ""

    def enable(self, enabled: bool) -> None:
        for control in (self.hidden, self.shown, self.reveal):
            control.disabled = not enabled


class EnumField(Field):
    """A dropdown that starts "(unset)"; a value outside the enum appears as a marked choice.

    "(unset)" is the empty string, not None: a selection widget shows None as no selection at
    all, and no enum of the model has an empty value.
    """

    UNSET = ""

    def make_control(self) -> w.Widget:
        return w.Dropdown(options=self._options(), value=self.UNSET, layout=w.Layout(width="360px"))

    def _options(self, extra: str | None = None) -> list[tuple[str, str]]:
        options: list[tuple[str, str]] = [("(unset)", self.UNSET)]
        options += [(v, v) for v in self.spec.enum]
        if extra is not None:
            options.append((f"{extra} (not a valid value)", extra))
        return options

    def read(self) -> Any:
        return MISSING if self.control.value == self.UNSET else self.control.value

    def write(self, value: Any) -> bool:
        if not isinstance(value, str) or value == self.UNSET:
            return False
        if value not in self.spec.enum:
            self.control.options = self._options(value)
        self.control.value = value
        return True

    def clear(self) -> None:
        if len(self.control.options) != len(self.spec.enum) + 1:
            self.control.options = self._options()
        self.control.value = self.UNSET


class EnumListField(Field):
    """A tags input limited to the enum; the order of the tags is the order of the list."""

    def make_control(self) -> w.Widget:
        assert self.spec.item is not None
        self.allowed = list(self.spec.item.enum)
        self.present = w.Checkbox(
            value=False,
            indent=False,
            description="set (empty list)",
            layout=w.Layout(width="160px"),
        )
        self.tags = w.TagsInput(
            value=[],
            allowed_tags=self.allowed,
            allow_duplicates=False,
            layout=w.Layout(width="360px"),
        )
        return w.HBox([self.tags, self.present])

    def tooltip_parts(self) -> list[w.Widget]:
        return [self.tags]

    def watched(self) -> list[w.Widget]:
        return [self.tags, self.present]

    def read(self) -> Any:
        if self.tags.value:
            return list(self.tags.value)
        return [] if self.present.value else MISSING

    def write(self, value: Any) -> bool:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return False
        extra = [v for v in value if v not in self.allowed]
        self.tags.allowed_tags = self.allowed + list(dict.fromkeys(extra))
        self.tags.allow_duplicates = len(set(value)) != len(value)
        self.tags.value = list(value)
        self.present.value = True
        return True

    def clear(self) -> None:
        self.tags.value = []
        self.tags.allowed_tags = self.allowed
        self.present.value = False

    def enable(self, enabled: bool) -> None:
        self.tags.disabled = not enabled
        self.present.disabled = not enabled


class StringListField(Field):
    """One value per line (redirect URIs)."""

    def make_control(self) -> w.Widget:
        return w.Textarea(placeholder="one per line", layout=w.Layout(width="360px", height="70px"))

    def read(self) -> Any:
        text = self.control.value
        if text == "":
            return MISSING
        return text.split("\n")

    def write(self, value: Any) -> bool:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v and "\n" not in v for v in value)
        ):
            return False
        self.control.value = "\n".join(value)
        return True

    def clear(self) -> None:
        self.control.value = ""


class BoolField(Field):
    """A checkbox that is sent only once it is set (by the user or by a loaded value)."""

    def make_control(self) -> w.Widget:
        self.touched = False
        return w.Checkbox(value=False, indent=False, description="(not set)")

    def _on_control(self, change: Any) -> None:
        if not self._writing:
            self.touched = True
            self.control.description = ""
        super()._on_control(change)

    def read(self) -> Any:
        return self.control.value if self.touched else MISSING

    def write(self, value: Any) -> bool:
        if not isinstance(value, bool):
            return False
        self.control.value = value
        self.touched = True
        self.control.description = ""
        return True

    def clear(self) -> None:
        self.control.value = False
        self.touched = False
        self.control.description = "(not set)"


class NumberField(Field):
    """A number; a whole number within Cognito's bounds where the rules set them.

    A whole float (``10.0``, as the service returns doubles) shows as ``10`` and is given back
    as ``10.0`` until the user edits it, so a loaded value round-trips exactly.
    """

    def make_control(self) -> w.Widget:
        bounds = WHOLE_NUMBER_BOUNDS.get(self.spec.name)
        self.touched = False
        self._exact: Any = MISSING
        if bounds:
            control = w.BoundedIntText(
                value=bounds[0], min=bounds[0], max=bounds[1], layout=w.Layout(width="120px")
            )
            control.tooltip = f"{self.spec.documentation} ({bounds[0]} to {bounds[1]})"
            return control
        if self.spec.type in ("integer", "long"):
            return w.IntText(layout=w.Layout(width="120px"))
        return w.FloatText(layout=w.Layout(width="120px"))

    def _on_control(self, change: Any) -> None:
        if not self._writing:
            self.touched = True
            self._exact = MISSING
        super()._on_control(change)

    def read(self) -> Any:
        if not self.touched:
            return MISSING
        return self._exact if self._exact is not MISSING else self.control.value

    def write(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(self.control, w.BoundedIntText | w.IntText):
            if value != int(value):
                return False
            low = getattr(self.control, "min", value)
            high = getattr(self.control, "max", value)
            if not low <= value <= high:
                return False
            self.control.value = int(value)
        else:
            self.control.value = value
        self._exact = value
        self.touched = True
        return True

    def clear(self) -> None:
        self.control.value = getattr(self.control, "min", 0)
        self.touched = False
        self._exact = MISSING


class JsonField(Field):
    """Any other shape, as JSON text: so a new kind of member is still editable."""

    def make_control(self) -> w.Widget:
        return w.Textarea(placeholder="JSON", layout=w.Layout(width="360px"))

    def read(self) -> Any:
        text = self.control.value.strip()
        if not text:
            return MISSING
        try:
            return json.loads(text)
        except ValueError:
            return text

    def write(self, value: Any) -> bool:
        self.control.value = json.dumps(value)
        return True

    def clear(self) -> None:
        self.control.value = ""
