"""The form's sections as widgets: open ones built at once, the others when first opened.

Each section is a ``Fold`` (``access.py``): a native button with ``aria-expanded`` over its
body, so that Tab reaches every section and Enter or Space opens it, and several can be open
together. Its CSS classes are ``aaw-section`` and ``aaw-section-<key>`` (``aaw-fold-open`` while
open); its title carries the number of problems shown in it ("Password policy · 1 problem"), so
a problem in a closed section is not missed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .access import Fold
from .form import Deferred, grid
from .layout import Section


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class SectionView:
    """One section of the form; ``fields`` are its members' fields (maybe ``Deferred``)."""

    def __init__(
        self, section: Section, fields: list[Any], on_built: Callable[[SectionView], None]
    ) -> None:
        self.section = section
        self.fields = fields
        self._on_built = on_built
        self.body = grid([])
        self.fold = Fold(self.body, section.title)
        self.fold.add_class("aaw-section")
        self.fold.add_class(f"aaw-section-{section.key}")
        self.built = False
        self.fold.observe(self._on_open, names="selected_index")
        if section.open:
            self.open()

    @property
    def paths(self) -> tuple[str, ...]:
        return self.section.paths

    def contains(self, path: str) -> bool:
        return any(path == p or path.startswith(p + ".") for p in self.paths)

    def _on_open(self, change: Any) -> None:
        if change["new"] == 0:
            self.build()

    def build(self) -> None:
        if self.built:
            return
        self.built = True
        self.body.children = [
            f.build().box if isinstance(f, Deferred) else f.box for f in self.fields
        ]
        self._on_built(self)

    def open(self) -> None:
        """Build the section and show it (a person's Enter on its header does the same)."""
        self.build()
        self.fold.selected_index = 0

    def close(self) -> None:
        self.fold.selected_index = None

    @property
    def expanded(self) -> bool:
        """Whether the section is open."""
        return self.fold.expanded

    def focus(self) -> None:
        """Move the keyboard focus to the section's header (to lead a person to it)."""
        self.fold.focus()

    def count(self, problems: int) -> None:
        title = self.section.title
        self.fold.set_title(0, f"{title} · {plural(problems, 'problem')}" if problems else title)
