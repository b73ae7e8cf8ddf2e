"""What the output sinks' tests feed and read back: secrets, CSV cells, frames to plot, labels."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd


def fill_secrets(data: Any, values: list[str]) -> Any:
    """``data`` with its secrets replaced, in the order they come, by ``values``."""
    if isinstance(data, dict):
        return {
            k: values.pop(0) if k in ("ClientSecret", "PrivateKey") else fill_secrets(v, values)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [fill_secrets(v, values) for v in data]
    return data


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def jobs_frame(names: list[str]) -> pd.DataFrame:
    start = pd.Timestamp("2026-01-01", tz="UTC")
    return pd.DataFrame(
        {
            "app_id": names,
            "environment": names,
            "created": [start] * len(names),
            "finished": [start + pd.Timedelta("1min")] * len(names),
            "status": ["COMPLETED"] * len(names),
            "timed_out": [False] * len(names),
            "local_verdict": [None] * len(names),
        }
    )


def audit_frame(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "environment": names,
            "finding_codes": [["AAW-X"]] * len(names),
            "UserPoolConfigs.Mfa.MFAMode": ["OFF"] * len(names),
            "UserPoolConfigs.PasswordPolicy.MinimumLength": [8] * len(names),
            "UserPoolConfigs.OAuth.OAuthGrantType": ["CODE"] * len(names),
        }
    )


def plain_labels(labels: list[Any]) -> list[str]:
    assert all(not t.get_parse_math() and not t.get_usetex() for t in labels)
    return [t.get_text() for t in labels]
