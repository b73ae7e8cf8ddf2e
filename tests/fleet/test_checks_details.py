"""The named checks' details a mutation run of fleet/checks.py found no test looking at: the
counts of a frame that already holds its verdicts, in whole numbers; a remediation's default
written over an empty value; and docs/checks.md's words for a remediation that adds or
removes several items (the catalogue is data: the next check may)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from amplify_auth_widgets.fleet import checks
from amplify_auth_widgets.fleet.checks import (
    CHECKS,
    FAILED_COLUMN,
    Check,
    Condition,
    Remediation,
    catalogue_markdown,
    check_columns,
    evaluate,
    failed_counts,
    fix_plan,
    plain,
    with_checks,
)

UPC = "UserPoolConfigs"
MFA = f"{UPC}.Mfa.MFAMode"
LENGTH = f"{UPC}.PasswordPolicy.MinimumLength"
TYPES = f"{UPC}.Mfa.Settings.MfaTypes"
SCOPES = f"{UPC}.OAuth.OAuthScopes"


def verdicts_only() -> pd.DataFrame:
    """An audit's verdicts kept without the configuration they were worked out from (what a
    summary of an audit keeps): dev fails mfa-off twice, prod once; staging passes it."""
    audit = pd.DataFrame(
        {
            "environment": ["dev", "prod", "dev", "staging"],
            "configured": True,
            MFA: ["OFF", "OFF", "OFF", "ON"],
        }
    )
    return with_checks(audit)[["environment", *check_columns(), FAILED_COLUMN]]


def test_failed_counts_counts_the_verdicts_a_frame_holds_in_whole_numbers():
    """Worked out again from a frame without the configuration, every check would fail or pass
    by the service's defaults (no MFA mode is MFA off): the frame's own verdicts are counted."""
    counts = failed_counts(verdicts_only())
    assert counts["mfa-off"].to_dict() == {"dev": 2, "prod": 1, "staging": 0}
    assert counts["password-min-length-14"].to_dict() == {"dev": 2, "prod": 1, "staging": 1}
    assert counts["identity-pool-unauthenticated"].sum() == 0  # (did not apply: <NA>)
    assert (counts.dtypes == "int64").all()  # 2, not 2.0
    assert list(counts.columns) == list(CHECKS)


def test_a_fill_value_is_written_over_an_empty_one():
    """An empty subject is no subject: the fill's default is sent, as for one not set."""
    fix = Remediation(fill={"a.Subject": "Your verification code"})
    assert fix.values({"a.Subject": ""}) == {"a.Subject": "Your verification code"}
    assert fix.values({"a.Subject": " "}) == {"a.Subject": " "}


def test_the_page_words_a_remediation_of_several_items(monkeypatch: pytest.MonkeyPatch):
    several = Check(
        id="several",
        severity="low",
        title="Several items",
        rationale="A check whose fix adds two items and removes two.",
        fails=(Condition(MFA, "in", ("OFF",)),),
        remediation=Remediation(
            add={TYPES: ("TOTP", "SMS")}, remove={SCOPES: ("PHONE", "PROFILE")}
        ),
    )
    monkeypatch.setattr(checks, "CATALOGUE", (several,))
    assert catalogue_markdown().endswith(
        f"Remediation: add `TOTP, SMS` to `{TYPES}`; remove `PHONE, PROFILE` from `{SCOPES}`.\n"
    )


def test_a_rewrite_leaves_what_is_not_text_as_it_is():
    """A hand-made audit's list may hold something other than text (a missing value): the
    rewrite goes round it rather than stopping the whole plan with a TypeError."""
    fix = Remediation(rewrite={"a.URIs": (r"^http://", "https://")})
    assert fix.values({"a.URIs": ["http://a.example/", None, 7]}) == {
        "a.URIs": ["https://a.example/", None, 7]
    }


def test_a_fix_plan_takes_the_verdicts_a_frame_holds():
    """A frame narrowed to what the fix needs keeps its verdicts: the plan fixes the
    environments it says fail, not every one whose MFA mode the frame no longer shows."""
    audit = with_checks(
        pd.DataFrame(
            {
                "app_id": ["d1", "d2"],
                "environment": ["dev", "prod"],
                "configured": True,
                "resource_name": "auth",
                "AuthResources": "USER_POOL_ONLY",
                MFA: ["OFF", "ON"],
                TYPES: [None, ["TOTP"]],
            }
        )
    )
    _, targets = fix_plan(audit.drop(columns=[MFA]), "mfa-off")
    assert targets.to_dict("records") == [
        {
            "app_id": "d1",
            "environment": "dev",
            "resource_name": "auth",
            "AuthResources": "USER_POOL_ONLY",
            TYPES: ["TOTP"],
        }
    ]


@pytest.mark.parametrize(
    "audit",
    [
        pd.DataFrame({"environment": ["dev", "prod"], "configured": [False, False]}),
        pd.DataFrame({"environment": pd.Series([], dtype=object)}),
    ],
    ids=["no-auth-anywhere", "empty"],
)
def test_the_check_columns_are_boolean_even_with_no_verdict_at_all(audit):
    """An audit where no check applies (no environment has auth), or of no environment, still
    has boolean columns (<NA> where there is no verdict): stacked with another audit's they
    stay boolean, where a column of None would turn both into objects."""
    frame = with_checks(audit)
    assert all(str(frame[c].dtype) == "boolean" for c in check_columns())
    other = with_checks(pd.DataFrame({"environment": ["qa"], "configured": True, MFA: "OFF"}))
    stacked = pd.concat([frame, other], ignore_index=True)
    assert all(str(stacked[c].dtype) == "boolean" for c in check_columns())
    assert stacked[stacked["check.mfa-off"].fillna(False)]["environment"].tolist() == ["qa"]


def test_a_row_taken_from_a_frame_as_a_series_gets_the_same_verdicts():
    """``frame.iloc[i]`` gives numpy scalars (NaN for a length not set, numpy's booleans): read
    as Python's, a missing length is Cognito's 8 and fails the 14 check, and an environment
    without auth has no verdict, as in the audit's own rows."""
    frame = pd.DataFrame({"configured": [True, True, False], LENGTH: [math.nan, 16.0, 8.0]})
    assert frame[LENGTH].dtype == "float64" and frame["configured"].dtype == "bool"
    # the third has no auth (numpy's False): no verdict, however short its length
    expected = [True, False, None]
    assert [evaluate(frame.iloc[i])["password-min-length-14"] for i in (0, 1, 2)] == expected
    rows = frame.to_dict("records")
    assert [evaluate(r)["password-min-length-14"] for r in rows] == expected


def test_a_frame_without_the_configured_column_is_taken_as_configured():
    """Hand-made rows need not say they have auth: only ``configured`` False means none."""
    verdicts = evaluate({MFA: "OFF"})
    assert verdicts["mfa-off"] is True and verdicts["password-min-length-14"] is True
    frame = with_checks(pd.DataFrame({"environment": ["dev"], MFA: ["OFF"]}))
    assert "mfa-off" in frame.loc[0, FAILED_COLUMN]


@pytest.mark.parametrize("length", ["13", True, None])
def test_only_a_number_is_below_a_minimum(length):
    """A length that is not a number (text from a hand-made frame, a flag) is not below 14,
    and does not stop the audit with a TypeError; a missing one is the default."""
    below = Condition(LENGTH, "below", 14)
    assert below.holds({LENGTH: length}) is False
    assert Condition(LENGTH, "below", 14, default=8).holds({LENGTH: None}) is True


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (pd.NA, None),
        (pd.NaT, None),
        (math.nan, None),
        (np.float64("nan"), None),
        (None, None),
        (np.int64(3), 3),
        (np.float64(13.5), 13.5),
        (np.bool_(False), False),
        (np.array(["TOTP", "SMS"]), ["TOTP", "SMS"]),  # a list read back from Parquet
        (["TOTP"], ["TOTP"]),
        ("OFF", "OFF"),
        ({"a": 1}, {"a": 1}),
    ],
    ids=repr,
)
def test_plain_reads_a_frame_s_cell_as_python_s_value(cell, value):
    """Whatever a frame gives for a cell (pandas' missing values, numpy's scalars and arrays),
    ``plain`` gives Python's: None for every kind of missing, the same type as Python's."""
    got = plain(cell)
    assert got == value and type(got) is type(value)


def test_a_missing_value_in_the_audit_s_own_dtypes_is_the_default():
    """A configured environment whose length is <NA> (nullable Float64) has Cognito's 8, which
    fails the 14 check; <NA> guest access (nullable boolean) is not guest access."""
    frame = pd.DataFrame(
        {
            "environment": ["dev"],
            "configured": [True],
            "AuthResources": ["IDENTITY_POOL_AND_USER_POOL"],
            LENGTH: pd.array([None], dtype="Float64"),
            "IdentityPoolConfigs.UnauthenticatedLogin": pd.array([None], dtype="boolean"),
        }
    )
    (row,) = with_checks(frame).to_dict("records")
    assert row["check.password-min-length-14"] is True
    assert row["check.identity-pool-unauthenticated"] is False


def test_failed_counts_works_the_verdicts_out_for_an_audit_without_them():
    audit = pd.DataFrame({"environment": ["dev", "prod"], "configured": True, MFA: ["OFF", "ON"]})
    counts = failed_counts(audit)
    assert counts["mfa-off"].to_dict() == {"dev": 1, "prod": 0}
    assert counts["mfa-optional"].sum() == 0
