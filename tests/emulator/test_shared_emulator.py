"""The app's durable emulator (``emulator.shared``, found by ``client.emulator_process``): one
process per data folder, shared by every kernel, its state kept across its restarts, private,
and gone once its kernels are.

Kernels are stood in for by ``holder`` processes (a Python that waits on its stdin): the test
run's own process must not be a client, or the emulator would live as long as the run."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.client.emulator_process import (
    IDLE_SECONDS,
    MODULE,
    PROOF_PATH,
    SERVER_FILE,
    is_emulator,
    proof,
    proves_key,
    read_state,
    shared,
    write_state,
)
from amplify_auth_widgets.client.private_files import UnsafeFolder
from amplify_auth_widgets.client.service import ApiError, BackendAuthService
from amplify_auth_widgets.core.paths import DATA_ENV, data_folder, emulator_folder

WAIT = IDLE_SECONDS + 15


class Holders:
    """Stand-in kernels: processes that live until stopped."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> int:
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
        )
        self.processes.append(process)
        return process.pid

    def stop(self, pid: int | None = None) -> None:
        for process in self.processes:
            if pid is None or process.pid == pid:
                assert process.stdin is not None
                process.stdin.close()
                process.wait(10)


def gone(pid: int, timeout: float = WAIT) -> bool:
    """Whether ``pid`` has exited within ``timeout`` (the emulator's own idle time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat_line = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}").exists() else ""
        if stat_line and stat_line.rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)  # waiting for a process to exit: nothing to be told by
    return False


@pytest.fixture
def holders(tmp_path) -> Iterator[Holders]:
    made = Holders()
    yield made
    made.stop()
    state = read_state(tmp_path / "emu")
    if state is not None:
        assert gone(state["pid"]), "the shared emulator outlived its clients"


def create_auth(emulator, app_id: str = "d4demonew", env: str = "dev") -> dict:
    from conftest import valid_request

    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    request = valid_request(AppId=app_id, BackendEnvironmentName=env, ResourceName="newauth")
    return service.create_backend_auth(request)


def test_the_data_folder_follows_its_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "mine"))
    assert data_folder() == tmp_path / "mine"
    assert emulator_folder() == tmp_path / "mine" / "emulator"
    monkeypatch.delenv(DATA_ENV)
    assert data_folder().name == "amplify-auth-widgets"


def test_kernels_of_one_folder_share_one_emulator_signed_by_its_own_key(holders, tmp_path):
    folder = tmp_path / "emu"
    first = shared(0, folder, client=holders.start())
    second = shared(0, folder, client=holders.start())
    assert (first.url, first.pid) == (second.url, second.pid)
    assert first.url.startswith("http://127.0.0.1:")
    apps = first.connection().client("amplify").list_apps()["apps"]
    assert sorted(a["appId"] for a in apps) == [
        "d1demotodo",
        "d2demoshop",
        "d3demoadmin",
        "d4demonew",
    ]
    # the throwaway key every emulator accepts is refused: another local user cannot call it
    stranger = Connection.for_emulator(first.url).client("amplify")
    with pytest.raises(ClientError):
        stranger.list_apps()
    assert first.key not in repr(first) and first.secret not in repr(first)
    state = json.loads((folder / SERVER_FILE).read_text())
    assert len(state["clients"]) == 2
    for path in [folder, *folder.iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.name} is open to others ({mode:o})"


def test_two_kernels_starting_at_once_start_one_emulator(holders, tmp_path):
    folder = tmp_path / "emu"
    code = (
        "import sys; from amplify_auth_widgets.client.emulator_process import shared; "
        f"print(shared(0, sys.argv[1], client={holders.start()}).pid)"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE)
        for _ in range(3)
    ]
    pids = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert len(pids) == 1 and all(run.returncode == 0 for run in runs)


def test_state_outlives_the_emulator_and_the_demo_is_not_seeded_twice(holders, tmp_path):
    folder = tmp_path / "emu"
    kernel = holders.start()
    first = shared(0, folder, client=kernel)
    job = create_auth(first)["JobId"]
    holders.stop(kernel)
    assert gone(first.pid), "the emulator did not exit once its last client was gone"
    assert read_state(folder) is None, "an emulator on its way out is still announced"

    again = shared(0, folder, client=holders.start())
    assert again.pid != first.pid
    client = again.connection().client("amplifybackend")
    got = client.get_backend_auth(
        AppId="d4demonew", BackendEnvironmentName="dev", ResourceName="newauth"
    )
    assert got["ResourceName"] == "newauth"
    jobs = client.list_backend_jobs(AppId="d4demonew", BackendEnvironmentName="dev")["Jobs"]
    assert [(j["JobId"], j["Status"]) for j in jobs] == [(job, "COMPLETED")]
    assert len(again.connection().client("amplify").list_apps()["apps"]) == 4
    with pytest.raises(ApiError, match=r"already exists"):
        create_auth(again)  # the environment has auth: creating it again is refused


def test_a_stale_or_foreign_record_is_replaced(holders, tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    # a pid that runs but is no emulator (this test run), and a port nothing serves
    write_state(
        folder, {"url": "http://127.0.0.1:9", "pid": os.getpid(), "key": "k", "secret": "s"}
    )
    emulator = shared(0, folder, client=holders.start())
    assert emulator.pid != os.getpid() and emulator.url != "http://127.0.0.1:9"
    (folder / SERVER_FILE).write_text("not json")
    os.chmod(folder / SERVER_FILE, 0o600)
    assert read_state(folder) is None


def test_bad_job_seconds_and_a_failed_start_say_why(tmp_path, holders):
    with pytest.raises(RuntimeError, match=r"did not start: error: job_seconds: .*'soon'"):
        shared("soon", tmp_path / "emu", client=holders.start())
    assert read_state(tmp_path / "emu") is None
    (tmp_path / "emu" / "state.sqlite3").unlink()
    (tmp_path / "emu" / "state.sqlite3").mkdir()  # no database can be opened
    with pytest.raises(RuntimeError, match=r"did not start: .*state\.sqlite3: Is a directory"):
        shared(0, tmp_path / "emu", client=holders.start())


# --- trust: what a kernel finds in the folder is checked before anything is sent ---------


class Stranger:
    """Another program on a port a record names (a port freed by an emulator killed uncleanly):
    it logs whatever it is sent and answers every request, a proof included, with ``answer``."""

    def __init__(self, answer: bytes = b"0" * 64) -> None:
        self.received: list[tuple[str, str, bytes]] = []
        received, reply = self.received, answer

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                received.append((self.command, self.path, bytes(self.headers) + body))
                self.send_response(200)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stranger() -> Iterator[Stranger]:
    made = Stranger()
    yield made
    made.stop()


def lookalike(holders: Holders) -> int:
    """A process of this user whose command line names the emulator's module (a reused pid)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()", "-m", MODULE],
        stdin=subprocess.PIPE,
    )
    holders.processes.append(process)
    deadline = time.monotonic() + 10
    while MODULE.encode() not in Path(f"/proc/{process.pid}/cmdline").read_bytes():
        assert time.monotonic() < deadline
        time.sleep(0.01)  # until the fork (whose command line is the test's) has become it
    return process.pid


def record(url: str, pid: int) -> dict:
    return {"url": url, "pid": pid, "key": "AKAAWPLANTED", "secret": "planted", "clients": []}


def test_a_stranger_on_the_recorded_port_gets_no_request_but_the_proofs_question(
    holders, tmp_path, stranger
):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    write_state(folder, record(stranger.url, lookalike(holders)))
    emulator = shared(0, folder, client=holders.start())
    assert emulator.url != stranger.url
    create_auth(emulator)  # a request with a body (and, in real use, a client secret)
    assert [(m, p.split("?")[0]) for m, p, _ in stranger.received] == [("GET", PROOF_PATH)]
    assert b"Authorization" not in stranger.received[0][2]
    assert emulator.key.encode() not in stranger.received[0][2]


def test_only_the_holder_of_the_secret_proves_it(holders, tmp_path, stranger):
    emulator = shared(0, tmp_path / "emu", client=holders.start())
    assert proves_key(emulator.url, emulator.secret)
    assert not proves_key(emulator.url, "another secret")
    assert not proves_key(stranger.url, emulator.secret)
    nonce = "ab" * 16  # a stranger replaying an answer it saw proves nothing for a new nonce
    replay = Stranger(proof(emulator.secret, nonce).encode())
    try:
        assert not proves_key(replay.url, emulator.secret)
    finally:
        replay.stop()


@pytest.mark.parametrize(
    "content",
    [
        {"url": "http://127.0.0.1:99999", "pid": 1, "key": "k", "secret": "s"},
        {"url": "http://127.0.0.1:ab", "pid": 1, "key": "k", "secret": "s"},
        {"url": "http://192.0.2.1:80", "pid": 1, "key": "k", "secret": "s"},
        {"url": "http://127.0.0.1:1", "pid": 10**30, "key": "k", "secret": "s"},
        {"url": "http://127.0.0.1:1", "pid": -1, "key": "k", "secret": "s"},
        {"url": "http://127.0.0.1:1", "pid": True, "key": "k", "secret": "s"},
        {"url": "http://127.0.0.1:1", "pid": 1, "key": "", "secret": "s"},
        "[" * 100_000 + "]" * 100_000,
        "x" * 100_000,
        b"\xff\xfe{",
    ],
    ids=lambda c: str(c)[:30],
)
def test_a_malformed_record_is_no_emulator(tmp_path, content):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    data = content if isinstance(content, bytes) else str(content).encode()
    if isinstance(content, dict):
        data = json.dumps(content).encode()
    (folder / SERVER_FILE).write_bytes(data)
    os.chmod(folder / SERVER_FILE, 0o600)
    assert read_state(folder) is None


def test_a_huge_client_pid_is_dropped_and_a_deep_record_starts_a_fresh_emulator(holders, tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    write_state(folder, {**record("http://127.0.0.1:1", 1), "clients": [10**30, -5, 7]})
    assert read_state(folder)["clients"] == [7]
    (folder / SERVER_FILE).write_text("[" * 100_000 + "]" * 100_000)
    emulator = shared(0, folder, client=holders.start())  # no RecursionError out of it
    assert read_state(folder)["pid"] == emulator.pid


def test_a_record_that_is_a_link_or_open_to_others_is_not_read(tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    write_state(folder, record("http://127.0.0.1:1", 1))
    assert read_state(folder) is not None
    os.chmod(folder / SERVER_FILE, 0o644)
    assert read_state(folder) is None
    os.chmod(folder / SERVER_FILE, 0o600)
    (folder / SERVER_FILE).rename(folder / "elsewhere.json")
    (folder / SERVER_FILE).symlink_to(folder / "elsewhere.json")
    assert read_state(folder) is None


def test_a_folder_that_is_a_link_is_refused_by_name_with_the_fix(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "emu").symlink_to(tmp_path / "real")
    with pytest.raises(UnsafeFolder, match=r"emu is a symbolic link.*AMPLIFY_AUTH_DATA"):
        shared(0, tmp_path / "emu", client=os.getpid())
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    (tmp_path / "data").symlink_to(tmp_path / "real")
    with pytest.raises(UnsafeFolder, match=r"data is a symbolic link"):
        shared(0, client=os.getpid())
    assert not list((tmp_path / "real").iterdir())  # nothing was made through the link


def test_an_open_folder_of_ours_is_closed_and_a_planted_link_not_followed(holders, tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir()
    os.chmod(folder, 0o1777)  # like /tmp: anyone could plant a file
    precious = tmp_path / "precious"
    precious.write_text("important\n")
    (folder / "server.log").symlink_to(precious)
    (folder / "server.lock").symlink_to(precious)
    emulator = shared(0, folder, client=holders.start())
    assert precious.read_text() == "important\n"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not (folder / "server.log").is_symlink() and not (folder / "server.lock").is_symlink()
    assert emulator.url.startswith("http://127.0.0.1:")


ROOT_ONLY = pytest.mark.skipif(
    os.getuid() != 0 or shutil.which("setpriv") is None,
    reason="another user's files and processes: made as root, with setpriv",
)


@ROOT_ONLY
def test_another_users_folder_or_state_is_refused(tmp_path):
    folder = tmp_path / "emu"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(UnsafeFolder, match=r"belongs to another user \(uid 65534\)"):
        shared(0, folder, client=os.getpid())
    os.chown(folder, 0, 0)
    os.chmod(folder, 0o777)
    (folder / "state.sqlite3").write_bytes(b"")
    os.chown(folder / "state.sqlite3", 65534, 65534)  # data planted by another: not trusted
    with pytest.raises(UnsafeFolder, match=r"state\.sqlite3 was put there by another user"):
        shared(0, folder, client=os.getpid())
    write_state(folder, record("http://127.0.0.1:1", 1))
    os.chown(folder / SERVER_FILE, 65534, 65534)
    assert read_state(folder) is None


def _became_python_of_nobody(pid: int) -> bool:
    """Whether ``pid`` is past the fork (whose command line is still the test's, with uid 0)
    and past setpriv (whose own arguments name the module): the python itself, as uid 65534."""
    arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    status = Path(f"/proc/{pid}/status").read_text()
    uid = next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:"))
    return arguments[0] == sys.executable.encode() and uid == "65534"


@ROOT_ONLY
def test_a_process_of_another_user_is_no_emulator_of_ours(holders):
    mine = lookalike(holders)
    theirs = subprocess.Popen(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-c",
            "import sys; sys.stdin.read()",
            "-m",
            MODULE,
        ],
        stdin=subprocess.PIPE,
    )
    holders.processes.append(theirs)
    deadline = time.monotonic() + 10
    while not _became_python_of_nobody(theirs.pid):
        assert time.monotonic() < deadline
        time.sleep(0.01)  # the fork, then setpriv, then the python: wait for the last
    assert is_emulator(mine) and not is_emulator(theirs.pid)
    assert not is_emulator(10**30) and not is_emulator(-1)
