"""The named security checks: a catalogue of data, each check a stable id, a severity, a
title, a rationale, the Gen 1 fields it reads, the rules of the field's standard tools it
mirrors, and a remediation that ``fleet.apply`` can send as an update.

A check is made of ``Condition``s on the audit's dotted configuration columns
(``UserPoolConfigs.Mfa.MFAMode``): ``applies`` (all must hold, else the check does not apply:
an environment without an identity pool has no unauthenticated identities to refuse) and
``fails`` (all, or any with ``fails_when="any"``). Nothing below says "if MFA is off": adding a
check is adding a ``Check`` to ``CATALOGUE``, and ``docs/checks.md`` is ``catalogue_markdown()``.

``evaluate(row)`` gives each check's verdict on one audit row: True (failed), False (passed) or
None (does not apply, or the environment has no auth). ``with_checks(frame)`` adds a boolean
column per check (``check.<id>``, <NA> where it does not apply) and ``failed_checks`` (the ids
failed, in catalogue order) to an audit frame; ``fleet.audit`` calls it.

A remediation is a partial configuration: ``set`` values, ``fill`` values (set only where the
environment has none, so that its own wording stays), and list edits worked out per
environment from what it has now (``add`` items, ``remove`` items, ``rewrite`` items by a
pattern). ``fix_plan(audit, check_id)`` turns it into what ``fleet.apply`` takes, for every
environment failing the check::

    template, targets = fix_plan(audit, "oauth-implicit-grant")
    fleet.apply(template, targets, mode="update", dry_run=True)  # then without dry_run

The update names the auth resource and carries the members the service requires
(``AuthResources``, ``Service``, ``UserPoolConfigs``); the service merges it into what the
environment has (objects member by member, lists whole, which is why a list is sent whole).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .accounts import LOCATION_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

#: Severities, most severe first (Prowler's and Security Hub's words).
SEVERITIES = ("critical", "high", "medium", "low")
#: The field's standard tools whose rules ``docs/checks.md`` names for each check.
STANDARD_TOOLS = ("Prowler", "Security Hub", "AWS Config")
#: What a ``Condition`` can ask of a field.
OPERATORS = ("in", "not_in", "below", "has", "lacks", "matches")
#: The prefix of an audit frame's check columns: ``check.mfa-off``.
CHECK_PREFIX = "check."
#: The audit frame's column of the ids of the checks an environment fails.
FAILED_COLUMN = "failed_checks"

UPC = "UserPoolConfigs"
#: A redirect URI over plain http to a host other than this machine.
PLAIN_HTTP = r"(?i)^http://(?!(?:localhost|127\.0\.0\.1|\[::1\])(?:[:/?#]|$))"


@dataclass(frozen=True)
class Condition:
    """One question about one configuration field (a dotted path below ``ResourceConfig``).
    ``default`` is the value the service uses when the environment has none (Cognito's
    minimum password length is 8)."""

    field: str
    op: str
    value: Any = None
    default: Any = None

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether the field of ``row`` (an audit row) answers yes."""
        value = plain(row.get(self.field))
        value = self.default if value is None else value
        if self.op == "in":
            return value in self.value
        if self.op == "not_in":
            return value not in self.value
        if self.op == "below":
            number = isinstance(value, int | float) and not isinstance(value, bool)
            return number and value < self.value
        items = value if isinstance(value, list) else []
        if self.op == "has":
            return self.value in items
        if self.op == "lacks":
            return self.value not in items
        if self.op == "matches":
            return any(isinstance(i, str) and re.search(self.value, i) for i in items)
        raise ValueError(f"Condition.op must be one of {', '.join(OPERATORS)}, not {self.op!r}")


@dataclass(frozen=True)
class Remediation:
    """A partial configuration an update sends (paths below ``ResourceConfig``): ``set``
    values, ``fill`` values where the environment has none, and list edits (``add`` items,
    ``remove`` items, ``rewrite`` items matching a pattern with a replacement). ``note`` says
    what it cannot do."""

    set: Mapping[str, Any] = field(default_factory=dict)
    fill: Mapping[str, Any] = field(default_factory=dict)
    add: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    remove: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rewrite: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    note: str = ""

    @property
    def paths(self) -> list[str]:
        """Every configuration field it sends, in order."""
        seen: dict[str, None] = {}
        for part in (self.set, self.fill, self.add, self.remove, self.rewrite):
            seen.update(dict.fromkeys(part))
        return list(seen)

    def values(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The values it sends to the environment of ``row``, by path."""
        out: dict[str, Any] = dict(self.set)
        for path, value in self.fill.items():
            current = plain(row.get(path))
            out[path] = value if current in (None, "") else current
        for path in (*self.add, *self.remove, *self.rewrite):
            current = plain(row.get(path))
            items = list(current) if isinstance(current, list) else []
            items += [i for i in self.add.get(path, ()) if i not in items]
            items = [i for i in items if i not in self.remove.get(path, ())]
            if path in self.rewrite:
                pattern, replacement = self.rewrite[path]
                items = [
                    re.sub(pattern, replacement, i) if isinstance(i, str) else i for i in items
                ]
            out[path] = items
        return out


@dataclass(frozen=True)
class Check:
    """One named security check (see the module)."""

    id: str
    severity: str
    title: str
    rationale: str
    fails: tuple[Condition, ...]
    applies: tuple[Condition, ...] = ()
    fails_when: str = "all"
    remediation: Remediation | None = None
    #: (tool, rule) pairs of the standard checks this one mirrors.
    mirrors: tuple[tuple[str, str], ...] = ()
    #: Without a remediation: why no update can fix it, and what to do instead.
    manual: str = ""

    @property
    def fields(self) -> list[str]:
        """The Gen 1 configuration fields it reads (below ``ResourceConfig``), in order."""
        return list(dict.fromkeys(t.field for t in (*self.applies, *self.fails)))

    @property
    def column(self) -> str:
        return CHECK_PREFIX + self.id

    def verdict(self, row: Mapping[str, Any]) -> bool | None:
        """True: the environment of ``row`` fails it; False: passes; None: does not apply
        (or the environment has no auth)."""
        if plain(row.get("configured", True)) is False:
            return None
        if not all(t.holds(row) for t in self.applies):
            return None
        join = any if self.fails_when == "any" else all
        return join(t.holds(row) for t in self.fails)


def plain(value: Any) -> Any:
    """A frame's cell as a plain value: NA and NaN as None, numpy scalars as Python's, a
    numpy array (a list read back from Parquet) as a list."""
    if isinstance(value, list | dict | str):
        return value
    if getattr(value, "ndim", 0) > 0 and hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def _class_check(constraint: str, word: str, prowler: str) -> Check:
    path = f"{UPC}.PasswordPolicy.AdditionalConstraints"
    return Check(
        id=f"password-{word}",
        severity="medium",
        title=f"The password policy does not require {_CLASS_WORDS[word]}",
        rationale=(
            f"Without {_CLASS_WORDS[word]} required, users may choose passwords from a smaller "
            "alphabet, which guessing and cracking attacks exhaust sooner."
        ),
        fails=(Condition(path, "lacks", constraint),),
        remediation=Remediation(add={path: (constraint,)}),
        mirrors=(
            ("Prowler", prowler),
            ("AWS Config", "cognito-user-pool-password-policy-check"),
        ),
    )


_CLASS_WORDS = {
    "lowercase": "a lowercase letter",
    "uppercase": "an uppercase letter",
    "digit": "a digit",
    "symbol": "a symbol",
}
_MFA = f"{UPC}.Mfa"
_OAUTH = f"{UPC}.OAuth"
_OAUTH_ON = Condition(f"{_OAUTH}.OAuthGrantType", "in", ("CODE", "IMPLICIT"))
_MFA_NOTE = (
    "An update turns MFA on as OPTIONAL at most (Cognito sets required MFA only when the "
    "pool is created): mfa-optional then fails until the pool is recreated."
)

#: The catalogue, in the order the audit's columns and ``docs/checks.md`` list it.
CATALOGUE: tuple[Check, ...] = (
    Check(
        id="mfa-off",
        severity="high",
        title="MFA is off",
        rationale=(
            "With MFA off a stolen or guessed password is the whole account: phishing and "
            "credential stuffing need nothing more."
        ),
        fails=(Condition(f"{_MFA}.MFAMode", "in", ("OFF", None)),),
        remediation=Remediation(
            set={f"{_MFA}.MFAMode": "OPTIONAL"},
            add={f"{_MFA}.Settings.MfaTypes": ("TOTP",)},
            note=_MFA_NOTE,
        ),
        mirrors=(
            ("Prowler", "cognito_user_pool_mfa_enabled"),
            ("AWS Config", "cognito-user-pool-mfa-enabled"),
            ("cdk-nag", "AwsSolutions-COG2"),
        ),
    ),
    Check(
        id="mfa-optional",
        severity="medium",
        title="MFA is optional",
        rationale=(
            "Optional MFA protects only the users who turn it on; every other account is one "
            "password away from being taken over."
        ),
        fails=(Condition(f"{_MFA}.MFAMode", "in", ("OPTIONAL",)),),
        remediation=None,
        mirrors=(
            ("Prowler", "cognito_user_pool_mfa_enabled"),
            ("cdk-nag", "AwsSolutions-COG2"),
        ),
        manual=(
            "Cognito (and Gen 1) set required MFA only when the pool is created: recreate "
            "it, which the recreate way of the move to Gen 2 does with its users kept."
        ),
    ),
    Check(
        id="mfa-sms-only",
        severity="medium",
        title="SMS is the only MFA type",
        rationale=(
            "SMS codes can be intercepted or redirected (SIM swap, SS7); NIST SP 800-63B "
            "calls them a restricted authenticator. Offer TOTP (an authenticator app)."
        ),
        applies=(Condition(f"{_MFA}.MFAMode", "in", ("ON", "OPTIONAL")),),
        fails=(
            Condition(f"{_MFA}.Settings.MfaTypes", "has", "SMS"),
            Condition(f"{_MFA}.Settings.MfaTypes", "lacks", "TOTP"),
        ),
        remediation=Remediation(add={f"{_MFA}.Settings.MfaTypes": ("TOTP",)}),
        mirrors=(("NIST SP 800-63B", "5.1.3.3 (restricted authenticator)"),),
    ),
    Check(
        id="password-min-length-14",
        severity="medium",
        title="The minimum password length is below 14",
        rationale=(
            "Length is what makes a password hard to guess; 14 is the minimum Prowler asks of "
            "a user pool, as the CIS AWS benchmark does of IAM passwords (Cognito's default "
            "is 8)."
        ),
        fails=(Condition(f"{UPC}.PasswordPolicy.MinimumLength", "below", 14, default=8),),
        remediation=Remediation(set={f"{UPC}.PasswordPolicy.MinimumLength": 14}),
        mirrors=(
            ("Prowler", "cognito_user_pool_password_policy_minimum_length_14"),
            ("AWS Config", "cognito-user-pool-password-policy-check"),
            ("cdk-nag", "AwsSolutions-COG1"),
        ),
    ),
    _class_check("REQUIRE_LOWERCASE", "lowercase", "cognito_user_pool_password_policy_lowercase"),
    _class_check("REQUIRE_UPPERCASE", "uppercase", "cognito_user_pool_password_policy_uppercase"),
    _class_check("REQUIRE_DIGIT", "digit", "cognito_user_pool_password_policy_number"),
    _class_check("REQUIRE_SYMBOL", "symbol", "cognito_user_pool_password_policy_symbol"),
    Check(
        id="identity-pool-unauthenticated",
        severity="high",
        title="The identity pool allows unauthenticated identities",
        rationale=(
            "Guest access hands AWS credentials (the unauthenticated role) to anyone who asks, "
            "without signing in."
        ),
        applies=(Condition("AuthResources", "in", ("IDENTITY_POOL_AND_USER_POOL",)),),
        fails=(Condition("IdentityPoolConfigs.UnauthenticatedLogin", "in", (True,)),),
        remediation=Remediation(set={"IdentityPoolConfigs.UnauthenticatedLogin": False}),
        mirrors=(
            ("Security Hub", "Cognito.2"),
            ("AWS Config", "cognito-identity-pool-unauth-access-check"),
            ("Prowler", "cognito_identity_pool_guest_access_disabled"),
            ("cdk-nag", "AwsSolutions-COG7"),
        ),
    ),
    Check(
        id="oauth-implicit-grant",
        severity="high",
        title="The hosted UI uses the implicit OAuth grant",
        rationale=(
            "The implicit grant returns tokens in the redirect URL, where browser history, "
            "logs and referrers leak them; the OAuth security best practice (RFC 9700) says "
            "not to use it. Use the code grant with PKCE."
        ),
        applies=(_OAUTH_ON,),
        fails=(Condition(f"{_OAUTH}.OAuthGrantType", "in", ("IMPLICIT",)),),
        remediation=Remediation(set={f"{_OAUTH}.OAuthGrantType": "CODE"}),
        mirrors=(("OAuth 2.0 Security BCP", "RFC 9700 section 2.1.2"),),
    ),
    Check(
        id="oauth-http-redirect",
        severity="high",
        title="A redirect URI uses plain http for a host other than localhost",
        rationale=(
            "Codes and tokens sent to a plain http redirect cross the network readable and "
            "changeable by anyone on the way; only this machine (localhost) is exempt."
        ),
        applies=(_OAUTH_ON,),
        fails=(
            Condition(f"{_OAUTH}.RedirectSignInURIs", "matches", PLAIN_HTTP),
            Condition(f"{_OAUTH}.RedirectSignOutURIs", "matches", PLAIN_HTTP),
        ),
        fails_when="any",
        remediation=Remediation(
            rewrite={
                f"{_OAUTH}.RedirectSignInURIs": (PLAIN_HTTP, "https://"),
                f"{_OAUTH}.RedirectSignOutURIs": (PLAIN_HTTP, "https://"),
            },
            note="Each such URI is rewritten to https: the site must serve it.",
        ),
        mirrors=(("OAuth 2.0", "RFC 6749 section 3.1.2.1; RFC 9700 section 4.1"),),
    ),
    Check(
        id="oauth-admin-scope",
        severity="low",
        title="The app client grants the aws.cognito.signin.user.admin scope",
        rationale=(
            "This scope lets an access token call the user pool's self-service API (change "
            "attributes, including the email that resets the password); few apps need it."
        ),
        applies=(_OAUTH_ON,),
        fails=(Condition(f"{_OAUTH}.OAuthScopes", "has", "AWS_COGNITO_SIGNIN_USER_ADMIN"),),
        remediation=Remediation(
            remove={f"{_OAUTH}.OAuthScopes": ("AWS_COGNITO_SIGNIN_USER_ADMIN",)}
        ),
        mirrors=(("Least privilege", "Cognito OAuth scopes"),),
    ),
    Check(
        id="email-not-verified",
        severity="medium",
        title="Email signs users in but is not verified",
        rationale=(
            "An unverified sign-in email lets someone register, or recover, an account with "
            "an address that is not theirs."
        ),
        applies=(Condition(f"{UPC}.SignInMethod", "in", ("EMAIL", "EMAIL_AND_PHONE_NUMBER")),),
        fails=(Condition(f"{UPC}.VerificationMessage.DeliveryMethod", "not_in", ("EMAIL",)),),
        remediation=Remediation(
            set={f"{UPC}.VerificationMessage.DeliveryMethod": "EMAIL"},
            fill={
                f"{UPC}.VerificationMessage.EmailSettings.EmailSubject": "Your verification code",
                f"{UPC}.VerificationMessage.EmailSettings.EmailMessage": (
                    "Your verification code is {####}"
                ),
            },
        ),
        mirrors=(("Cognito", "attribute verification (auto-verified email)"),),
    ),
)

#: The checks by id.
CHECKS: dict[str, Check] = {c.id: c for c in CATALOGUE}


def check(check_id: str) -> Check:
    """The check named ``check_id``; an unknown id is refused with the known ones."""
    try:
        return CHECKS[check_id]
    except KeyError:
        raise ValueError(
            f"no check named {check_id!r}; the checks are {', '.join(CHECKS)}"
        ) from None


def check_columns() -> list[str]:
    """The audit frame's check columns, in catalogue order."""
    return [c.column for c in CATALOGUE]


def evaluate(row: Mapping[str, Any]) -> dict[str, bool | None]:
    """Each check's verdict on one audit row, by id (see ``Check.verdict``)."""
    return {c.id: c.verdict(row) for c in CATALOGUE}


def with_checks(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (an audit) with a boolean column per check and ``failed_checks``; the
    columns are worked out again if it has them (a frame read back from a file)."""
    import pandas as pd  # deferred: slow to import

    fields = sorted({f for c in CATALOGUE for f in c.fields} | {"configured"})
    present = [f for f in fields if f in frame.columns]
    rows = frame[present].to_dict("records") if len(frame) else []
    verdicts = [evaluate(r) for r in rows]
    out = frame.drop(columns=[c for c in (*check_columns(), FAILED_COLUMN) if c in frame])
    columns = {c.column: pd.array([v[c.id] for v in verdicts], dtype="boolean") for c in CATALOGUE}
    columns[FAILED_COLUMN] = [[i for i, failed in v.items() if failed] for v in verdicts]
    return pd.concat([out, pd.DataFrame(columns, index=frame.index)], axis=1)


def failed_counts(audit: pd.DataFrame, by: str = "environment") -> pd.DataFrame:
    """Per value of ``by`` (the environment name), how many audited targets fail each check:
    a column per check id, in catalogue order, whole numbers."""
    frame = audit if FAILED_COLUMN in audit.columns else with_checks(audit)
    flags = frame[check_columns()].fillna(False).astype(int)
    flags.columns = list(CHECKS)
    return flags.groupby(frame[by].astype(str)).sum().astype(int).sort_index()


def fix_plan(audit: pd.DataFrame, check_id: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """What ``fleet.apply(template, targets, mode="update")`` needs to fix ``check_id`` on
    every environment of ``audit`` that fails it: the template (the remediation's ``set``
    values) and the targets (app, environment, auth resource, ``AuthResources`` and the
    values worked out per environment; and when the audit spans several accounts or regions,
    each target's ``account_id`` and ``region``, by which ``fleet.apply`` sends it through
    its own connection). A check without a remediation is refused."""
    import pandas as pd  # deferred: slow to import

    chosen = check(check_id)
    fix = chosen.remediation
    if fix is None:
        raise ValueError(
            f"check {check_id!r} has no remediation an update can send ({chosen.title}); "
            f"see docs/checks.md"
        )
    frame = audit if chosen.column in audit.columns else with_checks(audit)
    failing = frame[frame[chosen.column].fillna(False).astype(bool)]
    template = {"ResourceConfig": nested({"Service": "COGNITO", UPC: {}, **fix.set})}
    per_target = [p for p in fix.paths if p not in fix.set]
    located = [c for c in LOCATION_COLUMNS if c in frame.columns]
    several = located and len(frame[located].dropna().drop_duplicates()) > 1
    columns = ["app_id", "environment", *(located if several else []), "resource_name"]
    columns.append("AuthResources")
    rows = []
    for row in failing.to_dict("records"):
        values = fix.values(row)
        rows.append({c: plain(row.get(c)) for c in columns} | {p: values[p] for p in per_target})
    return template, pd.DataFrame(rows, columns=[*columns, *per_target])


def nested(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted paths and values as nested objects (``{"a.b": 1}`` is ``{"a": {"b": 1}}``)."""
    out: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        node = out
        for step in parents:
            node = node.setdefault(step, {})
        node[leaf] = value
    return out


def catalogue_markdown() -> str:
    """The catalogue as ``docs/checks.md``: a table of every check, then each in full."""
    lines = [
        "# Security checks",
        "",
        "`fleet.audit` runs these checks on every environment's Gen 1 auth configuration "
        "(`amplify_auth_widgets.fleet.checks.CATALOGUE`; this page is "
        "`catalogue_markdown()`, and a test keeps the two the same). The audit frame has a "
        "column per check, `check.<id>` (True: failed, False: passed, empty: does not apply), "
        "and `failed_checks`, the ids failed. A remediation is a partial configuration "
        "`fleet.apply` sends as an update: `template, targets = fix_plan(audit, id)`, then "
        '`fleet.apply(template, targets, mode="update", dry_run=True)` and, once the diff is '
        "right, without `dry_run`.",
        "",
        "| id | severity | title | mirrors |",
        "|---|---|---|---|",
    ]
    for c in CATALOGUE:
        mirrors = "; ".join(f"{tool} `{rule}`" for tool, rule in c.mirrors)
        if not {tool for tool, _ in c.mirrors} & set(STANDARD_TOOLS):
            mirrors = f"no {', '.join(STANDARD_TOOLS[:-1])} or {STANDARD_TOOLS[-1]} rule; {mirrors}"
        lines.append(f"| [`{c.id}`](#{c.id}) | {c.severity} | {c.title} | {mirrors} |")
    for c in CATALOGUE:
        lines += ["", f"## {c.id}", "", f"**{c.title}** ({c.severity}).", "", c.rationale, ""]
        lines.append("Reads: " + ", ".join(f"`{f}`" for f in c.fields) + ".")
        lines += ["", "Remediation: " + _remediation_words(c)]
    return "\n".join(lines) + "\n"


def _remediation_words(c: Check) -> str:
    fix = c.remediation
    if fix is None:
        return f"none an update can send. {c.manual}"
    parts = [f"`{p}` = `{json.dumps(v)}`" for p, v in fix.set.items()]
    parts += [f"`{p}` = `{json.dumps(v)}` where none is set" for p, v in fix.fill.items()]
    parts += [f"add `{', '.join(v)}` to `{p}`" for p, v in fix.add.items()]
    parts += [f"remove `{', '.join(v)}` from `{p}`" for p, v in fix.remove.items()]
    parts += [f"items of `{p}` over plain http (not localhost) as https" for p in fix.rewrite]
    return "; ".join(parts) + "." + (f" {fix.note}" if fix.note else "")
