"""DraftKeeper: the editor's draft saved after changes (debounced), restored with a note that
names the secrets to type again, and forgotten on "Start over"."""

from __future__ import annotations

import sqlite3

from conftest import every_secret

from amplify_auth_widgets.jobs.drafts import DraftStore
from amplify_auth_widgets.jobs.history import JobHistory
from amplify_auth_widgets.widgets.drafts import BROKEN_NOTE, DraftKeeper
from amplify_auth_widgets.widgets.editor import AuthConfigEditor


def keeper(path) -> DraftKeeper:
    return DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)))


def test_a_change_is_saved_once_settled_and_comes_back_in_a_new_editor(tmp_path):
    request, planted = every_secret(AppId="d4demonew")
    first = keeper(tmp_path / "h.sqlite3")
    assert first.store.load() is None
    first.editor.operation = "UpdateBackendAuth"
    first.editor.value = request
    assert first._timer is not None  # a save is pending, not done per keystroke
    first.flush_pending()
    assert first._timer is None

    second = keeper(tmp_path / "h.sqlite3")
    assert second.widget.layout.display == "none"  # no note before a draft is restored
    draft = second.restore()
    assert draft is not None and second.editor.operation == "UpdateBackendAuth"
    assert second.editor.value["AppId"] == "d4demonew"
    assert second.widget.layout.display is None
    note = second.note.value
    assert "Google client secret" in note and "SignInWithApple private key" in note
    assert not [s for s in planted.values() if s in note or s in repr(second.editor.value)]


def test_start_over_empties_the_form_and_forgets_the_draft(tmp_path):
    first = keeper(tmp_path / "h.sqlite3")
    first.editor.value = {"AppId": "d4demonew"}
    first.flush()
    second = keeper(tmp_path / "h.sqlite3")
    assert second.restore() is not None
    second.clear_button.click()
    assert second.store.load() is None and second.editor.value.get("AppId") in (None, "")
    assert second.widget.layout.display == "none" and second._timer is None
    assert keeper(tmp_path / "h.sqlite3").restore() is None


def test_a_hostile_member_name_is_not_kept_nor_its_secret(tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    social = {hostile: {"ClientId": "c", "ClientSecret": "kept-out"}, "Google": {"ClientId": "g"}}
    request = {"ResourceConfig": {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": social}}}}
    first = keeper(tmp_path / "h.sqlite3")
    first.store.save(request, "CreateBackendAuth")
    stored = (tmp_path / "h.sqlite3").read_bytes()
    assert b"kept-out" not in stored and b"onerror" not in stored
    second = keeper(tmp_path / "h.sqlite3")
    assert second.restore() is not None
    assert "onerror" not in second.note.value
    providers = second.editor.value["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
    assert providers["SocialProviderSettings"] == {"Google": {"ClientId": "g"}}


def test_a_draft_that_cannot_be_read_back_is_set_aside_with_a_note(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.touch(mode=0o600)
    with sqlite3.connect(path) as db:  # a drafts table of another shape: every read fails
        db.execute("CREATE TABLE drafts (name TEXT PRIMARY KEY, request TEXT)")
        db.execute("""INSERT INTO drafts VALUES ('last', '{"AppId": "a"}')""")
    made = keeper(path)
    assert made.restore() is None
    assert BROKEN_NOTE in made.note.value and made.widget.layout.display is None
    assert made.editor.value.get("AppId") in (None, "")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM drafts").fetchone() == (0,)


def test_a_list_for_resource_config_typed_in_the_json_tab_is_no_error(tmp_path):
    made = keeper(tmp_path / "h.sqlite3")
    made.editor.load_text('{"ResourceConfig": [1, {"x": null}]}', "json")
    made.flush()
    again = keeper(tmp_path / "h.sqlite3")
    again.restore()  # nothing of it is a request: no draft, and no exception
    assert BROKEN_NOTE not in again.note.value


def test_a_row_that_is_no_draft_is_forgotten_and_the_note_says_so(tmp_path):
    made = keeper(tmp_path / "h.sqlite3")
    with made.store.database.transaction() as db:
        db.execute("INSERT INTO drafts VALUES ('last', 'x', 'CreateBackendAuth', '{}')")
    assert made.restore() is None
    assert BROKEN_NOTE in made.note.value and made.store.load() is None
    assert made.store.database.query("SELECT count(*) FROM drafts") == [(0,)]
