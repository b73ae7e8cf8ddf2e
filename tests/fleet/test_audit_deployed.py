"""The audit's deployed ids against the emulator: the ids ``GetBackend`` answers, in the
columns the audit documents, in order."""

from __future__ import annotations

import pandas as pd

from amplify_auth_widgets import BackendAuthService
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.fleet.checks import check_columns
from amplify_auth_widgets.fleet.inventory import (
    DEPLOYED_COLUMNS,
    HEAD_COLUMNS,
    TAIL_COLUMNS,
    Fleet,
    audit_columns,
)


def frame_row_empty(row: dict) -> bool:
    """No deployed id in the row (a missing string cell is pd.NA), only where the environment
    is: the connection's account and region (fleet.accounts)."""
    located = row["account_id"] == "123456789012" and row["region"] == "us-east-1"
    ids = [c for c in DEPLOYED_COLUMNS if c not in ("account_id", "region")]
    return located and all(pd.isna(row[c]) for c in ids)


def test_every_configured_environment_has_the_ids_get_backend_answers():
    with Emulator(job_seconds=0, seed=3, demo=True) as emu:
        service = BackendAuthService(emu.connection(), sleep=lambda s: None)
        frame = Fleet(service).audit()
        expected = {
            (app, env): service.deployed_auth(app, env)
            for app, env in zip(frame["app_id"], frame["environment"], strict=True)
        }
    assert list(frame.columns) == audit_columns()
    columns = list(frame.columns)
    assert columns[: len(HEAD_COLUMNS) + len(DEPLOYED_COLUMNS)] == [
        *HEAD_COLUMNS,
        *DEPLOYED_COLUMNS,
    ]
    # then the tail, and last the named checks' verdicts (fleet.checks)
    checks = [*check_columns(), "failed_checks"]
    assert columns[-len(checks) :] == checks
    assert columns[-len(TAIL_COLUMNS) - len(checks) : -len(checks)] == list(TAIL_COLUMNS)
    assert "user_pool_id" in DEPLOYED_COLUMNS and "identity_pool_id" in DEPLOYED_COLUMNS
    for row in frame.to_dict("records"):
        deployed = expected[(row["app_id"], row["environment"])]
        if not row["configured"]:
            assert deployed is None and frame_row_empty(row)
            continue
        assert deployed is not None and row["resource_name"] == deployed.resource_name
        for column in DEPLOYED_COLUMNS:
            value = getattr(deployed, column)
            assert (None if pd.isna(row[column]) else row[column]) == value, column
    users_only = frame[frame["AuthResources"] == "USER_POOL_ONLY"]
    assert len(users_only) >= 2 and users_only["identity_pool_id"].isna().all()
    assert users_only["user_pool_id"].notna().all()
