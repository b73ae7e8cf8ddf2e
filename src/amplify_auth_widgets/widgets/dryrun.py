"""A fleet dry run, as a person reads it: each target's status with the reason beside it, and
what it would change as a table of settings by their labels, before and after.

``dry_run_html(results)`` takes ``fleet.apply``'s results frame (a dry run's: ``status``,
``findings``, ``error``, ``changes``). A target that ends ``INVALID`` shows its first error
findings in its row ("Minimum length (Password policy): ..."), or the error that stopped it;
the others show their changes, one row a setting: its label (``labels.label_for`` from the
service model, with the section it is in when labels repeat), the value before and after as
the user writes them (``8 → 14``, where the service answers ``8.0``; a secret only as hidden)
and the API path in the code font, so the raw path stays at hand. Every value is escaped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..core.model import FieldSpec, request_spec
from .codeview import scroll_box
from .html import escape
from .labels import label_for, words
from .style import job_colour

#: The status a target with error findings ends with (``fleet.rollout.Outcome.INVALID``).
INVALID = "INVALID"
#: How many findings an INVALID row shows; the rest are counted ("and 2 more").
REASONS_SHOWN = 3
#: How long a value may be in a cell before it is cut (the whole value is in the JSON tab).
VALUE_LIMIT = 200
#: The rows a dry run's table shows at most.
ROW_LIMIT = 200
#: What an absent side of a change shows.
NOT_SET = "(not set)"

#: ``str(Finding)``: "path: severity code: message" (``core.findings``), path "(request)"
#: when empty; codes are dotted words.
_FINDING = re.compile(
    r"^(?P<path>.*?): (?P<severity>error|warning) (?P<code>[\w.-]+): (?P<message>.*)$", re.S
)

#: The tables' look: cells at the top, text line spacing, a long value wrapped at its words
#: (break-word, which unlike anywhere leaves short words whole); a table wider than the panel
#: scrolls in its box (``scroll_box``), never cut off.
CSS = (
    "<style>.aaw-dry-run{border-collapse:collapse}"
    ".aaw-dry-run>tbody>tr>td,.aaw-dry-run>thead>tr>th{padding:4px 10px;text-align:left;"
    "vertical-align:top;line-height:1.4;border-bottom:1px solid var(--jp-border-color2)}"
    ".aaw-dry-run ul{margin:0;padding-left:1.2em}"
    ".aaw-changes{border-collapse:collapse}"
    ".aaw-changes td,.aaw-changes th{padding:1px 8px;text-align:left;vertical-align:top;"
    "line-height:1.4;overflow-wrap:break-word;max-width:28em}"
    ".aaw-changes code{font-family:var(--jp-code-font-family,monospace);"
    "font-size:var(--jp-code-font-size,13px)}</style>"
)


def show_value(value: Any) -> str:
    """A value as the user writes it: ``8`` for the service's ``8.0``, ``true``/``false``,
    a list's items comma-separated, a structure as compact JSON, absent as "(not set)"."""
    if value is None:
        return NOT_SET
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, int | float):
        text = repr(value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list | tuple):
        text = ", ".join(show_value(v) for v in value) or "(none)"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def setting_label(path: str, spec: FieldSpec | None) -> str:
    """The label of the member at ``path`` (below ``spec``), with its section's label when it
    is deeper than a section's own members ("Minimum length (Password policy)")."""
    steps = path.split(".")

    def label(at: list[str]) -> str:
        found = spec.find(".".join(at)) if spec is not None else None
        return label_for(found) if found is not None else words(at[-1])

    shown = label(steps)
    if len(steps) >= 3:
        shown = f"{shown} ({label(steps[:-1])})"
    return shown


def changes_html(changes: list[Any], spec: FieldSpec | None) -> str:
    """A target's changes as a table: setting, before, after, API path."""
    if not changes:
        return "<i>no change</i>"
    rows = []
    for path, before, after in changes:
        rows.append(
            f'<tr><th scope="row">{escape(setting_label(path, spec))}</th>'
            f"<td>{escape(show_value(before))}</td>"
            f'<td><span aria-hidden="true">→ </span>{escape(show_value(after))}</td>'
            f"<td><code>{escape(path).replace('.', '.<wbr>')}</code></td></tr>"
        )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Setting", "Before", "After", "API path"))
    return (
        f'<table class="aaw-changes"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def reason_html(row: dict[str, Any], spec: FieldSpec | None) -> str:
    """Why a target is not sent, beside its status: its first error findings by label and
    message (the API path as the item's title), or the error that stopped it."""
    items = []
    for text in _errors_of(row.get("findings")):
        match = _FINDING.match(text)
        if match is None:
            items.append((text, ""))
            continue
        path = match["path"]
        items.append((f"{_finding_label(path, spec)}: {match['message']}", path))
    if not items:
        error = row.get("error")
        return "" if _missing(error) else escape(str(error))
    shown = "".join(
        f'<li title="{escape(path)}">{escape(text)}</li>' for text, path in items[:REASONS_SHOWN]
    )
    more = len(items) - REASONS_SHOWN
    extra = f"<li>and {more} more</li>" if more > 0 else ""
    return f"<ul>{shown}{extra}</ul>"


def _finding_label(path: str, spec: FieldSpec | None) -> str:
    """A finding's path (the request's: ``ResourceConfig.UserPoolConfigs...``) as a label,
    named as the changes name it (below ``ResourceConfig``)."""
    if path == "(request)":
        return "The request"
    inner = path.removeprefix("ResourceConfig.")
    if inner == path or spec is None:
        return setting_label(path, spec)
    return setting_label(inner, spec.member("ResourceConfig"))


def dry_run_html(results: Any, limit: int = ROW_LIMIT) -> str:
    """The dry run: a row a target with its status, the reason beside an INVALID one, and the
    table of what it would change."""
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("App", "Environment", "Operation", "Status", "Reason", "Changes")
    )
    rows = []
    records = results.to_dict("records")
    for row in records[:limit]:
        status = "" if _missing(row.get("status")) else str(row["status"])
        spec = _spec(row.get("operation"))
        config = spec.member("ResourceConfig") if spec is not None else None
        changes = "" if status == INVALID else changes_html(_list(row.get("changes")), config)
        cells = [
            escape(_text(row.get("app_id"))),
            escape(_text(row.get("environment"))),
            escape(_text(row.get("operation"))),
            f'<b style="color:{job_colour(status)}">{escape(status)}</b>',
            reason_html(row, spec),
            changes,
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    more = len(records) - limit
    table = (
        '<table class="aaw-dry-run"><caption>Dry run: what Apply would send, a row per '
        f"target</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return (
        CSS
        + scroll_box(table, "Dry run")
        + (f"<i>{more} more rows not shown</i>" if more > 0 else "")
    )


def invalid_targets(results: Any) -> list[str]:
    """The targets of ``results`` that ended INVALID, as "app / environment"."""
    return [
        f"{_text(row.get('app_id'))} / {_text(row.get('environment'))}"
        for row in results.to_dict("records")
        if str(row.get("status")) == INVALID
    ]


def _errors_of(findings: Any) -> list[str]:
    """The error findings' texts, in their order (the frame holds them sorted, errors first)."""
    return [f for f in _list(findings) if isinstance(f, str) and ": error " in f]


def _spec(operation: Any) -> FieldSpec | None:
    """The request spec of ``operation`` (None when there is no such operation)."""
    try:
        return request_spec(str(operation)) if not _missing(operation) else None
    except Exception:  # an operation the model does not have: paths are shown in words
        return None


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _missing(value: Any) -> bool:
    """None, NaN (not equal to itself) or pandas' NA (whose truth raises)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value)
