"""The kernel's side of the shared emulator (``client.emulator_process``), in the test's own
process: the record it trusts (``server.json``), the lock, the proof of key, finding a running
emulator and starting one.

Written for the module's mutation runs: ``tests/emulator/test_shared_emulator.py`` tests the
emulator and its kernels end to end, but it is not among this module's tests, and a file named
for the module (``test_emulator_process_*``) would be deselected whole by the runs' ``-k "not
process"``. Kernels are stood in for by holder processes (a Python waiting on its stdin), so
that an emulator started here lives only as long as the test's own holders."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.server
import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from amplify_auth_widgets.client import emulator_process as ep
from amplify_auth_widgets.client.emulator_process import (
    IDLE_SECONDS,
    LOG_FILE,
    MAX_CLIENTS,
    MAX_PID,
    MAX_STATE_BYTES,
    MODULE,
    PROOF_CONTEXT,
    PROOF_PATH,
    SERVER_FILE,
    STATE_DB,
    SharedEmulator,
    alive,
    is_emulator,
    locked,
    proof,
    proves_key,
    read_state,
    shared,
    sound_state,
    write_state,
)
from amplify_auth_widgets.client.private_files import UnsafeFolder
from amplify_auth_widgets.core.paths import DATA_ENV

WAIT = IDLE_SECONDS + 15
#: What a holder runs: it waits on its stdin.
CODE = "import sys; sys.stdin.read()"


class Holders:
    """Stand-in kernels (or look-alikes of the emulator): processes that live until stopped."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *arguments: str) -> int:
        process = subprocess.Popen(
            [sys.executable, "-c", CODE, *arguments],
            stdin=subprocess.PIPE,
        )
        self.processes.append(process)
        if arguments:
            deadline = time.monotonic() + 10
            while CODE.encode() not in Path(f"/proc/{process.pid}/cmdline").read_bytes():
                assert time.monotonic() < deadline
                time.sleep(0.01)  # until the fork (the test's command line) has become it
        return process.pid

    def stop(self, pid: int | None = None) -> None:
        for process in self.processes:
            if (pid is None or process.pid == pid) and process.returncode is None:
                assert process.stdin is not None
                process.stdin.close()
                process.wait(10)


@pytest.fixture
def holders() -> Iterator[Holders]:
    made = Holders()
    yield made
    made.stop()


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[SharedEmulator]:
    """One emulator for the module's tests that find rather than start one."""
    kernel = Holders()
    folder = tmp_path_factory.mktemp("running") / "emu"
    emulator = shared(0, folder, client=kernel.start())
    yield emulator
    kernel.stop()


def fully_gone(pid: int, timeout: float = WAIT) -> bool:
    """Whether ``pid`` has exited AND been reaped (a zombie is not gone) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)  # waiting for a process to exit: nothing to be told by
    return False


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait(30)
    return process.pid


def record(**changes: object) -> dict:
    return {"url": "http://127.0.0.1:8000", "pid": 1, "key": "k", "secret": "s"} | changes


# --- the record: only what an emulator writes, made local -----------------------------------


def test_a_sound_record_is_made_local_and_keeps_only_its_own_fields_and_real_pids():
    state = record(
        url="http://localhost:4567/ignored?x=1",
        pid=MAX_PID,
        key="K" * 256,
        secret="S" * 256,
        clients=[1, MAX_PID, MAX_PID + 1, 0, -3, True, "7", 7.0, None, 42],
        extra="dropped",
    )
    assert sound_state(state) == {
        "url": "http://127.0.0.1:4567",
        "pid": MAX_PID,
        "key": "K" * 256,
        "secret": "S" * 256,
        "clients": [1, MAX_PID, 42],
    }
    assert sound_state(record(clients="1,2"))["clients"] == []
    assert sound_state(record())["clients"] == []
    many = sound_state(record(clients=list(range(1, MAX_CLIENTS + 50))))["clients"]
    assert many == list(range(1, MAX_CLIENTS + 1))


@pytest.mark.parametrize(
    "state",
    [
        record(pid=MAX_PID + 1),
        record(pid=0),
        record(pid=7.0),
        record(pid=None),
        record(key="K" * 257),
        record(secret="S" * 257),
        record(url="h" * 257),
        record(secret=""),
        record(url=""),
        record(key=5),
        record(url="https://127.0.0.1:8000"),
        record(url="http://127.0.0.1"),
        record(url="http://127.0.0.1:0"),
        record(url="http://[::1]:8000"),
        record(url="http://127.0.0.2:8000"),
        record(url="http://127.0.0.1:8000@192.0.2.1:80"),
        record(url="http://127.0.0.1:x"),
        [record()],
        None,
    ],
    ids=lambda s: str(s)[:60],
)
def test_a_record_an_emulator_does_not_write_is_none(state):
    assert sound_state(state) is None


def put(folder: Path, data: bytes, mode: int = 0o600) -> None:
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / SERVER_FILE).write_bytes(data)
    os.chmod(folder / SERVER_FILE, mode)


def test_a_record_is_read_up_to_its_size_limit_and_not_a_byte_more(tmp_path):
    text = json.dumps(record())
    put(tmp_path, (text + " " * (MAX_STATE_BYTES - len(text))).encode())
    assert read_state(tmp_path) == sound_state(record())
    put(tmp_path, (text + " " * (MAX_STATE_BYTES + 1 - len(text))).encode())
    assert read_state(tmp_path) is None


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o610, 0o601, 0o620])
def test_a_record_others_may_touch_is_not_read(tmp_path, mode):
    put(tmp_path, json.dumps(record()).encode(), 0o600)
    assert read_state(tmp_path) is not None
    os.chmod(tmp_path / SERVER_FILE, mode)
    assert read_state(tmp_path) is None


def test_a_record_that_is_a_folder_or_absent_is_none(tmp_path):
    assert read_state(tmp_path) is None
    (tmp_path / SERVER_FILE).mkdir(mode=0o700)
    assert read_state(tmp_path) is None


def test_a_record_that_is_a_link_to_a_sound_record_of_ours_is_not_read(tmp_path):
    put(tmp_path / "real", json.dumps(record()).encode())
    assert read_state(tmp_path / "real") is not None
    (tmp_path / SERVER_FILE).symlink_to(tmp_path / "real" / SERVER_FILE)
    assert read_state(tmp_path) is None


def test_a_record_planted_as_a_fifo_is_not_read_even_with_a_writer_at_the_other_end(tmp_path):
    os.mkfifo(tmp_path / SERVER_FILE, 0o600)

    def write() -> None:
        descriptor = os.open(tmp_path / SERVER_FILE, os.O_WRONLY)  # waits for the reader
        try:
            os.write(descriptor, json.dumps(record()).encode())
        except BrokenPipeError:
            pass  # the reader closed it unread
        finally:
            os.close(descriptor)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert read_state(tmp_path) is None
    writer.join(10)


@pytest.mark.skipif(os.getuid() != 0, reason="another user's file: made as root")
def test_a_record_of_another_user_is_not_read(tmp_path):
    put(tmp_path, json.dumps(record()).encode())
    os.chown(tmp_path / SERVER_FILE, 65534, 65534)
    assert read_state(tmp_path) is None


def test_the_record_is_written_whole_private_and_over_a_leftover_of_ours(tmp_path):
    leftover = tmp_path / f".{SERVER_FILE}.{os.getpid()}"
    leftover.write_text("half a record from a write that died")
    (tmp_path / SERVER_FILE).write_text("old")
    write_state(tmp_path, record(clients=[3]))
    assert json.loads((tmp_path / SERVER_FILE).read_text()) == record(clients=[3])
    assert stat.S_IMODE((tmp_path / SERVER_FILE).stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [SERVER_FILE]
    assert read_state(tmp_path) == sound_state(record(clients=[3]))


# --- the lock -----------------------------------------------------------------------------


def test_the_lock_is_held_until_its_block_ends_even_by_an_error(tmp_path):
    import fcntl

    path = tmp_path / "server.lock"

    def free() -> bool:
        descriptor = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(descriptor)  # closing the description releases a lock taken by it
        return True

    fds = len(os.listdir("/proc/self/fd"))
    with locked(path):
        assert not free()  # another kernel (another open description) waits
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert free()
    with pytest.raises(KeyError), locked(path):
        assert not free()
        raise KeyError("a failure under the lock")
    assert free()
    assert len(os.listdir("/proc/self/fd")) == fds  # no descriptor left open


def test_a_lock_file_planted_as_a_link_is_replaced_not_followed(tmp_path):
    precious = tmp_path / "precious"
    precious.write_text("important\n")
    (tmp_path / "server.lock").symlink_to(precious)
    with locked(tmp_path / "server.lock"):
        pass
    assert precious.read_text() == "important\n"
    assert not (tmp_path / "server.lock").is_symlink()


# --- whose process the record names -------------------------------------------------------


def test_alive_tells_a_running_pid_from_an_exited_one_and_a_zombie():
    assert alive(os.getpid())
    assert not alive(dead_pid())
    zombie = subprocess.Popen([sys.executable, "-c", ""])
    try:
        deadline = time.monotonic() + 30
        while Path(f"/proc/{zombie.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline
            time.sleep(0.01)  # until it has exited, unreaped
        assert not alive(zombie.pid)
    finally:
        zombie.wait(30)


def test_a_live_pid_whose_name_reads_like_a_zombies_is_alive(holders):
    named = "open('/proc/self/comm', 'w').write('x) Z (y'); " + CODE  # a program may
    process = subprocess.Popen([sys.executable, "-c", named], stdin=subprocess.PIPE)
    holders.processes.append(process)
    deadline = time.monotonic() + 10
    while ") Z (" not in Path(f"/proc/{process.pid}/stat").read_text():
        assert time.monotonic() < deadline
        time.sleep(0.01)  # until it has named itself
    assert alive(process.pid)


def test_a_pid_whose_name_is_not_utf8_is_judged_not_an_error(holders):
    named = "open('/proc/self/comm', 'wb').write(bytes([255, 254]) + b'-emu'); " + CODE
    process = subprocess.Popen(
        [sys.executable, "-c", named, "-m", MODULE], stdin=subprocess.PIPE
    )  # another user's program may take a recorded client's pid and name itself so
    holders.processes.append(process)
    deadline = time.monotonic() + 10
    while b"\xff\xfe-emu" not in Path(f"/proc/{process.pid}/stat").read_bytes():
        assert time.monotonic() < deadline
        time.sleep(0.01)  # until it has named itself
    assert alive(process.pid) and is_emulator(process.pid)


def test_only_ours_running_the_module_is_an_emulator(holders):
    assert is_emulator(holders.start("-m", MODULE))
    assert not is_emulator(holders.start())  # a kernel: another program got the pid
    assert not is_emulator(holders.start(MODULE))  # the name, but not the module it runs
    assert not is_emulator(holders.start("-m", MODULE + "x"))
    assert not is_emulator(holders.start(MODULE, "-m"))
    assert not is_emulator(holders.start("-m", "json", MODULE))
    assert not is_emulator(os.getpid())
    assert not is_emulator(dead_pid())
    assert not is_emulator(0) and not is_emulator(MAX_PID + 1)


def test_a_gone_look_alike_is_no_emulator(holders):
    pid = holders.start("-m", MODULE)
    assert is_emulator(pid)
    holders.stop(pid)
    assert not is_emulator(pid)


# --- the proof of key ---------------------------------------------------------------------


def test_the_proof_is_the_hmac_of_the_context_and_nonce_keyed_by_the_secret():
    nonce = "0123456789abcdef" * 2
    expected = hmac.new(b"s3cret", PROOF_CONTEXT + nonce.encode(), hashlib.sha256).hexdigest()
    assert proof("s3cret", nonce) == expected
    assert PROOF_CONTEXT == b"amplify-auth-widgets shared emulator proof of key\n"


class Loopback:
    """A threaded HTTP server on the loopback for the test, with its URL."""

    def serve(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Prover(Loopback):
    """A server on the loopback that answers the proof's question as told: ``status``, and the
    proof of ``secret`` for the nonce asked (``suffix`` after it), or nothing at all (``hang``)."""

    def __init__(self, secret: str, status: int = 200, suffix: bytes = b"\n", hang: bool = False):
        self.asked: list[str] = []
        asked, release = self.asked, threading.Event()
        self.release = release

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked.append(self.path)
                if hang:
                    release.wait(30)
                    return
                nonce = parse_qs(urlsplit(self.path).query).get("nonce", [""])[0]
                body = proof(secret, nonce).encode() + suffix
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.serve(Handler)

    def stop(self) -> None:
        self.release.set()
        super().stop()


def test_the_key_is_proved_by_the_answer_to_a_fresh_nonce_and_nothing_else_is_sent():
    prover = Prover("s3cret")
    try:
        assert proves_key(prover.url, "s3cret")
        assert proves_key(prover.url.replace("127.0.0.1", "localhost"), "s3cret")
        assert not proves_key(prover.url, "another")
    finally:
        prover.stop()
    nonces = []
    for path in prover.asked:
        where = urlsplit(path)
        assert where.path == PROOF_PATH and list(parse_qs(where.query)) == ["nonce"]
        nonces.append(parse_qs(where.query)["nonce"][0])
    assert all(re.fullmatch(r"[0-9a-f]{32}", n) for n in nonces)
    assert len(set(nonces)) == 3  # never the same question twice


@pytest.mark.parametrize("status", [201, 204, 500])
def test_the_right_answer_with_another_status_proves_nothing(status):
    prover = Prover("s3cret", status=status)
    try:
        assert not proves_key(prover.url, "s3cret")
    finally:
        prover.stop()


class Endless(Loopback):
    """A server on the loopback that answers the proof's question with a body without end."""

    def __init__(self) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # the body ends when the connection does

            def do_GET(self) -> None:
                self.send_response(200)
                self.end_headers()
                with contextlib.suppress(OSError):
                    while True:
                        self.wfile.write(b" " * 65536)

            def log_message(self, *args: object) -> None:
                pass

        self.serve(Handler)


def test_an_answer_without_end_is_read_no_further_than_a_proof_needs():
    endless = Endless()
    try:
        assert not proves_key(endless.url, "s3cret")  # returns: the kernel is not held
    finally:
        endless.stop()


def test_nothing_listening_or_no_answer_in_time_proves_nothing():
    free = Prover("s3cret")
    url = free.url
    free.stop()
    assert not proves_key(url, "s3cret")
    silent = Prover("s3cret", hang=True)
    try:
        started = time.monotonic()
        assert not proves_key(silent.url, "s3cret")
        assert time.monotonic() - started < 15  # the kernel is not held by a silent port
    finally:
        silent.stop()


# --- finding the running emulator ---------------------------------------------------------


def copy_record(emulator: SharedEmulator, folder: Path, **changes: object) -> None:
    """``emulator``'s record, changed, in ``folder`` (a folder of its own: made private)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    state = read_state(emulator.folder)
    assert state is not None
    write_state(folder, state | changes)


def test_a_running_emulator_is_found_and_its_live_clients_kept_once(running, holders, tmp_path):
    gone = dead_pid()
    first, second = holders.start(), holders.start()
    copy_record(running, tmp_path / "emu", clients=[gone, first])
    found = shared(0, tmp_path / "emu", client=second)
    assert (found.url, found.pid) == (running.url, running.pid)
    assert (found.key, found.secret) == (running.key, running.secret)
    assert found.folder == tmp_path / "emu" and found.db == tmp_path / "emu" / STATE_DB
    assert read_state(tmp_path / "emu")["clients"] == [first, second]
    shared(0, tmp_path / "emu", client=second)
    assert read_state(tmp_path / "emu")["clients"] == [first, second]
    apps = found.connection().client("amplify").list_apps()["apps"]
    assert "d4demonew" in {a["appId"] for a in apps}  # signed with its own key: accepted
    assert found.connection(region="eu-west-1").region == "eu-west-1"
    assert found.connection().access_key_id == running.key
    assert not list((tmp_path / "emu").glob("*.log"))  # found, not started


def test_the_kernel_itself_is_the_client_when_none_is_named(running, tmp_path):
    copy_record(running, tmp_path / "emu", clients=[])
    shared(0, tmp_path / "emu")
    assert read_state(tmp_path / "emu")["clients"] == [os.getpid()]


def test_the_data_folder_is_closed_only_when_the_emulator_is_the_apps(
    running, holders, tmp_path, monkeypatch
):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    for parent in ("data", "mine"):
        (tmp_path / parent).mkdir(mode=0o755)
        os.chmod(tmp_path / parent, 0o755)
        copy_record(running, tmp_path / parent / "emulator")
    shared(0, tmp_path / "mine" / "emulator", client=holders.start())
    assert stat.S_IMODE((tmp_path / "mine").stat().st_mode) == 0o755  # not the app's: left
    shared(0, tmp_path / "data" / "emulator", client=holders.start())
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    os.chmod(tmp_path / "data", 0o755)
    assert shared(0, client=holders.start()).pid == running.pid  # the default: the same
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_data_in_an_open_folder_that_is_a_link_is_refused_not_removed(holders, tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir()
    os.chmod(folder, 0o777)  # open: what others may have put there is not trusted
    (tmp_path / "elsewhere.sqlite3").write_bytes(b"")
    (folder / STATE_DB).symlink_to(tmp_path / "elsewhere.sqlite3")
    with pytest.raises(UnsafeFolder, match=r"state\.sqlite3 was put there by another user"):
        shared(0, folder, client=holders.start())
    assert (folder / STATE_DB).is_symlink()  # data, maybe: the user decides, not the kernel


def test_a_look_alike_on_a_port_that_proves_nothing_is_passed_over_and_asked_only_that(
    holders, tmp_path
):
    stranger = Prover("another secret")  # answers, but not with the recorded secret's proof
    try:
        folder = tmp_path / "emu"
        folder.mkdir(mode=0o700)
        write_state(folder, record(url=stranger.url, pid=holders.start("-m", MODULE)))
        emulator = shared(0, folder, client=holders.start())
    finally:
        stranger.stop()
    assert emulator.url != stranger.url and is_emulator(emulator.pid)
    assert [urlsplit(p).path for p in stranger.asked] == [PROOF_PATH]


# --- starting one -------------------------------------------------------------------------


def test_a_started_emulator_is_its_own_session_logs_to_its_file_and_is_reaped(holders, tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    (folder / LOG_FILE).write_text("a line of the last run\n")
    os.chmod(folder / LOG_FILE, 0o600)
    write_state(folder, record(pid=dead_pid(), url="http://127.0.0.1:9"))
    kernel = holders.start()
    kept_stdin, (reading, writing) = os.dup(0), os.pipe()
    os.dup2(reading, 0)  # a kernel's stdin is the server's: the emulator must not take it
    try:
        fds = len(os.listdir("/proc/self/fd"))
        emulator = shared(0, folder, client=kernel)
        assert len(os.listdir("/proc/self/fd")) == fds  # the log's descriptor is the child's
    finally:
        os.dup2(kept_stdin, 0)
        for descriptor in (kept_stdin, reading, writing):
            os.close(descriptor)
    assert read_state(folder)["pid"] == emulator.pid and is_emulator(emulator.pid)
    assert read_state(folder)["clients"] == [kernel]
    assert stat.S_IMODE((folder / STATE_DB).stat().st_mode) == 0o600
    assert "last run" not in (folder / LOG_FILE).read_text()  # a fresh log
    assert os.getsid(emulator.pid) == emulator.pid  # a kernel's Ctrl-C is not its
    log = os.path.realpath(folder / LOG_FILE)
    descriptors = {n: os.readlink(f"/proc/{emulator.pid}/fd/{n}") for n in (0, 1, 2)}
    assert descriptors == {0: os.devnull, 1: log, 2: log}
    reapers = [t for t in threading.enumerate() if t.name == "shared-emulator-reaper"]
    assert reapers and all(t.daemon for t in reapers)  # never holds the kernel's exit
    holders.stop(kernel)
    assert fully_gone(emulator.pid), "the emulator was left a zombie (or did not exit)"


def test_a_failed_start_says_why_with_its_log_and_a_state_file_no_database_can_be(
    holders, tmp_path
):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    write_state(folder, record(pid=dead_pid(), url="http://127.0.0.1:9"))  # of one gone
    precious = tmp_path / "precious"
    precious.write_text("important\n")
    (folder / LOG_FILE).symlink_to(precious)  # a log that is a link: made anew, not followed
    message = r"^the app's emulator did not start: error: job_seconds: .*'soon'.* \(its log: "
    with pytest.raises(RuntimeError, match=message) as failed:
        shared("soon", folder, client=holders.start())
    assert str(failed.value).endswith(f"(its log: {folder / LOG_FILE})")
    assert read_state(folder) is None  # the record of the one gone is not left announced
    assert precious.read_text() == "important\n" and not (folder / LOG_FILE).is_symlink()
    (folder / STATE_DB).unlink()
    (folder / STATE_DB).mkdir()
    with pytest.raises(RuntimeError) as failed:
        shared(0, folder, client=holders.start())
    assert str(failed.value) == (
        f"the app's emulator did not start: {folder / STATE_DB}: Is a directory"
    )


def test_the_log_read_is_its_last_64_kib_and_a_missing_or_linked_log_reads_empty(tmp_path):
    assert ep._log_text(tmp_path) == ""
    (tmp_path / LOG_FILE).write_bytes(b"a" * 10 + b"b" * MAX_STATE_BYTES + b"\xff")
    os.chmod(tmp_path / LOG_FILE, 0o600)
    assert ep._log_text(tmp_path) == "b" * (MAX_STATE_BYTES - 1) + "\ufffd"
    (tmp_path / LOG_FILE).write_bytes(b"short\n")
    assert ep._log_text(tmp_path) == "short\n"
    (tmp_path / LOG_FILE).unlink()
    (tmp_path / "elsewhere").write_text("not the log")
    (tmp_path / LOG_FILE).symlink_to(tmp_path / "elsewhere")
    assert ep._log_text(tmp_path) == ""


def test_a_start_that_dies_saying_nothing_says_so(holders, tmp_path, monkeypatch):
    kernel = holders.start()  # before the Python that dies at its start is the one run
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import os\nos._exit(3)\n")  # dies before a word
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    folder = tmp_path / "emu"
    with pytest.raises(RuntimeError) as failed:
        shared(0, folder, client=kernel)
    assert str(failed.value) == (
        f"the app's emulator did not start: no error (its log: {folder / LOG_FILE})"
    )


def emulators_of(folder: Path) -> list[int]:
    """The pids of the processes started as ``folder``'s emulator (by their command lines)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if MODULE.encode() in arguments and str(folder).encode() in arguments:
            found.append(int(entry.name))
    return found


def test_a_start_that_hangs_is_given_up_and_the_child_ended(holders, tmp_path, monkeypatch):
    kernel = holders.start()  # before the Python that hangs at its start is the one run
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import time\ntime.sleep(60)\n")  # never listens
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(ep, "START_SECONDS", 2.0)  # the setting, shortened for the test
    folder = tmp_path / "emu"
    with pytest.raises(RuntimeError, match=r"^the app's emulator did not start: no error"):
        shared(0, folder, client=kernel)
    deadline = time.monotonic() + 10
    while emulators_of(folder):
        assert time.monotonic() < deadline, "the hung start was left running"
        time.sleep(0.05)  # waiting for a killed process to be reaped: nothing to be told by
