"""`amplify-auth fleet plan` against the emulator over HTTP: the plan in every format, its
exit status (1 when an environment is blocked), and names from the service kept inert."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest
from conftest import BIN, aws_env, sign_as_emulator

from amplify_auth_widgets.cli.entry import build_parser, main
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import STRONG

HOSTILE_NAME = '=HYPERLINK("http://x")\x1b[31m'


@pytest.fixture(scope="module")
def demo():
    with Emulator(job_seconds=0, seed=7, demo=True) as emu:
        store, now = emu.backend.store, emu.clock()
        store.put_app("d8hostile", HOSTILE_NAME, {}, now)
        store.put_environment("d8hostile", "prod", {}, now)
        store.put_auth("d8hostile", "prod", "hostileauth", STRONG, now)
        yield emu


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    sign_as_emulator(monkeypatch)


def run(emu, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["fleet", "plan", *argv, "--endpoint-url", emu.url, "--no-progress"], out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_table_shows_each_verdict_its_reasons_and_the_counts(demo):
    code, out, _ = run(demo)
    assert code == 1  # the demo has environments without auth: blocked
    table, reasons = out.split("\n\n", 1)
    assert table.splitlines()[0].split() == [
        "app_id",
        "app_name",
        "environment",
        "way",
        "verdict",
        "secrets",
    ]
    assert "todo-web / prod: ready (keep)" in reasons
    assert "todo-web / dev: ready with overrides (recreate)" in reasons
    assert "shop-mobile / staging: needs a decision (keep)" in reasons
    assert "  - no auth: the environment has no auth resource" in reasons
    assert "ready: 2 · ready with overrides: 2 · needs a decision: 1 · blocked: 2" in reasons
    # a name from the service cannot recolour the terminal: its escape is written out
    assert "\x1b" not in out and "\\x1b[31m" in out
    assert "demo-google-secret" not in out


def test_json_and_csv_hold_every_column_lists_as_lists(demo, tmp_path):
    code, out, _ = run(demo, "--output", "json")
    rows = {(r["app_id"], r["environment"]): r for r in json.loads(out)}
    assert code == 1 and len(rows) == 7
    ready = rows[("d1demotodo", "prod")]
    assert ready["way"] == "keep" and ready["verdict"] == "ready"
    assert ready["user_pool_id"].startswith("us-east-1_") and isinstance(ready["reasons"], list)
    assert rows[("d4demonew", "dev")]["way"] is None
    path = tmp_path / "plan.csv"
    code, out, _ = run(demo, "--output", "csv", str(path))
    assert code == 1 and out == ""
    frame = pd.read_csv(path, keep_default_na=False)
    hostile = frame[frame["app_id"] == "d8hostile"].iloc[0]
    assert hostile["app_name"].startswith("'=HYPERLINK")  # csvsafe: text, not a formula
    assert json.loads(frame.loc[frame["app_id"] == "d1demotodo", "reasons"].iloc[0])
    assert b"demo-google-secret" not in path.read_bytes()


def test_exit_0_when_no_environment_is_blocked_and_the_help_says_so(demo, capsys):
    code, out, _ = run(demo, "--apps", "todo-web", "--output", "json")
    assert code == 0 and {r["verdict"] for r in json.loads(out)} == {
        "ready",
        "ready with overrides",
    }
    code, _, err = run(demo, "--output", "xml")
    assert code == 252 and "FORMAT [FILE]" in err
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["fleet", "plan", "--help"])
    assert stopped.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit status: 0 when no environment is blocked, 1 when one or more are" in text


@pytest.mark.separate_process
def test_fleet_plan_as_a_real_process(demo):
    done = subprocess.run(
        [
            str(BIN / "amplify-auth"),
            "fleet",
            "plan",
            "--output",
            "json",
            "--endpoint-url",
            demo.url,
        ],
        capture_output=True,
        text=True,
        env=aws_env(demo.url),
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    # progress on stderr, as whole lines (not a terminal): the start and the end
    assert "\nfleet plan: 0/" in "\n" + done.stderr, done.stderr
    assert "(100%) [" in done.stderr and "\r" not in done.stderr
    assert {r["verdict"] for r in json.loads(done.stdout)} == {
        "ready",
        "ready with overrides",
        "needs a decision",
        "blocked",
    }
