"""The demo data as an emulator serves it: the demo apps (their names, descriptions,
environments and deployed auth), seeding that never duplicates, and the demo fleet (its ids,
configurations, weaknesses drawn from a seed, and its four account and region pairs)."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import FakeClock

from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import (
    DEMO_APPS,
    DEPLOYED_AT,
    FLEET_ACCOUNTS,
    FLEET_ENVIRONMENTS,
    FLEET_PAIRS,
    FLEET_REGIONS,
    STRONG,
    WEAKNESSES,
    fleet_app_id,
    fleet_config,
    seed_demo,
    seed_fleet,
    seed_fleet_pairs,
)
from amplify_auth_widgets.emulator.store import ACCOUNT, scoped

NOW = 1_800_000_000.0


@pytest.fixture
def emulator():
    emu = Emulator(job_seconds=0, clock=FakeClock(NOW), regions=FLEET_REGIONS)
    yield emu
    emu.stop()


def test_the_demo_apps_are_seeded_with_their_environments_and_auth(emulator):
    store = emulator.store
    created = seed_demo(emulator.backend)
    assert created == ["d1demotodo", "d2demoshop", "d3demoadmin", "d4demonew"]
    for app_id, name, environments in DEMO_APPS:
        app = store.app(app_id)
        assert app["name"] == name and app["create_time"] == NOW
        assert json.loads(app["data"]) == {"description": f"Demo app {name}"}
        assert sorted(r["env_name"] for r in store.environments(app_id)) == sorted(environments)
        for env, config in environments.items():
            auth = store.auth(app_id, env)
            if config is None:
                assert auth is None
                continue
            assert auth["resource_name"] == name.replace("-", "") + "auth"
            assert json.loads(auth["config"]) == config
            # deployed at the same time in every emulator (2026-01-01T00:00:00Z)
            assert auth["create_time"] == DEPLOYED_AT == 1767225600.0
    todo = store.auth("d1demotodo", "prod")
    assert todo["resource_name"] == "todowebauth"


def test_demo_apps_over_http(emulator):
    seed_demo(emulator.backend)
    with emulator:
        amplify = emulator.client("amplify")
        apps = {a["appId"]: a for a in amplify.list_apps()["apps"]}
        assert apps["d2demoshop"]["name"] == "shop-mobile"
        assert apps["d2demoshop"]["description"] == "Demo app shop-mobile"
        auth = emulator.client().get_backend_auth(
            AppId="d1demotodo", BackendEnvironmentName="dev", ResourceName="todowebauth"
        )
        assert auth["ResourceName"] == "todowebauth"


def test_seeding_again_adds_nothing_and_leaves_an_app_of_that_id_alone(emulator):
    store = emulator.store
    store.put_app("d1demotodo", "mine", {}, NOW)
    assert seed_demo(emulator.backend) == ["d2demoshop", "d3demoadmin", "d4demonew"]
    assert store.app("d1demotodo")["name"] == "mine"
    assert store.environments("d1demotodo") == []
    assert seed_demo(emulator.backend) == []
    assert len(store.apps()) == 4
    assert len(store.environments("d2demoshop")) == 2


def test_fleet_app_ids_are_unique_across_pairs():
    assert fleet_app_id(0) == "d0000fleet"
    assert fleet_app_id(7, 0) == "d0007fleet"
    assert fleet_app_id(12, 1) == "d0012fleetb"
    assert fleet_app_id(3, 2) == "d0003fleetc"
    assert fleet_app_id(3, 25) == "d0003fleetz"
    assert fleet_app_id(3, 26) == "d0003fleeta"  # the 27th pair's tag: the one pair 0 leaves
    assert fleet_app_id(12345) == "d12345fleet"


def test_a_fleet_configuration_is_strong_with_names_of_its_own():
    before = copy.deepcopy(STRONG)
    config = fleet_config(7, "dev", None)
    assert config["IdentityPoolConfigs"]["IdentityPoolName"] == "fleet0007_dev_identity"
    assert config["UserPoolConfigs"]["UserPoolName"] == "fleet0007_dev-users"
    expected = copy.deepcopy(STRONG)
    expected["IdentityPoolConfigs"]["IdentityPoolName"] = "fleet0007_dev_identity"
    expected["UserPoolConfigs"]["UserPoolName"] = "fleet0007_dev-users"
    assert config == expected
    assert before == STRONG  # the demo's own configuration is left as it was


@pytest.mark.parametrize("weakness", sorted(WEAKNESSES))
def test_a_weak_fleet_configuration_differs_by_its_weakness(weakness):
    before = copy.deepcopy(STRONG)
    config = fleet_config(3, "prod", weakness)
    strong = fleet_config(3, "prod", None)
    users, strong_users = config["UserPoolConfigs"], strong["UserPoolConfigs"]
    for member, value in WEAKNESSES[weakness].items():
        merged = {**strong_users.get(member, {}), **value}
        if member == "OAuth":
            merged["DomainPrefix"] = "fleet0003-prod"
        assert users[member] == merged
    others = {k: v for k, v in users.items() if k not in WEAKNESSES[weakness]}
    assert others == {k: v for k, v in strong_users.items() if k not in WEAKNESSES[weakness]}
    assert config["IdentityPoolConfigs"] == strong["IdentityPoolConfigs"]
    assert before == STRONG
    assert "fleet0003" not in json.dumps(WEAKNESSES)  # the table is left as it was


def test_the_weaknesses():
    assert WEAKNESSES["mfa-off"] == {"Mfa": {"MFAMode": "OFF"}}
    assert WEAKNESSES["short-password"] == {"PasswordPolicy": {"MinimumLength": 8}}
    assert WEAKNESSES["implicit-grant"]["OAuth"]["OAuthGrantType"] == "IMPLICIT"


def test_a_fleet_is_seeded_with_three_environments_an_app_each_with_auth(emulator):
    store = emulator.store
    seeded = seed_fleet(emulator.backend, 4)
    assert sorted(seeded) == sorted(
        (fleet_app_id(i), env) for i in range(4) for env in FLEET_ENVIRONMENTS
    )
    assert FLEET_ENVIRONMENTS == ("dev", "staging", "prod")
    for index in range(4):
        app_id = fleet_app_id(index)
        app = store.app(app_id)
        assert app["name"] == f"fleet-app-{index:04d}"
        assert json.loads(app["data"]) == {"description": "Demo fleet app"}
        assert app["create_time"] == NOW
        assert sorted(r["env_name"] for r in store.environments(app_id)) == sorted(
            FLEET_ENVIRONMENTS
        )
        for env in FLEET_ENVIRONMENTS:
            auth = store.auth(app_id, env)
            assert auth["resource_name"] == "fleetauth"
            assert auth["create_time"] == DEPLOYED_AT
            assert json.loads(auth["config"]) == fleet_config(index, env, seeded[(app_id, env)])


def test_the_weak_share_and_the_seed_decide_the_weaknesses(emulator):
    backend = emulator.backend
    default = seed_fleet(backend, 30)
    assert default == seed_fleet(backend, 30, 0.3, 11)  # the defaults: 30 %, seed 11
    weak = [w for w in default.values() if w is not None]
    assert 0.15 < len(weak) / len(default) < 0.45
    assert set(weak) == set(WEAKNESSES)
    other = Emulator(job_seconds=0, clock=FakeClock(NOW))
    try:
        assert seed_fleet(other.backend, 30, seed=12) != default
        assert set(seed_fleet(other.backend, 30, 0.0, seed=12).values()) == {None}
    finally:
        other.stop()
    every = Emulator(job_seconds=0, clock=FakeClock(NOW))
    try:
        assert None not in set(seed_fleet(every.backend, 10, 1.0).values())
    finally:
        every.stop()


def test_seeding_a_fleet_again_reports_it_and_adds_nothing(emulator):
    store = emulator.store
    first = seed_fleet(emulator.backend, 3)
    again = seed_fleet(emulator.backend, 3)
    assert again == first
    assert len(store.apps()) == 3
    assert all(len(store.environments(fleet_app_id(i))) == 3 for i in range(3))


def test_the_fleet_pairs():
    assert FLEET_ACCOUNTS == (ACCOUNT, "210987654321")
    assert FLEET_REGIONS == ("us-east-1", "eu-west-1")
    assert FLEET_PAIRS == (
        (ACCOUNT, "us-east-1"),
        (ACCOUNT, "eu-west-1"),
        ("210987654321", "us-east-1"),
        ("210987654321", "eu-west-1"),
    )


def test_a_fleet_in_each_pair_has_ids_and_draws_of_its_own(emulator):
    store = emulator.store
    seeded = seed_fleet_pairs(emulator.backend, 2)
    assert len(seeded) == 4 * 2 * 3
    for number, (account, region) in enumerate(FLEET_PAIRS):
        ids = [fleet_app_id(i, number) for i in range(2)]
        with scoped(account, region):
            assert sorted(r["app_id"] for r in store.apps()) == ids
        for app_id in ids:
            assert store.scope_of(app_id) == (account, region)
        # each pair draws with its own seed (11, 12, ...), as seed_fleet alone would
        alone = Emulator(job_seconds=0, clock=FakeClock(NOW))
        try:
            expected = seed_fleet(alone.backend, 2, 0.3, 11 + number, pair=number)
        finally:
            alone.stop()
        assert {
            key[2:]: weak for key, weak in seeded.items() if key[:2] == (account, region)
        } == expected
    assert seed_fleet_pairs(emulator.backend, 2) == seeded  # again: nothing new
    assert len(store.scopes()) == 4


def test_a_fleet_in_chosen_pairs_only(emulator):
    pairs = ((ACCOUNT, "eu-west-1"),)
    seeded = seed_fleet_pairs(emulator.backend, 1, 0.0, 5, pairs=pairs)
    assert seeded == {(ACCOUNT, "eu-west-1", "d0000fleet", env): None for env in FLEET_ENVIRONMENTS}
    assert [tuple(s) for s in emulator.store.scopes()] == [(ACCOUNT, "eu-west-1")]


def test_seeding_a_fleet_again_leaves_what_was_changed_since(emulator):
    """An app of the fleet that exists is left alone: an auth updated since (as an apply
    would) is not put back to the seeded one."""
    store = emulator.store
    seed_fleet(emulator.backend, 2)
    app_id = fleet_app_id(1)
    store.put_auth(app_id, "dev", "fleetauth", {"updated": True}, NOW + 60)
    seed_fleet(emulator.backend, 2)
    assert json.loads(store.auth(app_id, "dev")["config"]) == {"updated": True}


def test_each_fleet_configuration_is_its_own():
    """Changing one configuration's lists (as an editor does) changes no other, nor the
    weaknesses they were made from."""
    first = fleet_config(1, "dev", "implicit-grant")
    first["UserPoolConfigs"]["OAuth"]["OAuthScopes"].append("PHONE")
    first["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"].clear()
    second = fleet_config(2, "dev", "implicit-grant")
    assert second["UserPoolConfigs"]["OAuth"]["OAuthScopes"] == ["OPENID", "EMAIL"]
    assert second["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"] == ["https://app.example.com/"]
    assert WEAKNESSES["implicit-grant"]["OAuth"]["OAuthScopes"] == ["OPENID", "EMAIL"]
