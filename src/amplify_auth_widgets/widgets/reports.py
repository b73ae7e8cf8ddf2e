"""ReportsView: the job history as a report, a widget: the summary frame and two plots.

The summary has, per operation and overall, the jobs by status, the success rate and the p50
and p95 durations (``report.summary``); the plots are the timeline of jobs by app and
environment and the status changes over time. It reads the history when asked (``refresh()``
or its button), never on its own: a report is a snapshot, and drawing costs a few hundred ms.
Each plot says what it shows in words, as its image's text alternative (``plot.Plot``).
The table is shown first; a plot that cannot be drawn leaves a message in ``plot_error`` (and
the table) instead of taking the whole report down.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import traitlets as t

from ..jobs.history import JobHistory
from ..jobs.report import figure_png, plot_status_counts, plot_timeline, summary
from .html import error_html, escape
from .plot import Plot, events_alt, jobs_alt

_STYLE = (
    "<style>.aaw-summary-table td,.aaw-summary-table th{padding:2px 10px;text-align:right}"
    ".aaw-summary-table th:first-child,.aaw-summary-table td:first-child{text-align:left}"
    "</style>"
)
_COLUMNS = {
    "jobs": "Jobs",
    "completed": "Completed",
    "failed": "Failed",
    "in_progress": "In progress",
    "timed_out": "Timed out (local)",
    "success_rate": "Success rate",
    "p50_duration": "p50 duration",
    "p95_duration": "p95 duration",
}


def _seconds(value: Any) -> str:
    import pandas as pd

    return "" if pd.isna(value) else f"{value.total_seconds():.1f} s"


def summary_html(frame: Any) -> str:
    """The summary frame as a table with human headings, rates in %, durations in seconds."""
    import pandas as pd

    head = "".join(f"<th>{h}</th>" for h in ("Operation", *_COLUMNS.values()))
    rows = []
    for operation, row in frame.iterrows():
        cells = []
        for column in _COLUMNS:
            value = row[column]
            if column == "success_rate":
                cells.append("" if pd.isna(value) else f"{value:.0%}")
            elif column.endswith("_duration"):
                cells.append(_seconds(value))
            else:
                cells.append(str(int(value)))
        rows.append(
            f"<tr><td>{escape(str(operation))}</td>"
            + "".join(f"<td>{c}</td>" for c in cells)
            + "</tr>"
        )
    return (
        f'{_STYLE}<table class="aaw-summary-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class ReportsView(w.VBox):
    """The history's summary and plots. CSS class ``aaw-reports``."""

    report = t.Instance(
        object,
        allow_none=True,
        help="The summary frame last drawn (a pandas DataFrame indexed by operation, with "
        "'(all)' last), or None before the first refresh.",
    )
    jobs_count = t.Int(0, help="How many jobs the last refresh found in the history.")

    def __init__(self, history: JobHistory, *, clock: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history = history
        self.clock = clock
        self.refresh_button = w.Button(
            description="Refresh report", icon="refresh", layout=w.Layout(width="auto")
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        self.table = w.HTML("<i>Press Refresh report to read the history.</i>")
        self.timeline = Plot("aaw-timeline")
        self.status_plot = Plot("aaw-status-plot")
        self.plot_error = w.HTML()
        self.children = [
            self.refresh_button,
            self.table,
            self.plot_error,
            self.timeline,
            self.status_plot,
        ]
        self.add_class("aaw-reports")

    def refresh(self) -> Any:
        """Read the history, redraw the summary and both plots; returns the summary frame."""
        import pandas as pd

        jobs = self.history.jobs()
        self.jobs_count = len(jobs)
        self.plot_error.value = ""
        if jobs.empty:
            self.table.value = "<i>No jobs in the history yet: submit a request first.</i>"
            self._hide_plots()
            self.report = None
            return None
        frame = summary(jobs)
        self.table.value = summary_html(frame)
        try:
            now = pd.Timestamp(self.clock(), unit="s", tz="UTC") if self.clock else None
            timeline = figure_png(plot_timeline(jobs, now=now))
            status_plot = figure_png(plot_status_counts(self.history.events()))
        except Exception as exc:  # a plot is a view: the table above stays whatever fails
            self.plot_error.value = error_html(f"The plots could not be drawn: {exc}")
            self._hide_plots()
        else:
            self.timeline.show(timeline, jobs_alt(jobs))
            self.status_plot.show(status_plot, events_alt(self.history.events()))
        self.report = frame  # last: whoever observes it finds everything drawn
        return frame

    def _hide_plots(self) -> None:
        for plot in (self.timeline, self.status_plot):
            plot.hide()
