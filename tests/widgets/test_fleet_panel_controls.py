"""The fleet panel's controls as a person meets them: what each is called and when it can be
pressed, the audit's line of counts and its table, the filters by app and environment, what is
said when an audit, its heat map or its plan cannot be had, the progress bar, the results of an
apply, and where the accounts to audit come from. Against the emulator, in this process."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import Future
from html.parser import HTMLParser

import pandas as pd
import pytest
from support.htmltext import text_of

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.fleet.checks import CHECKS
from amplify_auth_widgets.fleet.inventory import Fleet, audit_frame
from amplify_auth_widgets.fleet.migration import VERDICTS
from amplify_auth_widgets.fleet.rollout import MODES
from amplify_auth_widgets.widgets.fleet import ALL, ANY_CHECK, SHOWN, FleetPanel
from amplify_auth_widgets.widgets.style import ERROR, job_colour

DEMO_ENVIRONMENTS = 6  # the demo fleet's app environments


@pytest.fixture
def emu(tmp_path):
    with Emulator(job_seconds=0, seed=3, demo=True, db=str(tmp_path / "s.sqlite3")) as emulator:
        yield emulator


@pytest.fixture
def panel(emu):
    history = JobHistory(":memory:")
    service = BackendAuthService(emu.connection(), on_call=history.record_call)
    tracker = JobTracker(
        service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
    )
    return FleetPanel(Fleet(service, history, tracker))


def wait_for(panel, name):
    done = threading.Event()
    panel.observe(lambda _: done.set(), names=name)
    return done


def audited(panel):
    done = wait_for(panel, "audit")
    panel.audit_button.click()
    assert done.wait(60) and not panel.busy, panel.message.value
    return panel.audit


def shown(panel, frame):
    """``frame`` handed to the panel as a finished audit is (the audit's callback)."""
    future: Future = Future()
    future.set_result(frame)
    panel._audited(future)


def test_each_control_says_what_it_does_and_only_audit_can_be_pressed_at_first(panel):
    buttons = {
        b.description: (b.icon, b.tooltip, b.disabled)
        for b in (
            panel.audit_button,
            panel.places_button,
            panel.fix_button,
            panel.dry_run_button,
            panel.apply_button,
            panel.cancel_button,
            panel.plan_button,
        )
    }
    assert buttons == {
        "Audit": ("search", None, False),
        "Use accounts": (
            "sitemap",
            "Audit and apply in each profile in each region (pick them below)",
            False,
        ),
        "Fix with apply": (
            "wrench",
            "Dry-run the chosen check's remediation on the picked targets failing it",
            True,
        ),
        "Dry run": ("eye", None, True),
        "Apply": ("play", None, True),
        "Stop sending": ("stop", None, True),
        "Audit and plan": ("road", "Audit, then plan the move", False),
    }
    assert panel.apply_button.button_style == "warning"  # it changes the fleet
    fields = {
        c.description: c
        for c in (
            panel.places,
            panel.place_profiles,
            panel.place_regions,
            panel.env_filter,
            panel.check_filter,
            panel.app_filter,
            panel.targets,
            panel.mode_picker,
            panel.verdict_filter,
        )
    }
    assert list(fields) == [
        "Accounts",
        "Profiles",
        "Regions",
        "Environment",
        "Failing",
        "App",
        "Targets",
        "Mode",
        "Verdict",
    ]
    # every label in full, never cut to the default width
    assert {c.style.description_width for c in fields.values()} == {"initial"}
    assert panel.place_profiles.placeholder == "default (comma-separated)"
    assert panel.place_regions.placeholder == "the connection's (comma-separated)"
    assert panel.app_filter.placeholder == "app name or id"
    assert panel.env_filter.options == (ALL,) and panel.env_filter.value == ALL
    assert panel.check_filter.options == (ALL, ANY_CHECK, *CHECKS)
    assert panel.check_filter.value == ALL
    assert panel.verdict_filter.options == (ALL, *VERDICTS) and panel.verdict_filter.value == ALL
    assert panel.mode_picker.options == tuple(MODES) and panel.mode_picker.value == panel.mode
    assert panel.mode == "create"  # as fleet.apply and the CLI: never over a configuration
    assert (panel.places.rows, panel.targets.rows) == (4, 8)
    assert text_of(panel.table.value) == "Press Audit to read every app and environment."
    assert text_of(panel.plan_table.value) == "Audit to plan each environment's move to Gen 2."
    assert panel.message.value == panel.outcome.value == panel.apply_note.value == ""
    assert panel.progress.layout.visibility == "hidden" and panel.places.layout.display == "none"
    assert panel.heatmap.layout.display == "none"


def test_the_panel_s_parts_are_in_reading_order_with_the_classes_pages_style(panel):
    assert panel.children == (panel.progress, panel.message, panel.drift_view, panel.tabs)
    assert "aaw-fleet-panel" in panel._dom_classes
    audit_tab, migration_tab = panel.tabs.children
    assert panel.tabs.titles == ("Audit and apply", "Migration")
    top, places, row, *rest = audit_tab.children
    assert top.children == (panel.place_profiles, panel.place_regions, panel.places_button)
    assert places is panel.places
    assert row.children == (
        panel.audit_button,
        panel.env_filter,
        panel.check_filter,
        panel.app_filter,
    )
    fix, table, heatmap_error, heatmap, targets, apply_row, outcome = rest
    assert (fix, table, heatmap_error, heatmap) == (
        panel.fix_button,
        panel.table,
        panel.heatmap_error,
        panel.heatmap,
    )
    assert (targets, outcome) == (panel.targets, panel.outcome)
    assert apply_row.children == (
        panel.mode_picker,
        panel.dry_run_button,
        panel.apply_button,
        panel.cancel_button,
        panel.apply_note,
    )
    assert (apply_row.layout.flex_flow, apply_row.layout.align_items) == ("row wrap", "center")
    assert "aaw-fleet-migration" in migration_tab._dom_classes
    buttons, counts, chart, table = migration_tab.children
    assert buttons.children == (panel.plan_button, panel.verdict_filter)
    assert (counts, chart, table) == (panel.plan_counts, panel.plan_chart, panel.plan_table)


def test_while_busy_only_stop_can_be_pressed(panel):
    audited(panel)
    panel.template = {"ResourceConfig": {"Service": "COGNITO"}}
    panel.check_filter.value = "mfa-off"
    assert panel.picked and not panel.dry_run_button.disabled and not panel.fix_button.disabled
    assert panel.cancel_button.disabled
    panel.busy = True
    assert panel.audit_button.disabled and panel.plan_button.disabled
    assert panel.dry_run_button.disabled and panel.fix_button.disabled
    assert not panel.cancel_button.disabled
    stop = panel._cancel
    panel.cancel_button.click()
    assert stop.is_set()  # what is being sent stops
    panel.busy = False
    assert not panel.audit_button.disabled and not panel.plan_button.disabled
    assert panel.cancel_button.disabled and not panel.dry_run_button.disabled
    panel.template = {}
    assert panel.dry_run_button.disabled  # nothing to send
    panel.template = {"ResourceConfig": {"Service": "COGNITO"}}
    panel.targets.value = ()
    assert panel.picked == [] and panel.dry_run_button.disabled  # nowhere to send it


def test_a_new_connection_while_sending_stops_the_sending(panel, emu):
    panel.set_service(BackendAuthService(emu.connection()))
    assert not panel._cancel.is_set()  # (not busy: nothing to stop)
    panel.busy = True
    panel.set_service(BackendAuthService(emu.connection()))
    assert panel._cancel.is_set()
    assert panel.message.value == panel.outcome.value == panel.heatmap_error.value == ""


def test_the_audit_line_counts_environments_failing_and_unread(panel):
    frame = audited(panel)
    assert len(frame) == DEMO_ENVIRONMENTS
    assert panel.message.value == (
        f"<b>{DEMO_ENVIRONMENTS}</b> environments &middot; <b>4</b> fail a check &middot; "
        "0 could not be read"
    )
    assert panel.env_filter.options == (ALL, "dev", "main", "prod", "staging")
    assert '<figure class="aaw-plot aaw-heatmap"' in panel.heatmap.value
    assert panel.progress.layout.visibility == "hidden"
    assert (panel.progress.value, panel.progress.max) == (DEMO_ENVIRONMENTS, DEMO_ENVIRONMENTS)
    # the table: the columns shown, a row per environment, lists comma-separated
    rows = table_rows(panel.table.value)
    assert rows[0] == list(SHOWN) and len(rows) == 1 + DEMO_ENVIRONMENTS
    admin = next(r for r in rows if r[0] == "d3demoadmin")
    assert admin[2] == "main" and admin[6] == "amplify.deprecated" and admin[7] == ""
    assert admin[3] == ", ".join(frame.set_index("app_id").loc["d3demoadmin", "failed_checks"])
    new = next(r for r in rows if r[0] == "d4demonew")
    assert new[3:8] == ["", "", "", "", ""]  # no auth: nothing failed, nothing counted


def test_an_audit_that_reads_nothing_says_so(panel, emu):
    emu.faults.throttle_rate = 1.0
    panel.fleet.set_service(BackendAuthService(emu.connection(), sleep=lambda s: None))
    frame = audited(panel)
    assert frame["error"].notna().all()
    assert text_of(panel.message.value) == (
        f"{DEMO_ENVIRONMENTS} environments · 0 fail a check · {DEMO_ENVIRONMENTS} could not be read"
    )


def test_an_audit_that_fails_says_why_and_leaves_the_panel_ready(panel):
    dead = Connection(endpoint_url="http://127.0.0.1:9", region="us-east-1")
    panel.fleet.set_service(BackendAuthService(dead, sleep=lambda s: None))
    done = wait_for(panel, "busy")
    future = panel.run_audit()
    with pytest.raises(Exception) as failed:
        future.result(60)
    assert done.wait(60)
    for _ in range(600):
        if not panel.busy and panel.message.value != "Auditing...":
            break
        threading.Event().wait(0.01)
    assert panel.audit is None and not panel.busy and not panel.audit_button.disabled
    assert panel.message.value == f'<span style="color:{ERROR}">' + escape(failed) + "</span>"
    assert panel.progress.layout.visibility == "hidden"


def escape(failed):
    import html

    return html.escape(str(failed.value), quote=True)


def test_rows_that_cannot_be_shown_are_said_not_swallowed(panel):
    frame = audited(panel)
    panel.audit = None
    shown(panel, frame.drop(columns=["error"]))
    assert text_of(panel.message.value).startswith("The audit could not be shown: ")
    assert panel.message.value.startswith(f'<span style="color:{ERROR}">')
    assert panel.audit is None


def test_the_filters_find_an_app_by_name_or_id_and_keep_apps_that_could_not_be_listed(panel):
    frame = audited(panel)
    unlisted = audit_frame(
        [{"app_id": "d9broken", "app_name": "Broken-App", "error": "AccessDenied: no"}]
    )
    shown(panel, pd.concat([frame, unlisted], ignore_index=True))
    assert "<b>1</b> ..." not in panel.message.value
    assert text_of(panel.message.value).endswith("1 could not be read")
    assert "d9broken" in panel.table.value  # its row and its error show
    assert "AccessDenied: no" in panel.table.value
    assert len(table_rows(panel.table.value)) == 1 + DEMO_ENVIRONMENTS + 1
    panel.app_filter.value = "  TODO-web "  # a name, any case, spaces around
    assert {a for a, _ in panel.picked} == {"d1demotodo"}
    assert len(panel.picked) == 2
    panel.app_filter.value = "D2DEMO"  # an id
    assert {a for a, _ in panel.picked} == {"d2demoshop"}
    panel.app_filter.value = "broken"
    assert [r[0] for r in table_rows(panel.table.value)[1:]] == ["d9broken"]
    panel.app_filter.value = "shop"
    assert [r[0] for r in table_rows(panel.table.value)[1:]] == ["d2demoshop"] * 2
    panel.app_filter.value = "shop todo"  # the name and the id are not run together
    assert panel.picked == [] and len(table_rows(panel.table.value)) == 1
    panel.app_filter.value = "mobile d2demo"  # name, a space, then id
    assert {a for a, _ in panel.picked} == {"d2demoshop"}
    panel.app_filter.value = "(.*)"  # text, not a pattern
    assert panel.picked == []
    panel.app_filter.value = ""
    panel.env_filter.value = "prod"
    assert {e for _, e in panel.picked} == {"prod"} and len(panel.picked) == 2
    panel.env_filter.value = ALL
    panel.check_filter.value = ANY_CHECK
    assert len(panel.picked) == 4
    assert panel.targets.options == tuple(f"{a} / {e}" for a, e in panel.picked)


def test_filters_set_together_leave_the_rows_that_each_of_them_leaves(panel):
    audited(panel)
    settings = {panel.env_filter: "prod", panel.check_filter: ANY_CHECK, panel.app_filter: "shop"}
    alone = {}
    for control, value in settings.items():
        control.value = value
        alone[control] = set(panel.picked)
        control.value = "" if control is panel.app_filter else ALL
    for first, second in itertools.combinations(settings, 2):
        # each filter alone leaves a row the other takes away: a filter lost would show
        assert alone[first] - alone[second] and alone[second] - alone[first]
        first.value, second.value = settings[first], settings[second]
        assert set(panel.picked) == alone[first] & alone[second]
        first.value = "" if first is panel.app_filter else ALL
        second.value = "" if second is panel.app_filter else ALL
    for control, value in settings.items():
        control.value = value
    assert set(panel.picked) == set.intersection(*alone.values())


def test_a_heat_map_that_cannot_be_drawn_is_said_and_the_table_stays(panel):
    frame = audited(panel)
    assert panel.heatmap.layout.display is None and panel.heatmap_error.value == ""
    odd = frame.copy()
    odd["finding_codes"] = [[["nested"]]] * len(odd)  # a code no pivot can hold
    shown(panel, odd)
    assert panel.heatmap.layout.display == "none"
    error = panel.heatmap_error.value
    assert error.startswith(f'<span style="color:{ERROR}">')
    assert text_of(error).startswith("The heat map could not be drawn: ")
    assert panel.audit is odd and len(table_rows(panel.table.value)) == 1 + len(odd)
    shown(panel, frame)
    assert panel.heatmap_error.value == "" and panel.heatmap.layout.display is None


def test_a_plan_that_cannot_be_made_is_said_in_the_migration_tab(panel):
    frame = audited(panel)
    assert panel.plan is not None
    shown(panel, frame.drop(columns=["configured"]))
    assert panel.plan is None
    assert panel.plan_table.value.startswith(f'<span style="color:{ERROR}">')
    assert text_of(panel.plan_table.value).startswith("The plan could not be made: ")
    panel.audit = None
    assert panel.plan is None and panel.plan_counts.value == panel.plan_chart.value == ""
    assert text_of(panel.plan_table.value) == "Audit to plan each environment's move to Gen 2."


def test_an_empty_fleet_moves_the_progress_bar_to_its_end(tmp_path):
    with Emulator(job_seconds=0, db=str(tmp_path / "empty.sqlite3")) as emu:
        panel = FleetPanel(Fleet(BackendAuthService(emu.connection())))
        frame = audited(panel)
    assert frame.empty and panel.message.value.startswith("<b>0</b> environments")
    assert (panel.progress.value, panel.progress.max) == (0, 1)  # a bar, never 0 of 0
    progress = panel._progress_callback()
    assert panel.progress.layout.visibility == "visible"
    assert (panel.progress.value, panel.progress.max) == (0, 1)
    progress(3, 7)
    assert (panel.progress.value, panel.progress.max) == (3, 7)


def test_an_apply_shows_each_target_s_job_and_counts_by_status(panel):
    audited(panel)
    panel.check_filter.value = "identity-pool-unauthenticated"
    targets = sorted(panel.picked)
    assert targets
    dried = wait_for(panel, "results")
    assert panel.fix_check("identity-pool-unauthenticated") is not None
    assert dried.wait(60) and not panel.busy
    assert panel.message.value == (
        f'<span style="color:{job_colour("DRY_RUN")}">DRY_RUN</span>: {len(targets)}'
    )
    assert not panel.apply_button.disabled  # what was dry-run may be sent
    panel.mode = "upsert"
    assert panel.apply_button.disabled  # not what was dry-run: a dry run first
    panel.mode = "update"
    assert not panel.apply_button.disabled
    applied = []
    panel.on_applied(applied.append)
    done = wait_for(panel, "results")
    panel.apply_button.click()
    assert done.wait(60) and not panel.busy
    assert panel.message.value == (
        f'<span style="color:{job_colour("COMPLETED")}">COMPLETED</span>: {len(targets)}'
    )
    rows = table_rows(panel.outcome.value)
    assert rows[0] == ["app_id", "environment", "operation", "status", "error", "job_id"]
    results = panel.results.set_index(["app_id", "environment"])
    assert sorted((r[0], r[1]) for r in rows[1:]) == targets
    for row in rows[1:]:
        job = results.loc[(row[0], row[1])]
        assert row[2:] == ["UpdateBackendAuth", "COMPLETED", "", str(job["job_id"])]
        assert row[5]
    assert len(applied) == 1 and applied[0] is panel.results
    panel.on_applied(applied.append, remove=True)
    assert panel.apply_button.disabled  # applied: a new dry run first
    # another template: the fix's targets and their values are no longer what is sent
    assert list(panel.targets_frame().columns) != ["app_id", "environment"]
    panel.mode = "upsert"
    assert list(panel.targets_frame().columns) == ["app_id", "environment"]


def test_places_given_by_name_are_offered_under_that_name(panel, emu):
    home = emu.connection()
    panel.set_places({"home": home, "also home": home.with_changes(region="eu-west-1")})
    assert [label for label, _ in panel.places.options] == ["home", "also home"]
    assert panel.picked_places() == [home, home.with_changes(region="eu-west-1")]
    panel.set_places({})
    assert panel.places.layout.display == "none" and panel.picked_places() == []


def test_typed_places_start_from_a_plain_connection_when_the_service_has_none(panel):
    panel.fleet.service = object()  # a service without a connection of ours
    panel.place_regions.value = "eu-west-1"
    (place,) = panel.use_places()
    assert place == Connection().with_changes(region="eu-west-1")
    panel.place_regions.value = ""
    (place,) = panel.use_places()
    assert place == Connection()


def test_a_typed_profile_replaces_the_connection_s_own_keys(panel, emu):
    panel.place_profiles.value = "other"
    (place,) = panel.use_places()
    base = panel.fleet.service.connection
    assert base.access_key_id is not None  # the emulator's keys
    assert place.profile == "other" and place.access_key_id is None
    assert place.secret_access_key is None and place.region == base.region
    assert place.endpoint_url == base.endpoint_url
    panel.place_profiles.value = ""
    (place,) = panel.use_places()
    assert place.access_key_id == base.access_key_id and place.profile == base.profile


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self.cell = True

    def handle_endtag(self, tag):
        self.cell = self.cell and tag not in ("td", "th")

    def handle_data(self, data):
        if self.cell:
            self.rows[-1][-1] += data


def table_rows(html):
    """A table's rows (head first), each as its cells' texts."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def test_an_app_that_could_not_be_listed_is_shown_but_is_no_target(panel):
    """Its row says why it was not read; it names no environment, so there is nothing to
    dry-run or apply there (picked, it was "app / <NA>", INVALID in every dry run, and Apply
    stayed off until it was unpicked)."""
    frame = audited(panel)
    unlisted = audit_frame(
        [{"app_id": "d9broken", "app_name": "Broken-App", "error": "AccessDenied: no"}]
    )
    shown(panel, pd.concat([frame, unlisted], ignore_index=True))
    assert "d9broken" in panel.table.value and "AccessDenied: no" in panel.table.value
    assert len(panel.targets.options) == len(panel.picked) == DEMO_ENVIRONMENTS
    assert "d9broken" not in {a for a, _ in panel.picked}
    panel.template = {"ResourceConfig": {"Service": "COGNITO"}}
    assert not panel.dry_run_button.disabled
    panel.app_filter.value = "broken"
    assert [r[0] for r in table_rows(panel.table.value)[1:]] == ["d9broken"]
    assert panel.targets.options == () and panel.picked == []
    assert panel.dry_run_button.disabled


def test_a_new_connection_clears_what_the_old_one_showed(panel, emu):
    audited(panel)
    panel.env_filter.value = "prod"
    panel.heatmap_error.value = "<i>old</i>"
    panel.outcome.value = "<i>old results</i>"
    service = BackendAuthService(emu.connection())
    panel.set_service(service)
    assert panel.fleet.service is service and panel.fleet.tracker.service is service
    assert panel.audit is None and panel.results is None and panel.plan is None
    assert panel.env_filter.options == (ALL,) and panel.env_filter.value == ALL
    assert panel.targets.options == () and panel.picked == []
    assert text_of(panel.table.value) == "Connection changed: press Audit to read its apps."
    assert panel.heatmap.layout.display == "none"  # the old fleet's map is not shown
    assert panel.heatmap_error.value == panel.message.value == panel.outcome.value == ""
    assert panel.fix_button.disabled and not panel.audit_button.disabled


def test_the_audit_table_shows_200_rows_and_counts_the_rest(panel):
    rows = [{"app_id": f"d{i:03}", "app_name": "a", "environment": "dev"} for i in range(201)]
    shown(panel, audit_frame(rows))
    table = panel.table.value
    assert len(table_rows(table)) == 1 + 200 and text_of(table).endswith("1 more rows not shown")
    assert len(panel.targets.options) == 201  # every one can still be picked
    shown(panel, audit_frame(rows[:200]))
    assert len(table_rows(panel.table.value)) == 1 + 200
    assert "more rows" not in panel.table.value


def test_the_app_s_fleet_tab_audits_through_the_app_s_service(emulator, clock):
    from amplify_auth_widgets import AuthApp

    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    history = JobHistory(":memory:", clock)
    app = AuthApp(service, history=history, autostart=False)
    try:
        fleet = app.fleet.fleet
        assert fleet.service is service and fleet.history is history
        assert fleet.tracker is app.monitor.tracker
    finally:
        app.close()


def test_profiles_and_regions_are_split_at_commas(panel):
    panel.place_profiles.value = "home,other"
    panel.place_regions.value = "us-east-1,eu-west-1"
    places = panel.use_places()
    assert [(c.profile, c.region) for c in places] == [
        ("home", "us-east-1"),
        ("home", "eu-west-1"),
        ("other", "us-east-1"),
        ("other", "eu-west-1"),
    ]
    assert [label for label, _ in panel.places.options] == [
        "home · us-east-1",
        "home · eu-west-1",
        "other · us-east-1",
        "other · eu-west-1",
    ]
    assert panel.picked_places() == places  # all picked at first


def test_a_mode_given_to_the_panel_is_the_one_it_shows_and_applies_with(emu):
    """The mode passed to the constructor survives the link to its picker (the picker's first
    option used to be copied over it), and a choice in the picker is the panel's."""
    panel = FleetPanel(Fleet(BackendAuthService(emu.connection())), mode="upsert")
    assert panel.mode == panel.mode_picker.value == "upsert"
    panel.mode_picker.value = "update"
    assert panel.mode == "update"
