"""The Fleet tab's accounts and regions: several picked are audited into one frame, and each
target is dry-run and applied through the account and region it was found in."""

from __future__ import annotations

import threading

import pytest
from conftest import profiles_of_two_accounts

from amplify_auth_widgets import BackendAuthService, JobHistory
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import FLEET_REGIONS, fleet_config, seed_fleet_pairs
from amplify_auth_widgets.emulator.store import scoped
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.widgets.fleet import FleetPanel

OTHER = "210987654321"


@pytest.fixture
def panel_2x2(tmp_path):
    with Emulator(job_seconds=0, regions=FLEET_REGIONS, db=str(tmp_path / "s.sqlite3")) as emu:
        seeded = seed_fleet_pairs(emu.backend, 1)
        history = JobHistory(":memory:")
        service = BackendAuthService(emu.connection(), on_call=history.record_call)
        panel = FleetPanel(Fleet(service, history))
        panel.save_audits = False
        yield panel, emu, seeded


def wait_for(panel, name):
    done = threading.Event()
    panel.observe(lambda _: done.set(), names=name)
    return done


def test_the_picker_is_hidden_until_places_are_given(panel_2x2):
    panel, emu, _ = panel_2x2
    assert panel.places.layout.display == "none" and panel.picked_places() == []
    panel.set_places(emu.connections())
    assert panel.places.layout.display is None and len(panel.picked_places()) == 4
    labels = [label for label, _ in panel.places.options]
    assert labels[0] == "key …ator · eu-west-1" and len(set(labels)) == 4
    assert labels[2] == "key …4321 · eu-west-1"  # never a whole key
    panel.set_places(None)
    assert panel.places.layout.display == "none" and panel.picked_places() == []


def test_an_audit_of_the_picked_places_and_an_apply_through_each(panel_2x2):
    panel, emu, seeded = panel_2x2
    panel.set_places(emu.connections())
    picked = [c for c in panel.picked_places() if c.region == "eu-west-1"]
    panel.places.value = tuple(picked)
    audited = wait_for(panel, "audit")
    panel.run_audit()
    assert audited.wait(60) and panel.audit is not None, panel.message.value
    pairs = set(zip(panel.audit["account_id"], panel.audit["region"], strict=True))
    assert pairs == {("123456789012", "eu-west-1"), (OTHER, "eu-west-1")}
    assert len(panel.audit) == 2 * 3
    panel.env_filter.value = "prod"
    assert len(panel.picked) == 2
    config = fleet_config(0, "fixed", None)
    config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 17
    panel.template = {"ResourceName": "fleetauth", "ResourceConfig": config}
    panel.mode = "update"
    dried = wait_for(panel, "results")
    panel.run_apply(dry_run=True)
    assert dried.wait(60) and set(panel.results["status"]) == {"DRY_RUN"}, panel.message.value
    assert set(panel.results["account_id"]) == {"123456789012", OTHER}
    applied = wait_for(panel, "results")
    panel.run_apply(dry_run=False)
    assert applied.wait(60) and set(panel.results["status"]) == {"COMPLETED"}
    for account, region, app_id, env in seeded:
        if region == "eu-west-1" and env == "prod":
            with scoped(account, region):
                assert '"MinimumLength": 17' in emu.store.auth(app_id, env)["config"]


def test_no_place_picked_is_said_and_nothing_runs(panel_2x2):
    panel, emu, _ = panel_2x2
    panel.set_places({"home": emu.connection()})
    panel.places.value = ()
    assert panel.run_audit() is None and not panel.busy
    assert "Pick an account and region" in panel.message.value


def test_profiles_and_regions_typed_in_become_the_places(panel_2x2, tmp_path, monkeypatch):
    panel, emu, seeded = panel_2x2
    panel.place_regions.value = " us-east-1, eu-west-1 ,"
    places = panel.use_places()  # no profile: the panel's own keys, in each region
    assert [(c.region, c.endpoint_url) for c in places] == [
        ("us-east-1", emu.url),
        ("eu-west-1", emu.url),
    ]
    profiles_of_two_accounts(tmp_path, monkeypatch, OTHER)
    emu.identities.key_for(OTHER)  # (the emulator maps emulator-<account> to the account)
    panel.place_profiles.value = "home, other"
    places = panel.use_places()
    assert [label for label, _ in panel.places.options] == [
        "home · us-east-1",
        "home · eu-west-1",
        "other · us-east-1",
        "other · eu-west-1",
    ]
    assert all(c.access_key_id is None and c.endpoint_url == emu.url for c in places)
    audited = wait_for(panel, "audit")
    panel.run_audit()
    assert audited.wait(60) and panel.audit is not None, panel.message.value
    found = set(zip(panel.audit["account_id"], panel.audit["region"], strict=True))
    assert found == {(a, r) for a, r, _, _ in seeded} and len(panel.audit) == 4 * 3
