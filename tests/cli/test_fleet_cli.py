"""`amplify-auth fleet audit|apply` and the emulator's `--demo-fleet`, against the emulator."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest
from conftest import BIN, aws_env, sign_as_emulator

from amplify_auth_widgets.cli.entry import UsageError, build_parser, main
from amplify_auth_widgets.cli.services import emulator_from_args
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, fleet_config, seed_fleet


@pytest.fixture(scope="module")
def fleet_emulator():
    with Emulator(job_seconds=0, seed=6) as emu:
        seeded = seed_fleet(emu.backend, 4)
        store, now = emu.backend.store, emu.clock()
        store.put_app("d9social", "social", {}, now)
        store.put_environment("d9social", "prod", {}, now)
        store.put_auth("d9social", "prod", "socialauth", SOCIAL, now)
        yield emu, seeded


def run(emu, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["fleet", *argv, "--endpoint-url", emu.url, "--no-progress"], out, err)
    return code, out.getvalue(), err.getvalue()


def test_demo_fleet_option_seeds_apps_with_three_environments():
    args = build_parser().parse_args(["emulator", "--demo-fleet", "3", "--port", "0"])
    with emulator_from_args(args) as emu:
        apps = emu.client("amplify").list_apps()["apps"]
        envs = emu.client("amplify").list_backend_environments(appId=apps[0]["appId"])
    assert len(apps) == 3
    assert sorted(e["environmentName"] for e in envs["backendEnvironments"]) == [
        "dev",
        "prod",
        "staging",
    ]
    with pytest.raises(UsageError, match="--demo-fleet: a number of apps"):
        build_parser().parse_args(["emulator", "--demo-fleet", "many"])


def test_audit_writes_every_format_and_never_a_secret(fleet_emulator, tmp_path, monkeypatch):
    emu, seeded = fleet_emulator
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "emulator")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "emulator-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    code, out, _ = run(emu, "audit")
    assert code == 0 and "d0000fleet" in out and "finding_codes" in out
    code, out, _ = run(emu, "audit", "--output", "json")
    rows = json.loads(out)
    assert len(rows) == len(seeded) + 1 and "UserPoolConfigs.Mfa.MFAMode" in rows[0]
    assert "demo-google-secret" not in out and "<redacted>" in out
    for fmt in ("csv", "parquet"):
        path = tmp_path / f"audit.{fmt}"
        code, out, _ = run(emu, "audit", "--output", fmt, str(path), "--apps", "d9social")
        assert code == 0 and out == "" and path.exists()
        assert b"demo-google-secret" not in path.read_bytes()
    frame = pd.read_parquet(tmp_path / "audit.parquet")
    assert frame["app_id"].tolist() == ["d9social"]
    code, _, err = run(emu, "audit", "--output", "parquet")
    assert code == 252 and "needs a FILE" in err
    code, _, err = run(emu, "audit", "--output", "xml")
    assert code == 252 and "FORMAT [FILE]" in err
    code, _, err = run(emu, "audit", "--concurrency", "0")
    assert code == 252 and "--concurrency" in err


def test_apply_from_a_csv_then_again_skips_what_is_done(fleet_emulator, tmp_path, monkeypatch):
    emu, _ = fleet_emulator
    sign_as_emulator(monkeypatch)
    template = tmp_path / "template.json"
    template.write_text(
        json.dumps({"ResourceName": "fleetauth", "ResourceConfig": fleet_config(1, "x", None)})
    )
    targets = tmp_path / "targets.csv"
    pd.DataFrame(
        {
            "app_id": ["d0000fleet", "d0000fleet", "d0001fleet"],
            "environment": ["dev", "prod", "dev"],
            "UserPoolConfigs.PasswordPolicy.MinimumLength": ["16", "", "16"],
        }
    ).to_csv(targets, index=False)
    common = ("apply", "--template", str(template), "--targets", str(targets), "--mode", "update")
    code, out, _ = run(emu, *common, "--dry-run", "--output", "json")
    dry = json.loads(out)
    # (prod, without an override, already has what the template sets: nothing to send)
    assert code == 0 and [r["status"] for r in dry] == ["DRY_RUN", "UNCHANGED", "DRY_RUN"]
    assert any("MinimumLength" in line and "16" in line for line in dry[0]["diff"])
    code, out, _ = run(emu, *common, "--output", "csv")
    assert code == 0, out
    results = pd.read_csv(io.StringIO(out))
    assert results["status"].tolist() == ["COMPLETED", "UNCHANGED", "COMPLETED"]
    code, out, _ = run(emu, *common, "--output", "csv")  # the same again: nothing to send
    assert code == 0 and pd.read_csv(io.StringIO(out))["status"].tolist() == ["UNCHANGED"] * 3
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "app_id,environment,UserPoolConfigs.PasswordPolicy.MinimumLength\nd0002fleet,dev,3\n"
    )
    code, out, _ = run(
        emu,
        "apply",
        "--template",
        str(template),
        "--targets",
        str(bad),
        "--mode",
        "update",
        "--output",
        "json",
    )
    assert code == 252 and json.loads(out)[0]["status"] == "INVALID"
    code, _, err = run(emu, "apply", "--template", str(template), "--targets", "nope.csv")
    assert code == 252 and "no such file" in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("app,env\nd1,dev\n")
    code, _, err = run(emu, "apply", "--template", str(template), "--targets", str(wrong))
    assert code == 252 and "app_id and environment" in err


@pytest.mark.separate_process
def test_fleet_audit_as_a_real_process(fleet_emulator, tmp_path):
    emu, seeded = fleet_emulator
    out = tmp_path / "audit.csv"
    done = subprocess.run(
        [
            str(BIN / "amplify-auth"),
            "fleet",
            "audit",
            "--output",
            "csv",
            str(out),
            "--endpoint-url",
            emu.url,
        ],
        capture_output=True,
        text=True,
        env=aws_env(emu.url),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # progress on stderr: not a terminal, so whole lines (the first and the last), no "\r"
    progress = [line for line in done.stderr.splitlines() if line.startswith("fleet audit: ")]
    total = len(seeded) + 1  # (every row is an environment read)
    assert progress[0].startswith(f"fleet audit: 0/{total} (0%) ["), done.stderr
    assert progress[-1].startswith(f"fleet audit: {total}/{total} (100%) ["), done.stderr
    assert len(progress) <= 12
    assert "\r" not in done.stderr
    frame = pd.read_csv(out)
    assert len(frame) == len(seeded) + 1
