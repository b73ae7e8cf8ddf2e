"""DraftKeeper's face (``widgets.drafts``): the "Start over" button as the page shows it, the
classes the page's style and the browser tests find the note and the button by, and what on the
form schedules a save (the request and the operation, each on its own; nothing else)."""

from __future__ import annotations

from amplify_auth_widgets.jobs.drafts import DraftStore
from amplify_auth_widgets.jobs.history import JobHistory
from amplify_auth_widgets.widgets.drafts import DraftKeeper
from amplify_auth_widgets.widgets.editor import AuthConfigEditor


def test_the_note_and_its_start_over_button_are_labelled_and_classed(tmp_path):
    made = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(tmp_path / "h")))
    button = made.clear_button
    assert (button.description, button.icon) == ("Start over", "eraser")
    assert "aaw-draft-clear" in button._dom_classes
    assert "aaw-draft" in made.widget._dom_classes
    assert list(made.widget.children) == [made.note, button]
    assert made.widget.layout.display == "none"  # nothing to say before a draft is back


def test_the_request_or_the_operation_alone_schedules_a_save_and_nothing_else_does(tmp_path):
    made = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(tmp_path / "h")))
    made.editor.add_class("elsewhere")  # a change the form makes to itself: no draft in it
    assert made._timer is None
    made.editor.value = {"AppId": "d4demonew"}
    assert made._timer is not None
    made.cancel()
    made.editor.operation = "UpdateBackendAuth"
    assert made._timer is not None
    made.flush_pending()
    draft = made.store.load()
    assert draft is not None and draft.operation == "UpdateBackendAuth"


def test_a_change_saves_itself_a_moment_later_and_putting_back_or_aside_saves_nothing(tmp_path):
    path = tmp_path / "h.sqlite3"
    made = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)))
    made.editor.value = {"AppId": "d4demonew"}
    timer = made._timer
    assert timer is not None and timer.daemon  # a pending save never holds the kernel's exit
    timer.join(30)  # the debounce's own timer: no flush called
    draft = made.store.load()
    assert draft is not None and draft.request["AppId"] == "d4demonew"
    again = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)))
    assert again.restore() is not None
    assert again._timer is None  # the draft put back is no change of the user's to save
    with again.store.database.transaction() as db:
        db.execute("UPDATE drafts SET time = 'no time'")
    broken = DraftKeeper(AuthConfigEditor(background=False), DraftStore(JobHistory(path)))
    assert broken.restore() is None and broken._timer is None
