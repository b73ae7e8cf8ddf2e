"""The SQLite file behind the history and the emulator's state, met directly: private files and
folders, links refused, writes that commit or roll back whole, one connection for every thread."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from amplify_auth_widgets.core import db
from amplify_auth_widgets.core.db import Database, private_folder

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER);"


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask (022), under which a plainly created file is readable by all."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_folders_made_are_private_the_ones_there_keep_their_modes(tmp_path):
    os.chmod(tmp_path, 0o755)
    private_folder(tmp_path / "a" / "b" / "c")
    assert mode(tmp_path) == 0o755
    assert [mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
    # made again, or below one there: nothing changes above
    os.chmod(tmp_path / "a", 0o750)
    private_folder(tmp_path / "a" / "b" / "c")
    private_folder(tmp_path / "a" / "d")
    assert mode(tmp_path / "a") == 0o750 and mode(tmp_path / "a" / "d") == 0o700


def test_folders_are_private_even_under_a_umask_that_takes_the_owner_s_bits(tmp_path):
    os.umask(0o777)
    private_folder(tmp_path / "x" / "y")
    assert mode(tmp_path / "x") == mode(tmp_path / "x" / "y") == 0o700


def test_a_folder_made_meanwhile_by_someone_else_is_left_as_it_is(tmp_path, monkeypatch):
    # the first folder appears (made by someone else) between looking and making it
    first, second = tmp_path / "one", tmp_path / "one" / "two"
    real_mkdir = os.mkdir

    def racing_mkdir(path, mode=0o777):
        if Path(path) == first:
            real_mkdir(path, 0o755)
            os.chmod(path, 0o755)
        return real_mkdir(path, mode)

    monkeypatch.setattr(db.os, "mkdir", racing_mkdir)
    private_folder(second)
    assert mode(first) == 0o755  # not ours: not tightened
    assert mode(second) == 0o700  # and the rest still made


def test_a_folder_made_is_never_open_to_others_not_even_before_its_mode_is_set(
    tmp_path, monkeypatch
):
    # a folder made open and tightened after would let others look in (or cd in and keep a
    # handle) meanwhile: each must be made with its mode
    made: list[int] = []
    real_mkdir = os.mkdir

    def watched_mkdir(path, *args, **kwargs):
        real_mkdir(path, *args, **kwargs)
        made.append(mode(path))

    monkeypatch.setattr(db.os, "mkdir", watched_mkdir)
    private_folder(tmp_path / "a" / "b")
    assert made == [0o700, 0o700]


def test_a_new_database_file_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "new.sqlite3"
    database = Database(path, SCHEMA)
    try:
        with database.transaction() as connection:
            connection.execute("INSERT INTO t VALUES ('a', 1)")
        assert database.path == str(path)
        assert database.query("PRAGMA journal_mode") == [("wal",)]
        assert database.query("PRAGMA synchronous") == [(1,)]  # NORMAL
        assert database.query("PRAGMA busy_timeout") == [(30000,)]
        # SQLite's side files exist while the database is open (it removes them at close)
        assert {s: mode(f"{path}{s}") for s in ("-wal", "-shm")} == {"-wal": 0o600, "-shm": 0o600}
    finally:
        database.close()
    assert mode(path) == 0o600


def test_a_database_in_memory_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for path in (":memory:", ""):
        database = Database(path, SCHEMA)
        database.query("INSERT INTO t VALUES ('a', 1)")
        assert database.query("SELECT v FROM t") == [(1,)]
        assert database.query("PRAGMA busy_timeout") == [(30000,)]
        database.close()
    assert list(tmp_path.iterdir()) == []
    assert Database(":memory:", SCHEMA).query("PRAGMA journal_mode") == [("memory",)]


def test_rows_come_as_the_factory_makes_them(tmp_path):
    plain = Database(tmp_path / "p.sqlite3", SCHEMA)
    rows = Database(tmp_path / "r.sqlite3", SCHEMA, sqlite3.Row)
    for database in (plain, rows):
        database.query("INSERT INTO t VALUES (?, ?)", ("a", 1))
    assert plain.query("SELECT k, v FROM t") == [("a", 1)]
    (row,) = rows.query("SELECT k, v FROM t WHERE k = ?", ("a",))
    assert (row["k"], row["v"]) == ("a", 1)
    plain.close()
    rows.close()


def test_a_write_commits_and_another_connection_sees_it_at_once(tmp_path):
    path = tmp_path / "shared.sqlite3"
    one, two = Database(path, SCHEMA), Database(path, SCHEMA)
    with one.transaction() as connection:
        connection.execute("INSERT INTO t VALUES ('a', 1)")
    assert two.query("SELECT k, v FROM t") == [("a", 1)]
    # a plain statement outside a transaction commits by itself
    one.query("INSERT INTO t VALUES ('b', 2)")
    assert two.query("SELECT k FROM t ORDER BY k") == [("a",), ("b",)]
    with two.transaction() as connection:  # the other can write now: nothing left open
        connection.execute("UPDATE t SET v = 3 WHERE k = 'a'")
    assert one.query("SELECT v FROM t WHERE k = 'a'") == [(3,)]
    one.close()
    two.close()


def test_a_write_that_fails_leaves_nothing_behind_and_says_why(tmp_path):
    database = Database(tmp_path / "w.sqlite3", SCHEMA)
    with pytest.raises(KeyError, match="halfway"), database.transaction() as connection:
        connection.execute("INSERT INTO t VALUES ('a', 1)")
        raise KeyError("halfway")
    assert database.query("SELECT * FROM t") == []
    with database.transaction() as connection:  # and the next one goes through
        connection.execute("INSERT INTO t VALUES ('b', 2)")
    assert database.query("SELECT k FROM t") == [("b",)]
    database.close()


def test_every_thread_uses_the_one_connection(tmp_path):
    database = Database(tmp_path / "threads.sqlite3", SCHEMA)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with database.transaction() as connection:
                connection.execute("INSERT INTO t VALUES (?, ?)", (f"k{n}", n))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert database.query("SELECT COUNT(*) FROM t") == [(4,)]
    database.close()


def test_a_closed_database_is_closed(tmp_path):
    database = Database(tmp_path / "c.sqlite3", SCHEMA)
    database.close()
    with pytest.raises(sqlite3.ProgrammingError):
        database.query("SELECT 1")


def test_a_link_where_the_database_goes_is_refused_naming_it_and_what_to_do(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("the user's own file")
    os.chmod(target, 0o644)
    link = tmp_path / "state.sqlite3"
    link.symlink_to(target)
    with pytest.raises(OSError) as raised:
        Database(link, SCHEMA)
    assert raised.value.errno == errno.ELOOP
    assert raised.value.strerror == (
        f"{link} is a symbolic link, not a database file: it holds secrets and is opened "
        "only at its own path. Remove the link, or name the file it points to "
        "(AMPLIFY_AUTH_HISTORY for the job history)"
    )
    assert target.read_text() == "the user's own file" and mode(target) == 0o644


def test_a_database_that_cannot_be_created_says_why_not_that_it_is_a_link(tmp_path):
    with pytest.raises(FileNotFoundError) as raised:
        Database(tmp_path / "missing" / "h.sqlite3", SCHEMA)
    assert raised.value.errno == errno.ENOENT


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_link_beside_the_database_is_refused_and_its_target_untouched(tmp_path, suffix):
    target = tmp_path / "elsewhere.txt"
    target.write_text("x")
    os.chmod(target, 0o644)
    path = tmp_path / "h.sqlite3"
    Path(f"{path}{suffix}").symlink_to(target)
    with pytest.raises(OSError) as raised:
        Database(path, SCHEMA)
    assert raised.value.errno == errno.ELOOP
    assert raised.value.strerror == (
        f"{path}{suffix} is a symbolic link beside a database that holds secrets: remove it"
    )
    assert mode(target) == 0o644


def test_loose_files_are_tightened_to_their_owner_s_bits_with_one_warning(tmp_path):
    path = tmp_path / "loose.sqlite3"
    sqlite3.connect(path).close()
    Path(f"{path}-shm").touch()  # no -wal: the side files after a missing one are looked at
    Path(f"{path}-journal").touch()
    os.chmod(path, 0o755)
    os.chmod(f"{path}-shm", 0o666)
    os.chmod(f"{path}-journal", 0o600)  # private already: not named
    with pytest.warns(UserWarning) as caught:
        database = Database(path, SCHEMA)
    messages = [str(w.message) for w in caught]
    assert messages == [
        f"{path} (0755), {path}-shm (0666): could be read by other users; made private to "
        "its owner (0600), as it holds secrets"
    ]
    assert mode(path) == 0o700  # the owner's bits kept, the others' taken
    assert not mode(f"{path}-shm") & 0o077  # (SQLite then gives it the database's mode)
    database.close()


def test_a_private_file_opens_without_a_word(tmp_path, recwarn):
    path = tmp_path / "quiet.sqlite3"
    Database(path, SCHEMA).close()
    os.chmod(path, 0o600)
    Database(path, SCHEMA).close()
    os.chmod(path, 0o700)  # the owner's own bits are the owner's business
    Database(path, SCHEMA).close()
    assert [str(w.message) for w in recwarn] == []
    assert mode(path) == 0o700


def test_a_loose_file_that_cannot_be_tightened_is_named_with_what_to_run(tmp_path, monkeypatch):
    path = tmp_path / "stuck.sqlite3"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)

    def refused(name, mode, **kwargs):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), name)

    monkeypatch.setattr(db.os, "chmod", refused)
    with pytest.warns(UserWarning) as caught:
        Database(path, SCHEMA).close()
    assert [str(w.message) for w in caught] == [
        f"{path} can be read by other users (mode 0644) and could not be made private: "
        f"{os.strerror(errno.EPERM)}. It holds secrets: run chmod 600 on it."
    ]
