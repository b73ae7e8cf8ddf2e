"""Who is calling, as the emulator's STS decides it: the accounts of access keys, the
credentials ``AssumeRole`` issues and how long they hold, and ``GetCallerIdentity``'s answer.

These call ``sts.Identities`` directly, with a clock the test moves and a seeded random source,
so each answer can be checked exactly (the end-to-end tests through boto3 are in
``test_emulator_accounts.py``).
"""

from __future__ import annotations

import hashlib
import random
import re

import pytest
from conftest import FakeClock

from amplify_auth_widgets.emulator.protocol import EmulatorError
from amplify_auth_widgets.emulator.store import ACCOUNT
from amplify_auth_widgets.emulator.sts import Identities, check_accounts

OTHER = "210987654321"
ROLE = f"arn:aws:iam::{OTHER}:role/platform/auditor"


def identities(
    accounts: dict[str, str] | None = None, strict: tuple[str, str] | None = None
) -> tuple[Identities, FakeClock]:
    clock = FakeClock()
    return Identities(accounts or {}, strict, clock, random.Random(7)), clock


def assume(ids: Identities, **request: object) -> dict:
    return ids.assume_role({"RoleArn": ROLE, "RoleSessionName": "audit-1", **request})


# -- the accounts of access keys --------------------------------------------------------------


def test_accounts_are_kept_as_text_key_by_key():
    assert check_accounts({"AKIDOTHER": OTHER, "AKIDNUM": 123456789012}) == {
        "AKIDOTHER": OTHER,
        "AKIDNUM": "123456789012",
    }
    assert check_accounts({}) == {}


@pytest.mark.parametrize(
    "accounts",
    [{"": OTHER}, {"AKID": "1234"}, {"AKID": f"{OTHER}0"}, {"AKID": f"{OTHER}\n"}, {"AKID": None}],
)
def test_an_account_map_without_a_key_or_a_twelve_digit_account_is_refused(accounts):
    [(key, account)] = accounts.items()
    expected = (
        f"accounts: {key!r} maps to {account!r}; give an access key id and a "
        "12-digit account id (KEY=123456789012)."
    )
    with pytest.raises(ValueError) as raised:
        check_accounts(accounts)
    assert str(raised.value) == expected


def test_a_key_belongs_to_its_mapped_account_else_to_the_default_one():
    ids, _ = identities({"AKIDOTHER": OTHER})
    assert ids.account_of("AKIDOTHER", None) == OTHER
    assert ids.account_of("AKIDANY", None) == ACCOUNT
    assert ids.account_of("AKIDOTHER", "some-token") == OTHER  # a token is not asked of it


def test_a_key_for_an_account_is_the_mapped_one_or_a_new_one_that_then_belongs_to_it():
    ids, _ = identities({"AKIDOTHER": OTHER})
    assert ids.key_for(OTHER) == "AKIDOTHER"
    assert ids.key_for(ACCOUNT) == "emulator"
    third = "333333333333"
    assert ids.key_for(third) == "emulator-333333333333"
    assert ids.account_of("emulator-333333333333", None) == third
    assert ids.key_for(third) == "emulator-333333333333"  # mapped once, found again
    assert ids.accounts == {"AKIDOTHER": OTHER, "emulator": ACCOUNT, "emulator-" + third: third}


# (the last: twelve Arabic-Indic digits, which Python's \d alone takes)
@pytest.mark.parametrize("account", ["1234", "33333333333a", f"{OTHER}\n", "", "\u0661" * 12])
def test_a_key_for_an_account_that_is_not_twelve_digits_is_refused(account):
    ids, _ = identities()
    with pytest.raises(ValueError) as raised:
        ids.key_for(account)
    assert str(raised.value) == f"an account id is 12 digits, not {account!r}"
    assert ids.accounts == {}


def test_in_strict_mode_only_the_configured_key_and_issued_keys_have_a_secret():
    ids, _ = identities(strict=("AKIDTEST", "s3cret"))
    assert ids.secret_of("AKIDTEST") == "s3cret"
    assert ids.secret_of("AKIDOTHER") is None
    issued = assume(ids)["Credentials"]
    assert ids.secret_of(issued["AccessKeyId"]) == issued["SecretAccessKey"]
    open_ids, _ = identities()
    assert open_ids.secret_of("AKIDTEST") is None
    issued = assume(open_ids)["Credentials"]
    assert open_ids.secret_of(issued["AccessKeyId"]) == issued["SecretAccessKey"]


# -- AssumeRole's credentials ------------------------------------------------------------------


def test_assume_role_issues_temporary_credentials_of_the_role_account():
    ids, clock = identities()
    answer = assume(ids, DurationSeconds=900)
    credentials = answer["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", credentials["AccessKeyId"])
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", credentials["SecretAccessKey"])
    assert re.fullmatch(r"[A-Za-z0-9+/]{200}", credentials["SessionToken"])
    assert credentials["Expiration"] == clock.now + 900
    role_id = "AROA" + hashlib.sha256(ROLE.encode()).hexdigest()[:17].upper() + ":audit-1"
    assert answer["AssumedRoleUser"] == {
        "AssumedRoleId": role_id,
        "Arn": f"arn:aws:sts::{OTHER}:assumed-role/auditor/audit-1",
    }
    assert answer["PackedPolicySize"] == 0
    assert set(answer) == {"Credentials", "AssumedRoleUser", "PackedPolicySize"}
    assert set(credentials) == {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
    key = credentials["AccessKeyId"]
    assert ids.account_of(key, credentials["SessionToken"]) == OTHER
    assert ids.get_caller_identity(key, OTHER) == {
        "UserId": role_id,
        "Account": OTHER,
        "Arn": f"arn:aws:sts::{OTHER}:assumed-role/auditor/audit-1",
    }


def test_each_assumed_role_gets_credentials_of_its_own():
    ids, _ = identities()
    first, second = assume(ids)["Credentials"], assume(ids)["Credentials"]
    for name in ("AccessKeyId", "SecretAccessKey", "SessionToken"):
        assert first[name] != second[name]
    assert first["SecretAccessKey"] != first["SessionToken"][:40]


@pytest.mark.parametrize("duration", [None, 0])
def test_credentials_hold_an_hour_when_no_duration_is_asked(duration):
    ids, clock = identities()
    request = {} if duration is None else {"DurationSeconds": duration}
    assert assume(ids, **request)["Credentials"]["Expiration"] == clock.now + 3600


def test_credentials_hold_until_their_expiry_and_not_at_it():
    ids, clock = identities()
    credentials = assume(ids, DurationSeconds="900")["Credentials"]
    key, token = credentials["AccessKeyId"], credentials["SessionToken"]
    clock.advance(899.5)
    assert ids.account_of(key, token) == OTHER
    clock.advance(0.5)
    with pytest.raises(EmulatorError) as raised:
        ids.account_of(key, token)
    error = raised.value
    assert (error.code, error.status) == ("ExpiredTokenException", 403)
    assert error.message == (
        "The security token included in the request is expired: assume the role "
        "again (boto3 does this by itself for a role profile)."
    )


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_temporary_credentials_without_their_own_session_token_are_refused(token):
    ids, _ = identities()
    credentials = assume(ids)["Credentials"]
    with pytest.raises(EmulatorError) as raised:
        ids.account_of(credentials["AccessKeyId"], token)
    error = raised.value
    assert (error.code, error.status) == ("InvalidClientTokenId", 403)
    assert error.message == (
        "The security token included in the request is invalid: temporary "
        "credentials are sent with their session token."
    )


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:iam::{OTHER}:role/" + "r" * 64,
        f"arn:aws-cn:iam::{OTHER}:role/a/b/c+=,.@_-",
        f"arn:aws-us-gov:iam::{OTHER}:role/deployer",
    ],
)
def test_any_role_arn_of_an_account_can_be_assumed(arn):
    ids, _ = identities()
    answer = ids.assume_role({"RoleArn": arn, "RoleSessionName": "s"})
    name = arn.rsplit("/", 1)[1]
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{OTHER}:assumed-role/{name}/s"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::12:role/x",
        f"arn:aws:iam::{OTHER}:role/" + "r" * 65,
        f"arn:aws:iam::{OTHER}:user/x",
        f"arn:aws:iam::{OTHER}:role/",
        f" arn:aws:iam::{OTHER}:role/x",
        f"arn:aws:iam::{OTHER}:role/x\n",
        "x" * 200,
        "arn:aws:iam::" + "\u0661" * 12 + ":role/x",  # digits beyond ASCII
        f"arn:aws:iam::{OTHER}:role/caf\u00e9",
    ],
)
def test_a_role_arn_that_is_not_one_is_refused_and_quoted_cut(arn):
    ids, _ = identities()
    with pytest.raises(EmulatorError) as raised:
        ids.assume_role({"RoleArn": arn, "RoleSessionName": "s"})
    error = raised.value
    assert (error.code, error.status) == ("ValidationError", 400)
    assert error.message == (
        f"RoleArn {arn[:80]!r} is not a role ARN; give arn:aws:iam::<12-digit account>:role/<name>."
    )
    assert ids.sessions == {}


@pytest.mark.parametrize(
    "session_name", ["a b", "", "x/y", "ok\n", "%" * 100, "café", "名前", "x\u0663"]
)
def test_a_session_name_with_other_characters_is_refused_and_quoted_cut(session_name):
    ids, _ = identities()
    with pytest.raises(EmulatorError) as raised:
        ids.assume_role({"RoleArn": ROLE, "RoleSessionName": session_name})
    error = raised.value
    assert (error.code, error.status) == ("ValidationError", 400)
    assert error.message == (
        f"RoleSessionName {session_name[:64]!r} may hold only ASCII letters, digits and +=,.@_- ."
    )
    assert ids.sessions == {}


# -- GetCallerIdentity, and the operations not emulated ---------------------------------------


def test_a_long_term_key_is_a_user_of_its_account():
    ids, _ = identities()
    user_id = "AIDA" + hashlib.sha256(b"AKIDOTHER").hexdigest()[:17].upper()
    assert ids.call("GetCallerIdentity", {}, "AKIDOTHER", OTHER) == {
        "UserId": user_id,
        "Account": OTHER,
        "Arn": f"arn:aws:iam::{OTHER}:user/emulator",
    }
    assert len(user_id) == 21


def test_call_answers_assume_role_and_names_what_is_emulated_otherwise():
    ids, _ = identities()
    answer = ids.call("AssumeRole", {"RoleArn": ROLE, "RoleSessionName": "s"}, "k", ACCOUNT)
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/auditor/s")
    with pytest.raises(EmulatorError) as raised:
        ids.call("GetSessionToken", {}, "k", ACCOUNT)
    error = raised.value
    assert (error.code, error.status) == ("InvalidAction", 400)
    assert error.message == (
        "sts GetSessionToken is not emulated. The emulator serves GetCallerIdentity, AssumeRole."
    )
