"""The editor's action bar: mode, problem count, the buttons, and how the last job went.

It sticks to the top of the page while the form scrolls (CSS in ``STYLE``, shipped in an HTML
widget so it works in a notebook, JupyterLab and Voila alike). CSS classes: ``aaw-actionbar``
(the bar), ``aaw-mode`` (Create/Update toggle), ``aaw-problems`` (the count),
``aaw-job-status`` (the last job's status), ``aaw-status`` (the last message), and
``aaw-load``, ``aaw-create``, ``aaw-update``, ``aaw-delete`` (buttons); ``aaw-send-reason``
(why Create or Update is off, in words beside it); ``aaw-todo`` (what is left to do, one
``aaw-todo-item`` button per setting: "Identity pool > What to create: choose one", which
opens that field's section and puts the focus in it; ``aaw-todo-more`` shows them all).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..core.operations import configuration_operations
from .html import coloured, escape, muted_html, ok_html, warning_html
from .sections import plural
from .status import StatusLine
from .style import BORDER, CODE_BACKGROUND, ERROR, FOCUS, MUTED, PAGE, RULE, STRIPE, job_colour

#: How the mode toggle names an operation the editor composes, by the operation's verb.
MODE_LABELS = {"Create": "Create new", "Update": "Update existing"}


def mode_label(operation: str) -> str:
    """The toggle's label for ``operation``: its verb's, or the operation's own name."""
    verb = next((v for v in MODE_LABELS if operation.startswith(v)), None)
    return MODE_LABELS[verb] if verb else operation


#: How many to-do items the bar shows before "N more" (the bar stays on top of the page: it
#: must not grow to half of it).
TODO_SHOWN = 4

#: The mode toggle's (label, operation) options: ``core.operations``' configuration requests.
MODES = tuple((mode_label(op), op) for op in configuration_operations())

STYLE = f"""<style>
.aaw-actionbar {{ position: sticky; top: 0; z-index: 20;
  background: var(--jp-layout-color0, {PAGE}); border-bottom: 1px solid {RULE}; padding: 4px 0;
  flex-wrap: wrap; align-items: center; gap: 6px; }}
/* sticky needs every box between the bar and the page's scroller not to clip */
.jupyter-widgets:has(.aaw-actionbar), .jupyter-widget-TabPanel-tabContents:has(.aaw-actionbar),
.widget-tab-contents:has(.aaw-actionbar), .jp-OutputArea:has(.aaw-actionbar),
.jp-OutputArea-child:has(.aaw-actionbar), .jp-OutputArea-output:has(.aaw-actionbar) {{
  overflow: visible !important; }}
.aaw-actionbar .widget-toggle-buttons .widget-toggle-button {{ width: auto; }}
.aaw-editor .aaw-wide {{ grid-column: 1 / -1; }}
.aaw-editor .widget-label, .aaw-editor .widget-html-content {{ overflow: visible; }}
.aaw-editor .aaw-label {{ white-space: normal; }}
.aaw-actionbar .aaw-todo {{ flex: 1 1 100%; flex-wrap: wrap; gap: 2px 12px; }}
.aaw-actionbar .aaw-todo-item, .aaw-actionbar .aaw-todo-more {{ background: none;
  box-shadow: none; border: none; padding: 0 2px; height: auto; text-decoration: underline;
  color: var(--jp-content-link-color, {FOCUS}); white-space: normal; text-align: left; }}
/* Create/Update off: it must look off, not only be off */
.aaw-actionbar .aaw-create:disabled, .aaw-actionbar .aaw-update:disabled {{ opacity: 1;
  background: {STRIPE}; color: {MUTED}; border: 1px dashed {BORDER}; box-shadow: none;
  cursor: not-allowed; }}
/* the target comboboxes (targets.py): the list's arrow at all times, not only on hover */
.aaw-editor .aaw-combo-chooser input[list]::-webkit-calendar-picker-indicator {{
  display: block !important; opacity: 1 !important; cursor: pointer; }}
.aaw-cli-command pre {{ font-family: var(--jp-code-font-family, monospace); white-space: pre-wrap;
  word-break: break-all; background: {CODE_BACKGROUND}; padding: 8px; }}
</style>"""


class ActionBar(w.HBox):
    """The bar's widgets; the editor wires them to its submitter and its traits."""

    def __init__(self, status_line: StatusLine) -> None:
        self.mode = w.ToggleButtons(options=MODES, style={"button_width": "auto"})
        self.mode.add_class("aaw-mode")
        self.problems = w.HTML()
        self.problems.add_class("aaw-problems")
        self.load_button = w.Button(description="Load current", icon="cloud-download")
        self.create_button = w.Button(description="Create", icon="plus", button_style="primary")
        self.update_button = w.Button(description="Update", icon="pencil", button_style="primary")
        self.delete_button = w.Button(description="Delete", icon="trash", button_style="danger")
        for name in ("load", "create", "update", "delete"):
            button = getattr(self, f"{name}_button")
            button.add_class(f"aaw-{name}")
            button.layout.width = "auto"
        self.progress = w.IntProgress(
            value=0,
            min=0,
            max=1,
            bar_style="info",
            layout=w.Layout(width="80px", visibility="hidden"),
        )
        self.job_status = w.HTML()
        self.job_status.add_class("aaw-job-status")
        self.reason = w.HTML()
        self.reason.add_class("aaw-send-reason")
        self.todo = w.HBox()
        self.todo.add_class("aaw-todo")
        self.more = w.ToggleButton(value=False, layout=w.Layout(width="auto"))
        self.more.add_class("aaw-todo-more")
        self.more.observe(lambda _: self._lay_out_todo(), names="value")
        self._todo_buttons: list[w.Button] = []
        self._todo_actions: list[Callable[[], None]] = []
        self.status_line = status_line
        super().__init__(
            [
                w.HTML(STYLE, layout=w.Layout(display="none")),
                self.mode,
                self.problems,
                self.load_button,
                self.create_button,
                self.update_button,
                self.delete_button,
                self.reason,
                self.progress,
                self.job_status,
                status_line,
                self.todo,
            ]
        )
        self.add_class("aaw-actionbar")

    def show_count(self, shown: int, hidden: int, warnings: int, blocker: str = "") -> None:
        """ "3 problems" in red once shown; untouched, a neutral count of what is left to do;
        ``blocker``, a reason the request cannot go although the form is complete, in place of
        "Ready to send"."""
        parts = []
        if shown:
            parts.append(coloured(plural(shown, "problem"), ERROR, "b"))
        if hidden:
            more = "more to complete" if shown else "to complete before sending"
            parts.append(muted_html(f"{plural(hidden, 'setting')} {more}"))
        if warnings:
            parts.append(warning_html(plural(warnings, "warning")))
        if blocker:
            parts.insert(0, warning_html(blocker))
        if not parts:
            parts.append(ok_html("Ready to send"))
        self.problems.value = " · ".join(parts)

    def show_todo(self, items: list[tuple[str, Callable[[], None]]]) -> None:
        """One button per item (its text, and what choosing it does), the first
        ``TODO_SHOWN`` at once and the rest behind "N more"; buttons are reused, not remade,
        as this runs on every edit."""
        self._todo_actions = [action for _, action in items]
        while len(self._todo_buttons) < len(items):
            button = w.Button(layout=w.Layout(width="auto", max_width="100%"))
            button.add_class("aaw-todo-item")
            index = len(self._todo_buttons)
            button.on_click(lambda _, i=index: self._todo_actions[i]())
            self._todo_buttons.append(button)
        for button, (text, _) in zip(self._todo_buttons, items, strict=False):
            button.description = text
            button.tooltip = f"Go to this setting: {text}"
        self._lay_out_todo()

    def _lay_out_todo(self) -> None:
        count = len(self._todo_actions)
        shown = count if self.more.value else min(count, TODO_SHOWN)
        self.more.description = "Show fewer" if self.more.value else f"{count - shown} more"
        more = [self.more] if count > TODO_SHOWN else []
        children = (*self._todo_buttons[:shown], *more)
        if tuple(self.todo.children) != children:
            self.todo.children = children
        self.todo.layout.display = None if count else "none"

    def show_reason(self, reason: str) -> None:
        """Why Create or Update is off, beside it, in words (empty: it is on)."""
        self.reason.value = muted_html(reason) if reason else ""

    def show_job(self, status: str) -> None:
        """ "Last job: COMPLETED" in the status's colour (``core.lifecycle``'s, as everywhere)."""
        self.job_status.value = (
            f'<span style="color:{job_colour(status)}">Last job: <b>{escape(status)}</b></span>'
            if status
            else ""
        )
