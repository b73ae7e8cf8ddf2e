"""How fast the app's first screen is interactive, in headless Chromium (Debian's).

Three figures, side by side:

* **warm**: the app served by ``amplify-auth app`` (one preheated kernel), from navigation to
  the form being interactive (the App ID box editable), median of ``--loads`` page loads;
* **bare**: the same for a bare Voila notebook showing as many plain widgets (``Text`` boxes
  in a ``VBox``) as the app's page holds, served the same way: the baseline, measured in
  this same run;
* **cold**: from starting ``amplify-auth app`` to the form being interactive.

It also counts the widgets the app builds for its first screen (collapsed sections, the tabs
not shown and the connection settings are built when first shown), against the whole app with
every part built. The goals: warm within 1.3x of bare; the first screen at most a third.

    python bench/app_startup.py [--loads 5] [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.browser import chromium_page, free_port, stop, wait_for_http  # noqa: E402

BIN = Path(sys.executable).parent


def count_app_widgets() -> tuple[int, int]:
    """Widgets in the app's view tree (boxes and what they hold, not Layout or Style models)
    right after it is built, and once every part built on demand is built; on an emulator of
    its own."""
    from amplify_auth_widgets import AuthApp, BackendAuthService, Emulator, JobHistory
    from amplify_auth_widgets.widgets.app import view_size

    with Emulator(demo=True) as emulator:
        app = AuthApp(
            BackendAuthService(emulator.connection()),
            history=JobHistory(":memory:"),
            autostart=False,
        )
        first = view_size(app)
        app.build_all()
        whole = view_size(app)
        app.close()
    return first, whole


def interactive(page, url: str, selector: str) -> float:
    """Seconds from navigation to ``selector`` (an input) being editable."""
    started = time.perf_counter()
    page.goto(url)
    page.locator(selector).first.wait_for(state="visible", timeout=180_000)
    page.wait_for_function(
        "s => { const e = document.querySelector(s); return e && !e.disabled; }",
        arg=selector,
        timeout=180_000,
    )
    return time.perf_counter() - started


def warm_loads(url: str, selector: str, loads: int, refill: float) -> list[float]:
    times = []
    for _ in range(loads):
        time.sleep(refill)  # the pool refills its preheated kernel between visitors
        with chromium_page() as page:
            times.append(interactive(page, url, selector))
    return times


def bare_notebook(folder: Path, widgets: int) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = new_notebook(
        cells=[
            new_code_cell(
                "import ipywidgets as w\n"
                f"w.VBox([w.Text(description=f'field {{i}}') for i in range({widgets})])"
            )
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    path = folder / "bare.ipynb"
    nbformat.write(notebook, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="warm page loads to time")
    parser.add_argument("--refill", type=float, default=8.0, help="seconds between loads")
    parser.add_argument("--quick", action="store_true", help="one warm load each")
    args = parser.parse_args()
    loads, refill = (1, 6.0) if args.quick else (args.loads, args.refill)

    widgets, whole = count_app_widgets()
    app_input = ".aaw-at-AppId input"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # the token the app's URL carries (a user's is made at each start; the bench sets one)
        token = "bench-token-0123456789abcdef"
        env = {"JUPYTER_RUNTIME_DIR": str(folder / "runtime"), "AMPLIFY_AUTH_APP_TOKEN": token}
        import os

        env = {**os.environ, **env}
        port = free_port()
        started = time.perf_counter()
        app = subprocess.Popen(
            [str(BIN / "amplify-auth"), "app", "--port", str(port), "--job-seconds", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            url = f"http://127.0.0.1:{port}/?token={token}"
            wait_for_http(url, app)
            with chromium_page() as page:
                interactive(page, url, app_input)
            cold = time.perf_counter() - started
            warm = warm_loads(url, app_input, loads, refill)
        finally:
            stop(app)

        from amplify_auth_widgets.app.serve import voila_command

        port = free_port()
        bare = subprocess.Popen(
            voila_command(bare_notebook(folder, widgets), "127.0.0.1", port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**env, "JUPYTER_PATH": str(ROOT / "src/amplify_auth_widgets/app/share")},
        )
        try:
            url = f"http://127.0.0.1:{port}/?token={token}"
            wait_for_http(url, bare)
            bare_times = warm_loads(url, ".widget-text input", loads, refill)
        finally:
            stop(bare)

    warm_s, bare_s = statistics.median(warm), statistics.median(bare_times)
    print(
        f"widgets built for the app's first screen: {widgets}, of {whole} once all is built", end=""
    )
    print(f" ({widgets / whole:.2f}, goal <= 0.33)")
    print(f"{'':28}{'app':>10}{'bare Voila':>12}{'ratio':>8}")
    print(f"{'warm, median of ' + str(loads) + ' (s)':28}{warm_s:>10.2f}{bare_s:>12.2f}", end="")
    print(f"{warm_s / bare_s:>8.2f}")
    print(f"{'cold start to interactive (s)':28}{cold:>10.2f}")
    print(
        json.dumps(
            {"widgets": widgets, "whole": whole, "warm": warm, "bare": bare_times, "cold": cold}
        )
    )


if __name__ == "__main__":
    main()
