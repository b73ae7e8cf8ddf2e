"""fleet.progress: tqdm's bar in a terminal, tqdm's notebook bar in a kernel, whole quiet lines
anywhere else (no carriage return flooding a log), and what a fleet run tells it."""

from __future__ import annotations

import fcntl
import io
import os
import struct
import sys
import termios
import threading
import types

import pytest
from support.terminal import read_all

from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import seed_fleet
from amplify_auth_widgets.fleet import Fleet, ProgressBar, TextProgress
from amplify_auth_widgets.fleet.progress import choose_style, in_notebook


def lines_of(stream: io.StringIO) -> list[str]:
    text = stream.getvalue()
    assert "\r" not in text
    return text.splitlines()


def test_elsewhere_it_writes_a_line_a_tenth_and_never_a_carriage_return():
    stream = io.StringIO()
    bar = ProgressBar("fleet audit", stream, unit="env", interval=0)
    assert bar.style == "lines"
    for done in range(1001):
        bar(done, 1000)
    lines = lines_of(stream)
    assert len(lines) == 11
    assert lines[0].startswith("fleet audit: 0/1000 (0%) [00:00<?, ?env/s]")
    assert [line.split(" (")[0] for line in lines] == [
        f"fleet audit: {n}/1000" for n in range(0, 1001, 100)
    ]
    assert lines[-1].startswith("fleet audit: 1000/1000 (100%) [")


def test_lines_come_no_more_often_than_the_interval_but_the_last_always():
    stream = io.StringIO()
    bar = ProgressBar("apply", stream, interval=3600)
    for done in range(301):
        bar(done, 300)
    assert [line.split(" [")[0] for line in lines_of(stream)] == [
        "apply: 0/300 (0%)",
        "apply: 300/300 (100%)",
    ]


def test_nothing_to_do_is_one_line_and_the_bar_ends():
    stream = io.StringIO()
    bar = ProgressBar("apply", stream)
    bar(0, 0)
    assert [line.split(" [")[0] for line in lines_of(stream)] == ["apply: 0/0 (0%)"]


def test_a_terminal_gets_tqdms_bar_redrawn_in_place_and_left_at_its_end():
    main, other = os.openpty()
    with open(other, "w", encoding="utf-8") as terminal:
        bar = ProgressBar("fleet apply", terminal)
        assert bar.style == "terminal"
        for done in range(11):
            bar(done, 10)
        assert bar._bar is None  # ended: done reached total
    text = read_all(main)
    assert text.count("\rfleet apply:") >= 2  # redrawn in place
    assert "10/10" in text and "100%" in text and text.endswith("\n")


def test_a_sized_terminal_gets_a_bar_as_wide_as_it_is():
    main, other = os.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))
    with open(other, "w", encoding="utf-8") as terminal:
        bar = ProgressBar("fleet audit", terminal, unit="env")
        for done in range(0, 501, 50):
            bar(done, 500)
    drawn = [part for part in read_all(main).replace("\n", "\r").split("\r") if part]
    assert drawn[-1].startswith("fleet audit: 100%") and "500/500" in drawn[-1]
    assert 50 < max(len(part) for part in drawn) <= 60  # (80 when unsized)


def test_a_kernel_gets_the_notebook_bar(monkeypatch):
    class Shell:
        config = {"IPKernelApp": {}}  # what ipykernel's shell holds

    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=Shell))
    assert in_notebook() and choose_style(io.StringIO()) == "notebook"
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    assert not in_notebook() and choose_style(io.StringIO()) == "lines"


def test_the_notebook_bar_is_an_ipywidgets_bar_that_ends_green(capsys):
    bar = ProgressBar("audit", style="notebook")
    bar(0, 4)
    drawn = bar._bar
    widget = drawn.container.children[1]
    assert widget.max == 4 and widget.value == 0
    for done in range(1, 5):
        bar(done, 4)
    assert widget.value == 4 and widget.bar_style == "success"
    assert bar._bar is None


def test_without_ipywidgets_a_notebook_gets_lines(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.notebook", None)  # (an import of it fails)
    stream = io.StringIO()
    bar = ProgressBar("audit", stream, style="notebook")
    bar(0, 2)
    bar(2, 2)
    assert bar.style == "lines"
    assert [line.split(" [")[0] for line in lines_of(stream)] == [
        "audit: 0/2 (0%)",
        "audit: 2/2 (100%)",
    ]


def test_one_object_serves_several_runs_and_close_ends_one_where_it_stands():
    stream = io.StringIO()
    bar = ProgressBar("apply", stream, interval=0)
    bar(0, 2)
    bar(2, 2)
    bar(0, 5)  # another run
    bar(3, 5)
    bar.close()
    bar(1, 3)  # another total starts another run
    bar(3, 3)
    assert [line.split(" [")[0] for line in lines_of(stream)] == [
        "apply: 0/2 (0%)",
        "apply: 2/2 (100%)",
        "apply: 0/5 (0%)",
        "apply: 3/5 (60%)",
        "apply: 1/3 (33%)",
        "apply: 3/3 (100%)",
    ]


def test_late_calls_of_other_threads_are_passed_over():
    stream = io.StringIO()
    bar = ProgressBar("apply", stream, interval=0)
    bar(0, 10)
    bar(6, 10)
    bar(5, 10)  # told after 6 by a slower thread
    bar(10, 10)
    bar(9, 10)  # late again, after the end: no new bar
    assert [line.split(" [")[0] for line in lines_of(stream)] == [
        "apply: 0/10 (0%)",
        "apply: 6/10 (60%)",
        "apply: 10/10 (100%)",
    ]


def test_calls_from_many_threads_end_with_one_last_line():
    stream = io.StringIO()
    bar = ProgressBar("apply", stream, interval=0)
    bar(0, 800)
    counter, lock = [0], threading.Lock()

    def work() -> None:
        for _ in range(100):
            with lock:
                counter[0] += 1
                done = counter[0]
            bar(done, 800)  # (outside the lock, as fleet.rollout tells it)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = lines_of(stream)
    assert lines[-1].startswith("apply: 800/800 (100%)")
    assert sum("800/800" in line for line in lines) == 1 and len(lines) <= 11


def test_an_unknown_style_is_refused_by_name():
    with pytest.raises(ValueError, match="style must be one of auto, notebook, terminal, lines"):
        ProgressBar("audit", style="fancy")  # type: ignore[arg-type]


def test_the_former_name_is_the_bar():
    assert TextProgress is ProgressBar


def test_a_fleet_audit_tells_the_bar_each_environment():
    stream = io.StringIO()
    with Emulator(job_seconds=0, seed=3) as emu:
        seeded = seed_fleet(emu.backend, 4)
        fleet = Fleet.connect(emu.connection())
        frame = fleet.audit(progress=ProgressBar("audit", stream, unit="env", interval=0))
    total = len(frame)
    assert total >= len(seeded)
    lines = lines_of(stream)
    assert lines[0].startswith(f"audit: 0/{total} (0%)")
    assert lines[-1].startswith(f"audit: {total}/{total} (100%)")
    assert "env/s" in lines[-1]


@pytest.mark.timeout(180)
def test_in_a_real_kernel_the_bar_is_a_widget_and_no_text_bar_is_printed(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    code = (
        "import sys\n"
        "from amplify_auth_widgets.fleet import ProgressBar\n"
        "bar = ProgressBar('audit', sys.stdout, unit='env')\n"
        "print(bar.style)\n"
        "for done in range(51):\n"
        "    bar(done, 50)\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0]["outputs"]
    printed = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert printed == "notebook\n"  # no text bar, no carriage return
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 1
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    bars = [m["state"] for m in state.values() if m["model_name"] == "FloatProgressModel"]
    assert [(b["value"], b["max"], b["bar_style"]) for b in bars] == [(50, 50, "success")]
    texts = [
        m["state"].get("value", "").replace("\u2007", " ").strip()  # (tqdm's figure spaces)
        for m in state.values()
        if m["model_name"] == "HTMLModel"
    ]
    assert texts[0] == "audit: 100%" and texts[1].startswith("50/50 [00:00&lt;00:00, ")
