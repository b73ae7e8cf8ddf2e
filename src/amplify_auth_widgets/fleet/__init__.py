"""Many apps at once: the audit, a frame of every app and environment (``inventory``), the apply
of one configuration to many targets (``rollout``), and the fleet's report (``report``: its
weaknesses and the findings heat map).

``fleet.audit(...)``, ``fleet.apply(...)`` and ``Fleet`` are the public face; the modules are
named apart from them, so that importing a module never hides the function of its name.
"""

from .inventory import Fleet, TextProgress, apply, audit, audit_frame
from .report import findings_by_environment, plot_findings_heatmap, weaknesses
from .rollout import Outcome

__all__ = [
    "Fleet",
    "Outcome",
    "TextProgress",
    "apply",
    "audit",
    "audit_frame",
    "findings_by_environment",
    "plot_findings_heatmap",
    "weaknesses",
]
