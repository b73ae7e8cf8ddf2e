"""Drift between audits: each audit saved with its time, and what changed since.

``Fleet.audit(..., save=True)`` (and ``fleet.audit(..., save=True)``, ``amplify-auth fleet
audit --save``) keeps the audit in the history's SQLite file (``jobs.audits``): a row per
environment with every field the audit read, but secrets, which are kept as keyed digests
only. ``drift(since=...)`` compares saved audits and returns a row per field that changed per
environment: ``field``, ``before``, ``after`` and ``when`` (the time of the audit that saw
the change), with the environment's ``account_id``, ``region``, ``app_id``, ``app_name`` and
``environment``. A secret that changed is one row whose ``after`` is ``"changed"``: its value
is never stored, so never shown. An environment that appears or disappears between two whole
audits of its account and region is one row of field ``(environment)``, from ``absent`` to
``present`` or back.

What is compared: every column of the audit but the ones that follow from the configuration
(its findings, checks and Gen 2 code: ``DERIVED``), so a change shows once, as the field
that changed. Each environment is compared with its own previous saved state, so audits of
different accounts, regions or apps saved at different times compare correctly.

``since`` says from when: None (the default) compares the latest saved audit of each account
and region (an audit of several connections saves one each) with each environment's state
before it; a time (a ``datetime``, epoch seconds, ISO 8601 text such as
``2026-03-01T08:00Z``) or a span ago (a ``timedelta``, or text such as ``7d``, ``12h``,
``30m``) reports every change seen by an audit saved after it, each against the state before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..core.model import REDACTED
from ..core.secrets import is_secret_name
from ..jobs.audits import ROW_KEY, AuditStore
from ..jobs.history import JobHistory, parse_time
from .checks import CHECK_PREFIX, FAILED_COLUMN

if TYPE_CHECKING:
    import pandas as pd

#: An audit row's private member (never a frame column): its secrets' digests by field.
SECRET_DIGESTS = "secret_digests"
#: Columns not compared: they follow from the configuration, whose own change is reported.
DERIVED = frozenset({"gen2", "errors", "warnings", "finding_codes", FAILED_COLUMN, "weak"})
#: The prefix of derived columns too: a named check's verdict (``fleet.checks``).
DERIVED_PREFIX = CHECK_PREFIX
#: The field of a row that says an environment appeared or disappeared, and its two states.
ENVIRONMENT_FIELD = "(environment)"
ABSENT, PRESENT = "absent", "present"
#: What a changed secret shows instead of its values.
SECRET_CHANGED = "changed"
#: The drift frame's columns.
DRIFT_COLUMNS = (*ROW_KEY[:3], "app_name", "environment", "field", "before", "after", "when")
#: Saved rows by their environment's key (``ROW_KEY``).
Rows = dict[tuple[Any, ...], dict[str, Any]]
#: How many whole audits back an environment of an app that could not be listed is looked for.
_KNOWN_DEPTH = 3
_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.ASCII)
_SPAN_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def secret_digests(config: dict[str, Any], history: JobHistory, prefix: str = "") -> dict[str, str]:
    """The keyed digest of every secret in ``config`` (a ``ResourceConfig``), by its dotted
    field as the audit names it; a secret that is None or absent has none."""
    digests: dict[str, str] = {}
    for key, value in config.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            digests.update(secret_digests(value, history, path + "."))
        elif is_secret_name(key) and value is not None:
            digests[path] = history.request_hash("secret", {"field": path, "value": value})
    return digests


def save_audit(
    history: JobHistory,
    frame: pd.DataFrame,
    digests: dict[tuple[Any, Any], dict[str, str]] | None = None,
    *,
    apps: Iterable[str] | None = None,
    environments: Iterable[str] | None = None,
    where: Iterable[tuple[str | None, str | None]] = (),
) -> int:
    """Save ``frame`` (an audit) in ``history``'s file at ``history.clock()``; returns its id.
    ``digests`` are its secrets' (by ``(app_id, environment)``, see ``secret_digests``);
    ``apps`` and ``environments`` the filters it was read with (a filtered audit says
    nothing about environments it did not read); ``where`` the accounts and regions it read
    (an account and region without apps is read all the same: its environments are gone),
    besides those of its rows."""
    records = [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]
    _fill_location(records)
    rows = []
    for record in records:
        fields = {
            name: value
            for name, value in record.items()
            if name not in DERIVED
            and not name.startswith(DERIVED_PREFIX)
            and name not in ROW_KEY
            and value is not None
            and not _is_secret_column(name)
        }
        secrets = (digests or {}).get((record.get("app_id"), record.get("environment")), {})
        rows.append({**{k: record.get(k) for k in ROW_KEY}, "fields": fields, "secrets": secrets})
    scope = {
        "apps": sorted(apps) if apps is not None else None,
        "environments": sorted(environments) if environments is not None else None,
        "where": sorted(
            {(r["account_id"] or "", r["region"] or "") for r in rows}
            | {(account or "", region or "") for account, region in where}
        ),
    }
    return AuditStore(history).save(rows, history.clock(), scope)


def _plain(value: Any) -> Any:
    """A frame's cell as JSON: None for a missing value, Python numbers (whole ones as
    integers), lists of them."""
    if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":
        return [_plain(v) for v in value]
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None  # (pd.NA first: it has no truth value)
    if isinstance(value, float) and value != value:  # NaN
        return None
    item = getattr(value, "item", None)
    value = item() if callable(item) and not isinstance(value, str) else value
    # a whole number the frame typed as a float (a password's length) is that number
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _fill_location(records: list[dict[str, Any]]) -> None:
    """Give a row without an account or region its app's (another environment of the app
    deployed there), so that an environment keeps its identity when its auth is deployed."""
    where: dict[Any, tuple[Any, Any]] = {}
    for record in records:
        if record.get("account_id") or record.get("region"):
            where.setdefault(record.get("app_id"), (record.get("account_id"), record.get("region")))
    for record in records:
        if not (record.get("account_id") or record.get("region")):
            record["account_id"], record["region"] = where.get(record.get("app_id"), (None, None))


def _is_secret_column(name: str) -> bool:
    return is_secret_name(name.rsplit(".", 1)[-1])


def parse_since(since: Any, now: float, name: str = "since") -> float | None:
    """``since`` (or ``until``) as epoch seconds: None, a datetime (naive ones are UTC), epoch
    seconds, a timedelta ago, or text (ISO 8601, or a span ago: ``7d``, ``12h``, ``30m``)."""
    if since is None:
        return None
    if isinstance(since, dt.timedelta):
        return now - since.total_seconds()
    if isinstance(since, dt.datetime):
        stamp = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
        return stamp.timestamp()
    if isinstance(since, int | float) and not isinstance(since, bool):
        return float(since)
    if isinstance(since, str):
        span = _SPAN.match(since)
        if span:
            return now - float(span[1]) * _SPAN_SECONDS[span[2]]
        if re.match(r"^\s*\d{4}-\d\d-\d\d", since, re.ASCII):
            value = parse_time(since.strip())
            if value is not None:
                return value
    raise ValueError(
        f"{name}: {since!r} is not a time: give an ISO 8601 time (2026-03-01 or "
        "2026-03-01T08:00Z), epoch seconds, a datetime, or a span ago (7d, 12h, 30m, 45s, 2w)"
    )


def saved_audits(history: JobHistory | None = None) -> pd.DataFrame:
    """Every saved audit of ``history`` (the user's file by default), oldest first: ``id``,
    ``time`` (UTC), ``environments`` (how many it read), ``where`` (the accounts and regions
    it read, as ``account/region`` text, ``?`` for one unknown) and ``filtered`` (read with
    ``apps`` or ``environments``: it says nothing of the environments it left out)."""
    import pandas as pd  # deferred: slow to import

    audits = AuditStore(history or JobHistory.from_environment()).audits()
    frame = pd.DataFrame(
        [
            {
                "id": a["id"],
                "time": a["time"],
                "environments": a["environments"],
                "where": [f"{w[0] or '?'}/{w[1] or '?'}" for w in _where(a)],
                "filtered": _filtered(a),
            }
            for a in audits
        ],
        columns=["id", "time", "environments", "where", "filtered"],
    )
    frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
    frame["filtered"] = frame["filtered"].astype(bool)
    return frame


def baseline_time(history: JobHistory | None = None) -> pd.Timestamp | None:
    """Since when ``drift()`` reports by default: for each account and region, the audit
    before its latest; the earliest of those (UTC), None when none has one (a first audit)."""
    import pandas as pd  # deferred: slow to import

    times: dict[tuple[tuple[str, ...], ...], list[float]] = {}
    for audit in AuditStore(history or JobHistory.from_environment()).audits():
        times.setdefault(_where(audit), []).append(audit["time"])
    before = [found[-2] for found in times.values() if len(found) > 1]
    return pd.Timestamp(min(before), unit="s", tz="UTC") if before else None


def _filtered(audit: dict[str, Any]) -> bool:
    scope = audit["scope"]
    return scope.get("apps") is not None or scope.get("environments") is not None


def drift(
    since: Any = None, until: Any = None, *, history: JobHistory | None = None
) -> pd.DataFrame:
    """Every field that changed per environment between saved audits (see the module): the
    changes seen by audits saved after ``since`` and at or before ``until`` (default: now),
    each against the environment's previous saved state."""
    history = history or JobHistory.from_environment()
    store = AuditStore(history)
    now = history.clock()
    start, end = parse_since(since, now), parse_since(until, now, "until")
    audits = [a for a in store.audits() if end is None or a["time"] <= end]
    if start is None:  # the latest audit of each account and region (one a connection)
        latest = {_where(a): a for a in audits}
        window = sorted(latest.values(), key=lambda a: (a["time"], a["id"]))
        chosen = {a["id"] for a in window}
        before = [a for a in audits if a["id"] not in chosen]
    else:
        window = [a for a in audits if a["time"] > start]
        before = [a for a in audits if a["time"] <= start]
    changes: list[dict[str, Any]] = []
    good, last = _baseline(store, before, window)
    previous_whole = [a for a in before if not _filtered(a)]
    present: dict[int, Rows] = {}  # the environments each whole audit of the window knew of
    for audit in window:
        rows = store.rows(audit["id"])
        for row in rows:
            if row["environment"] is not None:  # (an app whose listing failed: no identity)
                changes += _row_changes(good, last, row, audit["time"])
        if not _filtered(audit):
            whole = _last_overlapping(previous_whole, audit)
            old = None if whole is None else _known(store, previous_whole, whole, present)
            found, present[audit["id"]] = _presence_changes(old, rows, audit)
            changes += found
            previous_whole.append(audit)
    return _drift_frame(changes)


def _row_changes(good: Rows, last: Rows, row: dict[str, Any], when: float) -> list[dict[str, Any]]:
    """An environment's changes in a new ``row``: its error against its last read, its fields
    against its last good read (a read that failed says nothing of its configuration: a
    throttled read is not a configuration removed). Both states move on."""
    key = _key(row)
    changes = []
    if key in last:
        was, now = last[key]["fields"].get("error"), row["fields"].get("error")
        if was != now:
            changes.append(_change(row, "error", was, now, when))
    if _readable(row) and key in good:
        changes += _field_changes(good[key], row, when)
    last[key] = row
    if _readable(row):
        good[key] = row
    return changes


def _where(audit: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The accounts and regions an audit read, as a key."""
    return tuple(tuple(w) for w in audit["scope"].get("where", []))


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(k) for k in ROW_KEY)


def _baseline(
    store: AuditStore, before: list[dict[str, Any]], window: list[dict[str, Any]]
) -> tuple[dict[tuple[Any, ...], dict[str, Any]], dict[tuple[Any, ...], dict[str, Any]]]:
    """Each environment of the ``window``'s audits as the audits before it last read it well
    (``good``) and last tried (``last``): they are read newest first, only until every
    environment has both."""
    wanted = {_key(r) for a in window for r in store.rows(a["id"])}
    good: dict[tuple[Any, ...], dict[str, Any]] = {}
    last: dict[tuple[Any, ...], dict[str, Any]] = {}
    for audit in reversed(before):
        if len(good) == len(wanted):
            break
        for row in store.rows(audit["id"]):
            key = _key(row)
            if key not in wanted or row["environment"] is None:
                continue
            last.setdefault(key, row)
            if _readable(row):
                good.setdefault(key, row)
    return good, last


def _readable(row: dict[str, Any]) -> bool:
    """Whether the audit read the environment (a row with an error says nothing of its
    configuration: a throttled read is not a configuration removed)."""
    return not row["fields"].get("error")


def _field_changes(old: dict[str, Any], new: dict[str, Any], when: float) -> list[dict[str, Any]]:
    """The fields (and secrets) of an environment that differ between two rows read well."""
    changes = []
    before, after = old["fields"], new["fields"]
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            changes.append(_change(new, name, before.get(name), after.get(name), when))
    old_secrets, new_secrets = old["secrets"], new["secrets"]
    for name in sorted(set(old_secrets) | set(new_secrets)):
        if old_secrets.get(name) != new_secrets.get(name):
            was = REDACTED if name in old_secrets else None
            now = SECRET_CHANGED if name in new_secrets else None
            changes.append(_change(new, name, was, now, when))
    return changes


def _last_overlapping(audits: list[dict[str, Any]], audit: dict[str, Any]) -> int | None:
    """The index of the latest of ``audits`` that read one of the accounts and regions
    ``audit`` read (None: none did)."""
    where = {tuple(w) for w in audit["scope"].get("where", [])}
    for index in range(len(audits) - 1, -1, -1):
        if {tuple(w) for w in audits[index]["scope"].get("where", [])} & where:
            return index
    return None


def _known(
    store: AuditStore,
    wholes: list[dict[str, Any]],
    index: int,
    present: dict[int, Rows],
    depth: int = _KNOWN_DEPTH,
) -> Rows:
    """The environments the whole audit ``wholes[index]`` knew of: those it read, and those
    of an app whose environments it could not list as the whole audit before knew them
    (``depth`` audits back at most)."""
    audit = wholes[index]
    if audit["id"] in present:
        return present[audit["id"]]
    rows = store.rows(audit["id"])
    old = None
    if depth > 0 and any(r["environment"] is None for r in rows):
        earlier = _last_overlapping(wholes[:index], audit)
        if earlier is not None:
            old = _known(store, wholes, earlier, present, depth - 1)
    _, present[audit["id"]] = _presence_changes(old, rows, audit)
    return present[audit["id"]]


def _environments(rows: list[dict[str, Any]]) -> Rows:
    """The rows of ``rows`` that name an environment, by its key."""
    return {_key(r): r for r in rows if r["environment"] is not None}


def _presence_changes(
    old: Rows | None, new_rows: list[dict[str, Any]], audit: dict[str, Any]
) -> tuple[list[dict[str, Any]], Rows]:
    """Environments of the accounts and regions ``audit`` read that the whole audit before
    (``old``, None: none) knew of and it lacks, or the reverse; and the environments it knows
    of: those it read, and those of an app whose environments it could not list, as known."""
    where = {tuple(w) for w in audit["scope"].get("where", [])}
    unlisted = {_key(r)[:3] for r in new_rows if r["environment"] is None}
    new = _environments(new_rows)
    new |= {k: r for k, r in (old or {}).items() if k[:3] in unlisted and k not in new}
    if old is None:
        return [], new
    old = {k: r for k, r in old.items() if (k[0] or "", k[1] or "") in where}
    here = {k: r for k, r in new.items() if (k[0] or "", k[1] or "") in where}
    when = audit["time"]
    gone = [
        _change(old[k], ENVIRONMENT_FIELD, PRESENT, ABSENT, when) for k in old.keys() - here.keys()
    ]
    came = [
        _change(here[k], ENVIRONMENT_FIELD, ABSENT, PRESENT, when) for k in here.keys() - old.keys()
    ]
    return gone + came, new


def _change(
    row: dict[str, Any], field: str, before: Any, after: Any, when: float
) -> dict[str, Any]:
    return {
        **{k: row.get(k) for k in ROW_KEY},
        "app_name": row["fields"].get("app_name"),
        "field": field,
        "before": before,
        "after": after,
        "when": when,
    }


def _drift_frame(changes: list[dict[str, Any]]) -> pd.DataFrame:
    """The changes as a frame: names as ``string``, ``when`` a UTC time, values as they were
    (numbers, text, lists), in time order, then by environment and field."""
    import pandas as pd  # deferred: slow to import

    changes.sort(
        key=lambda c: (
            c["when"],
            *(str(c[k] or "") for k in ("account_id", "region", "app_id", "environment")),
            c["field"] != ENVIRONMENT_FIELD,
            c["field"],
        )
    )
    frame = pd.DataFrame(changes, columns=list(DRIFT_COLUMNS))
    for name in (*ROW_KEY, "app_name", "field"):
        frame[name] = frame[name].astype("string")
    for name in ("before", "after"):  # (as they were: None stays None, never NaN)
        frame[name] = pd.Series([c[name] for c in changes], index=frame.index, dtype=object)
    frame["when"] = pd.to_datetime(frame["when"], unit="s", utc=True)
    return frame
