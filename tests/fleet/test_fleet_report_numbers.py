"""The fleet report's numbers and heat map, read back from a small audit frame built by hand:
what each environment counts (failed checks, then finding codes) and what the figure shows of
them (a mutation run of fleet/report.py found no test that looked at either)."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.font_manager import FontProperties

from amplify_auth_widgets.fleet.checks import CHECKS
from amplify_auth_widgets.fleet.report import (
    findings_by_environment,
    plot_findings_heatmap,
    weaknesses,
)

WEAKNESSES = ["mfa_off", "short_password", "implicit_grant", "weak"]


def audit() -> pd.DataFrame:
    """prod: one weak target (MFA off, short password, two codes) and one with 12 characters;
    dev: an implicit grant with code A, and one target that has no auth; qa: MFA optional, no
    findings at all (so no code column has a count for it). No target requires a character
    class (none has AdditionalConstraints), and none has an identity pool or signs in by email
    (those checks do not apply)."""
    return pd.DataFrame(
        {
            "environment": ["prod", "prod", "dev", "dev", "qa"],
            "configured": [True, True, True, False, True],
            "finding_codes": [["A", "B"], [], ["A"], [], []],
            "UserPoolConfigs.Mfa.MFAMode": ["OFF", "ON", "ON", None, "OPTIONAL"],
            "UserPoolConfigs.PasswordPolicy.MinimumLength": [8, 12, 12, None, 14],
            "UserPoolConfigs.OAuth.OAuthGrantType": ["CODE", "CODE", "IMPLICIT", None, "CODE"],
        }
    )


#: dev, prod, qa: how many targets fail each check (every check a column, in catalogue order)
FAILED = {
    "mfa-off": [0, 1, 0],
    "mfa-optional": [0, 0, 1],
    "password-min-length-14": [1, 2, 0],
    **{f"password-{w}": [1, 2, 1] for w in ("lowercase", "uppercase", "digit", "symbol")},
    "oauth-implicit-grant": [1, 0, 0],
}
EXPECTED = pd.DataFrame(
    {
        **{check_id: FAILED.get(check_id, [0, 0, 0]) for check_id in CHECKS},
        "A": [1, 1, 0],
        "B": [0, 1, 0],
    },
    index=pd.Index(["dev", "prod", "qa"], name="environment"),
)


def test_an_environment_without_auth_is_not_weak_in_the_audit_s_own_dtypes():
    """The audit's columns are categorical and nullable Float64: a missing value compares as
    <NA>, which is no weakness; the rows keep the audit's index (a filtered frame's too)."""
    frame = pd.DataFrame(
        {
            "UserPoolConfigs.Mfa.MFAMode": pd.Series(["OFF", None, "ON"], dtype="category"),
            "UserPoolConfigs.PasswordPolicy.MinimumLength": pd.Series(
                [8, None, 14], dtype="Float64"
            ),
            "UserPoolConfigs.OAuth.OAuthGrantType": pd.Series(
                ["IMPLICIT", None, "CODE"], dtype="category"
            ),
        }
    ).set_axis([10, 3, 7])
    flags = weaknesses(frame)
    assert list(flags.columns) == WEAKNESSES and (flags.dtypes == "bool").all()
    assert flags.to_dict("index") == {
        10: dict.fromkeys(WEAKNESSES, True),
        3: dict.fromkeys(WEAKNESSES, False),
        7: dict.fromkeys(WEAKNESSES, False),
    }


def test_each_environment_counts_its_weak_targets_and_each_finding_code():
    counts = findings_by_environment(audit())
    # whole integers, 0 where an environment has none of a code (qa has no code at all)
    pd.testing.assert_frame_equal(counts, EXPECTED, check_names=False)
    assert (counts.dtypes == "int64").all()


def test_the_heat_map_shows_every_count_in_its_cell_under_plain_labels():
    figure = plot_findings_heatmap(audit())
    axes = figure.axes[0]
    assert axes.get_title() == "Failed checks and findings by environment"
    ticks = axes.get_xticklabels()
    assert [t.get_text() for t in ticks] == [*CHECKS, "A", "B"]
    assert all(t.get_rotation() == 35 and t.get_ha() == "right" for t in ticks)
    assert [t.get_text() for t in axes.get_yticklabels()] == ["dev", "prod", "qa"]
    cells = {(t.get_position(), t.get_text()) for t in axes.texts}
    assert cells == {
        ((column, row), str(EXPECTED.iloc[row, column]))
        for row in range(len(EXPECTED))
        for column in range(len(EXPECTED.columns))
    }
    small = FontProperties(size="small").get_size_in_points()
    assert all(
        (t.get_ha(), t.get_va(), t.get_fontsize()) == ("center", "center", small)
        for t in axes.texts
    )
    (image,) = axes.images
    assert (image.get_array() == EXPECTED.to_numpy()).all()
    assert image.get_cmap().name == "Reds" and axes.get_aspect() == "auto"
    # the colour bar is the image's (its colours and range), labelled with what is counted
    assert image.colorbar is not None and image.colorbar.ax.get_ylabel() == "targets"


@pytest.mark.parametrize(
    ("environments", "codes", "size"),
    [
        # 0.6 inch a column (every check, then the codes) and 2 more; 0.5 a row and 1.4
        # more, at least 2
        (["prod", "dev", "qa"], [["A", "B"], [], []], (0.6 * (len(CHECKS) + 2) + 2, 2.9)),
        (["prod"], [[]], (0.6 * len(CHECKS) + 2, 2.0)),
    ],
)
def test_the_heat_map_grows_with_its_columns_and_rows(environments, codes, size):
    frame = pd.DataFrame(
        {
            "environment": environments,
            "finding_codes": codes,
            "UserPoolConfigs.Mfa.MFAMode": ["ON"] * len(codes),
            "UserPoolConfigs.PasswordPolicy.MinimumLength": [12] * len(codes),
            "UserPoolConfigs.OAuth.OAuthGrantType": ["CODE"] * len(codes),
        }
    )
    assert tuple(plot_findings_heatmap(frame).get_size_inches()) == pytest.approx(size)
