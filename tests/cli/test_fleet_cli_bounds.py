"""`amplify-auth fleet` keeps to `--concurrency` (the audit's reads and the apply's sends in
flight at once), a saved audit of two places names both ("saved as audits 1, 2"), and an
audit written as Parquet holds the audit's columns only, with a missing list missing (not
text). A mutation run of cli/fleet.py found these unchecked: the option was parsed and shown
in the help, but nothing saw whether the audit and the apply were given it.

Each call counted here is held until the bound is reached, then until one more is in flight or
half a second has passed: a fleet that keeps to the bound reaches it and no more."""

from __future__ import annotations

import io
import json
import re
import threading

import pytest
from conftest import sign_as_emulator

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.client.service import BackendAuthService
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import FLEET_REGIONS, fleet_config
from amplify_auth_widgets.fleet.inventory import Fleet

APPS = [f"d{n}bounded" for n in range(1, 6)]
SENDS = ("CreateBackendAuth", "UpdateBackendAuth")


@pytest.fixture(autouse=True)
def credentials(monkeypatch, tmp_path):
    sign_as_emulator(monkeypatch)
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "history.sqlite3"))


@pytest.fixture
def emu(tmp_path):
    with Emulator(job_seconds=0, seed=5, regions=FLEET_REGIONS) as emulator:
        store, now = emulator.backend.store, emulator.clock()
        for app_id in APPS:
            store.put_app(app_id, app_id, {}, now)
            store.put_environment(app_id, "prod", {}, now)
            store.put_auth(app_id, "prod", "fleetauth", fleet_config(2, "prod", None), now)
        yield emulator


def fleet(emu, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["fleet", *argv, "--endpoint-url", emu.url, "--no-progress"], out, err)
    return code, out.getvalue(), err.getvalue()


class Bound:
    """Counts the calls in flight at once. Each is held until ``bound`` are in flight (or all
    the calls left are), then until one more comes or half a second has passed."""

    def __init__(self, bound: int, total: int) -> None:
        self.bound, self.total = bound, total
        self.in_flight = self.most = self.calls = self.done = 0
        self.changed = threading.Condition()

    def hold(self) -> None:
        with self.changed:
            self.in_flight += 1
            self.calls += 1
            self.most = max(self.most, self.in_flight)
            self.changed.notify_all()
            self.changed.wait_for(
                lambda: self.in_flight >= self.bound or self.done + self.in_flight == self.total,
                timeout=30,
            )
            self.changed.wait_for(lambda: self.in_flight > self.bound, timeout=0.5)
            self.in_flight -= 1
            self.done += 1
            self.changed.notify_all()


def test_the_audit_reads_at_most_concurrency_environments_at_once(emu, monkeypatch):
    bound, audit_one = Bound(2, len(APPS)), Fleet.audit_one

    def held(self, *args, **kwargs):
        bound.hold()
        return audit_one(self, *args, **kwargs)

    monkeypatch.setattr(Fleet, "audit_one", held)
    code, out, _ = fleet(emu, "audit", "--concurrency", "2", "--output", "json")
    assert code == 0 and len(json.loads(out)) == len(APPS)
    assert (bound.calls, bound.most) == (len(APPS), 2)


def test_the_apply_sends_at_most_concurrency_requests_at_once(emu, monkeypatch, tmp_path):
    bound, call = Bound(2, len(APPS)), BackendAuthService.call

    def held(self, operation, request, **options):
        if operation in SENDS:
            bound.hold()
        return call(self, operation, request, **options)

    monkeypatch.setattr(BackendAuthService, "call", held)
    template = tmp_path / "template.json"
    template.write_text(
        json.dumps({"ResourceName": "fleetauth", "ResourceConfig": fleet_config(1, "x", None)})
    )
    targets = tmp_path / "targets.csv"
    header = "app_id,environment,UserPoolConfigs.PasswordPolicy.MinimumLength\n"
    targets.write_text(header + "".join(f"{a},prod,15\n" for a in APPS))
    code, out, _ = fleet(
        emu,
        "apply",
        "--template",
        str(template),
        "--targets",
        str(targets),
        "--mode",
        "update",
        "--concurrency",
        "2",
        "--output",
        "json",
    )
    assert code == 0
    assert [row["status"] for row in json.loads(out)] == ["COMPLETED"] * len(APPS)
    assert (bound.calls, bound.most) == (len(APPS), 2)


def test_an_audit_saved_for_two_regions_names_both_audits(emu, tmp_path):
    both = ("--region", "us-east-1", "--region", "eu-west-1")
    code, out, err = fleet(emu, "audit", "--save", *both, "--output", "csv", str(tmp_path / "a"))
    assert (code, out) == (0, "")
    pattern = (
        rf"fleet audit: saved as audits 1, 2 of {re.escape(str(tmp_path / 'history.sqlite3'))}, "
        r"at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00; `amplify-auth fleet drift` shows what "
        r"changed since the one before\n"
    )
    assert re.fullmatch(pattern, err), err


def test_a_parquet_audit_holds_the_frame_s_columns_and_its_missing_values_missing(tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    path = tmp_path / "audit.parquet"
    with Emulator(job_seconds=0, seed=12, demo=True) as demo:
        code, out, err = fleet(demo, "audit", "--output", "parquet", str(path))
        code_json, text, _ = fleet(demo, "audit", "--output", "json")
    assert (code, out, err, code_json) == (0, "", "", 0)
    expected = pd.read_json(io.StringIO(text), orient="records")
    # what any Parquet reader sees: the audit's columns, no index column of pandas'
    assert pq.read_schema(path).names == expected.columns.tolist()
    frame = pd.read_parquet(path)
    scopes = frame["UserPoolConfigs.OAuth.OAuthScopes"]
    # an environment with no OAuth has no scopes (null), one with OAuth its list as JSON text
    assert scopes.isna().sum() == expected["UserPoolConfigs.OAuth.OAuthScopes"].isna().sum() > 0
    for value, listed in zip(scopes, expected["UserPoolConfigs.OAuth.OAuthScopes"], strict=True):
        if isinstance(listed, list):
            assert json.loads(value) == listed


def test_the_audit_s_table_cuts_a_cell_at_sixty_characters(emu):
    long_name = "n" * 70
    store, now = emu.backend.store, emu.clock()
    store.put_app("d9longname", long_name, {}, now)
    store.put_environment("d9longname", "prod", {}, now)
    code, out, _ = fleet(emu, "audit", "--apps", "d9longname")
    assert code == 0
    (row,) = [line for line in out.splitlines() if line.startswith("d9longname")]
    assert "n" * 57 + "..." in row and "n" * 58 not in row


def test_an_audit_written_as_csv_to_a_file_ends_with_its_last_row(emu, tmp_path):
    import pandas as pd

    path = tmp_path / "audit.csv"
    code, out, _ = fleet(emu, "audit", "--output", "csv", str(path))
    text = path.read_text()
    assert (code, out) == (0, "")
    assert text.endswith("\n") and not text.endswith("\n\n")  # no empty row after the last
    assert len(pd.read_csv(path)) == len(APPS)
