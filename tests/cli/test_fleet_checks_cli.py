"""`amplify-auth fleet audit` and the named checks: the table shows each environment's failed
checks, and JSON and CSV carry a column per check and the ids failed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, STRONG


@pytest.fixture(scope="module")
def emu():
    with Emulator(job_seconds=0, seed=6) as emu:
        store, now = emu.backend.store, emu.clock()
        for app_id, config in (("d9social", SOCIAL), ("d8todo", STRONG)):
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "prod", {}, now)
            store.put_auth(app_id, "prod", "auth", config, now)
        yield emu


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    """The emulator's throwaway keys, as a user's environment would give them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "emulator")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "emulator-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def run(emu, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["fleet", *argv, "--endpoint-url", emu.url, "--no-progress"], out, err)
    return code, out.getvalue(), err.getvalue()


SOCIAL_FAILS = [
    "mfa-optional",
    "password-min-length-14",
    "password-lowercase",
    "password-uppercase",
    "password-symbol",
    "identity-pool-unauthenticated",
    "email-not-verified",
]


def test_the_audit_table_shows_the_failed_checks(emu):
    code, out, _ = run(emu, "audit")
    assert code == 0 and "failed_checks" in out
    social = next(x for x in out.splitlines() if "d9social" in x)
    todo = next(x for x in out.splitlines() if "d8todo" in x)
    assert "[mfa-optional, password-min-length-14" in social  # (a long list is cut)
    assert "[password-min-length-14, password-lowercase]" in todo


def test_json_and_csv_carry_a_column_per_check_and_the_ids_failed(emu, tmp_path):
    code, out, _ = run(emu, "audit", "--output", "json")
    rows = {r["app_id"]: r for r in json.loads(out)}
    assert code == 0 and rows["d9social"]["failed_checks"] == SOCIAL_FAILS
    assert rows["d9social"]["check.identity-pool-unauthenticated"] is True
    assert rows["d8todo"]["check.identity-pool-unauthenticated"] is False
    assert rows["d8todo"]["check.oauth-implicit-grant"] is None  # no hosted UI: not applicable
    path = tmp_path / "audit.csv"
    code, _, _ = run(emu, "audit", "--output", "csv", str(path), "--apps", "d9social")
    (row,) = csv.DictReader(path.open(encoding="utf-8"))
    assert code == 0 and row["check.mfa-optional"] == "True"
    assert all(c in row["failed_checks"] for c in SOCIAL_FAILS)
