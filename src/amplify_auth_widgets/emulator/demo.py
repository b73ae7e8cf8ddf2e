"""Demo data for ``--demo``: a few apps and environments, some with auth already configured
(their data in ``core/demo.py``), seeded into the emulator.

Some configurations are deliberately weak (short passwords, no MFA, the implicit grant, a
deprecated member), so that an audit has something to find. Seeding is idempotent: an app that
exists already is left alone, so a restart on the same database does not duplicate anything.

The demo fleet (``seed_fleet``) lives in one (account, region) pair, or spans
``FLEET_PAIRS``, 2 accounts x 2 regions (``seed_fleet_pairs``), as a platform team's does; an
emulator serving it is started with ``regions=FLEET_REGIONS``, and ``Emulator.connections()``
gives a connection per pair::

    with Emulator(job_seconds=0, regions=FLEET_REGIONS) as emu:
        seed_fleet_pairs(emu.backend, 10)  # 10 apps x 3 environments in each of 4 pairs
        frame = fleet.audit(emu.connections())
"""

from __future__ import annotations

from typing import Any

# the demo's configurations, read here too by the tests and benches that seed a fleet
from ..core.demo import DEMO_APPS, LEGACY, SOCIAL, STRONG, WEAK  # noqa: F401
from .common import ServiceBackend
from .store import ACCOUNT, DEFAULT_SCOPE, scoped

#: When the demo's auth resources were deployed, the same in every emulator: their deployed ids
#: (``meta``) follow from it, so two demo emulators (two pages of the app, a restart on a new
#: state file) answer the same pools and clients, and a saved audit of one is no drift of the
#: other. 2026-01-01T00:00:00Z.
DEPLOYED_AT = 1767225600.0


def seed_demo(backend: ServiceBackend) -> list[str]:
    """Create the demo apps that do not exist yet; returns their ids."""
    store, now = backend.store, backend.clock()
    created = []
    for app_id, name, environments in DEMO_APPS:
        if store.app(app_id) is not None:
            continue
        store.put_app(app_id, name, {"description": f"Demo app {name}"}, now)
        for env, config in environments.items():
            store.put_environment(app_id, env, {}, now)
            if config is not None:
                resource = f"{name.replace('-', '')}auth"
                store.put_auth(app_id, env, resource, config, DEPLOYED_AT)
        created.append(app_id)
    return created


#: The environments of every fleet app.
FLEET_ENVIRONMENTS = ("dev", "staging", "prod")
#: How a fleet configuration can be weak: each is one member changed from ``STRONG``.
WEAKNESSES: dict[str, dict[str, Any]] = {
    "mfa-off": {"Mfa": {"MFAMode": "OFF"}},
    "short-password": {"PasswordPolicy": {"MinimumLength": 8}},
    "implicit-grant": {
        "OAuth": {
            "DomainPrefix": "fleet-login",
            "OAuthGrantType": "IMPLICIT",
            "OAuthScopes": ["OPENID", "EMAIL"],
            "RedirectSignInURIs": ["https://app.example.com/"],
            "RedirectSignOutURIs": ["https://app.example.com/bye/"],
        }
    },
}


#: The demo fleet's accounts and regions, and their four pairs (the first is the default one).
FLEET_ACCOUNTS = (ACCOUNT, "210987654321")
FLEET_REGIONS = (DEFAULT_SCOPE.region, "eu-west-1")
FLEET_PAIRS = tuple((account, region) for account in FLEET_ACCOUNTS for region in FLEET_REGIONS)


def fleet_app_id(index: int, pair: int = 0) -> str:
    """The id of fleet app ``index`` of the ``pair``-th pair (ids are unique across pairs:
    ``d0000fleet`` in the first, ``d0000fleetb`` in the second, ...)."""
    tag = "" if pair == 0 else "abcdefghijklmnopqrstuvwxyz"[pair % 26]
    return f"d{index:04d}fleet{tag}"


def fleet_config(app_index: int, env: str, weakness: str | None) -> dict[str, Any]:
    """``STRONG`` with names of its own, and one weakness if given."""
    import copy

    config = copy.deepcopy(STRONG)
    name = f"fleet{app_index:04d}_{env}"
    config["IdentityPoolConfigs"]["IdentityPoolName"] = f"{name}_identity"
    users = config["UserPoolConfigs"]
    users["UserPoolName"] = f"{name}-users"
    if weakness is not None:
        for member, value in WEAKNESSES[weakness].items():
            users[member] = {**users.get(member, {}), **copy.deepcopy(value)}
        if "OAuth" in WEAKNESSES[weakness]:
            users["OAuth"]["DomainPrefix"] = f"fleet{app_index:04d}-{env}"
    return config


def seed_fleet(
    backend: ServiceBackend,
    apps: int,
    weak_share: float = 0.3,
    seed: int = 11,
    *,
    pair: int = 0,
) -> dict[tuple[str, str], str | None]:
    """``apps`` apps with three environments each, every one with auth; a seeded
    ``weak_share`` of them weak in one of ``WEAKNESSES``. Returns what was seeded: (app id,
    environment) -> weakness or None. Idempotent: an app that exists is left alone (and still
    reported as seeded, the same seed giving the same answer). The apps go to the (account,
    region) in force (``store.scoped``); ``pair`` numbers it, for ids of its own."""
    import random

    rng = random.Random(seed)
    store, now = backend.store, backend.clock()
    seeded: dict[tuple[str, str], str | None] = {}
    for index in range(apps):
        app_id = fleet_app_id(index, pair)
        plan = {
            env: rng.choice(sorted(WEAKNESSES)) if rng.random() < weak_share else None
            for env in FLEET_ENVIRONMENTS
        }
        seeded.update({(app_id, env): weakness for env, weakness in plan.items()})
        if store.scope_of(app_id) is not None:
            continue
        store.put_app(app_id, f"fleet-app-{index:04d}", {"description": "Demo fleet app"}, now)
        for env, weakness in plan.items():
            store.put_environment(app_id, env, {}, now)
            config = fleet_config(index, env, weakness)
            store.put_auth(app_id, env, "fleetauth", config, DEPLOYED_AT)
    return seeded


def seed_fleet_pairs(
    backend: ServiceBackend,
    apps: int,
    weak_share: float = 0.3,
    seed: int = 11,
    pairs: tuple[tuple[str, str], ...] = FLEET_PAIRS,
) -> dict[tuple[str, str, str, str], str | None]:
    """``seed_fleet`` in each of ``pairs`` (account, region): ``apps`` apps each, drawn with a
    seed of their own. Returns (account, region, app id, environment) -> weakness or None."""
    seeded: dict[tuple[str, str, str, str], str | None] = {}
    for number, (account, region) in enumerate(pairs):
        with scoped(account, region):
            found = seed_fleet(backend, apps, weak_share, seed + number, pair=number)
        seeded.update({(account, region, *key): weak for key, weak in found.items()})
    return seeded
