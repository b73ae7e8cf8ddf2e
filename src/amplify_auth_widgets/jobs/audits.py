"""Saved audits: each fleet audit kept with its time, in the job history's SQLite file.

Two tables sit beside the history's own (``requests``, ``jobs``, ``events``) in the same
database, so that one file (``$AMPLIFY_AUTH_HISTORY`` or the user's) holds what was sent and
what the fleet looked like: ``audits`` (one row an audit: its time, its scope, how many
environments it read) and ``audit_rows`` (one row an environment of an audit: its account,
region, app and environment, and its fields as a JSON object). Secrets are never stored: a
secret field holds a keyed digest (``JobHistory.request_hash``, keyed by the file's own key),
enough to tell that it changed and nothing more.

``AuditStore`` only stores and reads; ``fleet.drift`` compares.
"""

from __future__ import annotations

import json
from typing import Any

from .history import JobHistory

AUDITS_SCHEMA = """
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    scope TEXT NOT NULL,
    environments INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audits_by_time ON audits (time, id);
CREATE TABLE IF NOT EXISTS audit_rows (
    audit_id INTEGER NOT NULL REFERENCES audits (id),
    account_id TEXT,
    region TEXT,
    app_id TEXT,
    environment TEXT,
    fields TEXT NOT NULL,
    secrets TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_rows_by_audit ON audit_rows (audit_id);
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
        transaction: a saved audit is whole or absent."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO audits (time, scope, environments) VALUES (?, ?, ?)",
                (time, json.dumps(scope or {}, sort_keys=True), len(rows)),
            )
            audit_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO audit_rows (audit_id, account_id, region, app_id, environment, "
                "fields, secrets) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        audit_id,
                        *(row.get(key) for key in ROW_KEY),
                        json.dumps(row["fields"], sort_keys=True),
                        json.dumps(row.get("secrets") or {}, sort_keys=True),
                    )
                    for row in rows
                ],
            )
        return audit_id

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
        found = self.database.query(
            "SELECT account_id, region, app_id, environment, fields, secrets FROM audit_rows "
            "WHERE audit_id = ? ORDER BY rowid",
            (audit_id,),
        )
        return [
            {
                **dict(zip(ROW_KEY, r[:4], strict=True)),
                "fields": json.loads(r[4]),
                "secrets": json.loads(r[5]),
            }
            for r in found
        ]
