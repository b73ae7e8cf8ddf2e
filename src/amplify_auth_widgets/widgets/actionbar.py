"""The editor's action bar: mode, problem count, the buttons, and how the last job went.

It sticks to the top of the page while the form scrolls (CSS in ``STYLE``, shipped in an HTML
widget so it works in a notebook, JupyterLab and Voila alike). CSS classes: ``aaw-actionbar``
(the bar), ``aaw-mode`` (Create/Update toggle), ``aaw-problems`` (the count),
``aaw-job-status`` (the last job's status), ``aaw-status`` (the last message), and
``aaw-load``, ``aaw-create``, ``aaw-update``, ``aaw-delete`` (buttons).
"""

from __future__ import annotations

import ipywidgets as w

from ..core.operations import configuration_operations
from .html import coloured, escape, muted_html, ok_html, warning_html
from .sections import plural
from .status import StatusLine
from .style import CODE_BACKGROUND, ERROR, PAGE, RULE, job_colour

#: How the mode toggle names an operation the editor composes, by the operation's verb.
MODE_LABELS = {"Create": "Create new", "Update": "Update existing"}


def mode_label(operation: str) -> str:
    """The toggle's label for ``operation``: its verb's, or the operation's own name."""
    verb = next((v for v in MODE_LABELS if operation.startswith(v)), None)
    return MODE_LABELS[verb] if verb else operation


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
                self.progress,
                self.job_status,
                status_line,
            ]
        )
        self.add_class("aaw-actionbar")

    def show_count(self, shown: int, hidden: int, warnings: int) -> None:
        """ "3 problems" in red once shown; untouched, a neutral count of what is left to do."""
        parts = []
        if shown:
            parts.append(coloured(plural(shown, "problem"), ERROR, "b"))
        if hidden:
            more = "more to complete" if shown else "to complete before sending"
            parts.append(muted_html(f"{plural(hidden, 'setting')} {more}"))
        if warnings:
            parts.append(warning_html(plural(warnings, "warning")))
        if not parts:
            parts.append(ok_html("Ready to send"))
        self.problems.value = " · ".join(parts)

    def show_job(self, status: str) -> None:
        """ "Last job: COMPLETED" in the status's colour (``core.lifecycle``'s, as everywhere)."""
        self.job_status.value = (
            f'<span style="color:{job_colour(status)}">Last job: <b>{escape(status)}</b></span>'
            if status
            else ""
        )
