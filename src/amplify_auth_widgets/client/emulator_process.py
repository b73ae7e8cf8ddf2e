"""Finding the app's durable emulator, or starting it: the kernel's side of ``emulator.shared``.

The app keeps ONE emulator process per data folder (``core.paths.emulator_folder()``), shared
by every kernel (every page, every reload) and its state kept in SQLite there across restarts
(see ``emulator.shared``, the process itself). A kernel asks ``shared()``: under a file lock it
reads where the emulator listens, checks that it runs and answers, starts it if not, and adds
itself to its clients; the answer is a ``SharedEmulator``, whose ``connection()`` signs with the
emulator's own random key. This side is apart from the emulator's package so that a kernel
does not import the server stack (about 0.2 s of the app's start) only to find it.

Files in the folder (0700; every file 0600): ``server.lock`` (the ``flock``), ``server.json``
(``url``, ``pid``, ``key``, ``secret``, ``clients``: the pids of the kernels using it),
``server.log`` (the process's errors), ``state.sqlite3`` (its state).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.db import FILE_MODE, private_folder
from ..core.paths import emulator_folder
from .connection import Connection

#: The files in the emulator's folder.
STATE_DB = "state.sqlite3"
SERVER_FILE = "server.json"
LOCK_FILE = "server.lock"
LOG_FILE = "server.log"
#: Seconds the emulator waits, once its last client is gone, before it exits (a page reload
#: starts its new kernel within this, and Voila keeps a preheated kernel anyway).
IDLE_SECONDS = 3.0
#: How often the emulator looks at its clients.
POLL_SECONDS = 0.5
#: Seconds a kernel waits for a new emulator to answer.
START_SECONDS = 30.0
#: What the emulator process's command line holds (to tell it from a reused pid).
MODULE = "amplify_auth_widgets.emulator.shared"


@dataclass(frozen=True)
class SharedEmulator:
    """A running shared emulator, as a kernel sees it: where it is and how to sign for it."""

    url: str
    pid: int
    folder: Path
    key: str = field(repr=False)
    secret: str = field(repr=False)

    @property
    def db(self) -> Path:
        """The SQLite file holding its state."""
        return self.folder / STATE_DB

    def connection(self, **overrides: Any) -> Connection:
        """Settings that reach it, signed with its own key."""
        return Connection.for_emulator(
            self.url, access_key_id=self.key, secret_access_key=self.secret, **overrides
        )


def shared(
    job_seconds: float | str = 3, folder: str | Path | None = None, client: int | None = None
) -> SharedEmulator:
    """The data folder's emulator, started if none answers, with ``client`` (a pid: this
    process by default) among the processes it serves until they are gone.

    ``job_seconds`` applies when this call starts it; ``folder`` defaults to
    ``core.paths.emulator_folder()`` (``$AMPLIFY_AUTH_DATA/emulator``)."""
    where = Path(folder) if folder is not None else emulator_folder()
    me = os.getpid() if client is None else client
    private_folder(where)
    with locked(where / LOCK_FILE):
        state = read_state(where)
        if state is None or not _answers(state):
            state = _start(where, job_seconds, me)
        clients = [pid for pid in state.get("clients", []) if alive(pid)]
        if me not in clients:
            clients.append(me)
        state["clients"] = clients
        write_state(where, state)
    return SharedEmulator(state["url"], state["pid"], where, state["key"], state["secret"])


def read_state(folder: Path) -> dict[str, Any] | None:
    """``server.json``'s content, or None when it is absent or unreadable."""
    try:
        state = json.loads((folder / SERVER_FILE).read_text())
    except (OSError, ValueError):
        return None
    needed = {"url": str, "pid": int, "key": str, "secret": str}
    if not isinstance(state, dict) or not all(
        isinstance(state.get(k), kind) for k, kind in needed.items()
    ):
        return None
    if not isinstance(state.get("clients"), list):
        state["clients"] = []
    state["clients"] = [p for p in state["clients"] if isinstance(p, int)]
    return state


def write_state(folder: Path, state: dict[str, Any]) -> None:
    """Replace ``server.json`` at once (readers never see half a file), private to its owner."""
    temporary = folder / f".{SERVER_FILE}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "w") as stream:
        json.dump(state, stream)
    os.replace(temporary, folder / SERVER_FILE)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (other processes wait; none where flock is absent)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            import fcntl
        except ImportError:  # not POSIX: one kernel at a time is then the user's care
            yield
            return
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _is_emulator(pid: int) -> bool:
    """Whether ``pid`` is a shared emulator (not another program that got its pid)."""
    if not alive(pid):
        return False
    with contextlib.suppress(OSError):
        return MODULE in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    return True  # no /proc: the port's answer decides


def _answers(state: dict[str, Any]) -> bool:
    """Whether the recorded emulator runs and accepts connections on its port."""
    if not _is_emulator(state["pid"]):
        return False
    parts = urlsplit(state["url"])
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
        return False  # never anything but this machine
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return True
    except OSError:
        return False


def _start(folder: Path, job_seconds: float | str, client: int) -> dict[str, Any]:
    """Start the emulator process and wait (under the lock) until it says where it listens."""
    with contextlib.suppress(FileNotFoundError):
        (folder / SERVER_FILE).unlink()
    log = os.open(folder / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        command = [sys.executable, "-m", MODULE, "--folder", str(folder)]
        command += ["--job-seconds", str(job_seconds), "--client", str(client)]
        # a session of its own: a kernel's interrupt (Ctrl-C in a cell) is not its
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
    finally:
        os.close(log)
    # reap it when it exits while this kernel lives (no zombie left behind)
    threading.Thread(target=process.wait, name="shared-emulator-reaper", daemon=True).start()
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        state = read_state(folder)
        if state is not None and state["pid"] == process.pid:
            return state
        if process.poll() is not None:
            break
        time.sleep(0.02)  # the child's start, not the service: there is nothing to wait on
    if process.poll() is None:
        process.kill()
    lines = (folder / LOG_FILE).read_text(errors="replace").strip().splitlines() or ["no error"]
    raise RuntimeError(
        f"the app's emulator did not start: {lines[-1]} (its log: {folder / LOG_FILE})"
    )
