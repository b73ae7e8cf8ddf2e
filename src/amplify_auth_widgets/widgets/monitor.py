"""JobMonitor: a live table of jobs, fed by a JobTracker running in the background.

The monitor is a widget (a ``VBox``): display it by leaving it last in a cell. The table shows
the durable history (jobs from earlier sessions too) with a status badge, the time each job has
taken so far, and its error; filters narrow it by app, environment and status. A progress bar
shows while any job is pending. Tracking runs in the tracker's thread; the monitor redraws on
every status change, and the kernel never waits. Export buttons give the history as CSV or
Parquet; the timeline plot is drawn on demand.

Its state is in traits: ``jobs`` (the rows shown) and ``filters`` (what narrows them), so a
user can ``observe`` or ``link`` them; ``on_job_done(callback)`` is called with the job, in the
service's spelling, whenever one ends.

A polite live region (``announcement``) tells screen readers what they would otherwise have to
find in the table: a job that ends (once per job, not at every poll) and a refresh that fails.
The editor's status line says the same of its own jobs, but it is hidden while the Jobs tab
shows.
"""

from __future__ import annotations

import io
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets as t

from ..client.service import BackendAuthService
from ..core.lifecycle import JobStatus, shown
from ..jobs.history import JobHistory
from ..jobs.report import figure_png, plot_timeline
from ..jobs.tracker import JobTracker
from .access import LiveRegion
from .html import download_link, escape, warning_html
from .plot import Plot, jobs_alt
from .style import STRIPE, WIDE, job_badge

ALL = "(all)"
#: Jobs that end within this many seconds of each other are announced together.
TOGETHER = 2.0
#: The filters, by the jobs frame's column they narrow, with the label each dropdown shows.
FILTERS = {"app_id": "App", "environment": "Environment", "status": "Status"}
#: The jobs frame's columns a row of ``JobMonitor.jobs`` carries (times as ISO 8601 text).
ROW_COLUMNS = ("job_id", "app_id", "environment", "operation", "status", "created", "finished")
TABLE_STYLE = (
    "<style>.aaw-jobs td,.aaw-jobs th{padding:2px 12px;text-align:left}"
    f".aaw-jobs tbody tr:nth-child(odd){{background:{STRIPE}}}</style>"
)


def badge(status: str) -> str:
    """The status as a badge: lifecycle's colour behind white text (4.5:1 in any theme)."""
    return (
        f'<span class="aaw-badge" style="{job_badge(status)};padding:1px 6px;'
        f'border-radius:8px;font-size:90%">{escape(status)}</span>'
    )


def elapsed_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


class JobMonitor(w.VBox):
    """The job monitor, a widget. Give it a tracker, or a service (and a history) to make one.

    CSS classes: ``aaw-monitor`` (the whole), ``aaw-jobs`` (the table), ``aaw-badge`` (a status).
    """

    jobs = t.List(
        t.Dict(),
        help="The jobs the table shows, newest first, after the filters: one dict a job with "
        "job_id, app_id, environment, operation, status (or local verdict), created, finished "
        "(ISO 8601 text, empty while pending) and error.",
    )
    filters = t.Dict(
        help="What narrows the table: app_id, environment and status, each mapped to the value "
        "to keep; a missing key keeps every value. Setting it moves the dropdowns.",
    )

    def __init__(
        self,
        tracker: JobTracker | None = None,
        *,
        service: BackendAuthService | None = None,
        history: JobHistory | None = None,
        clock: Callable[[], float] = time.time,
        autostart: bool = True,
        draw: bool = True,
        **kwargs: Any,
    ) -> None:
        # draw=False: the table is drawn at the first refresh() (a tracked job's change, or the
        # owner's call when it is shown): the history's frames import pandas, which the app's
        # first screen, where the monitor is a tab not shown, need not wait for
        if tracker is None:
            if service is None:
                raise ValueError("give the monitor a JobTracker, or a BackendAuthService")
            tracker = JobTracker(service, history, clock=clock)
        super().__init__(**kwargs)
        self.tracker = tracker
        self.history = tracker.history
        self.clock = tracker.clock
        self._lock = threading.RLock()
        self._job_done = w.CallbackDispatcher()
        self._moving_dropdowns = False
        #: The jobs announced as ended, and the last problem announced: each is said once.
        self._announced: set[str] = set()
        self._problem_said: str | None = None
        #: The statuses of the jobs ended together (``TOGETHER``), and when the first did.
        self._burst: list[str] = []
        self._burst_start = -float("inf")
        self._build()
        tracker.on_change(self._on_change)
        if autostart:
            self.start()
        if draw:
            self.refresh()

    @property
    def widget(self) -> JobMonitor:
        """The monitor itself (it is the widget); kept for code written before it was one."""
        return self

    def on_job_done(self, callback: Callable[[dict[str, Any]], Any], remove: bool = False) -> None:
        """Call ``callback(job)`` when a tracked job ends (COMPLETED, FAILED, or a local
        verdict); ``job`` is in the service's spelling: AppId, BackendEnvironmentName, JobId,
        Operation, Status, Error."""
        self._job_done.register_callback(callback, remove=remove)

    def set_service(self, service: BackendAuthService) -> None:
        """Ask ``service`` about the jobs from now on (after switching connection)."""
        self.tracker.service = service
        self.refresh()

    def _on_change(self, job: Any, old: str | None, new: str) -> None:
        self.refresh()
        if job.done:
            self._announce_end(job, new)
            self._job_done(
                {
                    "AppId": job.app_id,
                    "BackendEnvironmentName": job.env,
                    "JobId": job.job_id,
                    "Operation": job.operation or "",
                    "Status": new,
                    "Error": job.error or "",
                }
            )

    def announce(self, message: str) -> None:
        """Say ``message`` in the live region (a screen reader reads it without moving focus);
        said again when it repeats the last one (cleared first: only a change is read)."""
        with self._lock:
            if self.announcement.message == message:
                self.announcement.message = ""
            self.announcement.message = message

    def _announce_end(self, job: Any, status: str) -> None:
        """Say that ``job`` ended, with how, once: "CreateBackendAuth for d2abc, dev:
        COMPLETED" (and the service's error, if any). Jobs that end within ``TOGETHER``
        seconds of each other (a fleet's rollout) are said together, counted by status: a
        polite region would read only the last of a burst, or all of it, job by job."""
        with self._lock:
            if job.job_id in self._announced:
                return
            self._announced.add(job.job_id)
            now = time.monotonic()
            if now - self._burst_start > TOGETHER:
                self._burst_start, self._burst = now, []
            self._burst.append(status)
            if len(self._burst) > 1:
                counts = Counter(self._burst)
                each = ", ".join(f"{counts[s]} {s}" for s in sorted(counts))
                self.announce(f"{len(self._burst)} jobs ended: {each}")
                return
        what = f"{job.operation or 'Job'} for {job.app_id}, {job.env}: {status}"
        self.announce(f"{what}. {job.error}" if job.error else what)

    def _build(self) -> None:
        """The monitor's widgets: summary and progress, filters, buttons, the table, the plot."""
        self.summary = w.HTML()
        self.announcement = LiveRegion()
        self.progress = w.IntProgress(
            value=0, min=0, max=1, bar_style="info", layout=w.Layout(width="200px")
        )
        filters = self._build_filters()
        buttons = self._build_buttons()
        self.download = w.HTML()
        self.table = w.HTML()
        self.problem = w.HTML()
        self.timeline = Plot("aaw-timeline")
        wrap = w.Layout(flex_flow="row wrap")
        self.children = [
            w.HBox([self.summary, self.progress]),
            self.announcement,
            w.HBox(filters, layout=wrap),
            w.HBox([*buttons, self.download], layout=wrap),
            self.problem,
            self.table,
            self.timeline,
        ]
        self.add_class("aaw-monitor")

    def _build_filters(self) -> list[w.Widget]:
        """The App, Environment and Status dropdowns, each narrowing the table by its column."""
        # Labels in full: the default description width cuts "Environment" to "environm…".
        self.app_filter = w.Dropdown(options=[ALL], value=ALL, description="App", style=WIDE)
        self.env_filter = w.Dropdown(
            options=[ALL], value=ALL, description="Environment", style=WIDE
        )
        self.status_filter = w.Dropdown(options=[ALL], value=ALL, description="Status", style=WIDE)
        self._filter_controls = dict(
            zip(FILTERS, (self.app_filter, self.env_filter, self.status_filter), strict=True)
        )
        for control in self._filter_controls.values():
            control.observe(self._on_filter_control, names="value")
        return list(self._filter_controls.values())

    def _build_buttons(self) -> list[w.Widget]:
        """Tracking on and off, refresh, resume, the timeline and the exports, as wide as their
        labels."""
        auto = w.Layout(width="auto")
        self.tracking = w.ToggleButton(
            value=False, description="Tracking", icon="play", layout=auto
        )
        self.tracking.observe(self._on_tracking, names="value")
        self.refresh_button = w.Button(description="Refresh", icon="refresh", layout=auto)
        self.refresh_button.on_click(lambda _: self.refresh(poll=True))
        self.resume_button = w.Button(description="Resume unfinished", icon="history", layout=auto)
        self.resume_button.on_click(lambda _: self.resume())
        self.plot_button = w.Button(description="Timeline", icon="bar-chart", layout=auto)
        self.plot_button.on_click(lambda _: self.plot())
        self.csv_button = w.Button(description="CSV", icon="download", layout=auto)
        self.parquet_button = w.Button(description="Parquet", icon="download", layout=auto)
        self.csv_button.on_click(lambda _: self.export("csv"))
        self.parquet_button.on_click(lambda _: self.export("parquet"))
        return [
            self.tracking,
            self.refresh_button,
            self.resume_button,
            self.plot_button,
            self.csv_button,
            self.parquet_button,
        ]

    # -- filters ---------------------------------------------------------------------------

    def _on_filter_control(self, change: Any) -> None:
        if self._moving_dropdowns:
            return
        chosen = {
            column: control.value
            for column, control in self._filter_controls.items()
            if control.value != ALL
        }
        if chosen != self.filters:
            self.filters = chosen
        else:
            self.refresh()

    @t.validate("filters")
    def _check_filters(self, proposal: Any) -> dict[str, Any]:
        unknown = set(proposal["value"]) - set(FILTERS)
        if unknown:
            raise t.TraitError(
                f"filters takes {', '.join(FILTERS)}; not {', '.join(sorted(unknown))}"
            )
        return {k: str(v) for k, v in proposal["value"].items() if v not in (None, ALL)}

    @t.observe("filters")
    def _on_filters(self, change: Any) -> None:
        with self._lock:
            self._moving_dropdowns = True  # the dropdowns follow the trait, not the reverse
            try:
                for column, control in self._filter_controls.items():
                    wanted = self.filters.get(column, ALL)
                    if wanted not in control.options:  # a value with no job yet: offer it
                        control.options = [*control.options, wanted]
                    control.value = wanted
            finally:
                self._moving_dropdowns = False
        self.refresh()

    # -- control ---------------------------------------------------------------------------

    def start(self) -> None:
        self.tracking.value = True

    def stop(self) -> None:
        self.tracking.value = False

    def _on_tracking(self, change: Any) -> None:
        if change["new"]:
            self.tracker.start()
            self.tracking.icon = "stop"
        else:
            self.tracker.stop()
            self.tracking.icon = "play"

    def watch(self, editor: Any) -> None:
        """Track every job the editor submits."""
        editor.on_submit(
            lambda response, operation, request: self.track(response, operation, request)
        )

    def track(
        self,
        response: dict[str, Any],
        operation: str | None = None,
        request: dict[str, Any] | None = None,
    ) -> None:
        self.tracker.track_response(response, operation, request)
        self.refresh()

    def resume(self) -> int:
        resumed = self.tracker.resume()
        self.refresh()
        return len(resumed)

    # -- drawing ---------------------------------------------------------------------------

    def frame(self) -> Any:
        """The history's jobs, narrowed by the filters."""
        frame = self.history.jobs()
        for column, value in self.filters.items():
            frame = frame[frame[column].astype(str) == value]
        return frame

    def _set_options(self, column: str, values: Any) -> None:
        control = self._filter_controls[column]
        options = [ALL, *sorted({str(v) for v in values} | {self.filters.get(column, ALL)} - {ALL})]
        if list(control.options) != options:
            # the dropdown follows the jobs here, not the reverse: new options first select
            # their first, which must not reach the filters (nor drop the one chosen)
            current, moving = control.value, self._moving_dropdowns
            self._moving_dropdowns = True
            try:
                control.options = options
                control.value = current if current in options else ALL
            finally:
                self._moving_dropdowns = moving

    def refresh(self, poll: bool = False) -> None:
        """Redraw from the history (and, with ``poll``, ask about due jobs first)."""
        refresh_failed = ""
        if poll:
            try:
                self.tracker.poll_due()
            except Exception as exc:  # shown in words, and said
                refresh_failed = f"Refresh failed: {exc}"
                self.announce(refresh_failed)
        with self._lock:
            every = self.history.jobs()
            for column in FILTERS:
                self._set_options(column, every[column].astype(str))
            frame = self.frame()
            pending = [j for j in self.tracker.jobs.values() if not j.done]
            total = len(self.tracker.jobs)
            self.progress.max = max(total, 1)
            self.progress.value = total - len(pending)
            self.progress.layout.visibility = "visible" if pending else "hidden"
            counts = every["status"].astype(str).value_counts()
            unfinished = len(self.history.unfinished()) - len(pending)
            self.resume_button.disabled = unfinished <= 0
            self.resume_button.description = (
                f"Resume {unfinished} unfinished" if unfinished > 0 else "Resume unfinished"
            )
            done, failed = counts.get(JobStatus.COMPLETED, 0), counts.get(JobStatus.FAILED, 0)
            self.summary.value = (
                f"<b>{len(pending)} pending</b> &middot; {done} completed "
                f"&middot; {failed} failed &middot; API calls: "
                f"<b>{self.tracker.calls}</b>"
            )
            self.table.value = self._table(frame)
            self.jobs = _rows(frame)
            problems = self.tracker.problems
            shown_problem = refresh_failed or (problems[-1] if problems else "")
            self.problem.value = warning_html(shown_problem) if shown_problem else ""
            if problems and problems[-1] is not self._problem_said:
                self._problem_said = problems[-1]
                self.announce(problems[-1])

    def _table(self, frame: Any) -> str:
        if frame.empty:
            return "<i>No jobs yet. Submit a request, or resume unfinished jobs.</i>"
        import pandas as pd

        now = self.clock()
        rows = []
        for job in frame.sort_values("created", ascending=False).itertuples():
            end = now if pd.isna(job.finished) else job.finished.timestamp()
            status = shown(job.status, job.local_verdict if job.timed_out else None)
            error = "" if pd.isna(job.error) else str(job.error)
            rows.append(
                f"<tr><td><code title='{escape(str(job.job_id))}'>"
                f"{escape(str(job.job_id)[:8])}</code></td>"
                f"<td>{escape(str(job.app_id))}</td>"
                f"<td>{escape(str(job.environment))}</td>"
                f"<td>{escape(str(job.operation))}</td><td>{badge(status)}</td>"
                f"<td>{elapsed_text(end - job.created.timestamp())}</td>"
                f"<td>{escape(error)}</td></tr>"
            )
        head = "".join(
            f"<th>{h}</th>"
            for h in ("job", "app", "environment", "operation", "status", "elapsed", "error")
        )
        return (
            f'{TABLE_STYLE}<table class="aaw-jobs"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def plot(self) -> bytes:
        """Draw the timeline of the filtered jobs; returns the PNG."""
        frame = self.frame()
        if frame.empty:
            self.problem.value = warning_html("Nothing to plot yet.")
            return b""
        import pandas as pd

        try:
            now = pd.Timestamp(self.clock(), unit="s", tz="UTC")
            png = figure_png(plot_timeline(frame, now=now))
        except Exception as exc:  # a plot is a view: the table stands, and the reason is said
            self.problem.value = warning_html(f"The timeline could not be drawn: {exc}")
            self.timeline.hide()
            return b""
        self.timeline.show(png, jobs_alt(frame))
        return png

    def export(self, fmt: str = "csv") -> bytes:
        """The filtered jobs as CSV or Parquet, offered as a download link."""
        frame = self.frame()
        if fmt == "csv":
            from ..core.csvsafe import to_csv

            data = to_csv(frame, index=False).encode()
            mime = "text/csv"
        else:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            data = buffer.getvalue()
            mime = "application/vnd.apache.parquet"
        name = f"jobs.{fmt}"
        self.download.value = download_link(name, data, mime)
        return data


def _rows(frame: Any) -> list[dict[str, Any]]:
    """The frame's jobs as plain dicts, newest first (for the ``jobs`` trait)."""
    rows = []
    for job in frame.sort_values("created", ascending=False).to_dict("records"):
        row = {k: _plain(job[k]) for k in ROW_COLUMNS}
        row["status"] = shown(job["status"], job["local_verdict"] if job["timed_out"] else None)
        row["error"] = _plain(job["error"])
        rows.append(row)
    return rows


def _plain(value: Any) -> str:
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
