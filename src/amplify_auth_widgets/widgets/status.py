"""A one-line status display: the last thing that happened, in words, coloured by its kind.

It is the status display a ``Submitter`` reports to; ``message`` and ``kind`` are traits, so a
host can observe or link them.
"""

from __future__ import annotations

import ipywidgets as w
import traitlets as t

from .html import escape
from .style import ERROR, OK, TEXT

_COLOURS = {"info": TEXT, "ok": OK, "error": ERROR}


class StatusLine(w.HTML):
    """The last status message. CSS class ``aaw-status``; ``aaw-status-<kind>`` as well."""

    message = t.Unicode("", help="The last status message, as plain text.")
    kind = t.Enum(("info", "ok", "error"), "info", help="What the message is: info, ok or error.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.add_class("aaw-status")

    def show(self, message: str, kind: str = "info") -> None:
        with self.hold_trait_notifications():
            self.message = message
            self.kind = kind

    @t.observe("message", "kind")
    def _render(self, change: object) -> None:
        for other in _COLOURS:
            self.remove_class(f"aaw-status-{other}")
        self.add_class(f"aaw-status-{self.kind}")
        self.value = (
            f'<span style="color:{_COLOURS[self.kind]}">{escape(self.message)}</span>'
            if self.message
            else ""
        )
