"""The form's sections as widgets: open ones built at once, the others when first opened.

Each section is a one-panel ``Accordion`` (so several can be open together) with the CSS classes
``aaw-section`` and ``aaw-section-<key>``; its title carries the number of problems shown in it
("Password policy · 1 problem"), so a problem in a closed section is not missed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

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
        self.fold = w.Accordion(children=[self.body], selected_index=None)
        self.fold.add_class("aaw-section")
        self.fold.add_class(f"aaw-section-{section.key}")
        self.fold.set_title(0, section.title)
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
        self.build()
        self.fold.selected_index = 0

    def count(self, problems: int) -> None:
        title = self.section.title
        self.fold.set_title(0, f"{title} · {plural(problems, 'problem')}" if problems else title)
