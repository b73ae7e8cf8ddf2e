"""Drafts: the request being composed, kept in the history's file so that a reload finds it.

One table beside the history's own, ``drafts``: a row a name (the app keeps one, ``"last"``:
what was on the form when the page went away), with the time it was saved, the operation the
form composed and the request as JSON. Secrets are never stored, whatever their spelling: a
draft keeps only what the service model knows (``keep_known``: members of the operation's
request by their model names, in the shapes the model gives them), every member whose name,
normalised (lower case, without ``_``, ``-`` and spaces), is a secret's (``clientSecret``,
``client-secret``, ``"ClientSecret "``, ``aws_secret_access_key``...) is stored as
``<redacted>``, and so is a structure holding a secret given in another shape (a provider's
settings as a JSON string or a list). A loaded draft has those members removed and named in
``Draft.reenter``, so the form says which fields to type again instead of holding
``<redacted>``. A draft read back is checked: a row edited by hand (a time that is no time,
JSON too deep to read, a shape that is no request) gives no draft, never an exception.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..core.model import REDACTED, FieldSpec, request_spec
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
#: Member names, normalised (``normalised``), whose values are secrets wherever they appear:
#: the model's secret members and the AWS credentials' names.
SECRET_WORDS = frozenset(
    {
        "clientsecret",
        "privatekey",
        "secretaccesskey",
        "awssecretaccesskey",
        "secretkey",
        "sessiontoken",
        "awssessiontoken",
    }
)
#: The latest time a draft may carry (epoch seconds, year 9999): beyond it none is shown.
MAX_TIME = 253_402_300_799.0
#: What ``keep_known`` leaves out.
_DROP = object()
#: Scalar values a draft keeps where the model wants a scalar.
_SCALARS = (str, int, float, bool, type(None))


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


def normalised(name: str) -> str:
    """``name`` in lower case without ``_``, ``-`` and white space (``Client_Secret `` ->
    ``clientsecret``), to tell a secret's name however it is spelled."""
    return "".join(ch for ch in name.lower() if ch not in "_-" and not ch.isspace())


def _holds_secret(spec: FieldSpec) -> bool:
    return any(s.sensitive or normalised(s.name) in SECRET_WORDS for s in spec.walk())


def keep_known(value: Any, spec: FieldSpec) -> Any:
    """``value`` (at ``spec``) with only what the model knows there: unknown members and
    values of another shape than the model's are left out (``_DROP`` for ``value`` itself),
    and a secret, or a structure holding one in another shape, becomes ``REDACTED``."""
    if value == REDACTED:
        return REDACTED
    if spec.is_structure:
        if not isinstance(value, dict):
            return REDACTED if _holds_secret(spec) and value not in (None, "") else _DROP
        kept: dict[str, Any] = {}
        for name, inner in value.items():
            member = spec.member(name) if isinstance(name, str) else None
            if isinstance(name, str) and normalised(name) in SECRET_WORDS:
                if inner not in (None, ""):
                    kept[name] = REDACTED
            elif member is not None and (item := keep_known(inner, member)) is not _DROP:
                kept[name] = item
        return kept
    if spec.is_list:
        if not isinstance(value, list) or spec.item is None:
            return REDACTED if _holds_secret(spec) and value not in (None, "") else _DROP
        items = [keep_known(item, spec.item) for item in value]
        return [item for item in items if item is not _DROP]
    if normalised(spec.name) in SECRET_WORDS or spec.sensitive:
        return REDACTED if value not in (None, "") else value
    return value if isinstance(value, _SCALARS) else _DROP


def draft_of(request: Any, operation: str) -> dict[str, Any]:
    """What a draft of ``request`` may keep (``keep_known`` on the operation's request, then
    ``core.secrets.redact``): nothing that can be a secret."""
    kept = keep_known(request, request_spec(operation))
    return redact(kept, operation) if isinstance(kept, dict) else {}


class UnreadableDraft(ValueError):
    """A stored draft that is no draft (a row edited by hand, or written by another version)."""


def _draft_of_row(saved: Any, operation: Any, text: Any) -> Draft:
    """The draft a row holds, or ``UnreadableDraft``: never another exception."""
    if (
        not isinstance(saved, int | float)
        or not math.isfinite(saved)
        or not 0 <= saved <= MAX_TIME
        or not isinstance(text, str)
        or operation not in configuration_operations()
    ):
        raise UnreadableDraft("its time, operation or request is not one a draft holds")
    try:
        request = json.loads(text)
    except (ValueError, RecursionError, MemoryError) as exc:
        raise UnreadableDraft(f"its request cannot be read ({type(exc).__name__})") from None
    if not isinstance(request, dict):
        raise UnreadableDraft("its request is not a JSON object")
    kept, removed = without_secrets(draft_of(request, operation))
    return Draft(operation, kept, float(saved), tuple(removed))


class DraftStore:
    """The drafts of ``history``'s file (the table made on first use)."""

    def __init__(self, history: JobHistory) -> None:
        self.history = history
        self.database = history.database
        with self.database.lock:
            self.database.connection.executescript(DRAFTS_SCHEMA)

    def save(self, request: dict[str, Any], operation: str, name: str = LAST) -> None:
        """Keep what ``request`` may keep (``draft_of``: no secret, nothing the model does not
        know) as the draft ``name``, replacing the last."""
        text = json.dumps(draft_of(request, operation), sort_keys=True, default=str)
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO drafts (name, time, operation, request) "
                "VALUES (?, ?, ?, ?)",
                (name, self.history.clock(), operation, text),
            )

    def load(self, name: str = LAST, strict: bool = False) -> Draft | None:
        """The draft ``name``, its secrets removed (and named); None if there is none, or if
        what is stored is not a request of an operation the form composes, saved at a time
        (``strict``: ``UnreadableDraft`` then, for the caller to say so)."""
        rows = self.database.query(
            "SELECT time, operation, request FROM drafts WHERE name = ?", (name,)
        )
        if not rows:
            return None
        try:
            return _draft_of_row(*rows[0])
        except UnreadableDraft:
            if strict:
                raise
            return None

    def clear(self, name: str = LAST) -> None:
        """Forget the draft ``name`` (a form started over)."""
        with self.database.transaction() as db:
            db.execute("DELETE FROM drafts WHERE name = ?", (name,))
