"""A local emulator of the AmplifyBackend API (and of Amplify's app listing), over real HTTP.

>>> with Emulator(job_seconds=0) as emu:  # doctest: +SKIP
...     service = BackendAuthService(emu.connection())

``Emulator`` serves in a background thread and is ready when ``start()`` (or ``__enter__``)
returns; port 0 picks a free port and ``url`` tells it. It listens on 127.0.0.1 unless told
otherwise, and answers only requests whose ``Host`` is a local name (127.0.0.1, localhost,
[::1]) or the address it listens on, or one of ``allowed_hosts`` (``"*"``: any), so that a web
page cannot read it by DNS rebinding. State lives in SQLite (``db``; a temporary file when not
given, removed on stop). Time comes from ``clock`` (epoch seconds), so tests can move it
instead of sleeping.

Several accounts and regions: ``accounts`` maps access key ids to account ids (any other key
is the default account's, ``123456789012``), ``regions`` are the regions served (``us-east-1``
alone by default); each (account, region) pair holds apps of its own, and ``connection(account=,
region=)`` reaches one. Its STS answers ``GetCallerIdentity`` and ``AssumeRole``, so that an AWS
profile assuming a role works against it.

Layout, after moto: ``protocol`` (routes, parsing, serialization from the model), a module per
service with its handlers (``amplify``: apps and backend environments; ``backend``:
AmplifyBackend's backends, auth and jobs) on ``common``'s base, ``store`` (SQLite, shared by
the services), ``server`` (the ASGI app, routing to each service), ``demo`` (seed data).
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import re
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..client.connection import EMULATOR_REGION
from ..core.db import SIDE_FILES
from .amplify import Amplify
from .backend import Backend
from .server import EmulatorApp, Faults, allowed_host_names
from .store import Store, scoped
from .sts import Identities

__all__ = [
    "LOG_LEVELS",
    "Emulator",
    "Faults",
    "listening_socket",
    "parse_job_seconds",
    "parse_regions",
]

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$", re.ASCII)


def parse_regions(regions: Iterable[str] | str) -> tuple[str, ...]:
    """The regions to serve, each once and of AWS's form (``eu-west-1``), in the order given."""
    names = [regions] if isinstance(regions, str) else list(regions)
    served: list[str] = []
    for name in names:
        if not isinstance(name, str) or not _REGION.fullmatch(name):
            raise ValueError(
                f"regions: {name!r} is not a region name; give names like us-east-1 or eu-west-1."
            )
        if name not in served:
            served.append(name)
    if not served:
        raise ValueError(f"regions: serve one region at least (e.g. {EMULATOR_REGION})")
    return tuple(served)


def parse_job_seconds(value: float | str | tuple[float, float]) -> tuple[float, float]:
    """``3`` or ``"3"`` (fixed) or ``"2-10"`` / ``(2, 10)`` (drawn from that range)."""
    refused = ValueError(f"job seconds must be a number >= 0 or a range LOW-HIGH, not {value!r}")
    try:
        if isinstance(value, tuple):
            low, high = (float(v) for v in value)
        else:
            try:  # one number first: "1e-3" is one, whose "-" is no range's
                low = high = float(value)
            except ValueError:  # LOW-HIGH: at the first "-" neither leading nor an exponent's
                text = str(value)
                at = next(
                    (i for i, c in enumerate(text) if c == "-" and i and text[i - 1] not in "eE"),
                    0,
                )
                low, high = float(text[:at]), float(text[at + 1 :])
    except (TypeError, ValueError):  # not numbers ("fast", "-2-10", None): said the same way
        raise refused from None
    if not (0 <= low <= high < math.inf):  # NaN compares false: refused too, as by the CLI
        raise refused
    return low, high


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` whose accepted connections have TCP_NODELAY.

    asyncio turns Nagle's algorithm off on an accepted socket only when its protocol is
    IPPROTO_TCP, and an accepted socket inherits the protocol of the listening one: made with
    protocol 0, every kept-alive request whose body follows its headers in a second write waits
    ~40 ms for the client's delayed ACK. TCP_NODELAY on the listening socket is inherited by
    the accepted ones on Linux too, so both are set.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    return sock


#: The log levels uvicorn knows, quietest first (``log_level``).
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def _check_log_level(log_level: str) -> None:
    """Refuse a log level uvicorn does not know now, not as a KeyError at ``start()``."""
    if log_level not in LOG_LEVELS:
        raise ValueError(f"log_level must be one of {', '.join(LOG_LEVELS)}; not {log_level!r}")


def _check_rates(**rates: float) -> None:
    """Refuse a rate (of throttling, failures, timeouts) outside 0..1, by its name."""
    for name, rate in rates.items():
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {rate}")


#: What to give instead of an empty address to listen on (the command line's --host says it too).
HOST_FIX = (
    "give 127.0.0.1 for this machine only (the default), or 0.0.0.0 for every address of the "
    "machine"
)


def _answered_hosts(host: str, allowed_hosts: Iterable[str]) -> frozenset[str]:
    """The Host names to answer: the local ones, ``allowed_hosts``, and the address listened
    on, as the emulator's url names it."""
    if not host.strip():  # a server takes "" for every address, not for none
        raise ValueError(f"host is empty: {HOST_FIX}")
    names = [allowed_hosts] if isinstance(allowed_hosts, str) else list(allowed_hosts)
    names.append(host)
    return allowed_host_names(names)


def _strict_credentials(strict_auth: tuple[str, str] | str | None) -> tuple[str, str] | None:
    """``strict_auth`` as (key, secret): given so, or as ``"KEY:SECRET"``."""
    if not isinstance(strict_auth, str):
        return strict_auth
    key, sep, secret = strict_auth.partition(":")
    if not (key and sep and secret):
        raise ValueError("strict_auth must be KEY:SECRET")
    return key, secret


class Emulator:
    """The emulator as a context manager serving in a background thread."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | None = None,
        job_seconds: float | str | tuple[float, float] | Callable[[str, str], float] = 3.0,
        demo: bool = False,
        latency_ms: float = 0.0,
        throttle_rate: float = 0.0,
        fail_rate: float = 0.0,
        timeout_rate: float = 0.0,
        seed: int | None = None,
        strict_auth: tuple[str, str] | str | None = None,
        clock: Callable[[], float] | None = None,
        log_level: str = "warning",
        allowed_hosts: Iterable[str] = (),
        accounts: Mapping[str, str] | None = None,
        regions: Iterable[str] = (EMULATOR_REGION,),
    ) -> None:
        _check_rates(throttle_rate=throttle_rate, fail_rate=fail_rate, timeout_rate=timeout_rate)
        _check_log_level(log_level)
        credentials = _strict_credentials(strict_auth)
        #: The regions served, each (with each account) holding apps of its own.
        self.regions = parse_regions(regions)
        hosts = _answered_hosts(host, allowed_hosts)
        self.host = host
        self.port = port
        self._temporary_db = db is None
        if db is None:
            fd, db = tempfile.mkstemp(prefix="amplify-emulator-", suffix=".sqlite3")
            os.close(fd)
        self.db = db
        self.clock = clock or time.time
        self.rng = random.Random(seed)
        self.faults = Faults(latency_ms, throttle_rate, timeout_rate)
        #: Whose each access key is (``accounts``), and the STS operations.
        self.identities = Identities(accounts or {}, credentials, self._now, self.rng)
        self.store = Store(db)
        durations = job_seconds if callable(job_seconds) else parse_job_seconds(job_seconds)
        #: AmplifyBackend's handlers (backends, auth, jobs) and Amplify's (apps, environments).
        self.backend = Backend(self.store, self._now, self.rng, durations, fail_rate)
        self.amplify = Amplify(self.store, self._now, self.rng)
        if demo:
            from .demo import seed_demo

            seed_demo(self.backend)
        self.app = EmulatorApp(
            (self.backend, self.amplify),
            self.faults,
            self.rng,
            self._now,
            credentials,
            allowed_hosts=hosts,
            identities=self.identities,
            regions=self.regions,
        )
        self.log_level = log_level
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def _now(self) -> float:
        return self.clock()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() or use `with`")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def fail_rate(self) -> float:
        return self.backend.fail_rate

    @fail_rate.setter
    def fail_rate(self, rate: float) -> None:
        self.backend.fail_rate = rate

    def start(self, timeout: float = 10.0) -> Emulator:
        import uvicorn

        if self._server is not None:
            return self
        sock = listening_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            # What uvicorn serves: ``self.app``, looked up at each request. uvicorn first calls
            # the app it is given with no arguments, taking whatever answers for an app
            # factory's product; an app (or a method) replaced by a wrapper taking ``*args``
            # (a decorator's, as mutmut's trampolines) would answer that call with a coroutine
            # and never be served. A lambda's own arguments refuse that call.
            lambda scope, receive, send: self.app(scope, receive, send),
            interface="asgi3",
            log_level=self.log_level,
            access_log=True,  # a line per request, at info and below (as moto's server)
            lifespan="off",
            timeout_keep_alive=30,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="amplify-emulator", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + timeout
        while True:  # the time first: a start given none fails, even one quick enough
            if not thread.is_alive() or time.monotonic() > deadline:
                # nothing left behind: the server told to stop, its thread ended, the port freed
                server.should_exit = True
                thread.join(timeout=10)
                sock.close()
                raise RuntimeError(
                    f"the emulator did not start within {timeout} s; see the log above, or "
                    "give start() a longer timeout"
                )
            if server.started:
                break
            time.sleep(0.005)
        self._server, self._thread, self._socket = server, thread, sock
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._socket.close()
            self._server = None
        self.store.close()
        if self._temporary_db:
            for suffix in ("", *SIDE_FILES):  # the database and what SQLite keeps beside it
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.db + suffix)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settle(self) -> int:
        """Finish the jobs whose time has come now (requests do this by themselves)."""
        return self.backend.settle()

    def connection(
        self, account: str | None = None, region: str | None = None, **overrides: Any
    ) -> Any:
        """A ``Connection`` to this emulator, with its throwaway credentials: those of
        ``account`` (an access key mapped to it, mapped now if none is) and ``region``."""
        from ..client.connection import Connection

        if account is not None:
            overrides.setdefault("access_key_id", self.identities.key_for(account))
        if region is not None:
            overrides.setdefault("region", region)
        return Connection.for_emulator(self.url, **overrides)

    def connections(self) -> list[Any]:
        """A ``Connection`` per (account, region) that holds apps, in order."""
        return [self.connection(account=a, region=r) for a, r in self.store.scopes()]

    def client(self, service: str = "amplifybackend", **overrides: Any) -> Any:
        return self.connection(**overrides).client(service)

    def create_app(
        self,
        name: str,
        environments: tuple[str, ...] = ("dev",),
        *,
        account: str | None = None,
        region: str | None = None,
    ) -> str:
        """Create an app with backend environments directly (in ``account`` and ``region``,
        the default ones unless given); returns its app id."""
        from .store import DEFAULT_SCOPE

        app_id = self.backend.new_app_id()
        now = self.clock()
        with scoped(account or DEFAULT_SCOPE.account, region or DEFAULT_SCOPE.region):
            self.store.put_app(app_id, name, {}, now)
            for env in environments:
                self.store.put_environment(app_id, env, {}, now)
        return app_id
