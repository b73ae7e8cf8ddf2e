"""How long until the app's first screen is interactive, in headless Chromium (Debian's),
against a bare Voila notebook with as many widgets, timed in the same run.

Four figures, each the median of ``--runs`` runs, app and bare interleaved so that both see
the same machine:

* **app cold**: from starting ``amplify-auth app`` (what ``make app`` runs) to the editor's
  first form control being visible and enabled on the page;
* **bare cold**: from starting the same Voila server (``app.serve.voila_command``: the same
  launcher, template, token and preheated kernel) on a notebook that shows as many plain
  ``Text`` boxes as the app's first screen holds widgets (``widgets.app.view_size``) to the
  first box being editable;
* **app warm** and **bare warm**: a second page on the server still running, once its pool
  holds a preheated kernel again;
* the **CPU seconds** the server's processes (Voila, its kernels, the app's emulator) used until
  the first page was interactive: the work, which a busy machine stretches in time but does not
  change.

Cold means a new server process (and so new kernels) for every run: nothing is reused from an
earlier run but the operating system's file cache, which only root can drop, and dropping it
would slow every other program on the machine, so it is left as it is; one untimed start of
each server, with its first page, first puts what each reads (Python, Jupyter, Voila, the
kernel's imports, and on a fresh clone the package's bytecode, compiled once) in it, and app
and bare take turns at going first. The browser is started
before the server, so its own start is not counted. The goal: app cold within 1.2x of bare
cold.

    python bench/app_startup.py [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.browser import CHROMIUM, CHROMIUM_FLAGS, free_port, stop  # noqa: E402

BIN = Path(sys.executable).parent
TOKEN = "bench-token-0123456789abcdef"
#: The editor's form controls; the first one shown must be enabled for the page to count.
APP_CONTROL = ".aaw-editor input:not([type=hidden]), .aaw-editor select, .aaw-editor textarea"
BARE_CONTROL = ".widget-text input"
#: True once the first control matching the selector that is shown is enabled.
READY = """s => {
  const shown = [...document.querySelectorAll(s)].filter(e => e.getClientRects().length);
  return shown.length > 0 && !shown[0].disabled;
}"""


def count_app_widgets() -> int:
    """Widgets in the app's first screen (boxes and what they hold; not Layout or Style
    models), on an emulator of its own."""
    from amplify_auth_widgets import AuthApp, BackendAuthService, Emulator, JobHistory
    from amplify_auth_widgets.widgets.app import view_size

    with Emulator(demo=True) as emulator:
        app = AuthApp(
            BackendAuthService(emulator.connection()),
            history=JobHistory(":memory:"),
            autostart=False,
        )
        first = view_size(app)
        app.close()
    return first


def bare_notebook(folder: Path, widgets: int) -> Path:
    """A notebook showing ``widgets`` widgets: a VBox of Text boxes (the box counts)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = new_notebook(
        cells=[
            new_code_cell(
                "import ipywidgets as w\n"
                f"w.VBox([w.Text(description=f'field {{i}}') for i in range({widgets - 1})])"
            )
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    path = folder / "bare.ipynb"
    nbformat.write(notebook, path)
    return path


def wait_for_port(port: int, process: subprocess.Popen[Any], seconds: float = 120) -> None:
    """Until the server accepts connections; a TCP connect, not a page request, which would
    take the preheated kernel the browser's page is to get."""
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server on port {port} did not start")
        time.sleep(0.01)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) that ``pid`` and its descendants have used, the reaped
    ones included: the server side's work, which a busy machine stretches in time but not in
    amount (Linux /proc)."""
    from amplify_auth_widgets.app.serve import descendants

    total = 0
    for each in (pid, *descendants(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def interactive(browser: Any, url: str, selector: str) -> float:
    """Seconds from navigating a new page to ``url`` until it is interactive."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=180_000)
        page.wait_for_function(READY, arg=selector, timeout=180_000, polling=20)
        return time.perf_counter() - started
    finally:
        page.close()


def timed_server(
    browser: Any,
    start: Callable[[int], subprocess.Popen[Any]],
    selector: str,
    warm_loads: int,
    refill: float,
) -> tuple[float, float, list[float]]:
    """Cold start to interactive (and the server side's CPU seconds until then), then
    ``warm_loads`` second pages, for one new server."""
    port = free_port()
    started = time.perf_counter()
    server = start(port)
    try:
        wait_for_port(port, server)
        url = f"http://127.0.0.1:{port}/?token={TOKEN}"
        cold = time.perf_counter() - started + interactive(browser, url, selector)
        cpu = tree_cpu(server.pid)
        warm = []
        for _ in range(warm_loads):
            time.sleep(refill)  # the pool starts and runs a kernel for the next page
            warm.append(interactive(browser, url, selector))
    finally:
        stop(server)
    return cold, cpu, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold starts of each (default 3)")
    parser.add_argument("--warm", type=int, default=2, help="second pages per start (0: none)")
    parser.add_argument("--refill", type=float, default=8.0, help="seconds before one")
    parser.add_argument("--quick", action="store_true", help="one run, one second page")
    args = parser.parse_args()
    runs, loads, refill = (1, 1, 6.0) if args.quick else (args.runs, args.warm, args.refill)

    from playwright.sync_api import sync_playwright

    from amplify_auth_widgets.app.serve import voila_command, voila_environment

    widgets = count_app_widgets()
    times: dict[str, list[float]] = {
        name: [] for name in ("app", "bare", "app_warm", "bare_warm", "app_cpu", "bare_cpu")
    }
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as p:
        folder = Path(scratch)
        env = {
            **os.environ,
            "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
            "JUPYTER_DATA_DIR": str(folder / "data"),
            "AMPLIFY_AUTH_APP_TOKEN": TOKEN,
        }
        bare = bare_notebook(folder, widgets)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}

        def app(port: int) -> subprocess.Popen[Any]:
            # a data folder of its own each start (the app's emulator, history, drafts): a
            # first start, and never the user's
            env["AMPLIFY_AUTH_DATA"] = tempfile.mkdtemp(prefix="data-", dir=folder)
            command = [str(BIN / "amplify-auth"), "app", "--port", str(port)]
            return subprocess.Popen([*command, "--job-seconds", "0"], env=env, **quiet)

        def bare_voila(port: int) -> subprocess.Popen[Any]:
            command = voila_command(bare, "127.0.0.1", port)
            return subprocess.Popen(command, env=voila_environment(env), **quiet)

        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        try:
            servers = [("app", app, APP_CONTROL), ("bare", bare_voila, BARE_CONTROL)]
            for _, start, selector in servers:  # each once, untimed, with its first page
                timed_server(browser, start, selector, 0, refill)
            for run in range(runs):
                # each goes first in turn: the first start after another is the luckier one
                for name, start, selector in servers[:: 1 if run % 2 == 0 else -1]:
                    cold, cpu, warm = timed_server(browser, start, selector, loads, refill)
                    times[name].append(cold)
                    times[f"{name}_cpu"].append(cpu)
                    times[f"{name}_warm"].extend(warm)
        finally:
            browser.close()
    report(widgets, times)


def report(widgets: int, times: dict[str, list[float]]) -> None:
    """The medians and minimums (the least disturbed run, on a busy machine), and the ratios."""
    print(f"widgets on the app's first screen (and in the bare notebook): {widgets}")
    print(f"{'seconds to interactive':30}{'app':>8}{'bare':>8}{'ratio':>8}")
    rows = [
        ("cold", "cold: new server, first page", ""),
        ("cpu", "cold: server CPU s", "_cpu"),
    ]
    if times["app_warm"] and times["bare_warm"]:
        rows.append(("warm", "warm: a second page", "_warm"))
    for _, label, key in rows:
        for name, pick in (("median", statistics.median), ("min", min)):
            app, bare = pick(times[f"app{key}"]), pick(times[f"bare{key}"])
            print(f"{label + ', ' + name:30}{app:>8.2f}{bare:>8.2f}{app / bare:>8.2f}")
    ratio = statistics.median(times["app"]) / statistics.median(times["bare"])
    print(f"goal: app cold <= 1.2x bare cold (medians): {'met' if ratio <= 1.2 else 'NOT met'}")
    print(
        json.dumps({"widgets": widgets, **{k: [round(v, 3) for v in t] for k, t in times.items()}})
    )


if __name__ == "__main__":
    main()
