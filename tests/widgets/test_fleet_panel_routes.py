"""What the fleet panel hands the fleet when it audits and applies, by either road (its own
connection, or the accounts and regions picked): its concurrency, its history (the audits saved
and the jobs recorded there, not in a throwaway one), its progress bar, and Stop sending."""

from __future__ import annotations

import threading

import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import fleet_config, seed_fleet
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.timeline import saved_audits
from amplify_auth_widgets.widgets.fleet import FleetPanel

ROADS = ["own", "places"]
TRANSIENT = ("Auditing...", "Dry run...", "Applying...")


@pytest.fixture
def emu(tmp_path):
    with Emulator(job_seconds=0, seed=3, db=str(tmp_path / "s.sqlite3")) as emulator:
        seed_fleet(emulator.backend, 2, weak_share=0.0)
        yield emulator


def changed():
    """A template every seeded target would change under (a longer minimum length)."""
    config = fleet_config(0, "x", None)
    config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 17
    return {"ResourceName": "fleetauth", "ResourceConfig": config}


def panel_on(emu, road, **options):
    history = JobHistory(":memory:")
    service = BackendAuthService(emu.connection(), on_call=history.record_call)
    tracker = JobTracker(
        service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
    )
    panel = FleetPanel(Fleet(service, history, tracker), **options)
    if road == "places":
        panel.set_places({"here": emu.connection()})
    return panel


def finish(panel, name, start):
    """Start the work, then wait (bounded) until the panel has shown its outcome: ``name``
    set, or the failure said."""
    done = threading.Event()
    panel.observe(lambda _: done.set(), names=name)
    future = start()
    for _ in range(6000):
        failed = future.done() and future.exception() is not None
        if done.is_set() or (failed and panel.message.value not in TRANSIENT):
            break
        threading.Event().wait(0.01)
    return future


@pytest.mark.parametrize("road", ROADS)
def test_the_panel_s_concurrency_is_what_audits_and_applies_use(emu, road):
    panel = panel_on(emu, road, concurrency=0)  # refused by the fleet: shows it is passed on
    assert panel.concurrency == 0
    finish(panel, "audit", panel.run_audit)
    assert panel.audit is None and "concurrency must be 1 or more, not 0" in panel.message.value
    panel.picked = [("d1", "prod")]
    panel.template = {"ResourceConfig": {"Service": "COGNITO"}}
    finish(panel, "results", lambda: panel.run_apply(dry_run=True))
    assert panel.results is None and "concurrency must be 1 or more, not 0" in panel.message.value
    assert not panel.busy and not panel.audit_button.disabled


@pytest.mark.parametrize("road", ROADS)
def test_audits_are_saved_in_the_panel_s_history_and_move_its_progress_bar(emu, road):
    panel = panel_on(emu, road)
    finish(panel, "audit", panel.run_audit)
    assert panel.audit is not None and len(panel.audit) == 6
    assert len(saved_audits(panel.fleet.history)) == 1
    assert (panel.progress.value, panel.progress.max) == (6, 6)
    assert "First saved audit" in panel.drift_view.value
    panel.save_audits = False
    finish(panel, "audit", panel.run_audit)
    assert len(saved_audits(panel.fleet.history)) == 1 and panel.drift_view.value == ""


@pytest.mark.parametrize("road", ROADS)
def test_an_apply_is_recorded_in_the_panel_s_history_with_its_mode(emu, road):
    panel = panel_on(emu, road)
    finish(panel, "audit", panel.run_audit)
    panel.env_filter.value = "prod"
    assert len(panel.picked) == 2
    panel.template = changed()
    panel.mode = "update"
    told, dropped = [], []
    panel.on_applied(told.append)
    panel.on_applied(dropped.append)
    panel.on_applied(dropped.append, remove=True)  # no longer told
    finish(panel, "results", lambda: panel.run_apply(dry_run=True))
    assert set(panel.results["status"]) == {"DRY_RUN"}
    assert set(panel.results["operation"]) == {"UpdateBackendAuth"}
    assert panel.fleet.history.jobs().empty  # a dry run sends nothing
    assert told == []  # (nor is anyone told of it)
    finish(panel, "results", lambda: panel.run_apply(dry_run=False))
    assert set(panel.results["status"]) == {"COMPLETED"}, panel.message.value
    assert len(told) == 1 and told[0] is panel.results and dropped == []
    jobs = panel.fleet.history.jobs()
    assert sorted(zip(jobs["app_id"], jobs["environment"], strict=True)) == sorted(panel.picked)
    assert (panel.progress.value, panel.progress.max) == (2, 2)


@pytest.mark.parametrize("road", ROADS)
def test_stop_sending_stops_an_apply_before_it_sends(emu, road, monkeypatch):
    panel = panel_on(emu, road)
    finish(panel, "audit", panel.run_audit)
    panel.template = changed()
    panel.mode = "update"
    gate = threading.Event()
    real = Fleet.apply

    def held(self, *args, **kwargs):  # the apply starts once Stop sending is pressed
        assert gate.wait(60)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Fleet, "apply", held)
    finish(panel, "results", lambda: _pressed(panel, gate))
    assert set(panel.results["status"].astype(str)) == {"CANCELLED"}
    assert len(panel.results) == 6 and panel.fleet.history.jobs().empty


def _pressed(panel, gate):
    future = panel.run_apply(dry_run=False)
    assert panel.busy and not panel.cancel_button.disabled
    panel.cancel_button.click()
    gate.set()
    return future
