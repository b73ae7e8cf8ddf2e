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

Trust. A kernel sends an emulator requests that hold secrets (a provider's client secret), so
it trusts nothing it finds without checking it (``client.private_files``):

* the data folder and the emulator's folder must be the user's own (not a symbolic link, not
  another user's; open to others: tightened, and what others put there removed), and every
  file there is opened without following a link and checked on its descriptor;
* ``server.json`` is read only if it is a regular file of this user with no bits for others,
  and only if it is a sound record (a loopback URL with a port, a pid in range, a key and a
  secret, at most ``MAX_STATE_BYTES``): anything else means "no emulator there", and a fresh
  one is started, never an exception;
* the recorded pid must be a process of this user (``/proc/PID/status``'s ``Uid``) running
  this module; what cannot be told is taken as not ours;
* and the process on the recorded port must PROVE that it holds the recorded secret before any
  request is sent to it: a pid is reused, a port freed by an emulator killed uncleanly can be
  taken by anyone, and a process of another user would then receive the signed requests and
  their bodies. The kernel sends ``GET /.aaw/proof?nonce=N`` (no body, no signature, a fresh
  random ``N``) and accepts only ``HMAC-SHA256(secret, PROOF_CONTEXT + N)`` as the answer
  (``proof``). Only the process that wrote the secret into the private ``server.json`` knows
  it; a stranger cannot compute the answer for a nonce it never saw, and learns nothing from
  the question. The HMAC is keyed with the secret itself and a context of its own, so it can
  never stand for a SigV4 signature (whose keys are derived from ``"AWS4" + secret``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import itertools
import json
import os
import re
import secrets
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.db import FILE_MODE
from ..core.paths import EMULATOR_FOLDER, data_folder, emulator_folder
from .connection import Connection
from .private_files import NOFOLLOW, OPEN_BITS, open_private, private_folder

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
#: Where an emulator proves that it holds its secret (see the module), and the proof's context.
PROOF_PATH = "/.aaw/proof"
PROOF_CONTEXT = b"amplify-auth-widgets shared emulator proof of key\n"
#: A nonce: hex digits, as many as ``secrets.token_hex(16)`` gives or a few more.
NONCE = re.compile(r"[0-9a-f]{32,128}")
#: Seconds a kernel waits for a found emulator's proof.
PROOF_SECONDS = 2.0
#: The largest ``server.json`` read, and the most clients it may list.
MAX_STATE_BYTES = 64 * 1024
MAX_CLIENTS = 1024
#: The largest pid Linux can give (``pid_max``'s ceiling, 2**22).
MAX_PID = 4_194_304
#: The files a kernel may make anew (nothing to keep in them) when they are not as they must be.
REPLACEABLE = frozenset({LOCK_FILE, LOG_FILE, SERVER_FILE})
#: The files holding data: never removed, refused when others own them.
KEPT = frozenset({STATE_DB, "history.sqlite3"})


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
    if folder is None or where == data_folder() / EMULATOR_FOLDER:
        private_folder(where.parent)
    private_folder(where, keep=KEPT)
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
    """``server.json``'s content, or None when it is absent, not this user's private regular
    file, or not a sound record (see the module): never an exception."""
    try:
        descriptor = os.open(folder / SERVER_FILE, os.O_RDONLY | NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if os.name == "posix" and (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or stat.S_IMODE(info.st_mode) & OPEN_BITS
        ):
            return None
        text = os.read(descriptor, MAX_STATE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if len(text) > MAX_STATE_BYTES:
        return None
    try:
        return sound_state(json.loads(text))
    except (ValueError, RecursionError):
        return None


def _is_pid(value: Any) -> bool:
    return type(value) is int and 0 < value <= MAX_PID


def sound_state(state: Any) -> dict[str, Any] | None:
    """``state`` as a record of a local emulator (its URL made ``http://127.0.0.1:PORT``), or
    None when any part of it is not what an emulator writes."""
    if not isinstance(state, dict) or not _is_pid(state.get("pid")):
        return None
    url, key, secret = state.get("url"), state.get("key"), state.get("secret")
    if not all(isinstance(v, str) and 0 < len(v) <= 256 for v in (url, key, secret)):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost") or not port:
        return None  # never anything but this machine
    clients = state.get("clients")
    clients = clients[:MAX_CLIENTS] if isinstance(clients, list) else []
    return {
        "url": f"http://127.0.0.1:{port}",
        "pid": state["pid"],
        "key": key,
        "secret": secret,
        "clients": [pid for pid in clients if _is_pid(pid)],
    }


def write_state(folder: Path, state: dict[str, Any]) -> None:
    """Replace ``server.json`` at once (readers never see half a file), private to its owner."""
    temporary = folder / f".{SERVER_FILE}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, FILE_MODE)
    with os.fdopen(descriptor, "w") as stream:
        json.dump(state, stream)
    os.replace(temporary, folder / SERVER_FILE)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (other processes wait; none where flock is absent)."""
    descriptor = open_private(path, os.O_RDWR | os.O_CREAT, replace=True)
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
    """Whether ``pid`` runs (a zombie does not). Its ``stat`` is read with undecodable bytes
    replaced: a program names itself as it likes, in any bytes."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        stat_line = Path(f"/proc/{pid}/stat").read_text(errors="replace")
        return stat_line.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def is_emulator(pid: int) -> bool:
    """Whether ``pid`` is a shared emulator of this user (not another program that got its
    pid, nor another user's): what cannot be told (no ``/proc``) is taken as not ours."""
    if not _is_pid(pid) or not alive(pid):
        return False
    try:
        status = Path(f"/proc/{pid}/status").read_text(errors="replace")
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    uids = next((line.split()[1:3] for line in status.splitlines() if line.startswith("Uid:")), [])
    if uids != [str(os.getuid())] * 2:
        return False  # the real and the effective user must be ours
    module = MODULE.encode()
    return any(a == b"-m" and b == module for a, b in itertools.pairwise(arguments))


def proof(secret: str, nonce: str) -> str:
    """What an emulator holding ``secret`` answers to ``nonce`` (see the module)."""
    return hmac.new(secret.encode(), PROOF_CONTEXT + nonce.encode(), hashlib.sha256).hexdigest()


def proves_key(url: str, secret: str) -> bool:
    """Whether the process at ``url`` (a sound record's) answers a fresh nonce with the proof
    that it holds ``secret``; nothing else is sent to it first."""
    port = urlsplit(url).port
    nonce = secrets.token_hex(16)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROOF_SECONDS)
    try:
        connection.request("GET", f"{PROOF_PATH}?nonce={nonce}")
        response = connection.getresponse()
        answer = response.read(256)
    except (OSError, http.client.HTTPException, ValueError):
        return False
    finally:
        connection.close()
    expected = proof(secret, nonce).encode()
    return response.status == 200 and hmac.compare_digest(answer.strip(), expected)


def _answers(state: dict[str, Any]) -> bool:
    """Whether the recorded emulator is ours, runs, and proves that it holds the secret."""
    return is_emulator(state["pid"]) and proves_key(state["url"], state["secret"])


def _start(folder: Path, job_seconds: float | str, client: int) -> dict[str, Any]:
    """Start the emulator process and wait (under the lock) until it says where it listens."""
    with contextlib.suppress(FileNotFoundError):
        (folder / SERVER_FILE).unlink()
    try:  # the state's file: ours, not a link (the emulator's SQLite then opens it)
        os.close(open_private(folder / STATE_DB, os.O_RDWR | os.O_CREAT))
    except OSError as exc:
        raise RuntimeError(
            f"the app's emulator did not start: {folder / STATE_DB}: {exc.strerror}"
        ) from None
    log = open_private(folder / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, replace=True)
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
    lines = _log_text(folder).strip().splitlines() or ["no error"]
    raise RuntimeError(
        f"the app's emulator did not start: {lines[-1]} (its log: {folder / LOG_FILE})"
    )


def _log_text(folder: Path) -> str:
    """The emulator's log (its last 64 KiB), read without following a link."""
    try:
        descriptor = open_private(folder / LOG_FILE, os.O_RDONLY)
    except (OSError, RuntimeError):
        return ""
    try:
        size = os.fstat(descriptor).st_size
        os.lseek(descriptor, max(0, size - MAX_STATE_BYTES), os.SEEK_SET)
        return os.read(descriptor, MAX_STATE_BYTES).decode(errors="replace")
    finally:
        os.close(descriptor)
