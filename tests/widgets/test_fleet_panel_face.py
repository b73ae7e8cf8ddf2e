"""The fleet panel as a person first meets it, before any audit: each control's label (its
accessible name), placeholder, tooltip and icon, what is hidden and what is off, the tabs'
titles, the order in which a keyboard reaches the controls, and the panel's class for the
theme. Then each control's wiring: a press or a change reaches what the control says it
does. The fleet is held (its audits and applies wait for the test), so nothing is sent."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd
import pytest
from support.fleetpanel import ROWS, TEMPLATE, held_panel
from support.htmltext import text_of
from support.widgetface import as_shown

from amplify_auth_widgets.fleet.checks import CHECKS
from amplify_auth_widgets.fleet.inventory import audit_frame
from amplify_auth_widgets.fleet.migration import VERDICTS
from amplify_auth_widgets.widgets.fleet import ALL, ANY_CHECK, MODES
from amplify_auth_widgets.widgets.style import WIDE

#: Each control as it first shows: kind, label, and what else it says or how it is set.
FACE: dict[str, dict[str, Any]] = {
    "place_profiles": {
        "kind": "Text",
        "description": "Profiles",
        "placeholder": "default (comma-separated)",
    },
    "place_regions": {
        "kind": "Text",
        "description": "Regions",
        "placeholder": "the connection's (comma-separated)",
    },
    "places_button": {
        "kind": "Button",
        "description": "Use accounts",
        "icon": "sitemap",
        "tooltip": "Audit and apply in each profile in each region (pick them below)",
        "disabled": False,
    },
    "places": {"kind": "SelectMultiple", "description": "Accounts", "rows": 4, "options": ()},
    "audit_button": {"kind": "Button", "description": "Audit", "icon": "search", "disabled": False},
    "env_filter": {
        "kind": "Dropdown",
        "description": "Environment",
        "options": (ALL,),
        "value": ALL,
    },
    "check_filter": {
        "kind": "Dropdown",
        "description": "Failing",
        "options": (ALL, ANY_CHECK, *CHECKS),
        "value": ALL,
    },
    "app_filter": {"kind": "Text", "description": "App", "placeholder": "app name or id"},
    "fix_button": {
        "kind": "Button",
        "description": "Fix with apply",
        "icon": "wrench",
        "tooltip": "Dry-run the chosen check's remediation on the picked targets failing it",
        "disabled": True,
    },
    "targets": {"kind": "SelectMultiple", "description": "Targets", "rows": 8, "options": ()},
    "mode_picker": {"kind": "Dropdown", "description": "Mode", "options": tuple(MODES)},
    "dry_run_button": {"kind": "Button", "description": "Dry run", "icon": "eye", "disabled": True},
    "apply_button": {
        "kind": "Button",
        "description": "Apply",
        "icon": "play",
        "button_style": "warning",
        "disabled": True,
    },
    "cancel_button": {
        "kind": "Button",
        "description": "Stop sending",
        "icon": "stop",
        "disabled": True,
    },
    "plan_button": {
        "kind": "Button",
        "description": "Audit and plan",
        "icon": "road",
        "tooltip": "Audit, then plan the move",
        "disabled": False,
    },
    "verdict_filter": {
        "kind": "Dropdown",
        "description": "Verdict",
        "options": (ALL, *VERDICTS),
        "value": ALL,
    },
}

#: The controls a label is shown beside, in full (the default width cuts "Environment").
LABELLED = [
    "place_profiles",
    "place_regions",
    "places",
    "env_filter",
    "check_filter",
    "app_filter",
    "targets",
    "mode_picker",
    "verdict_filter",
]


def _reached(panel: Any) -> list[w.Widget]:
    """Every widget under the panel, in the order the page lays them out (a keyboard's)."""
    seen: list[w.Widget] = []

    def walk(widget: w.Widget) -> None:
        seen.append(widget)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(panel)
    return seen


def test_every_control_first_shows_its_label_hint_icon_and_state():
    panel, _ = held_panel()
    shown = {name: as_shown(getattr(panel, name), face) for name, face in FACE.items()}
    assert shown == FACE
    for name in LABELLED:
        assert getattr(panel, name).style.description_width == WIDE["description_width"], name


def test_what_is_hidden_and_empty_before_an_audit():
    panel, _ = held_panel()
    assert panel.places.layout.display == "none"  # until accounts are given
    assert panel.progress.layout.visibility == "hidden"
    assert (panel.progress.value, panel.progress.min, panel.progress.max) == (0, 0, 1)
    assert text_of(panel.table.value) == "Press Audit to read every app and environment."
    assert text_of(panel.plan_table.value) == "Audit to plan each environment's move to Gen 2."
    for part in (panel.message, panel.outcome, panel.drift_view, panel.heatmap_error):
        assert part.value == ""
    for part in (panel.plan_counts, panel.plan_chart, panel.apply_note):
        assert part.value == ""
    assert panel.picked == [] and panel.audit is None and not panel.busy


def test_the_tabs_the_order_of_the_controls_and_the_theme_classes():
    panel, _ = held_panel()
    assert panel.tabs.titles == ("Audit and apply", "Migration")
    assert panel.children == (panel.progress, panel.message, panel.drift_view, panel.tabs)
    assert "aaw-fleet-panel" in panel._dom_classes
    assert "aaw-fleet-migration" in panel.tabs.children[1]._dom_classes
    order = [name for name in FACE if getattr(panel, name) in _reached(panel)]
    assert order == list(FACE), "each control is in the panel, in this order"
    audit_tab = panel.tabs.children[0]
    inside = _reached(audit_tab)
    for part in (panel.table, panel.heatmap_error, panel.heatmap, panel.outcome):
        assert part in inside
    assert _reached(panel.tabs.children[1])[1:] == [
        panel.tabs.children[1].children[0],
        panel.plan_button,
        panel.verdict_filter,
        panel.plan_counts,
        panel.plan_chart,
        panel.plan_table,
    ]


def test_audit_and_audit_and_plan_start_an_audit():
    for button in ("audit_button", "plan_button"):
        panel, fleet = held_panel()
        getattr(panel, button).click()
        assert len(fleet.audits) == 1 and panel.busy, button
        assert panel.audit_button.disabled and panel.plan_button.disabled
        assert not panel.cancel_button.disabled


def test_use_accounts_offers_each_profile_in_each_region():
    panel, _ = held_panel()
    panel.place_profiles.value = "dev, ops"
    panel.place_regions.value = "eu-west-1"
    panel.places_button.click()
    assert panel.places.layout.display is None
    assert [(c.profile, c.region) for c in panel.picked_places()] == [
        ("dev", "eu-west-1"),
        ("ops", "eu-west-1"),
    ]


def _audited(panel: Any, fleet: Any) -> None:
    panel.run_audit()
    fleet.audits[-1].set_result(audit_frame(ROWS))


def test_the_heat_map_drawn_after_an_audit_carries_its_class():
    panel, fleet = held_panel()
    _audited(panel, fleet)
    assert panel.heatmap.layout.display is None
    assert 'class="aaw-plot aaw-heatmap"' in panel.heatmap.value


def _dry_run(targets: list[tuple[str, str]]) -> pd.DataFrame:
    """A dry run's results: each target would be updated, nothing refused."""
    return pd.DataFrame(
        [
            {
                "app_id": app_id,
                "environment": environment,
                "operation": "UpdateBackendAuth",
                "status": "DRY_RUN",
                "error": None,
                "job_id": None,
            }
            for app_id, environment in targets
        ]
    )


def test_the_filters_redraw_the_table_as_they_change():
    panel, fleet = held_panel()
    _audited(panel, fleet)
    assert "prod" in text_of(panel.table.value)
    panel.env_filter.value = "dev"
    assert "prod" not in text_of(panel.table.value)
    panel.env_filter.value = ALL
    panel.app_filter.value = "no such app"
    assert "todo" not in text_of(panel.table.value)
    panel.app_filter.value = ""
    panel.check_filter.value = ANY_CHECK  # neither environment fails a check
    assert "todo" not in text_of(panel.table.value)
    panel.check_filter.value = ALL
    assert "prod" in text_of(panel.table.value)


def test_picking_targets_readies_dry_run_and_a_dry_run_then_apply_and_stop():
    panel, fleet = held_panel()
    _audited(panel, fleet)
    panel.targets.value = ()
    panel.template = TEMPLATE
    assert panel.dry_run_button.disabled  # nothing picked
    panel.targets.value = tuple(panel.targets.options[:1])
    assert panel.picked == [("d1todo", "dev")]
    assert not panel.dry_run_button.disabled
    panel.dry_run_button.click()
    assert len(fleet.applies) == 1 and fleet.applies[0][1]["dry_run"] is True
    assert not panel.cancel_button.disabled
    panel.cancel_button.click()
    assert panel._cancel.is_set()
    fleet.applies[0][0].set_result(_dry_run(panel.picked))
    assert not panel.apply_button.disabled
    panel.apply_button.click()
    assert len(fleet.applies) == 2 and fleet.applies[1][1]["dry_run"] is False


@pytest.mark.parametrize("mode", MODES)
def test_the_mode_picker_and_the_panel_s_mode_are_one(mode):
    panel, _ = held_panel()
    panel.mode_picker.value = mode
    assert panel.mode == mode
    panel.mode = MODES[0]
    assert panel.mode_picker.value == MODES[0]


def test_the_verdict_filter_redraws_the_plan():
    panel, fleet = held_panel()
    _audited(panel, fleet)
    assert panel.plan is not None
    assert "prod" in text_of(panel.plan_table.value)  # both environments are blocked
    panel.verdict_filter.value = "ready"
    assert "prod" not in text_of(panel.plan_table.value)
    panel.verdict_filter.value = "blocked"
    assert "prod" in text_of(panel.plan_table.value)


def test_a_template_given_after_the_targets_readies_dry_run():
    panel, fleet = held_panel()
    _audited(panel, fleet)
    assert panel.picked and panel.dry_run_button.disabled  # no template yet
    panel.template = TEMPLATE
    assert not panel.dry_run_button.disabled


OTHER_TEMPLATE = {"ResourceConfig": {"Service": "COGNITO", "AuthResources": "USER_POOL_ONLY"}}


@pytest.mark.parametrize(
    "change",
    [
        lambda panel: setattr(panel, "mode", next(m for m in MODES if m != panel.mode)),
        lambda panel: setattr(panel, "template", OTHER_TEMPLATE),
    ],
    ids=["another mode", "another template"],
)
def test_a_change_after_a_dry_run_turns_apply_off_until_dry_run_again(change):
    panel, fleet = held_panel()
    _audited(panel, fleet)
    panel.template = TEMPLATE
    panel.dry_run_button.click()
    fleet.applies[0][0].set_result(_dry_run(panel.picked))
    assert not panel.apply_button.disabled
    change(panel)
    assert panel.apply_button.disabled


def test_fix_with_apply_fixes_the_check_chosen_in_failing():
    panel, _ = held_panel()
    fixed: list[str] = []
    panel.fix_check = fixed.append  # type: ignore[method-assign]
    panel.check_filter.value = next(iter(CHECKS))
    panel.fix_button.disabled = False
    panel.fix_button.click()
    assert fixed == [next(iter(CHECKS))]


def test_the_apply_row_wraps_on_a_narrow_page_with_the_note_beside_apply():
    """Reflow (WCAG 1.4.10): the row of Mode, Dry run, Apply and Stop sending wraps rather than
    running off a narrow page, its parts centred on one line; why Apply is off comes last."""
    panel, _ = held_panel()
    row = next(
        child
        for child in panel.tabs.children[0].children
        if isinstance(child, w.HBox) and panel.apply_button in child.children
    )
    assert row.children == (
        panel.mode_picker,
        panel.dry_run_button,
        panel.apply_button,
        panel.cancel_button,
        panel.apply_note,
    )
    assert (row.layout.flex_flow, row.layout.align_items) == ("row wrap", "center")


def test_audit_with_accounts_offered_and_none_picked_says_to_pick_one():
    panel, fleet = held_panel()
    panel.place_profiles.value = "dev"
    panel.places_button.click()  # the accounts are offered, all picked
    panel.places.value = ()
    panel.audit_button.click()
    assert fleet.audits == [] and not panel.busy
    assert text_of(panel.message.value) == "Pick an account and region to audit (Accounts)."
