"""The fleet panel while its work runs and when a part of it fails: the line that says what is
under way (auditing, a dry run, applying) and the progress bar hidden once it is done, the
Fix button's words when it cannot fix, a dry run's counts by status, the Fix button ready after
an audit when a check was chosen first, and a chart or the changes since the last audit that
cannot be had said in their place while the audit stands. The work is held by a fleet whose
futures the test finishes, so what shows meanwhile can be read."""

from __future__ import annotations

import threading

import pandas as pd
from support.fleetpanel import ROWS, TEMPLATE, held_panel
from support.htmltext import text_of

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL
from amplify_auth_widgets.fleet.inventory import Fleet, audit_frame
from amplify_auth_widgets.widgets import fleet as fleet_module
from amplify_auth_widgets.widgets.fleet import ALL, FleetPanel
from amplify_auth_widgets.widgets.style import ERROR, job_colour


def results(statuses: dict[tuple[str, str], str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "app_id": a,
                "environment": e,
                "operation": "UpdateBackendAuth",
                "status": s,
                "error": None,
                "job_id": f"job-{a}-{e}",
            }
            for (a, e), s in statuses.items()
        ]
    )


def test_the_line_says_what_runs_and_the_bar_hides_once_it_is_done():
    panel, fleet = held_panel()
    future = panel.run_audit()
    assert panel.message.value == "Auditing..." and panel.busy
    assert panel.progress.layout.visibility == "visible"
    future.set_result(audit_frame(ROWS))
    assert not panel.busy and panel.progress.layout.visibility == "hidden"
    assert text_of(panel.message.value).startswith("2 environments")
    panel.template = TEMPLATE
    panel.run_apply(dry_run=True)
    assert panel.message.value == "Dry run..." and panel.busy
    assert panel.progress.layout.visibility == "visible"
    done, options = fleet.applies[-1]
    assert options["dry_run"] is True and options["mode"] == "create"
    assert options["template"] == TEMPLATE
    sent = options["targets"]
    assert sorted(zip(sent["app_id"], sent["environment"], strict=True)) == sorted(panel.picked)
    assert len(sent) == 2
    done.set_result(results({("d1todo", "dev"): "DRY_RUN", ("d1todo", "prod"): "DRY_RUN"}))
    assert not panel.busy and panel.progress.layout.visibility == "hidden"
    assert not panel.apply_button.disabled
    panel.run_apply(dry_run=False)
    assert panel.message.value == "Applying..." and panel.busy
    done, options = fleet.applies[-1]
    assert options["dry_run"] is False
    done.set_exception(RuntimeError("throttled <everywhere>"))
    assert not panel.busy and panel.progress.layout.visibility == "hidden"
    assert panel.message.value == (
        f'<span style="color:{ERROR}">throttled &lt;everywhere&gt;</span>'
    )


def test_a_dry_run_counts_its_targets_by_status_on_one_line():
    panel, fleet = held_panel()
    panel.run_audit()
    fleet.audits[-1].set_result(audit_frame(ROWS))
    panel.template = TEMPLATE
    panel.run_apply(dry_run=True)
    done, _ = fleet.applies[-1]
    done.set_result(results({("d1todo", "dev"): "INVALID", ("d1todo", "prod"): "DRY_RUN"}))
    shown = {f'<span style="color:{job_colour(s)}">{s}</span>: 1' for s in ("DRY_RUN", "INVALID")}
    assert set(panel.message.value.split(" &middot; ")) == shown
    assert text_of(panel.message.value) in ("DRY_RUN: 1 · INVALID: 1", "INVALID: 1 · DRY_RUN: 1")
    assert panel.apply_button.disabled  # an INVALID target: the plan is not sent
    assert "1 target(s) INVALID (d1todo / dev;" in text_of(panel.apply_note.value)


def test_fix_says_why_it_cannot_fix_in_full():
    panel, fleet = held_panel()
    assert panel.fix_check("mfa-off") is None
    assert panel.message.value == (
        f'<span style="color:{ERROR}">Audit first: a fix is for the environments failing</span>'
    )
    panel.run_audit()  # busy until its future is finished
    assert panel.fix_check("mfa-off") is None
    assert panel.message.value == (
        f'<span style="color:{ERROR}">The panel is busy: fix once it is done.</span>'
    )
    assert fleet.applies == []  # nothing was dry-run


def test_a_check_chosen_before_the_audit_can_be_fixed_once_it_is_read():
    panel, fleet = held_panel()
    panel.check_filter.value = "mfa-off"
    assert panel.fix_button.disabled  # nothing audited
    panel.run_audit()
    assert panel.fix_button.disabled  # busy
    fleet.audits[-1].set_result(audit_frame(ROWS))
    assert panel.audit is not None and not panel.fix_button.disabled


def test_a_chart_that_cannot_be_drawn_is_said_and_the_plan_stands(monkeypatch):
    def broken(plan):
        raise ValueError("no <font> for it")

    monkeypatch.setattr(fleet_module, "plan_chart", broken)
    panel, fleet = held_panel()
    panel.run_audit()
    fleet.audits[-1].set_result(audit_frame(ROWS))
    assert panel.plan is not None and len(panel.plan) == 2
    assert panel.plan_chart.value == (
        f'<span style="color:{ERROR}">The chart could not be drawn: no &lt;font&gt; for it</span>'
    )
    assert panel.plan_table.value.count("<tr>") == 1 + 2 and panel.plan_counts.value


def test_changes_that_cannot_be_read_are_said_and_the_audit_stands(monkeypatch):
    def broken(**options):
        raise OSError("history <locked>")

    monkeypatch.setattr(fleet_module, "drift", broken)
    panel, fleet = held_panel()
    panel.save_audits = True
    panel.changes = pd.DataFrame()  # what an earlier audit showed
    panel.run_audit()
    fleet.audits[-1].set_result(audit_frame(ROWS))
    assert panel.audit is not None and len(panel.targets.options) == 2
    assert panel.changes is None
    assert panel.drift_view.value == (
        f'<span style="color:{ERROR}">What changed could not be read: history &lt;locked&gt;</span>'
    )


def test_fix_with_apply_from_all_environments_shows_and_picks_those_failing(tmp_path):
    with Emulator(job_seconds=0, seed=3, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        store.put_app("d9social", "social", {}, now)
        for env in ("prod", "dev"):
            store.put_environment("d9social", env, {}, now)
        store.put_auth("d9social", "prod", "auth", SOCIAL, now)  # lets guests in
        history = JobHistory(":memory:")
        service = BackendAuthService(emu.connection(), on_call=history.record_call)
        tracker = JobTracker(
            service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
        )
        panel = FleetPanel(Fleet(service, history, tracker))
        panel.save_audits = False
        done = threading.Event()
        panel.observe(lambda _: done.set(), names="audit")
        panel.run_audit()
        assert done.wait(60) and not panel.busy
        assert panel.check_filter.value == ALL and len(panel.picked) == 2
        dried = threading.Event()
        panel.observe(lambda _: dried.set(), names="results")
        assert panel.fix_check("identity-pool-unauthenticated") is not None
        assert panel.check_filter.value == "identity-pool-unauthenticated"
        assert panel.picked == [("d9social", "prod")]
        assert [r[0] for r in _rows(panel.table.value)] == ["d9social"]
        assert dried.wait(60) and not panel.busy
        assert panel.results["status"].astype(str).tolist() == ["DRY_RUN"]


def _rows(html):
    import re

    body = html.split("<tbody>", 1)[1]
    return [re.findall(r"<td>(.*?)</td>", row) for row in body.split("</tr>")[:-1]]


def test_an_app_without_a_name_is_found_by_its_id_and_nothing_else():
    panel, fleet = held_panel()
    panel.run_audit()
    nameless = {"app_id": "d9broken", "app_name": None, "environment": "dev"}
    # a listing's item without an id: its row says so, and names no app to find
    idless = {"app_id": None, "app_name": "Odd", "error": "ListApps: MalformedAnswer: no appId"}
    fleet.audits[-1].set_result(audit_frame([*ROWS, nameless, idless]))
    panel.app_filter.value = "d9"
    assert panel.picked == [("d9broken", "dev")]
    panel.app_filter.value = "odd"
    assert "no appId" in panel.table.value and panel.picked == []
    for text in ("x", "nan", "none", "<na>"):  # a missing name or id is no text to match
        panel.app_filter.value = text
        assert panel.picked == [] and panel.targets.options == (), text
        assert "<tbody></tbody>" in panel.table.value, text


def test_the_panel_audits_and_applies_as_many_at_a_time_as_the_fleet_does_by_default():
    import inspect

    from amplify_auth_widgets.fleet.inventory import apply, audit

    panel, fleet = held_panel()
    for function in (Fleet.audit, audit, apply):
        assert inspect.signature(function).parameters["concurrency"].default == panel.concurrency
    panel.run_audit()
    fleet.audits[-1].set_result(audit_frame(ROWS))
    panel.template = TEMPLATE
    panel.run_apply(dry_run=True)
    assert fleet.applies[-1][1]["concurrency"] == 8


def test_an_audit_read_back_without_its_checks_shows_them_worked_out():
    from amplify_auth_widgets.fleet.checks import FAILED_COLUMN, check_columns

    dev = {**ROWS[0], "configured": True, "UserPoolConfigs.Mfa.MFAMode": "OFF"}
    older = audit_frame([dev, ROWS[1]]).drop(columns=[*check_columns(), FAILED_COLUMN])
    panel, _fleet = held_panel()
    future = panel.run_audit()
    future.set_result(older)
    assert text_of(panel.message.value).startswith("2 environments · 1 fail a check")
    assert "mfa-off" in panel.table.value  # the dev environment's failed checks, shown
    panel.check_filter.value = "mfa-off"
    assert panel.table.value.count("<tr>") == 2  # the head and the dev environment only
