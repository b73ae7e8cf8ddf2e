"""The ``amplify-auth`` commands that run services: ``emulator`` and ``app``."""

from __future__ import annotations

import argparse
import math
import os
import secrets
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from ..core.secrets import quote
from .common import seconds
from .exitcodes import EXIT_CONFIG, EXIT_OK, EXIT_OTHER


def port(text: str) -> int:
    """A TCP port: 1 to 65535, or 0 for any free one."""
    try:
        value = int(text) if len(text) < 10 else -1
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"{quote(text)} is not a port: choose 1 to 65535, or 0 for any free port"
        )
    return value


def listen_host(text: str) -> str:
    """``--host``: the address to listen on. Nothing given is refused: servers take an empty
    address for every address of the machine, the opposite of what leaving it empty says."""
    if not text.strip():
        from ..emulator import HOST_FIX  # deferred: the emulator's server stack (~50 ms)

        raise argparse.ArgumentTypeError(f"{quote(text)} is no address: {HOST_FIX}")
    return text.strip()  # (a shell's quotes can keep spaces a server would not take)


#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def database_file(text: str) -> str:
    """``--db``: an SQLite file, or a new file's name in an existing folder. Anything else is
    refused before it is opened, so that a file that is not a database is never touched. The
    path checked is the one returned (``~`` expanded: the shell leaves ``--db=~/...`` as is)."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{quote(text)} is a folder; give a file in it, such as {path / 'emulator.sqlite3'}"
        )
    if path.exists():
        try:
            with path.open("rb") as stream:
                head = stream.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise argparse.ArgumentTypeError(f"cannot read {quote(text)}: {exc.strerror}") from None
        if head and head != SQLITE_HEADER:
            raise argparse.ArgumentTypeError(
                f"{quote(text)} is not an SQLite database (left untouched); give an emulator's "
                "state file or a new file name"
            )
    elif not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {quote(str(path.parent))} does not exist")
    return str(path)


def _rate(text: str) -> float:
    """A fraction of requests: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a number from 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"{quote(text)} is not between 0 and 1 (a fraction of requests)"
        )
    return value


def _job_seconds(text: str) -> str:
    """``--job-seconds``: seconds, or a range LOW-HIGH, as the emulator reads them."""
    from ..emulator import parse_job_seconds  # deferred: the emulator's server stack (~50 ms)

    try:
        bounds = parse_job_seconds(text)
    except ValueError:
        bounds = (math.nan, math.nan)
    if not all(math.isfinite(b) and b >= 0 for b in bounds):
        raise argparse.ArgumentTypeError(
            f"{quote(text)} is not a number of seconds (3) or a range (2-10) of 0 or more"
        )
    return text


def _positive(text: str) -> int:
    """A whole number of 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a whole number of 1 or more")
    return int(text)


def _base_url(text: str) -> str:
    """A path prefix with one slash at each end (``/`` for none)."""
    return "/" + text.strip("/") + "/" if text.strip("/") else "/"


def _strict_auth(text: str) -> str:
    """--strict-auth: the KEY:SECRET the emulator verifies signatures by."""
    key, sep, secret = text.partition(":")
    if not (key and sep and secret):
        raise argparse.ArgumentTypeError("give the key as KEY:SECRET")
    return text


def add_emulator_options(p: argparse.ArgumentParser, default_port: int = 4600) -> None:
    """The ``emulator`` command's options: where it listens and keeps state, demo data, faults."""
    p.add_argument(
        "--host",
        type=listen_host,
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1)",
    )
    p.add_argument(
        "--port",
        type=port,
        default=default_port,
        help=f"port (default {default_port}; 0: any free)",
    )
    p.add_argument(
        "--db", type=database_file, help="SQLite file for the state (default: a temporary file)"
    )
    p.add_argument(
        "--job-seconds",
        type=_job_seconds,
        default="3",
        help="how long a job stays IN_PROGRESS: seconds, or a range LOW-HIGH to draw from",
    )
    p.add_argument("--demo", action="store_true", help="seed demo apps, some with auth")
    p.add_argument(
        "--demo-fleet",
        type=_fleet_size,
        default=0,
        metavar="N",
        help="seed N fleet apps with dev, staging and prod, about 3 in 10 weakly configured",
    )
    p.add_argument("--latency-ms", type=seconds, default=0.0, help="added to every request")
    p.add_argument("--throttle-rate", type=_rate, default=0.0, help="fraction answered 429")
    p.add_argument("--fail-rate", type=_rate, default=0.0, help="fraction of jobs that FAIL")
    p.add_argument("--timeout-rate", type=_rate, default=0.0, help="fraction answered 504")
    p.add_argument("--seed", type=int, help="seed for ids and faults, for reproducible runs")
    p.add_argument(
        "--strict-auth",
        type=_strict_auth,
        metavar="KEY:SECRET",
        help="verify SigV4 signatures as AWS does: by this key (or STS's temporary ones), for "
        "a region served and the request's service (default: any signed request)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        type=_allowed_host,
        default=[],
        metavar="NAME",
        help="also answer requests whose Host is NAME (repeatable; '*': any name). By default "
        "only 127.0.0.1, localhost, [::1] and the --host address are answered, so that a web "
        "page cannot read the emulator through a name of its own (DNS rebinding)",
    )
    p.add_argument(
        "--region",
        action="append",
        type=_region,
        metavar="REGION",
        help="serve REGION (repeatable; default us-east-1 alone): each region, in each "
        "account, holds apps of its own; a request signed for another is refused",
    )
    p.add_argument(
        "--account",
        action="append",
        type=_account,
        default=[],
        metavar="KEY=ACCOUNT",
        help="the access key id KEY belongs to the 12-digit ACCOUNT (repeatable; any other key "
        "belongs to 123456789012)",
    )
    p.add_argument(
        "--demo-pairs",
        action="store_true",
        help="seed --demo-fleet's apps in each of 2 accounts x 2 regions (us-east-1 and "
        "eu-west-1 served; the second account's key is emulator-210987654321)",
    )
    p.add_argument("--log-level", default="warning", choices=("debug", "info", "warning", "error"))


def _region(text: str) -> str:
    """--region: a region name of AWS's form."""
    from ..emulator import parse_regions  # deferred: the server stack (~50 ms)

    try:
        return parse_regions([text])[0]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a region name; give one like us-east-1 or eu-west-1"
        ) from None


def _account(text: str) -> tuple[str, str]:
    """--account: KEY=ACCOUNT, an access key id and the 12-digit account it belongs to."""
    key, sep, account = text.partition("=")
    if not (key and sep and account.isdigit() and len(account) == 12):
        raise argparse.ArgumentTypeError(
            f"give an access key id and a 12-digit account as KEY=ACCOUNT, not {text!r}"
        )
    return key, account


def _allowed_host(text: str) -> str:
    """``--allow-host``: a host name or address the emulator's server accepts, or '*'."""
    from ..emulator.server import allowed_host_names  # deferred: the server stack (~50 ms)

    try:
        allowed_host_names([text])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a host name or address; give e.g. emulator.test or 192.168.1.5, "
            "or '*' to answer any Host"
        ) from None
    return text


def _fleet_size(text: str) -> int:
    """--demo-fleet: a number of apps from 0 to 10000."""
    if not text.isdigit() or int(text) > 10_000:
        raise argparse.ArgumentTypeError(f"a number of apps from 0 to 10000, not {text!r}")
    return int(text)


def emulator_from_args(args: argparse.Namespace) -> Any:
    """The emulator the ``emulator`` command's options describe (not started yet)."""
    from ..emulator import Emulator  # deferred: the server stack (~50 ms), for this command only
    from ..emulator.demo import FLEET_ACCOUNTS, FLEET_REGIONS  # deferred with the emulator

    pairs = getattr(args, "demo_pairs", False)
    regions = list(getattr(args, "region", None) or ["us-east-1"])
    accounts = dict(getattr(args, "account", None) or [])
    if pairs:
        regions += [r for r in FLEET_REGIONS if r not in regions]
        accounts.setdefault(f"emulator-{FLEET_ACCOUNTS[1]}", FLEET_ACCOUNTS[1])
    emulator = Emulator(
        host=args.host,
        port=args.port,
        db=args.db,
        job_seconds=args.job_seconds,
        demo=args.demo,
        latency_ms=args.latency_ms,
        throttle_rate=args.throttle_rate,
        fail_rate=args.fail_rate,
        timeout_rate=args.timeout_rate,
        seed=args.seed,
        strict_auth=args.strict_auth,
        log_level=args.log_level,
        allowed_hosts=getattr(args, "allow_host", None) or (),
        accounts=accounts,
        regions=regions,
    )
    if getattr(args, "demo_fleet", 0):
        from ..emulator.demo import seed_fleet, seed_fleet_pairs  # deferred with the emulator

        if pairs:
            seed_fleet_pairs(emulator.backend, args.demo_fleet)
        else:
            seed_fleet(emulator.backend, args.demo_fleet)
    return emulator


def _serve_until_stopped(emulator: Any, announce: Callable[[], None]) -> None:
    """Announce, then serve until Ctrl-C or SIGTERM; a signal that arrives while announcing
    stops it just as cleanly."""
    stop = threading.Event()
    # Ctrl-C and SIGTERM both just set the event: a SIGINT that the parent left ignored
    # (a process inherits that) or that lands while announcing stops the server the same way
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        announce()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        emulator.stop()


def run_emulator(args: argparse.Namespace, console: Any) -> int:
    """``emulator``: serve the local emulator until Ctrl-C or SIGTERM."""
    try:
        emulator = emulator_from_args(args)
    except (sqlite3.Error, OSError) as exc:
        console.err(f"error: --db {args.db}: cannot keep the emulator's state there: {exc}")
        return EXIT_CONFIG
    try:
        emulator.start()
    except OSError as exc:
        emulator.stop()
        console.err(f"error: {exc}. Choose another --port (0 picks a free one).")
        return EXIT_CONFIG

    def announce() -> None:
        console.out(f"amplify-auth emulator listening on {emulator.url}")
        console.stdout.flush()
        console.err(
            f"state: {emulator.db}\n"
            f"use it:  export AWS_ENDPOINT_URL={emulator.url} AWS_REGION=us-east-1 "
            "AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator-secret\n"
            "stop it: Ctrl-C"
        )

    _serve_until_stopped(emulator, announce)
    console.err("emulator stopped")
    return EXIT_OK


def run_app(args: argparse.Namespace, console: Any) -> int:
    """Serve the app notebook with Voila; each kernel starts its embedded emulator."""
    # deferred: the app's launcher (subprocess, ipaddress, its resources), which only `app` needs
    from ..app.serve import TOKEN_VARIABLE, PortBusy, claim_port, serve, voila_environment

    token = _app_token(console)
    if token is None:
        return EXIT_CONFIG
    try:
        port = claim_port(args.host, args.port)
    except PortBusy as exc:
        console.err(f"error: {exc}")
        return EXIT_CONFIG
    _warn_if_beyond_loopback(args, console)
    extra = {"AMPLIFY_AUTH_JOB_SECONDS": args.job_seconds, TOKEN_VARIABLE: token}
    if args.aws:
        extra["AMPLIFY_AUTH_TARGET"] = "aws"
    host = f"[{args.host}]" if ":" in args.host else args.host
    if host == "0.0.0.0":
        host = "127.0.0.1"

    def announce() -> None:
        url = f"http://{host}:{port}{args.base_url}?token={url_quote(token, safe='')}"
        console.out(f"amplify-auth app at {url} (Ctrl-C to stop)")
        console.stdout.flush()

    emulator = EarlyEmulator(args.job_seconds) if not args.aws else None
    with tempfile.TemporaryDirectory(prefix="amplify-auth-app-") as trust:
        command = _voila_command(args, port, Path(trust))
        started = emulator.start if emulator is not None else None
        code = serve(command, voila_environment(extra), announce, started)
    if emulator is not None:
        emulator.wait_for_exit()
    if code:
        console.err(f"error: Voila stopped with exit code {code}; its log is above.")
        return EXIT_OTHER
    console.err("app stopped")
    return EXIT_OK


class EarlyEmulator:
    """The app's shared emulator (``client.emulator_process``: one process per data folder), started
    while Voila starts, for Voila's lifetime: the first page's kernel then finds it answering
    instead of starting it and waiting a second or more for it (on the page's critical path).
    Pages, reloads and restarts still share it, as when a kernel starts it."""

    def __init__(self, job_seconds: str) -> None:
        self.job_seconds = job_seconds
        self.pid: int | None = None
        self.thread: threading.Thread | None = None

    def start(self, voila_pid: int) -> None:
        """Start it in the background, with Voila as its client (it exits once Voila and the
        kernels are gone)."""

        def run() -> None:
            # deferred: finding or starting it, which only the embedded emulator needs
            from ..client.emulator_process import shared

            try:
                self.pid = shared(self.job_seconds, client=voila_pid).pid
            except Exception:  # the page's kernel starts it then, and says why on the page
                self.pid = None

        self.thread = threading.Thread(target=run, name="emulator-start", daemon=True)
        self.thread.start()

    def wait_for_exit(self, seconds: float = 10.0) -> None:
        """Once Voila has stopped: wait until the emulator started here has exited (seconds
        after its last client), so that the app leaves nothing running; one that other
        programs' kernels still use, or one this process did not start, runs on."""
        from ..app.serve import descendants, is_running  # deferred with the app's launcher

        if self.thread is not None:
            self.thread.join(seconds)
        if self.pid is None or self.pid not in descendants(os.getpid()):
            return
        deadline = time.monotonic() + seconds
        while is_running(self.pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def _app_token(console: Any) -> str | None:
    """The token the app's URL carries: $AMPLIFY_AUTH_APP_TOKEN, or a new one. None (the
    reason printed) when the variable is set but too short to be a secret."""
    from ..app.serve import TOKEN_VARIABLE  # deferred with the app's launcher (see run_app)

    token = os.environ.get(TOKEN_VARIABLE, "")
    if os.environ.get(TOKEN_VARIABLE) is not None and len(token) < 16:
        console.err(
            f"error: {TOKEN_VARIABLE} is set but holds {len(token)} characters; give it at "
            "least 16 (or unset it, and the app makes one)"
        )
        return None
    return token or secrets.token_urlsafe(32)


def _warn_if_beyond_loopback(args: argparse.Namespace, console: Any) -> None:
    """Warn when --host lets other machines reach the app (and --aws, the credentials)."""
    from ..app.serve import listens_beyond_loopback  # deferred with the app's launcher

    if listens_beyond_loopback(args.host):
        console.err(
            f"warning: --host {args.host} serves the app beyond this machine: anyone who can "
            "reach it and has the token can use the app"
            + (" and your AWS credentials (--aws)" if args.aws else "")
            + ". Prefer serving it behind JupyterHub (see the README)."
        )


def _voila_command(args: argparse.Namespace, port: int, trust_dir: Path) -> list[str]:
    """Voila's command line for the app notebook, signed as trusted in ``trust_dir``."""
    from ..app.serve import app_notebook, voila_command  # deferred (see run_app)

    return voila_command(
        app_notebook(),
        args.host,
        port,
        preheat=args.preheat,
        cull_idle_seconds=args.cull_idle,
        base_url=args.base_url,
        trust_dir=trust_dir,
        allowed_hosts=tuple(args.allow_host),
        max_kernels=args.max_kernels,
        max_kernels_per_user=args.max_kernels_per_user,
        theme=args.theme,
    )


def add_service_commands(sub: Any) -> None:
    """Add ``emulator`` and ``app`` to the ``amplify-auth`` subcommands."""
    _add_emulator_command(sub)
    _add_app_command(sub)


def _add_emulator_command(sub: Any) -> None:
    """``emulator``: the local service, until Ctrl-C."""
    e = sub.add_parser(
        "emulator",
        help="Run the local AmplifyBackend emulator.",
        description="Serve a local emulator of the AmplifyBackend API (and Amplify's app "
        "listing) until Ctrl-C. Point boto3 or the AWS CLI at it with --endpoint-url.",
    )
    add_emulator_options(e)
    e.set_defaults(run=run_emulator)


def _add_app_command(sub: Any) -> None:
    """``app``: the notebook app under Voila, with its serving and kernel options."""
    a = sub.add_parser(
        "app",
        help="Run the web app (Voila) against the embedded emulator.",
        description="Serve the editor and the job monitor as a Voila web app. By default it "
        "talks to an embedded emulator with demo data; --aws uses your AWS configuration. The "
        "URL printed carries a token, as Jupyter's do: a page without it gets the login form "
        "and starts no kernel. Set AMPLIFY_AUTH_APP_TOKEN (16 characters or more) to choose "
        "the token; otherwise a new one is made at each start.",
    )
    a.add_argument("--port", type=port, default=8866, help="port (default 8866; 0: any free)")
    a.add_argument(
        "--host", type=listen_host, default="127.0.0.1", help="address (default 127.0.0.1)"
    )
    a.add_argument(
        "--job-seconds", type=_job_seconds, default="3", help="the embedded emulator's job time"
    )
    a.add_argument("--aws", action="store_true", help="use AWS instead of the emulator")
    a.add_argument(
        "--theme",
        choices=("light", "dark"),
        default="light",
        help="the page's theme, JupyterLab's light or dark one (default light); a page may ask "
        "for the other with ?theme=dark or ?theme=light in its URL",
    )
    a.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the app answers to besides localhost, 127.0.0.1 and [::1] (the name "
        "a proxy or your browser uses for it); repeat for more. Requests naming any other host "
        "are refused, which keeps pages on other sites out (DNS rebinding)",
    )
    _add_serving_options(a)
    a.set_defaults(run=run_app)


def _add_serving_options(a: argparse.ArgumentParser) -> None:
    """How the app serves pages: the kernels it runs, keeps warm and stops when idle (each is
    about 170 MB), and the path prefix a proxy puts it under."""
    a.add_argument(
        "--max-kernels",
        type=_positive,
        default=8,
        metavar="N",
        help="kernels in all, preheated ones included; a page load past it gets 503 (default 8, "
        "about 170 MB each)",
    )
    a.add_argument(
        "--max-kernels-per-user",
        type=_positive,
        default=4,
        metavar="N",
        help="pages open at once in one signed-in browser; past it a page load gets 429 "
        "(default 4)",
    )
    a.add_argument(
        "--preheat",
        type=int,
        default=1,
        metavar="N",
        help="kernels kept started with the app run, so a page load does not wait (default 1; "
        "0: start a kernel per page load)",
    )
    a.add_argument(
        "--base-url",
        type=_base_url,
        default=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
        help="the path prefix a proxy serves the app under (default: JupyterHub's service "
        "prefix when run as a hub service, else /)",
    )
    a.add_argument(
        "--cull-idle",
        type=int,
        default=600,
        metavar="SECONDS",
        help="stop a kernel whose page is closed after this many idle seconds (default 600)",
    )
