"""The job reports, read as a person reads them: the summary table's every cell, the timeline's
bars, lanes, colours and legend, the status counts' stacked bars, the PNG and the exports."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import FakeClock
from matplotlib.colors import to_hex
from matplotlib.dates import date2num
from support.jobs import job

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.core.lifecycle import DISPLAY, JobStatus, Verdict
from amplify_auth_widgets.jobs.report import (
    STATUS_COLORS,
    export_frame,
    figure_png,
    new_figure,
    plain_text,
    plot_status_counts,
    plot_timeline,
    summary,
)

START = pd.Timestamp(1_800_000_000, unit="s", tz="UTC")
GREEN, RED, BLUE = "#2e7d32", "#c62828", "#1565c0"


@pytest.fixture
def history():
    """Create jobs: 10 s and 30 s done, 20 s failed, one running, one given up on (timed out);
    one update job of 40 s in another app."""
    clock = FakeClock()
    history = JobHistory(":memory:", clock)
    for i, (status, seconds) in enumerate(
        [("COMPLETED", 10), ("COMPLETED", 30), ("FAILED", 20), ("IN_PROGRESS", 5)]
    ):
        history.record_status(job(f"j{i}", "IN_PROGRESS"))
        clock.advance(seconds)
        if status != "IN_PROGRESS":
            history.record_status(
                job(f"j{i}", status, Error="boom" if status == "FAILED" else None)
            )
    history.record_status(job("t", "IN_PROGRESS", env="prod"))
    clock.advance(7)
    history.record_timeout("t")
    history.record_status(job("u", "IN_PROGRESS", app="d2", operation="UpdateBackendAuth"))
    clock.advance(40)
    history.record_status(job("u", "COMPLETED", app="d2", operation="UpdateBackendAuth"))
    return history


def row(table, name):
    return {k: v for k, v in table.loc[name].items()}


def test_the_summary_counts_each_operation_and_all(history):
    table = summary(history.jobs())
    assert table.index.tolist() == ["CreateBackendAuth", "UpdateBackendAuth", "(all)"]
    assert table.index.name == "operation"
    create = row(table, "CreateBackendAuth")
    assert {k: create[k] for k in ("jobs", "completed", "failed", "in_progress", "timed_out")} == {
        "jobs": 5,
        "completed": 2,
        "failed": 1,
        "in_progress": 2,
        "timed_out": 1,
    }
    assert create["success_rate"] == pytest.approx(2 / 3)
    # the durations of the completed jobs only (10 s and 30 s), not the failed one's
    assert create["p50_duration"] == pd.Timedelta(seconds=20)
    assert create["p95_duration"] == pd.Timedelta(seconds=29)
    update = row(table, "UpdateBackendAuth")
    assert (update["jobs"], update["completed"], update["failed"], update["in_progress"]) == (
        1,
        1,
        0,
        0,
    )
    assert update["timed_out"] == 0 and update["success_rate"] == 1.0
    assert update["p50_duration"] == update["p95_duration"] == pd.Timedelta(seconds=40)
    every = row(table, "(all)")
    assert (every["jobs"], every["completed"], every["failed"], every["in_progress"]) == (
        6,
        3,
        1,
        2,
    )
    assert every["success_rate"] == pytest.approx(3 / 4)
    assert every["p50_duration"] == pd.Timedelta(seconds=30)
    assert (
        str(table["p50_duration"].dtype) == str(table["p95_duration"].dtype) == ("timedelta64[ns]")
    )


def test_the_summary_of_some_jobs_lists_only_their_operations(history):
    jobs = history.jobs()
    some = jobs[jobs["app_id"] == "d2"]  # the category still knows CreateBackendAuth
    assert "CreateBackendAuth" in some["operation"].cat.categories
    table = summary(some)
    assert table.index.tolist() == ["UpdateBackendAuth", "(all)"]


def test_a_summary_of_jobs_none_of_which_ended():
    clock = FakeClock()
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "IN_PROGRESS"))
    table = summary(history.jobs())
    create = row(table, "CreateBackendAuth")
    assert (create["jobs"], create["completed"], create["failed"], create["in_progress"]) == (
        1,
        0,
        0,
        1,
    )
    assert math.isnan(create["success_rate"])
    assert pd.isna(create["p50_duration"]) and pd.isna(create["p95_duration"])
    failed = JobHistory(":memory:", clock)
    failed.record_status(job("f", "FAILED", Error="boom"))
    only = row(summary(failed.jobs()), "(all)")
    assert (only["completed"], only["failed"], only["in_progress"]) == (0, 1, 0)
    assert only["success_rate"] == 0.0


def lanes(axes):
    return [t.get_text() for t in axes.get_yticklabels()]


def bars(axes):
    """Each bar: its lane's label, start and end (as dates plot), height and colour."""
    labels = lanes(axes)
    found = []
    for patch in axes.patches:
        lane = labels[round(patch.get_y() + patch.get_height() / 2)]
        found.append(
            (lane, patch.get_x(), patch.get_x() + patch.get_width(), patch.get_height(), patch)
        )
    return found


def day(value):
    """A date as dates plot (days), to a millisecond."""
    return pytest.approx(value, abs=1e-8)


def at(seconds):
    return date2num((START + pd.Timedelta(seconds=seconds)).to_pydatetime())


def test_the_timeline_draws_a_bar_a_job_in_its_lane_and_colour(history):
    jobs = history.jobs()
    now = START + pd.Timedelta(seconds=200)
    figure = plot_timeline(jobs, now=now)
    axes = figure.axes[0]
    assert lanes(axes) == ["d1 / dev", "d1 / prod", "d2 / dev"]
    drawn = bars(axes)
    assert len(drawn) == 6
    colours = [to_hex(p.get_facecolor()) for *_, p in drawn]
    # j0, j1 done (green), j2 failed (red), j3 running (blue), t timed out, u done
    assert colours == [GREEN, GREEN, RED, BLUE, DISPLAY[Verdict.TIMED_OUT].color, GREEN]
    assert [d[0] for d in drawn] == ["d1 / dev"] * 4 + ["d1 / prod", "d2 / dev"]
    assert all(d[3] == pytest.approx(0.6) for d in drawn)
    j0 = drawn[0]
    assert j0[1] == day(at(0)) and j0[2] == day(at(10))
    # a job not yet ended runs to now; so does one given up on (no end is known)
    running = drawn[3]
    assert running[1] == day(at(60)) and running[2] == day(date2num(now))
    assert drawn[4][2] == day(date2num(now))
    assert axes.get_xlabel() == "time (UTC)"
    assert axes.get_title() == "Jobs by app and environment"


def test_a_running_job_runs_to_the_present_by_default(far_from_utc):
    """(the present in UTC, whatever this machine's time zone)"""
    history = JobHistory(":memory:", FakeClock(1_700_000_000.0))  # started in the past
    history.record_status(job("j", "IN_PROGRESS"))
    before = pd.Timestamp.now(tz="UTC")
    axes = plot_timeline(history.jobs()).axes[0]
    after = pd.Timestamp.now(tz="UTC")
    (bar,) = axes.patches
    assert bar.get_x() == day(date2num(pd.Timestamp(1_700_000_000, unit="s")))
    end = bar.get_x() + bar.get_width()
    assert date2num(before) - 1e-6 <= end <= date2num(after) + 1e-6


def test_a_job_of_no_time_still_shows():
    clock = FakeClock()
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "IN_PROGRESS"))
    history.record_status(job("j", "COMPLETED"))
    axes = plot_timeline(history.jobs(), now=START).axes[0]
    (bar,) = axes.patches
    assert bar.get_width() == pytest.approx(1e-6)


def test_the_timeline_legend_names_every_status_beside_the_axes(history):
    figure = plot_timeline(history.jobs(), now=START + pd.Timedelta(seconds=200))
    legend = figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(STATUS_COLORS)
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == [
        d.color for d in DISPLAY.values()
    ]
    assert STATUS_COLORS[JobStatus.FAILED] == RED
    # anchored at the axes' top right, its upper left corner there: outside the bars
    box = legend.get_bbox_to_anchor().transformed(figure.axes[0].transAxes.inverted())
    assert (box.x0, box.y0) == (pytest.approx(1.01), pytest.approx(1.0))
    assert legend._loc == 2  # "upper left"
    assert legend.borderaxespad == 0.0
    from matplotlib.font_manager import FontProperties

    small = FontProperties(size="small").get_size_in_points()
    assert [t.get_fontsize() for t in legend.get_texts()] == [small] * len(STATUS_COLORS)
    assert small < FontProperties(size="medium").get_size_in_points()


def test_the_timeline_grows_with_its_lanes():
    clock = FakeClock()
    history = JobHistory(":memory:", clock)
    history.record_status(job("a", "IN_PROGRESS"))
    small = plot_timeline(history.jobs(), now=START)
    assert tuple(small.get_size_inches()) == (9, 2.0)
    for i in range(8):
        history.record_status(job(f"j{i}", "IN_PROGRESS", env=f"e{i}"))
    tall = plot_timeline(history.jobs(), now=START)
    assert tuple(tall.get_size_inches()) == (9, pytest.approx(0.35 * 9 + 1.2))


def test_names_with_dollars_are_shown_as_written():
    clock = FakeClock()
    history = JobHistory(":memory:", clock)
    history.record_status(job("j", "IN_PROGRESS", app="$x$", env="a$b"))
    figure = plot_timeline(history.jobs(), now=START)
    assert lanes(figure.axes[0]) == ["$x$ / a$b"]
    for label in figure.axes[0].get_yticklabels():
        assert label.get_parse_math() is False and label.get_usetex() is False
    figure_png(figure)  # draws


def test_plain_text_turns_mathtext_and_tex_off_everywhere():
    figure = new_figure(4, 3)
    axes = figure.add_subplot()
    axes.set_title("$\\undefined$")
    title = axes.title
    title.set_usetex(True)
    assert title.get_parse_math() is True
    assert plain_text(figure) is figure
    assert title.get_parse_math() is False and title.get_usetex() is False
    figure_png(figure)
    # TeX on for every text by the user's matplotlib settings: still off for ours
    import matplotlib

    with matplotlib.rc_context({"text.usetex": True}):
        figure = new_figure(4, 3)
        figure.add_subplot().set_title("50% of $x$")
        plain_text(figure)
        assert all(not t.get_usetex() for t in figure.findobj(matplotlib.text.Text))


def test_a_new_figure_has_its_size_and_lays_itself_out():
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figure = new_figure(5, 3)
    assert tuple(figure.get_size_inches()) == (5, 3)
    assert isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine)
    # drawn on the Agg canvas of its own (no pyplot, no GUI backend): it renders in a kernel
    # thread
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    assert isinstance(figure.canvas, FigureCanvasAgg) and figure.canvas.figure is figure
    figure.canvas.draw()
    assert figure.canvas.buffer_rgba().shape == (300, 500, 4)  # 5 x 3 inches at 100 dpi


def test_the_png_is_the_figures_size_at_90_dpi():
    png = figure_png(new_figure(5, 3))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (450, 270)
    # a PNG whatever format the user's matplotlib settings save in
    import matplotlib

    with matplotlib.rc_context({"savefig.format": "svg"}):
        assert figure_png(new_figure(5, 3))[:8] == b"\x89PNG\r\n\x1a\n"


def events(*rows):
    return pd.DataFrame(
        {
            "time": [START + pd.Timedelta(seconds=s) for s, _ in rows],
            "status": pd.Categorical([status for _, status in rows]),
        }
    )


def test_status_counts_stack_each_minutes_changes():
    frame = events(
        (0, "IN_PROGRESS"),
        (10, "IN_PROGRESS"),
        (20, "COMPLETED"),
        (70, "FAILED"),
        (80, "IN_PROGRESS"),
        (90, Verdict.TIMED_OUT),
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no deprecated frequency alias in a user's notebook)
        figure = plot_status_counts(frame)
    axes = figure.axes[0]
    assert axes.get_title() == "Status changes over time"
    assert axes.get_ylabel() == "count"
    # one bar a minute and status (zero-height ones too), stacked in the order of the
    # legend, each the colour of its status
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["COMPLETED", "FAILED", "IN_PROGRESS", "TIMED_OUT (local)"]
    patches = axes.patches
    assert len(patches) == 8
    minute = date2num(START.to_pydatetime())
    width = 0.8 / (24 * 60)
    for i, status in enumerate(legend):
        colour = DISPLAY[status].color
        for j in range(2):
            patch = patches[2 * i + j]
            assert to_hex(patch.get_facecolor()) == colour
            assert patch.get_width() == pytest.approx(width)
            centre = patch.get_x() + patch.get_width() / 2
            assert centre == day(minute + j / (24 * 60))
    heights = {
        (s, j): patches[2 * i + j].get_height() for i, s in enumerate(legend) for j in (0, 1)
    }
    bottoms = {(s, j): patches[2 * i + j].get_y() for i, s in enumerate(legend) for j in (0, 1)}
    assert heights == {
        ("COMPLETED", 0): 1,
        ("COMPLETED", 1): 0,
        ("FAILED", 0): 0,
        ("FAILED", 1): 1,
        ("IN_PROGRESS", 0): 2,
        ("IN_PROGRESS", 1): 1,
        ("TIMED_OUT (local)", 0): 0,
        ("TIMED_OUT (local)", 1): 1,
    }
    # first minute: COMPLETED 0-1, FAILED at 1, IN_PROGRESS 1-3, TIMED_OUT at 3
    assert [bottoms[(s, 0)] for s in legend] == [0, 1, 1, 3]
    # second minute: COMPLETED at 0, FAILED 0-1, IN_PROGRESS 1-2, TIMED_OUT 2-3
    assert [bottoms[(s, 1)] for s in legend] == [0, 0, 1, 2]
    box = axes.get_legend().get_bbox_to_anchor().transformed(axes.transAxes.inverted())
    assert (box.x0, box.y0) == (pytest.approx(1.01), pytest.approx(1.0))
    assert axes.get_legend()._loc == 2
    from matplotlib.font_manager import FontProperties

    small = FontProperties(size="small").get_size_in_points()
    assert [t.get_fontsize() for t in axes.get_legend().get_texts()] == [small] * 4
    assert tuple(figure.get_size_inches()) == (9, pytest.approx(3.2))


def test_status_counts_in_buckets_of_the_frequency_asked():
    frame = events((0, "COMPLETED"), (10, "COMPLETED"), (20, "COMPLETED"))
    axes = plot_status_counts(frame, "10s").axes[0]
    assert [p.get_height() for p in axes.patches] == [1, 1, 1]
    assert axes.patches[0].get_width() == pytest.approx(0.8 * 10 / 86400)


def test_no_status_changes_draw_empty_axes():
    frame = events()
    figure = plot_status_counts(frame)
    axes = figure.axes[0]
    assert len(axes.patches) == 0 and axes.get_legend() is None
    assert axes.get_title() == "Status changes over time"


def test_exports_by_suffix(tmp_path):
    frame = pd.DataFrame({"name": ["=HYPERLINK(1)", "plain"], "n": [1, -3]})
    csv = export_frame(frame, tmp_path / "out.csv")
    assert csv == tmp_path / "out.csv"
    assert csv.read_text().splitlines() == ["name,n", "'=HYPERLINK(1),1", "plain,-3"]
    upper = export_frame(frame, str(tmp_path / "OUT.CSV"))
    assert upper.read_text() == csv.read_text()
    for name in ("out.parquet", "out.pq", "OUT.PARQUET"):
        written = export_frame(frame, tmp_path / name)
        back = pd.read_parquet(written)
        assert back.columns.tolist() == ["name", "n"]  # no index column
        assert back["name"].tolist() == ["=HYPERLINK(1)", "plain"]


def test_an_export_to_another_format_is_refused(tmp_path):
    frame = pd.DataFrame({"n": [1]})
    with pytest.raises(ValueError) as info:
        export_frame(frame, tmp_path / "out.xlsx")
    assert str(info.value) == "export to .csv or .parquet, not '.xlsx'"
    with pytest.raises(ValueError) as bare:
        export_frame(frame, tmp_path / "out")
    assert str(bare.value) == "export to .csv or .parquet, not 'no suffix'"
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "out").exists()


def test_as_many_failed_as_completed_is_half_a_success():
    history = JobHistory(":memory:", FakeClock())
    history.record_status(job("ok", "COMPLETED"))
    history.record_status(job("ko", "FAILED", Error="boom"))
    assert row(summary(history.jobs()), "CreateBackendAuth")["success_rate"] == 0.5


def test_times_with_nanoseconds_plot_without_a_warning():
    """The history's clock can give nanoseconds: a plot has no use for them, and no warning is
    given for any bar's start or end."""
    import warnings

    history = JobHistory(":memory:", FakeClock())
    history.record_status(job("a", "IN_PROGRESS"))
    history.record_status(job("b", "IN_PROGRESS"))
    history.record_status(job("b", "COMPLETED"))
    jobs = history.jobs()
    jobs["finished"] += pd.Timedelta(1, "ns")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_timeline(jobs, now=pd.Timestamp(1_800_000_100_000_000_001, unit="ns", tz="UTC"))


def test_lanes_named_like_mathtext_draw_as_written():
    history = JobHistory(":memory:", FakeClock())
    for i, name in enumerate(("$\\undefined$", "a$b", "$x^2$", "50%")):
        history.record_status(job(f"j{i}", "IN_PROGRESS", app=name))
    figure = plot_timeline(history.jobs(), now=START)
    assert lanes(figure.axes[0]) == sorted(
        f"{name} / dev" for name in ("$\\undefined$", "a$b", "$x^2$", "50%")
    )
    figure_png(figure)  # an unknown mathtext command would fail the drawing
    for label in figure.axes[0].get_yticklabels():
        assert label.get_parse_math() is False and label.get_usetex() is False


def test_an_export_writes_the_rows_not_the_frames_index(tmp_path):
    """A filtered frame (rows 1 and 3 of four) is written as two rows and its columns, read
    back numbered from 0, in either format."""
    frame = pd.DataFrame({"job_id": ["a", "b", "c", "d"], "n": [1, 2, 3, 4]})
    some = frame[frame["n"] % 2 == 0]
    assert some.index.tolist() == [1, 3]
    back = pd.read_parquet(export_frame(some, tmp_path / "some.parquet"))
    assert back.columns.tolist() == ["job_id", "n"] and back.index.tolist() == [0, 1]
    assert back["job_id"].tolist() == ["b", "d"]
    text = export_frame(some, tmp_path / "some.csv").read_text().splitlines()
    assert text == ["job_id,n", "b,2", "d,4"]


def test_an_export_of_the_summary_keeps_its_operations(tmp_path):
    """A named index is data: the summary's operations, a groupby's keys (of every level)."""
    history = JobHistory(":memory:", FakeClock())
    history.record_status(job("ok", "COMPLETED"))
    history.record_status(job("ko", "FAILED", Error="boom"))
    table = summary(history.jobs())
    assert table.index.name == "operation"
    back = pd.read_parquet(export_frame(table, tmp_path / "summary.parquet"))
    assert back.columns.tolist()[:2] == ["operation", "jobs"]
    assert back["operation"].tolist() == ["CreateBackendAuth", "(all)"]
    assert back["success_rate"].tolist() == [0.5, 0.5]
    text = export_frame(table, tmp_path / "summary.csv").read_text().splitlines()
    assert text[0].startswith("operation,jobs,completed,failed,")
    assert [line.split(",")[0] for line in text[1:]] == ["CreateBackendAuth", "(all)"]
    frame = pd.DataFrame({"app": ["a", "a", "b"], "env": ["x", "y", "x"], "n": [1, 2, 3]})
    by_two = frame.groupby(["app", "env"]).sum()
    text = export_frame(by_two, tmp_path / "by-two.csv").read_text().splitlines()
    assert text == ["app,env,n", "a,x,1", "a,y,2", "b,x,3"]
    # a level a column already holds is written once; an unnamed level is left out
    kept = frame.set_index("app", drop=False)
    text = export_frame(kept, tmp_path / "kept.csv").read_text().splitlines()
    assert text == ["app,env,n", "a,x,1", "a,y,2", "b,x,3"]
    half = frame.set_index(["app", pd.Index([7, 8, 9])])
    back = pd.read_parquet(export_frame(half, tmp_path / "half.parquet"))
    assert back.columns.tolist() == ["app", "env", "n"] and back["app"].tolist() == ["a", "a", "b"]
