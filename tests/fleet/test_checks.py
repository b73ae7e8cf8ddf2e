"""The named security checks as data: the catalogue's shape (every field it reads and every
remediation it sends is one the service model has, and an update can change), each check's
verdict on the rows that pass, fail or do not apply, the audit frame's columns, the
remediation's values per environment, the plan ``fleet.apply`` takes, and docs/checks.md."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.fleet.checks import (
    CATALOGUE,
    CHECKS,
    FAILED_COLUMN,
    OPERATORS,
    SEVERITIES,
    STANDARD_TOOLS,
    Condition,
    Remediation,
    catalogue_markdown,
    check_columns,
    evaluate,
    failed_counts,
    fix_plan,
    with_checks,
)

ROOT = Path(__file__).resolve().parents[2]
UPC = "UserPoolConfigs"
MFA, TYPES = f"{UPC}.Mfa.MFAMode", f"{UPC}.Mfa.Settings.MfaTypes"
LENGTH = f"{UPC}.PasswordPolicy.MinimumLength"
CLASSES = f"{UPC}.PasswordPolicy.AdditionalConstraints"
GRANT, SCOPES = f"{UPC}.OAuth.OAuthGrantType", f"{UPC}.OAuth.OAuthScopes"
SIGN_IN, SIGN_OUT = f"{UPC}.OAuth.RedirectSignInURIs", f"{UPC}.OAuth.RedirectSignOutURIs"
VERIFY = f"{UPC}.VerificationMessage.DeliveryMethod"
ALL_CLASSES = ["REQUIRE_DIGIT", "REQUIRE_LOWERCASE", "REQUIRE_SYMBOL", "REQUIRE_UPPERCASE"]

#: A row that passes every check (each test below changes one thing).
SOUND = {
    "configured": True,
    "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
    "IdentityPoolConfigs.UnauthenticatedLogin": False,
    MFA: "ON",
    TYPES: ["TOTP"],
    LENGTH: 14,
    CLASSES: ALL_CLASSES,
    GRANT: "CODE",
    SCOPES: ["OPENID", "EMAIL"],
    SIGN_IN: ["https://app.example.com/", "http://localhost:3000/", "myapp://signin/"],
    SIGN_OUT: ["https://app.example.com/bye/"],
    f"{UPC}.SignInMethod": "EMAIL",
    VERIFY: "EMAIL",
}


def test_the_sound_row_passes_every_check():
    assert evaluate(SOUND) == dict.fromkeys(CHECKS, False)


def test_the_catalogue_is_data_every_field_and_fix_of_which_the_model_knows():
    root = request_spec("CreateBackendAuth").member("ResourceConfig")
    update = request_spec("UpdateBackendAuth").member("ResourceConfig")
    assert root is not None and update is not None
    assert len(CHECKS) == len(CATALOGUE) >= 13  # ids are unique
    for c in CATALOGUE:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.id), c.id
        assert c.severity in SEVERITIES and c.title and c.rationale and c.mirrors
        assert c.fails_when in ("all", "any")
        for test in (*c.applies, *c.fails):
            spec = root.find(test.field)
            assert spec is not None and not spec.is_structure, (c.id, test.field)
            assert test.op in OPERATORS
        if c.remediation is None:
            assert c.manual, c.id  # says why, and what to do instead
            continue
        for path in c.remediation.paths:  # an update can send every member it sets
            spec = update.find(path)
            assert spec is not None and not spec.is_structure, (c.id, path)


def test_the_catalogue_covers_what_the_standard_tools_check():
    mirrored = {rule for c in CATALOGUE for _, rule in c.mirrors}
    assert {
        "cognito_user_pool_mfa_enabled",
        "cognito_user_pool_password_policy_minimum_length_14",
        "cognito_user_pool_password_policy_lowercase",
        "cognito_user_pool_password_policy_uppercase",
        "cognito_user_pool_password_policy_number",
        "cognito_user_pool_password_policy_symbol",
        "cognito_identity_pool_guest_access_disabled",
        "Cognito.2",
        "cognito-identity-pool-unauth-access-check",
    } <= mirrored
    assert {
        "mfa-off",
        "mfa-optional",
        "mfa-sms-only",
        "password-min-length-14",
        "identity-pool-unauthenticated",
        "oauth-implicit-grant",
        "oauth-http-redirect",
        "oauth-admin-scope",
        "email-not-verified",
    } <= set(CHECKS)


def test_docs_checks_md_is_the_catalogue():
    """docs/checks.md is written from the catalogue: edit the data, then write it again with
    ``catalogue_markdown()``."""
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert text == catalogue_markdown()
    for c in CATALOGUE:
        assert f"## {c.id}\n" in text and c.title in text
    standard = [c for c in CATALOGUE if {t for t, _ in c.mirrors} & set(STANDARD_TOOLS)]
    assert len(standard) >= 8  # and the others say that no standard rule exists
    assert text.count("no Prowler, Security Hub or AWS Config rule") == len(CATALOGUE) - len(
        standard
    )


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({MFA: "OFF"}, {"mfa-off"}),
        ({MFA: None}, {"mfa-off"}),  # none set is off
        ({MFA: "OPTIONAL"}, {"mfa-optional"}),
        ({TYPES: ["SMS"]}, {"mfa-sms-only"}),
        ({TYPES: ["SMS", "TOTP"]}, set()),
        ({MFA: "OFF", TYPES: ["SMS"]}, {"mfa-off"}),  # SMS-only does not apply to MFA off
        ({LENGTH: 13}, {"password-min-length-14"}),
        ({LENGTH: 13.0}, {"password-min-length-14"}),
        ({LENGTH: None}, {"password-min-length-14"}),  # Cognito's default, 8
        ({LENGTH: 99}, set()),
        (
            {CLASSES: ["REQUIRE_DIGIT"]},
            {"password-lowercase", "password-uppercase", "password-symbol"},
        ),
        ({CLASSES: None}, {f"password-{w}" for w in ("lowercase", "uppercase", "digit", "symbol")}),
        ({"IdentityPoolConfigs.UnauthenticatedLogin": True}, {"identity-pool-unauthenticated"}),
        (  # no identity pool: nothing to refuse
            {"AuthResources": "USER_POOL_ONLY", "IdentityPoolConfigs.UnauthenticatedLogin": True},
            set(),
        ),
        ({GRANT: "IMPLICIT"}, {"oauth-implicit-grant"}),
        ({SIGN_IN: ["http://app.example.com/"]}, {"oauth-http-redirect"}),
        ({SIGN_OUT: ["HTTP://app.example.com/bye"]}, {"oauth-http-redirect"}),
        ({SIGN_IN: ["http://localhost.example.com/"]}, {"oauth-http-redirect"}),
        ({SIGN_IN: ["http://127.0.0.1:8080/cb", "http://[::1]/", "http://localhost"]}, set()),
        ({SCOPES: ["OPENID", "AWS_COGNITO_SIGNIN_USER_ADMIN"]}, {"oauth-admin-scope"}),
        ({VERIFY: "SMS"}, {"email-not-verified"}),
        ({VERIFY: None}, {"email-not-verified"}),
        ({VERIFY: "SMS", f"{UPC}.SignInMethod": "USERNAME"}, set()),
        ({VERIFY: None, f"{UPC}.SignInMethod": "EMAIL_AND_PHONE_NUMBER"}, {"email-not-verified"}),
    ],
)
def test_each_check_fails_exactly_where_its_weakness_is(changes, failed):
    verdicts = evaluate({**SOUND, **changes})
    assert {i for i, v in verdicts.items() if v} == failed


def test_checks_that_do_not_apply_say_so():
    none = evaluate({**SOUND, "configured": False})
    assert set(none.values()) == {None}  # an environment without auth: no verdict at all
    verdicts = evaluate(
        {**SOUND, GRANT: None, MFA: "OFF", "AuthResources": "USER_POOL_ONLY", SIGN_IN: None}
    )
    assert verdicts["oauth-implicit-grant"] is None and verdicts["oauth-admin-scope"] is None
    assert verdicts["oauth-http-redirect"] is None and verdicts["mfa-sms-only"] is None
    assert verdicts["identity-pool-unauthenticated"] is None
    assert verdicts["mfa-off"] is True and verdicts["password-digit"] is False


def test_an_unknown_operator_is_refused_by_name():
    with pytest.raises(ValueError, match=r"Condition.op must be one of in, not_in, .* not 'about'"):
        Condition(MFA, "about", "ON").holds(SOUND)


def typed_audit() -> pd.DataFrame:
    """Three environments in the audit's own dtypes: one weak, one sound, one without auth."""
    rows = [
        {**SOUND, "app_id": "d1", "environment": "dev", MFA: "OFF", LENGTH: 8, CLASSES: []},
        {**SOUND, "app_id": "d2", "environment": "prod"},
        {"app_id": "d3", "environment": "dev", "configured": False},
    ]
    frame = pd.DataFrame(rows)
    frame[MFA] = pd.Categorical(frame[MFA], categories=["ON", "OFF", "OPTIONAL"])
    frame[LENGTH] = frame[LENGTH].astype("Float64")
    frame["IdentityPoolConfigs.UnauthenticatedLogin"] = frame[
        "IdentityPoolConfigs.UnauthenticatedLogin"
    ].astype("boolean")
    frame["resource_name"] = "auth"
    return frame.set_axis([7, 3, 5])


def test_the_audit_frame_gets_a_column_per_check_and_the_failed_ids():
    frame = with_checks(typed_audit())
    assert list(frame.columns[-len(CATALOGUE) - 1 :]) == [*check_columns(), FAILED_COLUMN]
    assert all(str(frame[c].dtype) == "boolean" for c in check_columns())
    weak = ["mfa-off", "password-min-length-14"] + [
        f"password-{w}" for w in ("lowercase", "uppercase", "digit", "symbol")
    ]
    assert frame[FAILED_COLUMN].to_dict() == {7: weak, 3: [], 5: []}
    assert frame.loc[5, check_columns()].isna().all()  # no auth: no verdicts
    assert not frame.loc[3, check_columns()].any()
    again = with_checks(frame)  # worked out again, not doubled
    pd.testing.assert_frame_equal(again, frame)
    counts = failed_counts(frame)
    assert list(counts.columns) == list(CHECKS) and list(counts.index) == ["dev", "prod"]
    assert counts.loc["dev", "mfa-off"] == 1 and counts.loc["prod"].sum() == 0


def test_a_remediation_works_out_each_environment_s_values():
    fix = Remediation(
        set={LENGTH: 14},
        fill={"a.Subject": "Default"},
        add={TYPES: ("TOTP",)},
        remove={SCOPES: ("AWS_COGNITO_SIGNIN_USER_ADMIN",)},
        rewrite={SIGN_IN: (r"^http://", "https://")},
    )
    row = {
        "a.Subject": "Our own words",
        TYPES: ["SMS"],
        SCOPES: ["OPENID", "AWS_COGNITO_SIGNIN_USER_ADMIN", "EMAIL"],
        SIGN_IN: ["http://a.example/", "myapp://x"],
    }
    assert fix.values(row) == {
        LENGTH: 14,
        "a.Subject": "Our own words",  # kept
        TYPES: ["SMS", "TOTP"],  # added after what is there, once
        SCOPES: ["OPENID", "EMAIL"],
        SIGN_IN: ["https://a.example/", "myapp://x"],
    }
    assert fix.values({TYPES: ["TOTP"]})[TYPES] == ["TOTP"]
    assert fix.values({})["a.Subject"] == "Default" and fix.values({})[SCOPES] == []


def test_the_http_redirect_fix_leaves_localhost_as_it_is():
    c = CHECKS["oauth-http-redirect"]
    assert c.remediation is not None
    row = {**SOUND, SIGN_IN: ["http://app.example.com/cb", "http://localhost:3000/"]}
    values = c.remediation.values(row)
    assert values[SIGN_IN] == ["https://app.example.com/cb", "http://localhost:3000/"]
    assert values[SIGN_OUT] == ["https://app.example.com/bye/"]
    assert c.verdict({**row, **values}) is False


@pytest.mark.parametrize("check_id", [c.id for c in CATALOGUE if c.remediation])
def test_every_remediation_passes_its_own_check(check_id):
    """What the fix sends, merged into a row failing the check, passes it."""
    c = CHECKS[check_id]
    failing = {
        "mfa-off": {MFA: "OFF", TYPES: None},
        "mfa-sms-only": {TYPES: ["SMS"]},
        "password-min-length-14": {LENGTH: 6},
        "identity-pool-unauthenticated": {"IdentityPoolConfigs.UnauthenticatedLogin": True},
        "oauth-implicit-grant": {GRANT: "IMPLICIT"},
        "oauth-http-redirect": {SIGN_OUT: ["http://a.example/"]},
        "oauth-admin-scope": {SCOPES: ["AWS_COGNITO_SIGNIN_USER_ADMIN"]},
        "email-not-verified": {VERIFY: "SMS"},
    }.get(check_id, {CLASSES: []})
    row = {**SOUND, **failing}
    assert c.verdict(row) is True and c.remediation is not None
    assert c.verdict({**row, **c.remediation.values(row)}) is False


def test_the_fix_plan_is_a_template_and_targets_for_an_update():
    template, targets = fix_plan(typed_audit(), "mfa-off")
    assert template == {
        "ResourceConfig": {
            "Service": "COGNITO",
            "UserPoolConfigs": {"Mfa": {"MFAMode": "OPTIONAL"}},
        }
    }
    assert targets.to_dict("records") == [
        {
            "app_id": "d1",
            "environment": "dev",
            "resource_name": "auth",
            "AuthResources": "IDENTITY_POOL_AND_USER_POOL",
            TYPES: ["TOTP"],
        }
    ]
    empty_template, none = fix_plan(typed_audit(), "oauth-implicit-grant")
    assert none.empty and list(none.columns)[:4] == [
        "app_id",
        "environment",
        "resource_name",
        "AuthResources",
    ]
    assert empty_template["ResourceConfig"]["UserPoolConfigs"] == {
        "OAuth": {"OAuthGrantType": "CODE"}
    }


def test_a_fix_plan_is_refused_for_an_unknown_check_or_one_no_update_can_fix():
    with pytest.raises(ValueError, match=r"no check named 'mfa'; the checks are mfa-off, "):
        fix_plan(typed_audit(), "mfa")
    with pytest.raises(ValueError, match="'mfa-optional' has no remediation an update can send"):
        fix_plan(typed_audit(), "mfa-optional")


def test_the_fix_plan_says_where_each_target_is_only_when_the_audit_spans_several():
    """One account and region: the targets need no location (one Fleet applies them); two:
    each target names its account and region, for fleet.apply to route it (an environment
    without deployed ids has none, and is routed by the rest)."""
    one = typed_audit().assign(account_id="111111111111", region="us-east-1")
    assert "account_id" not in fix_plan(one, "mfa-off")[1]
    two = typed_audit().assign(
        account_id=["111111111111", "222222222222", None], region="eu-west-1"
    )
    two.loc[3, MFA] = "OFF"
    _, targets = fix_plan(two, "mfa-off")
    assert targets[["app_id", "account_id", "region"]].to_dict("records") == [
        {"app_id": "d1", "account_id": "111111111111", "region": "eu-west-1"},
        {"app_id": "d2", "account_id": "222222222222", "region": "eu-west-1"},
    ]


def test_an_audit_read_back_from_parquet_gets_the_same_verdicts(tmp_path):
    """Parquet gives lists back as arrays and missing values as None or NaN: the verdicts
    worked out again from the file are the audit's."""
    frame = with_checks(typed_audit())
    frame[SIGN_IN] = [["http://app.example.com/"], SOUND[SIGN_IN], None]
    frame = with_checks(frame)
    path = tmp_path / "audit.parquet"
    frame.to_parquet(path)
    back = pd.read_parquet(path)
    assert not isinstance(back.loc[7, CLASSES], list)  # (an array)
    again = with_checks(back.drop(columns=[*check_columns(), FAILED_COLUMN]))
    assert again[FAILED_COLUMN].tolist() == frame[FAILED_COLUMN].tolist()
    assert "oauth-http-redirect" in again.loc[7, FAILED_COLUMN]
    pd.testing.assert_frame_equal(again[check_columns()], frame[check_columns()])
