"""An apply's plan at the edges the first tests of ``test_rollout_plan.py`` left open, found
by a mutation run of fleet/rollout.py: which row a duplicate is compared with, and a frame
with one of an audit frame's columns (not an audit frame)."""

from __future__ import annotations

import pandas as pd
import pytest

from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.rollout import Outcome, parse_targets

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
POLICY = "UserPoolConfigs.PasswordPolicy.MinimumLength"


def test_a_duplicate_is_compared_with_the_row_it_repeats_not_another():
    frame = pd.DataFrame(
        {
            "app_id": ["d1abc", "d2abc", "d1abc", "d2abc"],
            "environment": ["dev"] * 4,
            POLICY: ["20", None, "20", "16"],
        }
    )
    first, other, again, changed = parse_targets(TEMPLATE, frame)
    assert first.status is other.status is None
    # the same overrides as the row it repeats (not as the last row, nor the one before)
    assert again.status == Outcome.DUPLICATE
    assert again.error == (
        "the same app, environment and resource as target 1: sent once, for target 1"
    )
    assert changed.error == (
        "the same app, environment and resource as target 2: sent once, for target 2; its "
        "own overrides are not applied"
    )


@pytest.mark.parametrize("column", ["configured", "finding_codes"])
def test_a_frame_with_one_audit_column_is_told_that_column_is_unknown(column):
    # not an audit frame (that has both): the column is named, as any unknown column is
    frame = pd.DataFrame({"app_id": ["d1abc"], "environment": ["dev"], column: [True]})
    with pytest.raises(ValueError) as caught:
        parse_targets(TEMPLATE, frame)
    assert str(caught.value).startswith(f"targets column {column!r} is neither app_id, ")
