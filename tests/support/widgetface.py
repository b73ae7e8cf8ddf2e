"""A widget as a person first meets it, for the tests that compare a panel's controls with a
table of what each should show (its kind, label, hint, icon, options, state)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w


def as_shown(widget: w.Widget, keys: Any) -> dict[str, Any]:
    """``widget``'s kind and the traits named by ``keys`` (lists and tuples as tuples)."""
    shown: dict[str, Any] = {"kind": type(widget).__name__}
    for key in keys:
        if key != "kind":
            value = getattr(widget, key)
            shown[key] = tuple(value) if isinstance(value, (list, tuple)) else value
    return shown
