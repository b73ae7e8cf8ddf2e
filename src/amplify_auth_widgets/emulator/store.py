"""The emulator's state in SQLite: apps, backend environments, auth resources and jobs.

One file holds everything, so that stopping and restarting the emulator on the same file loses
nothing: jobs that were in progress keep their end times and finish by them. Documents (an
app, an auth configuration, a job's effect) are stored as JSON; what is queried is a column.

Every app lives in one (account, region) pair, its ``Scope``: the table ``app_scopes`` says
which, and an app without a row there (a file written before accounts and regions existed, or
a row added by hand) lives in ``DEFAULT_SCOPE``, so older state files open as they are, with
no migration. App ids stay unique across the whole emulator, as Amplify's random ids are; an
app's environments, auth and jobs are its own and follow its scope. Reads see only the apps of
the scope in force (``scope()``, set by the server for each request from its signature, or
``scoped()`` around direct use); writes name an app by its id, which only the app's own scope
could have found.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from ..client.connection import EMULATOR_REGION
from ..core.db import Database
from ..core.lifecycle import PENDING

#: The account the emulator's default credentials belong to (ARNs name it).
ACCOUNT = "123456789012"


class Scope(NamedTuple):
    """An (account, region) pair: what one set of credentials signing for one region sees."""

    account: str
    region: str


#: Where apps live unless told otherwise, and what a request is served in by default.
DEFAULT_SCOPE = Scope(ACCOUNT, EMULATOR_REGION)
_SCOPE: ContextVar[Scope] = ContextVar("emulator_scope", default=DEFAULT_SCOPE)


def scope() -> Scope:
    """The (account, region) in force: the request's, or ``DEFAULT_SCOPE``."""
    return _SCOPE.get()


@contextmanager
def scoped(account: str, region: str) -> Iterator[Scope]:
    """Read and create apps in ``account`` and ``region`` within the block (this thread or
    task only)."""
    token = _SCOPE.set(Scope(account, region))
    try:
        yield _SCOPE.get()
    finally:
        _SCOPE.reset(token)


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
CREATE TABLE IF NOT EXISTS app_scopes (
    app_id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS app_scopes_by_pair ON app_scopes (account, region);
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
        """Create or update an app in the scope in force. An id that an app of another scope
        holds is refused (``ValueError``): ids are unique across the emulator."""
        here = scope()
        with self.transaction() as db:
            owner = self._owner(app_id, db)
            if owner is not None and owner != here:
                raise ValueError(f"app id {app_id} is taken in another account or region")
            db.execute(
                "INSERT INTO apps VALUES (?, ?, ?, ?, ?) ON CONFLICT(app_id) DO UPDATE SET "
                "name=excluded.name, data=excluded.data, update_time=excluded.update_time",
                (app_id, name, json.dumps(data), now, now),
            )
            db.execute("INSERT OR IGNORE INTO app_scopes VALUES (?, ?, ?)", (app_id, *here))

    @staticmethod
    def _owner(app_id: str, db: sqlite3.Connection) -> Scope | None:
        """The scope of an existing app (None: no such app), read in ``db``."""
        row = db.execute(
            "SELECT s.account, s.region FROM apps a LEFT JOIN app_scopes s "
            "ON s.app_id = a.app_id WHERE a.app_id = ?",
            (app_id,),
        ).fetchone()
        if row is None:
            return None
        return Scope(row[0], row[1]) if row[0] is not None else DEFAULT_SCOPE

    def scope_of(self, app_id: str) -> Scope | None:
        """The (account, region) of an app, whichever is in force (None: no such app)."""
        with self.database.lock:
            return self._owner(app_id, self.database.connection)

    def _visible(self, app_id: str) -> bool:
        """Whether the app exists in the scope in force."""
        return self.scope_of(app_id) == scope()

    def app(self, app_id: str) -> sqlite3.Row | None:
        if not self._visible(app_id):
            return None
        return self.one("SELECT * FROM apps WHERE app_id = ?", (app_id,))

    def apps(self) -> list[sqlite3.Row]:
        here = scope()
        return self.query(
            "SELECT a.* FROM apps a LEFT JOIN app_scopes s ON s.app_id = a.app_id "
            "WHERE COALESCE(s.account, ?) = ? AND COALESCE(s.region, ?) = ? "
            "ORDER BY a.create_time, a.app_id",
            (DEFAULT_SCOPE.account, here.account, DEFAULT_SCOPE.region, here.region),
        )

    def scopes(self) -> list[Scope]:
        """Every (account, region) that holds an app, in order."""
        rows = self.query(
            "SELECT DISTINCT COALESCE(s.account, ?), COALESCE(s.region, ?) FROM apps a "
            "LEFT JOIN app_scopes s ON s.app_id = a.app_id ORDER BY 1, 2",
            DEFAULT_SCOPE,
        )
        return [Scope(r[0], r[1]) for r in rows]

    def delete_app(self, app_id: str) -> None:
        with self.transaction() as db:
            for table in ("apps", "environments", "auth", "app_scopes"):
                db.execute(f"DELETE FROM {table} WHERE app_id = ?", (app_id,))

    def put_environment(self, app_id: str, env: str, data: dict[str, Any], now: float) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO environments VALUES (?, ?, ?, ?, ?) ON CONFLICT(app_id, env_name) "
                "DO UPDATE SET data=excluded.data, update_time=excluded.update_time",
                (app_id, env, json.dumps(data), now, now),
            )

    def environment(self, app_id: str, env: str) -> sqlite3.Row | None:
        if not self._visible(app_id):
            return None
        return self.one(
            "SELECT * FROM environments WHERE app_id = ? AND env_name = ?", (app_id, env)
        )

    def environments(self, app_id: str) -> list[sqlite3.Row]:
        if not self._visible(app_id):
            return []
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
        if not self._visible(app_id):
            return None
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
        if not self._visible(app_id):
            return None
        return self.one(
            "SELECT * FROM jobs WHERE app_id = ? AND env_name = ? AND job_id = ?",
            (app_id, env, job_id),
        )

    def jobs(self, app_id: str, env: str) -> list[sqlite3.Row]:
        if not self._visible(app_id):
            return []
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
