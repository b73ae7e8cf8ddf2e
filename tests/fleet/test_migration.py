"""The fleet's migration plan: a way, a verdict and its reasons per environment, from the audit
of the emulator (the demo apps, and a few more made for the cases they do not cover)."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from amplify_auth_widgets import BackendAuthService, fleet
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import LEGACY, STRONG, WEAK
from amplify_auth_widgets.fleet.inventory import Fleet
from amplify_auth_widgets.fleet.migration import (
    BLOCKED,
    CHART_TITLE,
    NEEDS_DECISION,
    PLAN_COLUMNS,
    READY,
    READY_WITH_OVERRIDES,
    VERDICTS,
    audit_deployed,
    audit_request,
    migration_plan,
    plan_chart,
    plan_counts,
    plan_one,
    plan_summary,
)
from amplify_auth_widgets.gen2 import export

APPLE = copy.deepcopy(LEGACY)
APPLE["UserPoolConfigs"]["OAuth"] = {
    "DomainPrefix": "apple-login",
    "OAuthGrantType": "CODE",
    "OAuthScopes": ["OPENID", "EMAIL"],
    "RedirectSignInURIs": ["https://apple.example.com/"],
    "RedirectSignOutURIs": ["https://apple.example.com/bye/"],
    "SocialProviderSettings": {
        "SignInWithApple": {
            "ClientId": "com.example.apple",
            "KeyId": "KEY123",
            "PrivateKey": "MIGTAgEAapple-private-key",
            "TeamId": "TEAM123",
        }
    },
}
INVALID = copy.deepcopy(STRONG)
INVALID["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3  # Cognito takes 6 to 99
MFA_OFF = copy.deepcopy(STRONG)
MFA_OFF["UserPoolConfigs"]["Mfa"] = {"MFAMode": "OFF"}
#: (app id, environment, configuration) added to the demo apps.
EXTRA = (
    ("d5apple", "prod", APPLE),
    ("d6invalid", "dev", INVALID),
    ("d7mfaoff", "prod", MFA_OFF),
)


@pytest.fixture(scope="module")
def audited():
    with Emulator(job_seconds=0, seed=4, demo=True) as emu:
        store, now = emu.backend.store, emu.clock()
        for app_id, env, config in EXTRA:
            store.put_app(app_id, f"{app_id}-name", {}, now)
            store.put_environment(app_id, env, {}, now)
            store.put_auth(app_id, env, f"{app_id}auth", config, now)
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        yield Fleet(service).audit()


def by_target(plan: pd.DataFrame) -> dict[tuple[str, str], dict]:
    return {(r["app_id"], r["environment"]): r for r in plan.to_dict("records")}


def test_every_demo_environment_gets_the_way_and_verdict_of_the_rule(audited):
    plan = fleet.migration_plan(audited)
    assert list(plan.columns) == list(PLAN_COLUMNS) and len(plan) == len(audited)
    rows = by_target(plan)
    expected = {
        ("d1demotodo", "prod"): ("keep", READY),  # strong, with an identity pool
        ("d1demotodo", "dev"): ("recreate", READY_WITH_OVERRIDES),  # USER_POOL_ONLY
        ("d2demoshop", "staging"): ("keep", NEEDS_DECISION),  # an 8-character password
        ("d2demoshop", "prod"): (None, BLOCKED),  # no auth
        ("d3demoadmin", "main"): ("recreate", READY_WITH_OVERRIDES),
        ("d4demonew", "dev"): (None, BLOCKED),
        ("d5apple", "prod"): ("recreate", READY_WITH_OVERRIDES),
        ("d6invalid", "dev"): (None, BLOCKED),  # a validation error
        ("d7mfaoff", "prod"): ("keep", NEEDS_DECISION),
    }
    got = {
        key: (None if pd.isna(row["way"]) else row["way"], row["verdict"])
        for key, row in rows.items()
    }
    assert got == expected
    assert set(plan["verdict"]) == set(VERDICTS)  # the demo shows every verdict
    # typed: an ordered verdict, ways as a category, ids as text, lists as lists
    assert plan["verdict"].cat.ordered and list(plan["verdict"].cat.categories) == list(VERDICTS)
    assert len(plan[plan["verdict"] >= NEEDS_DECISION]) == 5
    assert str(plan["app_id"].dtype) == "string" and str(plan["user_pool_id"].dtype) == "string"
    assert all(isinstance(v, list) for c in ("reasons", "secrets", "nag") for v in plan[c])
    assert all(plan["reasons"].map(len) > 0)  # every verdict says why
    ready = rows[("d1demotodo", "prod")]
    assert (
        ready["user_pool_id"]
        == audited.set_index(["app_id", "environment"]).loc[("d1demotodo", "prod"), "user_pool_id"]
    )
    assert ready["reasons"][0].startswith(
        f"keep: referenceAuth on the deployed pool {ready['user_pool_id']}"
    )


def test_the_reasons_say_why_in_words_and_reuse_the_mappings_notes(audited):
    rows = by_target(migration_plan(audited))
    dev = rows[("d1demotodo", "dev")]["reasons"]
    assert dev[0].startswith("USER_POOL_ONLY: keep (referenceAuth) needs an identity pool")
    # the mapping's own note, reused as it is
    note = next(
        r["note"] for r in export(WEAK).rows if r["member"] == "ResourceConfig.AuthResources"
    )
    assert f"AuthResources = USER_POOL_ONLY: {note}" in dev
    assert "Gen 2 always creates an identity pool" in note
    assert any("ALLOW_ADMIN_USER_PASSWORD_AUTH" in r for r in dev)
    assert any(
        r.startswith("the new pool carries MFA off and a minimum password length of 6") for r in dev
    )
    shop = rows[("d2demoshop", "staging")]["reasons"]
    assert shop[0].startswith("keep would freeze a minimum password length of 8 (under 12)")
    assert any("TOTP secrets and MFA devices do not move" in r for r in shop)
    assert any("social sign-in (Google)" in r for r in shop)
    mfa_off = rows[("d7mfaoff", "prod")]["reasons"]
    assert mfa_off[0].startswith("keep would freeze MFA off:")
    assert not any("TOTP" in r for r in mfa_off)  # MFA off: no TOTP secret to lose
    blocked = {key: row["reasons"] for key, row in rows.items() if row["verdict"] == BLOCKED}
    assert blocked[("d4demonew", "dev")] == [
        "no auth: the environment has no auth resource, so there are no users to move"
    ]
    (invalid,) = blocked[("d6invalid", "dev")]
    assert (
        invalid.startswith("the configuration has 1 validation error(s) (") and "fix it" in invalid
    )


def test_apple_sign_in_becomes_secrets_to_set_and_no_secret_is_shown(audited):
    plan = migration_plan(audited)
    apple = by_target(plan)[("d5apple", "prod")]
    assert apple["secrets"] == ["SIWA_CLIENT_ID", "SIWA_KEY_ID", "SIWA_PRIVATE_KEY", "SIWA_TEAM_ID"]
    assert (
        "Apple sign-in: the client id, key id, private key and team id become secrets to set"
        in apple["reasons"]
    )
    text = plan.to_json() + plan.to_csv()
    for secret in ("apple-private-key", "demo-google-secret"):
        assert secret not in text


def test_blocked_until_deployed_and_recreate_when_the_deployed_auth_lacks_an_identity_pool(
    audited,
):
    row = audited.set_index(["app_id", "environment"], drop=False).loc[("d1demotodo", "prod")]
    row = row.to_dict()
    undeployed = plan_one(row | {"user_pool_id": None})
    assert undeployed["verdict"] == BLOCKED and undeployed["reasons"] == [
        "auth not deployed yet: amplify-meta.json names no user pool id for it; push the "
        "environment (amplify push) and audit again"
    ]
    unreadable = plan_one(row | {"error": "GetBackend: MalformedAnswer: the answer's X"})
    assert unreadable["reasons"] == [
        "the audit could not read this environment: GetBackend: MalformedAnswer: the answer's X"
    ]
    no_identity = plan_one(row | {"identity_pool_id": None})
    assert no_identity["way"] == "recreate" and no_identity["verdict"] == READY_WITH_OVERRIDES
    assert no_identity["reasons"][0].startswith("recreate, as keep cannot be taken: ")
    assert "no identity pool" in no_identity["reasons"][0]
    no_client = plan_one(row | {"web_client_id": None})
    assert no_client["verdict"] == BLOCKED
    assert no_client["reasons"][0].startswith("neither way can be exported: ")
    assert "AppClientIDWeb" in no_client["reasons"][0]


def test_an_audit_row_gives_back_its_request_and_deployed_auth(audited):
    row = audited[audited["app_id"] == "d5apple"].iloc[0]
    request = audit_request(row)
    assert request["AppId"] == "d5apple" and request["ResourceName"] == "d5appleauth"
    apple = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert apple["SignInWithApple"]["PrivateKey"] == "<redacted>"
    assert request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 8
    deployed = audit_deployed(row)
    assert deployed is not None and deployed.user_pool_id == row["user_pool_id"]
    assert deployed.identity_pool_id is None and deployed.resource_name == "d5appleauth"
    assert audit_deployed(row.to_dict() | {"user_pool_id": pd.NA}) is None


def test_counts_chart_and_summary(audited):
    plan = migration_plan(audited)
    counts = plan_counts(plan)
    assert list(counts.index) == list(VERDICTS)
    assert counts.to_dict() == {READY: 1, READY_WITH_OVERRIDES: 3, NEEDS_DECISION: 2, BLOCKED: 3}
    assert plan_counts(plan[plan["verdict"] == READY]).to_dict()[BLOCKED] == 0
    assert plan_summary(plan) == (
        "Bar chart of 9 environments by migration verdict: ready 1, ready with overrides 3, "
        "needs a decision 2, blocked 3."
    )
    figure = plan_chart(plan)
    (axes,) = figure.get_axes()
    assert axes.get_title() == CHART_TITLE
    assert [t.get_text() for t in axes.get_xticklabels()] == list(VERDICTS)
    assert [round(p.get_height()) for p in axes.patches] == [1, 3, 2, 3]
    empty = plan_chart(plan.iloc[:0])  # no environments: a chart of zeros, not an error
    assert [p.get_height() for p in empty.get_axes()[0].patches] == [0, 0, 0, 0]


def test_the_cdk_nag_column_holds_the_findings_predicted_for_the_way(audited):
    from amplify_auth_widgets.gen2.nag import predict

    rows = by_target(migration_plan(audited))
    kept = rows[("d1demotodo", "prod")]
    request = audit_request(
        audited.set_index(["app_id", "environment"], drop=False).loc[("d1demotodo", "prod")]
    )
    expected = predict(request, "keep")
    assert expected and len(kept["nag"]) == len(expected)
    for line, finding in zip(kept["nag"], expected, strict=True):
        assert line.startswith(f"{finding.rule} ({finding.level}, of the kept Gen 1 pool): ")
        assert line.endswith(f"Fix: {finding.fix}")
    recreated = rows[("d1demotodo", "dev")]["nag"]  # a new pool: findings of the Gen 2 code
    assert any(
        line.startswith("AwsSolutions-COG1 (error): the minimum length is 6") for line in recreated
    )
    assert all(rows[key]["nag"] == [] for key in rows if rows[key]["verdict"] == BLOCKED)


def test_a_frame_that_is_not_an_audit_is_refused_by_name():
    with pytest.raises(
        ValueError, match=r"needs fleet.audit\(\)'s frame; this one has no .*user_pool_id"
    ):
        migration_plan(pd.DataFrame({"app_id": ["a"], "environment": ["dev"]}))
