"""cdk-nag's AwsSolutions Cognito findings, predicted in Python from a Gen 1 configuration.

A fleet's migration plan shows, per environment, what a security scan of its Gen 2 auth would
report, without Node: ``predict(config, way)`` says which AwsSolutions Cognito rules of cdk-nag
(3.0.2, the version pinned with the Gen 2 toolchain) fail on the template the export
synthesizes for that configuration. ``tests/gen2/test_gen2_nag.py`` proves the prediction equal
to the real scan, template by template.

The rules are one table, ``RULES``, each condition the one cdk-nag checks
(``cdk-nag/lib/rules/cognito/*.js``), read from a ``PoolSettings``: what those rules look at
in a user pool and its identity pool. Two readings give one:

- a new pool (no way, or ``recreate``): Gen 2's defaults, changed by what the export's own
  mapping (``Mapper``) writes for the configuration: the code the template comes from;
- the existing pool (``keep``: ``referenceAuth`` puts no pool in the Gen 2 template, so the scan
  of the template finds nothing Cognito): Amplify Gen 1's defaults, changed by the
  configuration. These findings are flagged ``existing_pool``: a prediction about the Gen 1
  pool, which the Gen 1 environment still manages and Gen 2 cannot change.

cdk-nag 3 has no COG3 (advanced security mode): COG8 (the Plus feature plan) took its place,
and fails on every pool either generation creates, as neither sets a feature plan. COG4 (API
Gateway methods with a Cognito authorizer) never applies to an auth template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..core.model import UPC
from ..core.secrets import quote
from ..core.validation import model_findings
from .exporter import request_of
from .mapping import Mapper
from .ways import KEEP, WAYS

ERROR, WARNING = "error", "warning"
USER_POOL, IDENTITY_POOL = "AWS::Cognito::UserPool", "AWS::Cognito::IdentityPool"
#: CloudFormation's MfaConfiguration for Gen 2's ``multifactor.mode``.
CFN_MFA = {"REQUIRED": "ON", "OPTIONAL": "OPTIONAL", "OFF": "OFF"}
#: The character classes cdk-nag requires (lowercase is not among them), by Gen 1 constraint.
REQUIRED_CLASSES = {
    "REQUIRE_UPPERCASE": "require_uppercase",
    "REQUIRE_DIGIT": "require_numbers",
    "REQUIRE_SYMBOL": "require_symbols",
}
MIN_LENGTH = 8


@dataclass(frozen=True)
class PoolSettings:
    """What cdk-nag's Cognito rules read of a user pool and its identity pool; ``defaulted``
    names the settings (``password``, ``mfa``, ``guests``) the configuration leaves to a
    default."""

    min_length: int | None
    require_uppercase: bool
    require_numbers: bool
    require_symbols: bool
    mfa: str  # CloudFormation's MfaConfiguration: OFF, ON or OPTIONAL
    guests: bool | None  # AllowUnauthenticatedIdentities; None: there is no identity pool
    plus_tier: bool = False
    defaulted: frozenset[str] = frozenset()


#: A pool from ``defineAuth`` with nothing set (@aws-amplify/backend 1.25: the template says so).
GEN2_DEFAULTS = PoolSettings(8, True, True, True, "OFF", True, defaulted=frozenset())
#: A pool from Amplify Gen 1 with nothing set (the Amplify CLI's defaults: 8 characters, no
#: character class, MFA off, no guests).
GEN1_DEFAULTS = PoolSettings(8, False, False, False, "OFF", False, defaulted=frozenset())


@dataclass(frozen=True)
class NagFinding:
    """One AwsSolutions rule a scan reports: its id, ``error`` or ``warning``, cdk-nag's
    title, the resource type it is reported on, the Gen 1 setting that causes it (``path``,
    empty when none does), why it fails for this configuration, and the fix in words.
    ``existing_pool``: predicted of the Gen 1 pool a ``keep`` move references, not of the
    Gen 2 template."""

    rule: str
    level: str
    title: str
    resource: str
    path: str
    reason: str
    fix: str
    existing_pool: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def summary(self) -> str:
        """One line for a table cell: ``AwsSolutions-COG2 (warning): MFA is OPTIONAL, ...``."""
        pool = "the existing pool: " if self.existing_pool else ""
        return f"{self.rule} ({self.level}): {pool}{self.reason}"


@dataclass(frozen=True)
class NagRule:
    """A row of the table: cdk-nag's rule, the setting it reads and the Gen 1 path that sets
    it, ``fails`` (the reason it fails for these settings, or None), and the fix for a new pool
    and for an existing one."""

    rule: str
    level: str
    title: str
    resource: str
    setting: str
    path: str
    fails: Callable[[PoolSettings], str | None]
    fix: str
    fix_existing: str

    def check(self, settings: PoolSettings, existing: bool) -> NagFinding | None:
        reason = self.fails(settings)
        if reason is None:
            return None
        if self.setting in settings.defaulted:
            reason += (
                " (not set in the Gen 1 configuration: "
                f"{'Amplify Gen 1' if existing else 'Gen 2'}'s default)"
            )
        fix = self.fix_existing if existing else self.fix
        return NagFinding(
            self.rule, self.level, self.title, self.resource, self.path, reason, fix, existing
        )


# -- the conditions, as cdk-nag checks them ---------------------------------------------------


def _weak_password(s: PoolSettings) -> str | None:
    missing = [c for c, attr in REQUIRED_CLASSES.items() if not getattr(s, attr)]
    short = s.min_length is None or s.min_length < MIN_LENGTH
    if not short and not missing:
        return None
    parts = []
    if s.min_length is None:
        parts.append("no minimum length is set")
    elif short:
        parts.append(f"the minimum length is {s.min_length}, under {MIN_LENGTH}")
    if missing:
        parts.append(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not required")
    return "; ".join(parts)


def _mfa_not_required(s: PoolSettings) -> str | None:
    return None if s.mfa == "ON" else f"MFA is {s.mfa}, not ON (required)"


def _guests_allowed(s: PoolSettings) -> str | None:
    return "the identity pool allows guests (unauthenticated identities)" if s.guests else None


def _not_plus(s: PoolSettings) -> str | None:
    return None if s.plus_tier else "no feature plan is set, so the pool is not on Plus"


_OUTSIDE = "Gen 2 cannot change a referenced pool; the Gen 1 environment still manages it: "

RULES: tuple[NagRule, ...] = (
    NagRule(
        "AwsSolutions-COG1",
        ERROR,
        "The Cognito user pool does not have a password policy that minimally specify a "
        "password length of at least 8 characters, as well as requiring uppercase, numeric, "
        "and special characters.",
        USER_POOL,
        "password",
        f"{UPC}.PasswordPolicy",
        _weak_password,
        "Set PasswordPolicy.MinimumLength to 8 or more and AdditionalConstraints to hold "
        "REQUIRE_UPPERCASE, REQUIRE_DIGIT and REQUIRE_SYMBOL (the export writes them to "
        "cfnUserPool.policies), or leave PasswordPolicy out: Gen 2's default passes.",
        _OUTSIDE + "raise its PasswordPolicy with UpdateBackendAuth (MinimumLength 8 or more, "
        "REQUIRE_UPPERCASE, REQUIRE_DIGIT, REQUIRE_SYMBOL) before or after the move.",
    ),
    NagRule(
        "AwsSolutions-COG2",
        WARNING,
        "The Cognito user pool does not require MFA.",
        USER_POOL,
        "mfa",
        f"{UPC}.Mfa.MFAMode",
        _mfa_not_required,
        "Set Mfa.MFAMode to ON with MfaTypes TOTP or SMS (Gen 2's multifactor mode REQUIRED); "
        "OPTIONAL is still reported. A warning: weigh it against how the users sign in.",
        _OUTSIDE + "set Mfa.MFAMode to ON with UpdateBackendAuth, or accept the warning.",
    ),
    NagRule(
        "AwsSolutions-COG7",
        ERROR,
        "The Cognito identity pool allows for unauthenticated logins and does not have a "
        "cdk-nag rule suppression with a reason.",
        IDENTITY_POOL,
        "guests",
        "ResourceConfig.IdentityPoolConfigs.UnauthenticatedLogin",
        _guests_allowed,
        "Set IdentityPoolConfigs.UnauthenticatedLogin to false (Gen 2 allows guests when it is "
        "not set); if the app needs guests, acknowledge the rule with the reason: "
        'Validations.of(cfnIdentityPool).acknowledge({ id: "AwsSolutions-COG7", reason }).',
        _OUTSIDE + "set IdentityPoolConfigs.UnauthenticatedLogin to false with "
        "UpdateBackendAuth, or record why the app needs guests.",
    ),
    NagRule(
        "AwsSolutions-COG8",
        ERROR,
        "The Cognito user pool is not on the plus tier / feature plan.",
        USER_POOL,
        "tier",
        "",
        _not_plus,
        "Neither Gen 1 nor the export sets a feature plan. Set cfnUserPool.userPoolTier to "
        '"PLUS" in amplify/backend.ts (Plus is billed per monthly active user), or '
        "acknowledge the rule with the reason.",
        "Neither Gen 1 nor Gen 2 sets a feature plan, and Gen 2 cannot change a referenced "
        "pool: move it to Plus in the Cognito console (billed per monthly active user), or "
        "record why not.",
    ),
)


# -- reading the configuration ---------------------------------------------------------------


def _request(config: Any) -> dict[str, Any]:
    """The request holding ``config`` (a request, a GetBackendAuth response or a bare
    ResourceConfig, as ``export`` takes them), its types checked against the model."""
    request = request_of(config, "CreateBackendAuth", "predict()")
    wrong = [f for f in model_findings(request) if f.code in ("model.type", "input.unicode")]
    if wrong:
        raise ValueError(
            "predict() needs each member in the type the service model gives it: "
            + "; ".join(f"{f.path}: {f.message}" for f in wrong)
        )
    return request


def _new_pool(request: dict[str, Any]) -> PoolSettings:
    """The pool and identity pool the export's code makes: Gen 2's defaults, changed by what
    the mapping writes (its defineAuth props and its overrides)."""
    mapper = Mapper(request)
    mapper.build()
    written = {(obj, prop): value for obj, prop, value in mapper.overrides}
    settings, defaulted = GEN2_DEFAULTS, {"password", "mfa", "guests"}
    policy = (written.get(("cfnUserPool", "policies")) or {}).get("passwordPolicy")
    if policy is not None:
        length = policy.get("minimumLength")
        settings = replace(
            settings,
            min_length=None if length is None else int(length),
            require_uppercase=policy.get("requireUppercase") is True,
            require_numbers=policy.get("requireNumbers") is True,
            require_symbols=policy.get("requireSymbols") is True,
        )
        defaulted.discard("password")
    multifactor = mapper.props.get("multifactor")
    mode = written.get(("cfnUserPool", "mfaConfiguration"))
    if mode is None and multifactor is not None:
        mode = CFN_MFA[multifactor["mode"]]
    if mode is not None:
        settings = replace(settings, mfa=mode)
        defaulted.discard("mfa")
    guests = written.get(("cfnIdentityPool", "allowUnauthenticatedIdentities"))
    if guests is not None:
        settings = replace(settings, guests=bool(guests))
        defaulted.discard("guests")
    return replace(settings, defaulted=frozenset(defaulted))


def _existing_pool(request: dict[str, Any]) -> PoolSettings:
    """The Gen 1 pool and identity pool the configuration describes: Amplify Gen 1's defaults
    where it is silent; no identity pool with USER_POOL_ONLY."""
    config = request.get("ResourceConfig") or {}
    pool = config.get("UserPoolConfigs") or {}
    policy = pool.get("PasswordPolicy") or {}
    constraints = set(policy.get("AdditionalConstraints") or [])
    length = policy.get("MinimumLength")
    mode = (pool.get("Mfa") or {}).get("MFAMode")
    identity = config.get("IdentityPoolConfigs") or {}
    guests = identity.get("UnauthenticatedLogin")
    no_identity_pool = config.get("AuthResources") == "USER_POOL_ONLY"
    defaulted = {
        name
        for name, unset in (
            ("password", not policy),
            ("mfa", mode is None),
            ("guests", guests is None and not no_identity_pool),
        )
        if unset
    }
    return PoolSettings(
        min_length=GEN1_DEFAULTS.min_length if length is None else int(length),
        require_uppercase="REQUIRE_UPPERCASE" in constraints,
        require_numbers="REQUIRE_DIGIT" in constraints,
        require_symbols="REQUIRE_SYMBOL" in constraints,
        mfa=mode or GEN1_DEFAULTS.mfa,
        guests=None
        if no_identity_pool
        else (GEN1_DEFAULTS.guests if guests is None else bool(guests)),
        defaulted=frozenset(defaulted),
    )


def predict(config: dict[str, Any], way: str | None = None) -> list[NagFinding]:
    """The AwsSolutions Cognito findings cdk-nag reports on the Gen 2 template the export
    synthesizes for ``config`` (a request, GetBackendAuth response or ResourceConfig), in
    ``RULES``' order. With ``way="keep"`` the template holds no pool: the findings describe the
    existing Gen 1 pool, from its configuration, each flagged ``existing_pool``."""
    if way is not None and way not in WAYS:
        raise ValueError(
            f"way must be {' or '.join(WAYS)} (or None for a new pool alone), not {quote(way)}."
        )
    request = _request(config)
    existing = way == KEEP
    settings = _existing_pool(request) if existing else _new_pool(request)
    return [f for rule in RULES if (f := rule.check(settings, existing)) is not None]
