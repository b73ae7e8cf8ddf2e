"""The shared emulator's own side (``emulator.shared``), in this process: the proof of key it
answers a kernel with (and every other request passed on untouched), how it watches its clients
and leaves ``server.json`` behind it, and its command line's refusal of a bad job time."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from amplify_auth_widgets.client.emulator_process import (
    LOCK_FILE,
    PROOF_PATH,
    SERVER_FILE,
    proof,
    read_state,
    write_state,
)
from amplify_auth_widgets.emulator import shared as module
from amplify_auth_widgets.emulator.shared import ProofOfKey, main

SECRET = "the-emulators-secret"
NONCE = "0123456789abcdef" * 2


class App:
    """The emulator behind the proof: records what reaches it."""

    def __init__(self) -> None:
        self.scopes: list[dict] = []
        self.received: list[dict] = []

    async def __call__(self, scope, receive, send) -> None:
        self.scopes.append(scope)
        self.received.append(await receive())  # the request's body, through the proof
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(scope: dict) -> tuple[App, list[dict]]:
    app, sent = App(), []

    async def receive():
        return {"type": "http.request", "body": b"the request's body"}

    async def send(message):
        sent.append(message)

    asyncio.run(ProofOfKey(app, SECRET)(scope, receive, send))
    return app, sent


def get(query: bytes, method: str = "GET", path: str = PROOF_PATH) -> dict:
    return {"type": "http", "method": method, "path": path, "query_string": query}


def answer(sent: list[dict]) -> tuple[int, dict[bytes, bytes], bytes]:
    start, body = sent
    assert start["type"] == "http.response.start" and body["type"] == "http.response.body"
    return start["status"], dict(start["headers"]), body["body"]


@pytest.mark.parametrize("nonce", [NONCE, "ab" * 64, NONCE + "&other=1"])
def test_the_proof_is_answered_for_a_nonce_and_goes_no_further(nonce):
    app, sent = call(get(f"nonce={nonce}".encode()))
    status, headers, body = answer(sent)
    expected = proof(SECRET, nonce.split("&")[0]).encode()
    assert (status, body) == (200, expected) and app.scopes == []
    assert headers == {b"content-type": b"text/plain", b"content-length": b"%d" % len(expected)}


@pytest.mark.parametrize(
    ("query", "method"),
    [
        (b"", "GET"),  # no nonce
        (b"nonce=", "GET"),
        (b"nonce=" + b"a" * 31, "GET"),  # too short
        (b"nonce=" + b"a" * 129, "GET"),  # too long
        (b"nonce=" + NONCE.upper().encode(), "GET"),  # not lower-case hex
        (b"nonce=" + NONCE.encode() + b"\n", "GET"),
        (b"nonce=" + NONCE.encode(), "POST"),  # by GET only
        (b"nonce=" + NONCE.encode(), None),
    ],
)
def test_a_nonce_not_of_32_to_128_hex_digits_or_not_by_get_is_refused(query, method):
    scope = get(query, method)
    if method is None:
        del scope["method"]
    app, sent = call(scope)
    status, headers, body = answer(sent)
    assert status == 400 and body == b"a nonce of 32 to 128 hex digits, by GET"
    assert headers[b"content-length"] == b"%d" % len(body) and app.scopes == []


def test_a_request_without_a_query_is_refused_not_an_error():
    scope = get(b"")
    del scope["query_string"]
    _, sent = call(scope)
    assert answer(sent)[0] == 400


@pytest.mark.parametrize(
    "scope",
    [
        get(b"nonce=" + NONCE.encode(), path="/backend/d1demotodo/auth"),
        get(b"nonce=" + NONCE.encode(), path=PROOF_PATH + "/"),
        {"type": "websocket", "path": PROOF_PATH, "query_string": b"nonce=" + NONCE.encode()},
        {"type": "lifespan"},
    ],
)
def test_every_other_request_reaches_the_emulator_untouched(scope):
    app, sent = call(scope)
    assert app.scopes == [scope] and answer(sent)[0] == 204
    assert app.received == [{"type": "http.request", "body": b"the request's body"}]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(module, "POLL_SECONDS", 0.02)
    monkeypatch.setattr(module, "IDLE_SECONDS", 0.3)
    made = tmp_path / "emu"
    made.mkdir(mode=0o700)
    return made


def record(folder, pid: int, clients: list[int]) -> None:
    state = {"url": "http://127.0.0.1:9", "pid": pid, "key": "k", "secret": "s"}
    write_state(folder, {**state, "clients": clients})


def a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def watch(folder, stopping: threading.Event | None = None, seconds: float = 20) -> bool:
    """Run the watch in a thread; whether it returned within ``seconds``."""
    thread = threading.Thread(
        target=module._watch_clients, args=(folder, stopping or threading.Event()), daemon=True
    )
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def test_with_no_client_alive_it_leaves_after_the_idle_time_and_removes_its_record(folder):
    record(folder, os.getpid(), [a_dead_pid()])
    assert watch(folder)
    assert not (folder / SERVER_FILE).exists() and (folder / LOCK_FILE).exists()


def test_it_stays_while_a_client_lives_and_leaves_once_it_is_gone(folder):
    holder = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        record(folder, os.getpid(), [a_dead_pid(), holder.pid])
        assert not watch(folder, seconds=1.5)  # three idle times and more: still there
        assert read_state(folder) is not None
    finally:
        holder.communicate(b"")
    assert watch(folder)
    assert not (folder / SERVER_FILE).exists()


def test_a_client_that_joins_while_it_is_alone_keeps_it(folder, monkeypatch):
    """On the watch's own clock (a test clock; its polls real, every 0.02 s): a client that
    joins after the idle time began keeps it past that time, and once the client is gone the
    idle time counts afresh, not from the first time alone."""
    now = [100.0]
    monkeypatch.setattr(module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(module, "IDLE_SECONDS", 2.0)
    record(folder, os.getpid(), [a_dead_pid()])
    stopping = threading.Event()
    thread = threading.Thread(target=module._watch_clients, args=(folder, stopping), daemon=True)
    thread.start()
    polls = 0.3  # real seconds: many polls of the watch
    thread.join(polls)  # alone since 100, not yet the idle time
    record(folder, os.getpid(), [os.getpid()])  # a kernel joins (this process)
    thread.join(polls)
    now[0] = 105.0  # past the idle time counted from the first time alone
    thread.join(polls)
    assert thread.is_alive() and read_state(folder) is not None
    record(folder, os.getpid(), [a_dead_pid()])  # its client gone again: alone since 105
    thread.join(polls)
    assert thread.is_alive()
    for later in (107.5, 110.0, 115.0):  # the idle time since 105 (or since a late poll)
        now[0] = later
        thread.join(3)
        if not thread.is_alive():
            break
    assert not thread.is_alive() and not (folder / SERVER_FILE).exists()


def test_a_client_found_alive_under_the_lock_keeps_it(folder, monkeypatch):
    """Its last look at the clients is under the lock: a kernel that joined meanwhile (it
    writes the record under the same lock) keeps it."""
    record(folder, os.getpid(), [a_dead_pid()])
    joined = {"done": False}
    real_locked = module.locked

    def locked(path):
        if not joined["done"]:  # a kernel joins just before the emulator takes the lock
            joined["done"] = True
            record(folder, os.getpid(), [os.getpid()])
        return real_locked(path)

    monkeypatch.setattr(module, "locked", locked)
    stopping = threading.Event()
    thread = threading.Thread(target=module._watch_clients, args=(folder, stopping), daemon=True)
    thread.start()
    thread.join(1.5)
    assert joined["done"] and thread.is_alive() and read_state(folder) is not None
    stopping.set()
    thread.join(10)
    assert not thread.is_alive() and not (folder / SERVER_FILE).exists()


def test_a_record_of_another_emulator_is_left_as_it_is(folder):
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        record(folder, other.pid, [other.pid])  # its clients alive: not this one's to watch
        assert watch(folder, seconds=5)  # replaced: not its folder's emulator any more
        assert read_state(folder)["pid"] == other.pid
        stopping = threading.Event()
        stopping.set()
        assert watch(folder, stopping)  # stopped by a signal: the other's record stays
        assert read_state(folder)["pid"] == other.pid
    finally:
        other.communicate(b"")


def test_a_removed_record_ends_the_watch(folder):
    module._watch_clients(folder, threading.Event())  # returns, and raises nothing
    assert not (folder / SERVER_FILE).exists()


def test_stopped_by_a_signal_it_removes_its_own_record_with_clients_alive(folder):
    record(folder, os.getpid(), [os.getpid()])
    stopping = threading.Event()
    stopping.set()
    assert watch(folder, stopping)
    assert not (folder / SERVER_FILE).exists()


@pytest.mark.parametrize("seconds", ["soon", "-1", "2-1"])
def test_a_bad_job_time_is_refused_on_one_line_before_anything_starts(tmp_path, capsys, seconds):
    code = main(["--folder", str(tmp_path / "emu"), "--job-seconds", seconds, "--client", "1"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: job_seconds: ") and err.count("\n") == 1
    assert not (tmp_path / "emu").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--job-seconds", "1", "--client", "1"],  # no folder
        ["--folder", "f", "--job-seconds", "1"],  # no client
        ["--folder", "f", "--client", "one"],  # a client that is no pid
    ],
)
def test_the_folder_and_the_clients_pid_are_required(argv, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "amplify_auth_widgets.emulator.shared" in capsys.readouterr().err


@pytest.mark.parametrize("replaced", [True, False])
def test_a_record_replaced_or_removed_just_before_it_leaves_is_left_alone(
    folder, monkeypatch, replaced
):
    """Its last look at the record is under the lock: a record another emulator wrote
    meanwhile is that one's, kept; one already removed is nothing to remove."""
    record(folder, os.getpid(), [a_dead_pid()])
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    real_locked = module.locked

    def locked(path):
        if replaced:
            record(folder, other.pid, [a_dead_pid()])  # (its clients gone too)
        else:
            (folder / SERVER_FILE).unlink(missing_ok=True)
        return real_locked(path)

    monkeypatch.setattr(module, "locked", locked)
    try:
        module._watch_clients(folder, threading.Event())  # returns, and raises nothing
        found = read_state(folder)
        assert (found["pid"] if found else None) == (other.pid if replaced else None)
    finally:
        other.communicate(b"")


def test_its_help_says_what_it_is_and_what_each_option_means(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    assert "The app's durable emulator." in out.splitlines()  # its own line
    shown = " ".join(out.split())
    assert shown.startswith("usage: amplify_auth_widgets.emulator.shared [-h] --folder FOLDER")
    for text in (
        "--folder FOLDER the emulator's folder",
        "--job-seconds JOB_SECONDS how long a job stays IN_PROGRESS",
        "--client CLIENT the starting kernel's pid",
    ):
        assert text in shown


def test_it_serves_its_folder_for_its_client_with_jobs_of_3_seconds_by_default(
    tmp_path, monkeypatch
):
    served: list[tuple] = []
    monkeypatch.setattr(module, "serve", lambda *args: served.append(args))
    assert main(["--folder", str(tmp_path / "emu"), "--client", "4242"]) == 0
    assert main(["--folder", "f", "--client", "7", "--job-seconds", "2-10"]) == 0
    assert served == [(tmp_path / "emu", "3", 4242), (Path("f"), "2-10", 7)]
