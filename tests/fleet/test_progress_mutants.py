"""fleet.progress, what its first tests left open (found by a mutation run): which shells are a
Jupyter kernel, streams that are no terminal, the bar's defaults, a run started part way, the
terminal bar's width and how often it is redrawn, and the edges of the late-call window and of
the lines' interval (on a clock stood in for, so that nothing waits)."""

from __future__ import annotations

import fcntl
import io
import os
import struct
import sys
import termios
import time
import types

import pytest
from support.terminal import read_all

from amplify_auth_widgets.fleet import ProgressBar
from amplify_auth_widgets.fleet import progress as progress_module
from amplify_auth_widgets.fleet.progress import LATE_SECONDS, choose_style, in_notebook


def lines_of(stream: io.StringIO) -> list[str]:
    text = stream.getvalue()
    assert "\r" not in text
    return text.splitlines()


def drawn(text: str) -> list[str]:
    """Each drawing of a terminal bar (tqdm redraws in place with a carriage return)."""
    return [part for part in text.replace("\n", "\r").split("\r") if part]


def heads(stream: io.StringIO) -> list[str]:
    """The lines written, without their times and rate."""
    return [line.split(" [")[0] for line in lines_of(stream)]


# -- where it runs ----------------------------------------------------------------------------


def test_only_a_jupyter_kernel_s_shell_is_a_notebook(monkeypatch):
    class TerminalShell:  # IPython in a terminal: a shell, but no kernel
        config = {"TerminalIPythonApp": {}}

    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=TerminalShell))
    assert not in_notebook() and choose_style(io.StringIO()) == "lines"

    class Bare:  # a shell without a config (an embedding of IPython's API) is no kernel
        pass

    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=Bare))
    assert not in_notebook()


def test_a_stream_without_isatty_or_a_closed_one_gets_lines():
    class Sink:  # a file-like object that can only be written to
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    sink = Sink()
    bar = ProgressBar("audit", sink)  # type: ignore[arg-type]
    assert bar.style == "lines"
    bar(0, 1)
    bar(1, 1)
    assert [line.split(" [")[0] for line in sink.text.splitlines()] == [
        "audit: 0/1 (0%)",
        "audit: 1/1 (100%)",
    ]
    closed = io.StringIO()
    closed.close()  # (its isatty raises ValueError)
    assert choose_style(closed) == "lines"


def test_by_default_the_lines_go_to_stderr_and_count_targets(capsys):
    bar = ProgressBar("apply")
    bar(0, 2)
    bar(2, 2)
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("apply: 0/2 (0%) [00:00<?, ?target/s]")
    assert lines[-1].startswith("apply: 2/2 (100%) [") and lines[-1].endswith("target/s]")


# -- the terminal bar -------------------------------------------------------------------------


def test_a_run_started_part_way_is_drawn_where_it_starts_and_says_what_it_counts():
    """A run told first at 2 of 4 (a resumed apply) shows 2/4 at once, not 0/4 until the next
    redraw; the bar counts in the unit given."""
    stream = io.StringIO()
    with ProgressBar("fleet apply", stream, unit="env", style="terminal") as bar:
        bar(2, 4)
        first = drawn(stream.getvalue())
        bar(4, 4)
    assert "2/4" in first[0] and "0/4" not in stream.getvalue()
    assert "4/4" in drawn(stream.getvalue())[-1] and "env/s" in drawn(stream.getvalue())[-1]


def test_a_terminal_that_cannot_say_its_width_gets_a_bar_of_80_columns():
    """A terminal bar on a stream with no size (a file, or a pseudo-terminal nobody sized) is 80
    columns wide, the width every terminal has at least."""
    stream = io.StringIO()
    bar = ProgressBar("fleet audit", stream, unit="env", style="terminal")
    for done in range(0, 501, 50):
        bar(done, 500)
    assert {len(part) for part in drawn(stream.getvalue())} == {80}
    main, other = os.openpty()  # 0 columns: nobody sized it
    with open(other, "w", encoding="utf-8") as terminal:
        bar = ProgressBar("fleet audit", terminal, unit="env")
        bar(0, 10)
        bar(10, 10)
    assert {len(part) for part in drawn(read_all(main))} == {80}


def test_a_terminal_one_column_wide_is_sized_and_tqdm_fits_it():
    """Any width a terminal says is its width (0 alone means unsized): at one column tqdm leaves
    the bar out rather than drawing 80 columns."""
    main, other = os.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 1, 0, 0))
    with open(other, "w", encoding="utf-8") as terminal:
        bar = ProgressBar("fleet audit", terminal, unit="env")
        bar(0, 10)
        bar(10, 10)
    parts = drawn(read_all(main))
    assert parts and all(len(part) < 80 for part in parts)
    assert "10/10" in parts[-1]


def test_a_terminal_bar_is_redrawn_about_ten_times_a_second_and_no_more():
    """At most ten times a second however often it is told (a fleet of thousands of targets),
    and about that often when told slowly, so that it moves as the run does."""
    stream = io.StringIO()
    with ProgressBar("fleet apply", stream, style="terminal") as bar:
        started = time.monotonic()
        for done in range(300):  # told far more often than ten times a second
            bar(done, 1000)
        quick = time.monotonic() - started
    assert stream.getvalue().count("\r") <= quick / 0.1 + 3  # (its first drawing, its end)
    stream = io.StringIO()
    with ProgressBar("fleet apply", stream, style="terminal") as bar:  # (tqdm's pace afresh)
        started, calls = time.monotonic(), 16
        for done in range(calls):  # told about twenty times a second
            time.sleep(0.05)
            bar(done, 1000)
        slow = time.monotonic() - started
        redrawn = stream.getvalue().count("\r")
    assert redrawn >= min(calls, slow / 0.1) / 2


# -- the late-call window and the lines' interval, on a clock stood in for ---------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module, "time", clock)
    return clock


def test_a_run_from_0_right_after_one_of_the_same_total_gets_its_own_lines(clock):
    """Two audits of the same fleet one after the other: the second, told from 0 at once, is a
    run of its own, not a late call of the first."""
    stream = io.StringIO()
    bar = ProgressBar("audit", stream, interval=0)
    bar(0, 2)
    bar(2, 2)
    bar(0, 2)
    bar(2, 2)
    assert heads(stream) == ["audit: 0/2 (0%)", "audit: 2/2 (100%)"] * 2


def test_a_late_call_of_1_after_the_end_is_passed_over_but_not_one_second_later(clock):
    stream = io.StringIO()
    bar = ProgressBar("apply", stream, interval=0)
    bar(0, 3)
    clock.now = 10.0
    bar(3, 3)  # the run ends at 10 s
    clock.now = 10.5
    bar(1, 3)  # a slower thread's first count: late
    clock.now = 10.0 + LATE_SECONDS  # no longer late: another run, told part way
    bar(2, 3)
    assert heads(stream) == ["apply: 0/3 (0%)", "apply: 3/3 (100%)", "apply: 2/3 (67%)"]


def test_lines_come_as_soon_as_the_interval_is_over(clock):
    """No more often than ``interval`` seconds, so a line exactly that long after the last is
    written; a tenth reached within the interval is written by the first call after it, even
    one telling the same count again (a caller that tells its count as it polls)."""
    stream = io.StringIO()
    bar = ProgressBar("apply", stream, interval=5)
    bar(0, 10)
    clock.now = 5.0
    bar(5, 10)  # exactly the interval after the first line
    clock.now = 6.0
    bar(8, 10)  # within the interval: held back
    clock.now = 11.0
    bar(8, 10)  # the same count, the interval over: the line held back
    bar(10, 10)
    assert heads(stream) == [
        "apply: 0/10 (0%)",
        "apply: 5/10 (50%)",
        "apply: 8/10 (80%)",
        "apply: 10/10 (100%)",
    ]
