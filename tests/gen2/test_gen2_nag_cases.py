"""``gen2.nag.predict`` on the hand-made configurations of test_gen2_nag.py, finding by finding.

The toolchain test there proves, for each of these configurations, that cdk-nag 3.0.2 reports
exactly the rules predicted (rule, level, resource type) on the synthesized template. That test
needs Node and the toolchain, which a mutation run has not: the Python tests only looked at a
few findings, and a prediction that lost a setting the export writes (the MFA configuration
set on the pool, the guests of the identity pool) went unseen. These pin every finding of each
hand-made configuration, with no way and kept, as the real scan reports it and with what the
user reads: the setting that causes it, the reason, and whether it is said of the Gen 1 pool.
(A mutation run of gen2/nag.py found them unchecked.)
"""

from __future__ import annotations

import pytest
from conftest import planted
from support.nag import GUESTS as GUESTS_PATH
from support.nag import hand_made

from amplify_auth_widgets.gen2.nag import RULES, predict

PLUS = ("COG8", "", "no feature plan is set, so the pool is not on Plus")
GEN2 = " (not set in the Gen 1 configuration: Gen 2's default)"
GEN1 = " (not set in the Gen 1 configuration: Amplify Gen 1's default)"
CLASSES = "REQUIRE_UPPERCASE, REQUIRE_DIGIT, REQUIRE_SYMBOL are not required"
GUESTS = "the identity pool allows guests (unauthenticated identities)"

#: (configuration, way): each finding as (rule, the setting's last step, reason).
FINDINGS: dict[tuple[str, str | None], list[tuple[str, str, str]]] = {
    ("strict", None): [PLUS],
    ("strict", "keep"): [PLUS],
    ("weak-mfa-off-guests", None): [
        ("COG1", "PasswordPolicy", f"the minimum length is 6, under 8; {CLASSES}"),
        ("COG2", "MFAMode", "MFA is OFF, not ON (required)"),
        ("COG7", "UnauthenticatedLogin", GUESTS),
        PLUS,
    ],
    ("gen2-defaults", None): [
        ("COG2", "MFAMode", "MFA is OFF, not ON (required)" + GEN2),
        ("COG7", "UnauthenticatedLogin", GUESTS + GEN2),
        PLUS,
    ],
    ("gen2-defaults", "keep"): [
        ("COG1", "PasswordPolicy", CLASSES + GEN1),
        ("COG2", "MFAMode", "MFA is OFF, not ON (required)" + GEN1),
        PLUS,
    ],
    ("classes-without-length", None): [
        ("COG2", "MFAMode", "MFA is OPTIONAL, not ON (required)"),
        ("COG7", "UnauthenticatedLogin", GUESTS + GEN2),
        PLUS,
    ],
    ("classes-without-length", "keep"): [
        ("COG2", "MFAMode", "MFA is OPTIONAL, not ON (required)"),
        PLUS,
    ],
    ("no-symbol", None): [("COG1", "PasswordPolicy", "REQUIRE_SYMBOL is not required"), PLUS],
    ("no-symbol", "keep"): [("COG1", "PasswordPolicy", "REQUIRE_SYMBOL is not required"), PLUS],
    # MFA is set on the pool itself (phone sign-in, TOTP only), the identity pool has no guests
    ("user-pool-only-phone-mfa", None): [
        ("COG1", "PasswordPolicy", "the minimum length is 7, under 8"),
        PLUS,
    ],
    ("user-pool-only-phone-mfa", "keep"): [
        ("COG1", "PasswordPolicy", "the minimum length is 7, under 8"),
        PLUS,
    ],
}
FINDINGS[("weak-mfa-off-guests", "keep")] = FINDINGS[("weak-mfa-off-guests", None)]
LEVELS = {"COG1": "error", "COG2": "warning", "COG7": "error", "COG8": "error"}
RESOURCES = {"COG7": "AWS::Cognito::IdentityPool"}


@pytest.mark.parametrize(("name", "way"), sorted(FINDINGS, key=str))
def test_each_finding_of_each_configuration(name, way):
    found = predict(hand_made()[name], way)
    assert [
        (f.rule.removeprefix("AwsSolutions-"), f.path.rpartition(".")[2], f.reason) for f in found
    ] == FINDINGS[(name, way)]
    for finding in found:
        suffix = finding.rule.removeprefix("AwsSolutions-")
        assert finding.level == LEVELS[suffix]
        assert finding.resource == RESOURCES.get(suffix, "AWS::Cognito::UserPool")
        assert finding.existing_pool is (way == "keep")
        (rule,) = [r for r in RULES if r.rule == finding.rule]
        assert finding.title == rule.title
        assert finding.fix == (rule.fix_existing if way == "keep" else rule.fix)


def test_every_hand_made_configuration_is_pinned_both_ways():
    assert set(FINDINGS) == {(name, way) for name in hand_made() for way in (None, "keep")}


def test_guests_of_an_identity_pool_user_pool_only_ignores_are_no_finding():
    """With USER_POOL_ONLY the service ignores IdentityPoolConfigs: Gen 1 made no identity pool,
    and the export's has no guests, so guests set there are no COG7, kept or new."""
    config = planted({"ResourceConfig.AuthResources": "USER_POOL_ONLY", GUESTS_PATH: True})
    for way in (None, "keep"):
        assert "AwsSolutions-COG7" not in [f.rule for f in predict(config, way)]
    # the same guests with an identity pool are a finding, both ways
    with_pool = planted({GUESTS_PATH: True})
    for way in (None, "keep"):
        assert "AwsSolutions-COG7" in [f.rule for f in predict(with_pool, way)]


# -- refusals in full ------------------------------------------------------------------------

NEEDS = (
    "predict() needs ResourceConfig (or a request or GetBackendAuth response holding it); "
    "this dict has"
)


@pytest.mark.parametrize(
    ("config", "held"),
    [
        ({}, "no members"),  # was "has only no members"
        ({"Zeta": 1, "AppId": "x"}, "only 'AppId', 'Zeta'"),
        ({1: "x", "line\nbreak": 2}, "only 'line\\nbreak', 1"),  # was a TypeError from join
    ],
)
def test_a_dict_without_the_configuration_is_refused_with_what_it_holds(config, held):
    with pytest.raises(ValueError) as refused:
        predict(config)
    assert str(refused.value) == f"{NEEDS} {held}."


def test_what_is_not_a_dict_is_refused_with_what_to_pass():
    with pytest.raises(TypeError) as refused:
        predict(["ResourceConfig"])  # type: ignore[arg-type]
    assert str(refused.value) == (
        "predict() takes a request, a GetBackendAuth response or a ResourceConfig as a dict, "
        "not list."
    )


TYPES = "predict() needs each member in the type the service model gives it: "
POOL = "ResourceConfig.UserPoolConfigs"


def test_members_of_the_wrong_type_are_each_named():
    config = {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": "8"}, "UserPoolName": 5}}
    with pytest.raises(ValueError) as refused:
        predict(config)
    assert str(refused.value) == (
        f"{TYPES}{POOL}.PasswordPolicy.MinimumLength: MinimumLength must be a number, not a "
        f"string ('8').; {POOL}.UserPoolName: UserPoolName must be a string, not a number (5)."
    )


def test_a_lone_surrogate_is_refused_by_name():
    with pytest.raises(ValueError) as refused:
        predict({"UserPoolConfigs": {"UserPoolName": "a\ud800"}})
    assert str(refused.value).startswith(
        f"{TYPES}{POOL}.UserPoolName: UserPoolName holds a lone surrogate (\\ud800)"
    )
