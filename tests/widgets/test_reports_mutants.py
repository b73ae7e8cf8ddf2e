"""The reports tab without an app around it: the view as first met, its button reaching a
refresh, an empty history said in words, the summary table with human headings, rates in per
cent and durations in seconds, both plots with their words and the clock's now, a plot that
fails leaving the table, and the report handed out last."""

from __future__ import annotations

import re
from typing import Any

import ipywidgets as w
import pandas as pd
import pytest
from support.htmltext import text_of

from amplify_auth_widgets.jobs.history import JobHistory
from amplify_auth_widgets.jobs.report import summary
from amplify_auth_widgets.widgets import reports
from amplify_auth_widgets.widgets.plot import Plot, events_alt, jobs_alt
from amplify_auth_widgets.widgets.reports import ReportsView, summary_html

HEADINGS = [
    "Operation",
    "Jobs",
    "Completed",
    "Failed",
    "In progress",
    "Timed out (local)",
    "Success rate",
    "p50 duration",
    "p95 duration",
]


def history_of(clock: Any, *outcomes: tuple[str, str, float]) -> JobHistory:
    """A history with one job per (operation, last status, seconds it took)."""
    history = JobHistory(":memory:", clock)
    for i, (operation, status, seconds) in enumerate(outcomes):
        job = {"JobId": f"j{i}", "AppId": f"app{i}", "BackendEnvironmentName": "dev"}
        history.record_status({**job, "Operation": operation, "Status": "IN_PROGRESS"})
        clock.advance(seconds)
        if status != "IN_PROGRESS":
            history.record_status({**job, "Operation": operation, "Status": status})
    return history


def cells(html: str) -> list[list[str]]:
    """The table's rows, each a list of its cells' words (the heading row first)."""
    rows = html.split("<tr>")[1:]
    return [[text_of(c) for c in row.replace("</th>", "</td>").split("</td>")[:-1]] for row in rows]


def test_the_summary_table_in_human_headings_rates_and_seconds():
    frame = pd.DataFrame(
        {
            "jobs": [3, 1],
            "completed": [2, 0],
            "failed": [1, 0],
            "in_progress": [0, 1],
            "timed_out": [0, 1],
            "success_rate": [2 / 3, float("nan")],
            "p50_duration": pd.to_timedelta([4.25, None], unit="s"),
            "p95_duration": pd.to_timedelta([9.96, None], unit="s"),
        },
        index=pd.Index(["Create<Auth>", "(all)"], name="operation"),
    )
    html = summary_html(frame)
    assert cells(html) == [
        HEADINGS,
        ["Create<Auth>", "3", "2", "1", "0", "0", "67%", "4.2 s", "10.0 s"],
        ["(all)", "1", "0", "0", "1", "1", "", "", ""],
    ]
    assert "Create&lt;Auth&gt;" in html  # a name is text, never markup
    table = html[html.index("<table") :]
    assert table.startswith('<table class="aaw-summary-table"><thead><tr><th>Operation</th>')
    assert "</tr></thead><tbody><tr><td>Create" in table and table.endswith("</tbody></table>")
    outside_cells = re.sub(r"<t([dh])>.*?</t\1>", "", table)
    assert re.sub(r"<[^>]+>", "", outside_cells) == ""  # no words between the rows
    # numbers right-aligned beside each other, the operation's name on the left
    assert html.startswith(
        "<style>.aaw-summary-table td,.aaw-summary-table th{padding:2px 10px;text-align:right}"
        ".aaw-summary-table th:first-child,.aaw-summary-table td:first-child{text-align:left}"
        "</style>"
    )


def test_the_view_as_first_met(clock):
    view = ReportsView(JobHistory(":memory:", clock), clock=clock, layout=w.Layout(width="50%"))
    button = view.refresh_button
    assert (button.description, button.icon, button.layout.width) == (
        "Refresh report",
        "refresh",
        "auto",
    )
    assert list(view.children) == [
        button,
        view.table,
        view.plot_error,
        view.timeline,
        view.status_plot,
    ]
    assert text_of(view.table.value) == "Press Refresh report to read the history."
    assert "<i>" in view.table.value and view.plot_error.value == ""
    assert all(isinstance(p, Plot) and p.layout.display == "none" for p in view.children[3:])
    assert (view.timeline._class, view.status_plot._class) == ("aaw-timeline", "aaw-status-plot")
    assert "aaw-reports" in view._dom_classes and view.layout.width == "50%"
    assert (view.report, view.jobs_count, view.history.jobs().empty) == (None, 0, True)
    assert view.clock is clock


def test_the_button_reads_the_history_and_nothing_else_does(clock):
    history = history_of(clock, ("CreateBackendAuth", "COMPLETED", 5))
    view = ReportsView(history, clock=clock)
    assert view.report is None and view.jobs_count == 0  # never on its own
    view.refresh_button.click()
    assert view.jobs_count == 1 and view.report.loc["(all)", "completed"] == 1


def test_an_empty_history_is_said_in_words_and_hides_the_plots(clock):
    history = history_of(clock, ("CreateBackendAuth", "COMPLETED", 5))
    view = ReportsView(history, clock=clock)
    view.refresh()
    view.plot_error.value = "an old message"
    view.history = JobHistory(":memory:", clock)
    assert view.refresh() is None
    assert text_of(view.table.value) == "No jobs in the history yet: submit a request first."
    assert "<i>" in view.table.value
    assert (view.report, view.jobs_count, view.plot_error.value) == (None, 0, "")
    assert view.timeline.layout.display == "none" and view.status_plot.layout.display == "none"


def test_a_refresh_draws_the_table_and_both_plots_with_their_words(clock, monkeypatch):
    history = history_of(
        clock,
        ("CreateBackendAuth", "COMPLETED", 4),
        ("CreateBackendAuth", "FAILED", 2),
        ("UpdateBackendAuth", "IN_PROGRESS", 1),
    )
    nows: list[Any] = []
    drawn = reports.plot_timeline
    monkeypatch.setattr(
        reports, "plot_timeline", lambda jobs, now: nows.append(now) or drawn(jobs, now=now)
    )
    view = ReportsView(history, clock=clock)
    seen: list[str] = []
    view.observe(lambda _: seen.append(view.table.value), names="report")
    frame = view.refresh()
    jobs = history.jobs()
    assert view.report is frame and view.jobs_count == 3
    pd.testing.assert_frame_equal(frame, summary(jobs))
    assert view.table.value == summary_html(frame) and seen == [view.table.value]
    assert nows == [pd.Timestamp(clock(), unit="s", tz="UTC")]  # unfinished jobs run to now
    assert view.plot_error.value == ""
    for plot, alt in (
        (view.timeline, jobs_alt(jobs)),
        (view.status_plot, events_alt(history.events())),
    ):
        assert plot.png[:4] == b"\x89PNG" and plot.alt == alt and plot.layout.display is None
    view.clock = None
    view.refresh()
    assert nows[-1] is None  # no clock given: the plot's own now


def test_a_plot_that_fails_leaves_the_table_and_says_why(clock, monkeypatch):
    view = ReportsView(history_of(clock, ("CreateBackendAuth", "COMPLETED", 5)), clock=clock)
    view.refresh()

    def broken(events: Any) -> Any:
        raise ValueError("no axes left")

    monkeypatch.setattr(reports, "plot_status_counts", broken)
    frame = view.refresh()
    assert frame is not None and view.report is frame and "<table" in view.table.value
    assert text_of(view.plot_error.value) == "The plots could not be drawn: no axes left"
    assert view.plot_error.value != text_of(view.plot_error.value)  # coloured as an error
    assert view.timeline.layout.display == "none" and view.status_plot.layout.display == "none"
    monkeypatch.undo()
    view.refresh()
    assert view.plot_error.value == "" and view.status_plot.layout.display is None


@pytest.mark.parametrize("seconds", [0.04, 61.25])
def test_durations_in_seconds_to_a_tenth(seconds):
    frame = pd.DataFrame(
        {
            "jobs": [1],
            "completed": [1],
            "failed": [0],
            "in_progress": [0],
            "timed_out": [0],
            "success_rate": [1.0],
            "p50_duration": pd.to_timedelta([seconds], unit="s"),
            "p95_duration": pd.to_timedelta([seconds], unit="s"),
        },
        index=pd.Index(["(all)"], name="operation"),
    )
    assert cells(summary_html(frame))[1][-3:] == ["100%", f"{seconds:.1f} s", f"{seconds:.1f} s"]
