"""What a check finds: ``Finding`` (path, severity, code, message), and the wording every check
shares: a value's JSON type in words (``describe``), a number for a message (``show_number``),
findings in the order people read them (``sort_findings``) and the errors among them.

Below both the model's checks (``validation.py``) and the rules (``rules.py``): each of them
speaks of findings, and neither needs the other to do so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .secrets import quote

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in a request: where (API member path), how bad, which rule, and what to do."""

    path: str
    severity: Severity
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path or '(request)'}: {self.severity} {self.code}: {self.message}"


_JSON_TYPE = {
    # what YAML's tags make, too: !!binary, !!timestamp, !!set
    bytes: "binary data",
    dt.date: "a date",
    dt.datetime: "a date and time",
    set: "a set",
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def describe(value: Any) -> str:
    return _JSON_TYPE.get(type(value), type(value).__name__)


def show_number(value: float) -> str:
    """A number for a message: ``6``, ``6.5``, ``1e+20``; a huge integer (no float holds it)
    quoted briefly."""
    try:
        return f"{value:g}"
    except OverflowError:
        return quote(value)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda f: (f.severity != "error", f.path, f.code))


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]
