"""The app's durable emulator: one process per data folder, shared by every kernel that uses it.

``local()`` starts an emulator inside a kernel, with its state in a temporary file: each page
of the app (a kernel each) had its own, and a reload lost the configurations created and the
jobs. ``shared()`` (``client.emulator_process``, the kernel's side, re-exported here) instead
finds or starts ONE emulator process for the data folder
(``core.paths.emulator_folder()``), keeping its state in ``state.sqlite3`` there, so that
every page, a reload and a restart of the server see the same apps, configurations and jobs
(and creating auth twice in one environment is refused, as AWS refuses it).

How kernels meet it, in the folder (0700; every file in it 0600):

* ``server.lock``: an ``flock`` held while a kernel looks for the emulator or starts one, and
  while the emulator decides to exit, so that two kernels never start two emulators;
* ``server.json``: where it listens (``url``), its ``pid``, and the access key and secret it
  verifies signatures by (``--strict-auth``, random per start: another local user cannot call
  it, nor can a page by DNS rebinding), and ``clients``, the pids of the kernels using it;
* ``server.log``: its error output (a failed start is reported with its last line).

Before a kernel sends a found emulator anything, the emulator proves that it holds the secret
of ``server.json`` (``client.emulator_process`` says why): ``ProofOfKey`` answers
``GET /.aaw/proof?nonce=N`` with ``proof(secret, N)``, unsigned, and hands every other request
to the emulator unchanged.

It exits, removing ``server.json``, once none of its clients has been alive for
``IDLE_SECONDS``: a closed page's kernel culled, the server stopped, JupyterHub's culler,
a test's end. Nothing outlives its users, and the next kernel starts a new one on the same
SQLite file: seeding the demo apps is idempotent (``demo.seed_demo``), jobs keep their times.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from ..client.emulator_process import (
    IDLE_SECONDS,
    LOCK_FILE,
    MODULE,
    NONCE,
    POLL_SECONDS,
    PROOF_PATH,
    SERVER_FILE,
    STATE_DB,
    SharedEmulator,
    alive,
    locked,
    proof,
    read_state,
    shared,
    write_state,
)

__all__ = ["ProofOfKey", "SharedEmulator", "main", "serve", "shared"]


class ProofOfKey:
    """ASGI: ``GET PROOF_PATH?nonce=N`` answered with ``proof(secret, N)`` (400 for a nonce
    that is not hex of 32 to 128 digits); every other request goes to ``app``."""

    def __init__(self, app: Any, secret: str) -> None:
        self.app = app
        self._secret = secret

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("path") != PROOF_PATH:
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        nonce = (query.get("nonce") or [""])[0]
        if scope.get("method") == "GET" and NONCE.fullmatch(nonce):
            status, body = 200, proof(self._secret, nonce).encode()
        else:
            status, body = 400, b"a nonce of 32 to 128 hex digits, by GET"
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def serve(folder: Path, job_seconds: str, client: int) -> None:
    """Run the emulator of ``folder`` until its clients are gone (or SIGTERM/SIGINT)."""
    from . import Emulator  # deferred: the server stack, in this process only

    key, secret = f"AKAAW{secrets.token_hex(8).upper()}", secrets.token_urlsafe(30)
    emulator = Emulator(
        db=str(folder / STATE_DB), demo=True, job_seconds=job_seconds, strict_auth=(key, secret)
    )
    emulator.app = ProofOfKey(emulator.app, secret)  # type: ignore[assignment]
    emulator.start()
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    state = {"url": emulator.url, "pid": os.getpid(), "key": key, "secret": secret}
    write_state(folder, {**state, "clients": [client]})
    try:
        _watch_clients(folder, stopping)
    finally:
        emulator.stop()


def _watch_clients(folder: Path, stopping: threading.Event) -> None:
    """Return once no client has been alive for ``IDLE_SECONDS`` (removing ``server.json``
    under the lock, so that no kernel joins an emulator on its way out), or on a signal."""
    alone_since: float | None = None
    while not stopping.wait(POLL_SECONDS):
        state = read_state(folder)
        if state is None or state["pid"] != os.getpid():
            return  # replaced or removed: another emulator is the folder's now
        if any(alive(pid) for pid in state["clients"]):
            alone_since = None
            continue
        alone_since = alone_since or time.monotonic()
        if time.monotonic() - alone_since < IDLE_SECONDS:
            continue
        with locked(folder / LOCK_FILE):
            state = read_state(folder)
            if state is not None and state["pid"] == os.getpid():
                if any(alive(pid) for pid in state["clients"]):
                    alone_since = None
                    continue
                (folder / SERVER_FILE).unlink()
            return
    with locked(folder / LOCK_FILE):
        state = read_state(folder)
        if state is not None and state["pid"] == os.getpid():
            (folder / SERVER_FILE).unlink()


def main(argv: list[str] | None = None) -> int:
    """``python -m amplify_auth_widgets.emulator.shared --folder F --client PID``."""
    parser = argparse.ArgumentParser(prog=MODULE, description="The app's durable emulator.")
    parser.add_argument("--folder", required=True, help="the emulator's folder")
    parser.add_argument("--job-seconds", default="3", help="how long a job stays IN_PROGRESS")
    parser.add_argument("--client", type=int, required=True, help="the starting kernel's pid")
    args = parser.parse_args(argv)
    from . import parse_job_seconds  # the server stack, in this process only

    try:
        parse_job_seconds(args.job_seconds)
    except ValueError as exc:
        print(f"error: job_seconds: {exc}", file=sys.stderr)  # the kernel shows this line
        return 2
    serve(Path(args.folder), args.job_seconds, args.client)
    return 0


if __name__ == "__main__":
    sys.exit(main())
