"""Saved audits: each fleet audit kept with its time, in the job history's SQLite file.

A table sits beside the history's own (``requests``, ``jobs``, ``events``) in the same
database, so that one file (``$AMPLIFY_AUTH_HISTORY`` or the user's) holds what was sent and
what the fleet looked like: ``audits``, one row an audit: its time, its scope, how many
environments it read, and its rows (each: the environment's account, region, app and
environment, its fields and its secrets' digests) as one zlib-compressed JSON document, since
the rows of an audit repeat their field names and most values (an audit of 2,000 environments
is about 4 MB as JSON and a few hundred KB compressed: a saved audit a day stays small).
Secrets are never stored: a secret field holds a keyed digest (``JobHistory.request_hash``,
keyed by the file's own key), enough to tell that it changed and nothing more.

``AuditStore`` only stores and reads; ``fleet.drift`` compares.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from .history import JobHistory

AUDITS_SCHEMA = """
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    scope TEXT NOT NULL,
    environments INTEGER NOT NULL,
    rows BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS audits_by_time ON audits (time, id);
"""
#: A saved row's identity: the environment it describes, across audits.
ROW_KEY = ("account_id", "region", "app_id", "environment")


class AuditStore:
    """The saved audits of ``history``'s file (its tables made on first use)."""

    def __init__(self, history: JobHistory) -> None:
        self.history = history
        self.database = history.database
        with self.database.lock:
            self.database.connection.executescript(AUDITS_SCHEMA)

    def save(
        self,
        rows: list[dict[str, Any]],
        time: float,
        scope: dict[str, Any] | None = None,
    ) -> int:
        """Store an audit of ``rows`` (each: the ``ROW_KEY`` members, ``fields``, a JSON-ready
        object, and ``secrets``, digests by field) taken at ``time``; returns its id. One
        insert: a saved audit is whole or absent."""
        kept = [
            {
                **{key: row.get(key) for key in ROW_KEY},
                "fields": row["fields"],
                "secrets": row.get("secrets") or {},
            }
            for row in rows
        ]
        blob = zlib.compress(json.dumps(kept, separators=(",", ":")).encode(), 6)
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO audits (time, scope, environments, rows) VALUES (?, ?, ?, ?)",
                (time, json.dumps(scope or {}, sort_keys=True), len(rows), blob),
            )
        return int(cursor.lastrowid or 0)

    def audits(self) -> list[dict[str, Any]]:
        """Every saved audit, oldest first: ``id``, ``time`` (epoch seconds), ``scope`` and
        ``environments`` (how many rows it holds)."""
        rows = self.database.query(
            "SELECT id, time, scope, environments FROM audits ORDER BY time, id"
        )
        return [
            {"id": r[0], "time": r[1], "scope": json.loads(r[2]), "environments": r[3]}
            for r in rows
        ]

    def rows(self, audit_id: int) -> list[dict[str, Any]]:
        """The rows of one saved audit, as ``save`` took them."""
        found = self.database.query("SELECT rows FROM audits WHERE id = ?", (audit_id,))
        if not found:
            raise KeyError(f"no saved audit {audit_id}")
        rows: list[dict[str, Any]] = json.loads(zlib.decompress(found[0][0]))
        return rows
