"""The files we keep at rest: the history and the emulator's state are private to their owner,
and the history's request hashes are keyed by a secret of their own file."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import valid_request

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.emulator.store import Store
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.rollout import Outcome

FIX = {"ResourceName": "fleetauth", "ResourceConfig": fleet_config(0, "fixed", None)}


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def side_files(path: Path) -> dict[str, int]:
    """The modes of the database and the side files SQLite keeps beside it."""
    names = [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]
    return {p.name: mode(p) for p in names if p.exists()}


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask (022), under which a plainly created file is readable by all: so that
    these tests fail when a file is created without its mode."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_default_history_is_private_in_folders_made_private(tmp_path, monkeypatch):
    data = tmp_path / "data"  # XDG_DATA_HOME does not exist yet: we make it and below it
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("AMPLIFY_AUTH_DATA", raising=False)  # the tests' own data folder
    before = mode(tmp_path)
    with JobHistory() as history:
        history.record_call("GetBackendJob", {"AppId": "d1", "JobId": "j1"}, {}, None)
        path = Path(history.path)
        assert path.parent == data / "amplify-auth-widgets"
        files = side_files(path)
    assert {"history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"} <= set(files)
    assert set(files.values()) == {0o600}
    assert mode(data) == mode(data / "amplify-auth-widgets") == 0o700
    assert mode(tmp_path) == before  # a folder we did not make keeps its mode


def test_a_folder_the_user_had_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    with JobHistory(shared / "new" / "history.sqlite3") as history:
        history.record_status({"JobId": "j1", "Status": "IN_PROGRESS"})
    assert mode(shared) == 0o755
    assert mode(shared / "new") == 0o700
    assert mode(shared / "new" / "history.sqlite3") == 0o600


def test_the_emulators_state_and_its_side_files_are_private_after_a_write(tmp_path):
    folder = tmp_path / "given"
    folder.mkdir()
    os.chmod(folder, 0o755)
    path = folder / "state.sqlite3"
    with Emulator(job_seconds=0, seed=3, db=str(path)) as emu:
        app_id = emu.create_app("private", ("dev",))
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        started = service.create_backend_auth(
            valid_request(AppId=app_id, BackendEnvironmentName="dev")
        )
        assert started["JobId"]  # a write over HTTP, through boto3
        files = side_files(path)
    assert {"state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm"} <= set(files)
    assert set(files.values()) == {0o600}
    assert mode(folder) == 0o755  # the folder given was left as it was


@pytest.mark.parametrize("opener", [JobHistory, Store], ids=["history", "emulator"])
def test_an_existing_file_open_to_others_is_tightened_with_a_warning(tmp_path, opener):
    path = tmp_path / "loose.sqlite3"
    sqlite3.connect(path).close()
    Path(f"{path}-wal").touch()  # left behind by a crash, as loose as its database
    os.chmod(path, 0o644)
    os.chmod(f"{path}-wal", 0o664)
    with pytest.warns(UserWarning, match=r"loose\.sqlite3 \(0644\).*made private") as caught:
        opener(str(path)).close()
    assert "loose.sqlite3-wal (0664)" in str(caught[0].message)
    assert mode(path) == 0o600
    with_side = side_files(path)
    assert set(with_side.values()) <= {0o600}


def test_a_private_file_is_opened_without_a_warning(tmp_path, recwarn):
    path = tmp_path / "h.sqlite3"
    JobHistory(path).close()
    JobHistory(path).close()
    assert not [w for w in recwarn if "private" in str(w.message)]


def stored_key(path: Path) -> bytes:
    db = sqlite3.connect(path)
    try:
        return bytes(db.execute("SELECT key FROM request_hash_key").fetchone()[0])
    finally:
        db.close()


def test_each_history_has_its_own_key_and_hash(tmp_path):
    request = valid_request(AppId="d1", BackendEnvironmentName="dev")
    with JobHistory(tmp_path / "a.sqlite3") as one, JobHistory(tmp_path / "b.sqlite3") as two:
        assert one.request_hash("CreateBackendAuth", request) != two.request_hash(
            "CreateBackendAuth", request
        )
    key_a, key_b = stored_key(tmp_path / "a.sqlite3"), stored_key(tmp_path / "b.sqlite3")
    assert len(key_a) == len(key_b) == 32 and key_a != key_b
    # the same file, opened again, keeps its key: the same request hashes the same
    with JobHistory(tmp_path / "a.sqlite3") as again, JobHistory(tmp_path / "a.sqlite3") as also:
        digest = again.request_hash("CreateBackendAuth", request)
        assert digest == also.request_hash("CreateBackendAuth", request)
    assert stored_key(tmp_path / "a.sqlite3") == key_a
    # and the plain SHA-256 a copied file could be checked against is not what is stored
    canonical = json.dumps(["CreateBackendAuth", request], sort_keys=True, default=str)
    assert digest != hashlib.sha256(canonical.encode()).hexdigest()[:20]


def make_fleet(emu: Emulator, history: JobHistory) -> Fleet:
    service = BackendAuthService(
        emu.connection(), on_call=history.record_call, sleep=lambda s: None
    )
    tracker = JobTracker(
        service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
    )
    return Fleet(service, history, tracker)


def test_a_fleet_apply_run_again_on_the_same_history_knows_what_it_sent(tmp_path):
    path = tmp_path / "history.sqlite3"
    with Emulator(job_seconds=0, seed=9, db=str(tmp_path / "state.sqlite3")) as emu:
        app_id = emu.create_app("again", ("dev",))
        targets = pd.DataFrame({"app_id": [app_id], "environment": ["dev"]})
        with JobHistory(path) as history:
            first = make_fleet(emu, history).apply(FIX, targets, mode="create")
        with JobHistory(path) as history:  # a new kernel on the same file
            second = make_fleet(emu, history).apply(FIX, targets, mode="create")
            digest = history.request_hash(
                "CreateBackendAuth",
                {
                    "AppId": app_id,
                    "BackendEnvironmentName": "dev",
                    "ResourceName": "fleetauth",
                    "ResourceConfig": FIX["ResourceConfig"],
                },
            )
        with JobHistory(tmp_path / "other.sqlite3") as other:
            elsewhere = make_fleet(emu, other).apply(FIX, targets, mode="create", dry_run=True)
        jobs = emu.backend.store.query("SELECT COUNT(*) AS n FROM jobs")[0]["n"]
    assert first["status"].astype(str).tolist() == ["COMPLETED"]
    # decided by the environment as it is: it has the request already; the history on the
    # same file names the job that applied it
    assert second["status"].astype(str).tolist() == [Outcome.UNCHANGED]
    assert second["applied_by"].tolist() == first["job_id"].tolist()
    assert jobs == 1  # not sent twice
    assert first["request_hash"].tolist() == second["request_hash"].tolist() == [digest]
    # another history hashes the same request differently, and knows nothing of who applied it
    assert elsewhere["request_hash"].tolist() != [digest]
    assert elsewhere["status"].astype(str).tolist() == [Outcome.UNCHANGED]
    assert elsewhere["applied_by"].isna().all()


def test_unkeyed_hashes_of_an_older_file_are_cleared_not_matched(tmp_path):
    path = tmp_path / "old.sqlite3"
    with JobHistory(path) as history:
        history.record_call("CreateBackendAuth", {"AppId": "d1"}, {}, None)
    request = {"AppId": "d1"}
    canonical = json.dumps(["CreateBackendAuth", request], sort_keys=True, default=str)
    unkeyed = hashlib.sha256(canonical.encode()).hexdigest()[:20]
    db = sqlite3.connect(path)  # as a release before the key left it
    db.execute("UPDATE requests SET request_hash = ?", (unkeyed,))
    db.execute("DROP TABLE request_hash_key")
    db.commit()
    db.close()
    assert unkeyed.encode() in path.read_bytes()
    with JobHistory(path) as history:
        assert history.requests()["request_hash"].isna().all()
        assert history.request_hash("CreateBackendAuth", request) != unkeyed
    assert unkeyed.encode() not in path.read_bytes()  # not left in the file's free space


@pytest.mark.parametrize("planted", ["", "-wal"])
def test_a_link_planted_where_a_database_goes_is_refused_and_its_target_untouched(
    tmp_path, planted
):
    """A symbolic link where the history (or its write-ahead log) is looked for: nothing is
    written through it, the file it names keeps its mode and content, and the message names
    the link and what to do. The command line then runs on a history in memory, saying so."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("the user's own file")
    target.chmod(0o644)
    history = tmp_path / "history.sqlite3"
    (tmp_path / f"history.sqlite3{planted}").symlink_to(target)
    with pytest.raises(OSError, match="is a symbolic link") as raised:
        JobHistory(history)
    assert f"history.sqlite3{planted}" in str(raised.value)
    assert target.read_text() == "the user's own file"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    if not planted:
        assert "AMPLIFY_AUTH_HISTORY" in str(raised.value)
