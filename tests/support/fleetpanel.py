"""A fleet panel on a fleet whose audits and applies wait for the test, and rows to hand it."""

from __future__ import annotations

from concurrent.futures import Future

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.widgets.fleet import FleetPanel

ROWS = [
    {"app_id": "d1todo", "app_name": "todo", "environment": "dev"},
    {"app_id": "d1todo", "app_name": "todo", "environment": "prod"},
]
TEMPLATE = {"ResourceConfig": {"Service": "COGNITO"}}


class HeldFleet:
    """A fleet whose audits and applies wait until the test finishes their futures."""

    def __init__(self) -> None:
        self.history = JobHistory(":memory:")
        self.service = None
        self.audits: list[Future] = []
        self.applies: list[tuple[Future, dict]] = []

    def audit_async(self, **options):
        self.audits.append(Future())
        return self.audits[-1]

    def apply_async(self, template, targets, **options):
        self.applies.append((Future(), {"template": template, "targets": targets, **options}))
        return self.applies[-1][0]


def held_panel() -> tuple[FleetPanel, HeldFleet]:
    fleet = HeldFleet()
    panel = FleetPanel(fleet)  # type: ignore[arg-type]
    panel.save_audits = False
    return panel, fleet
