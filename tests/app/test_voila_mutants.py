"""The app's Voila server in this process: what a browser gets from it (the refusal of another
host's request, the login page under the base URL, the page past a kernel bound), the settings
it hands to Voila (the token from the environment, Jupyter's own host check, the notebook
signed in the app's own notary folder), its handlers beside Voila's, and the kernel bounds
over a stand-in of Voila's kernel manager. A server here starts in a fraction of a second and
serves no page that starts a kernel: each page asked for is past a bound."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import signal
import sys
import threading
import time
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.sign import NotebookNotary
from support.browser import free_port, port_open
from tornado import web
from tornado.concurrent import Future
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from amplify_auth_widgets.app.serve import LOCAL_NAMES, TOKEN_VARIABLE
from amplify_auth_widgets.app.voila import (
    AppVoila,
    AppVoilaHandler,
    ForeignRequest,
    KernelBounds,
    KernelLimit,
    _page_user,
    main,
)

TOKEN = "s3cret-token"
REFUSED = (
    "403 Forbidden: this app answers only requests for this machine's own names "
    "(localhost, 127.0.0.1, [::1]) from its own pages. If you serve it under another "
    "name, give that name with --allow-host.\n"
)
ALL_KERNELS = (
    "The app runs {n} kernels, its limit (amplify-auth app --max-kernels): close a page of the "
    "app, or reload once an idle one is culled"
)
MY_PAGES = (
    "This browser has {n} of the app's pages open, its limit (amplify-auth app "
    "--max-kernels-per-user): close one of them, then reload"
)


def limit_page(status: int, reason: str, what: str) -> str:
    title, what = escape(f"{status}: {reason}"), escape(what)  # as HTML
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1><p>{what}</p></main></body></html>"
    )


@pytest.fixture(autouse=True)
def jupyter_home(tmp_path, monkeypatch):
    """Jupyter's and IPython's folders of the test's own (the user's notary is never written)
    and the token in the environment, as ``amplify-auth app`` hands it over."""
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        monkeypatch.setenv(name, str(tmp_path / "home" / name.lower()))
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    monkeypatch.setenv(TOKEN_VARIABLE, TOKEN)
    return tmp_path / "home"


@pytest.fixture
def notebook(tmp_path):
    path = tmp_path / "app.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), path)
    return path


def made(tmp_path: Path, served: str | Path, *options: str) -> AppVoila:
    """The server as ``amplify-auth app`` starts it, configured but not started."""
    app = AppVoila()
    before = signal.getsignal(signal.SIGTERM)  # Voila installs its own
    try:
        app.initialize(
            [str(served), "--no-browser", f"--Voila.connection_dir_root={tmp_path}", *options]
        )
    finally:
        signal.signal(signal.SIGTERM, before)
    app.connection_dir = str(tmp_path)  # (``start`` makes one)
    return app


@contextlib.contextmanager
def running(
    tmp_path: Path, served: str | Path, *options: str, ip: str = "127.0.0.1"
) -> Iterator[int]:
    """The server started on ``ip`` (in a thread, as ``start`` does: settings, handlers,
    listen); its port. Stopped after."""
    port = free_port()
    app = made(
        tmp_path, served, f"--Voila.ip={ip}", f"--port={port}", "--Voila.port_retries=0", *options
    )
    thread = threading.Thread(target=app.start, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while getattr(app, "ioloop", None) is None and thread.is_alive():
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)  # the server's own start, in this process: nothing to be told by
    assert thread.is_alive(), "the server stopped as it started"
    try:
        yield port
    finally:
        app.ioloop.add_callback(app.ioloop.stop)
        thread.join(10)
        # Voila keeps no handle on its listening socket; the stopped loop closes it
        app.ioloop.close(all_fds=True)


def get(port: int, path: str, host: str = "localhost", **headers: str) -> tuple[int, Any, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{port}", **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


# -- the kernel bounds, over a stand-in of Voila's kernel manager ------------------------------


class Manager:
    """What ``KernelBounds`` uses of Voila's kernel manager: kernels started, listed, shut down,
    and (with a preheated pool) a pool's kernel handed to a page."""

    def __init__(self, pool: int = 0) -> None:
        self.kernels: list[str] = []
        self.calls: list[tuple[Any, ...]] = []
        self.pool = [f"pool{n}" for n in range(pool)]
        self.kernels += self.pool
        if pool:
            self.get_rendered_notebook = self._rendered

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = f"k{len(self.calls)}"
        self.calls.append(("start", args, kwargs))
        self.kernels.append(kernel_id)
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> str:
        self.calls.append(("shutdown", kernel_id, args, kwargs))
        self.kernels.remove(kernel_id)
        return "shut"

    async def _rendered(self, *args: Any, **kwargs: Any) -> tuple[str, list[str], str]:
        self.calls.append(("rendered", args, kwargs))
        return "task", ["cell"], self.pool.pop(0)


def bounded(manager: Manager, max_kernels: int = 8, max_per_user: int = 4) -> KernelBounds:
    bounds = KernelBounds(manager, max_kernels, max_per_user)
    bounds.install()
    return bounds


def page(user: str | None, call: Any) -> Any:
    """``call()`` run as the page of ``user`` (as ``AppVoilaHandler.get`` runs Voila's)."""

    async def as_page() -> Any:
        token = _page_user.set(user)
        try:
            return await call()
        finally:
            _page_user.reset(token)

    return asyncio.run(as_page())


PAGE = {"env": {"VOILA_PREHEAT": "False"}}  # how Voila starts a page's own kernel
POOL = {"env": {"VOILA_PREHEAT": "True"}}  # and a kernel for the preheated pool


def test_past_the_app_s_kernels_none_starts_and_one_shut_down_makes_room():
    manager = Manager()
    bounds = bounded(manager, max_kernels=2)
    assert page("alice", lambda: manager.start_kernel("python3", **PAGE)) == "k0"
    assert page(None, lambda: manager.start_kernel(**POOL)) == "k1"
    with pytest.raises(KernelLimit) as refused:
        page("bob", lambda: manager.start_kernel(**PAGE))
    error = refused.value
    assert (error.status_code, error.reason) == (503, "Kernel Limit")
    assert error.log_message == ALL_KERNELS.format(n=2)
    assert manager.kernels == ["k0", "k1"]  # none started
    assert page(None, lambda: manager.shutdown_kernel("k0", True, restart=False)) == "shut"
    assert bounds.owners == {}  # forgotten with its kernel
    assert page("bob", lambda: manager.start_kernel(**PAGE)) == "k3"
    # what was asked is what Voila's manager was asked
    assert manager.calls == [
        ("start", ("python3",), PAGE),
        ("start", (), POOL),
        ("shutdown", "k0", (True,), {"restart": False}),
        ("start", (), PAGE),
    ]


def test_a_kernel_started_with_no_environment_counts_against_no_one():
    manager = Manager()
    bounds = bounded(manager, max_per_user=1)
    page("alice", lambda: manager.start_kernel())
    page("alice", lambda: manager.start_kernel(env=None))
    assert bounds.owners == {} and len(manager.kernels) == 2


def test_past_a_browser_s_pages_its_next_page_is_refused_and_no_one_else_s():
    manager = Manager()
    bounds = bounded(manager, max_per_user=2)
    page("alice", lambda: manager.start_kernel(**PAGE))
    page("alice", lambda: manager.start_kernel(**PAGE))
    assert bounds.owners == {"k0": "alice", "k1": "alice"}
    with pytest.raises(KernelLimit) as refused:
        page("alice", lambda: manager.start_kernel(**PAGE))
    error = refused.value
    assert (error.status_code, error.reason) == (429, "Too Many Pages")
    assert error.log_message == MY_PAGES.format(n=2)
    # another browser, and the preheated pool's kernels (started while alice's page renders)
    assert page("bob", lambda: manager.start_kernel(**PAGE)) == "k2"
    assert page("alice", lambda: manager.start_kernel(**POOL)) == "k3"
    assert bounds.owners == {"k0": "alice", "k1": "alice", "k2": "bob"}
    # a page's kernel gone (culled) makes room for another page of that browser
    manager.kernels.remove("k0")
    assert page("alice", lambda: manager.start_kernel(**PAGE)) == "k4"


def test_another_browser_s_pages_do_not_count_against_a_browser():
    manager = Manager()
    bounded(manager, max_per_user=1)
    page("bob", lambda: manager.start_kernel(**PAGE))
    assert page("alice", lambda: manager.start_kernel(**PAGE)) == "k1"


def test_a_preheated_kernel_handed_to_a_page_is_that_browser_s():
    manager = Manager(pool=3)
    bounds = bounded(manager, max_per_user=1)
    rendered = manager.get_rendered_notebook
    assert page("alice", lambda: rendered("app.ipynb", extra=1)) == ("task", ["cell"], "pool0")
    assert manager.calls == [("rendered", ("app.ipynb",), {"extra": 1})]
    assert bounds.owners == {"pool0": "alice"}
    with pytest.raises(KernelLimit) as refused:
        page("alice", lambda: rendered("app.ipynb"))
    assert refused.value.status_code == 429
    assert manager.pool == ["pool1", "pool2"]  # none taken
    page(None, lambda: rendered("app.ipynb"))  # no page's user known: owned by no one
    assert bounds.owners == {"pool0": "alice"}
    # a preheated kernel shut down that was no page's
    page(None, lambda: manager.shutdown_kernel("pool2"))
    assert bounds.owners == {"pool0": "alice"}


def test_without_a_preheated_pool_no_pool_is_made_up():
    manager = Manager()
    bounded(manager)
    assert not hasattr(manager, "get_rendered_notebook")


# -- what it hands to Voila ------------------------------------------------------------------


def test_without_the_token_in_the_environment_no_server(tmp_path, notebook, monkeypatch):
    monkeypatch.delenv(TOKEN_VARIABLE)
    app = made(tmp_path, notebook)
    with pytest.raises(SystemExit) as stopped:
        app.init_settings()
    assert str(stopped.value) == f"{TOKEN_VARIABLE} is not set: the app serves no page without one"


def test_the_token_is_taken_out_of_the_environment_and_jupyter_checks_hosts_too(tmp_path, notebook):
    import os

    app = made(tmp_path, notebook)
    settings = app.init_settings()
    assert TOKEN_VARIABLE not in os.environ  # no kernel inherits it
    assert app.token == TOKEN and app.identity_provider.token == TOKEN
    assert not settings["allow_remote_access"]
    assert settings["local_hostnames"] == list(LOCAL_NAMES)


def test_the_served_notebook_is_signed_in_the_app_s_own_notary_folder(
    tmp_path, notebook, jupyter_home
):
    notary = tmp_path / "notary"
    notary.mkdir()
    app = made(
        tmp_path, notebook, "--AppVoila.trust_notebook=True", f"--NotebookNotary.data_dir={notary}"
    )
    app.init_settings()
    read = nbformat.read(notebook, as_version=4)
    assert NotebookNotary(data_dir=str(notary)).check_signature(read)
    assert not list(jupyter_home.rglob("nbsignatures.db"))  # the user's own: not written


def test_a_notebook_is_not_signed_unless_asked(tmp_path, notebook):
    notary = tmp_path / "notary"
    notary.mkdir()
    made(tmp_path, notebook, f"--NotebookNotary.data_dir={notary}").init_settings()
    read = nbformat.read(notebook, as_version=4)
    assert not NotebookNotary(data_dir=str(notary)).check_signature(read)


@pytest.mark.parametrize("what", ["no notary folder", "no notebook"])
def test_signing_needs_a_notebook_and_a_notary_folder_of_the_app_s_own(tmp_path, notebook, what):
    options = ["--AppVoila.trust_notebook=True"]
    if what == "no notebook":
        options.append(f"--NotebookNotary.data_dir={tmp_path / 'notary'}")
    app = made(tmp_path, notebook if what == "no notary folder" else tmp_path, *options)
    with pytest.raises(SystemExit) as stopped:
        app.init_settings()
    assert str(stopped.value) == (
        "--AppVoila.trust_notebook needs a notebook and --NotebookNotary.data_dir: a "
        "folder of the app's own (the user's notebook-signing database is not written)"
    )


def test_the_handlers_are_voila_s_with_the_login_under_the_base_url_and_the_page_s_own(
    tmp_path, notebook
):
    app = made(tmp_path, notebook, "--Voila.base_url=/app/")
    app.init_settings()
    theirs, ours = Voila.init_handlers(app), app.init_handlers()
    login = {pattern for pattern, *_ in app.identity_provider.get_handlers()}
    assert login == {"/login", "/logout"}
    assert len(ours) == len(theirs)
    for mine, voila_s in zip(ours, theirs, strict=True):
        pattern, handler, *rest = voila_s
        if pattern in login:
            assert mine == ("/app" + pattern, handler, *rest)
        elif handler is TornadoVoilaHandler:
            assert mine == (pattern, AppVoilaHandler, *rest) and rest  # its notebook and all
        else:
            assert mine == voila_s


def test_main_runs_the_server_with_the_arguments_given_or_else_the_command_line_s(
    monkeypatch, capsys
):
    monkeypatch.delenv(TOKEN_VARIABLE)  # a server started by mistake stops at once
    monkeypatch.setattr(sys, "argv", ["amplify-auth-app", "--version"])
    try:
        with pytest.raises(SystemExit):
            main(["--help-all"])
        assert "--AppVoila.max_kernels=<Int>" in capsys.readouterr().out
        AppVoila.clear_instance()
        monkeypatch.setattr(sys, "argv", ["amplify-auth-app", "--help-all"])
        with pytest.raises(SystemExit):
            main()
        assert "--AppVoila.max_kernels=<Int>" in capsys.readouterr().out
    finally:
        AppVoila.clear_instance()


class Connection:
    """Where a handler's response goes, kept (tornado's HTTP/1 connection, in memory)."""

    def __init__(self) -> None:
        self.start: Any = None
        self.body = b""

    def set_close_callback(self, callback: Any) -> None:
        pass

    def write_headers(self, start_line: Any, headers: Any, chunk: bytes | None = None) -> Any:
        self.start = start_line
        return self.write(chunk or b"")

    def write(self, chunk: bytes) -> Any:
        self.body += chunk
        done: Future[None] = Future()
        done.set_result(None)
        return done

    def finish(self) -> None:
        pass


def test_an_error_sent_with_no_exception_still_gets_voila_s_error_page(tmp_path, notebook):
    """tornado sends a page whose task was cancelled (the server stopping as it renders) a 500
    with no exception: the page handler's error page is Voila's all the same."""
    app = made(tmp_path, notebook)
    application = web.Application(**app.init_settings())
    (page_handler,) = [h for h in app.init_handlers() if h[1] is AppVoilaHandler]
    connection = Connection()

    async def cancelled_page() -> None:  # (in an event loop, as a server's handlers are)
        start = RequestStartLine("GET", "/", "HTTP/1.1")
        headers = HTTPHeaders({"Host": "localhost"})
        request = HTTPServerRequest(start_line=start, headers=headers, connection=connection)
        handler = AppVoilaHandler(application, request, **page_handler[2])
        handler._current_user, handler._transforms = None, []  # (as tornado's _execute sets)
        handler.send_error(500)

    asyncio.run(cancelled_page())
    assert connection.start.code == 500
    assert "<h1>500: Internal Server Error</h1>" in connection.body.decode()


# -- what a browser gets ---------------------------------------------------------------------


@pytest.mark.parametrize("ip", ["127.0.0.1", "0.0.0.0"])
def test_a_request_for_another_host_or_from_another_site_is_refused_with_what_to_do(
    tmp_path, notebook, ip
):
    # beyond loopback Jupyter's own host check is off: the app's rule alone refuses, before
    # any handler (a page, the kernels' API, a static file)
    with running(tmp_path, notebook, ip=ip) as port:
        for path in ("/", "/api/kernels", "/voila/static/voila.js"):
            for host, origin in [
                ("evil.example", {}),
                ("localhost", {"Origin": "http://evil.example"}),
                ("127.0.0.1", {"Origin": "null"}),
            ]:
                status, headers, body = get(port, path, host, **origin)
                assert (status, body) == (403, REFUSED), (path, host, origin)
                assert headers["Content-Type"] == "text/plain; charset=utf-8"
        # this machine's own name reaches the app: the login page, the token not given
        assert get(port, "/")[0] == 302
        assert get(port, "/", "localhost", Origin=f"http://localhost:{port}")[0] == 302


def test_the_names_the_app_answers_to_are_the_ones_given(tmp_path, notebook):
    with running(tmp_path, notebook, "--AppVoila.allowed_hosts=app.corp") as port:
        assert get(port, "/", "app.corp")[0] == 302
        assert get(port, "/", "127.0.0.1")[0] == 302  # a loopback address, always
        assert get(port, "/", "localhost")[0] == 403  # a name no longer given


def test_a_page_without_the_token_goes_to_the_login_page_under_the_base_url(tmp_path, notebook):
    with running(tmp_path, notebook, "--Voila.base_url=/app/") as port:
        status, headers, _ = get(port, "/app/")
        assert status == 302 and headers["Location"] == "/app/login?next=%2Fapp%2F"
        status, _, body = get(port, "/app/login")
        assert status == 200 and "password" in body.lower()
        assert get(port, "/login")[0] == 404


def test_a_page_past_the_app_s_kernels_says_so_and_what_to_do(tmp_path, notebook):
    with running(tmp_path, notebook, "--AppVoila.max_kernels=0") as port:
        status, headers, body = get(port, f"/?token={TOKEN}")
    assert status == 503
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == limit_page(503, "Kernel Limit", ALL_KERNELS.format(n=0))
    # the cookie the page's unload request sends back
    assert any(c.startswith("_xsrf=") for c in headers.get_all("Set-Cookie"))


def test_a_page_past_the_browser_s_pages_says_so_and_what_to_do(tmp_path, notebook):
    with running(tmp_path, notebook, "--AppVoila.max_kernels_per_user=0") as port:
        status, headers, body = get(port, f"/?token={TOKEN}")
    assert status == 429
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == limit_page(429, "Too Many Pages", MY_PAGES.format(n=0))


def test_any_other_error_of_the_page_is_voila_s_own_page(tmp_path, notebook):
    with running(tmp_path, notebook) as port:
        notebook.unlink()  # the page's notebook gone: Voila's error, not the bounds' page
        status, _, body = get(port, f"/?token={TOKEN}")
    assert status == 404
    assert "<h1>404: Not Found</h1>" in body
    assert "You are requesting a page that does not exist!" in body


def test_listening_beyond_loopback_the_machine_s_addresses_are_its_own(tmp_path, notebook):
    with running(tmp_path, notebook, ip="0.0.0.0") as port:
        assert get(port, "/", "10.0.0.5")[0] == 302  # an address: not what DNS rebinding forges
        assert get(port, "/", "evil.example")[0] == 403
    assert not port_open(port)  # stopped: its socket on every interface closed
    on_loopback = ForeignRequest(LOCAL_NAMES, "127.0.0.1")
    beyond = ForeignRequest(LOCAL_NAMES, "0.0.0.0")
    start, headers = RequestStartLine("GET", "/", "HTTP/1.1"), HTTPHeaders({"Host": "10.0.0.5"})
    request = HTTPServerRequest(start_line=start, headers=headers)
    assert on_loopback.match(request) == {} and beyond.match(request) is None
