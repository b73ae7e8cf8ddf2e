"""The difference between two configurations, member by member, by API path."""

from __future__ import annotations

from typing import Any

from .secrets import HIDDEN, contains_secret, is_secret_path, quote

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "(absent)"})()


def config_diff(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """``(path, old, new)`` for every leaf that differs; absent members are ``ABSENT``.

    Objects are compared member by member; lists and scalars as whole values.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[tuple[str, Any, Any]] = []
        for key in list(old) + [k for k in new if k not in old]:
            child = f"{path}.{key}" if path else key
            changes += config_diff(old.get(key, ABSENT), new.get(key, ABSENT), child)
        return changes
    if old == new and isinstance(old, bool) == isinstance(new, bool):
        return []
    return [(path, old, new)]


def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """``update`` merged into ``base``: objects merge member by member, the rest replaces.

    This is how UpdateBackendAuth applies a partial configuration to the stored one.
    """
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def prune(value: Any, spec: Any) -> tuple[Any, list[str]]:
    """``value`` without the members ``spec`` (a FieldSpec) does not define, and their paths."""
    if not (isinstance(value, dict) and spec.is_structure):
        return value, []
    kept: dict[str, Any] = {}
    removed: list[str] = []
    for key, item in value.items():
        member = spec.member(key)
        if member is None:
            removed.append(f"{spec.path}.{key}" if spec.path else key)
        else:
            kept[key], below = prune(item, member)
            removed += below
    return kept, removed


def describe_change(path: str, old: Any, new: Any, include_secrets: bool = False) -> str:
    """One line a person can read: ``path: old -> new`` (secrets shown as changed or not).

    A change at or under a secret path, or whose values hold a secret member, is never quoted,
    whatever the values' shape or spelling, unless ``include_secrets``."""
    secret = is_secret_path(path) or contains_secret(old) or contains_secret(new)
    if secret and not include_secrets:
        if old is ABSENT:
            return f"{path}: set (secret)"
        return f"{path}: removed (secret)" if new is ABSENT else f"{path}: changed (secret)"
    show = repr if include_secrets else quote
    if old is ABSENT:
        return f"{path}: added {show(new)}"
    if new is ABSENT:
        return f"{path}: removed (was {show(old)})"
    return f"{path}: {show(old)} -> {show(new)}"


def shown_values(path: str, old: Any, new: Any) -> tuple[Any, Any]:
    """``old`` and ``new`` as a table of changes may show them: an absent side as None, and
    both as ``HIDDEN`` (an absent side still None) for a change ``describe_change`` would
    not quote: at or under a secret path, or of values holding a secret member."""
    if is_secret_path(path) or contains_secret(old) or contains_secret(new):
        old, new = (v if v is ABSENT else HIDDEN for v in (old, new))
    return (None if old is ABSENT else old), (None if new is ABSENT else new)
