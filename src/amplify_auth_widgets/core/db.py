"""A SQLite file shared by threads (and processes): one connection behind a lock.

The emulator's state and the job history both use it. Writes are short ``BEGIN IMMEDIATE``
transactions; files run in WAL mode with ``synchronous=NORMAL`` (durable across a crash of the
process, no fsync per write) and a busy timeout, so that two processes can write at once.

The files hold secrets (the emulator's client secrets; the history's request hashes and their
key), so they are private: a new database file is created 0600 before SQLite opens it, and
SQLite gives its ``-wal``, ``-shm`` and journal files the mode of the database. A file we find
open to other users (with its side files) is tightened to its owner's bits, with a warning.
Folders made for a database (``private_folder``) are 0700; folders that exist are left alone.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The mode of the database files we create, and of the folders we make for them.
FILE_MODE = 0o600
FOLDER_MODE = 0o700
#: The files SQLite keeps beside a database, by the suffix they add to its name.
SIDE_FILES = ("-wal", "-shm", "-journal")
#: ``os.open``'s flag to refuse a symbolic link as the last part of a path (0 where absent).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_folder(folder: str | Path) -> None:
    """Make ``folder`` and any missing parents, each 0700. Folders that already exist (or that
    another process makes meanwhile) are not ours, and keep their modes."""
    missing: list[Path] = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.chmod(path, FOLDER_MODE)  # a umask may have taken the owner's bits too


def _open_own(path: str) -> None:
    """Create ``path`` 0600 if it does not exist, refusing a symbolic link in its place: the
    file holds secrets, and a link planted where it is looked for (in a folder others can
    write to) would have them written, and the file it names tightened, wherever it points."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT | NOFOLLOW, FILE_MODE))
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise OSError(
            errno.ELOOP,
            f"{path} is a symbolic link, not a database file: it holds secrets and is opened "
            "only at its own path. Remove the link, or name the file it points to "
            "(AMPLIFY_AUTH_HISTORY for the job history)",
        ) from None


def _private_file(path: str) -> None:
    """Create ``path`` 0600 if it does not exist; tighten it and its side files if they are
    open to others (they may predate this, or be copies). A link is never followed."""
    _open_own(path)
    if os.name != "posix":
        return  # (modes there are a read-only flag; the user's folder's ACLs apply)
    tightened: list[str] = []
    for name in (path, *(path + suffix for suffix in SIDE_FILES)):
        try:
            status = os.stat(name, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(status.st_mode):
            raise OSError(
                errno.ELOOP,
                f"{name} is a symbolic link beside a database that holds secrets: remove it",
            )
        mode = stat.S_IMODE(status.st_mode)
        if not mode & 0o077:
            continue
        try:
            os.chmod(name, mode & 0o700)
        except OSError as exc:
            warnings.warn(
                f"{name} can be read by other users (mode {mode:04o}) and could not be made "
                f"private: {exc.strerror}. It holds secrets: run chmod 600 on it.",
                stacklevel=4,
            )
        else:
            tightened.append(f"{name} ({mode:04o})")
    if tightened:
        warnings.warn(
            f"{', '.join(tightened)}: could be read by other users; made private to its owner "
            "(0600), as it holds secrets",
            stacklevel=4,
        )


class Database:
    """``path`` (or ``:memory:``) with ``schema`` applied."""

    def __init__(self, path: str | Path, schema: str, row_factory: Any = None) -> None:
        self.path = str(path)
        self.lock = threading.RLock()
        if self.path not in ("", ":memory:"):
            _private_file(self.path)
        self.connection = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        if row_factory is not None:
            self.connection.row_factory = row_factory
        self.connection.execute("PRAGMA busy_timeout=30000")
        if self.path != ":memory:":
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=NORMAL")
        with self.lock:
            self.connection.executescript(schema)

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.lock:
            return self.connection.execute(sql, params).fetchall()
