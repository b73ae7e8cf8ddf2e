"""Field widgets, made from field specs by one rule table (``WIDGET_RULES``).

Every field has the same small interface: ``get()`` gives its request value (or ``MISSING``
when nothing is set, so that nothing the user did not choose is sent), ``set(value)`` fills it,
``show(findings)`` renders its own findings under it, ``enable(flag, reason)`` greys it out,
``offer(label, fix)`` shows a button that applies a fix the user asked for.

A field shows a human label above its control, with one line of help (``labels.py``); the API
path and the model's documentation are its tooltip, and a finding's rule code is the tooltip of
its message. The label is also the control's accessible name (``access.name``): a screen reader
says "App ID", not the tooltip's "AppId: The app ID.". Its box has the CSS classes
``aaw-field`` and ``aaw-at-<path with dashes>``.

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

from ..core.findings import Finding
from ..core.model import FieldSpec
from ..core.secrets import quote
from .access import TagPicker, Toggle, name
from .html import escape, warning_html
from .labels import distinct_label, enum_label, help_for, in_sentence, label_for, tooltip_for
from .style import ERROR, MUTED, WARNING

MISSING: Any = type(
    "Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda s: False}
)()

_FINDING_STYLE = {
    "error": f"color:{ERROR}",
    "warning": f"color:{WARNING}",
}


def render_findings(findings: list[Finding]) -> str:
    """Each finding's message, coloured by severity; its rule code is the tooltip."""
    items = "".join(
        f'<div style="{_FINDING_STYLE[f.severity]}" title="{escape(f.code)}">'
        f"{'&#x2716;' if f.is_error else '&#x26A0;'} {escape(f.message)}</div>"
        for f in findings
    )
    return f'<div class="aaw-findings">{items}</div>' if items else ""


def css_name(path: str) -> str:
    """A CSS class for an API path: ``aaw-at-ResourceConfig-Service``."""
    return "aaw-at-" + (path.replace(".", "-").replace("[]", "") or "request")


def owned_label(spec: FieldSpec) -> str:
    """The field's label after its structure's, in running text: "Google client secret"
    (four providers each have a "Client secret"; a name must say whose)."""
    label = label_for(spec)
    parent = spec.path.replace("[]", "").rpartition(".")[0]
    if not parent:
        return label
    owner = label_for(FieldSpec(parent.rpartition(".")[2], parent, "structure", ""))
    return f"{owner} {in_sentence(label)}"


def full_width(**more: str) -> w.Layout:
    """A control as wide as its field, its margin kept inside (no overflow to the right)."""
    return w.Layout(width="100%", margin="2px 0", **more)


class Field:
    """Base class: a labelled control with an inline findings area."""

    def __init__(self, spec: FieldSpec, on_change: Callable[[Field], None]) -> None:
        self.spec = spec
        self.path = spec.path
        self._notify = on_change
        self._held: Any = MISSING
        self._writing = False
        self.findings: list[Finding] = []
        self.fix_button: w.Button | None = None
        self._fix: Callable[[Any], Any] | None = None
        self.control = self.make_control()
        # A box's view cannot take a tooltip (its front end fails to render): composite
        # controls put it on their parts.
        for part in self.tooltip_parts():
            part.tooltip = self.tooltip()
            name(part, distinct_label(spec))  # the label shown above (and whose, if shared)
        self.note = w.HTML()
        self.messages = w.HTML()
        self.label = w.HTML(self._label_html())
        self.label.tooltip = tooltip_for(spec)
        self.box = w.VBox(
            [self.label, self.control, self.note, self.messages],
            # a structure spans the columns of its parent's grid
            layout=w.Layout(
                margin="0 0 6px 0",
                min_width="0",
                grid_column="1 / -1" if spec.is_structure else None,
            ),
        )
        self.box.add_class("aaw-field")
        if spec.is_structure:
            self.box.add_class("aaw-wide")  # spans the columns of its parent's grid
        self.box.add_class(css_name(self.path))
        for control in self.watched():
            control.observe(self._on_control, names="value")

    def _label_html(self) -> str:
        required = f' <span style="color:{MUTED}" title="required">*</span>'
        star = required if self.spec.required else ""
        help_text = help_for(self.spec)
        help_html = (
            f'<div class="aaw-help" style="color:{MUTED};font-size:90%;line-height:1.3">'
            f"{escape(help_text)}</div>"
            if help_text
            else ""
        )
        return (
            f'<div class="aaw-label" style="line-height:1.4;white-space:normal">'
            f"<b>{escape(label_for(self.spec))}</b>{star}{help_html}</div>"
        )

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

    def tooltip(self) -> str:
        """The control's tooltip: the API path and the model's documentation."""
        return tooltip_for(self.spec)

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
                self.note.value = warning_html(
                    f"Holds {quote(value, self.spec.path)}, which this control cannot show; "
                    "it is kept as it is until you change the field."
                )
        finally:
            self._writing = False

    def show(self, findings: list[Finding]) -> None:
        if findings != self.findings:
            self.findings = findings
            self.messages.value = render_findings(findings)

    def enable(self, enabled: bool, reason: str = "") -> None:
        if hasattr(self.control, "disabled"):
            self.control.disabled = not enabled

    def offer(self, label: str | None, fix: Callable[[Any], Any] | None = None) -> None:
        """Show a button that replaces the value with ``fix(value)``; ``None`` hides it."""
        self._fix = fix
        if label is None:
            if self.fix_button is not None:
                self.fix_button.layout.display = "none"
            return
        if self.fix_button is None:  # made on first need: most fields never offer a fix
            self.fix_button = w.Button(icon="wrench", layout=w.Layout(width="auto"))
            self.fix_button.add_class("aaw-fix")
            self.fix_button.on_click(lambda _: self.apply_fix())
            self.box.children = (*self.box.children, self.fix_button)
        self.fix_button.description = label
        self.fix_button.layout.display = None

    def apply_fix(self) -> None:
        """Apply the offered fix, as an edit of the user's."""
        if self._fix is None:
            return
        self.set(self._fix(self.get()))
        self._notify(self)

    def fields(self) -> list[Field]:
        return [self]


class TextField(Field):
    def make_control(self) -> w.Widget:
        return w.Text(layout=full_width())

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
    """A password input with a reveal toggle; the value itself is never rendered in a note.

    The toggle shows "Show" (or "Hide" while the value is shown) and is named by its field for
    screen readers: "Show Google client secret", "Hide Google client secret".
    """

    def make_control(self) -> w.Widget:
        self.hidden = w.Password(layout=w.Layout(flex="1 1 auto", width="auto"))
        self.shown = w.Text(layout=w.Layout(flex="1 1 auto", width="auto"))
        self.reveal = Toggle(layout=w.Layout(width="auto", flex="0 0 auto"))
        self._name_reveal(False)
        self.shown.layout.display = "none"
        self.reveal.observe(self._on_reveal, names="value")
        self.hidden.observe(self._sync, names="value")
        self.shown.observe(self._sync, names="value")
        return w.HBox([self.hidden, self.shown, self.reveal], layout=full_width())

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
        self._name_reveal(change["new"])

    def _name_reveal(self, revealed: bool) -> None:
        """The toggle says what a press does, and of which field ("Hide Google client
        secret"): a screen reader hears its state in its name."""
        verb = "Hide" if revealed else "Show"
        self.reveal.description = verb
        self.reveal.label = f"{verb} {owned_label(self.spec)}"

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

    def enable(self, enabled: bool, reason: str = "") -> None:
        for control in (self.hidden, self.shown, self.reveal):
            control.disabled = not enabled


class EnumField(Field):
    """A dropdown that starts "(unset)"; a value outside the enum appears as a marked choice.

    "(unset)" is the empty string, not None: a selection widget shows None as no selection at
    all, and no enum of the model has an empty value.
    """

    UNSET = ""

    def make_control(self) -> w.Widget:
        return w.Dropdown(options=self._options(), value=self.UNSET, layout=full_width())

    def _options(self, extra: str | None = None) -> list[tuple[str, str]]:
        options: list[tuple[str, str]] = [("(unset)", self.UNSET)]
        options += [(enum_label(v), v) for v in self.spec.enum]
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
    """A tags input limited to the enum, in the order given, and a "None of these" box.

    The tags input is a ``TagPicker``: each tag's remove button is a Tab stop ("Remove Email").

    The tags are the values in words ("Phone number", from ``labels.enum_label``); the API
    values (``PHONE_NUMBER``) are what ``get`` gives, and the tooltip pairs the two. No tags
    and the box clear: the member is left out of the request. "None of these" ticked: an empty
    list is sent, a choice a person makes on purpose.
    """

    def make_control(self) -> w.Widget:
        assert self.spec.item is not None
        self.values = list(self.spec.item.enum)
        #: tag -> API value; a value outside the enum gets a marked tag of its own
        self.meaning = {enum_label(v): v for v in self.values}
        self.allowed = list(self.meaning)
        self.present = w.Checkbox(
            value=False,
            indent=False,
            description="None of these",
            layout=w.Layout(width="auto"),
        )
        self.present.tooltip = "Send an empty list, rather than leaving this setting out."
        self.tags = TagPicker(
            value=[],
            allowed_tags=self.allowed,
            allow_duplicates=False,
            placeholder="Type or choose, then Enter",
            layout=w.Layout(flex="1 1 auto", width="auto", min_width="120px"),
        )
        return w.HBox([self.tags, self.present], layout=full_width())

    def tooltip_parts(self) -> list[w.Widget]:
        return [self.tags]

    def tooltip(self) -> str:
        pairs = "; ".join(f"{tag} = {value}" for tag, value in self.meaning.items())
        return f"{super().tooltip()}\nValues: {pairs}"

    def watched(self) -> list[w.Widget]:
        return [self.tags, self.present]

    def tag(self, value: str) -> str:
        """The tag showing API ``value`` (an extra, marked one for a value outside the enum)."""
        for tag, meant in self.meaning.items():
            if meant == value:
                return tag
        tag = f"{value} (not a valid value)"
        self.meaning[tag] = value
        return tag

    def _on_control(self, change: Any) -> None:
        if not self._writing and change["owner"] is self.tags and self.tags.value:
            self._writing = True  # tags chosen: "none of these" no longer holds
            try:
                self.present.value = False
            finally:
                self._writing = False
        super()._on_control(change)

    def read(self) -> Any:
        if self.tags.value:
            return [self.meaning.get(tag, tag) for tag in self.tags.value]
        return [] if self.present.value else MISSING

    def write(self, value: Any) -> bool:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return False
        tags = [self.tag(v) for v in value]
        extra = [tag for tag in tags if tag not in self.allowed]
        self.tags.allowed_tags = self.allowed + list(dict.fromkeys(extra))
        self.tags.allow_duplicates = len(set(value)) != len(value)
        self.tags.value = tags
        self.present.value = not value
        return True

    def clear(self) -> None:
        self.tags.value = []
        self.tags.allowed_tags = self.allowed
        self.present.value = False

    def enable(self, enabled: bool, reason: str = "") -> None:
        self.tags.disabled = not enabled
        self.present.disabled = not enabled


class StringListField(Field):
    """One value per line (redirect URIs)."""

    def make_control(self) -> w.Widget:
        return w.Textarea(placeholder="one per line", layout=full_width(height="70px"))

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
        return w.Checkbox(
            value=False, indent=False, description=self.unset, layout=w.Layout(width="auto")
        )

    @property
    def unset(self) -> str:
        """The box's words while it is not set: its label (its accessible name), and so."""
        return f"{label_for(self.spec)} (not set)"

    def _on_control(self, change: Any) -> None:
        if not self._writing:
            self.touched = True
            self.control.description = label_for(self.spec)
        super()._on_control(change)

    def read(self) -> Any:
        return self.control.value if self.touched else MISSING

    def write(self, value: Any) -> bool:
        if not isinstance(value, bool):
            return False
        self.control.value = value
        self.touched = True
        self.control.description = label_for(self.spec)
        return True

    def clear(self) -> None:
        self.control.value = False
        self.touched = False
        self.control.description = self.unset


def parse_number(text: str) -> Any:
    """What a person typed in a number field: an int, a float, or the text itself.

    Text that is not a number is kept as it is (the validator says what is wrong); nothing is
    rounded, clamped or replaced.
    """
    stripped = text.strip()
    try:
        return int(stripped)
    except ValueError:
        pass
    try:
        return float(stripped)
    except ValueError:
        return text


class NumberField(Field):
    """A number, typed as text so that whatever is typed is kept and checked, never changed
    (3 in Minimum length stays 3, with the finding that says 6 to 99).

    A whole float (``10.0``, as the service returns doubles) shows as ``10`` and is given back
    as ``10.0`` until the user edits it, so a loaded value round-trips exactly.
    """

    def make_control(self) -> w.Widget:
        self._exact: Any = MISSING
        return w.Text(placeholder="a number", layout=w.Layout(width="160px"))

    def _on_control(self, change: Any) -> None:
        if not self._writing:
            self._exact = MISSING
        super()._on_control(change)

    def read(self) -> Any:
        if self._exact is not MISSING:
            return self._exact
        return MISSING if self.control.value == "" else parse_number(self.control.value)

    def write(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        self.control.value = str(shown)
        self._exact = value
        return True

    def clear(self) -> None:
        self.control.value = ""
        self._exact = MISSING


class JsonField(Field):
    """Any other shape, as JSON text: so a new kind of member is still editable."""

    def make_control(self) -> w.Widget:
        return w.Textarea(placeholder="JSON", layout=full_width())

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
