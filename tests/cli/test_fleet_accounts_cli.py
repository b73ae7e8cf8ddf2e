"""`amplify-auth fleet` over several profiles and regions (--profile and --region more than
once: each profile in each region), and the emulator's --region, --account and --demo-pairs."""

from __future__ import annotations

import io
import json

import pytest
from conftest import profiles_of_two_accounts

from amplify_auth_widgets.cli.entry import UsageError, build_parser, main
from amplify_auth_widgets.cli.services import emulator_from_args
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import FLEET_REGIONS, fleet_config, seed_fleet_pairs
from amplify_auth_widgets.emulator.store import scoped

OTHER = "210987654321"


@pytest.fixture
def two_profiles(tmp_path, monkeypatch):
    """A 2x2 demo fleet, and the profiles ``home`` and ``other`` of its two accounts."""
    profiles_of_two_accounts(tmp_path, monkeypatch, OTHER)
    accounts = {f"emulator-{OTHER}": OTHER}
    with Emulator(job_seconds=0, regions=FLEET_REGIONS, accounts=accounts) as emu:
        emu.seeded = seed_fleet_pairs(emu.backend, 1)
        yield emu


def run(emu, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["fleet", *argv, "--endpoint-url", emu.url, "--no-progress"], out, err)
    return code, out.getvalue(), err.getvalue()


EVERYWHERE = ("--profile", "home", "--profile", "other")
REGIONS = ("--region", "us-east-1", "--region", "eu-west-1")


def test_audit_reaches_each_profile_in_each_region(two_profiles):
    code, out, err = run(two_profiles, "audit", *EVERYWHERE, *REGIONS, "--output", "json")
    assert code == 0, err
    rows = json.loads(out)
    found = {(r["account_id"], r["region"], r["app_id"], r["environment"]) for r in rows}
    assert found == set(two_profiles.seeded) and len(rows) == 12
    code, out, _ = run(two_profiles, "audit", *EVERYWHERE, *REGIONS)
    header = out.splitlines()[0].split()
    assert code == 0 and header[:3] == ["account_id", "region", "app_id"]
    code, out, _ = run(two_profiles, "audit", "--profile", "home", "--region", "us-east-1")
    assert code == 0 and out.splitlines()[0].split()[0] == "app_id"  # one place: as before


def test_apply_sends_each_target_row_through_its_account_and_region(two_profiles, tmp_path):
    template = tmp_path / "fix.json"
    config = fleet_config(0, "fixed", None)
    config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 18
    template.write_text(json.dumps({"ResourceName": "fleetauth", "ResourceConfig": config}))
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "account_id,region,app_id,environment\n"
        f"{OTHER},eu-west-1,d0000fleetd,prod\n"
        "123456789012,eu-west-1,d0000fleetd,prod\n"  # that app is not in this account
    )
    code, out, _ = run(
        two_profiles,
        "apply",
        "--template",
        str(template),
        "--targets",
        str(targets),
        "--mode",
        "update",
        *EVERYWHERE,
        *REGIONS,
        "--output",
        "json",
    )
    rows = json.loads(out)
    assert [(r["account_id"], r["region"], r["status"]) for r in rows] == [
        (OTHER, "eu-west-1", "COMPLETED"),
        ("123456789012", "eu-west-1", "NOT_SENT"),
    ], rows
    assert "not found" in (rows[1]["error"] or "").lower()
    assert code != 0  # the worst row's exit code
    with scoped(OTHER, "eu-west-1"):
        assert '"MinimumLength": 18' in two_profiles.store.auth("d0000fleetd", "prod")["config"]


def test_the_emulator_serves_the_regions_and_accounts_it_is_given():
    argv = ["emulator", "--demo-fleet", "1", "--demo-pairs", "--port", "0"]
    args = build_parser().parse_args(argv)
    with emulator_from_args(args) as emu:
        assert emu.regions == ("us-east-1", "eu-west-1")
        connections = emu.connections()
        assert [(c.access_key_id, c.region) for c in connections][-1] == (
            f"emulator-{OTHER}",
            "us-east-1",
        )
        assert len(connections) == 4
    args = build_parser().parse_args(
        ["emulator", "--region", "eu-central-1", "--account", f"AKIDX={OTHER}", "--port", "0"]
    )
    with emulator_from_args(args) as emu:
        assert emu.regions == ("eu-central-1",)
        sts = emu.connection(access_key_id="AKIDX", region="eu-central-1").client("sts")
        assert sts.get_caller_identity()["Account"] == OTHER
    for bad, message in (
        (["--region", "moon-1"], "is not a region name"),
        (["--account", "AKID=12"], "12-digit account as KEY=ACCOUNT"),
    ):
        with pytest.raises(UsageError, match=message):
            build_parser().parse_args(["emulator", *bad])
