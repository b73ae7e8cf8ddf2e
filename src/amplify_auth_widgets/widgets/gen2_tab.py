"""The "Gen 2" tab: the configuration as Amplify Gen 2 code, where every member went, and a
download of the files.

``Gen2Tab`` is an ipywidget holding a request in ``value``; every change re-exports it
(``gen2.export``, a few milliseconds) and shows ``amplify/auth/resource.ts`` and
``amplify/backend.ts``, the secrets to set, and the mapping table. ``Gen2Tab.follow(editor)``
keeps it in step with an ``AuthConfigEditor``. Secret values never reach it: the code reads
them with ``secret("NAME")`` and the table shows them redacted.

``way`` chooses what the code does with the environment's users (``gen2.ways``): ``new pool``
(the configuration alone: a new, empty pool), ``keep`` (``referenceAuth`` to the deployed pool)
or ``recreate`` (a new pool and a user-migration trigger). The last two need ``deployed``, the
environment's ``DeployedAuth``; without it the choice is disabled and the tab says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets as t

from .. import gen2
from ..core.deployed import DeployedAuth
from ..core.operations import configuration_operations
from .codeview import code_html, scroll_box
from .html import download_link, escape

ZIP_NAME = "amplify-gen2-auth.zip"
#: The way choice without a way: the configuration alone, which makes a new, empty pool.
NEW_POOL = "new pool"
WAY_OPTIONS = (
    ("new pool", NEW_POOL),
    ("keep the pool", gen2.WAYS[0]),
    ("recreate the pool", gen2.WAYS[1]),
)
#: The mapping table's columns, and their headings.
MAPPING_COLUMNS = {
    "member": "Member",
    "value": "Value",
    "status": "Status",
    "file": "File",
    "target": "Gen 2",
    "note": "Note",
}
#: The mapping table's look: fixed column widths that add up to the box's width, so that the
#: table fits at any width (1400 px included); a cell's text wraps at spaces, and a dotted path
#: at its dots (``<wbr>``), breaking a word only when nothing else fits. Were the widths left
#: to the browser, breakable words would squeeze short columns to a letter or two.
MAPPING_WIDTHS = {"member": 24, "value": 16, "status": 7, "file": 14, "target": 18, "note": 21}
MAPPING_CSS = (
    "<style>.aaw-mapping{border-collapse:collapse;width:100%;table-layout:fixed}"
    ".aaw-mapping th,.aaw-mapping td{padding:2px 8px;text-align:left;vertical-align:top;"
    "line-height:1.4;overflow-wrap:anywhere;border-bottom:1px solid var(--jp-border-color2)}"
    ".aaw-mapping td.aaw-member,.aaw-mapping td.aaw-target{"
    "font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,13px)}"
    "</style>"
)
#: The tab's sentences (why a way is off, the notes, the secrets) at text line spacing: an
#: HTML widget's line is as tall as a button (28 px), too loose for a paragraph.
TEXT_CSS = (
    "<style>:is(.aaw-gen2-way-reason,.aaw-gen2-notes,.aaw-gen2-secrets,.aaw-gen2-message)"
    " .widget-html-content{line-height:1.4}</style>"
)
#: The columns whose values are paths, and where a line may break in them: after each dot of
#: a dotted path, after each slash of a file's.
PATH_BREAKS = {"member": ".", "target": ".", "file": "/"}
NO_DEPLOYED = (
    "Keeping the users needs the environment's deployed auth (its pool and client ids), and "
    "none is known: deploy the environment's auth first. Until then the code makes a new, "
    "empty pool."
)


class Gen2Tab(w.VBox):
    """The Gen 2 export of a request, as a widget.

    >>> tab = Gen2Tab.follow(editor)  # doctest: +SKIP
    >>> tab.on_export(lambda export: print(export.files["amplify/auth/resource.ts"]))
    ... # doctest: +SKIP

    CSS classes: ``aaw-gen2`` (the whole), ``aaw-gen2-code`` (highlighted, ``codeview``),
    ``aaw-gen2-table`` (the mapping, ``aaw-mapping``), ``aaw-gen2-secrets``,
    ``aaw-gen2-download``, ``aaw-gen2-notes``, ``aaw-gen2-way-reason``, ``aaw-gen2-message``.
    """

    value = t.Dict(help="The request (or GetBackendAuth response) to export; assign a new dict.")
    operation = t.Unicode(
        "CreateBackendAuth",
        help="The request shape of value: CreateBackendAuth, or UpdateBackendAuth for a partial.",
    )
    file = t.Unicode(gen2.RESOURCE_TS, help="The file the code view shows.")
    error = t.Unicode("", help="Why value could not be exported, in words; empty when it could.")
    way = t.Enum(
        [v for _, v in WAY_OPTIONS],
        NEW_POOL,
        help="What the code does with the users: 'new pool' (none move), 'keep' or 'recreate'.",
    )
    deployed = t.Instance(
        DeployedAuth,
        allow_none=True,
        help="The environment's deployed auth (BackendAuthService.deployed_auth); None: unknown.",
    )
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
        self.way_choice = w.ToggleButtons(
            options=list(WAY_OPTIONS), description="Users:", style={"button_width": "auto"}
        )
        t.link((self, "way"), (self.way_choice, "value"))  # a way given to __init__ wins
        self.way_reason = w.HTML()
        self.notes = w.HTML()
        self.way_reason.add_class("aaw-gen2-way-reason")
        self.notes.add_class("aaw-gen2-notes")
        self.message = w.HTML()
        self.message.add_class("aaw-gen2-message")
        self.code = w.HTML()
        self.secrets = w.HTML()
        self.table = w.HTML()
        self.download = w.HTML()
        self.code.add_class("aaw-gen2-code")
        self.table.add_class("aaw-gen2-table")
        self.secrets.add_class("aaw-gen2-secrets")
        self.download.add_class("aaw-gen2-download")
        self.children = [
            w.HBox([self.way_choice, self.way_reason]),
            self.message,
            w.HBox([self.chooser, self.download]),
            self.code,
            self.notes,
            self.secrets,
            w.HTML(f"{TEXT_CSS}<b>Where every configured member went</b>"),
            self.table,
        ]
        self.add_class("aaw-gen2")
        self._stale = True
        self.observe(self._on_change, names=["value", "operation", "active", "way", "deployed"])
        self._show_way()
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
        if change["name"] == "deployed":
            self._show_way()
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
        way = None if self.way == NEW_POOL else self.way
        try:
            export = gen2.export(self.value, self.operation, way=way, deployed=self.deployed)
        except (TypeError, ValueError) as exc:
            self._fail(f"Nothing to export: {exc}")
            return
        self.export = export
        self.error = ""
        self.message.value = ""
        self.chooser.options = list(export.files)
        self._show_code()
        self.notes.value = _notes_html(export)
        self.secrets.value = _secrets_html(export)
        self.table.value = mapping_html(export.frame())
        self.download.value = download_link(ZIP_NAME, export.zip_bytes(), "application/zip")
        self._on_export(export)

    def _fail(self, message: str) -> None:
        self.export = None
        self.error = message
        self.message.value = f"<i>{escape(message)}</i>"
        for part in (self.code, self.notes, self.secrets, self.table, self.download):
            part.value = ""

    def _show_way(self) -> None:
        """The way choice is open only with the deployed auth; without it, the reason shows
        beside it (on the page, not in a tooltip) and the way goes back to a new pool."""
        known = self.deployed is not None
        self.way_choice.disabled = not known
        self.way_reason.value = "" if known else f"<i>{escape(NO_DEPLOYED)}</i>"
        if not known:
            self.way = NEW_POOL

    def _show_code(self) -> None:
        if self.export is None:
            return
        text = self.export.files.get(self.file, "")
        self.code.value = code_html(text, _language(self.file), f"Code of {self.file}")


def _shape(operation: str) -> str:
    """The request shape to export ``operation``'s value as: its own when it carries a
    configuration (an update's is partial), else the whole configuration's (a create's)."""
    shapes = configuration_operations()
    return operation if operation in shapes else shapes[0]


def _language(file: str) -> str:
    """The language to highlight ``file`` as, by its suffix."""
    suffix = file.rsplit(".", 1)[-1].lower()
    return {"ts": "typescript", "js": "typescript", "json": "json"}.get(suffix, "text")


def mapping_html(frame: Any) -> str:
    """Where every member went, as a table in its own scroll box: cells wrap, headings are
    words, the member's API path in the code font; every value escaped."""
    cols = "".join(f'<col style="width:{w}%">' for w in MAPPING_WIDTHS.values())
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in MAPPING_COLUMNS.values())
    rows = []
    for row in frame.to_dict("records"):
        cells = "".join(
            f'<td class="aaw-{column}">{_cell_html(row.get(column), column)}</td>'
            for column in MAPPING_COLUMNS
        )
        rows.append(f"<tr>{cells}</tr>")
    table = (
        f'<table class="aaw-mapping"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return MAPPING_CSS + scroll_box(table, "Where every configured member went")


def _cell_html(value: Any, column: str) -> str:
    """A cell's text, escaped; in a path column, a line may break after each of its path's
    separators (escaping makes neither a dot nor a slash: a ``<wbr>`` follows the value's own)."""
    text = escape(_text(value))
    separator = PATH_BREAKS.get(column)
    return text.replace(separator, f"{separator}<wbr>") if separator else text


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # (NaN is not itself)


def _notes_html(export: gen2.Gen2Export) -> str:
    """What the export says of itself (the way's meaning, what to do first), as a list."""
    if not export.notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in export.notes)
    return f"<b>Notes</b><ul>{items}</ul>"


def _secrets_html(export: gen2.Gen2Export) -> str:
    if not export.secrets:
        return ""
    commands = "\n".join(export.secret_commands)
    return (
        "<b>Secrets</b>: the code reads them with <code>secret(NAME)</code>; set each one "
        f"before deploying:{code_html(commands, 'shell', 'Commands that set the secrets')}"
    )
