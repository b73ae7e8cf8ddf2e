"""Serving the app notebook with Voila: the command line, the port, and a clean stop.

``amplify-auth app`` runs Voila as a child process and owns its lifetime: SIGTERM or Ctrl-C
is passed on to Voila, which shuts its kernels down (each kernel stops its embedded emulator
on exit); whatever is still alive after a grace period is killed, kernels included, so that
nothing is left serving the port. The port is checked before Voila starts and Voila is told
not to wander to another one, so the URL printed is the URL served. Kernels are preheated (a
page load finds its kernel started and the notebook run) and culled once idle.

The page is always the app's own Voila template (``aaw``, under ``share_dir()``, put first on
``JUPYTER_PATH``), whatever the install: the notebooks name no template, so that a plain
``voila notebooks/app.ipynb`` renders with Voila's stock one where ``aaw`` is not installed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

#: The environment variable the token is read from (and removed from before kernels start).
TOKEN_VARIABLE = "AMPLIFY_AUTH_APP_TOKEN"
#: Host names that always mean this machine.
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
#: The app's Voila template (under ``share_dir()``).
TEMPLATE = "aaw"
#: Seconds Voila waits, once a page has taken a preheated kernel, before starting the next one
#: for the pool (its default is 1). The page's kernel is then still running the notebook and
#: the page still drawing its widgets: a kernel starting beside them took a core from them, and
#: about 0.8 s of CPU from the first page (``bench/app_startup.py``, cold: 4.27 s against 4.00
#: s). A second page in the next seconds starts a kernel of its own, as without a pool.
POOL_REFILL_SECONDS = 6


def host_name(host: str) -> str:
    """The name in a ``Host`` header or URL netloc: no port, no brackets, lower case
    (``LocalHost:8866`` and ``localhost`` are one name)."""
    host = host.strip().lower()
    match = re.match(r"^\[([^\]]*)\](?::\d*)?$", host)
    if match:
        return match.group(1)
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: str, allowed: tuple[str, ...], listen_ip: str) -> bool:
    """Whether a request naming ``host`` is for this server.

    Names are checked against ``allowed`` only: a name is what DNS rebinding forges. An IP
    address is allowed when it is a loopback address, or when the server listens beyond
    loopback (a page cannot make a browser send an address it was not loaded from).
    """
    name = host_name(host)
    if not name:
        return False
    if name in allowed:
        return True
    if is_ip(name):
        if ipaddress.ip_address(name).is_loopback:
            return True
        return listens_beyond_loopback(listen_ip)
    return False


def listens_beyond_loopback(ip: str) -> bool:
    name = host_name(ip) if ip else "127.0.0.1"
    if name in ("localhost", ""):
        return False
    try:
        return not ipaddress.ip_address(name).is_loopback
    except ValueError:
        return True  # a host name: whatever it resolves to, treat it as reachable


#: Seconds Voila gets to shut its kernels down after SIGTERM before everything is killed.
GRACE_SECONDS = 10.0


class PortBusy(OSError):
    """The port asked for is taken by another program."""


def app_notebook() -> Path:
    return Path(str(files("amplify_auth_widgets.app") / "app.ipynb"))


def share_dir() -> Path:
    """The package's ``share/``: the ``aaw`` Voila template, for JUPYTER_PATH."""
    return Path(str(files("amplify_auth_widgets.app") / "share"))


def claim_port(host: str, port: int) -> int:
    """The port to serve on: ``port`` if free (else ``PortBusy``), any free one for 0."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # no SO_REUSEADDR: a port another server listens on must be refused here
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise PortBusy(
                f"port {port} on {host} is in use by another program ({exc.strerror}). "
                "Stop it, or choose another port: --port 8867, or --port 0 for any free one."
            ) from None
        return int(sock.getsockname()[1])


def voila_command(
    notebook: Path,
    host: str,
    port: int,
    *,
    preheat: int = 1,
    cull_idle_seconds: int = 600,
    base_url: str = "/",
    trust_dir: Path | None = None,
    allowed_hosts: tuple[str, ...] = (),
    max_kernels: int = 8,
    max_kernels_per_user: int = 4,
    theme: str = "light",
) -> list[str]:
    """Voila's command line, run through ``voila_app`` (the host check, the token read from
    ``AMPLIFY_AUTH_APP_TOKEN`` in the environment, the kernel bounds). ``theme`` is the page's
    theme unless a page asks for another (``?theme=dark``)."""
    names = [*LOCAL_NAMES, *(host_name(h) for h in allowed_hosts)]
    command = [
        sys.executable,
        "-m",
        "amplify_auth_widgets.app.voila",
        str(notebook),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",  # never move to another port than the one announced
        f"--Voila.base_url={base_url}",
        "--no-browser",
        f"--template={TEMPLATE}",
        f"--theme={theme}",
        "--VoilaConfiguration.show_tracebacks=False",
        # kernels talk to Voila over Unix sockets in its private connection folder, not TCP
        "--KernelManager.transport=ipc",
        # a kernel is culled once idle this long with no page connected to it (a closed
        # page), and checked every minute; a page left open keeps its kernel
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, cull_idle_seconds // 2))}",
        "--MappingKernelManager.cull_connected=False",
        *(f"--AppVoila.allowed_hosts={name}" for name in dict.fromkeys(names)),
        f"--AppVoila.max_kernels={max_kernels}",
        f"--AppVoila.max_kernels_per_user={max_kernels_per_user}",
    ]
    if preheat > 0:
        command += [
            "--preheat_kernel=True",
            f"--pool_size={preheat}",
            f"--VoilaKernelManager.fill_delay={POOL_REFILL_SECONDS}",
        ]
    if trust_dir is not None:
        # Voila signs the notebook there as it starts (AppVoila.trust_notebook), so that it finds
        # it trusted instead of logging "Notebook app.ipynb is not trusted" on every page load;
        # signing it here instead would import nbformat (over a second) before Voila starts
        command += [f"--NotebookNotary.data_dir={trust_dir}", "--AppVoila.trust_notebook=True"]
    return command


def voila_environment(extra: dict[str, str]) -> dict[str, str]:
    paths = [str(share_dir()), os.environ.get("JUPYTER_PATH", "")]
    return {
        **os.environ,
        **extra,
        "JUPYTER_PATH": os.pathsep.join(p for p in paths if p),
        # Voila's page needs nothing from outside; no kernel should look for an update
        "PYTHONUNBUFFERED": "1",
    }


def descendants(pid: int) -> list[int]:
    """Every descendant of ``pid`` (Linux /proc; empty elsewhere). Kernels run in sessions
    of their own, so a process group signal would miss them."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = entry.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours still answers kill(0); it no longer runs
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def stop_tree(process: subprocess.Popen[Any], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to Voila (it shuts its kernels down), then SIGKILL to whatever outlived it."""
    children = descendants(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    deadline = time.monotonic() + grace
    for pid in children:
        while is_running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if is_running(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def serve(
    command: list[str],
    env: dict[str, str],
    announce: Callable[[], None],
    started: Callable[[int], None] | None = None,
) -> int:
    """Run Voila until it exits, or until SIGTERM/SIGINT reaches this process; stop it and
    its kernels either way. Returns Voila's exit code (0 when we stopped it). ``started`` is
    told Voila's pid as soon as it runs (before ``announce``)."""
    stopping = False

    def on_signal(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    process: subprocess.Popen[Any] | None = None
    try:
        # its own session: a Ctrl-C in the terminal reaches us, and we stop Voila in order
        process = subprocess.Popen(command, env=env, start_new_session=True)
        if started is not None:
            started(process.pid)
        announce()
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if process is not None:
            stop_tree(process)
        if stopping and process is not None:
            process.returncode = 0
