"""The "Gen 2" tab: the configuration as Amplify Gen 2 code, where every member went, and a
download of the files.

``Gen2Tab`` is an ipywidget holding a request in ``value``; every change re-exports it
(``gen2.export``, a few milliseconds) and shows ``amplify/auth/resource.ts`` and
``amplify/backend.ts``, the secrets to set, and the mapping table. ``Gen2Tab.follow(editor)``
keeps it in step with an ``AuthConfigEditor``. Secret values never reach it: the code reads
them with ``secret("NAME")`` and the table shows them redacted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets as t

from .. import gen2
from ..core.operations import configuration_operations
from .html import download_link, escape

ZIP_NAME = "amplify-gen2-auth.zip"


class Gen2Tab(w.VBox):
    """The Gen 2 export of a request, as a widget.

    >>> tab = Gen2Tab.follow(editor)  # doctest: +SKIP
    >>> tab.on_export(lambda export: print(export.files["amplify/auth/resource.ts"]))
    ... # doctest: +SKIP

    CSS classes: ``aaw-gen2`` (the whole), ``aaw-gen2-code``, ``aaw-gen2-table``,
    ``aaw-gen2-secrets``, ``aaw-gen2-download``.
    """

    value = t.Dict(help="The request (or GetBackendAuth response) to export; assign a new dict.")
    operation = t.Unicode(
        "CreateBackendAuth",
        help="The request shape of value: CreateBackendAuth, or UpdateBackendAuth for a partial.",
    )
    file = t.Unicode(gen2.RESOURCE_TS, help="The file the code view shows.")
    error = t.Unicode("", help="Why value could not be exported, in words; empty when it could.")
    active = t.Bool(
        True,
        help="Export on every change only while True (about 10 ms each); while False a change "
        "waits until it is set True again. show_in() sets it from the tab on show.",
    )

    def __init__(self, value: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.export: gen2.Gen2Export | None = None
        self._on_export = w.CallbackDispatcher()
        # buttons as wide as their file names (the default width cuts them)
        self.chooser = w.ToggleButtons(
            options=[gen2.RESOURCE_TS, gen2.BACKEND_TS], style={"button_width": "auto"}
        )
        t.link((self.chooser, "value"), (self, "file"))
        self.message = w.HTML()
        self.code = w.HTML()
        self.secrets = w.HTML()
        self.table = w.HTML()
        self.download = w.HTML()
        self.code.add_class("aaw-gen2-code")
        self.table.add_class("aaw-gen2-table")
        self.secrets.add_class("aaw-gen2-secrets")
        self.download.add_class("aaw-gen2-download")
        self.children = [
            self.message,
            w.HBox([self.chooser, self.download]),
            self.code,
            self.secrets,
            w.HTML("<b>Where every configured member went</b>"),
            self.table,
        ]
        self.add_class("aaw-gen2")
        self._stale = True
        self.observe(self._on_change, names=["value", "operation", "active"])
        self.observe(lambda _: self._show_code(), names="file")
        if value is not None:
            self.value = value
        elif self.active:
            self.refresh()

    @classmethod
    def follow(cls, editor: Any, **kwargs: Any) -> Gen2Tab:
        """A tab that shows the Gen 2 export of ``editor``'s value as it changes."""
        tab = cls(**kwargs)
        t.dlink((editor, "operation"), (tab, "operation"), transform=_shape)
        t.dlink((editor, "value"), (tab, "value"))
        return tab

    def show_in(self, tabs: w.Tab) -> None:
        """Export only while this is the tab ``tabs`` shows: editing elsewhere costs nothing."""

        def shown(_: Any = None) -> None:
            index = tabs.selected_index
            self.active = index is not None and tabs.children[index] is self

        tabs.observe(shown, names="selected_index")
        shown()

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["name"] != "active":
            self._stale = True
        if self.active and self._stale:
            self.refresh()

    def on_export(self, callback: Callable[[gen2.Gen2Export], Any], remove: bool = False) -> None:
        """Call ``callback(export)`` after every successful export."""
        self._on_export.register_callback(callback, remove=remove)

    def refresh(self) -> None:
        """Export ``value`` now and show it."""
        self._stale = False
        if not self.value:
            self._fail("Nothing to export yet: compose a configuration first.")
            return
        try:
            export = gen2.export(self.value, self.operation)
        except (TypeError, ValueError) as exc:
            self._fail(f"Nothing to export: {exc}")
            return
        self.export = export
        self.error = ""
        self.message.value = ""
        self._show_code()
        self.secrets.value = _secrets_html(export)
        frame = export.frame()
        self.table.value = frame.to_html(index=False, escape=True, border=0)
        self.download.value = download_link(ZIP_NAME, export.zip_bytes(), "application/zip")
        self._on_export(export)

    def _fail(self, message: str) -> None:
        self.export = None
        self.error = message
        self.message.value = f"<i>{escape(message)}</i>"
        for part in (self.code, self.secrets, self.table, self.download):
            part.value = ""

    def _show_code(self) -> None:
        if self.export is None:
            return
        text = self.export.files.get(self.file, "")
        self.code.value = f"<pre style='overflow-x:auto'>{escape(text)}</pre>"


def _shape(operation: str) -> str:
    """The request shape to export ``operation``'s value as: its own when it carries a
    configuration (an update's is partial), else the whole configuration's (a create's)."""
    shapes = configuration_operations()
    return operation if operation in shapes else shapes[0]


def _secrets_html(export: gen2.Gen2Export) -> str:
    if not export.secrets:
        return ""
    commands = "\n".join(escape(c) for c in export.secret_commands)
    return (
        "<b>Secrets</b>: the code reads them with <code>secret(NAME)</code>; set each one "
        f"before deploying:<pre>{commands}</pre>"
    )
