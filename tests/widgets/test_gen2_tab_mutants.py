"""The Gen 2 tab as a person first meets it and as it then reads, with no emulator: each
control's options, label and state, the parts in order with their classes, when it exports
(and when a change waits), the way given and the way closed, the mapping table's cells, the
notes and the secrets' words, and the download's name. The deployed auth is the test one."""

from __future__ import annotations

import base64
import html
import math
import re
from typing import Any

import ipywidgets as w
import pandas as pd
import traitlets as t
from conftest import valid_request
from support.deployed import DEPLOYED
from support.htmltext import text_of

from amplify_auth_widgets import gen2
from amplify_auth_widgets.widgets import gen2_tab as module
from amplify_auth_widgets.widgets.gen2_tab import (
    NEW_POOL,
    NO_DEPLOYED,
    TEXT_CSS,
    Gen2Tab,
    mapping_html,
)

HEADING = "Where every configured member went"


def test_every_control_first_shows_its_options_label_and_state():
    tab = Gen2Tab()
    chooser, ways = tab.chooser, tab.way_choice
    assert (chooser.options, chooser.value) == (
        (gen2.RESOURCE_TS, gen2.BACKEND_TS),
        gen2.RESOURCE_TS,
    )
    assert ways.options == (
        ("new pool", NEW_POOL),
        ("keep the pool", "keep"),
        ("recreate the pool", "recreate"),
    )
    assert ways.value == NEW_POOL
    assert ways.description == "Users:" and ways.disabled  # no deployed auth yet
    # buttons as wide as their words (the default width cuts a file's name)
    assert chooser.style.button_width == "auto" and ways.style.button_width == "auto"
    assert text_of(tab.way_reason.value) == NO_DEPLOYED
    assert tab.way_reason.value == f"<i>{NO_DEPLOYED.replace(chr(39), '&#x27;')}</i>"
    assert tab.error == "Nothing to export yet: compose a configuration first."
    assert tab.message.value == "<i>Nothing to export yet: compose a configuration first.</i>"
    for part in (tab.code, tab.notes, tab.secrets, tab.table, tab.download):
        assert part.value == ""
    assert tab.export is None and tab.file == gen2.RESOURCE_TS and tab.way == NEW_POOL


def test_the_parts_in_order_each_with_its_class():
    tab = Gen2Tab()
    assert len(tab.children) == 8
    top, message, files, code, notes, secrets, heading, table = tab.children
    assert top.children == (tab.way_choice, tab.way_reason)
    assert files.children == (tab.chooser, tab.download)
    assert (message, code, notes, secrets, table) == (
        tab.message,
        tab.code,
        tab.notes,
        tab.secrets,
        tab.table,
    )
    assert heading.value == f"{TEXT_CSS}<b>{HEADING}</b>"
    assert "aaw-gen2" in tab._dom_classes
    classes = {
        "way_reason": "aaw-gen2-way-reason",
        "notes": "aaw-gen2-notes",
        "message": "aaw-gen2-message",
        "code": "aaw-gen2-code",
        "table": "aaw-gen2-table",
        "secrets": "aaw-gen2-secrets",
        "download": "aaw-gen2-download",
    }
    for name, css in classes.items():
        assert getattr(tab, name)._dom_classes == (css,), name


def test_the_download_is_the_zip_of_the_files_by_its_name():
    tab = Gen2Tab(valid_request())
    assert 'download="amplify-gen2-auth.zip"' in tab.download.value
    encoded = re.search(r'href="data:application/zip;base64,([^"]+)"', tab.download.value)
    assert encoded and base64.b64decode(encoded.group(1)) == tab.export.zip_bytes()
    assert tab.message.value == "" and tab.error == ""


def test_the_code_view_is_named_by_its_file_and_follows_the_chooser():
    tab = Gen2Tab(valid_request())
    assert 'aria-label="Code of amplify/auth/resource.ts"' in tab.code.value
    tab.chooser.value = gen2.BACKEND_TS
    assert tab.file == gen2.BACKEND_TS
    assert 'aria-label="Code of amplify/backend.ts"' in tab.code.value
    assert text_of(tab.code.value).strip() == tab.export.files[gen2.BACKEND_TS].strip()
    tab.file = gen2.RESOURCE_TS  # and the chooser follows the trait
    assert tab.chooser.value == gen2.RESOURCE_TS


def test_what_cannot_be_exported_clears_what_was_shown():
    tab = Gen2Tab(valid_request())
    seen: list[Any] = []
    tab.on_export(seen.append)
    tab.value = {"ResourceConfig": "not a configuration"}
    assert tab.error.startswith("Nothing to export: ") and tab.export is None
    assert text_of(tab.message.value) == tab.error
    for part in (tab.code, tab.notes, tab.secrets, tab.table, tab.download):
        assert part.value == ""
    tab.chooser.value = gen2.BACKEND_TS  # nothing exported: nothing to show
    assert tab.code.value == ""
    tab.value = {}
    assert tab.error == "Nothing to export yet: compose a configuration first."
    assert seen == []


def test_a_tab_made_inactive_exports_only_once_made_active(monkeypatch):
    asked: list[str] = []
    export = gen2.export

    def spy(value: Any, operation: str, **kwargs: Any) -> Any:
        asked.append(operation)
        return export(value, operation, **kwargs)

    monkeypatch.setattr(gen2, "export", spy)
    tab = Gen2Tab(active=False)
    assert tab.error == "" and tab.message.value == ""  # not even told it is empty
    seen: list[Any] = []
    tab.on_export(seen.append)
    tab.value = valid_request()
    tab.operation = "UpdateBackendAuth"
    assert seen == [] and tab.export is None
    tab.active = True
    assert len(seen) == 1 and asked == ["UpdateBackendAuth"]  # once, as the last shape
    tab.active = False
    tab.active = True  # shown again with no change: nothing to export again
    assert len(seen) == 1
    tab.operation = "CreateBackendAuth"  # each of the traits re-exports
    tab.value = valid_request(BackendEnvironmentName="prod")
    tab.deployed = DEPLOYED
    tab.way = "keep"
    assert len(seen) == 5 and seen[-1].way == "keep"
    tab.on_export(seen.append, remove=True)
    tab.way = NEW_POOL
    assert len(seen) == 5


def test_a_way_given_wins_and_the_deployed_auth_opens_the_choice():
    tab = Gen2Tab(valid_request(), deployed=DEPLOYED, way="keep")
    assert tab.way_choice.value == "keep" and tab.export.way == "keep"
    assert not tab.way_choice.disabled and tab.way_reason.value == ""
    tab.way_choice.value = NEW_POOL  # the choice moves the trait
    assert tab.way == NEW_POOL and tab.export.way is None
    tab.deployed = None
    assert tab.way_choice.disabled and text_of(tab.way_reason.value) == NO_DEPLOYED


def test_following_an_editor_exports_an_update_as_one_and_any_other_as_a_create():
    class Editor(t.HasTraits):
        operation = t.Unicode("CreateBackendAuth")
        value = t.Dict()

    editor = Editor()
    tab = Gen2Tab.follow(editor, active=False)
    assert tab.active is False  # the options go to the tab
    editor.operation = "UpdateBackendAuth"
    assert tab.operation == "UpdateBackendAuth"  # a partial configuration
    editor.operation = "DeleteBackendAuth"  # carries none: the whole configuration's shape
    assert tab.operation == "CreateBackendAuth"
    editor.value = valid_request()
    assert tab.value == valid_request()


def test_in_tabs_it_is_active_only_while_it_is_the_one_shown():
    tab = Gen2Tab()
    tabs = w.Tab(children=[tab, w.HTML("form")])
    tabs.selected_index = 0
    tab.show_in(tabs)
    assert tab.active is True
    tabs.selected_index = 1
    assert tab.active is False
    tabs.selected_index = None  # none shown
    assert tab.active is False
    tabs.selected_index = 0
    assert tab.active is True
    empty = Gen2Tab()
    w_tabs = w.Tab()
    empty.show_in(w_tabs)
    assert w_tabs.selected_index is None and empty.active is False


def test_each_file_is_highlighted_as_its_language():
    assert module._language("amplify/auth/resource.ts") == "typescript"
    assert module._language("handler.JS") == "typescript"
    assert module._language("package.json") == "json"
    assert module._language("README") == "text"
    assert module._language("notes.md") == "text"


def test_a_mapping_table_row_reads_as_its_cells():
    frame = pd.DataFrame(
        [
            {
                "member": "ResourceConfig.Service",
                "value": "<b>x</b>",
                "status": "mapped",
                "file": "amplify/auth/resource.ts",
                "target": "loginWith.email",
                "note": None,
            },
            {
                "member": "A.B",
                "value": math.nan,
                "status": "dropped",
                "file": None,
                "target": None,
                "note": "no home. in Gen 2",
            },
        ]
    )
    table = mapping_html(frame)
    assert table.startswith(module.MAPPING_CSS)
    assert f'aria-label="{HEADING}"' in table
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body == (
        '<tr><td class="aaw-member">ResourceConfig.<wbr>Service</td>'
        '<td class="aaw-value">&lt;b&gt;x&lt;/b&gt;</td>'
        '<td class="aaw-status">mapped</td>'
        '<td class="aaw-file">amplify/<wbr>auth/<wbr>resource.ts</td>'
        '<td class="aaw-target">loginWith.<wbr>email</td>'
        '<td class="aaw-note"></td></tr>'
        '<tr><td class="aaw-member">A.<wbr>B</td><td class="aaw-value"></td>'
        '<td class="aaw-status">dropped</td><td class="aaw-file"></td>'
        '<td class="aaw-target"></td><td class="aaw-note">no home. in Gen 2</td></tr>'
    )
    cols = re.findall(r'<col style="width:(\d+)%">', table)
    assert cols == ["24", "16", "7", "14", "18", "21"]


def test_notes_and_secrets_in_words():
    tab = Gen2Tab(valid_request(), deployed=DEPLOYED)
    export = tab.export
    assert export.notes and export.secrets
    items = "".join(f"<li>{module.escape(n)}</li>" for n in export.notes)
    assert tab.notes.value == f"<b>Notes</b><ul>{items}</ul>"
    secrets = tab.secrets.value
    assert text_of(secrets).startswith(
        "Secrets: the code reads them with secret(NAME); set each one before deploying:"
    )
    assert 'aria-label="Commands that set the secrets"' in secrets
    assert text_of(secrets.split("before deploying:", 1)[1]).strip() == "\n".join(
        export.secret_commands
    )
    assert module._notes_html(_Bare()) == "" and module._secrets_html(_Bare()) == ""


class _Bare:
    """An export with neither notes nor secrets."""

    notes: tuple[str, ...] = ()
    secrets: dict[str, str] = {}
    secret_commands: tuple[str, ...] = ()


def test_the_mapping_table_s_head_and_widths_hold_nothing_between_their_parts():
    table = mapping_html(pd.DataFrame(columns=list(module.MAPPING_COLUMNS)))
    cols = "".join(f'<col style="width:{w}%">' for w in module.MAPPING_WIDTHS.values())
    head = "".join(f'<th scope="col">{h}</th>' for h in module.MAPPING_COLUMNS.values())
    assert f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody></tbody>" in table


def test_several_notes_are_one_item_each():
    tab = Gen2Tab(valid_request(), deployed=DEPLOYED, way="recreate")
    notes = tab.export.notes
    assert len(notes) > 1
    items = re.findall(r"<li>(.*?)</li>", tab.notes.value)
    assert [html.unescape(i) for i in items] == list(notes)
    assert tab.notes.value == "<b>Notes</b><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def test_a_tab_first_made_active_says_what_it_has_to_export():
    empty = Gen2Tab(active=False)
    empty.active = True  # shown for the first time, nothing composed yet
    assert empty.error == "Nothing to export yet: compose a configuration first."
    given = Gen2Tab(valid_request(), active=False)
    assert given.export is None
    given.active = True
    assert given.export is not None and given.code.value
