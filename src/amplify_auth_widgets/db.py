"""A SQLite file shared by threads (and processes): one connection behind a lock.

The emulator's state and the job history both use it. Writes are short ``BEGIN IMMEDIATE``
transactions; files run in WAL mode with ``synchronous=NORMAL`` (durable across a crash of the
process, no fsync per write) and a busy timeout, so that two processes can write at once.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Database:
    """``path`` (or ``:memory:``) with ``schema`` applied."""

    def __init__(self, path: str | Path, schema: str, row_factory: Any = None) -> None:
        self.path = str(path)
        self.lock = threading.RLock()
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
