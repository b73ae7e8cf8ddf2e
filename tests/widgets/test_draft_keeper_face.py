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
