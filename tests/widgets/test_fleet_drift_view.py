"""FleetPanel's "changed since the last audit": each audit saved in the fleet's history, and the
fields that changed per environment shown above the tabs (secrets only as changed, names
escaped), or that nothing did, or that there is nothing to compare with yet."""

from __future__ import annotations

import copy
import threading

import pytest
from conftest import FakeClock

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, STRONG
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.timeline import saved_audits
from amplify_auth_widgets.widgets.fleet import FleetPanel

HOSTILE = "<img src=x onerror=alert(1)>"
ROTATED = "rotated-secret-xyz"


@pytest.fixture
def setup(tmp_path):
    with Emulator(demo=True, job_seconds=0, seed=2, db=str(tmp_path / "s.sqlite3")) as emu:
        clock = FakeClock()
        history = JobHistory(":memory:", clock=clock)
        service = BackendAuthService(emu.connection(), on_call=history.record_call)
        tracker = JobTracker(service, history, policy=TrackerPolicy(min_interval=0.02))
        yield emu, clock, FleetPanel(Fleet(service, history, tracker))


def audited(panel):
    done = threading.Event()
    panel.observe(lambda _: done.set(), names="audit")
    panel.run_audit()
    assert done.wait(60) and not panel.busy
    return panel


def test_the_panel_shows_what_changed_since_the_last_audit(setup):
    emu, clock, panel = setup
    audited(panel)
    assert "First saved audit" in panel.drift_view.value and panel.changes.empty
    clock.advance(90)
    audited(panel)
    assert panel.drift_view.value == (
        '<span class="aaw-drift">No change since the audit of 2027-01-15 08:00:00 UTC.</span>'
    )
    emu.store.put_app("d2demoshop", HOSTILE, {}, emu.clock())  # a rename, hostile
    config = copy.deepcopy(STRONG)
    config["UserPoolConfigs"]["Mfa"]["MFAMode"] = "OPTIONAL"
    emu.store.put_auth("d1demotodo", "prod", "todowebauth", config, emu.clock())
    social = copy.deepcopy(SOCIAL)
    social["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = ROTATED
    emu.store.put_auth("d2demoshop", "staging", "shopmobileauth", social, emu.clock())
    clock.advance(90)
    audited(panel)
    view = panel.drift_view.value
    assert (
        "<b>7</b> change(s) in <b>3</b> environment(s) since the audit of 2027-01-15 08:01:30"
        in view
    )
    assert "<td>todo-web / prod</td><td>UserPoolConfigs.Mfa.MFAMode</td><td>ON</td>" in view
    assert "<td>OPTIONAL</td>" in view
    assert ROTATED not in view and "<td>&lt;redacted&gt;</td><td>changed</td>" in view
    assert HOSTILE not in view and "&lt;img src=x onerror=alert(1)&gt; / staging" in view
    # the rename shows in both environments, and in the names Gen 1 derived from it
    assert sorted(zip(panel.changes["environment"], panel.changes["field"], strict=True)) == [
        ("prod", "UserPoolConfigs.Mfa.MFAMode"),
        ("prod", "app_name"),
        ("staging", "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret"),
        ("staging", "app_name"),
        ("staging", "auth_role_arn"),
        ("staging", "stack_name"),
        ("staging", "unauth_role_arn"),
    ]
    assert len(saved_audits(panel.fleet.history)) == 3


def test_without_saving_nothing_is_kept_or_shown(setup):
    _, _, panel = setup
    panel.save_audits = False
    audited(panel)
    audited(panel)
    assert panel.drift_view.value == "" and panel.changes is None
    assert saved_audits(panel.fleet.history).empty
