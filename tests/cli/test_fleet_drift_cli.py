"""`amplify-auth fleet audit --save` and `fleet drift`: saved audits in the history file and
what changed between them, as cron would run them, against the emulator's demo apps."""

from __future__ import annotations

import copy
import io
import json

import pytest
from conftest import profiles_of_two_accounts

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import SOCIAL, STRONG
from amplify_auth_widgets.jobs.history import JobHistory

ROTATED = "rotated-google-secret-77"


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "history.sqlite3"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "emulator")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "emulator-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with Emulator(demo=True, job_seconds=0, db=str(tmp_path / "state.sqlite3"), seed=4) as emu:
        yield emu


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["fleet", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def audit(emu, *argv):
    return run("audit", "--endpoint-url", emu.url, "--no-progress", *argv)


def change_fleet(emu):
    config = copy.deepcopy(STRONG)
    config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 8
    emu.store.put_auth("d1demotodo", "prod", "todowebauth", config, emu.clock())
    social = copy.deepcopy(SOCIAL)
    social["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"]["ClientSecret"] = ROTATED
    emu.store.put_auth("d2demoshop", "staging", "shopmobileauth", social, emu.clock())


def test_audit_save_then_drift_prints_only_what_changed(demo, tmp_path):
    code, out, err = audit(demo, "--save", "--output", "csv", str(tmp_path / "a.csv"))
    assert code == 0 and out == ""
    assert err.startswith("fleet audit: saved as audit 1 of ")
    assert str(tmp_path / "history.sqlite3") in err and "`amplify-auth fleet drift`" in err
    code, out, err = run("drift")
    assert (code, out) == (0, "")  # nothing to compare yet: stdout stays empty (cron mails none)
    assert err == "fleet drift: no change between the saved audits compared\n"

    change_fleet(demo)
    code, _, err = audit(demo, "--save", "--output", "csv", str(tmp_path / "b.csv"))
    assert code == 0 and "saved as audit 2 " in err
    code, out, err = run("drift", "--output", "json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert [(r["app_id"], r["environment"], r["field"], r["before"], r["after"]) for r in rows] == [
        ("d1demotodo", "prod", "UserPoolConfigs.PasswordPolicy.MinimumLength", 12, 8),
        (
            "d2demoshop",
            "staging",
            "UserPoolConfigs.OAuth.SocialProviderSettings.Google.ClientSecret",
            "<redacted>",
            "changed",
        ),
    ]
    assert ROTATED not in out and all(r["when"].endswith("Z") for r in rows)
    code, out, _ = run("drift", "--since", "1h", "--fail-on-change")
    assert code == 1 and "MinimumLength" in out and "12" in out and ROTATED not in out
    code, out, _ = run("drift", "--output", "csv", "--fail-on-change", "--since", "2000-01-01")
    assert code == 1 and out.splitlines()[0] == (
        "account_id,region,app_id,app_name,environment,field,before,after,when"
    )
    code, out, err = run("drift", "--until", "2000-01-01", "--fail-on-change")
    assert (code, out) == (0, "") and "no change" in err  # (no audit before 2000)


def test_an_audit_without_save_keeps_nothing(demo, tmp_path):
    code, _, err = audit(demo, "--output", "csv", str(tmp_path / "a.csv"))
    assert code == 0 and "saved" not in err
    with JobHistory(tmp_path / "history.sqlite3") as history:
        from amplify_auth_widgets.fleet.timeline import saved_audits

        assert saved_audits(history).empty


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--since", "last week"], "fleet drift --since: 'last week' is not a time: give an ISO"),
        (["--until", "tomorrow"], "fleet drift --until: 'tomorrow' is not a time"),
        (["--output", "parquet", "x.parquet"], "--output: fleet drift writes table, csv, json"),
        (["--output", "xml"], "--output: FORMAT [FILE] with FORMAT one of"),
    ],
)
def test_drift_refuses_what_it_cannot_read_with_the_fix(argv, message):
    code, out, err = run("drift", *argv)
    assert code == 252 and out == "" and message in err and "Traceback" not in err


def test_a_saved_audit_of_two_accounts_and_two_regions_then_its_drift(tmp_path, monkeypatch):
    """--profile and --region more than once: one saved audit a connection, named on stderr,
    and the drift of each account and region with where it is."""
    from amplify_auth_widgets.emulator.demo import FLEET_REGIONS, seed_fleet_pairs
    from amplify_auth_widgets.emulator.store import scoped

    other = "210987654321"
    profiles_of_two_accounts(tmp_path, monkeypatch, other)
    monkeypatch.setenv("AMPLIFY_AUTH_HISTORY", str(tmp_path / "history.sqlite3"))
    accounts = {f"emulator-{other}": other}
    everywhere = ("--profile", "home", "--profile", "other")
    everywhere += ("--region", "us-east-1", "--region", "eu-west-1")
    with Emulator(job_seconds=0, regions=FLEET_REGIONS, accounts=accounts) as emu:
        seeded = seed_fleet_pairs(emu.backend, 1)
        code, _, err = audit(emu, "--save", *everywhere, "--output", "csv", str(tmp_path / "a"))
        assert code == 0 and "fleet audit: saved as audits 1, 2, 3, 4 of " in err
        account, region, app_id, env = next(k for k in seeded if k[:2] == (other, "eu-west-1"))
        with scoped(account, region):
            emu.store.delete_environment(app_id, env)
        code, _, err = audit(emu, "--save", *everywhere, "--output", "csv", str(tmp_path / "b"))
        assert code == 0 and "saved as audits 5, 6, 7, 8 of " in err
    code, out, _ = run("drift", "--output", "json")
    assert [
        (r["account_id"], r["region"], r["app_id"], r["environment"], r["field"], r["after"])
        for r in json.loads(out)
    ] == [(other, "eu-west-1", app_id, env, "(environment)", "absent")]
