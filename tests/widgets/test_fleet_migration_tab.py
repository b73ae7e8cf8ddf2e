"""The fleet panel's Migration tab: the plan of each audit, its counts, chart and table, the
verdict filter, names from the service escaped, and the plan dropped with the connection."""

from __future__ import annotations

import base64
import html
import re
import threading

import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import STRONG
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.migration import CHART_TITLE, VERDICT_COLORS, VERDICTS
from amplify_auth_widgets.widgets.fleet import FleetPanel
from amplify_auth_widgets.widgets.style import on_theme

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def panel(tmp_path):
    with Emulator(job_seconds=0, seed=3, demo=True, db=str(tmp_path / "s.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        store.put_app("d9hostile", HOSTILE, {}, now)
        store.put_environment("d9hostile", "prod", {}, now)
        store.put_auth("d9hostile", "prod", "hostileauth", STRONG, now)
        history = JobHistory(":memory:")
        service = BackendAuthService(emu.connection(), on_call=history.record_call)
        tracker = JobTracker(
            service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
        )
        yield FleetPanel(Fleet(service, history, tracker))


def planned(panel):
    """Audit and plan from the Migration tab; wait (bounded) for the plan."""
    done = threading.Event()
    panel.observe(lambda _: done.set(), names="plan")
    panel.plan_button.click()
    assert done.wait(60) and panel.plan is not None
    return panel.plan


def test_audit_and_plan_fills_the_migration_tab(panel):
    assert panel.tabs.titles == ("Audit and apply", "Migration")
    assert panel.plan is None and "Audit to plan" in panel.plan_table.value
    plan = planned(panel)
    assert panel.audit is not None and len(plan) == len(panel.audit) == 7
    assert set(plan["verdict"]) == set(VERDICTS)
    counts = html.unescape(re.sub("<[^>]+>", "", panel.plan_counts.value))
    assert counts == "ready: 2 · ready with overrides: 2 · needs a decision: 1 · blocked: 2"
    # each verdict in its own colour, made readable on the page's theme
    coloured = re.findall(r'<span style="color:([^"]+)">([^<]+)</span>', panel.plan_counts.value)
    assert coloured == [(on_theme(VERDICT_COLORS[v]), v) for v in VERDICTS]
    # the chart: a figure whose image says the counts in words, captioned by its title
    chart = panel.plan_chart.value
    alt = re.search(r'alt="([^"]*)"', chart)[1]
    assert html.unescape(alt) == (
        "Bar chart of 7 environments by migration verdict: ready 2, ready with overrides 2, "
        "needs a decision 1, blocked 2."
    )
    png = base64.b64decode(re.search(r"base64,([^\"]+)", chart)[1])
    assert png[:4] == b"\x89PNG" and f"<figcaption>{CHART_TITLE}</figcaption>" in chart
    # the table: a caption, headers with a scope, a row per environment, reasons listed
    table = panel.plan_table.value
    assert "<caption>Migration plan: a row per environment</caption>" in table
    assert table.count('<th scope="col">') == 8 and table.count("<tr>") == 1 + 7
    assert "<li>no auth: the environment has no auth resource" in table
    assert "demo-google-secret" not in table


def test_the_verdict_filter_and_names_from_the_service_stay_text(panel):
    plan = planned(panel)
    panel.verdict_filter.value = "blocked"
    assert panel.plan_table.value.count("<tr>") == 1 + 2
    assert "new-project" in panel.plan_table.value and "todo-web" not in panel.plan_table.value
    panel.verdict_filter.value = "ready"
    table = panel.plan_table.value
    assert HOSTILE not in table and html.escape(HOSTILE) in table  # shown, never run
    panel.verdict_filter.value = "(all)"
    assert panel.plan_table.value.count("<tr>") == 1 + len(plan)


def test_a_new_connection_drops_the_plan(panel, tmp_path):
    planned(panel)
    with Emulator(job_seconds=0, seed=4, db=str(tmp_path / "other.sqlite3")) as other:
        panel.set_service(BackendAuthService(other.connection()))
    assert panel.plan is None and panel.plan_chart.value == ""
    assert "Audit to plan" in panel.plan_table.value and panel.plan_counts.value == ""
