"""The fleet's report: the heat map of failed checks and findings, environments down and the
named security checks (``fleet.checks``, in catalogue order) then the validator's finding
codes across, and ``weaknesses``, the three the migration plan words. It reads the audit's
frame; the plot helpers are the job reports' (plain-text labels, Agg canvas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..jobs.report import new_figure, plain_text
from .checks import failed_counts

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def weaknesses(frame: pd.DataFrame) -> pd.DataFrame:
    """Which audited environments have MFA off, a password shorter than 12 or the implicit
    grant: one boolean column each, and ``weak`` for any of them. The migration plan words
    these; the audit's own verdicts are the named checks (``fleet.checks``, ``failed_checks``)."""
    import pandas as pd  # deferred: slow to import

    flags = (
        pd.DataFrame(
            {
                "mfa_off": frame["UserPoolConfigs.Mfa.MFAMode"] == "OFF",
                "short_password": frame["UserPoolConfigs.PasswordPolicy.MinimumLength"] < 12,
                "implicit_grant": frame["UserPoolConfigs.OAuth.OAuthGrantType"] == "IMPLICIT",
            },
            index=frame.index,
        )
        .fillna(False)
        .astype(bool)
    )
    flags["weak"] = flags.any(axis=1)
    return flags


def findings_by_environment(audit: pd.DataFrame) -> pd.DataFrame:
    """Per environment name, how many audited targets fail each named check (a column per
    check id, catalogue order) and have each finding code: the numbers behind the heat map."""
    import pandas as pd  # deferred: slow to import

    counts = failed_counts(audit)
    codes = (
        audit[["environment", "finding_codes"]]
        .explode("finding_codes")
        .dropna()
        .pivot_table(index="environment", columns="finding_codes", aggfunc="size", fill_value=0)
    )
    return pd.concat([counts, codes], axis=1).fillna(0).astype(int).sort_index()


def plot_findings_heatmap(audit: pd.DataFrame) -> Figure:
    """A heat map: environments down, failed checks and finding codes across, counts in
    cells."""
    counts = findings_by_environment(audit)
    figure = new_figure(max(4.0, 0.6 * len(counts.columns) + 2), max(2.0, 0.5 * len(counts) + 1.4))
    axes = figure.add_subplot()
    image = axes.imshow(counts.to_numpy(), cmap="Reds", aspect="auto")
    plain = {"parse_math": False, "usetex": False}
    labels = [str(c) for c in counts.columns]
    axes.set_xticks(range(len(labels)), labels, rotation=35, ha="right", **plain)
    axes.set_yticks(range(len(counts.index)), [str(i) for i in counts.index], **plain)
    for (row, column), value in zip(
        [(r, c) for r in range(len(counts.index)) for c in range(len(counts.columns))],
        counts.to_numpy().ravel(),
        strict=True,
    ):
        axes.text(column, row, str(value), ha="center", va="center", fontsize="small")
    figure.colorbar(image, ax=axes, label="targets")
    axes.set_title("Failed checks and findings by environment")
    return plain_text(figure)
