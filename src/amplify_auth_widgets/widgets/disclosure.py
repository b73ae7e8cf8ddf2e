"""Which findings a person sees, and where: not a wall of red before anything is typed.

A finding shows once the member it is about was touched (edited, or given in a value that
was set, loaded or uploaded) or once a send was attempted (``reveal_all``). It shows on the
field at its path, or on the nearest field a person can see (a member of a switched-off
structure shows on the structure's switch). Some findings come with a fix the editor offers
as a button (``FIXES``); applying it is the user's choice, never done silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.findings import Finding
from ..core.rules import strip_pem_armor
from .form import StructureField

#: Fixes offered beside a finding: rule code -> (button label, value -> fixed value).
FIXES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "cognito.apple-private-key": ("Remove the BEGIN/END lines", strip_pem_armor),
}


def leaf_paths(value: Any, path: str = "") -> list[str]:
    """The API path of every value given in ``value`` (an empty object counts as one)."""
    if not isinstance(value, dict) or not value:
        return [path] if path else []
    found: list[str] = []
    for key, item in value.items():
        found += leaf_paths(item, f"{path}.{key}" if path else key)
    return found


def fix_for(findings: list[Finding]) -> tuple[str | None, Callable[[Any], Any] | None]:
    for finding in findings:
        if finding.code in FIXES:
            return FIXES[finding.code]
    return None, None


class Disclosure:
    """The touched members and whether a send was attempted."""

    def __init__(self) -> None:
        self.touched: set[str] = set()
        self.reveal_all = False

    def given(self, value: Any) -> None:
        """A whole value was set: what it holds counts as touched, nothing else."""
        self.touched = set(leaf_paths(value))
        self.reveal_all = False

    def touch(self, path: str) -> None:
        self.touched.add(path)

    def shown(self, finding: Finding, where: str) -> bool:
        if self.reveal_all:
            return True
        path = finding.path.split("[", 1)[0]
        return any(p in (path, where) or p.startswith(where + ".") for p in self.touched)

    @staticmethod
    def field_for(path: str, fields: dict[str, Any], root: Any) -> Any:
        """The field that shows a finding at ``path``."""
        path = path.split("[", 1)[0]
        while path and path not in fields:
            path = path.rsplit(".", 1)[0] if "." in path else ""
        steps = path.split(".") if path else []
        for i in range(1, len(steps)):
            ancestor = fields.get(".".join(steps[:i]))
            if isinstance(ancestor, StructureField) and not ancestor.control.value:
                return ancestor
        return fields.get(path, root)

    def place(
        self, findings: list[Finding], fields: dict[str, Any], root: Any
    ) -> tuple[dict[str, list[Finding]], list[Finding]]:
        """The findings to show, by the path of the field that shows them, and in order."""
        per_field: dict[str, list[Finding]] = {}
        shown: list[Finding] = []
        for finding in findings:
            where = self.field_for(finding.path, fields, root).path
            if self.shown(finding, where):
                per_field.setdefault(where, []).append(finding)
                shown.append(finding)
        return per_field, shown
