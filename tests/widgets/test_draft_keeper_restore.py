"""DraftKeeper after a draft is put back or set aside (``widgets.drafts``): the user's next
change is saved again, and the note gives the draft's time in UTC whatever the machine's zone."""

from __future__ import annotations

import time

import pytest
from conftest import FakeClock

from amplify_auth_widgets.jobs.drafts import DraftStore
from amplify_auth_widgets.jobs.history import JobHistory
from amplify_auth_widgets.widgets import drafts
from amplify_auth_widgets.widgets.drafts import BROKEN_NOTE, DraftKeeper
from amplify_auth_widgets.widgets.editor import AuthConfigEditor

#: 2027-01-15 08:00:00 UTC
SAVED_AT = 1_800_000_000.0


@pytest.fixture(autouse=True)
def save_only_when_told(monkeypatch):
    """A change's save stays pending until the test flushes it: with the real 0.4 s, a test
    thread held up that long on a loaded machine found the save already done."""
    monkeypatch.setattr(drafts, "DEBOUNCE_SECONDS", 600)


def keeper(path, clock=None) -> DraftKeeper:
    history = JobHistory(path, clock=clock) if clock else JobHistory(path)
    return DraftKeeper(AuthConfigEditor(background=False), DraftStore(history))


def test_a_change_after_a_draft_is_put_back_is_saved_again(tmp_path):
    path = tmp_path / "h.sqlite3"
    first = keeper(path)
    first.editor.value = {"AppId": "d4demonew"}
    first.flush()
    again = keeper(path)
    assert again.restore() is not None and again._timer is None
    again.editor.value = {"AppId": "d1demotodo"}  # the user goes on typing
    assert again._timer is not None
    again.flush_pending()
    draft = keeper(path).store.load()
    assert draft is not None and draft.request["AppId"] == "d1demotodo"


def test_a_change_after_a_broken_draft_is_set_aside_is_saved_again(tmp_path):
    path = tmp_path / "h.sqlite3"
    made = keeper(path)
    with made.store.database.transaction() as db:
        db.execute("INSERT INTO drafts VALUES ('last', 'x', 'CreateBackendAuth', '{}')")
    assert made.restore() is None and BROKEN_NOTE in made.note.value
    assert made._timer is None  # emptying the form is not the user's change
    made.editor.value = {"AppId": "d4demonew"}
    assert made._timer is not None
    made.flush_pending()
    draft = keeper(path).store.load()
    assert draft is not None and draft.request["AppId"] == "d4demonew"


def test_a_broken_draft_empties_a_form_already_filled(tmp_path):
    """The form the page built before the draft was read (a field typed, a preset) is
    emptied too: what is shown is not the broken draft's nor half of it."""
    path = tmp_path / "h.sqlite3"
    made = keeper(path)
    made.editor.value = {"AppId": "d1demotodo"}
    made.cancel()
    with made.store.database.transaction() as db:
        db.execute("INSERT INTO drafts VALUES ('last', 'x', 'CreateBackendAuth', '{}')")
    assert made.restore() is None
    assert made.editor.value.get("AppId") in (None, "")
    assert made._timer is None and made.store.load() is None


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Kolkata"])
def test_the_note_gives_the_drafts_time_in_utc_in_any_zone(tmp_path, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        first = keeper(tmp_path / "h.sqlite3", FakeClock(SAVED_AT))
        first.editor.value = {"AppId": "d4demonew"}
        first.flush()
        again = keeper(tmp_path / "h.sqlite3")
        assert again.restore() is not None
        assert "Your draft of 2027-01-15 08:00 UTC is back." in again.note.value
    finally:
        monkeypatch.undo()
        time.tzset()


def test_with_no_draft_kept_the_form_is_left_as_it_is_and_nothing_is_said(tmp_path):
    made = keeper(tmp_path / "h.sqlite3")
    made.editor.value = {"AppId": "d1demotodo"}  # a preset the page filled in
    made.cancel()
    assert made.restore() is None
    assert made.editor.value["AppId"] == "d1demotodo"
    assert made.note.value == "" and made.widget.layout.display == "none"


def test_keepers_of_other_names_keep_and_restore_each_its_own_draft(tmp_path):
    path = tmp_path / "h.sqlite3"
    for name, app in (("first", "d1demotodo"), ("second", "d4demonew")):
        made = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)), name)
        made.editor.value = {"AppId": app}
        made.flush()
    assert keeper(path).restore() is None  # nothing under the default name
    second = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)), "second")
    assert second.restore() is not None and second.editor.value["AppId"] == "d4demonew"
    second.start_over()  # forgets its own draft only
    first = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)), "first")
    assert first.restore() is not None and first.editor.value["AppId"] == "d1demotodo"
    assert first.store.load("second") is None


def broken_draft(made: DraftKeeper) -> None:
    with made.store.database.transaction() as db:
        db.execute("INSERT INTO drafts VALUES ('last', 'x', 'CreateBackendAuth', '{}')")


def test_the_page_opens_when_the_form_cannot_be_emptied_after_a_broken_draft(tmp_path):
    """Whatever fails while a broken draft is set aside, the page opens with the note: here
    a part of the page that watches the form fails on the change."""
    made = keeper(tmp_path / "h.sqlite3")
    made.editor.value = {"AppId": "d1demotodo"}  # filled before the draft is read
    made.cancel()
    broken_draft(made)

    def failing(change):
        raise RuntimeError("a watcher of the form failed")

    made.editor.observe(failing, names=["value"])
    assert made.restore() is None
    assert BROKEN_NOTE in made.note.value and made.widget.layout.display is None
    assert made.store.load() is None


def test_the_page_opens_when_the_broken_draft_cannot_be_forgotten(tmp_path, monkeypatch):
    made = keeper(tmp_path / "h.sqlite3")
    broken_draft(made)

    def clear(name="last"):
        raise OSError("the history's file is read-only")

    monkeypatch.setattr(made.store, "clear", clear)
    assert made.restore() is None
    assert BROKEN_NOTE in made.note.value and made.widget.layout.display is None


def test_the_note_names_every_secret_to_type_again_after_saying_the_draft_is_back(tmp_path):
    first = keeper(tmp_path / "h.sqlite3", FakeClock(SAVED_AT))
    social = {
        "Facebook": {"ClientId": "f", "ClientSecret": "facebook-secret"},
        "Google": {"ClientId": "g", "ClientSecret": "google-secret"},
    }
    oauth = {"OAuth": {"SocialProviderSettings": social}}
    first.editor.value = {"AppId": "d4demonew", "ResourceConfig": {"UserPoolConfigs": oauth}}
    first.flush()
    again = keeper(tmp_path / "h.sqlite3")
    assert again.restore() is not None
    assert again.note.value == (
        '<span role="status">Your draft of 2027-01-15 08:00 UTC is back. Secrets are never '
        "kept: type again Facebook client secret, Google client secret.</span>"
    )


def test_a_change_after_start_over_is_saved_again(tmp_path):
    path = tmp_path / "h.sqlite3"
    made = keeper(path)
    made.editor.value = {"AppId": "d4demonew"}
    made.flush()
    made.clear_button.click()
    assert made._timer is None and made.store.load() is None
    made.editor.value = {"AppId": "d1demotodo"}  # the user starts again
    assert made._timer is not None
    made.flush_pending()
    draft = keeper(path).store.load()
    assert draft is not None and draft.request["AppId"] == "d1demotodo"
