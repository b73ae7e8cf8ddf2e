"""The Voila server ``amplify-auth app`` runs: Voila, closed to every page but its own.

``amplify-auth app`` may act with the user's AWS credentials (``--aws``), and a browser sends
requests to 127.0.0.1 for any page it shows. So the server this module runs (as
``python -m amplify_auth_widgets.app.voila``, with Voila's own options) adds to Voila:

- **Host names.** Every request, static files and websockets included, must name this machine
  in its ``Host`` header (``localhost``, a loopback address, or a name given with
  ``--AppVoila.allowed_hosts``; an IP address the server listens on when it listens beyond
  loopback). A page on ``evil.example`` that resolves to 127.0.0.1 (DNS rebinding) is refused
  with 403 before any handler runs. A request whose ``Origin`` names another host is refused
  the same way, so that no other site's script can open the kernel's websocket or post to it.
- **A token.** Voila's own token authentication (Jupyter's), with the token read from the
  environment variable ``AMPLIFY_AUTH_APP_TOKEN`` (never from the command line, which other
  users of the machine can read) and taken out of the environment before any kernel starts.
  A request without it (an ``<img>`` on another site) is sent to the login page and starts no
  kernel.
- **Bounded kernels.** At most ``max_kernels`` kernels in all (the preheated ones included)
  and ``max_kernels_per_user`` pages per signed-in browser; past either, the page gets 503 or
  429 with what to do, and no kernel starts.
- **A closed page frees its kernel.** Voila's page asks the server to shut its kernel down
  when it unloads, sending the ``_xsrf`` cookie's value; Voila's page sets no such cookie, so the
  request was refused and the kernel lived on until culled. The page's response now sets it.

It also signs the notebook it serves as it starts (``trust_notebook``, in the notary folder of
the app's own that ``NotebookNotary.data_dir`` names), and takes ``?voila-theme=dark`` for
Voila's own ``?theme=dark``.
"""

from __future__ import annotations

import contextvars
import os
import sys
from html import escape
from typing import Any
from urllib.parse import urlsplit

from jupyter_server.utils import url_path_join
from tornado import web
from tornado.routing import Matcher, Rule
from traitlets import Bool, Int, List, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from .serve import LOCAL_NAMES, TOKEN_VARIABLE, host_allowed, listens_beyond_loopback

#: The query parameter taken for Voila's ``theme`` (Voila 0.5.8 reads ``?theme=`` only).
THEME_ALIAS = "voila-theme"
#: Who asked for the page being rendered (the kernel manager reads it to count pages per user).
_page_user: contextvars.ContextVar[str | None] = contextvars.ContextVar("page_user", default=None)


class ForeignRequest(Matcher):
    """Matches the requests this server refuses: a ``Host`` that is not this machine, or an
    ``Origin`` other than the app's own page (the same scheme's host and port as the ``Host``
    the request names). ``Origin: null``, which a sandboxed frame of any site sends, is
    another site's too: the app's own pages never send it."""

    def __init__(self, allowed: tuple[str, ...], listen_ip: str) -> None:
        self.allowed = allowed
        self.listen_ip = listen_ip

    def match(self, request: Any) -> dict[str, Any] | None:
        host = (request.host or "").strip().lower()
        if not host_allowed(host, self.allowed, self.listen_ip):
            return {}
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin.strip()).netloc.lower() != host:
            return {}
        return None


class RefusedRequest(web.RequestHandler):
    """403 with what to do, for every method; nothing else runs."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(
            "403 Forbidden: this app answers only requests for this machine's own names "
            "(localhost, 127.0.0.1, [::1]) from its own pages. If you serve it under another "
            "name, give that name with --allow-host.\n"
        )


class AppVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, with the page's ``_xsrf`` cookie set and the user known to the
    kernel manager while it starts the page's kernel."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        # The cookie the page's unload request must send back (see the module's docstring).
        self.xsrf_token  # noqa: B018 (reading it sets the cookie)
        arguments = self.request.arguments
        if THEME_ALIAS in arguments and "theme" not in arguments:
            arguments["theme"] = arguments[THEME_ALIAS]
        user = self.current_user
        name = getattr(user, "username", None) or str(user)
        token = _page_user.set(name)
        try:
            await super().get(path)
        finally:
            _page_user.reset(token)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if not isinstance(error, KernelLimit):
            super().write_error(status_code, **kwargs)
            return
        # Voila's error page shows the status alone; this one says what to do
        title = f"{status_code}: {error.reason}"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        what = escape(error.log_message or "")
        self.finish(
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
            f"</title></head><body><main><h1>{escape(title)}</h1><p>{what}</p></main></body></html>"
        )


class KernelLimit(web.HTTPError):
    """A page past a kernel bound: 503 (all kernels) or 429 (this browser's pages)."""


class KernelBounds:
    """Voila's kernel manager with bounds: ``start_kernel`` refuses past ``max_kernels``
    kernels, and a page's kernel (started for it, or taken from the preheated pool) counts
    against the page's user, refused past ``max_per_user``. ``install`` wraps the manager's
    methods with these."""

    def __init__(self, manager: Any, max_kernels: int, max_per_user: int) -> None:
        self.manager, self.max_kernels, self.max_per_user = manager, max_kernels, max_per_user
        #: kernel id -> the user whose page it serves
        self.owners: dict[str, str] = {}

    def install(self) -> None:
        manager = self.manager
        start, shutdown = manager.start_kernel, manager.shutdown_kernel
        # the preheated pool's way to a page (absent when --preheat 0)
        rendered = getattr(manager, "get_rendered_notebook", None)

        async def bounded_start(*args: Any, **kwargs: Any) -> str:
            user = self.admit(kwargs.get("env") or {})
            kernel_id = str(await start(*args, **kwargs))
            if user is not None:
                self.owners[kernel_id] = user
            return kernel_id

        async def forgetting_shutdown(kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            self.owners.pop(kernel_id, None)
            return await shutdown(kernel_id, *args, **kwargs)

        async def owned_rendered(*args: Any, **kwargs: Any) -> Any:
            user = _page_user.get()
            self.check_user(user)
            assert rendered is not None  # installed only where the manager has it
            result = await rendered(*args, **kwargs)
            if user is not None:
                self.owners[str(result[2])] = user
            return result

        manager.start_kernel = bounded_start
        manager.shutdown_kernel = forgetting_shutdown
        if rendered is not None:
            manager.get_rendered_notebook = owned_rendered

    def alive(self) -> set[str]:
        return set(self.manager.list_kernel_ids())

    def admit(self, env: dict[str, str]) -> str | None:
        """May a kernel start now (``KernelLimit`` if not)? Returns the user of the page it is
        for: a page's own kernel, not a preheated one for the pool."""
        if len(self.alive()) >= self.max_kernels:
            raise KernelLimit(
                503,
                reason="Kernel Limit",
                log_message=f"The app runs {self.max_kernels} kernels, its limit (amplify-auth "
                "app --max-kernels): close a page of the app, or reload once an idle one is culled",
            )
        user = _page_user.get() if env.get("VOILA_PREHEAT") == "False" else None
        self.check_user(user)
        return user

    def check_user(self, user: str | None) -> None:
        if user is None:
            return
        live = self.alive()
        mine = [k for k, owner in self.owners.items() if owner == user and k in live]
        if len(mine) >= self.max_per_user:
            raise KernelLimit(
                429,
                reason="Too Many Pages",
                log_message=f"This browser has {len(mine)} of the app's pages open, its limit "
                "(amplify-auth app --max-kernels-per-user): close one of them, then reload",
            )


class AppVoila(Voila):
    """Voila with the host check, the token from the environment, and bounded kernels."""

    name = "amplify-auth-app"

    allowed_hosts = List(
        Unicode(),
        default_value=list(LOCAL_NAMES),
        help="Host names the app answers to (beside loopback addresses).",
    ).tag(config=True)
    max_kernels = Int(
        8, help="Kernels in all, the preheated ones included; a page past it gets 503."
    ).tag(config=True)
    max_kernels_per_user = Int(
        4, help="Pages open at once per signed-in browser; a page past it gets 429."
    ).tag(config=True)
    trust_notebook = Bool(
        False,
        help="Sign the notebook served as trusted as the server starts, in the notary folder "
        "NotebookNotary.data_dir names (required: the user's own is never written).",
    ).tag(config=True)

    def init_settings(self) -> dict[str, Any]:
        token = os.environ.pop(TOKEN_VARIABLE, "")
        if not token:
            raise SystemExit(f"{TOKEN_VARIABLE} is not set: the app serves no page without one")
        self.token = token
        settings: dict[str, Any] = super().init_settings()
        # Jupyter's own check too, for every handler built on Jupyter's; it knows no address
        # but loopback ones, so beyond loopback (where the machine's addresses are the app's)
        # it would refuse them all, and the router rule (``ForeignRequest``) is the check
        settings["allow_remote_access"] = listens_beyond_loopback(self.ip)
        settings["local_hostnames"] = [*self.allowed_hosts]
        KernelBounds(self.kernel_manager, self.max_kernels, self.max_kernels_per_user).install()
        if self.trust_notebook:
            self.sign_notebook()
        return settings

    def sign_notebook(self) -> None:
        """Sign the notebook served with the contents manager's notary (the one that checks
        it on every page load), before any kernel is preheated with it."""
        if not self.config.NotebookNotary.get("data_dir") or not self.notebook_path:
            raise SystemExit(
                "--AppVoila.trust_notebook needs a notebook and --NotebookNotary.data_dir: a "
                "folder of the app's own (the user's notebook-signing database is not written)"
            )
        import nbformat  # Voila has imported it already

        notebook = nbformat.read(self.notebook_path, as_version=4)
        self.contents_manager.notary.sign(notebook)

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = super().init_handlers()
        # Voila adds the login and logout pages at /login whatever its base URL, where the
        # redirect of a page without its token (to base_url/login) finds nothing
        login = {pattern for pattern, *_ in self.identity_provider.get_handlers()}
        return [
            (
                url_path_join(self.server_url, h[0]) if h[0] in login else h[0],
                AppVoilaHandler if h[1] is TornadoVoilaHandler else h[1],
                *h[2:],
            )
            if isinstance(h, tuple) and len(h) > 1
            else h
            for h in handlers
        ]

    def listen(self) -> None:
        # Before any route: a foreign request reaches no handler at all.
        router = self.app.default_router
        router.add_rules([Rule(ForeignRequest(tuple(self.allowed_hosts), self.ip), RefusedRequest)])
        router.rules.insert(0, router.rules.pop())
        super().listen()


def main(argv: list[str] | None = None) -> None:
    AppVoila.launch_instance(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
