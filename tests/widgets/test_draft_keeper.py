"""DraftKeeper: the editor's draft saved after changes (debounced), restored with a note that
names the secrets to type again, and forgotten on "Start over"."""

from __future__ import annotations

from conftest import every_secret

from amplify_auth_widgets.jobs.drafts import DraftStore
from amplify_auth_widgets.jobs.history import JobHistory
from amplify_auth_widgets.widgets.drafts import DraftKeeper
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


def test_a_hostile_member_name_in_the_draft_lands_as_text_in_the_note(tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    social = {hostile: {"ClientId": "c", "ClientSecret": "kept-out"}}
    request = {"ResourceConfig": {"UserPoolConfigs": {"OAuth": {"SocialProviderSettings": social}}}}
    first = keeper(tmp_path / "h.sqlite3")
    first.store.save(request, "CreateBackendAuth")
    second = keeper(tmp_path / "h.sqlite3")
    assert second.restore() is not None
    assert hostile not in second.note.value and "&lt;img src=x" in second.note.value
    assert "kept-out" not in second.note.value
