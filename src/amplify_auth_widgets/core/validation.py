"""Validation of a request against the service model and the rules the model lacks.

``validate(request, operation)`` returns every ``Finding`` at once, never the first alone, and
never raises for any input: the UI, the CLI and the emulator render the same plain data.

Model checks walk the request beside the field-spec tree and dispatch on the spec's type name
(``_check_structure``, ``_check_string``, ...), like botocore's ``ParamValidator``, but stricter:
they also check enum values (botocore does not) and refuse ``true``/``false`` where the model
wants a number (botocore lets a Python ``bool`` through as an ``int``). The Cognito and Amplify
rules of docs/rules.md live in ``rules.py`` and run on the same request afterwards; what a
finding is, in ``findings.py``.
"""

from __future__ import annotations

import math
from typing import Any

from .findings import Finding, describe, show_number, sort_findings
from .model import SERVICE_NAME, FieldSpec, join_path, request_spec
from .rules import rule_findings
from .secrets import quote

_EXPECTED = {
    "structure": "an object",
    "list": "a list",
    "string": "a string",
    "boolean": "true or false",
    "double": "a number",
    "float": "a number",
    "integer": "a whole number",
    "long": "a whole number",
}


class _ModelChecker:
    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.findings: list[Finding] = []

    def report(self, path: str, code: str, message: str) -> None:
        self.findings.append(Finding(path, "error", code, message))

    def check(self, value: Any, spec: FieldSpec, path: str) -> None:
        handler = getattr(self, f"_check_{spec.type}", None)
        if handler is not None:
            handler(value, spec, path)

    def _wrong_type(self, value: Any, spec: FieldSpec, path: str) -> None:
        expected = _EXPECTED[spec.type]  # every type with a checker is there
        shown = f" ({quote(value, path, self.operation)})"
        self.report(
            path,
            "model.type",
            f"{spec.name} must be {expected}, not {describe(value)}{shown}.",
        )

    def _check_structure(self, value: Any, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, dict):
            self._wrong_type(value, spec, path)
            return
        for key, member_value in value.items():
            member = spec.member(key)  # None for a key no member has, a str or not
            member_path = join_path(path, str(key))
            if member is None:
                self.report(
                    member_path,
                    "model.unknown",
                    f"{spec.name} has no member {quote(key)}; "
                    f"it takes {_names(spec.member_names)}.",
                )
            else:
                self.check(member_value, member, member_path)
        for member in spec.members:
            if member.required and member.name not in value:
                where = f" in {spec.name}" if path else ""
                self.report(
                    join_path(path, member.name),
                    "model.required",
                    f"{member.name} is required{where}; add it.",
                )

    def _check_list(self, value: Any, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, list | tuple):
            self._wrong_type(value, spec, path)
            return
        self._check_range(len(value), spec, path, "items")
        assert spec.item is not None
        for i, item in enumerate(value):
            self.check(item, spec.item, f"{path}[{i}]")

    def _check_string(self, value: Any, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, str):
            self._wrong_type(value, spec, path)
            return
        if not _is_text(value):
            self.report(path, "input.unicode", _not_text(value, spec.name))
            return
        if spec.enum and value not in spec.enum:
            self.report(
                path,
                "model.enum",
                f"{quote(value, path, self.operation)} is not a valid {spec.name}; "
                f"choose one of {_names(spec.enum)}.",
            )
        self._check_range(len(value), spec, path, "characters")

    def _check_boolean(self, value: Any, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, bool):
            self._wrong_type(value, spec, path)

    def _check_double(self, value: Any, spec: FieldSpec, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._wrong_type(value, spec, path)
        elif isinstance(value, float) and not math.isfinite(value):
            self.report(path, "model.type", f"{spec.name} must be a finite number.")
        else:
            self._check_range(value, spec, path, "")

    _check_float = _check_double

    def _check_integer(self, value: Any, spec: FieldSpec, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong_type(value, spec, path)
        else:
            self._check_range(value, spec, path, "")

    _check_long = _check_integer

    def _check_range(self, size: float, spec: FieldSpec, path: str, unit: str) -> None:
        low, high = spec.min, spec.max
        if (low is not None and size < low) or (high is not None and size > high):
            bounds = f"from {low:g}" if low is not None else ""
            if high is not None:
                bounds += f"{' ' if bounds else ''}to {high:g}"
            what = f"{spec.name} takes {bounds} {unit}".rstrip()
            self.report(path, "model.range", f"{what}; it has {show_number(size)}.")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_text(value: str, name: str) -> str:
    """What to say of a string holding a lone surrogate (as JSON's ``"\\ud800"`` can bring
    in): not Unicode text, so no file, request or store can hold it."""
    bad = next(c for c in value if "\ud800" <= c <= "\udfff")
    return (
        f"{name} holds a lone surrogate ({bad.encode('unicode_escape').decode()}), which is "
        "not Unicode text and cannot be sent or written; use the character it stands for, "
        "or its pair."
    )


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names) if names else "nothing"


def model_findings(
    request: Any, operation: str = "CreateBackendAuth", service: str = SERVICE_NAME
) -> list[Finding]:
    """Only the checks the service model supports: required, type, enum, unknown, range; and
    that each string is Unicode text (``input.unicode``: no lone surrogate), which any request
    must be to be sent at all."""
    if not isinstance(request, dict):
        return [
            Finding(
                "",
                "error",
                "model.type",
                f"The request must be an object, not {describe(request)}.",
            )
        ]
    checker = _ModelChecker(operation)
    checker.check(request, request_spec(operation, service), "")
    return checker.findings


def validate(request: Any, operation: str = "CreateBackendAuth") -> list[Finding]:
    """Every finding for ``request`` as ``operation`` would take it: errors first, by path."""
    findings = model_findings(request, operation)
    if isinstance(request, dict):
        findings.extend(rule_findings(request, operation, findings))
    return sort_findings(findings)
