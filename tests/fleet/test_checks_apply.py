"""The named checks against the emulator: an audit flags each seeded weakness under its own
check and nothing else, and "fix with apply" (``fix_plan``, a dry run, then the update) leaves
every fixable check passed on the next audit, with what the fix must not touch kept; across
two accounts and two regions, each fix goes through its own connection."""

from __future__ import annotations

import copy

import pytest

from amplify_auth_widgets import BackendAuthService, JobHistory, JobTracker, TrackerPolicy
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import FLEET_REGIONS, STRONG, seed_fleet_pairs
from amplify_auth_widgets.fleet.checks import CHECKS, FAILED_COLUMN, fix_plan
from amplify_auth_widgets.fleet.inventory import Fleet, apply, audit

#: A configuration every check passes: STRONG with a 14-character policy, every character
#: class, and a hosted UI over https with the code grant.
SOUND = copy.deepcopy(STRONG)
SOUND["UserPoolConfigs"]["PasswordPolicy"] = {
    "MinimumLength": 14,
    "AdditionalConstraints": [
        "REQUIRE_DIGIT",
        "REQUIRE_LOWERCASE",
        "REQUIRE_SYMBOL",
        "REQUIRE_UPPERCASE",
    ],
}
SOUND["UserPoolConfigs"]["OAuth"] = {
    "DomainPrefix": "checks-login",
    "OAuthGrantType": "CODE",
    "OAuthScopes": ["OPENID", "EMAIL"],
    "RedirectSignInURIs": ["https://app.example.com/", "http://localhost:3000/"],
    "RedirectSignOutURIs": ["https://app.example.com/bye/"],
}

#: Each check, and what one environment changes of SOUND to fail it (and only it).
WEAK: dict[str, dict[str, object]] = {
    "mfa-off": {"Mfa": {"MFAMode": "OFF"}},
    "mfa-optional": {"Mfa": {"MFAMode": "OPTIONAL", "Settings": {"MfaTypes": ["TOTP"]}}},
    "mfa-sms-only": {"Mfa": {"MFAMode": "ON", "Settings": {"MfaTypes": ["SMS"]}}},
    "password-min-length-14": {"PasswordPolicy": {"MinimumLength": 8}},
    "password-symbol": {"PasswordPolicy": {"AdditionalConstraints": ["REQUIRE_DIGIT"]}},
    "oauth-implicit-grant": {"OAuth": {"OAuthGrantType": "IMPLICIT"}},
    "oauth-http-redirect": {
        "OAuth": {"RedirectSignInURIs": ["http://app.example.com/", "http://localhost:3000/"]}
    },
    "oauth-admin-scope": {
        "OAuth": {"OAuthScopes": ["OPENID", "EMAIL", "AWS_COGNITO_SIGNIN_USER_ADMIN"]}
    },
    "email-not-verified": {
        "VerificationMessage": {
            "DeliveryMethod": "SMS",
            "SmsSettings": {"SmsMessage": "Your code is {####}"},
        }
    },
}


def weak_config(check_id: str) -> dict[str, object]:
    config = copy.deepcopy(SOUND)
    users = config["UserPoolConfigs"]
    for member, value in WEAK[check_id].items():
        users[member] = {**users.get(member, {}), **copy.deepcopy(value)}
    if check_id == "password-symbol":  # (keeps 14: only the classes are weak)
        users["PasswordPolicy"]["AdditionalConstraints"] = [
            "REQUIRE_DIGIT",
            "REQUIRE_LOWERCASE",
            "REQUIRE_UPPERCASE",
        ]
    if check_id == "email-not-verified":
        users["VerificationMessage"] = copy.deepcopy(WEAK[check_id]["VerificationMessage"])
    return config


@pytest.fixture
def fleet(tmp_path):
    """An emulator with an app per weakness (its prod fails that check), one sound app, and
    an identity pool open to guests; a fleet whose waits cost no time."""
    with Emulator(job_seconds=0, seed=4, db=str(tmp_path / "state.sqlite3")) as emu:
        store, now = emu.backend.store, emu.clock()
        seeded = {**{f"d{n}chk": c for n, c in enumerate(WEAK)}, "d90sound": None}
        seeded["d91guest"] = "identity-pool-unauthenticated"
        for app_id, check_id in seeded.items():
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "prod", {}, now)
            config = (
                copy.deepcopy(SOUND)
                if check_id in (None, "identity-pool-unauthenticated")
                else weak_config(check_id)
            )
            if check_id == "identity-pool-unauthenticated":
                config["IdentityPoolConfigs"]["UnauthenticatedLogin"] = True
            store.put_auth(app_id, "prod", "checksauth", config, now)
        history = JobHistory(":memory:")
        service = BackendAuthService(
            emu.connection(), on_call=history.record_call, sleep=lambda s: None
        )
        tracker = JobTracker(
            service, history, policy=TrackerPolicy(min_interval=0.02, max_interval=0.2)
        )
        yield Fleet(service, history, tracker), seeded


def failed(frame):
    return dict(zip(frame["app_id"], frame[FAILED_COLUMN], strict=True))


@pytest.mark.timeout(300)
def test_each_weakness_fails_its_check_and_fix_with_apply_makes_it_pass(fleet):
    fleet, seeded = fleet
    audit = fleet.audit()
    assert failed(audit) == {a: [c] if c else [] for a, c in seeded.items()}
    assert str(audit[CHECKS["mfa-off"].column].dtype) == "boolean"
    for check_id in sorted({c for c in seeded.values() if c}):
        if CHECKS[check_id].remediation is None:
            continue
        template, targets = fix_plan(audit, check_id)
        assert set(targets["app_id"]) == {a for a, c in seeded.items() if c == check_id}
        sent = len(fleet.history.submissions())
        dry = fleet.apply(template, targets, mode="update", dry_run=True)
        assert set(dry["status"].astype(str)) == {"DRY_RUN"} and all(dry["diff"].map(len))
        assert not any(dry["findings"].map(len)), dry["findings"].tolist()
        assert len(fleet.history.submissions()) == sent  # a dry run sends nothing
        done = fleet.apply(template, targets, mode="update")
        assert set(done["status"].astype(str)) == {"COMPLETED"}, done["error"].tolist()
    after = failed(fleet.audit())
    # MFA turned on as OPTIONAL, the most an update can; optional MFA has no update fix
    assert after == {
        a: ["mfa-optional"] if c in ("mfa-off", "mfa-optional") else [] for a, c in seeded.items()
    }
    # what a fix must not touch is kept: localhost over http, the SMS message
    _, http_config = fleet.current_auth(
        next(a for a, c in seeded.items() if c == "oauth-http-redirect"), "prod"
    )
    assert http_config is not None
    assert http_config["UserPoolConfigs"]["OAuth"]["RedirectSignInURIs"] == [
        "https://app.example.com/",
        "http://localhost:3000/",
    ]
    _, email = fleet.current_auth(
        next(a for a, c in seeded.items() if c == "email-not-verified"), "prod"
    )
    assert email is not None
    message = email["UserPoolConfigs"]["VerificationMessage"]
    assert message["DeliveryMethod"] == "EMAIL"
    assert message["EmailSettings"]["EmailMessage"] == "Your verification code is {####}"


@pytest.mark.timeout(300)
def test_a_fix_goes_to_each_environment_through_its_own_account_and_region():
    """Two accounts x two regions: the plan keeps where each environment is, and the apply
    sends each fix through the connection of its account and region."""
    with Emulator(job_seconds=0, seed=6, regions=FLEET_REGIONS) as emu:
        seeded = seed_fleet_pairs(emu.backend, 4)
        weak = {(a, r, app, e) for (a, r, app, e), w in seeded.items() if w == "mfa-off"}
        assert len({(a, r) for a, r, _, _ in weak}) >= 3  # (the seed spreads them)
        history = JobHistory(":memory:")
        before = audit(emu.connections(), history=history, progress=False)
        template, targets = fix_plan(before, "mfa-off")
        assert (
            set(
                zip(
                    targets["account_id"],
                    targets["region"],
                    targets["app_id"],
                    targets["environment"],
                    strict=True,
                )
            )
            == weak
        )
        done = apply(
            template,
            targets,
            mode="update",
            connection=emu.connections(),
            history=history,
            progress=False,
        )
        assert set(done["status"].astype(str)) == {"COMPLETED"}
        assert set(zip(done["account_id"], done["region"], strict=True)) == {
            (a, r) for a, r, _, _ in weak
        }
        after = audit(emu.connections(), history=history, progress=False)
    assert not after[CHECKS["mfa-off"].column].fillna(False).any()
    assert len(after) == len(before) == len(seeded)
