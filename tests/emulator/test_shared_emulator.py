"""The app's durable emulator (``emulator.shared``, found by ``client.emulator_process``): one
process per data folder, shared by every kernel, its state kept across its restarts, private,
and gone once its kernels are.

Kernels are stood in for by ``holder`` processes (a Python that waits on its stdin): the test
run's own process must not be a client, or the emulator would live as long as the run."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.client.emulator_process import (
    IDLE_SECONDS,
    SERVER_FILE,
    read_state,
    shared,
    write_state,
)
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
    (tmp_path / "emu" / "state.sqlite3").mkdir(parents=True)  # no database can be opened
    with pytest.raises(RuntimeError, match=r"did not start: .*Error.*server\.log"):
        shared(0, tmp_path / "emu", client=holders.start())
