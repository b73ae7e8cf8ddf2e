"""The status line (widgets/status.py) on its own: a message given without a kind is plain
information, shown in the text colour, whatever the last message was (the editor's
"Cancelled." after a failed send must not stay red)."""

from __future__ import annotations

from amplify_auth_widgets.widgets import style
from amplify_auth_widgets.widgets.status import StatusLine


def test_a_message_without_a_kind_is_information_even_after_an_error():
    status = StatusLine()
    status.show("Request failed", "error")
    assert status.color == style.ERROR and "aaw-status-error" in status._dom_classes
    status.show("Cancelled.")
    assert status.message == "Cancelled." and status.kind == "info"
    assert status.color == style.TEXT
    assert "aaw-status-info" in status._dom_classes
    assert "aaw-status-error" not in status._dom_classes


def test_each_kind_takes_its_own_colour_and_class_alone():
    status = StatusLine()
    for kind, colour in (("ok", style.OK), ("error", style.ERROR), ("info", style.TEXT)):
        status.show(f"a {kind} message", kind)
        assert status.color == colour
        kinds = {c for c in status._dom_classes if c.startswith("aaw-status-")}
        assert kinds == {f"aaw-status-{kind}"}
