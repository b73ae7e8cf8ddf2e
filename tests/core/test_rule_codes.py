"""The rule table in docs/ and the codes the package emits agree, both ways."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "amplify_auth_widgets"
CODE = r"(?:model|cognito|amplify)\.[a-z0-9-]+(?:\.[a-z0-9-]+)*"


def documented(name: str) -> set[str]:
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    return set(re.findall(rf"^\| ({CODE}) \|", text, re.MULTILINE))


def emitted() -> set[str]:
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "Finding" not in path.read_text(encoding="utf-8"):
            continue  # only modules that make findings carry codes
        codes |= set(re.findall(rf"[\"']({CODE})[\"']", path.read_text(encoding="utf-8")))
    return codes


def test_the_table_is_read() -> None:
    table = documented("rules.md")
    assert {"model.required", "cognito.password-length", "amplify.deprecated"} <= table
    assert len(table) >= 25


def test_every_rule_of_the_table_is_implemented() -> None:
    assert documented("rules.md") - emitted() == set()


def test_every_emitted_code_is_documented() -> None:
    known = documented("rules.md") | documented("rules-project.md")
    assert emitted() - known == set()
