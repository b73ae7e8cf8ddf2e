"""The Gen 2 tab, driven from Python through its widgets, alone and following the editor."""

from __future__ import annotations

import base64
import io
import re
import zipfile

import ipywidgets as w
from conftest import valid_request
from support.htmltext import text_of

from amplify_auth_widgets import AuthConfigEditor
from amplify_auth_widgets.widgets.gen2_tab import Gen2Tab

SECRET = "g-secret-value"


def zipped(tab):
    encoded = re.search(r"base64,([^\"]+)", tab.download.value).group(1)
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_tab_shows_code_table_secrets_and_a_download():
    tab = Gen2Tab(valid_request())
    assert tab.error == ""
    assert "export const auth = defineAuth({" in text_of(tab.code.value)
    assert "npx ampx sandbox secret set GOOGLE_CLIENT_SECRET" in text_of(tab.secrets.value)
    assert "ResourceConfig.UserPoolConfigs.OAuth.DomainPrefix" in text_of(tab.table.value)
    assert "&lt;redacted&gt;" in tab.table.value
    files = zipped(tab)
    assert sorted(files) == ["amplify/auth/resource.ts", "amplify/backend.ts"]
    everything = tab.code.value + tab.table.value + tab.secrets.value + "".join(files.values())
    assert SECRET not in everything
    tab.chooser.value = "amplify/backend.ts"
    assert "defineBackend({ auth })" in text_of(tab.code.value)


def test_the_tab_follows_the_editor_and_reports_each_export():
    editor = AuthConfigEditor()
    tab = Gen2Tab.follow(editor)
    seen = []
    tab.on_export(seen.append)
    editor.value = valid_request()
    assert len(seen) == 1 and tab.export is seen[0]
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 14
    editor.value = request
    tab.chooser.value = "amplify/backend.ts"
    assert "minimumLength: 14," in text_of(tab.code.value)
    assert len(seen) == 2


def test_input_it_cannot_export_is_explained_not_raised():
    assert Gen2Tab().error.startswith("Nothing to export yet")
    tab = Gen2Tab({"Colour": "blue"})
    assert "needs ResourceConfig" in tab.error
    assert tab.code.value == "" and tab.download.value == ""
    tab.value = valid_request()
    assert tab.error == "" and tab.code.value


def test_in_a_tab_it_exports_only_while_shown():
    tab = Gen2Tab()
    tabs = w.Tab(children=[w.HTML("form"), tab])
    tab.show_in(tabs)
    seen = []
    tab.on_export(seen.append)
    tab.value = valid_request()
    tab.value = valid_request(BackendEnvironmentName="prod")
    assert seen == [] and tab.active is False
    tabs.selected_index = 1
    assert len(seen) == 1 and seen[0].environment == "prod"
    assert "environment prod" in text_of(tab.code.value)
    tabs.selected_index = 0
    tab.value = valid_request(BackendEnvironmentName="dev")
    assert len(seen) == 1


def test_the_editor_has_a_gen2_tab_that_exports_when_opened():
    editor = AuthConfigEditor(value=valid_request())
    titles = [editor.tabs.get_title(i) for i in range(len(editor.tabs.children))]
    assert titles[-1] == "Gen 2" and editor.tabs.children[-1] is editor.gen2_tab
    assert editor.gen2_tab.export is None  # nothing is exported while it is hidden
    editor.tabs.selected_index = len(titles) - 1
    assert "export const auth = defineAuth({" in text_of(editor.gen2_tab.code.value)
    assert SECRET not in editor.gen2_tab.code.value + editor.gen2_tab.table.value
