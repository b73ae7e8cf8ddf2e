"""The migration plan of audit rows made here (``fleet.audit_frame`` of a configuration and a
deployed auth, no emulator): each verdict's reasons word for word and in order, the blocked
messages, the losses each setting adds, the secrets in words, the cdk-nag lines, and the
chart's colours, labels and scale."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from matplotlib import rc_context
from matplotlib.colors import to_rgba

from amplify_auth_widgets.core.deployed import DeployedAuth
from amplify_auth_widgets.emulator.demo import LEGACY, SOCIAL, STRONG, WEAK
from amplify_auth_widgets.fleet.inventory import audit_frame, flatten
from amplify_auth_widgets.fleet.migration import (
    BLOCKED,
    NEEDED,
    NEEDS_DECISION,
    READY,
    READY_WITH_OVERRIDES,
    VERDICT_COLORS,
    VERDICTS,
    audit_deployed,
    audit_request,
    migration_plan,
    plan_chart,
    plan_frame,
    plan_one,
)
from amplify_auth_widgets.gen2 import export
from amplify_auth_widgets.gen2.nag import predict
from amplify_auth_widgets.gen2.ways import WAYS

POOL_ID = "us-east-1_AbC123xyZ"
DEPLOYED = DeployedAuth(
    resource_name="auth1",
    region="us-east-1",
    account_id="123456789012",
    user_pool_id=POOL_ID,
    user_pool_arn=f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}",
    user_pool_name="pool-dev",
    web_client_id="w" * 26,
    native_client_id="n" * 26,
    identity_pool_id="us-east-1:11111111-2222-4333-8444-555555555555",
    identity_pool_name="ids__dev",
    auth_role_arn="arn:aws:iam::123456789012:role/stack-authRole",
    unauth_role_arn="arn:aws:iam::123456789012:role/stack-unauthRole",
    stack_name="stack",
)
MOVE = (
    "users move one by one at their first USER_PASSWORD_AUTH sign-in (the migration trigger); "
    "a user who never signs in stays in the old pool"
)
CLIENT = f"the old pool's web client {'w' * 26} must first allow ALLOW_ADMIN_USER_PASSWORD_AUTH"


def row(config, **changes):
    """An audit row of ``config`` deployed as DEPLOYED, as ``fleet.audit`` writes one."""
    deployed = {k: v for k, v in DEPLOYED.as_dict().items() if k != "resource_name"}
    made = {
        "app_id": "a1",
        "app_name": "one",
        "environment": "dev",
        "resource_name": "auth1",
        "configured": config is not None,
        **deployed,
        **flatten(config or {}),
        "errors": 0,
        "warnings": 0,
        "finding_codes": [],
        "gen2": None,
        "error": None,
    }
    return made | changes


def plan_of(*rows):
    return migration_plan(audit_frame(list(rows))).to_dict("records")


def one(config, **changes):
    (planned,) = plan_of(row(config, **changes))
    return planned


def with_pool(config, **pool):
    made = copy.deepcopy(config)
    made["UserPoolConfigs"] |= pool
    return made


def test_ready_keeps_the_pool_with_the_ways_own_note_and_the_kept_pools_nag_lines():
    planned = one(STRONG)
    assert (planned["way"], planned["verdict"], planned["secrets"]) == ("keep", READY, [])
    request = audit_request(row(STRONG))
    note = next(
        r["note"]
        for r in export(request, way="keep", deployed=DEPLOYED).rows
        if r["member"] == "way"
    )
    assert note and planned["reasons"] == [
        f"keep: referenceAuth on the deployed pool {POOL_ID}: {note}"
    ]
    findings = predict(request, "keep")
    assert findings and planned["nag"] == [
        f"{f.rule} ({f.level}, of the kept Gen 1 pool): {f.reason}. Fix: {f.fix}" for f in findings
    ]
    assert (planned["user_pool_id"], planned["identity_pool_id"]) == (
        POOL_ID,
        DEPLOYED.identity_pool_id,
    )


def test_user_pool_only_is_recreated_with_its_reasons_in_order():
    planned = one(WEAK)
    assert (planned["way"], planned["verdict"]) == ("recreate", READY_WITH_OVERRIDES)
    request = audit_request(row(WEAK))
    made = export(request, way="recreate", deployed=DEPLOYED)
    notes = {r["member"].removeprefix("ResourceConfig."): r for r in made.rows}
    auth = notes["AuthResources"]
    reasons = planned["reasons"]
    assert reasons[0] == (
        "USER_POOL_ONLY: keep (referenceAuth) needs an identity pool, which this environment "
        "never had, so the users move to a new pool (recreate)"
    )
    assert reasons[1] == f"AuthResources = USER_POOL_ONLY: {auth['note']}"
    assert (
        "set by overrides in amplify/backend.ts: OAuth.OAuthGrantType, PasswordPolicy.MinimumLength"
        in reasons
    )
    assert reasons[-3:] == [
        "the new pool carries MFA off and a minimum password length of 6 (under 12) and the "
        "implicit OAuth grant over as configured: change it in the code",
        MOVE,
        CLIENT,
    ]
    assert planned["nag"] == [
        f"{f.rule} ({f.level}): {f.reason}. Fix: {f.fix}" for f in predict(request, "recreate")
    ]


def test_a_long_value_is_cut_to_40_characters_in_a_reason():
    for name, shown in (("n" * 40, "n" * 40), ("n" * 41, "n" * 39 + "…")):
        reasons = one(with_pool(LEGACY, UserPoolName=name))["reasons"]
        assert any(r.startswith(f"UserPoolConfigs.UserPoolName = {shown}: Gen 1") for r in reasons)


def test_a_member_not_supported_says_so_with_the_mappings_note():
    reasons = one(LEGACY)["reasons"]
    (line,) = [
        r
        for r in reasons
        if r.startswith("UserPoolConfigs.ForgotPassword.EmailSettings.EmailSubject")
    ]
    assert line.startswith(
        "UserPoolConfigs.ForgotPassword.EmailSettings.EmailSubject = Reset: not supported: "
        "Cognito has no separate password-reset message"
    )
    assert reasons[-3] == (
        "the new pool carries a minimum password length of 8 (under 12) over as configured: "
        "change it in the code"
    )


def test_a_weak_pool_that_could_be_kept_needs_a_decision_and_says_what_each_way_costs():
    planned = one(SOCIAL)
    assert (planned["way"], planned["verdict"]) == ("keep", NEEDS_DECISION)
    assert planned["reasons"] == [
        "keep would freeze a minimum password length of 8 (under 12): Gen 2 cannot change a "
        "kept pool's settings. Fix it first (fleet apply), then keep; or recreate",
        f"recreate: {MOVE}",
        f"recreate: {CLIENT}",
        "recreate: MFA (optional) with TOTP: TOTP secrets and MFA devices do not move; users "
        "set their authenticator app up again",
        "recreate: social sign-in (Google): each user's identity relinks at their first "
        "sign-in with the provider",
    ]
    assert planned["secrets"] == []  # keep: the providers stay in the kept pool


@pytest.mark.parametrize(
    ("mfa", "line"),
    [
        ({"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS", "TOTP"]}}, "MFA (required) with TOTP"),
        ({"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"]}}, "MFA (optional) with TOTP"),
        ({"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS"]}}, None),
    ],
)
def test_totp_is_lost_only_when_mfa_uses_it(mfa, line):
    reasons = one(with_pool(SOCIAL, Mfa=mfa))["reasons"]
    found = [r.split(": TOTP secrets")[0] for r in reasons if "TOTP secrets" in r]
    assert found == ([] if line is None else [f"recreate: {line}"])


def test_each_social_provider_is_named_in_words_in_name_order():
    config = copy.deepcopy(SOCIAL)
    google = config["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]
    config["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"] = {
        "SignInWithApple": {"ClientId": "a", "KeyId": "k", "PrivateKey": "p", "TeamId": "t"},
        "LoginWithAmazon": dict(google),
        "Facebook": dict(google),
        "Google": google,
    }
    reasons = one(config)["reasons"]
    assert (
        "recreate: social sign-in (Facebook, Google, Login with Amazon, Apple): each user's "
        "identity relinks at their first sign-in with the provider"
    ) in reasons


def test_recreate_names_each_providers_secrets_in_words():
    config = with_pool(LEGACY, OAuth=copy.deepcopy(SOCIAL["UserPoolConfigs"]["OAuth"]))
    social = config["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    social["Facebook"] = dict(social["Google"])
    planned = one(config)
    assert planned["verdict"] == READY_WITH_OVERRIDES
    assert (
        "Google sign-in: the client id and client secret become secrets to set"
        in (planned["reasons"])
    )
    assert (
        "Facebook sign-in: the client id and client secret become secrets to set"
        in (planned["reasons"])
    )
    assert set(planned["secrets"]) >= {"GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"}


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        (
            {"error": "GetBackend: AccessDenied: no"},
            "the audit could not read this environment: GetBackend: AccessDenied: no",
        ),
        (
            {"configured": False},
            "no auth: the environment has no auth resource, so there are no users to move",
        ),
        (
            {"errors": 2, "finding_codes": ["model.range", "cognito.name"]},
            "the configuration has 2 validation error(s) (model.range, cognito.name): fix it "
            "(fleet apply) and audit again",
        ),
        (
            {"errors": 1, "finding_codes": []},
            "the configuration has 1 validation error(s) (see the audit): fix it (fleet apply) "
            "and audit again",
        ),
        (
            {"user_pool_id": None},
            "auth not deployed yet: amplify-meta.json names no user pool id for it; push the "
            "environment (amplify push) and audit again",
        ),
    ],
)
def test_each_block_says_why_and_nothing_else(changes, why):
    planned = one(STRONG, **changes)
    assert planned["verdict"] == BLOCKED and planned["reasons"] == [why]
    assert (planned["secrets"], planned["nag"]) == ([], [])
    assert pd.isna(planned["way"])


def test_a_row_alone_is_planned_as_in_the_fleet():
    rows = [row(SOCIAL), row(WEAK, app_id="a2"), row(STRONG, app_id="a3")]
    frame = audit_frame(rows)
    planned = plan_of(*rows)
    for record, expected in zip(frame.to_dict("records"), planned, strict=True):
        alone = plan_one(record)  # its weaknesses worked out from the row itself
        assert (alone["verdict"], alone["reasons"]) == (expected["verdict"], expected["reasons"])


def test_a_row_back_as_its_request_and_deployed_auth():
    frame = audit_frame([row(SOCIAL)])
    (record,) = frame.to_dict("records")
    request = audit_request(frame.iloc[0])  # a row Series: numpy scalars
    assert request["AppId"] == "a1" and request["BackendEnvironmentName"] == "dev"
    assert request["ResourceName"] == "auth1"
    pool = request["ResourceConfig"]["UserPoolConfigs"]
    assert pool["PasswordPolicy"]["MinimumLength"] == 8
    assert type(pool["PasswordPolicy"]["MinimumLength"]) is float  # unboxed: plain Python
    assert pool["Mfa"] == {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"]}}
    assert "ForgotPassword" not in pool  # missing cells are left out
    assert audit_deployed(record) == DEPLOYED
    bare = audit_request(record | {"app_id": None, "environment": float("nan")})
    assert "AppId" not in bare and "BackendEnvironmentName" not in bare
    assert audit_deployed(record | {"user_pool_id": ""}) is None


def test_a_frame_missing_columns_is_refused_naming_each():
    with pytest.raises(ValueError) as raised:
        migration_plan(pd.DataFrame({"app_id": ["a"], "environment": ["dev"]}))
    missing = [c for c in NEEDED if c not in ("app_id", "environment")]
    assert str(raised.value) == (
        f"migration_plan needs fleet.audit()'s frame; this one has no {', '.join(missing)}. "
        "Audit again (an audit saved before deployed ids were read lacks them)."
    )


def test_plan_rows_become_a_typed_frame():
    frame = plan_frame([{"app_id": "a", "way": "keep", "verdict": READY, "reasons": None}])
    assert list(frame["way"].cat.categories) == list(WAYS)
    assert frame.loc[0, "reasons"] == [] and frame.loc[0, "nag"] == []


def test_the_chart_colours_each_verdict_and_counts_in_whole_numbers():
    rows = [row(STRONG), row(WEAK, app_id="a2"), row(SOCIAL, app_id="a3")]
    rows += [row(STRONG, app_id=f"b{i}", configured=False) for i in range(4)]
    plan = migration_plan(audit_frame(rows))
    axes = plan_chart(plan).get_axes()[0]
    assert [p.get_facecolor() for p in axes.patches] == [
        to_rgba(VERDICT_COLORS[v]) for v in VERDICTS
    ]
    assert [t.get_text() for t in axes.texts] == ["1", "1", "1", "4"]
    assert axes.get_ylabel() == "environments"
    assert axes.get_ylim() == pytest.approx((0, 4 * 1.2))
    assert all(float(t).is_integer() for t in axes.get_yticks())


def test_a_pool_only_environment_without_weaknesses_carries_nothing_over():
    config = copy.deepcopy(STRONG)
    config["AuthResources"] = "USER_POOL_ONLY"
    config.pop("IdentityPoolConfigs", None)
    planned = one(config)
    assert (planned["way"], planned["verdict"]) == ("recreate", READY_WITH_OVERRIDES)
    assert not any("carries" in r for r in planned["reasons"])
    assert planned["reasons"][-3:] == [
        MOVE,
        CLIENT,
        "MFA (required) with TOTP: TOTP secrets and MFA devices do not move; users set their "
        "authenticator app up again",
    ]


def test_the_counts_are_named_as_a_table_shows_them():
    from amplify_auth_widgets.fleet.migration import plan_counts

    counts = plan_counts(migration_plan(audit_frame([row(STRONG), row(WEAK, app_id="a2")])))
    table = counts.reset_index()  # as a notebook or a page shows it
    assert list(table.columns) == ["verdict", "environments"]
    assert table.to_dict("list") == {"verdict": list(VERDICTS), "environments": [1, 1, 0, 0]}


def test_keeping_would_freeze_each_weakness_named():
    planned = one(with_pool(SOCIAL, Mfa={"MFAMode": "OFF"}))
    assert planned["verdict"] == NEEDS_DECISION
    assert planned["reasons"][0].startswith(
        "keep would freeze MFA off and a minimum password length of 8 (under 12): Gen 2 cannot"
    )


def test_the_chart_is_sized_for_a_page_and_scaled_to_its_highest_bar():
    plan = migration_plan(audit_frame([row(STRONG)]))
    for shown in (plan, plan.iloc[:0]):  # one environment, and none: room above a bar of 1
        figure = plan_chart(shown)
        axes = figure.get_axes()[0]
        assert tuple(figure.get_size_inches()) == (6.4, 3.2)
        assert axes.get_ylim() == pytest.approx((0, 1.2))
        assert [t.xyann for t in axes.texts] == [(0, 2)] * 4  # each count 2 points above
    with rc_context({"figure.figsize": (3.0, 3.0)}):  # a user's style: the chart keeps its size
        assert tuple(plan_chart(plan).get_size_inches()) == (6.4, 3.2)


def test_a_blocked_row_alone_has_every_plan_column():
    from amplify_auth_widgets.fleet.migration import PLAN_COLUMNS

    (record,) = audit_frame([row(STRONG, configured=False)]).to_dict("records")
    planned = plan_one(record)
    assert set(planned) == set(PLAN_COLUMNS)
    assert (planned["way"], planned["secrets"], planned["nag"]) == (None, [], [])
