"""The app's durable emulator as its process serves (``emulator.shared.serve``): what it writes in
its record, that it signs with its own key, proves that key, holds the demo and keeps its state in
its folder, that its jobs take the time the starting kernel asked for, and that a SIGTERM or SIGINT
stops it at once, its clients alive or not, taking its record with it.

``serve`` is run here in this process (its main thread, which signal handlers need), a thread
standing in for a kernel; the emulator process itself (``python -m``) is started by the tests at
the end, as a kernel starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError
from conftest import valid_request

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.client.emulator_process import (
    SharedEmulator,
    proves_key,
    read_state,
    shared,
)
from amplify_auth_widgets.client.service import ApiError, BackendAuthService
from amplify_auth_widgets.emulator import shared as module

DEMO_APPS = ["d1demotodo", "d2demoshop", "d3demoadmin", "d4demonew"]


@pytest.fixture(autouse=True)
def signals_kept() -> Iterator[None]:
    """``serve`` sets SIGTERM's and SIGINT's handlers for the process it runs in: this one's
    are given back after each test."""
    kept = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in kept.items():
        signal.signal(signum, handler)


def serving(folder: Path, job_seconds: str, look: Any, signum: int = signal.SIGTERM) -> dict:
    """``serve(folder, job_seconds, this process)`` here, while a kernel's thread waits for its
    record, calls ``look(emulator)`` (a ``SharedEmulator`` made from the record) and then sends
    ``signum`` to this process. What the kernel saw and how long the stop took."""
    seen: dict[str, Any] = {}
    returned = threading.Event()
    kept = signal.getsignal(signum)

    def kernel() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not returned.is_set():
            state = read_state(folder)
            if state is not None and state["pid"] == os.getpid():
                break
            time.sleep(0.02)  # the emulator's start, in the other thread: nothing to wait on
        else:
            return
        seen["state"] = state
        emulator = SharedEmulator(state["url"], state["pid"], folder, state["key"], state["secret"])
        try:
            seen["looked"] = look(emulator)
        except Exception as exc:  # told to the test in its own thread
            seen["error"] = exc
        # the signal only once serve's handler is set (a serve that failed sets none, and
        # this process's own handler of SIGTERM would end the test run)
        if signal.getsignal(signum) is not kept and not returned.is_set():
            seen["signalled"] = time.monotonic()
            os.kill(os.getpid(), signum)
        if not returned.wait(10):  # a signal ignored: end the watch by removing the record
            seen["ignored"] = True
            (folder / "server.json").unlink(missing_ok=True)

    thread = threading.Thread(target=kernel, name="kernel")
    thread.start()
    try:
        module.serve(folder, job_seconds, os.getpid())
    finally:
        seen["returned"] = time.monotonic()
        returned.set()
        thread.join(30)
    if "error" in seen:
        raise seen["error"]
    return seen


def demo_and_auth(emulator: SharedEmulator) -> dict:
    """What a kernel sees: the apps, whether the proof and the throwaway key get through, and
    the status of a new auth's job just after it is created."""
    apps = emulator.connection().client("amplify").list_apps()["apps"]
    try:
        Connection.for_emulator(emulator.url).client("amplify").list_apps()
        stranger = "answered"
    except ClientError:
        stranger = "refused"
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    try:
        request = valid_request(AppId="d4demonew", BackendEnvironmentName="dev")
        job = service.create_backend_auth(request)["JobId"]
        status = service.get_backend_job("d4demonew", "dev", job)["Status"]
    except ApiError as exc:
        status = exc.message
    return {
        "apps": sorted(a["appId"] for a in apps),
        "proved": proves_key(emulator.url, emulator.secret),
        "stranger": stranger,
        "job": status,
    }


def test_served_it_announces_itself_proves_its_key_and_serves_the_demo(tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    seen = serving(folder, "0", demo_and_auth)
    state = seen["state"]
    assert state["pid"] == os.getpid() and state["clients"] == [os.getpid()]
    assert state["url"].startswith("http://127.0.0.1:")
    assert seen["looked"] == {
        "apps": DEMO_APPS,  # the demo's apps
        "proved": True,  # it holds the secret of its record
        "stranger": "refused",  # signed only with its own key: no other local user gets in
        "job": "COMPLETED",  # jobs of the 0 seconds asked for
    }
    # stopped by the signal within a poll, though its client (this process) lives
    assert "ignored" not in seen and seen["returned"] - seen["signalled"] < 3.0
    assert read_state(folder) is None, "a stopped emulator's record was left behind"
    address = urlsplit(state["url"])
    with pytest.raises(OSError), socket.create_connection((address.hostname, address.port), 1):
        pass


def test_its_state_is_kept_in_its_folder_and_each_folder_has_its_own(tmp_path):
    first, other = tmp_path / "first", tmp_path / "other"
    for folder in (first, other):
        folder.mkdir(mode=0o700)
    assert serving(first, "0", demo_and_auth)["looked"]["job"] == "COMPLETED"
    # served again, the folder still has that auth (created again: refused); another has none
    assert "already exists" in serving(first, "0", demo_and_auth)["looked"]["job"]
    assert serving(other, "0", demo_and_auth)["looked"]["job"] == "COMPLETED"


def test_its_jobs_last_the_seconds_asked_for(tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    assert serving(folder, "600", demo_and_auth)["looked"]["job"] == "IN_PROGRESS"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_either_signal_stops_it_and_removes_its_record(tmp_path, signum):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    seen = serving(folder, "0", lambda emulator: None, signum)
    assert "ignored" not in seen and seen["returned"] - seen["signalled"] < 3.0
    assert read_state(folder) is None


# --- the emulator process, as a kernel starts it -----------------------------------------


@pytest.fixture
def kernel() -> Iterator[int]:
    """A stand-in kernel (a Python waiting on its stdin): the emulator's client while it runs."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    yield process.pid
    assert process.stdin is not None
    process.stdin.close()
    process.wait(10)


def ended(pid: int, timeout: float = 15.0) -> bool:
    """Whether ``pid`` has exited (or is a zombie not yet reaped) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat")
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except (FileNotFoundError, ProcessLookupError):  # (gone while read)
            return True
        time.sleep(0.05)  # waiting for another process to exit: nothing to be told by
    return False


def job_status(emulator) -> str:
    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    request = valid_request(AppId="d4demonew", BackendEnvironmentName="dev")
    job = service.create_backend_auth(request)["JobId"]
    return service.get_backend_job("d4demonew", "dev", job)["Status"]


def test_started_by_a_kernel_its_jobs_take_the_time_the_kernel_asked_for(tmp_path, kernel):
    instant = shared(0, tmp_path / "instant", client=kernel)
    slow = shared("600", tmp_path / "slow", client=kernel)
    try:
        assert job_status(instant) == "COMPLETED"
        assert job_status(slow) == "IN_PROGRESS"
    finally:
        for emulator in (instant, slow):
            os.kill(emulator.pid, signal.SIGTERM)
        assert ended(instant.pid) and ended(slow.pid)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_started_by_a_kernel_a_signal_stops_it_at_once_and_removes_its_record(
    tmp_path, kernel, signum
):
    folder = tmp_path / "emu"
    emulator = shared(0, folder, client=kernel)
    assert read_state(folder)["pid"] == emulator.pid
    os.kill(emulator.pid, signum)
    # its client lives on: it is the signal that ends it, in a poll or so, not the idle time
    assert ended(emulator.pid, timeout=10.0), "the emulator did not stop on the signal"
    assert read_state(folder) is None, "a stopped emulator's record was left behind"
    address = urlsplit(emulator.url)
    with pytest.raises(OSError), socket.create_connection((address.hostname, address.port), 1):
        pass
    # the next kernel starts a fresh one in the folder
    again = shared(0, folder, client=kernel)
    try:
        assert again.pid != emulator.pid
    finally:
        os.kill(again.pid, signal.SIGTERM)
        assert ended(again.pid)
