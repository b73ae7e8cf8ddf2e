"""What the browser tests share: Debian's Chromium under Playwright, a page that may ask
nothing of any host but this one, servers started and stopped as their users would, and the
stops a person reaches with Tab."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
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


def app_command(port: int, *extra: str, job_seconds: float = 0) -> list[str]:
    """`amplify-auth app` as a user runs it, its emulator's jobs instant unless ``job_seconds``
    says otherwise (its token is ``APP_TOKEN``, given in ``jupyter_env``)."""
    seconds = str(job_seconds)
    return [str(BIN / "amplify-auth"), "app", "--port", str(port), "--job-seconds", seconds, *extra]


def app_url(port: int, base: str = "/", host: str = "127.0.0.1") -> str:
    """The URL the app prints: its page, with the token."""
    return f"http://{host}:{port}{base}?token={APP_TOKEN}"


class AppServer:
    """`amplify-auth app` as a user runs it on a free port of 127.0.0.1, in the Jupyter folders
    of ``tmp`` (``jupyter_env``, or ``env`` when given); started and waited for here, its log in
    ``tmp``. ``stop`` stops it with SIGTERM, as a service manager does: it must exit 0, and none
    of the processes ``watch`` saw it run may outlive it (none are watched unless asked)."""

    def __init__(
        self, tmp: Path, *extra: str, job_seconds: float = 0, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = app_url(self.port)
        self.log = tmp / f"app-{self.port}.log"  # one per server: a test may start two
        command = app_command(self.port, *extra, job_seconds=job_seconds)
        self.process = start(command, self.log, env=jupyter_env(tmp) if env is None else env)
        self.watched: list[int] | None = None
        wait_for_http(self.url, self.process, self.log)  # (it stops the app if it fails)

    def watch(self) -> None:
        """Remember the processes the app runs now (Voila, its kernels, its emulator), so that
        ``stop`` fails if one of them outlives it."""
        seen = self.watched or []
        self.watched = seen + [pid for pid in descendants(self.process.pid) if pid not in seen]

    def stop(self) -> None:
        assert stop(self.process) == 0, self.log.read_text()
        if self.watched is not None:
            alive = leftovers(self.watched)
            assert alive == [], f"Voila, a kernel or the emulator outlived the app: {alive}"


@contextlib.contextmanager
def served_app(tmp: Path, *extra: str, watch: bool = False, **options: Any) -> Iterator[AppServer]:
    """An ``AppServer`` for the ``with`` block (``options``: its ``job_seconds``, ``env``),
    stopped at its end; with ``watch``, nothing it runs once it answers may outlive it."""
    app = AppServer(tmp, *extra, **options)
    if watch:
        app.watch()
    try:
        yield app
    finally:
        app.stop()


@contextlib.contextmanager
def page_on(
    url: str, ready: str = ".aaw-editor", width: int = 1300, height: int = 1800
) -> Iterator[Any]:
    """A ``chromium_page`` (``width`` by ``height``) on the app at ``url``, once ``ready``
    shows (within a minute); at the end of the block its console must hold nothing that means
    a broken page (``bad_console``), and it is left, as ``chromium_page`` leaves its pages,
    before its browser closes."""
    with chromium_page(width=width, height=height) as page:
        page.goto(url)
        page.wait_for_selector(ready, timeout=60_000)
        yield page
        assert bad_console(page) == []


def app_fixture(folder: str = "app", *extra: str, watch: bool = False, **options: Any) -> Any:
    """A module's own app server, as the module fixture ``app_server = app_fixture(...)``
    giving its URL: ``served_app`` (``extra``, ``watch``, ``options`` as there) in a folder
    ``folder`` of the session's tmp, started before the module's first test that asks for
    it and stopped after its last."""

    @pytest.fixture(scope="module")
    def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
        with served_app(tmp_path_factory.mktemp(folder), *extra, watch=watch, **options) as app:
            yield app.url

    return app_server


def page_fixture(ready: str = ".aaw-editor", width: int = 1300) -> Any:
    """A test's own page on the module's ``app_server``, as the fixture
    ``page = page_fixture(...)`` (``page_on``: its console checked once the test is done)."""

    @pytest.fixture
    def page(app_server: str) -> Iterator[Any]:
        with page_on(app_server, ready, width) as page:
            yield page

    return page


def ready_to_create(page: Any, resource: str) -> None:
    """Create new (a kept draft may have put the form in Update) from the email preset, in the
    demo's environment without auth (d4demonew, dev), as ``resource``, typed in without Enter;
    until the form says it is ready to send."""
    from playwright.sync_api import expect

    page.locator(".aaw-mode button", has_text="Create new").click()
    page.locator(".aaw-editor select").first.select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    for member, value in (("AppId", "d4demonew"), ("BackendEnvironmentName", "dev")):
        page.locator(f".aaw-editor .aaw-at-{member} input").first.fill(value)
    page.locator(".aaw-editor .aaw-at-ResourceName input").first.fill(resource)
    expect(page.locator(".aaw-problems")).to_contain_text("Ready to send", timeout=20_000)


def tab(page: Any, name: str) -> None:
    """Choose the tab ``name`` (the first, where tab bars nest) and wait until it shows."""
    page.get_by_role("tab", name=name, exact=True).first.click()
    page.wait_for_selector(f".lm-TabBar-tab.lm-mod-current >> text={name}")


def open_every_section(page: Any) -> None:
    """Open each closed section of the form (a disclosure button, or an Accordion's header)
    and wait until the kernel has built them all."""
    closed = (
        ".aaw-disclosure-button[aria-expanded='false'],"
        " .jupyter-widget-Collapse:not(.jupyter-widget-Collapse-open)"
        " > .jupyter-widget-Collapse-header"
    )
    for section in page.locator(".aaw-section").all():
        if section.locator(closed).count():
            section.locator(closed).first.click()
    page.wait_for_function(
        "[...document.querySelectorAll('.aaw-section')].every(s => s.querySelector('.aaw-field'))",
        timeout=30_000,
    )


def fill(page: Any, member: str, value: str) -> None:
    """Type ``value`` into the editor's box for ``member`` and press Enter, as a person
    commits a value."""
    box = page.locator(f".aaw-editor .aaw-at-{member} input").first
    box.fill(value)
    box.press("Enter")


#: The focused element as a person meets it: its name (a control's label, a button's text, a
#: tags input's placeholder), what it is, and its focus ring.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const css = getComputedStyle(e);
  const label = e.labels && e.labels.length ? e.labels[0].innerText.trim()
    : e.getAttribute('aria-label') || '';
  const shown = e.cloneNode(true);  // its text, without what screen readers skip (a caret)
  shown.querySelectorAll('[aria-hidden=true]').forEach((hidden) => hidden.remove());
  const text = e.tagName === 'SELECT' ? (e.options[0] || {}).text || '' : shown.textContent;
  return {tag: e.tagName, name: (label || text.trim() || e.placeholder || '').replace(/\\s+/g, ' '),
          role: e.getAttribute('role'), expanded: e.getAttribute('aria-expanded'),
          outline: css.outlineStyle, width: parseFloat(css.outlineWidth) || 0};
}"""


class Keyboard:
    """Tab and Shift+Tab to a named stop, keeping every stop passed."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.stops: list[dict[str, Any]] = []

    def to(self, name: str, *, back: bool = False, limit: int = 200) -> dict[str, Any]:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            self.stops.append(focused)
            if focused["name"] == name:
                return focused
        raise AssertionError(
            f"{name!r} not reached with the keyboard; last stops: {self.stops[-8:]}"
        )

    def count_to(self, name: str) -> int:
        """How many Tab stops from the top of the page to ``name``."""
        # a click on the page's heading moves the point the next Tab starts from to the top
        self.page.get_by_role("heading", name="Amplify backend auth").click()
        before = len(self.stops)
        self.to(name)
        return len(self.stops) - before

    def unseen(self) -> list[dict[str, Any]]:
        """The stops whose focus ring is missing or thinner than 2 px."""
        return [s for s in self.stops if s["outline"] == "none" or s["width"] < 2]


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


#: The notebook of the JupyterLab tests: one cell, the app on the notebook's own embedded
#: emulator.
CELL = "import amplify_auth_widgets as aaw\naaw.AuthApp(job_seconds=0)"
#: Resolves once the notebook's kernel is ready to run cells.
KERNEL_READY = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session.kernel;
  await kernel.info;  // its kernel_info reply: connected and answering
  return kernel.connectionStatus;
}"""


def notebook(path: Path) -> None:
    """Write the notebook (``CELL``) to ``path``."""
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "metadata": {},
                        "outputs": [],
                        "source": CELL,
                    }
                ],
                "metadata": {
                    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"},
                    "language_info": {"name": "python"},
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )


@contextlib.contextmanager
def jupyter_lab(tmp: Path) -> Iterator[str]:
    """``jupyter lab`` on 127.0.0.1 with a token, serving ``tmp/work`` with the notebook
    ``app.ipynb`` written there, its Jupyter folders in ``tmp`` (a test's own settings go in
    ``tmp/config``); gives the notebook's URL. Stopped with SIGTERM at the end: it must exit
    0, its kernels with it, and free its port."""
    work = tmp / "work"
    work.mkdir()
    notebook(work / "app.ipynb")
    for name in ("config", "data", "runtime"):
        (tmp / name).mkdir(exist_ok=True)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
    }
    token, port, log = secrets.token_hex(16), free_port(), tmp / "lab.log"
    command = [
        str(BIN / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # it asks PyPI nothing
        "--LabApp.expose_app_in_browser=True",  # the test waits for the kernel through it
        *(["--allow-root"] if os.geteuid() == 0 else []),  # as in a container
    ]
    process = start(command, log, env=env, cwd=work)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/status?token={token}", process, log)
        yield f"http://127.0.0.1:{port}/lab/tree/app.ipynb?token={token}"
    finally:
        children = descendants(process.pid)  # its kernels: SIGTERM must stop them too
        code = stop(process)
    assert code == 0, log.read_text()
    assert leftovers(children) == [], "a kernel outlived JupyterLab"
    assert not port_open(port)


def open_notebook(page: Any, url: str) -> None:
    """Open the notebook at ``url`` (``jupyter_lab``'s) and wait until JupyterLab shows its
    panel with a session."""
    page.goto(url)
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext",
        timeout=60_000,
    )


def run_the_cell(page: Any) -> None:
    """Once the notebook's kernel answers, run its cell as a person does (click, Shift+Enter)
    and wait for the app's editor in the cell's output."""
    assert page.evaluate(KERNEL_READY) == "connected"
    page.locator(".jp-Notebook .jp-Cell .cm-content").first.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".jp-OutputArea .aaw-editor", timeout=60_000)


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
