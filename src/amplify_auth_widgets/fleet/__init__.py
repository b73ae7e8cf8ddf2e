"""Many apps at once: the audit, a frame of every app and environment (``inventory``), the apply
of one configuration to many targets (``rollout``), the named security checks (``checks``: a
catalogue of data, a verdict per check in every audit, a remediation ``fix_plan`` turns into
an apply), the fleet's report (``report``: the heat map of failed checks and findings by
environment), their progress (``progress``: tqdm's bar where the
user looks), and the plan of its move to Gen 2 (``migration``: a way and a verdict per
environment, their counts and chart). Saved audits and the drift between them are in
``timeline`` (``fleet.drift(since=...)``, ``fleet.saved_audits()``).

``fleet.audit(...)``, ``fleet.apply(...)``, ``fleet.drift(...)``,
``fleet.migration_plan(audit)`` and ``Fleet`` are the public face; the modules are named apart
from them, so that importing a module never hides the function of its name.
"""

from .checks import CATALOGUE, CHECKS, fix_plan
from .inventory import Fleet, apply, audit, audit_frame
from .migration import (
    VERDICTS,
    audit_deployed,
    audit_request,
    migration_plan,
    plan_chart,
    plan_counts,
)
from .progress import ProgressBar
from .report import findings_by_environment, plot_findings_heatmap, weaknesses
from .rollout import Outcome
from .timeline import drift, saved_audits

#: The former name of ``ProgressBar`` (a text bar of its own before tqdm drew it).
TextProgress = ProgressBar

__all__ = [
    "CATALOGUE",
    "CHECKS",
    "VERDICTS",
    "Fleet",
    "Outcome",
    "ProgressBar",
    "TextProgress",
    "apply",
    "audit",
    "audit_deployed",
    "audit_frame",
    "audit_request",
    "drift",
    "findings_by_environment",
    "fix_plan",
    "migration_plan",
    "plan_chart",
    "plan_counts",
    "plot_findings_heatmap",
    "saved_audits",
    "weaknesses",
]
