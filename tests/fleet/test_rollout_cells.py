"""Override cells as a frame from elsewhere holds them: a list column of a frame read from
Parquet holds numpy arrays, not lists. Such a frame once failed in ``parse_targets`` with
numpy's "truth value of an array ... is ambiguous" (an array was asked whether it was a
missing value), and a one-member array became that member alone."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from amplify_auth_widgets.emulator.demo import fleet_config
from amplify_auth_widgets.fleet.rollout import parse_targets

CONFIG = fleet_config(0, "fixed", None)
TEMPLATE = {"ResourceName": "fleetauth", "ResourceConfig": CONFIG}
SCOPES = "UserPoolConfigs.OAuth.OAuthScopes"


def at(config: dict[str, Any], path: str) -> Any:
    for step in path.split("."):
        config = config[step]
    return config


def test_a_list_column_read_from_parquet_overrides_with_each_cell_s_list(tmp_path):
    written = pd.DataFrame(
        {
            "app_id": ["d1abc", "d2abc", "d3abc", "d4abc"],
            "environment": ["dev"] * 4,
            SCOPES: [["EMAIL", "OPENID"], ["PHONE"], [], None],
        }
    )
    written.to_parquet(tmp_path / "targets.parquet")
    frame = pd.read_parquet(tmp_path / "targets.parquet")
    targets = parse_targets(TEMPLATE, frame)
    scopes = [at(t.config, SCOPES) for t in targets[:3]]
    # each cell's list, as a list (what JSON writes and the validator reads)
    assert scopes == [["EMAIL", "OPENID"], ["PHONE"], []]
    assert targets[3].config == CONFIG  # a missing cell overrides nothing
    assert all(type(s) is list for s in scopes)
    assert all(not t.settled for t in targets)
    for target in targets:
        json.dumps(target.config)
