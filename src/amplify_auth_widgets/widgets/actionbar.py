"""The editor's action bar: mode, problem count, the buttons, and how the last job went.

It sticks to the top of the page while the form scrolls (CSS in ``STYLE``, shipped in an HTML
widget so it works in a notebook, JupyterLab and Voila alike). CSS classes: ``aaw-actionbar``
(the bar), ``aaw-mode`` (Create/Update toggle), ``aaw-problems`` (the count),
``aaw-job-status`` (the last job's status), ``aaw-status`` (the last message), and
``aaw-load``, ``aaw-create``, ``aaw-update``, ``aaw-delete`` (buttons).
"""

from __future__ import annotations

import ipywidgets as w

from .html import escape
from .sections import plural
from .status import StatusLine

MODES = (("Create new", "CreateBackendAuth"), ("Update existing", "UpdateBackendAuth"))

STYLE = """<style>
.aaw-actionbar { position: sticky; top: 0; z-index: 20; background: var(--jp-layout-color0, #fff);
  border-bottom: 1px solid #ddd; padding: 4px 0; flex-wrap: wrap; align-items: center; gap: 6px; }
/* sticky needs every box between the bar and the page's scroller not to clip */
.jupyter-widgets:has(.aaw-actionbar), .jupyter-widget-TabPanel-tabContents:has(.aaw-actionbar),
.widget-tab-contents:has(.aaw-actionbar), .jp-OutputArea:has(.aaw-actionbar),
.jp-OutputArea-child:has(.aaw-actionbar), .jp-OutputArea-output:has(.aaw-actionbar) {
  overflow: visible !important; }
.aaw-actionbar .widget-toggle-buttons .widget-toggle-button { width: auto; }
.aaw-editor .aaw-wide { grid-column: 1 / -1; }
.aaw-editor .widget-label, .aaw-editor .widget-html-content { overflow: visible; }
.aaw-editor .aaw-label { white-space: normal; }
.aaw-cli-command pre { font-family: var(--jp-code-font-family, monospace); white-space: pre-wrap;
  word-break: break-all; background: #f6f8fa; padding: 8px; }
</style>"""

_JOB_COLOURS = {"COMPLETED": "#1b5e20", "FAILED": "#b00020"}


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
            parts.append(f'<b style="color:#b00020">{plural(shown, "problem")}</b>')
        if hidden:
            more = "more to complete" if shown else "to complete before sending"
            parts.append(f'<span style="color:#666">{plural(hidden, "setting")} {more}</span>')
        if warnings:
            parts.append(f'<span style="color:#8a5a00">{plural(warnings, "warning")}</span>')
        if not parts:
            parts.append('<span style="color:#1b5e20">Ready to send</span>')
        self.problems.value = " · ".join(parts)

    def show_job(self, status: str) -> None:
        colour = _JOB_COLOURS.get(status, "#444")
        self.job_status.value = (
            f'<span style="color:{colour}">Last job: <b>{escape(status)}</b></span>'
            if status
            else ""
        )
