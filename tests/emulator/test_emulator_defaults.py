"""An emulator made in Python with no arguments is the one ``amplify-auth emulator`` starts
with none: jobs of 3 seconds, no latency, no injected faults, this machine only, one region,
no strict auth. Without a db its state is a temporary file, gone at stop; with a seed, a run
repeats another's ids."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from conftest import valid_request

from amplify_auth_widgets import BackendAuthService
from amplify_auth_widgets.cli.entry import build_parser
from amplify_auth_widgets.cli.services import emulator_from_args
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.server import Faults


def test_the_python_defaults_are_the_command_lines(tmp_path):
    made = Emulator(db=str(tmp_path / "a.db"))
    args = build_parser().parse_args(["emulator", "--db", str(tmp_path / "b.db")])
    commanded = emulator_from_args(args)
    for emu in (made, commanded):
        assert emu.backend.job_seconds == (3.0, 3.0)
        assert emu.faults == Faults(latency_ms=0.0, throttle_rate=0.0, timeout_rate=0.0)
        assert emu.fail_rate == 0.0
        assert emu.host == "127.0.0.1" and emu.regions == ("us-east-1",)
        assert emu.identities.strict is None and emu.log_level == "warning"
    assert made.port == 0  # a free port, where the command line has its own (4600)


def _files_of(db: Path) -> set[str]:
    """The names of ``db`` and of the files beside it that SQLite names after it."""
    return {p.name for p in db.parent.iterdir() if p.name.startswith(db.name)}


def test_without_a_db_the_state_is_a_temporary_file_removed_at_stop(tmp_path):
    with Emulator() as emu:
        emu.create_app("passing", ("dev",))
        made = Path(emu.db)
        assert made.parent == Path(tempfile.gettempdir()) and made.is_file()
        # named for what it is, should a crash leave it behind
        assert made.name.startswith("amplify-emulator-") and made.suffix == ".sqlite3"
    assert _files_of(made) == set()  # nor its -wal and -shm
    kept = tmp_path / "kept.db"
    with Emulator(db=str(kept)) as emu:
        emu.create_app("kept", ("dev",))
    assert kept.is_file()


def test_a_temporary_db_is_removed_whole_at_stop_even_with_a_reader_still_open():
    # someone reading the emulator's state with sqlite3 (or pandas) keeps their connection
    # open: SQLite then leaves the -wal and -shm files at the emulator's close, and stop
    # removes them itself
    with Emulator() as emu:
        emu.create_app("passing", ("dev",))
        made = Path(emu.db)
        reader = sqlite3.connect(emu.db)
        assert reader.execute("SELECT count(*) FROM apps").fetchone() == (1,)
        assert _files_of(made) == {made.name, f"{made.name}-wal", f"{made.name}-shm"}
    try:
        assert _files_of(made) == set()
    finally:
        reader.close()


def test_a_seed_makes_the_ids_the_same_run_after_run(tmp_path, clock):
    # --seed: for reproducible runs, as the command line's help says
    def ids(seed: int, name: str) -> list[str]:
        with Emulator(seed=seed, db=str(tmp_path / name), clock=clock) as emu:
            app_id = emu.create_app("seeded", ("dev",))
            service = BackendAuthService(emu.connection(), sleep=lambda s: None)
            job = service.create_backend_auth(
                valid_request(AppId=app_id, BackendEnvironmentName="dev")
            )
            return [app_id, job["JobId"]]

    first = ids(7, "a.db")
    assert ids(7, "b.db") == first
    other = ids(8, "c.db")
    assert other[0] != first[0] and other[1] != first[1]


def test_an_emulator_starts_and_stops_without_a_word_at_its_default_log_level(capfd):
    # a notebook cell that starts one shows nothing: uvicorn's INFO lines are not printed
    with Emulator() as emu:
        assert emu.client("amplify").list_apps()["apps"] == []
    told = "".join(capfd.readouterr())
    # (another test's leftover thread may write here too: only uvicorn's own words are read)
    for words in ("INFO", "Started server process", "Uvicorn running", "Shutting down"):
        assert words not in told
