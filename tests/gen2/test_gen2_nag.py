"""``gen2.nag.predict`` against cdk-nag itself.

The toolchain test synthesizes a batch of exports (the valid corpus, the presets, and
configurations that turn each Cognito rule on and off) in one process, scans every template
with cdk-nag's AwsSolutions rules in one more (``tests/gen2/nag.ts``), and requires the Cognito
findings of each project to be exactly the prediction: rule, level and the type of resource
each is reported on. The other tests need no Node: the prediction's table against the rule
pack's source, the ``keep`` reading, and refusals of bad input.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from conftest import CORPUS, planted
from support import nag, toolchain
from support.deployed import DEPLOYED
from support.nag import GUESTS, hand_made

from amplify_auth_widgets import gen2, validate
from amplify_auth_widgets.core.findings import errors
from amplify_auth_widgets.core.model import UPC, request_spec
from amplify_auth_widgets.core.presets import PRESETS
from amplify_auth_widgets.gen2.nag import IDENTITY_POOL, RULES, USER_POOL, predict
from amplify_auth_widgets.gen2.ways import WAYS

needs_toolchain = pytest.mark.skipif(
    not toolchain.installed(),
    reason="the Gen 2 toolchain is not installed: run `make gen2-toolchain` (make test does)",
)


def cases() -> dict[str, tuple[dict, str, str | None]]:
    """name: (configuration, operation, way) for the batch. Both ways take the configuration
    that fails every rule: ``keep`` puts no pool in the template, ``recreate`` the same pool as
    no way, with a migration function beside it."""
    found: dict[str, tuple[dict, str, str | None]] = {}
    for path in CORPUS:
        case = json.loads(path.read_text())
        if not case["errors"]:
            found[path.stem] = (case["request"], case["operation"], None)
    for i, config in enumerate(PRESETS.values()):  # bare ResourceConfigs, as export takes them
        found[f"preset-{i}"] = (copy.deepcopy(config), "CreateBackendAuth", None)
    for name, request in hand_made().items():
        create = "UserPoolName" in request["ResourceConfig"]["UserPoolConfigs"]
        operation = "CreateBackendAuth" if create else "UpdateBackendAuth"
        assert not errors(validate(request, operation)), (name, validate(request, operation))
        found[name] = (request, operation, None)
    for way in WAYS:
        found[f"way-{way}"] = (hand_made()["weak-mfa-off-guests"], "CreateBackendAuth", way)
    return found


def expected(config: dict, way: str | None = None) -> list[tuple[str, str, str]]:
    """What a scan of the Gen 2 template reports: not what is said of a kept pool."""
    return sorted(
        (f.rule, f.level, f.resource) for f in predict(config, way) if not f.existing_pool
    )


# -- the real scan ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[dict[str, tuple[dict, str, str | None]], nag.Scan]:
    batch = cases()
    root = tmp_path_factory.mktemp("gen2-nag")
    exports = {
        name: gen2.export(config, op, way=way, deployed=DEPLOYED if way else None)
        for name, (config, op, way) in batch.items()
    }
    folders = toolchain.prepare(root, exports)
    done = toolchain.synthesize(root, folders)
    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    return batch, nag.scan(root, folders)


@needs_toolchain
@pytest.mark.timeout(900)
def test_cdk_nag_reports_exactly_the_predicted_cognito_findings(scanned):
    batch, scan = scanned
    assert scan.templates >= 2 * len(batch)  # the root stack's and the auth stack's, at least
    for name, (config, _, way) in batch.items():
        real = sorted((f["rule"], f["level"], f["type"]) for f in scan.cognito(name))
        assert real == expected(config, way), name
        # each on the one resource of its type, in the auth stack
        assert all("auth" in f["template"] for f in scan.cognito(name)), name
    # a kept pool is not in the template: what is said of it is said of the Gen 1 pool
    kept = predict(batch["way-keep"][0], "keep")
    assert kept and all(f.existing_pool for f in kept)
    assert len(scan.findings["way-recreate"]) > len(scan.findings["weak-mfa-off-guests"])


def test_the_batch_turns_each_rule_on_and_off():
    """A rule that fires everywhere, or nowhere, would prove nothing about its condition;
    COG8 fires on every pool (neither generation sets a feature plan)."""
    fired = [{rule for rule, _, _ in expected(config, way)} for config, _, way in cases().values()]
    fired = [f for f in fired if f]  # but the kept pool's template, which holds none
    for rule in RULES:
        hits = sum(rule.rule in f for f in fired)
        if rule.rule == "AwsSolutions-COG8":
            assert hits == len(fired)
        else:
            assert 0 < hits < len(fired), rule.rule


# -- the table against the rule pack ------------------------------------------------------------

PACK = toolchain.NODE_MODULES / "cdk-nag" / "lib" / "packs" / "aws-solutions.js"
APPLY = re.compile(
    r"ruleSuffixOverride: '(?P<id>COG\d+)',\s*info: '(?P<info>[^']*)',\s*"
    r"explanation: '[^']*',\s*level: nag_rules_1\.NagMessageLevel\.(?P<level>\w+),"
)


@needs_toolchain
def test_the_table_holds_the_packs_cognito_rules_with_their_titles_and_levels():
    pack = {m["id"]: m for m in APPLY.finditer(PACK.read_text())}
    assert set(pack) == {"COG1", "COG2", "COG4", "COG7", "COG8"}  # no COG3 in cdk-nag 3
    # COG4 checks API Gateway methods, which an auth template never holds
    table = {r.rule.removeprefix("AwsSolutions-"): r for r in RULES}
    assert set(table) == set(pack) - {"COG4"}
    for suffix, rule in table.items():
        assert rule.title == pack[suffix]["info"]
        assert rule.level == {"ERROR": "error", "WARN": "warning"}[pack[suffix]["level"]]


# -- the prediction alone -----------------------------------------------------------------------


def test_each_finding_names_a_setting_of_the_model_or_none():
    spec = request_spec("CreateBackendAuth")
    for rule in RULES:
        assert rule.path == "" or spec.find(rule.path) is not None, rule.path
        assert rule.resource in (USER_POOL, IDENTITY_POOL)
    (cog8,) = [r for r in RULES if r.path == ""]
    assert "Neither Gen 1 nor" in cog8.fix


def test_gen2_defaults_are_not_gen1_defaults():
    """Left unset, Gen 2 makes a strong password policy and allows guests; Gen 1 made the
    opposite. A kept pool is predicted from Gen 1's, flagged as the existing pool."""
    config = hand_made()["gen2-defaults"]
    new = {f.rule: f for f in predict(config)}
    kept = {f.rule: f for f in predict(config, "keep")}
    assert set(new) == {"AwsSolutions-COG2", "AwsSolutions-COG7", "AwsSolutions-COG8"}
    assert "Gen 2's default" in new["AwsSolutions-COG7"].reason
    assert set(kept) == {"AwsSolutions-COG1", "AwsSolutions-COG2", "AwsSolutions-COG8"}
    assert "Amplify Gen 1's default" in kept["AwsSolutions-COG1"].reason
    assert "REQUIRE_UPPERCASE, REQUIRE_DIGIT, REQUIRE_SYMBOL" in kept["AwsSolutions-COG1"].reason
    assert all(f.existing_pool for f in kept.values())
    assert not any(f.existing_pool for f in new.values())
    assert all(f.fix.startswith(("Gen 2 cannot change", "Neither")) for f in kept.values())


def test_a_kept_pool_with_guests_and_one_without_an_identity_pool():
    guests = planted({GUESTS: True})
    (cog7,) = [f for f in predict(guests, "keep") if f.rule == "AwsSolutions-COG7"]
    assert cog7.existing_pool and cog7.path == GUESTS and cog7.level == "error"
    assert "not set" not in cog7.reason  # the configuration says so: no default assumed
    alone = hand_made()["user-pool-only-phone-mfa"]
    # no identity pool, so no COG7; the length of 7 is short
    assert [f.rule for f in predict(alone, "keep")] == ["AwsSolutions-COG1", "AwsSolutions-COG8"]


def test_recreate_makes_the_same_pool_as_no_way():
    for config, _, _ in cases().values():
        assert predict(config, "recreate") == predict(config)


def test_the_reason_says_what_fails():
    (weak,) = [f for f in predict(hand_made()["weak-mfa-off-guests"]) if f.path.endswith("Policy")]
    assert weak.reason == (
        "the minimum length is 6, under 8; REQUIRE_UPPERCASE, REQUIRE_DIGIT, REQUIRE_SYMBOL "
        "are not required"
    )
    # a policy without a length gets Cognito's 8 in the export (Gen 2 outputs the length)
    assert not [
        f for f in predict(hand_made()["classes-without-length"]) if f.path.endswith("Policy")
    ]
    (mfa,) = [f for f in predict(hand_made()["classes-without-length"]) if "Mfa" in f.path]
    assert (mfa.level, mfa.reason) == ("warning", "MFA is OPTIONAL, not ON (required)")
    assert mfa.summary == "AwsSolutions-COG2 (warning): MFA is OPTIONAL, not ON (required)"
    (kept,) = predict(hand_made()["strict"], "keep")
    assert kept.summary.startswith("AwsSolutions-COG8 (error): the existing pool: no feature")
    assert kept.as_dict()["existing_pool"] is True


def test_each_form_of_the_configuration_gives_the_same_findings():
    request = hand_made()["weak-mfa-off-guests"]
    response = {**request, "Operation": "getBackendAuth", "Error": None}
    for way in (None, "keep"):
        want = predict(request, way)
        assert predict(request["ResourceConfig"], way) == want
        assert predict(response, way) == want


@pytest.mark.parametrize(
    ("config", "way", "kind", "words"),
    [
        ({"ResourceConfig": {}}, "kepp", ValueError, ["way must be keep or recreate", "'kepp'"]),
        ({"ResourceConfig": {}}, "KEEP", ValueError, ["(or None for a new pool alone)"]),
        ("not a dict", None, TypeError, ["as a dict, not str"]),
        ({"AppId": "x"}, None, ValueError, ["needs ResourceConfig", "AppId"]),
        (
            {"UserPoolConfigs": {"PasswordPolicy": "strong"}},
            None,
            ValueError,
            [f"{UPC}.PasswordPolicy"],
        ),
        (
            {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": "8"}}},
            "keep",
            ValueError,
            [f"{UPC}.PasswordPolicy.MinimumLength"],
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_named(config, way, kind, words):
    with pytest.raises(kind) as raised:
        predict(config, way)
    for word in words:
        assert word in str(raised.value)
