"""Many apps at once: the audit, a frame of every app and environment (``inventory``), the apply
of one configuration to many targets (``rollout``), the fleet's report (``report``: its
weaknesses and the findings heat map), their progress (``progress``: tqdm's bar where the
user looks), and the plan of its move to Gen 2 (``migration``: a way and a verdict per
environment, their counts and chart). Saved audits and the drift between them are in
``timeline`` (``fleet.drift(since=...)``, ``fleet.saved_audits()``).

``fleet.audit(...)``, ``fleet.apply(...)``, ``fleet.drift(...)``,
``fleet.migration_plan(audit)`` and ``Fleet`` are the public face; the modules are named apart
from them, so that importing a module never hides the function of its name.
"""

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
    "migration_plan",
    "plan_chart",
    "plan_counts",
    "plot_findings_heatmap",
    "saved_audits",
    "weaknesses",
]
