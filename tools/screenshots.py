"""Screenshots of the app's main screens in Voila's light and dark themes, for the README.

Starts ``amplify-auth app`` on the embedded emulator (jobs instant, its data, Jupyter folders
and token in a temporary folder: nothing of the user's is read or written), drives it in
headless Chromium at 1400 px as a user would (a preset, a target, a section opened, the Gen 2
tab, a job created to COMPLETED, a fleet audit), and saves each screen cropped to the app as
an optimised PNG (a 256-colour palette: the screens are flat UI colours, and each stays under
150 KB) in ``docs/screenshots/<screen>-<theme>.png``. Stops the app with SIGTERM at the end.

Needs the test extras (Playwright) and Debian's chromium (``make chromium``)::

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 1400
#: The tallest crop: the app's top, as a reader sees it on opening the page.
MAX_HEIGHT = 1100
#: Each theme's run, and where it creates its auth (a demo environment with none).
TARGETS = {"light": ("d4demonew", "dev"), "dark": ("d4demonew", "dev")}
PRESET = "Email sign-in (defaults)"


def start_app(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """``amplify-auth app`` on a free port of 127.0.0.1; returns it and the URL it prints."""
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "AMPLIFY_AUTH_APP_TOKEN": token,
        "AMPLIFY_AUTH_DATA": str(folder / "data"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
        "JUPYTER_DATA_DIR": str(folder / "jupyter"),
    }
    command = [str(Path(sys.executable).parent / "amplify-auth"), "app", "--port", "0"]
    command += ["--job-seconds", "0"]
    app = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert app.stdout is not None
    line = app.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
    if not match:
        stop_app(app)
        raise SystemExit(f"the app did not say where it serves: {line!r}")
    deadline = time.monotonic() + 120
    while True:  # our own server starting
        try:
            urllib.request.urlopen(match.group(0), timeout=5)
            return app, match.group(0)
        except OSError:
            if app.poll() is not None or time.monotonic() > deadline:
                stop_app(app)
                raise SystemExit("the app did not answer") from None
            time.sleep(0.1)


def stop_app(app: subprocess.Popen[str]) -> None:
    """SIGTERM, as a service manager stops it; killed only if it does not stop in 30 s."""
    if app.poll() is None:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(30)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def save(page: Any, out: Path, name: str) -> Path:
    """The app's box (at most ``MAX_HEIGHT`` tall) as an optimised PNG ``out/name.png``."""
    from PIL import Image

    page.wait_for_timeout(400)  # the widgets' last redraw
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(".aaw-app").bounding_box()
    clip = {
        "x": box["x"],
        "y": box["y"],
        "width": box["width"],
        "height": min(box["height"], MAX_HEIGHT),
    }
    png = page.screenshot(clip=clip, full_page=True)
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, Image.Quantize.MEDIANCUT)
    path = out / f"{name}.png"
    image.save(path, optimize=True)
    return path


def tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).first.click()
    page.wait_for_selector(f".lm-TabBar-tab.lm-mod-current >> text={name}")


def fill(page: Any, member: str, value: str) -> None:
    box = page.locator(f".aaw-editor .aaw-at-{member} input").first
    box.fill(value)
    box.press("Enter")


def open_section(page: Any, key: str) -> None:
    section = page.locator(f".aaw-section-{key}")
    closed = section.locator(
        ".aaw-disclosure-button[aria-expanded='false'],"
        " .jupyter-widget-Collapse:not(.jupyter-widget-Collapse-open)"
        " > .jupyter-widget-Collapse-header"
    )
    if closed.count():
        closed.first.click()
    section.locator(".aaw-field").first.wait_for(timeout=30_000)


def tour(page: Any, url: str, theme: str, out: Path) -> list[Path]:
    """The main screens in ``theme``, saved; returns their paths."""
    page.goto(f"{url}&voila-theme={theme}")
    page.wait_for_selector(".aaw-editor", timeout=120_000)
    shots = [save(page, out, f"first-screen-{theme}")]
    page.locator(".aaw-editor select").nth(0).select_option(label=PRESET)
    page.get_by_role("button", name="Apply preset").click()
    app_id, environment = TARGETS[theme]
    fill(page, "AppId", app_id)
    fill(page, "BackendEnvironmentName", environment)
    fill(page, "ResourceName", "mainauth")
    open_section(page, "password")
    page.locator(".aaw-section-password").scroll_into_view_if_needed()
    shots.append(save(page, out, f"editor-section-{theme}"))
    tab(page, "Gen 2")
    page.locator(".aaw-editor pre:visible").first.wait_for(timeout=60_000)
    shots.append(save(page, out, f"gen2-{theme}"))
    tab(page, "Form")
    page.locator("button.aaw-create").click()
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=60_000)
    tab(page, "Jobs")
    page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=60_000)
    shots.append(save(page, out, f"jobs-{theme}"))
    tab(page, "Fleet")
    page.locator(".aaw-fleet-panel button", has_text="Audit").first.click()
    page.locator(".aaw-fleet-panel img").first.wait_for(state="visible", timeout=120_000)
    shots.append(save(page, out, f"fleet-{theme}"))
    return shots


def browse(chromium: str, url: str, theme: str, out: Path) -> list[Path]:
    """Headless Chromium at ``WIDTH`` px through the screens of ``theme``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": MAX_HEIGHT})
            # nothing but this machine: the page may ask no other host
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda r: r.abort())
            return tour(page, url, theme, out)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is not installed (make chromium installs it)")
    args.out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    for theme in TARGETS:  # an app of its own each: a first screen with no draft of the other
        with tempfile.TemporaryDirectory(prefix="aaw-screenshots-") as folder:
            app, url = start_app(Path(folder))
            try:
                shots += browse(chromium, url, theme, args.out)
            finally:
                stop_app(app)
    for path in shots:
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size // 1024} KB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
