"""What the browser tests share: Debian's Chromium under Playwright, a page that may ask
nothing of any host but this one, and servers started and stopped as their users would."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BIN

from amplify_auth_widgets.app.serve import descendants, is_running

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make chromium installs it)",
)
ROOT = Path(__file__).resolve().parents[2]
#: Screenshots of the key states: a test artifact, git-ignored.
SHOTS = Path(os.environ.get("AAW_SCREENSHOTS", ROOT / "tests" / "artifacts" / "screenshots"))
LOCAL = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
#: Page-console lines that mean a broken or ill-assembled page: any error or warning (a widget
#: that failed to render, a JupyterLab extension built for another JupyterLab than the page's,
#: which logs "Unsatisfied version" for each shared module it asks for), an untrusted notebook.
BAD_CONSOLE = re.compile(
    r"^(error|warning): |not trusted|Traceback|Failed to load|Unsatisfied version"
    r"|No satisfying version|is not registered"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_http(
    url: str, process: subprocess.Popen[Any], log: Path | None = None, seconds: float = 180
) -> None:
    """Until ``url`` answers; our own server starting, never the service under test."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                told = log.read_text() if log is not None and log.exists() else ""
                raise RuntimeError(f"{url} did not answer:\n{told}") from None
            time.sleep(0.05)


def start(command: list[str], log: Path, **kwargs: Any) -> subprocess.Popen[Any]:
    handle = log.open("w")
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, **kwargs)


def stop(process: subprocess.Popen[Any], timeout: float = 30) -> int:
    """SIGTERM, as a service manager stops it, and wait. Only if it does not stop in time are
    it and what it started killed; what it leaves alive otherwise is for the test to see."""
    import signal

    from amplify_auth_widgets.app.serve import stop_tree

    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            stop_tree(process, grace=0)
    return int(process.returncode)


def leftovers(pids: list[int]) -> list[int]:
    """Which of ``pids`` still run; those are killed, so that a failing test leaks nothing."""
    import signal

    alive = [pid for pid in pids if is_running(pid)]
    for pid in alive:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return alive


#: How the tests start Chromium: headless as root, and asking nothing of the network by itself.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextlib.contextmanager
def chromium_page(
    width: int = 1300, height: int = 1800, allowed: tuple[str, ...] = ()
) -> Iterator[Any]:
    """A page in headless Chromium; every request to another host is blocked, and the test
    fails if there was one (but for URLs starting with one of ``allowed``: known gaps)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            outside: list[str] = []
            console: list[str] = []
            page.route(LOCAL, lambda route: (outside.append(route.request.url), route.abort()))
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.outside = outside  # type: ignore[attr-defined]
            page.console = console  # type: ignore[attr-defined]
            yield page
            unexpected = [url for url in outside if not url.startswith(allowed)]
            assert unexpected == [], f"the page asked hosts off this machine: {unexpected}"
        finally:
            leave(browser)
            browser.close()


def leave(browser: Any) -> None:
    """Leave each open page as a person does, so that a Voila page's unload request shuts its
    kernel down (closing the browser alone sends none: the kernel would live on until culled,
    and a module's pages would reach the app's kernel limit)."""
    for context in browser.contexts:
        for page in context.pages:
            with contextlib.suppress(Exception):  # a page already gone has nothing to free
                page.goto("about:blank", timeout=10_000)


#: What a person reads in a widget page: labels, help lines, buttons, tab and section titles,
#: tags, checkbox texts (not a control's name shown to screen readers only: ``.aaw-named``).
TEXTS = (
    "label:not(.aaw-named > label), .widget-label:not(.aaw-named > .widget-label), .aaw-label,"
    " .aaw-help, button, .lm-TabBar-tabLabel, .jupyter-widget-Collapse-header,"
    " .aaw-disclosure-button, .jupyter-widget-tag, .aaw-tag, .widget-toggle-button,"
    " .widget-checkbox"
)
#: The texts under ``root`` shown cut (ellipsis or clipped): wider inside than their box;
#: and each dropdown option that would not fit in its box once chosen.
_CUT = """([root, texts]) => {
  const cut = [];
  const shown = (e) => e.getClientRects().length > 0 && e.clientWidth > 0;
  for (const e of root.querySelectorAll(texts)) {
    if (shown(e) && e.scrollWidth > e.clientWidth + 1) {
      cut.push(`${e.innerText.trim().slice(0, 60)} (${e.scrollWidth} > ${e.clientWidth} px)`);
    }
  }
  const ctx = document.createElement('canvas').getContext('2d');
  for (const s of root.querySelectorAll('select')) {
    if (!shown(s) || s.multiple || s.size > 1) continue;
    const css = getComputedStyle(s);
    ctx.font = `${css.fontStyle} ${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
    const room = s.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
    for (const o of s.options) {
      const width = ctx.measureText(o.text).width;
      if (width > room) cut.push(`option ${o.text} (${Math.ceil(width)} > ${room} px)`);
    }
  }
  return cut;
}"""


def cut_texts(page: Any, root: str) -> list[str]:
    """The texts shown cut under the element ``root`` (see ``_CUT``)."""
    return list(page.evaluate(_CUT, [page.locator(root).first.element_handle(), TEXTS]))


def columns(page: Any, boxes: str) -> int:
    """How many columns the elements ``boxes`` are laid out in (distinct left edges)."""
    lefts = page.locator(boxes).evaluate_all(
        "es => es.filter(e => e.getClientRects().length)"
        ".map(e => Math.round(e.getBoundingClientRect().left))"
    )
    return len(set(lefts))


def bad_console(page: Any) -> list[str]:
    """The lines of the page's console so far that mean a broken page (``BAD_CONSOLE``)."""
    return [line for line in page.console if BAD_CONSOLE.search(line)]


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


#: The app's token in the tests (``AMPLIFY_AUTH_APP_TOKEN``; a user's is made at each start).
APP_TOKEN = "test-token-0123456789abcdef"


def app_command(port: int, *extra: str) -> list[str]:
    """`amplify-auth app` as a user runs it, its emulator's jobs instant (its token is
    ``APP_TOKEN``, given in ``jupyter_env``)."""
    return [str(BIN / "amplify-auth"), "app", "--port", str(port), "--job-seconds", "0", *extra]


def app_url(port: int, base: str = "/", host: str = "127.0.0.1") -> str:
    """The URL the app prints: its page, with the token."""
    return f"http://{host}:{port}{base}?token={APP_TOKEN}"


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def kernels_of(pid: int) -> list[int]:
    """The ipykernel processes below ``pid``."""
    return [child for child in descendants(pid) if "ipykernel" in cmdline(child)]


def jupyter_env(tmp_path: Path) -> dict[str, str]:
    """The environment with Jupyter's runtime and data folders of the test's own."""
    return {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "AMPLIFY_AUTH_APP_TOKEN": APP_TOKEN,
        # the app's data folder (its durable emulator, history, draft): the server's own
        "AMPLIFY_AUTH_DATA": str(tmp_path / "aaw-data"),
    }


#: axe-core, pinned by tests/browser/package-lock.json (make browser-toolchain).
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
#: The rule sets WCAG 2.1 AA asks for, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: axe in the page, under a selector (the whole document by default): each violation with its
#: elements (their CSS path, the nearest aaw- classes) and what would fix them.
RUN_AXE = """async ([tags, selector]) => {
  const context = selector ? document.querySelector(selector) : document;
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags},
                                         resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              where: String(document.querySelector(n.target[0])
                                ?.parentElement?.closest('[class*="aaw-"]')?.className || '')
                                .split(' ').filter(c => c.startsWith('aaw-')).join(' '),
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ')}))
  }));
}"""


def axe(page: Any, selector: str | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 AA and best-practice violations on the page as it is now, or under
    ``selector`` (injected once per page)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make browser-toolchain)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(RUN_AXE, [AXE_TAGS, selector]))


def axe_lines(violations: list[dict[str, Any]]) -> list[str]:
    """One line per violating element: impact, rule, element, where, summary."""
    return [
        f"- {v['impact']} `{v['id']}` ({v['help']}): `{node['target']}` "
        f"`{node['html']}` in `{node['where'][:80]}`: {node['summary'][:300]}"
        for v in violations
        for node in v["nodes"]
    ]
