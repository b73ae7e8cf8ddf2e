"""The emulator's AmplifyMetaConfig: Gen 1's amplify-meta.json, with ids in the service's
formats, stable for an environment, absent before its auth job completes; read back over HTTP
by ``BackendAuthService.deployed_auth``."""

from __future__ import annotations

import json
import re

import pytest
from conftest import valid_request

from amplify_auth_widgets import BackendAuthService
from amplify_auth_widgets.emulator.common import ACCOUNT


@pytest.fixture
def service(emulator):
    return BackendAuthService(emulator.connection())


def create(service, emulator, app_id, env, **changes):
    request = valid_request(AppId=app_id, BackendEnvironmentName=env, **changes)
    service.create_backend_auth(request)
    return request


def test_ids_appear_once_the_job_completes_in_the_service_formats(emulator, service, app_env):
    app_id, env = app_env
    request = create(service, emulator, app_id, env)
    assert service.deployed_auth(app_id, env) is None  # the job is still in progress
    emulator.clock.advance(5)
    deployed = service.deployed_auth(app_id, env)
    assert deployed is not None
    assert deployed.resource_name == request["ResourceName"]
    assert re.fullmatch(r"us-east-1_[A-Za-z0-9]{9}", deployed.user_pool_id)
    assert deployed.user_pool_arn == (
        f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{deployed.user_pool_id}"
    )
    for client in (deployed.web_client_id, deployed.native_client_id):
        assert client is not None and re.fullmatch(r"[a-z0-9]{26}", client)
    assert deployed.web_client_id != deployed.native_client_id
    uuid4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert re.fullmatch(rf"us-east-1:{uuid4}", deployed.identity_pool_id or "")
    assert re.fullmatch(
        rf"arn:aws:iam::{ACCOUNT}:role/amplify-\w+-staging-\d+-authRole",
        deployed.auth_role_arn or "",
    )
    assert deployed.unauth_role_arn == deployed.auth_role_arn.replace("authRole", "unauthRole")
    pool = request["ResourceConfig"]["UserPoolConfigs"]["UserPoolName"]
    assert deployed.user_pool_name == f"{pool}-staging"  # Gen 1 appends the environment
    assert deployed.account_id == ACCOUNT and deployed.has_identity_pool


def test_ids_are_stable_and_differ_between_environments(emulator, service):
    app_id = emulator.create_app("two-envs", ("dev", "prod"))
    for env in ("dev", "prod"):
        create(service, emulator, app_id, env)
        emulator.clock.advance(5)
    dev, prod = (service.deployed_auth(app_id, e) for e in ("dev", "prod"))
    assert dev == service.deployed_auth(app_id, "dev")
    assert dev is not None and prod is not None
    assert dev.user_pool_id != prod.user_pool_id and dev.web_client_id != prod.web_client_id


def test_ids_survive_a_restart_on_the_same_database(clock, tmp_path):
    from amplify_auth_widgets.emulator import Emulator

    db = str(tmp_path / "state.sqlite3")
    seen = []
    for _ in range(2):
        with Emulator(job_seconds=0, clock=clock, db=db, seed=3) as emu:
            service = BackendAuthService(emu.connection())
            if not seen:
                app_id = emu.create_app("restart", ("dev",))
                create(service, emu, app_id, "dev")
            seen.append(service.deployed_auth(app_id, "dev"))
    assert seen[0] is not None and seen[0] == seen[1]


def test_a_user_pool_only_environment_has_no_identity_pool(emulator, service, app_env):
    app_id, env = app_env
    request = valid_request(AppId=app_id, BackendEnvironmentName=env)
    config = request["ResourceConfig"]
    config["AuthResources"] = "USER_POOL_ONLY"
    config.pop("IdentityPoolConfigs", None)
    service.create_backend_auth(request)
    emulator.clock.advance(5)
    deployed = service.deployed_auth(app_id, env)
    assert deployed is not None and deployed.identity_pool_id is None
    assert not deployed.has_identity_pool  # referenceAuth cannot take it


def test_no_auth_answers_providers_but_nothing_deployed(emulator, service, app_env):
    app_id, env = app_env
    answer = service.call("GetBackend", {"AppId": app_id, "BackendEnvironmentName": env})
    meta = json.loads(answer["AmplifyMetaConfig"])
    assert "auth" not in meta and meta["providers"]["awscloudformation"]["Region"] == "us-east-1"
    assert service.deployed_auth(app_id, env) is None


def test_the_ids_are_the_app_s_own_two_apps_alike_in_all_else_differ(emulator, service):
    # the same environment and resource names, created at the same time: only the app id
    # tells their pools apart, and the meta names the app it belongs to
    one, two = (emulator.create_app("twin", ("dev",)) for _ in range(2))
    for app_id in (one, two):
        create(service, emulator, app_id, "dev")
    emulator.clock.advance(5)  # both jobs done
    for app_id in (one, two):
        answer = service.call("GetBackend", {"AppId": app_id, "BackendEnvironmentName": "dev"})
        meta = json.loads(answer["AmplifyMetaConfig"])
        assert meta["providers"]["awscloudformation"]["AmplifyAppId"] == app_id
    ids = [service.deployed_auth(a, "dev") for a in (one, two)]
    assert ids[0] is not None and ids[1] is not None
    assert ids[0].user_pool_id != ids[1].user_pool_id


def test_an_imported_pool_answers_the_ids_it_was_imported_with(emulator, service, app_env):
    app_id, env = app_env
    ids = {
        "UserPoolId": "us-east-1_Imported1",
        "IdentityPoolId": "us-east-1:11111111-2222-4333-8444-555555555555",
        "NativeClientId": "n" * 26,
        "WebClientId": "w" * 26,
    }
    service.import_backend_auth({"AppId": app_id, "BackendEnvironmentName": env, **ids})
    emulator.clock.advance(5)
    deployed = service.deployed_auth(app_id, env)
    assert deployed is not None
    assert (deployed.user_pool_id, deployed.identity_pool_id) == (
        ids["UserPoolId"],
        ids["IdentityPoolId"],
    )
    assert (deployed.web_client_id, deployed.native_client_id) == ("w" * 26, "n" * 26)
    assert deployed.user_pool_arn.endswith(f":userpool/{ids['UserPoolId']}")


def test_two_demo_emulators_answer_the_same_deployed_ids(tmp_path):
    """Each page of the app starts its own demo emulator; with a durable history, the audit
    one saves is compared with another's: the demo's pools and clients must be the same."""
    from amplify_auth_widgets.emulator import Emulator
    from amplify_auth_widgets.emulator.demo import seed_fleet

    seen = []
    for run in range(2):
        started = 1_800_000_000.0 + 3600 * run  # each emulator started at another time
        db = str(tmp_path / f"{run}.sqlite3")
        with Emulator(job_seconds=0, demo=True, db=db, clock=lambda t=started: t) as emu:
            seed_fleet(emu.backend, 2)
            service = BackendAuthService(emu.connection())
            seen.append(
                [
                    service.deployed_auth(app, env)
                    for app, env in (("d1demotodo", "prod"), ("d0000fleet", "dev"))
                ]
            )
    assert None not in seen[0] and seen[0] == seen[1]
