"""The progress of a fleet audit or apply, drawn by ``tqdm`` where the user looks at it.

``ProgressBar(label)`` is a ``progress(done, total)`` callable (what ``Fleet.audit`` and
``fleet.apply`` call as targets settle) that picks its way of showing by where it runs:

* ``"notebook"``: in a Jupyter kernel (also Voila's), tqdm's notebook bar, an ipywidgets bar
  drawn below the cell;
* ``"terminal"``: on a stream that is a terminal, tqdm's bar, redrawn in place (at most ten
  times a second);
* ``"lines"``: anywhere else (a pipe, a file, a CI log), whole lines in tqdm's words and
  nothing redrawn: one at the start, one for each tenth reached (no more often than
  ``interval`` seconds) and one at the end, so a log of 2,000 targets holds a dozen lines,
  never a carriage return.

A bar ends when ``done`` reaches ``total`` (or by ``close()``, also as a context manager); the
next call starts another, as does a call with another ``total``, so one object serves several
runs. Calls may come from several threads, out of order: one whose ``done`` is below what the
bar shows, or that follows the end of its run by less than ``LATE_SECONDS`` (not from 0), came
late and is passed over.

tqdm is imported by the bar that draws, not by this module: the fleet layer loads no more
than it uses (``tests/fleet/test_light_imports.py``).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any, Literal, TextIO

Style = Literal["auto", "notebook", "terminal", "lines"]
#: The styles a bar can draw in (``"auto"`` picks one of them).
STYLES: tuple[str, ...] = ("auto", "notebook", "terminal", "lines")
#: A line of the ``"lines"`` style, in tqdm's format language.
LINE_FORMAT = "{desc}: {n_fmt}/{total_fmt} ({percentage:.0f}%) [{elapsed}<{remaining}, {rate_fmt}]"
#: How long after a run's end a call of its total (not from 0) is taken as a late one of
#: another thread rather than the start of the next run.
LATE_SECONDS = 1.0
#: The least seconds between two lines of the ``"lines"`` style (the last is always written).
LINE_INTERVAL = 5.0


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (an IPython shell started by ipykernel, as in
    JupyterLab, Voila and nbclient): there, a widget bar is what the user sees."""
    ipython = sys.modules.get("IPython")  # never imported here: a kernel has it loaded
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def choose_style(stream: TextIO | None) -> str:
    """``"notebook"`` in a Jupyter kernel, ``"terminal"`` when ``stream`` is a terminal,
    ``"lines"`` otherwise (a stream without ``isatty`` is no terminal)."""
    if in_notebook():
        return "notebook"
    isatty = getattr(stream, "isatty", None)
    try:
        return "terminal" if callable(isatty) and isatty() else "lines"
    except ValueError:  # a closed stream
        return "lines"


class ProgressBar:
    """``progress(done, total)`` drawn by tqdm (see the module): ``label`` names the run,
    ``unit`` what is counted, ``stream`` where the terminal bar and the lines go (stderr by
    default; the notebook bar is a widget)."""

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        *,
        unit: str = "target",
        style: Style = "auto",
        interval: float = LINE_INTERVAL,
    ) -> None:
        if style not in STYLES:
            raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
        self.label, self.unit, self.interval = label, unit, interval
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.style = choose_style(self.stream) if style == "auto" else style
        self._lock = threading.Lock()
        self._bar: Any = None  # the tqdm bar drawing now (terminal and notebook styles)
        self._run: tuple[int, int] | None = None  # (done, total) of the run drawn now
        self._started = 0.0
        self._line: tuple[float, int] = (0.0, -1)  # the last line's time and tenth
        self._ended: tuple[int, float] | None = None  # the last run's total and end time

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            if self._run is not None and total != self._run[1]:
                self._end()
            elif self._late(done, total):
                return
            if self._run is None:
                self._begin(done, total)
            self._run = (done, total)
            self._draw(done, total)
            if done >= total:
                self._end()

    def _late(self, done: int, total: int) -> bool:
        """Whether a call came late from another thread: below what the bar shows, or (not
        from 0) just after the run of its total ended."""
        if self._run is not None:
            return done < self._run[0]
        ended = self._ended
        return (
            ended is not None
            and ended[0] == total
            and done > 0
            and (time.monotonic() - ended[1] < LATE_SECONDS)
        )

    def close(self) -> None:
        """End the bar drawn now, where it stands (nothing happens when none is)."""
        with self._lock:
            self._end()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- drawing ---------------------------------------------------------------------------

    def _begin(self, done: int, total: int) -> None:
        self._started, self._line = time.monotonic(), (0.0, -1)
        if self.style == "lines":
            return
        options = dict(total=total, initial=done, desc=self.label, unit=self.unit, leave=True)
        if self.style == "notebook":
            try:
                from tqdm.notebook import tqdm as notebook_tqdm  # deferred: ipywidgets

                self._bar = notebook_tqdm(**options)
            except ImportError:  # tqdm's notebook bar needs ipywidgets: lines without them
                self.style = "lines"
        else:
            from tqdm import tqdm  # deferred: what draws is loaded by the bar that draws

            width = {"dynamic_ncols": True} if _has_width(self.stream) else {"ncols": 80}
            self._bar = tqdm(file=self.stream, mininterval=0.1, **width, **options)

    def _draw(self, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
            return
        now = time.monotonic()
        tenth = 10 * done // total if total > 0 else 10
        last_time, last_tenth = self._line
        quiet = tenth <= last_tenth or now - last_time < self.interval
        if done < total and last_tenth >= 0 and quiet:
            return  # (the first line and the last are always written)
        self._line = (now, tenth)
        self._write_line(done, total, now - self._started)

    def _write_line(self, done: int, total: int, elapsed: float) -> None:
        from tqdm import tqdm  # deferred: see _begin

        text = tqdm.format_meter(
            done, total, elapsed, prefix=self.label, unit=self.unit, bar_format=LINE_FORMAT
        )
        self.stream.write(text + "\n")
        self.stream.flush()

    def _end(self) -> None:
        if self._run is not None:
            self._ended = (self._run[1], time.monotonic())
        if self._bar is not None:
            self._bar.close()
        self._bar, self._run = None, None


def _has_width(stream: TextIO) -> bool:
    """Whether a terminal says how wide it is (a pseudo-terminal nobody sized says 0 columns,
    and tqdm would fit its bar into nothing)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns > 0
    except (AttributeError, OSError, ValueError):
        return False
