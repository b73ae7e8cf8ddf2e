"""A one-line status display: the last thing that happened, in words, coloured by its kind.

It is the status display a ``Submitter`` reports to; ``message`` and ``kind`` are traits, so a
host can observe or link them. It is a live region (``access.LiveRegion``: ``role="status"``,
polite), so a screen reader reads each new message ("Ready to send", "COMPLETED") where it is,
without the focus moving.
"""

from __future__ import annotations

import traitlets as t

from .access import LiveRegion
from .style import ERROR, OK, TEXT

_COLOURS = {"info": TEXT, "ok": OK, "error": ERROR}


class StatusLine(LiveRegion):
    """The last status message. CSS class ``aaw-status``; ``aaw-status-<kind>`` as well."""

    kind = t.Enum(("info", "ok", "error"), "info", help="What the message is: info, ok or error.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.add_class("aaw-status")
        self._render(None)

    def show(self, message: str, kind: str = "info") -> None:
        with self.hold_trait_notifications():
            self.message = message
            self.kind = kind

    @t.observe("message", "kind")
    def _render(self, change: object) -> None:
        for other in _COLOURS:
            self.remove_class(f"aaw-status-{other}")
        self.add_class(f"aaw-status-{self.kind}")
        self.color = _COLOURS[self.kind]
