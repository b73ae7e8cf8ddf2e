"""DraftKeeper's face (``widgets.drafts``): the "Start over" button as the page shows it and the
classes the page's style and the browser tests find the note and the button by."""

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
