"""A durable record of every request and every observed job status, in SQLite, as DataFrames.

``JobHistory`` keeps three tables: ``requests`` (every call sent, with its response or error,
secrets redacted), ``jobs`` (one row a job: its latest status and times) and ``events`` (every
status change with the time it was observed). A terminal status (COMPLETED, FAILED) is recorded
once per job whatever happens: a unique index makes a repeated one a no-op, so retries, two
trackers or two kernels cannot duplicate it.

The history owns its SQL: it hands its tables back as typed frames (``jobs()``, ``requests()``,
``events()``) and answers the questions the tracker and the fleet ask; ``report`` only
summarises, plots and exports frames. Every request is stored with ``request_hash``, a digest of
the operation and the full request, so that a fleet apply that is run again can tell which
targets already got exactly that request. The digest is an HMAC keyed with a random key kept in
the file itself (``request_hash_key``), so a copied file cannot confirm a guessed secret
offline, and hashes match within one file only. A file from before the key gets one when opened
and its unkeyed hashes are cleared: those requests are no longer recognised as sent.

The file is in the user's data directory by default (``platformdirs``), or any path, or
``:memory:``; it is private to its owner (0600, in folders made 0700, see ``db``). It survives
kernel restarts; WAL mode and a busy timeout let two kernels write at once, each write being one
short transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.db import Database, private_folder
from ..core.lifecycle import TERMINAL, UNKNOWN, JobStatus, Verdict, sql_list
from ..core.paths import data_folder
from ..core.secrets import redact, scrub_text
from .report import export_frame, summary

if TYPE_CHECKING:
    import pandas as pd

    from ..client.service import ApiError

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    operation TEXT NOT NULL,
    app_id TEXT,
    env_name TEXT,
    job_id TEXT,
    request TEXT NOT NULL,
    response TEXT,
    error_code TEXT,
    error_message TEXT,
    http_status INTEGER,
    request_id TEXT,
    request_hash TEXT
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    env_name TEXT NOT NULL,
    operation TEXT,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    finished REAL,
    error TEXT,
    local_verdict TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    time REAL NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_job ON events (job_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS one_terminal_event ON events (job_id)
    WHERE status IN {sql_list(TERMINAL)};
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status);
CREATE TABLE IF NOT EXISTS request_hash_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL
);
"""
#: Columns added since the first release, for files that predate them.
MIGRATIONS = (("requests", "request_hash", "TEXT"),)
#: The environment variable that names the history file (the app and the CLI read it).
HISTORY_ENV = "AMPLIFY_AUTH_HISTORY"


def _typed(frame: pd.DataFrame, columns: tuple[str, ...], dtype: str = "string") -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].astype(dtype)
    return frame


def _times(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd  # deferred: slow to import

    for column in columns:
        frame[column] = pd.to_datetime(frame[column], unit="s", utc=True)
    return frame


def default_path() -> Path:
    """``history.sqlite3`` in the user's data folder (``$AMPLIFY_AUTH_DATA`` moves it)."""
    return data_folder() / "history.sqlite3"


def request_hash(key: bytes, operation: str, request: dict[str, Any]) -> str:
    """A short HMAC-SHA256 under ``key`` of ``operation`` and the whole ``request`` (secrets
    included, so that a changed secret is a changed request; without the key a guessed secret
    cannot be checked against it). ``JobHistory.request_hash`` passes its file's key."""
    canonical = json.dumps([operation, request], sort_keys=True, default=str)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()[:20]


def parse_time(value: Any) -> float | None:
    """Epoch seconds from the service's ISO 8601 times (or a number), None if unreadable."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        try:
            return float(value) / (1000 if float(value) > 1e11 else 1)
        except ValueError:
            return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp()


class JobHistory:
    """The record. ``JobHistory()`` opens the default file; ``JobHistory(":memory:")`` none."""

    def __init__(self, path: str | Path | None = None, clock: Any = time.time) -> None:
        if path is None:
            path = default_path()
        self.path = str(path)
        if self.path != ":memory:":
            private_folder(Path(self.path).parent)
        self.clock = clock
        self.database = Database(self.path, SCHEMA)
        self._lock = self.database.lock
        self._db = self.database.connection
        self._write = self.database.transaction
        self._query = self.database.query
        self._migrate()
        self._key = self._hash_key()

    @classmethod
    def from_environment(cls, default: str | Path | None = None) -> JobHistory:
        """The file ``$AMPLIFY_AUTH_HISTORY`` names, else ``default``, else the user's file."""
        return cls(os.environ.get(HISTORY_ENV) or default)

    def _migrate(self) -> None:
        for table, column, kind in MIGRATIONS:
            columns = {row[1] for row in self._query(f"PRAGMA table_info({table})")}
            if column not in columns:
                with self._write() as db:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def _hash_key(self) -> bytes:
        """The file's key for ``request_hash``, made the first time the file is opened."""
        rows = self._query("SELECT key FROM request_hash_key")
        if rows:
            return bytes(rows[0][0])
        with self._write() as db:
            row = db.execute("SELECT key FROM request_hash_key").fetchone()
            if row is not None:  # another process made it meanwhile
                return bytes(row[0])
            key = secrets.token_bytes(32)
            db.execute("INSERT INTO request_hash_key (id, key) VALUES (1, ?)", (key,))
            # Hashes from before the key are unkeyed: they would confirm a guessed secret and
            # can never match a keyed one. Clear them, zeroing the bytes they leave behind.
            secure = int(db.execute("PRAGMA secure_delete").fetchone()[0])
            db.execute("PRAGMA secure_delete = ON")
            db.execute("UPDATE requests SET request_hash = NULL WHERE request_hash IS NOT NULL")
            db.execute(f"PRAGMA secure_delete = {secure}")
        return key

    def request_hash(self, operation: str, request: dict[str, Any]) -> str:
        """The digest this file stores for ``request`` (see the module function)."""
        return request_hash(self._key, operation, request)

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> JobHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- recording -------------------------------------------------------------------------

    def record_call(
        self,
        operation: str,
        request: dict[str, Any],
        response: dict[str, Any] | None,
        error: ApiError | None,
    ) -> None:
        """One call sent to the service (the ``BackendAuthService.on_call`` hook).

        Requests that start a job also put the job on record as its first status.
        """
        now = self.clock()
        body = response or {}
        with self._write() as db:
            db.execute(
                "INSERT INTO requests (time, operation, app_id, env_name, job_id, request, "
                "response, error_code, error_message, http_status, request_id, request_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    operation,
                    request.get("AppId"),
                    request.get("BackendEnvironmentName"),
                    body.get("JobId") or request.get("JobId"),
                    json.dumps(redact(request, operation), default=str),
                    json.dumps(redact(response), default=str) if response is not None else None,
                    error.code if error else None,
                    scrub_text(error.message, operation, request) if error else None,
                    error.http_status if error else None,
                    error.request_id if error else None,
                    self.request_hash(operation, request),
                ),
            )
        if response and response.get("JobId") and response.get("Status"):
            self.record_status(
                {**response, "Operation": response.get("Operation") or operation}, now
            )

    def record_status(
        self, job: dict[str, Any], observed: float | None = None, source: str = "service"
    ) -> bool:
        """A job as the service (or the tracker) reported it. Returns True if its status
        changed: only a change adds an event, and a terminal status is recorded once."""
        observed = self.clock() if observed is None else observed
        job_id = job["JobId"]
        status = job.get("Status") or UNKNOWN
        error = job.get("Error")
        created = parse_time(job.get("CreateTime")) or observed
        with self._write() as db:
            row = db.execute(
                "SELECT status, local_verdict FROM jobs WHERE job_id = ?", (job_id,)
            ).fetchone()
            if row is not None and row[0] in TERMINAL:
                return False
            changed = row is None or row[0] != status
            # The service's UpdateTime of a finished job is when it finished; the time we saw
            # it is later by the polling delay, which would bias the learned durations.
            finished = None
            if status in TERMINAL:
                finished = min(parse_time(job.get("UpdateTime")) or observed, observed)
            if row is None:
                _insert_job(db, job, status, created, observed, finished)
            else:
                _update_job(db, job, status, created, observed, finished)
            if changed:
                db.execute(
                    "INSERT OR IGNORE INTO events (job_id, time, status, error, source) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (job_id, observed, status, error, source),
                )
            return changed

    def record_timeout(self, job_id: str, observed: float | None = None) -> bool:
        """The tracker stopped waiting: a local verdict, kept apart from the service's status.

        A terminal status wins over it: if the job is already COMPLETED or FAILED on record
        (another tracker or kernel saw it finish), nothing is written and False is returned.
        The check and the write are one immediate transaction, so a terminal status written
        concurrently lands either before (and this writes nothing) or after (and
        ``record_status`` clears the verdict)."""
        observed = self.clock() if observed is None else observed
        with self._write() as db:
            row = db.execute("SELECT status FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            if row is not None and row[0] in TERMINAL:
                return False
            db.execute(
                "UPDATE jobs SET local_verdict = ?, updated = ? WHERE job_id = ?",
                (Verdict.TIMED_OUT, observed, job_id),
            )
            db.execute(
                "INSERT INTO events (job_id, time, status, error, source) VALUES (?, ?, ?, ?, ?)",
                (
                    job_id,
                    observed,
                    Verdict.TIMED_OUT,
                    "no terminal status before the deadline",
                    "local",
                ),
            )
        return True

    # -- reading ---------------------------------------------------------------------------

    def unfinished(self) -> list[dict[str, Any]]:
        """Jobs whose last known status is not terminal: the ones to resume tracking."""
        rows = self._query(
            "SELECT job_id, app_id, env_name, operation, status, created FROM jobs "
            f"WHERE status NOT IN {sql_list(TERMINAL)} ORDER BY created"
        )
        return [
            {
                "JobId": r[0],
                "AppId": r[1],
                "BackendEnvironmentName": r[2],
                "Operation": r[3],
                "Status": r[4],
                "Created": r[5],
            }
            for r in rows
        ]

    def durations(self, operation: str, limit: int = 200) -> list[float]:
        """Seconds from creation to completion of the latest COMPLETED jobs of ``operation``."""
        rows = self._query(
            "SELECT finished - created FROM jobs WHERE operation = ? AND status = ? "
            "AND finished IS NOT NULL ORDER BY finished DESC LIMIT ?",
            (operation, JobStatus.COMPLETED, limit),
        )
        return [r[0] for r in rows if r[0] is not None and r[0] >= 0]

    def status_of(self, job_id: str) -> str | None:
        rows = self._query("SELECT status FROM jobs WHERE job_id = ?", (job_id,))
        return rows[0][0] if rows else None

    def terminal_event_counts(self) -> dict[str, int]:
        """How many terminal events each job has (never more than one)."""
        rows = self._query(
            f"SELECT job_id, COUNT(*) FROM events WHERE status IN {sql_list(TERMINAL)} "
            "GROUP BY job_id"
        )
        return dict(rows)

    # -- frames ----------------------------------------------------------------------------

    def _frame(self, sql: str, params: tuple[Any, ...] = ()) -> pd.DataFrame:
        import pandas as pd  # deferred: slow to import

        with self._lock:
            return pd.read_sql_query(sql, self._db, params=params)

    def jobs(self) -> pd.DataFrame:
        """One row a job: ids and names as ``string``, status and operation as ``category``,
        times as UTC timestamps, ``duration`` a timedelta, ``timed_out`` a bool."""
        frame = self._frame(
            "SELECT job_id, app_id, env_name AS environment, operation, status, created, "
            "updated, finished, error, local_verdict FROM jobs ORDER BY created"
        )
        frame = _typed(frame, ("job_id", "app_id", "environment", "error", "local_verdict"))
        frame = _typed(frame, ("operation", "status"), "category")
        frame = _times(frame, ("created", "updated", "finished"))
        frame["duration"] = frame["finished"] - frame["created"]
        frame["timed_out"] = frame["local_verdict"].notna().astype(bool)
        return frame

    def requests(self) -> pd.DataFrame:
        """One row a call sent (secrets redacted), oldest first."""
        frame = self._frame(
            "SELECT time, operation, app_id, env_name AS environment, job_id, http_status, "
            "error_code, error_message, request_id, request_hash, request, response "
            "FROM requests ORDER BY id"
        )
        frame = _times(frame, ("time",))
        frame = _typed(frame, ("operation",), "category")
        frame["http_status"] = frame["http_status"].astype("Int64")
        return _typed(
            frame,
            (
                "app_id",
                "environment",
                "job_id",
                "error_code",
                "error_message",
                "request_id",
                "request_hash",
                "request",
                "response",
            ),
        )

    def events(self) -> pd.DataFrame:
        """One row a status change as observed, oldest first."""
        frame = self._frame("SELECT job_id, time, status, error, source FROM events ORDER BY id")
        frame = _times(frame, ("time",))
        frame = _typed(frame, ("job_id", "error"))
        return _typed(frame, ("status", "source"), "category")

    def submissions(self) -> pd.DataFrame:
        """Every request that started a job, with the job's latest status and local verdict:
        what a fleet apply that runs again checks before it sends anything."""
        frame = self._frame(
            "SELECT r.app_id, r.env_name AS environment, r.operation, r.request_hash, r.job_id, "
            "j.status, j.local_verdict, r.time FROM requests r JOIN jobs j USING (job_id) "
            "WHERE r.request_hash IS NOT NULL ORDER BY r.id"
        )
        frame = _typed(frame, ("app_id", "environment", "request_hash", "job_id", "local_verdict"))
        frame = _typed(frame, ("operation", "status"), "category")
        return _times(frame, ("time",))

    def summary(self) -> pd.DataFrame:
        return summary(self.jobs())

    def export(self, path: str | Path, table: str = "jobs") -> Path:
        """Write ``jobs``, ``requests`` or ``events`` to ``.csv`` or ``.parquet``, by suffix."""
        frames = {"jobs": self.jobs, "requests": self.requests, "events": self.events}
        if table not in frames:
            raise ValueError(f"table must be one of {', '.join(frames)}")
        return export_frame(frames[table](), path)


def _insert_job(
    db: sqlite3.Connection,
    job: dict[str, Any],
    status: str,
    created: float,
    observed: float,
    finished: float | None,
) -> None:
    """A job first seen: its row, as ``record_status`` read it."""
    db.execute(
        "INSERT INTO jobs (job_id, app_id, env_name, operation, status, created, "
        "updated, finished, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            job["JobId"],
            job.get("AppId", ""),
            job.get("BackendEnvironmentName", ""),
            job.get("Operation"),
            status,
            created,
            observed,
            finished,
            job.get("Error"),
        ),
    )


def _update_job(
    db: sqlite3.Connection,
    job: dict[str, Any],
    status: str,
    created: float,
    observed: float,
    finished: float | None,
) -> None:
    """A job on record seen again: its status now, and a local verdict cleared."""
    db.execute(
        # A start response has no CreateTime, so the job went on record when it was seen;
        # the service's own time, once known, is earlier and exact.
        "UPDATE jobs SET status = ?, updated = ?, finished = ?, error = ?, "
        "operation = COALESCE(operation, ?), local_verdict = NULL, "
        "created = MIN(created, ?) WHERE job_id = ?",
        (
            status,
            observed,
            finished,
            job.get("Error"),
            job.get("Operation"),
            created,
            job["JobId"],
        ),
    )
