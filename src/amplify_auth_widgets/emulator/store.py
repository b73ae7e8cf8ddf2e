"""The emulator's state in SQLite: apps, backend environments, auth resources and jobs.

One file holds everything, so that stopping and restarting the emulator on the same file loses
nothing: jobs that were in progress keep their end times and finish by them. Documents (an
app, an auth configuration, a job's effect) are stored as JSON; what is queried is a column.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..core.db import Database
from ..core.lifecycle import PENDING

SCHEMA = """
CREATE TABLE IF NOT EXISTS apps (
    app_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS environments (
    app_id TEXT NOT NULL,
    env_name TEXT NOT NULL,
    data TEXT NOT NULL,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    PRIMARY KEY (app_id, env_name)
);
CREATE TABLE IF NOT EXISTS auth (
    app_id TEXT NOT NULL,
    env_name TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    config TEXT NOT NULL,
    imported TEXT,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    PRIMARY KEY (app_id, env_name)
);
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL UNIQUE,
    app_id TEXT NOT NULL,
    env_name TEXT NOT NULL,
    operation TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    create_time REAL NOT NULL,
    update_time REAL NOT NULL,
    end_time REAL NOT NULL,
    outcome TEXT NOT NULL,
    outcome_error TEXT,
    effect TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_env ON jobs (app_id, env_name, seq);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (status, end_time);
"""


class Store:
    """The emulator's tables in one ``Database``. Each method is one transaction, or part of
    the caller's when it takes ``db`` (that of a job being finished, say)."""

    def __init__(self, path: str) -> None:
        self.database = Database(path, SCHEMA, sqlite3.Row)
        # A file written by something else may hold text that is not UTF-8: read it, do not
        # fail every request that touches the row.
        self.database.connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        self.transaction = self.database.transaction
        self.query = self.database.query

    def close(self) -> None:
        self.database.close()

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def _within(self, db: sqlite3.Connection | None) -> Iterator[sqlite3.Connection]:
        """The caller's transaction ``db``, or a new one that commits on leaving."""
        if db is not None:
            yield db
        else:
            with self.transaction() as tx:
                yield tx

    @contextmanager
    def savepoint(self, db: sqlite3.Connection, name: str = "step") -> Iterator[None]:
        """A part of the caller's transaction ``db`` that can fail alone: if the block raises,
        what it wrote is rolled back and the exception goes on (the transaction stays open for
        the caller to record the failure); otherwise its writes join the transaction."""
        if not name.isidentifier():
            raise ValueError(f"a savepoint name is an identifier, not {name!r}")
        db.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            db.execute(f"ROLLBACK TO {name}")
            db.execute(f"RELEASE {name}")
            raise
        db.execute(f"RELEASE {name}")

    # -- apps and environments -------------------------------------------------------------

    def put_app(self, app_id: str, name: str, data: dict[str, Any], now: float) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO apps VALUES (?, ?, ?, ?, ?) ON CONFLICT(app_id) DO UPDATE SET "
                "name=excluded.name, data=excluded.data, update_time=excluded.update_time",
                (app_id, name, json.dumps(data), now, now),
            )

    def app(self, app_id: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM apps WHERE app_id = ?", (app_id,))

    def apps(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM apps ORDER BY create_time, app_id")

    def delete_app(self, app_id: str) -> None:
        with self.transaction() as db:
            for table in ("apps", "environments", "auth"):
                db.execute(f"DELETE FROM {table} WHERE app_id = ?", (app_id,))

    def put_environment(self, app_id: str, env: str, data: dict[str, Any], now: float) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO environments VALUES (?, ?, ?, ?, ?) ON CONFLICT(app_id, env_name) "
                "DO UPDATE SET data=excluded.data, update_time=excluded.update_time",
                (app_id, env, json.dumps(data), now, now),
            )

    def environment(self, app_id: str, env: str) -> sqlite3.Row | None:
        return self.one(
            "SELECT * FROM environments WHERE app_id = ? AND env_name = ?", (app_id, env)
        )

    def environments(self, app_id: str) -> list[sqlite3.Row]:
        return self.query(
            "SELECT * FROM environments WHERE app_id = ? ORDER BY create_time, env_name", (app_id,)
        )

    def add_environment(self, app_id: str, env: str, now: float, db: sqlite3.Connection) -> None:
        """Add an empty environment unless there is one (kept as it is)."""
        db.execute(
            "INSERT OR IGNORE INTO environments VALUES (?, ?, ?, ?, ?)",
            (app_id, env, json.dumps({}), now, now),
        )

    def delete_environment(
        self, app_id: str, env: str, db: sqlite3.Connection | None = None
    ) -> None:
        """Delete an environment and its auth resource."""
        with self._within(db) as tx:
            for table in ("environments", "auth"):
                tx.execute(f"DELETE FROM {table} WHERE app_id = ? AND env_name = ?", (app_id, env))

    # -- auth ------------------------------------------------------------------------------

    def auth(self, app_id: str, env: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM auth WHERE app_id = ? AND env_name = ?", (app_id, env))

    def delete_auth(self, app_id: str, env: str, db: sqlite3.Connection) -> None:
        """Delete an environment's auth resource."""
        db.execute("DELETE FROM auth WHERE app_id = ? AND env_name = ?", (app_id, env))

    def put_auth(
        self,
        app_id: str,
        env: str,
        resource_name: str,
        config: dict[str, Any],
        now: float,
        imported: dict[str, Any] | None = None,
        db: sqlite3.Connection | None = None,
    ) -> None:
        sql = (
            "INSERT INTO auth VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(app_id, env_name) DO "
            "UPDATE SET resource_name=excluded.resource_name, config=excluded.config, "
            "imported=excluded.imported, update_time=excluded.update_time"
        )
        params = (
            app_id,
            env,
            resource_name,
            json.dumps(config),
            json.dumps(imported) if imported else None,
            now,
            now,
        )
        with self._within(db) as tx:
            tx.execute(sql, params)

    # -- jobs ------------------------------------------------------------------------------

    def add_job(self, job: dict[str, Any], db: sqlite3.Connection | None = None) -> None:
        with self._within(db) as tx:
            tx.execute(
                "INSERT INTO jobs (job_id, app_id, env_name, operation, status, error, "
                "create_time, update_time, end_time, outcome, outcome_error, effect) "
                "VALUES (:job_id, :app_id, :env_name, :operation, :status, :error, "
                ":create_time, :update_time, :end_time, :outcome, :outcome_error, :effect)",
                {**job, "effect": json.dumps(job["effect"])},
            )

    def start_job(self, job: dict[str, Any]) -> sqlite3.Row | None:
        """Add ``job`` unless its app has a pending job already (returned instead). The check
        and the insert are one ``BEGIN IMMEDIATE`` transaction, so that two emulators on one
        file cannot both see no pending job and both add one."""
        with self.transaction() as db:
            pending = self.pending_job(job["app_id"], db)
            if pending is None:
                self.add_job(job, db)
            return pending

    def job(self, app_id: str, env: str, job_id: str) -> sqlite3.Row | None:
        return self.one(
            "SELECT * FROM jobs WHERE app_id = ? AND env_name = ? AND job_id = ?",
            (app_id, env, job_id),
        )

    def jobs(self, app_id: str, env: str) -> list[sqlite3.Row]:
        return self.query(
            "SELECT * FROM jobs WHERE app_id = ? AND env_name = ? ORDER BY seq DESC", (app_id, env)
        )

    def pending_job(self, app_id: str, db: sqlite3.Connection) -> sqlite3.Row | None:
        """The app's pending job, read in the caller's transaction ``db`` (see start_job)."""
        return db.execute(
            "SELECT * FROM jobs WHERE app_id = ? AND status = ? LIMIT 1", (app_id, PENDING)
        ).fetchone()

    def any_due(self, now: float) -> bool:
        return (
            self.one(
                "SELECT 1 FROM jobs WHERE status = ? AND end_time <= ? LIMIT 1",
                (PENDING, now),
            )
            is not None
        )

    def due_jobs(self, db: sqlite3.Connection, now: float) -> list[sqlite3.Row]:
        return db.execute(
            "SELECT * FROM jobs WHERE status = ? AND end_time <= ? ORDER BY end_time",
            (PENDING, now),
        ).fetchall()

    def update_job(self, job_id: str, db: sqlite3.Connection | None = None, **fields: Any) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in fields)
        sql = f"UPDATE jobs SET {sets} WHERE job_id = :job_id"
        with self._within(db) as tx:
            tx.execute(sql, {**fields, "job_id": job_id})
