"""FleetPanel: audit, filters, heat map, pick, dry run before apply, progress and results."""

from __future__ import annotations

import threading

import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, fleet_config, seed_fleet
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.widgets.fleet import FleetPanel


@pytest.fixture
def panel(tmp_path):
    with Emulator(job_seconds=0, seed=3, db=str(tmp_path / "s.sqlite3")) as emu:
        seeded = seed_fleet(emu.backend, 6, weak_share=0.5)
        store, now = emu.backend.store, emu.clock()
        store.put_app("d9social", "social", {}, now)
        store.put_environment("d9social", "prod", {}, now)
        store.put_auth("d9social", "prod", "socialauth", SOCIAL, now)
        history = JobHistory(":memory:")
        service = BackendAuthService(emu.connection(), on_call=history.record_call)
        tracker = JobTracker(
            service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
        )
        yield FleetPanel(Fleet(service, history, tracker)), seeded


def settle(panel, name):
    """Wait (bounded) for ``name`` to be set by the background work's callback."""
    done = threading.Event()
    panel.observe(lambda _: done.set(), names=name)
    return done


def test_audit_filter_dry_run_then_apply(panel):
    panel, seeded = panel
    audited = settle(panel, "audit")
    panel.run_audit()
    assert audited.wait(60) and panel.audit is not None
    assert len(panel.audit) == len(seeded) + 1
    assert "demo-google-secret" not in panel.table.value
    assert bytes(panel.heatmap.png[:4]) == b"\x89PNG" and panel.heatmap.layout.display is None
    assert panel.heatmap.alt.startswith("Heat map of failed checks and findings in ")
    # the seeded MFA off: the check chosen in the filter
    weak = {key for key, weakness in seeded.items() if weakness == "mfa-off"}
    assert weak
    panel.check_filter.value = "mfa-off"
    assert set(panel.picked) == weak and len(panel.targets.options) == len(weak)
    panel.env_filter.value = "prod"
    assert {e for _, e in panel.picked} <= {"prod"}
    panel.env_filter.value = "(all)"
    assert panel.dry_run_button.disabled  # nothing to apply yet
    panel.template = {"ResourceName": "fleetauth", "ResourceConfig": fleet_config(0, "x", None)}
    panel.mode = "update"
    assert not panel.dry_run_button.disabled and panel.apply_button.disabled
    dried = settle(panel, "results")
    panel.run_apply(dry_run=True)
    assert dried.wait(60) and not panel.busy
    assert set(panel.results["status"].astype(str)) == {"DRY_RUN"}
    assert '<span aria-hidden="true">→ </span>' in panel.outcome.value  # the diffs are shown
    assert not panel.apply_button.disabled  # now, and only now
    panel.mode = "upsert"
    assert panel.apply_button.disabled  # another mode needs its own dry run
    panel.mode = "update"
    assert not panel.apply_button.disabled
    applied = []
    panel.on_applied(applied.append)
    finished = settle(panel, "results")
    panel.run_apply(dry_run=False)
    assert finished.wait(60)
    assert set(panel.results["status"].astype(str)) == {"COMPLETED"}
    assert applied and len(applied[0]) == len(weak)
    assert panel.progress.value == len(weak) and panel.apply_button.disabled


def test_the_app_has_a_fleet_tab_that_applies_the_editors_value(emulator, clock):
    from conftest import valid_request

    from amplify_auth_widgets import AuthApp

    service = BackendAuthService(emulator.connection(), sleep=lambda s: None)
    app = AuthApp(service, history=JobHistory(":memory:", clock), autostart=False)
    try:
        fleet = app.fleet  # built when first asked for (or shown)
        assert app.tabs.get_title(3) == "Fleet" and app.tabs.children[3].children == (fleet,)
        assert app.fleet.fleet.tracker is app.monitor.tracker  # one polling policy
        app.editor.value = valid_request()
        assert app.fleet.template == app.editor.value
    finally:
        app.close()


def test_set_service_moves_the_panel_and_drops_what_the_old_one_showed(panel, tmp_path):
    """Another connection: audits and applies go there, and a dry run made through the old
    one no longer enables Apply (it would send to targets never looked at there)."""
    panel, _ = panel
    audited = settle(panel, "audit")
    panel.run_audit()
    assert audited.wait(60)
    panel.check_filter.value = "mfa-off"
    assert panel.picked
    panel.template = {"ResourceName": "fleetauth", "ResourceConfig": fleet_config(0, "x", None)}
    panel.mode = "update"
    dried = settle(panel, "results")
    panel.run_apply(dry_run=True)
    assert dried.wait(60) and not panel.apply_button.disabled
    with Emulator(job_seconds=0, seed=4, db=str(tmp_path / "other.sqlite3")) as other:
        elsewhere = seed_fleet(other.backend, 2)
        service = BackendAuthService(other.connection())
        panel.set_service(service)
        assert panel.fleet.service is service and panel.fleet.tracker.service is service
        assert panel.audit is None and panel.results is None and panel.picked == []
        assert panel.apply_button.disabled and panel.dry_run_button.disabled
        assert panel.targets.options == () and "press Audit" in panel.table.value
        audited = settle(panel, "audit")
        panel.run_audit()
        assert audited.wait(60)
        assert set(zip(panel.audit["app_id"], panel.audit["environment"], strict=True)) == set(
            elsewhere
        )
        panel.check_filter.value = "(all)"  # (shows the new audit now, in this thread)
        assert set(panel.picked) == set(elsewhere)
