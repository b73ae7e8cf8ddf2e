"""Summaries, plots and exports of the frames the job history hands out.

This module reads no table itself: ``JobHistory.jobs()``, ``requests()`` and ``events()`` give
typed frames (ids as ``string``, status and operation as ``category``, UTC timestamps,
timedelta durations), and everything here takes such a frame. Plots use
matplotlib's object API on the Agg canvas (no pyplot state, so they work in a kernel thread and
in Voila alike) and return the Figure. Their labels are plain text: an app or environment
named ``$x$`` or ``a$b`` is shown as it is, never read as mathtext or LaTeX (``plain_text``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

from ..core.csvsafe import to_csv
from ..core.lifecycle import DISPLAY, JobStatus, display

#: Colours by status and verdict (``lifecycle.DISPLAY``), for plots and badges.
STATUS_COLORS = {name: d.color for name, d in DISPLAY.items()}


def summary(jobs: pd.DataFrame) -> pd.DataFrame:
    """Per operation and overall: jobs by status, success rate, p50 and p95 duration."""
    import pandas as pd  # deferred: slow to import

    rows = []
    groups: list[tuple[str, pd.DataFrame]] = [
        (str(name), group) for name, group in jobs.groupby("operation", observed=True)
    ]
    groups.append(("(all)", jobs))
    for name, group in groups:
        counts = group["status"].astype(str).value_counts()
        done = int(counts.get(JobStatus.COMPLETED, 0))
        failed = int(counts.get(JobStatus.FAILED, 0))
        durations = group.loc[group["status"] == JobStatus.COMPLETED, "duration"].dropna()
        rows.append(
            {
                "operation": name,
                "jobs": len(group),
                "completed": done,
                "failed": failed,
                "in_progress": len(group) - done - failed,
                "timed_out": int(group["timed_out"].sum()),
                "success_rate": done / (done + failed) if done + failed else float("nan"),
                # None, not NaT: a column of NaT alone is taken for datetimes
                "p50_duration": durations.quantile(0.5) if len(durations) else None,
                "p95_duration": durations.quantile(0.95) if len(durations) else None,
            }
        )
    frame = pd.DataFrame(rows).set_index("operation")
    return frame.astype({"p50_duration": "timedelta64[ns]", "p95_duration": "timedelta64[ns]"})


def new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # deferred: slow to import
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def plain_text(figure: Figure) -> Figure:
    """Every text of ``figure`` shown as written: no mathtext (``$...$``), no LaTeX.

    Labels come from data (app and environment names, statuses): a ``$`` in one would be
    read as mathtext, and an unknown command such as ``$\\undefined$`` then fails the drawing.
    """
    from matplotlib.text import Text  # deferred: slow to import

    for text in figure.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)
    return figure


def plot_timeline(jobs: pd.DataFrame, now: Any = None) -> Figure:
    """One bar a job, from creation to its end (or now), a row per app and environment,
    coloured by status."""
    import pandas as pd  # deferred: slow to import
    from matplotlib.dates import date2num
    from matplotlib.patches import Patch

    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    lanes = (jobs["app_id"].astype(str) + " / " + jobs["environment"].astype(str)).tolist()
    names = sorted(set(lanes))
    figure = new_figure(9, max(2.0, 0.35 * len(names) + 1.2))
    axes = figure.add_subplot()
    for lane, (_, job) in zip(lanes, jobs.iterrows(), strict=True):
        end = job["finished"] if pd.notna(job["finished"]) else now
        # a plot has no use for nanoseconds: dropped without a warning for each bar
        start = date2num(job["created"].to_pydatetime(warn=False))
        width = max(date2num(end.to_pydatetime(warn=False)) - start, 1e-6)
        verdict = job["local_verdict"] if job["timed_out"] else None
        axes.barh(
            names.index(lane),
            width,
            left=start,
            height=0.6,
            color=display(str(job["status"]), verdict).color,
        )
    axes.set_yticks(range(len(names)), names, parse_math=False, usetex=False)
    axes.xaxis_date()
    axes.set_xlabel("time (UTC)")
    axes.set_title("Jobs by app and environment")
    # Beside the axes, never over them: inside, the legend hid the bars of the first lanes.
    axes.legend(
        handles=[Patch(color=c, label=s) for s, c in STATUS_COLORS.items()],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        fontsize="small",
    )
    return plain_text(figure)


def plot_status_counts(events: pd.DataFrame, freq: str = "1min") -> Figure:
    """How many status changes of each kind were seen in each time bucket."""
    import pandas as pd  # deferred: slow to import

    figure = new_figure(9, 3.2)
    axes = figure.add_subplot()
    if len(events):
        counts = (
            events.assign(status=events["status"].astype(str))
            .groupby([events["time"].dt.floor(freq), "status"])
            .size()
            .unstack(fill_value=0)
        )
        bottom = None
        width = 0.8 * (pd.Timedelta(freq) / pd.Timedelta("1D"))  # in days, as dates plot
        for status in counts.columns:
            axes.bar(
                counts.index,
                counts[status],
                bottom=bottom,
                label=status,
                width=width,
                color=display(status).color,
            )
            bottom = counts[status] if bottom is None else bottom + counts[status]
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    axes.set_title("Status changes over time")
    axes.set_ylabel("count")
    return plain_text(figure)


def figure_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def export_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV or Parquet by the file's suffix (CSV safe to open in a spreadsheet: ``csvsafe``).

    A named index is data (``summary``'s operations, a ``groupby``'s keys): its levels are
    written as the first columns, but for one that a column already holds (``set_index(...,
    drop=False)``). An unnamed level only numbers the rows, and is left out."""
    path = Path(path)
    suffix = path.suffix.lower()
    named = [n for n in frame.index.names if n is not None and n not in frame.columns]
    if named:
        frame = frame.reset_index(level=named)
    if suffix == ".csv":
        to_csv(frame, path, index=False)
    elif suffix in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    else:
        raise ValueError(f"export to .csv or .parquet, not {suffix or 'no suffix'!r}")
    return path
