"""A plan for moving the fleet's auth to Amplify Gen 2 with its users: ``migration_plan(audit)``.

One row per audited environment: the way recommended (``gen2.ways``: ``keep`` references the
deployed pool with ``referenceAuth``; ``recreate`` makes a new pool from ``defineAuth`` with a
user-migration trigger), a verdict, its reasons in words, the secrets to set and the cdk-nag
findings (``gen2.nag.predict`` for the way: listed, not weighed in the verdict, as some fail
on every pool either generation makes). The verdicts, from best to worst (an ordered
category, so ``plan[plan.verdict >= NEEDS_DECISION]`` works):

- *ready*: keep, with nothing to weigh: nothing moves, nothing is carried by hand.
- *ready with overrides*: recreate, because keep cannot be taken (``USER_POOL_ONLY`` has no
  identity pool, or the deployed auth lacks one or its roles). It works, with steps and code
  the team carries: the mapping's overrides in ``amplify/backend.ts``, members not mapped,
  secrets to set, and the move itself (the old client must allow
  ``ALLOW_ADMIN_USER_PASSWORD_AUTH``; users move at their first ``USER_PASSWORD_AUTH``
  sign-in; TOTP secrets do not move; social identities relink).
- *needs a decision*: both ways are possible and each loses something: keep freezes a weak
  setting the audit found (MFA off, a password under 12, the implicit grant; Gen 2 cannot
  change a kept pool), recreate moves every user and loses what does not move. The way shown
  is keep (least risk); the alternative is to fix the setting first (``fleet.apply``), then
  keep, which makes it *ready*.
- *blocked*: no plan can be made yet: the audit could not read the environment, it has no
  auth, its configuration has validation errors, its auth is not deployed (no user pool id),
  or neither way can be exported (the message of ``gen2.WayRefused``).

The recommendation, in one line: keep when possible (nothing moves, least risk), recreate when
keep is impossible, and a decision when keeping would freeze a weakness. The reasons reuse the
Gen 2 mapping's own notes (``gen2.export(..., way=...).frame()``): they are not derived again
here. Secrets never appear: the audit holds them redacted and the export never reads one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..core.deployed import DeployedAuth
from ..gen2.exporter import Gen2Export, export
from ..gen2.mapping import BACKEND_TS, MAPPED, NOT_MAPPED, UNSUPPORTED
from ..gen2.nag import predict
from ..gen2.ways import KEEP, RECREATE, WAYS, WayRefused
from ..jobs.report import new_figure, plain_text
from .inventory import DEPLOYED_COLUMNS, config_column, config_fields
from .report import weaknesses

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: The verdicts, from best to worst (the order of the ordered category ``verdict``).
READY = "ready"
READY_WITH_OVERRIDES = "ready with overrides"
NEEDS_DECISION = "needs a decision"
BLOCKED = "blocked"
VERDICTS = (READY, READY_WITH_OVERRIDES, NEEDS_DECISION, BLOCKED)
#: Each verdict's colour in the chart (and the panel): green, blue, amber, red.
VERDICT_COLORS = {
    READY: "#2e7d32",
    READY_WITH_OVERRIDES: "#1565c0",
    NEEDS_DECISION: "#8a5a00",
    BLOCKED: "#c62828",
}
#: The chart's title (a page shows it as the figure's caption too).
CHART_TITLE = "Migration to Gen 2: environments by verdict"
#: The plan's columns, in order.
PLAN_COLUMNS = (
    "app_id",
    "app_name",
    "environment",
    "resource_name",
    "way",
    "verdict",
    "reasons",
    "secrets",
    "nag",
    "user_pool_id",
    "identity_pool_id",
)
#: The audit columns a plan reads besides the configuration's.
NEEDED = (
    "app_id",
    "app_name",
    "environment",
    "resource_name",
    "configured",
    *DEPLOYED_COLUMNS,
    "errors",
    "finding_codes",
    "error",
)
#: The plan's text columns.
_TEXT_COLUMNS = PLAN_COLUMNS[:4] + PLAN_COLUMNS[-2:]
#: A social provider's name in words, and each member's, for "the secrets to set" reasons.
PROVIDER_WORDS = {
    "Facebook": "Facebook",
    "Google": "Google",
    "LoginWithAmazon": "Login with Amazon",
    "SignInWithApple": "Apple",
}
MEMBER_WORDS = {
    "ClientId": "client id",
    "ClientSecret": "client secret",
    "KeyId": "key id",
    "PrivateKey": "private key",
    "TeamId": "team id",
}
UPC = "UserPoolConfigs"


# -- the audit's rows as a request and a DeployedAuth -------------------------------------------


def _plain(value: Any) -> Any:
    """A frame's cell as plain Python: None for a missing one, lists kept, numpy scalars
    unboxed."""
    if isinstance(value, list):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value.item() if hasattr(value, "item") else value


def audit_request(row: Mapping[str, Any]) -> dict[str, Any]:
    """The CreateBackendAuth request of an audit row (a ``to_dict("records")`` item or a
    row Series): its configuration from the dotted columns (secrets as the audit redacted
    them), its app, environment and resource names."""
    config: dict[str, Any] = {}
    for spec in config_fields():
        value = _plain(row.get(config_column(spec)))
        if value is None:
            continue
        *parents, leaf = config_column(spec).split(".")
        here = config
        for step in parents:
            here = here.setdefault(step, {})
        here[leaf] = value
    request: dict[str, Any] = {"ResourceConfig": config}
    for member, column in (
        ("AppId", "app_id"),
        ("BackendEnvironmentName", "environment"),
        ("ResourceName", "resource_name"),
    ):
        if _plain(row.get(column)) is not None:
            request[member] = str(row[column])
    return request


def audit_deployed(row: Mapping[str, Any]) -> DeployedAuth | None:
    """What an audit row says its auth deployed, or None without a user pool id."""
    values = {name: _plain(row.get(name)) for name in DEPLOYED_COLUMNS}
    if not values.get("user_pool_id"):
        return None
    values = {k: (None if v is None else str(v)) for k, v in values.items()}
    return DeployedAuth(
        resource_name=str(_plain(row.get("resource_name")) or ""),
        region=values.pop("region") or "",
        user_pool_id=values.pop("user_pool_id") or "",
        user_pool_arn=values.pop("user_pool_arn") or "",
        **values,
    )


# -- one environment --------------------------------------------------------------------------


def _blocked(row: Mapping[str, Any]) -> str | None:
    """Why no plan can be made for the row yet, in words (None: one can)."""
    error = _plain(row.get("error"))
    if error is not None:
        return f"the audit could not read this environment: {error}"
    if not _plain(row.get("configured")):
        return "no auth: the environment has no auth resource, so there are no users to move"
    errors = _plain(row.get("errors")) or 0
    if errors:
        codes = ", ".join(row.get("finding_codes") or []) or "see the audit"
        return (
            f"the configuration has {errors} validation error(s) ({codes}): fix it (fleet "
            "apply) and audit again"
        )
    if not _plain(row.get("user_pool_id")):
        return (
            "auth not deployed yet: amplify-meta.json names no user pool id for it; push the "
            "environment (amplify push) and audit again"
        )
    return None


def _weak_words(row: Mapping[str, Any], flags: Mapping[str, bool]) -> list[str]:
    """The weaknesses (``fleet.report.weaknesses``) of the row, in words."""
    words = []
    if flags.get("mfa_off"):
        words.append("MFA off")
    if flags.get("short_password"):
        length = _plain(row.get(f"{UPC}.PasswordPolicy.MinimumLength"))
        words.append(f"a minimum password length of {length:g} (under 12)")
    if flags.get("implicit_grant"):
        words.append("the implicit OAuth grant")
    return words


def _recreate_losses(request: dict[str, Any], deployed: DeployedAuth) -> list[str]:
    """What moving the users to a new pool costs, for this configuration."""
    pool = request["ResourceConfig"].get(UPC) or {}
    mfa = pool.get("Mfa") or {}
    losses = [
        "users move one by one at their first USER_PASSWORD_AUTH sign-in (the migration "
        "trigger); a user who never signs in stays in the old pool",
        f"the old pool's web client {deployed.web_client_id} must first allow "
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    ]
    if mfa.get("MFAMode") in ("ON", "OPTIONAL") and "TOTP" in (
        (mfa.get("Settings") or {}).get("MfaTypes") or []
    ):
        required = "required" if mfa["MFAMode"] == "ON" else "optional"
        losses.append(
            f"MFA ({required}) with TOTP: TOTP secrets and MFA devices do not move; users "
            "set their authenticator app up again"
        )
    providers = sorted((pool.get("OAuth") or {}).get("SocialProviderSettings") or {})
    if providers:
        names = ", ".join(PROVIDER_WORDS.get(p, p) for p in providers)
        losses.append(
            f"social sign-in ({names}): each user's identity relinks at their first sign-in "
            "with the provider"
        )
    return losses


def _mapping_reasons(exported: Gen2Export) -> list[str]:
    """The mapping's own notes on what the code carries: members not mapped or not
    supported, and overrides in ``amplify/backend.ts`` (those without a note in one line)."""
    reasons, plain = [], []
    for row in exported.rows:
        member = row["member"].removeprefix("ResourceConfig.")
        shown = f"{member} = {_short(row['value'])}" if row["value"] else member
        if row["status"] in (NOT_MAPPED, UNSUPPORTED):
            reasons.append(f"{shown}: {row['status']}: {row['note']}")
        elif row["status"] == MAPPED and row["file"] == BACKEND_TS:
            if row["note"]:
                reasons.append(f"{shown}: {row['note']}")
            else:
                plain.append(member.removeprefix(f"{UPC}."))
    if plain:
        reasons.append(f"set by overrides in {BACKEND_TS}: {', '.join(plain)}")
    return reasons


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _secret_reasons(exported: Gen2Export) -> list[str]:
    """A line per social provider: which of its members become secrets to set."""
    members: dict[str, list[str]] = {}
    for secret in exported.secrets:
        *_, provider, member = secret.member.split(".")
        members.setdefault(provider, []).append(MEMBER_WORDS.get(member, member))
    reasons = []
    for provider, words in members.items():
        what = " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
        verb = "becomes a secret" if len(words) == 1 else "become secrets"
        reasons.append(
            f"{PROVIDER_WORDS.get(provider, provider)} sign-in: the {what} {verb} to set"
        )
    return reasons


def _keep_reason(exported: Gen2Export, deployed: DeployedAuth) -> str:
    """Why keep: the way's own note in the mapping table."""
    note = next((r["note"] for r in exported.rows if r["member"] == "way"), "")
    return f"keep: referenceAuth on the deployed pool {deployed.user_pool_id}: {note}"


def _recreate(
    request: dict[str, Any], deployed: DeployedAuth, refused: WayRefused, weak: list[str]
) -> dict[str, Any]:
    """The plan when keep is refused: recreate, or blocked when that is refused too."""
    try:
        made = export(request, way=RECREATE, deployed=deployed)
    except ValueError as exc:
        return {"verdict": BLOCKED, "reasons": [f"neither way can be exported: {exc}"]}
    config = request["ResourceConfig"]
    why = (
        "USER_POOL_ONLY: keep (referenceAuth) needs an identity pool, which this environment "
        "never had, so the users move to a new pool (recreate)"
        if config.get("AuthResources") == "USER_POOL_ONLY"
        else f"recreate, as keep cannot be taken: {refused}"
    )
    carried = (
        [f"the new pool carries {' and '.join(weak)} over as configured: change it in the code"]
        if weak
        else []
    )
    return {
        "way": RECREATE,
        "verdict": READY_WITH_OVERRIDES,
        "reasons": [
            why,
            *_mapping_reasons(made),
            *_secret_reasons(made),
            *carried,
            *_recreate_losses(request, deployed),
        ],
        "secrets": [s.name for s in made.secrets],
        "nag": _nag(request, RECREATE),
    }


def _decision(request: dict[str, Any], deployed: DeployedAuth, weak: list[str]) -> list[str]:
    """The reasons of a decision: what keeping freezes, what recreating loses."""
    return [
        f"keep would freeze {' and '.join(weak)}: Gen 2 cannot change a kept pool's settings. "
        "Fix it first (fleet apply), then keep; or recreate",
        *(f"recreate: {loss}" for loss in _recreate_losses(request, deployed)),
    ]


def _nag(request: dict[str, Any], way: str) -> list[str]:
    """The cdk-nag findings ``gen2.nag.predict`` gives the way's code, a line each: the rule,
    its level (and, for keep, that it is of the kept Gen 1 pool), why it fails and the fix."""
    lines = []
    for finding in predict(request, way):
        where = (
            f"{finding.level}, of the kept Gen 1 pool" if finding.existing_pool else finding.level
        )
        lines.append(f"{finding.rule} ({where}): {finding.reason}. Fix: {finding.fix}")
    return lines


def plan_one(row: Mapping[str, Any], flags: Mapping[str, bool] | None = None) -> dict[str, Any]:
    """The plan of one audit row (``flags``: its ``fleet.report.weaknesses`` row, worked out
    here when not given), as a dict of ``PLAN_COLUMNS``."""
    if flags is None:
        flags = _flags(row)
    base: dict[str, Any] = {c: _plain(row.get(c)) for c in _TEXT_COLUMNS}
    base |= {"way": None, "reasons": [], "secrets": [], "nag": []}
    why = _blocked(row)
    if why is not None:
        return base | {"verdict": BLOCKED, "reasons": [why]}
    request, deployed = audit_request(row), audit_deployed(row)
    assert deployed is not None  # (_blocked said so)
    weak = _weak_words(row, flags)
    try:
        kept = export(request, way=KEEP, deployed=deployed)
    except WayRefused as refused:
        return base | _recreate(request, deployed, refused, weak)
    except ValueError as exc:
        return base | {"verdict": BLOCKED, "reasons": [f"no Gen 2 form: {exc}"]}
    base |= {"way": KEEP, "nag": _nag(request, KEEP)}
    if weak:
        return base | {"verdict": NEEDS_DECISION, "reasons": _decision(request, deployed, weak)}
    return base | {"verdict": READY, "reasons": [_keep_reason(kept, deployed)]}


def _flags(row: Mapping[str, Any]) -> dict[str, bool]:
    import pandas as pd  # deferred: slow to import

    columns = [f"{UPC}.Mfa.MFAMode", f"{UPC}.PasswordPolicy.MinimumLength"]
    columns.append(f"{UPC}.OAuth.OAuthGrantType")
    frame = pd.DataFrame([{c: _plain(row.get(c)) for c in columns}])
    return weaknesses(frame).iloc[0].to_dict()


# -- the fleet --------------------------------------------------------------------------------


def migration_plan(audit: pd.DataFrame) -> pd.DataFrame:
    """A row per audited environment: the way, the verdict, its reasons, the secrets to set
    and the cdk-nag findings (see the module). ``audit`` is ``fleet.audit()``'s frame."""
    missing = [c for c in NEEDED if c not in audit.columns]
    if missing:
        raise ValueError(
            f"migration_plan needs fleet.audit()'s frame; this one has no {', '.join(missing)}"
            ". Audit again (an audit saved before deployed ids were read lacks them)."
        )
    flags = weaknesses(audit).to_dict("records")
    rows = audit.to_dict("records")
    return plan_frame([plan_one(r, f) for r, f in zip(rows, flags, strict=True)])


def plan_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Plan rows as a typed frame: text columns ``string``, ``way`` a category of
    ``gen2.WAYS``, ``verdict`` an ordered category of ``VERDICTS``, lists as lists."""
    import pandas as pd  # deferred: slow to import

    frame = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    for name in _TEXT_COLUMNS:
        frame[name] = frame[name].astype("string")
    frame["way"] = pd.Categorical(frame["way"], categories=list(WAYS))
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=list(VERDICTS), ordered=True)
    for name in ("reasons", "secrets", "nag"):
        frame[name] = [v if isinstance(v, list) else [] for v in frame[name]]
    return frame


def plan_counts(plan: pd.DataFrame) -> pd.Series:
    """How many environments have each verdict, every verdict listed (0 too), best first."""
    counts = plan["verdict"].astype(str).value_counts()
    return (
        counts.reindex(list(VERDICTS), fill_value=0).rename("environments").rename_axis("verdict")
    )


def plan_summary(plan: pd.DataFrame) -> str:
    """The counts in words: what the chart shows, as its alternative text."""
    counts = plan_counts(plan)
    parts = ", ".join(f"{verdict} {int(n)}" for verdict, n in counts.items())
    return f"Bar chart of {len(plan)} environments by migration verdict: {parts}."


def plan_chart(plan: pd.DataFrame) -> Figure:
    """A bar per verdict, best first, in its colour, its count written on it. Its title is
    ``CHART_TITLE``; ``plan_summary(plan)`` says in words what it shows (its alt text)."""
    from matplotlib.ticker import MaxNLocator  # deferred: slow to import

    counts = plan_counts(plan)
    figure = new_figure(6.4, 3.2)
    axes = figure.add_subplot()
    labels = list(counts.index)
    bars = axes.bar(labels, counts.to_numpy(), color=[VERDICT_COLORS[v] for v in labels])
    axes.bar_label(bars, labels=[str(int(n)) for n in counts], padding=2)
    axes.set_ylabel("environments")
    axes.set_ylim(0, max(1, int(counts.max())) * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(CHART_TITLE)
    return plain_text(figure)
