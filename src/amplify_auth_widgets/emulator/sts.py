"""Who is calling: the accounts the emulator's credentials belong to, and the STS calls boto3
makes to learn it or to take a role (``GetCallerIdentity``, ``AssumeRole``), so that AWS
profiles that assume a role (``role_arn`` with ``source_profile``) work offline.

An access key belongs to the account ``accounts`` maps it to, or to the default account
(``store.ACCOUNT``): the emulator accepts any key unless it runs with ``strict_auth``. A role
taken with ``AssumeRole`` is any role ARN of any account (the emulator has no IAM to check a
trust policy against); it issues temporary credentials (an ``ASIA`` key, a secret and a session
token) that belong to the role's account until they expire. Requests signed with them must
carry their session token, and are refused once expired, as AWS refuses them.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .protocol import EmulatorError
from .store import ACCOUNT

_ROLE_ARN = re.compile(
    r"^arn:aws[a-z-]*:iam::(?P<account>\d{12}):role/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{1,64})$",
    re.ASCII,
)
_ACCOUNT = re.compile(r"^\d{12}$", re.ASCII)
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def check_accounts(accounts: Mapping[str, str]) -> dict[str, str]:
    """``accounts`` (access key id -> account id) checked: each account twelve digits."""
    checked = {}
    for key, account in dict(accounts).items():
        if not key or not _ACCOUNT.fullmatch(str(account)):
            raise ValueError(
                f"accounts: {key!r} maps to {account!r}; give an access key id and a "
                "12-digit account id (KEY=123456789012)."
            )
        checked[str(key)] = str(account)
    return checked


@dataclass(frozen=True)
class Session:
    """Temporary credentials issued by ``AssumeRole``."""

    secret: str = field(repr=False)
    token: str = field(repr=False)
    account: str
    arn: str
    role_id: str
    expires: float


class Identities:
    """The accounts of access keys, and the STS operations (snake_case, as the services')."""

    def __init__(
        self,
        accounts: Mapping[str, str],
        strict: tuple[str, str] | None,
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self.accounts = check_accounts(accounts)
        self.strict = strict
        self.clock = clock
        self.rng = rng
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()

    def _draw(self, alphabet: str, length: int) -> str:
        with self.lock:
            return "".join(self.rng.choice(alphabet) for _ in range(length))

    def secret_of(self, key: str) -> str | None:
        """The secret a signature by ``key`` must be made with (strict mode); None: unknown."""
        session = self.sessions.get(key)
        if session is not None:
            return session.secret
        if self.strict is not None and key == self.strict[0]:
            return self.strict[1]
        return None

    def account_of(self, key: str, token: str | None) -> str:
        """The account ``key`` belongs to; temporary credentials only with their session token
        and before they expire (403 otherwise)."""
        session = self.sessions.get(key)
        if session is None:
            return self.accounts.get(key, ACCOUNT)
        if token != session.token:
            raise EmulatorError(
                "InvalidClientTokenId",
                "The security token included in the request is invalid: temporary "
                "credentials are sent with their session token.",
                403,
            )
        if self.clock() >= session.expires:
            raise EmulatorError(
                "ExpiredTokenException",
                "The security token included in the request is expired: assume the role "
                "again (boto3 does this by itself for a role profile).",
                403,
            )
        return session.account

    def key_for(self, account: str) -> str:
        """An access key id of ``account``: a mapped one, or a new one mapped now."""
        for key, mapped in self.accounts.items():
            if mapped == account:
                return key
        if not _ACCOUNT.fullmatch(account):
            raise ValueError(f"an account id is 12 digits, not {account!r}")
        key = "emulator" if account == ACCOUNT else f"emulator-{account}"
        self.accounts[key] = account
        return key

    # -- STS ------------------------------------------------------------------------------

    def get_caller_identity(self, key: str, account: str) -> dict[str, Any]:
        session = self.sessions.get(key)
        if session is not None:
            return {"UserId": session.role_id, "Account": account, "Arn": session.arn}
        user_id = "AIDA" + hashlib.sha256(key.encode()).hexdigest()[:17].upper()
        arn = f"arn:aws:iam::{account}:user/emulator"
        return {"UserId": user_id, "Account": account, "Arn": arn}

    def assume_role(self, request: dict[str, Any]) -> dict[str, Any]:
        found = _ROLE_ARN.fullmatch(request["RoleArn"])
        if found is None:
            raise EmulatorError(
                "ValidationError",
                f"RoleArn {request['RoleArn'][:80]!r} is not a role ARN; give "
                "arn:aws:iam::<12-digit account>:role/<name>.",
            )
        name, session_name = found["name"], request["RoleSessionName"]
        # AWS's pattern [\w+=,.@-]* is ASCII: Python's \w alone takes any letter or digit
        if not re.fullmatch(r"[\w+=,.@-]+", session_name, re.ASCII):
            raise EmulatorError(
                "ValidationError",
                f"RoleSessionName {session_name[:64]!r} may hold only ASCII letters, digits and "
                "+=,.@_- .",
            )
        role_id = "AROA" + hashlib.sha256(request["RoleArn"].encode()).hexdigest()[:17].upper()
        expires = self.clock() + int(request.get("DurationSeconds") or 3600)
        key = "ASIA" + self._draw(_UPPER, 16)
        session = Session(
            secret=self._draw(_SECRET, 40),
            token=self._draw(_SECRET, 200),
            account=found["account"],
            arn=f"arn:aws:sts::{found['account']}:assumed-role/{name}/{session_name}",
            role_id=f"{role_id}:{session_name}",
            expires=expires,
        )
        with self.lock:
            self.sessions[key] = session
        return {
            "Credentials": {
                "AccessKeyId": key,
                "SecretAccessKey": session.secret,
                "SessionToken": session.token,
                "Expiration": expires,
            },
            "AssumedRoleUser": {"AssumedRoleId": session.role_id, "Arn": session.arn},
            "PackedPolicySize": 0,
        }

    def call(
        self, operation: str, request: dict[str, Any], key: str, account: str
    ) -> dict[str, Any]:
        """Answer one STS operation; those not emulated are a 400 that names what is."""
        if operation == "GetCallerIdentity":
            return self.get_caller_identity(key, account)
        if operation == "AssumeRole":
            return self.assume_role(request)
        raise EmulatorError(
            "InvalidAction",
            f"sts {operation} is not emulated. The emulator serves GetCallerIdentity, AssumeRole.",
        )
