"""Keeping the editor's draft: saved as it changes, put back when the page is opened again.

``DraftKeeper`` watches an editor's ``value`` and ``operation`` and saves them (through
``jobs.drafts.DraftStore``, secrets redacted) a moment after the last change, so that typing
costs no write per key; ``flush()`` saves at once (a page closing, a test). ``restore()`` fills
the editor from the saved draft and shows a note (CSS class ``aaw-draft``) saying so, naming
any secret field to type again (secrets are never kept), with a "Start over" button
(``aaw-draft-clear``) that empties the form and forgets the draft.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

import ipywidgets as w

from ..core.model import request_spec
from ..jobs.drafts import LAST, Draft, DraftStore
from .editor import AuthConfigEditor
from .html import escape
from .labels import label_for

#: Seconds after the last change before the draft is saved.
DEBOUNCE_SECONDS = 0.4
#: The note shown when the saved draft could not be put back on the form.
BROKEN_NOTE = "Your last draft could not be read back, so it was set aside: the form starts empty."
#: The part of a path that names a social provider's settings (its name follows).
PROVIDERS = "SocialProviderSettings."


def secret_label(operation: str, path: str) -> str:
    """A secret member's label as the form shows it, with its provider (``Google client
    secret``), or the path itself when the model has no such member."""
    spec = request_spec(operation).find(path)
    if spec is None:
        return path
    label = label_for(spec)
    if PROVIDERS in path:
        provider = path.split(PROVIDERS, 1)[1].split(".", 1)[0]
        return f"{provider} {label[:1].lower()}{label[1:]}"
    return label


class DraftKeeper:
    """Saves ``editor``'s draft to ``store`` on change and restores it (see the module)."""

    def __init__(self, editor: AuthConfigEditor, store: DraftStore, name: str = LAST) -> None:
        self.editor = editor
        self.store = store
        self.name = name
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._restoring = False
        self.note = w.HTML()
        self.clear_button = w.Button(description="Start over", icon="eraser")
        self.clear_button.add_class("aaw-draft-clear")
        self.clear_button.on_click(lambda _: self.start_over())
        self.widget = w.HBox([self.note, self.clear_button])
        self.widget.add_class("aaw-draft")
        self.widget.layout.display = "none"
        editor.observe(self._changed, names=["value", "operation"])

    def restore(self) -> Draft | None:
        """Fill the editor from the saved draft (if any) and say so; returns the draft.

        A draft that cannot be put back (whatever goes wrong: the app must be built on every
        load) is forgotten, the form emptied, and the note says so."""
        try:
            return self._put_back()
        except Exception:  # any failure at all: the page must open, and the draft goes
            self._forget_broken()
            return None

    def _put_back(self) -> Draft | None:
        draft = self.store.load(self.name, strict=True)
        if draft is None or not draft.request:
            return None
        self._restoring = True
        try:
            self.editor.operation = draft.operation
            self.editor.value = draft.request
        finally:
            self._restoring = False
        saved = dt.datetime.fromtimestamp(draft.time, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        text = f"Your draft of {escape(saved)} is back."
        if draft.reenter:
            names = ", ".join(escape(secret_label(draft.operation, p)) for p in draft.reenter)
            text += f" Secrets are never kept: type again {names}."
        self.note.value = f'<span role="status">{text}</span>'
        self.widget.layout.display = None
        return draft

    def _forget_broken(self) -> None:
        """Forget a draft that could not be put back, empty the form and say so."""
        self.cancel()
        self._restoring = True
        try:
            with contextlib.suppress(Exception):
                self.editor.value = {}
        finally:
            self._restoring = False
        with contextlib.suppress(Exception):
            self.store.clear(self.name)
        self.note.value = f'<span role="status">{BROKEN_NOTE}</span>'
        self.widget.layout.display = None

    def start_over(self) -> None:
        """Empty the form and forget the draft."""
        self.cancel()
        self._restoring = True
        try:
            self.editor.value = {}
        finally:
            self._restoring = False
        self.store.clear(self.name)
        self.widget.layout.display = "none"

    def _changed(self, change: Any) -> None:
        if self._restoring:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Save the editor's draft now (a pending save is done here, not later)."""
        self.cancel()
        self.store.save(dict(self.editor.value), self.editor.operation, self.name)

    def flush_pending(self) -> None:
        """Save now if a save is pending (nothing changed since the last: nothing to do)."""
        with self._lock:
            pending = self._timer is not None
        if pending:
            self.flush()

    def cancel(self) -> None:
        """Drop a pending save."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
