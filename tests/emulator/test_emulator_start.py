"""An emulator that cannot start says why and leaves nothing behind: a log level uvicorn does
not know is refused when the emulator is made, by its name; a start that runs out of time
frees its port and ends its thread, so that the next start on that port works."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

import amplify_auth_widgets.emulator as emulator_module
from amplify_auth_widgets.emulator import LOG_LEVELS, Emulator


def test_a_log_level_uvicorn_does_not_know_is_refused_when_made(tmp_path):
    for bad in ("loud", "WARNING", "", "warn"):
        with pytest.raises(ValueError) as refused:
            Emulator(db=str(tmp_path / "s.db"), log_level=bad)
        assert str(refused.value) == (
            f"log_level must be one of critical, error, warning, info, debug, trace; not {bad!r}"
        )
    for good in LOG_LEVELS:  # each one uvicorn takes, and serves at
        with Emulator(db=str(tmp_path / f"{good}.db"), log_level=good) as emu:
            assert emu.client("amplify").list_apps()["apps"] == []


def _serving_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "amplify-emulator" and t.is_alive()]


def _assert_server_gone(port: int, before: set[threading.Thread]) -> None:
    """Nothing listens on ``port`` any more, and no server thread is left beyond ``before``."""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert set(_serving_threads()) <= before


def test_a_start_out_of_time_frees_its_port_and_ends_its_thread(tmp_path):
    before = set(_serving_threads())
    emu = Emulator(db=str(tmp_path / "s.db"))
    with pytest.raises(RuntimeError) as failed:
        emu.start(timeout=0)  # no start is that quick: the time is read first
    assert str(failed.value) == (
        "the emulator did not start within 0 s; see the log above, or give start() a longer timeout"
    )
    port = emu.port
    assert port != 0
    _assert_server_gone(port, before)  # its port freed, its server's thread ended
    with pytest.raises(RuntimeError, match="not running"):
        emu.url  # noqa: B018 - not started, so no url
    # started again, on the same port: it was freed
    emu.start()
    try:
        # its server runs in a thread named for it (what the check above looks for)
        assert len(set(_serving_threads()) - before) == 1
        assert emu.port == port
        assert emu.client("amplify").list_apps()["apps"] == []
    finally:
        emu.stop()


def _answer(conn: socket.socket) -> bytes:
    """One HTTP answer's head read whole from ``conn`` (its body too)."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = int(
        next(ln.split(b":")[1] for ln in lines if ln.lower().startswith(b"content-length"))
    )
    while len(body) < length:
        chunk = conn.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return head


def test_a_connection_idle_between_polls_is_kept_open(tmp_path):
    # a notebook polls a job every few seconds: its connection is kept for 30 s of idleness,
    # not uvicorn's 5, so each poll does not open another (nor race a server closing it).
    # The one test that waits: uvicorn's keep-alive timer runs on real time, no clock of ours.
    with Emulator(db=str(tmp_path / "s.db")) as emu:
        request = f"GET /apps HTTP/1.1\r\nHost: 127.0.0.1:{emu.port}\r\n\r\n".encode()
        with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as conn:
            conn.sendall(request)
            assert _answer(conn).startswith(b"HTTP/1.1 403")  # unsigned: refused, kept alive
            time.sleep(6)  # past uvicorn's default of 5 s
            conn.sendall(request)  # on the same connection, still open
            assert _answer(conn).startswith(b"HTTP/1.1 403")


def test_at_the_info_level_each_request_is_logged_and_at_the_default_none(tmp_path, capfd):
    # --log-level info: each request on a line of its own, as a development server shows them
    with Emulator(db=str(tmp_path / "info.db"), log_level="info") as emu:
        emu.client("amplify").list_apps()
        said = capfd.readouterr().out
    assert '"GET /apps HTTP/1.1" 200' in said
    with Emulator(db=str(tmp_path / "warning.db")) as emu:
        emu.client("amplify").list_apps()
        said = "".join(capfd.readouterr())
    assert "GET /apps" not in said


def test_an_emulator_left_running_does_not_keep_its_process_alive(tmp_path):
    # a notebook or script that never stops its emulator still ends: the server's thread is a
    # daemon, not one the interpreter waits for at exit
    script = (
        "from amplify_auth_widgets.emulator import Emulator\n"
        f"Emulator(db={str(tmp_path / 's.db')!r}).start()\n"
        "print('serving')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "serving\n"), done.stderr


def test_a_start_looks_at_the_server_in_steps_of_a_few_ms(tmp_path, monkeypatch):
    # start() returns as soon as the server is up: a notebook cell that starts an emulator
    # waits no longer than uvicorn does (its own loop waits with asyncio, not time.sleep)
    slept: list[float] = []

    class RecordingTime:  # the emulator module's ``time``: its sleeps recorded, no other's
        def __getattr__(self, name: str) -> Any:
            return getattr(time, name)

        def sleep(self, seconds: float) -> None:
            slept.append(seconds)
            time.sleep(seconds)

    monkeypatch.setattr(emulator_module, "time", RecordingTime())
    for n in range(3):  # the server is not up at start's first look, as a rule: it has to load
        with Emulator(db=str(tmp_path / f"{n}.db")) as emu:
            assert emu.client("amplify").list_apps()["apps"] == []
    assert slept and max(slept) <= 0.01, slept


def test_stop_ends_the_server_thread_and_frees_the_port_and_may_be_called_again(tmp_path):
    before = set(_serving_threads())
    emu = Emulator(db=str(tmp_path / "s.db")).start()
    port = emu.port
    assert len(set(_serving_threads()) - before) == 1
    emu.stop()
    _assert_server_gone(port, before)  # stop() returns once the server is gone
    emu.stop()  # a second stop (a `with` block around a stopped emulator) does nothing
    with pytest.raises(RuntimeError, match="not running"):
        emu.url  # noqa: B018 - stopped, so no url
