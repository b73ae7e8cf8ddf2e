"""Drafts: the request being composed, kept in the history's file so that a reload finds it.

One table beside the history's own, ``drafts``: a row a name (the app keeps one, ``"last"``:
what was on the form when the page went away), with the time it was saved, the operation the
form composed and the request as JSON. Secrets are never stored: the request is saved through
``core.secrets.redact``, and a loaded draft has those members removed and named in
``Draft.reenter``, so the form says which fields to type again instead of holding
``<redacted>``. A draft read back is checked for its shape: a file edited by hand gives no
draft, never a broken form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..core.model import REDACTED
from ..core.operations import configuration_operations
from ..core.secrets import redact
from .history import JobHistory

DRAFTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    name TEXT PRIMARY KEY,
    time REAL NOT NULL,
    operation TEXT NOT NULL,
    request TEXT NOT NULL
);
"""
#: The app's one draft: the form as it was last.
LAST = "last"


@dataclass(frozen=True)
class Draft:
    """A saved request: its operation, the request without its secrets, the secrets' paths."""

    operation: str
    request: dict[str, Any]
    time: float
    #: Dotted API paths of the secret members that were set and must be typed again.
    reenter: tuple[str, ...] = field(default=())


def without_secrets(request: Any, path: str = "") -> tuple[Any, list[str]]:
    """``request`` (redacted) less its ``REDACTED`` members, and those members' dotted paths."""
    if isinstance(request, dict):
        kept: dict[str, Any] = {}
        removed: list[str] = []
        for name, value in request.items():
            at = f"{path}.{name}" if path else str(name)
            if value == REDACTED:
                removed.append(at)
                continue
            kept[name], inner = without_secrets(value, at)
            removed += inner
        return kept, removed
    if isinstance(request, list):
        items, removed = [], []
        for index, value in enumerate(request):
            item, inner = without_secrets(value, f"{path}[{index}]")
            if item != REDACTED:
                items.append(item)
            else:
                removed.append(f"{path}[{index}]")
            removed += inner
        return items, removed
    return request, []


class DraftStore:
    """The drafts of ``history``'s file (the table made on first use)."""

    def __init__(self, history: JobHistory) -> None:
        self.history = history
        self.database = history.database
        with self.database.lock:
            self.database.connection.executescript(DRAFTS_SCHEMA)

    def save(self, request: dict[str, Any], operation: str, name: str = LAST) -> None:
        """Keep ``request`` (secrets redacted) as the draft ``name``, replacing the last."""
        text = json.dumps(redact(request, operation), sort_keys=True, default=str)
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO drafts (name, time, operation, request) "
                "VALUES (?, ?, ?, ?)",
                (name, self.history.clock(), operation, text),
            )

    def load(self, name: str = LAST) -> Draft | None:
        """The draft ``name``, its secrets removed (and named); None if there is none, or if
        what is stored is not a request of an operation the form composes."""
        rows = self.database.query(
            "SELECT time, operation, request FROM drafts WHERE name = ?", (name,)
        )
        if not rows:
            return None
        saved, operation, text = rows[0]
        try:
            request = json.loads(text)
        except ValueError:
            return None
        if operation not in configuration_operations() or not isinstance(request, dict):
            return None
        kept, removed = without_secrets(redact(request, operation))
        return Draft(operation, kept, float(saved), tuple(removed))

    def clear(self, name: str = LAST) -> None:
        """Forget the draft ``name`` (a form started over)."""
        with self.database.transaction() as db:
            db.execute("DELETE FROM drafts WHERE name = ?", (name,))
