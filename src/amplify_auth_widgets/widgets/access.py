"""Keyboard and screen-reader parts that ipywidgets lacks: a disclosure, a live region.

ipywidgets renders native ``<button>``, ``<input>`` and ``<select>`` elements, which a keyboard
reaches and a screen reader names (from a control's ``description``), but it cannot set ARIA
attributes: an ``Accordion``'s title is a plain ``<div>`` no key reaches, and an ``HTML``
widget replaces its content on each change, which no screen reader announces. So two small
front ends (anywidget ESM modules, no build step) do what ipywidgets cannot:

* ``Disclosure``: a native ``<button aria-expanded>``; Tab reaches it, Enter and Space toggle it.
  ``Fold`` puts one above a body, with the ``Accordion`` API the form used before
  (``selected_index`` 0 or None, ``get_title``/``set_title``).
* ``LiveRegion``: one persistent ``role="status"`` element (``aria-live="polite"``) whose text
  changes, so "Ready to send" or "COMPLETED" is read out without moving focus.
* ``Toggle``: a native button that shows one word ("Show") and is named in full for screen
  readers ("Show Google client secret"), where ipywidgets' ``ToggleButton`` can only be named
  by the word it shows.

Their stylesheet (``CSS``, loaded with the first of them on the page) also gives every control
of the package a visible focus ring (2 px in the theme's brand colour, offset from the control
so that it shows on a blue button as on the page), and hides a control's ``description`` label
visually while keeping it its accessible name (``name``), where the field shows the same words
above the control.
"""

from __future__ import annotations

from typing import Any

import anywidget
import ipywidgets as w
import traitlets as t

from .style import BORDER, FOCUS, FOREGROUND

#: The package's top-level boxes: the focus ring applies inside them only.
SCOPES = (
    ".aaw-app",
    ".aaw-editor",
    ".aaw-monitor",
    ".aaw-reports",
    ".aaw-fleet-panel",
    ".aaw-fold",
    ".aaw-live",
)
#: A control whose description label is its name only (the field shows the words above it).
NAMED = "aaw-named"

_SCOPE = ":is(" + ", ".join(SCOPES) + ")"
#: Raised above ipywidgets' and JupyterLab's own rules for inputs (``outline: none``).
_FOCUSED = (
    f"html body {_SCOPE} :is(input, textarea, select, button, [tabindex]):focus-visible, "
    f"html body {_SCOPE} .lm-TabBar-tab:focus"
)

CSS = f"""
{_FOCUSED} {{
  outline: 2px solid {FOCUS} !important;
  outline-offset: 2px !important;
}}
.{NAMED} > label.widget-label {{
  position: absolute !important; width: 1px !important; height: 1px !important;
  min-width: 0 !important; margin: -1px !important; padding: 0 !important;
  overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap !important;
}}
.aaw-disclosure-button {{
  display: flex; align-items: center; gap: 8px; width: 100%; box-sizing: border-box;
  padding: 6px 8px; margin: 0; text-align: left; cursor: pointer;
  font: inherit; font-weight: 600; color: {FOREGROUND};
  background: var(--jp-layout-color2, transparent);
  border: 1px solid {BORDER}; border-radius: 2px;
}}
.aaw-disclosure-button:hover {{ background: var(--jp-layout-color3, transparent); }}
.aaw-disclosure-caret {{ display: inline-block; width: 1em; transition: transform 0.1s; }}
.aaw-disclosure-button[aria-expanded="true"] .aaw-disclosure-caret {{ transform: rotate(90deg); }}
.aaw-fold-body {{ padding: 6px 4px 4px 4px; }}
.aaw-tags {{ display: flex; flex-wrap: wrap; align-items: center; gap: 4px; width: 100%; }}
.aaw-tags-list {{ display: contents; list-style: none; }}
.aaw-tag {{
  display: inline-flex; align-items: center; gap: 2px; padding: 0 2px 0 8px; border-radius: 3px;
  border: 1px solid {BORDER}; color: {FOREGROUND}; background: var(--jp-layout-color2);
}}
.aaw-tag-remove {{
  font: inherit; line-height: 1; padding: 2px 6px; border: 0; background: transparent;
  color: {FOREGROUND}; cursor: pointer;
}}
.aaw-tags-input {{
  flex: 1 1 120px; min-width: 120px; box-sizing: border-box; height: 28px; padding: 0 6px;
  font: inherit; color: {FOREGROUND}; background: var(--jp-input-background, transparent);
  border: 1px solid {BORDER};
}}
"""

_DISCLOSURE_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "aaw-disclosure-button";
  const caret = document.createElement("span");
  caret.className = "aaw-disclosure-caret";
  caret.setAttribute("aria-hidden", "true");
  caret.textContent = "\\u25B8";
  const label = document.createElement("span");
  button.append(caret, label);
  const sync = () => {
    button.setAttribute("aria-expanded", model.get("expanded") ? "true" : "false");
    label.textContent = model.get("title");
  };
  button.addEventListener("click", () => {
    model.set("expanded", !model.get("expanded"));
    model.save_changes();
  });
  const onMessage = (message) => { if (message && message.do === "focus") button.focus(); };
  model.on("change:expanded", sync);
  model.on("change:title", sync);
  model.on("msg:custom", onMessage);
  sync();
  el.appendChild(button);
  return () => {
    model.off("change:expanded", sync);
    model.off("change:title", sync);
    model.off("msg:custom", onMessage);
  };
}
export default { render };
"""

_LIVE_ESM = """
function render({ model, el }) {
  const region = document.createElement("div");
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.className = "aaw-live-text";
  const sync = () => {
    region.textContent = model.get("message");
    region.style.color = model.get("color");
  };
  model.on("change:message", sync);
  model.on("change:color", sync);
  sync();
  el.appendChild(region);
  return () => { model.off("change:message", sync); model.off("change:color", sync); };
}
export default { render };
"""


_TAGS_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "aaw-tags";
  box.setAttribute("role", "group");
  const list = document.createElement("ul");
  list.className = "aaw-tags-list";
  const input = document.createElement("input");
  input.type = "text";
  input.className = "aaw-tags-input";
  const options = document.createElement("datalist");
  options.id = "aaw-tags-" + Math.random().toString(36).slice(2);
  input.setAttribute("list", options.id);
  const save = (value) => { model.set("value", value); model.save_changes(); };
  const add = () => {
    const typed = input.value.trim();
    const allowed = model.get("allowed_tags");
    const tag = allowed.length
      ? allowed.find((a) => a.toLowerCase() === typed.toLowerCase()) : typed;
    if (!tag) { input.setAttribute("aria-invalid", typed ? "true" : "false"); return; }
    input.setAttribute("aria-invalid", "false");
    input.value = "";
    const value = model.get("value");
    if (model.get("allow_duplicates") || !value.includes(tag)) save([...value, tag]);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); add(); }
    else if (event.key === "Backspace" && !input.value && model.get("value").length) {
      save(model.get("value").slice(0, -1));
    }
  });
  input.addEventListener("input", (event) => {  // a choice from the list's suggestions
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) add();
  });
  const draw = () => {
    const value = model.get("value");
    const disabled = model.get("disabled");
    list.replaceChildren(...value.map((tag, index) => {
      const item = document.createElement("li");
      item.className = "aaw-tag";
      const text = document.createElement("span");
      text.textContent = tag;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "aaw-tag-remove";
      remove.textContent = "\u00d7";
      remove.setAttribute("aria-label", "Remove " + tag);
      remove.disabled = disabled;
      remove.addEventListener("click", () => {
        const kept = [...model.get("value")];
        kept.splice(index, 1);
        save(kept);
        input.focus();
      });
      item.append(text, remove);
      return item;
    }));
    const free = model.get("allowed_tags").filter(
      (tag) => model.get("allow_duplicates") || !value.includes(tag));
    options.replaceChildren(...free.map((tag) => {
      const option = document.createElement("option");
      option.value = tag;
      return option;
    }));
    input.disabled = disabled;
    input.placeholder = model.get("placeholder");
    input.setAttribute("aria-label", model.get("label"));
    box.setAttribute("aria-label", model.get("label"));
  };
  const names = ["value", "allowed_tags", "allow_duplicates", "disabled", "label", "placeholder"];
  for (const name of names) model.on("change:" + name, draw);
  draw();
  box.append(list, input, options);
  el.appendChild(box);
  return () => { for (const name of names) model.off("change:" + name, draw); };
}
export default { render };
"""


_TOGGLE_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-button widget-toggle-button aaw-toggle";
  const sync = () => {
    button.textContent = model.get("description");
    button.setAttribute("aria-label", model.get("label") || model.get("description"));
    button.classList.toggle("mod-active", model.get("value"));
    button.disabled = model.get("disabled");
  };
  button.addEventListener("click", () => {
    model.set("value", !model.get("value"));
    model.save_changes();
  });
  const names = ["value", "description", "label", "disabled"];
  for (const name of names) model.on("change:" + name, sync);
  sync();
  el.appendChild(button);
  return () => { for (const name of names) model.off("change:" + name, sync); };
}
export default { render };
"""


class Toggle(anywidget.AnyWidget):
    """A button that turns a state on and off (``value``), named in full for screen readers.

    It shows ``description`` ("Show") and is named ``label`` ("Show Google client secret"),
    which starts with the words shown (WCAG's label in name); its owner changes both with the
    state ("Hide ..."), so the name says what a press does. ``ToggleButton``'s traits
    (``value``, ``description``, ``disabled``), so code written for it works alike. CSS classes
    ``aaw-toggle`` (and ipywidgets' ``jupyter-button``, ``mod-active`` while on).
    """

    _esm = t.Unicode(_TOGGLE_ESM).tag(sync=True)
    _css = t.Unicode(CSS).tag(sync=True)
    value = t.Bool(False, help="Whether the state is on.").tag(sync=True)
    description = t.Unicode("", help="The words the button shows.").tag(sync=True)
    label = t.Unicode("", help="The button's name for screen readers (else description).").tag(
        sync=True
    )
    disabled = t.Bool(False, help="Whether the button can be pressed.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("aaw-toggle-widget")


class TagPicker(anywidget.AnyWidget):
    """Tags chosen from a list, every tag's remove button a Tab stop ("Remove Email").

    The traits are ``TagsInput``'s (``value``, ``allowed_tags``, ``allow_duplicates``,
    ``placeholder``, ``disabled``), so code written for it works alike; ``label`` names the
    group and its input for screen readers. Enter adds what is typed (one of ``allowed_tags``,
    whatever its case), Backspace in the empty input removes the last tag. CSS classes
    ``aaw-tags``, ``aaw-tag`` and ``aaw-tag-remove``.
    """

    _esm = t.Unicode(_TAGS_ESM).tag(sync=True)
    _css = t.Unicode(CSS).tag(sync=True)
    value = t.List(t.Unicode(), help="The tags, in order.").tag(sync=True)
    allowed_tags = t.List(t.Unicode(), help="The tags one may add (any, when empty).").tag(
        sync=True
    )
    allow_duplicates = t.Bool(False, help="Whether a tag may be added twice.").tag(sync=True)
    placeholder = t.Unicode("", help="The input's hint while it is empty.").tag(sync=True)
    label = t.Unicode("", help="The name screen readers give the tags and their input.").tag(
        sync=True
    )
    disabled = t.Bool(False, help="Whether the tags can be changed.").tag(sync=True)
    #: ipywidgets' view reads it to place a tooltip (and fails without it); never shown.
    description = t.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("aaw-tag-picker")


class Disclosure(anywidget.AnyWidget):
    """A button that shows or hides a part: ``aria-expanded`` says which, Enter/Space toggle.

    CSS class ``aaw-disclosure``; its button is ``.aaw-disclosure-button``.
    """

    _esm = t.Unicode(_DISCLOSURE_ESM).tag(sync=True)
    _css = t.Unicode(CSS).tag(sync=True)
    title = t.Unicode("", help="The button's text: what the part holds.").tag(sync=True)
    expanded = t.Bool(False, help="Whether the part is shown.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("aaw-disclosure")

    def focus(self) -> None:
        """Move the keyboard focus to the button (in every view of it on the page)."""
        self.send({"do": "focus"})


class Fold(w.VBox):
    """A ``Disclosure`` over a body: one section that opens and closes.

    ``selected_index`` is 0 while open and None while closed (an ``Accordion``'s, so code that
    opened a one-panel ``Accordion`` opens a fold alike); ``expanded`` is the same as a bool.
    CSS classes ``aaw-fold``, and ``aaw-fold-open`` while open.
    """

    selected_index = t.Int(None, allow_none=True, help="0 while open, None while closed.")

    def __init__(self, body: w.Widget, title: str = "", **kwargs: Any) -> None:
        self.header = Disclosure(title=title)
        self.body = w.VBox([body])
        self.body.add_class("aaw-fold-body")
        super().__init__([self.header, self.body], **kwargs)
        self.add_class("aaw-fold")
        self.header.observe(self._on_header, names="expanded")
        self._show(False)

    @property
    def expanded(self) -> bool:
        return self.selected_index == 0

    def _on_header(self, change: Any) -> None:
        self.selected_index = 0 if change["new"] else None

    @t.observe("selected_index")
    def _on_selected(self, change: Any) -> None:
        if change["new"] not in (0, None):
            raise t.TraitError(
                f"a fold has one part: selected_index is 0 or None, not {change['new']}"
            )
        self._show(change["new"] == 0)

    def _show(self, shown: bool) -> None:
        self.header.expanded = shown
        self.body.layout.display = None if shown else "none"
        (self.add_class if shown else self.remove_class)("aaw-fold-open")

    def set_title(self, index: int, title: str) -> None:
        """The header's text (``index`` is 0: a fold has one part)."""
        self.header.title = title

    def get_title(self, index: int) -> str:
        return str(self.header.title)

    def focus(self) -> None:
        """Move the keyboard focus to the header's button."""
        self.header.focus()


class LiveRegion(anywidget.AnyWidget):
    """Text a screen reader reads out when it changes (``role="status"``, polite).

    ``message`` is the text, ``color`` its CSS colour. CSS class ``aaw-live``.
    """

    _esm = t.Unicode(_LIVE_ESM).tag(sync=True)
    _css = t.Unicode(CSS).tag(sync=True)
    message = t.Unicode("", help="The last status message, as plain text.").tag(sync=True)
    color = t.Unicode("", help="The message's CSS colour.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("aaw-live")


def name(control: w.Widget, label: str) -> None:
    """Give ``control`` the accessible name ``label``, for a control whose words are shown
    beside it already: its description (a ``<label for>``), hidden from sight only. A
    ``TagPicker`` takes it as its ``label``; another control whose view shows no description
    (ipywidgets' tags input) as its placeholder."""
    if isinstance(control, TagPicker):
        control.label = label
    elif isinstance(control, w.TagsInput):
        control.placeholder = label
    elif "description" in control.trait_names():
        if not control.description:
            control.description = label
            control.add_class(NAMED)
    elif "placeholder" in control.trait_names():
        control.placeholder = label
