"""How a job shows whatever its status: an unknown status is shown as still under way."""

from __future__ import annotations

from amplify_auth_widgets.core import lifecycle
from amplify_auth_widgets.core.lifecycle import JobStatus, Verdict

KINDS = {"ok", "error", "busy", "warning"}


def test_a_status_the_service_adds_shows_as_busy_under_its_own_name():
    # A status this version does not know (the service grew one, or a record says so) is not an
    # end: a console colours it as a job under way, in the neutral colour, under its own name.
    odd = lifecycle.display("ROLLING_BACK")
    assert (odd.label, odd.color, odd.kind) == ("ROLLING_BACK", lifecycle.OTHER.color, "busy")
    unread = lifecycle.display(None)
    assert (unread.label, unread.kind) == (lifecycle.UNKNOWN, "busy")


def test_every_status_and_verdict_has_a_kind_a_console_knows():
    kinds = {s: lifecycle.display(s).kind for s in (*JobStatus, *Verdict, "ROLLING_BACK")}
    assert set(kinds.values()) <= KINDS
    assert kinds[JobStatus.COMPLETED] == "ok" and kinds[JobStatus.FAILED] == "error"
    assert kinds[Verdict.TIMED_OUT] == kinds[Verdict.NOT_FOUND] == "warning"
