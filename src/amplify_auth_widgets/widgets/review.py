"""What an Update will do, in words, before it is sent.

UpdateBackendAuth merges the request into the stored configuration: a member left out keeps its
stored value. So removing a social provider, switching a section off or clearing a setting in
the form cannot be expressed by an update; the review says so in plain words for each, with
what to do instead, rather than showing "no change" and dropping the user's intent.
"""

from __future__ import annotations

from typing import Any

from ..core.diff import config_diff, deep_merge, describe_change, prune
from ..core.model import FieldSpec
from ..core.secrets import is_secret_name, quote
from .html import escape
from .labels import label_for

INSTEAD = "to do that, delete the auth resource and create it again without it"


def _label(spec: FieldSpec | None, path: str) -> str:
    sub = spec.find(path.split(".", 1)[1]) if spec is not None and "." in path else None
    return label_for(sub) if sub is not None else path.rsplit(".", 1)[-1]


def _shown(value: Any) -> Any:
    """A whole number the service returned as a double (``10.0``) shown as the form shows it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def change_line(spec: FieldSpec | None, path: str, old: Any, new: Any) -> str:
    """One change as a list item: the setting's label, what it goes from and to (a secret only
    as changed), the API path in the tooltip."""
    text = describe_change(path, _shown(old), _shown(new))
    parts = path.split(".")
    where = _label(spec, path)
    if len(parts) > 3:  # the section it is in, for labels several sections share
        where = f"{where} ({_label(spec, '.'.join(parts[:-1]))})"
    return f'<li title="{escape(path)}">{escape(where)}{escape(text[len(path) :])}</li>'


def not_expressible(
    current: dict[str, Any], proposed: dict[str, Any], spec: FieldSpec | None, path: str
) -> list[str]:
    """Sentences for what the form removed but an update would keep."""
    lines: list[str] = []
    for key, old in current.items():
        child = f"{path}.{key}"
        if key in proposed:
            if isinstance(old, dict) and isinstance(proposed[key], dict):
                lines += not_expressible(old, proposed[key], spec, child)
            continue
        label = _label(spec, child)
        if key == "SocialProviderSettings" and isinstance(old, dict):
            # the last provider card removed: each provider stays, and is named
            lines += not_expressible(old, {}, spec, child)
        elif path.endswith("SocialProviderSettings"):
            lines.append(
                f"{label} stays a sign-in option: an update cannot remove a social provider "
                f"({INSTEAD})."
            )
        elif isinstance(old, dict):
            lines.append(
                f"{label} stays switched on as it is: an update cannot switch a section off "
                f"({INSTEAD})."
            )
        else:
            shown = "its secret value" if is_secret_name(key) else quote(old, child)
            lines.append(
                f"{label} keeps {shown}: an update cannot clear a setting ({INSTEAD}, or set "
                "another value)."
            )
    return lines


def update_review(
    current: dict[str, Any] | None, proposed: dict[str, Any], spec: FieldSpec | None = None
) -> str:
    """The confirmation text for an update (HTML): changes path by path, and what stays.

    ``spec`` is the operation's ``ResourceConfig`` spec: what it lacks is not compared.
    """
    if current is None:
        return (
            "<b>Update</b>: the current configuration is not loaded (use Load current to see "
            "what changes). Send the update?"
        )
    if spec is not None:
        current, _ = prune(current, spec)
        proposed, _ = prune(proposed, spec)
    merged = deep_merge(current, proposed)
    changes = [change_line(spec, *c) for c in config_diff(current, merged, "ResourceConfig")]
    kept = not_expressible(current, proposed, spec, "ResourceConfig")
    items = "".join(changes)
    if not changes:
        items = "<li>No setting changes: the update sends what is already there.</li>"
    text = f"<b>Update</b>: what changes, setting by setting:<ul>{items}</ul>"
    if kept:
        rows = "".join(f'<li class="aaw-kept">{escape(k)}</li>' for k in kept)
        text += f"<b>Not done by an update</b> (the service keeps these):<ul>{rows}</ul>"
    return text
