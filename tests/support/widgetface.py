"""A widget as a person first meets it, for the tests that compare a panel's controls with a
table of what each should show (its kind, label, hint, icon, options, state); the editor's
to-do items as a person reads them, the focus a widget asks its view for, and a file uploaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w
import pytest

from amplify_auth_widgets import AuthConfigEditor


def as_shown(widget: w.Widget, keys: Any) -> dict[str, Any]:
    """``widget``'s kind and the traits named by ``keys`` (lists and tuples as tuples)."""
    shown: dict[str, Any] = {"kind": type(widget).__name__}
    for key in keys:
        if key != "kind":
            value = getattr(widget, key)
            shown[key] = tuple(value) if isinstance(value, (list, tuple)) else value
    return shown


def items(editor: AuthConfigEditor) -> list[str]:
    """The to-do items the bar shows now, as a person reads them."""
    return [b.description for b in editor.bar.todo.children if "aaw-todo-item" in b._dom_classes]


def focus_requests(widget: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The messages ``widget`` sends its view from now on (DOMWidget.focus() is one)."""
    sent: list[Any] = []
    original = widget.send
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append(content))
    assert original is not None
    return sent


def upload(store: Any, name: str, content: bytes) -> None:
    """``content`` uploaded as the file ``name`` through ``store.io``, a RequestIO's upload."""
    store.io.upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
    )
