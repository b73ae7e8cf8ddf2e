"""The app against other web pages: `amplify-auth app` answers only its own names, its own
pages and its token; what a foreign page sends starts no kernel; kernels are bounded and a
closed page frees its own.

Each test runs the app as a user does (`amplify-auth app`) and Debian's Chromium; a foreign
site is a name (`evil.example`) that Chromium resolves to 127.0.0.1, as DNS rebinding makes it.
"""

from __future__ import annotations

import http.client
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from support.browser import (
    APP_TOKEN,
    CHROMIUM,
    CHROMIUM_FLAGS,
    app_command,
    app_url,
    free_port,
    jupyter_env,
    kernels_of,
    needs_chromium,
    start,
    stop,
    wait_for_http,
)

pytestmark = needs_chromium
FOREIGN = "evil.example"


@contextmanager
def running_app(tmp_path: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[Any], int]]:
    port = free_port()
    log = tmp_path / "app.log"
    app = start(app_command(port, *extra), log, env=jupyter_env(tmp_path))
    try:
        wait_for_http(f"http://127.0.0.1:{port}/login", app, log)
        yield app, port
    finally:
        stop(app)


def until(condition: Any, seconds: float = 60) -> bool:
    """Poll our own server's state (its kernels) until ``condition()`` or the deadline."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@contextmanager
def browser(*args: str) -> Iterator[Any]:
    """A Chromium that resolves ``evil.example`` to this machine, as a rebinding attack does."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_FLAGS, f"--host-resolver-rules=MAP {FOREIGN} 127.0.0.1", *args],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def foreign_site(html: str) -> Iterator[int]:
    """A page of another site on 127.0.0.1 (reached as ``evil.example``): its port."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def status(port: int, path: str, headers: dict[str, str], method: str = "GET") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.timeout(300)
def test_a_foreign_host_or_origin_is_refused_and_starts_no_kernel(tmp_path):
    with running_app(tmp_path, "--preheat", "1") as (app, port):
        assert until(lambda: len(kernels_of(app.pid)) == 1), "the preheated kernel"
        token = f"/?token={APP_TOKEN}"
        # DNS rebinding: the right token, but the Host is the foreign site's
        assert status(port, token, {"Host": f"{FOREIGN}:{port}"}) == 403
        assert status(port, "/voila/static/voila.js", {"Host": FOREIGN}) == 403
        # a foreign page's request to the app's own name: its Origin gives it away
        origin = {"Origin": f"http://{FOREIGN}:{port}"}
        assert status(port, token, origin) == 403
        assert status(port, "/voila/api/shutdown/x", origin, method="POST") == 403
        upgrade = {**origin, "Connection": "Upgrade", "Upgrade": "websocket"}
        assert status(port, "/api/kernels/x/channels", upgrade) == 403
        # the app's own names pass
        assert status(port, "/login", {"Host": f"localhost:{port}"}) == 200
        assert (
            status(port, "/login", {"Host": f"[::1]:{port}", "Origin": f"http://[::1]:{port}"})
            == 200
        )
        assert status(port, "/login", {"Host": f"[::1]:{port}", "Origin": "null"}) == 403

        with browser() as chromium:
            page = chromium.new_page()
            # the whole app under the foreign name: refused, nothing rendered
            response = page.goto(f"http://{FOREIGN}:{port}{token}")
            assert response is not None and response.status == 403
            assert "answers only requests for this machine" in page.content()
            assert page.locator(".aaw-editor").count() == 0
            # a foreign page that knows the token and a kernel id still cannot reach a kernel
            own = chromium.new_page()
            own.goto(app_url(port))
            own.wait_for_selector(".aaw-editor", timeout=120_000)
            kernel = own.evaluate(
                "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
            )
            assert kernel
            script = f"""
            <script>
            window.result = new Promise(done => {{
              const ws = new WebSocket(
                "ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?token={APP_TOKEN}");
              ws.onopen = () => done("opened");
              ws.onerror = () => done("refused");
            }});
            </script>"""
            with foreign_site(script) as site:
                evil = chromium.new_page()
                evil.goto(f"http://{FOREIGN}:{site}/")
                assert evil.evaluate("window.result") == "refused"
                # nor shut it down with a form post
                evil.evaluate(
                    f"fetch('http://127.0.0.1:{port}/voila/api/shutdown/{kernel}',"
                    " {method: 'POST', mode: 'no-cors', credentials: 'include'})"
                    ".catch(() => null)"
                )
            # the page's kernel and the pool's: no more, none fewer
            assert until(lambda: len(kernels_of(app.pid)) == 2)
            assert len(kernels_of(app.pid)) == 2
            assert own.locator(".aaw-editor").count() == 1


@pytest.mark.timeout(300)
def test_gets_without_the_token_start_no_kernel_and_closed_pages_free_theirs(tmp_path):
    with running_app(tmp_path, "--preheat", "1", "--cull-idle", "3600") as (app, port):
        assert until(lambda: len(kernels_of(app.pid)) == 1)
        # what an <img> on any site does: GETs of the app's page, with no token
        for _ in range(12):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as answer:
                assert answer.url.startswith(f"http://127.0.0.1:{port}/login")
        img = "".join(f'<img src="http://127.0.0.1:{port}/?n={i}">' for i in range(8))
        with browser() as chromium, foreign_site(img) as site:
            evil = chromium.new_page()
            evil.goto(f"http://{FOREIGN}:{site}/")
            evil.wait_for_load_state("load")
        assert len(kernels_of(app.pid)) == 1  # the preheated kernel alone

        with browser() as chromium:
            for _ in range(3):
                page = chromium.new_page()
                page.goto(app_url(port))
                page.wait_for_selector(".aaw-editor", timeout=120_000)
                assert until(lambda: len(kernels_of(app.pid)) == 2)  # its kernel, a new pool one
                page.goto("about:blank")  # the page goes: its kernel is shut down
                page.close(run_before_unload=True)
                assert until(lambda: len(kernels_of(app.pid)) == 1), "the page's kernel lived on"


@pytest.mark.timeout(400)
def test_kernels_are_bounded_per_browser_and_in_all(tmp_path):
    args = ("--preheat", "0", "--max-kernels", "2", "--max-kernels-per-user", "1")
    with running_app(tmp_path, *args) as (app, port), browser() as chromium:
        first = chromium.new_context()
        page = first.new_page()
        page.goto(app_url(port))
        page.wait_for_selector(".aaw-editor", timeout=150_000)
        # the same browser again: past its one page
        again = first.new_page()
        response = again.goto(app_url(port))
        assert response is not None and response.status == 429
        assert "--max-kernels-per-user" in again.content()
        assert len(kernels_of(app.pid)) == 1
        # another browser gets its page, and a third is past the app's two kernels
        second = chromium.new_context().new_page()
        second.goto(app_url(port))
        second.wait_for_selector(".aaw-editor", timeout=150_000)
        third = chromium.new_context().new_page()
        response = third.goto(app_url(port))
        assert response is not None and response.status == 503
        assert "its limit (amplify-auth app --max-kernels)" in third.content()
        assert len(kernels_of(app.pid)) == 2
        # a page that goes makes room for one more
        page.goto("about:blank")
        # (its process ends a moment before Voila forgets it: the user reloads)
        assert until(lambda: third.goto(app_url(port)).status == 200)
        third.wait_for_selector(".aaw-editor", timeout=150_000)


def test_beyond_loopback_the_app_warns_and_always_wants_a_token(tmp_path):
    env = jupyter_env(tmp_path)
    short = subprocess.run(
        app_command(0),
        capture_output=True,
        text=True,
        env={**env, "AMPLIFY_AUTH_APP_TOKEN": "short"},
        timeout=60,
    )
    assert short.returncode == 253
    assert "AMPLIFY_AUTH_APP_TOKEN" in short.stderr and "16" in short.stderr
    # the printed URL carries a new token when none is given; --host beyond loopback warns
    no_token = {k: v for k, v in env.items() if k != "AMPLIFY_AUTH_APP_TOKEN"}
    app = subprocess.Popen(
        [*app_command(0, "--preheat", "0"), "--host", "0.0.0.0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=no_token,
    )
    try:
        line = app.stdout.readline()
        assert "?token=" in line and APP_TOKEN not in line
        url = line.split()[3]
        token = url.split("?token=")[1]
        assert len(token) >= 32
        wait_for_http(url, app)
    finally:
        stop(app)
    assert "warning: --host 0.0.0.0 serves the app beyond this machine" in app.stderr.read()
