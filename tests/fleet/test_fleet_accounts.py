"""The fleet over several accounts and regions, on the emulator's demo fleet of 2 accounts x 2
regions: one audit frame with where each row is, an apply that sends each target through the
connection of its account and region (and refuses a target none reaches), a role profile's
account, and the messages refusing what is not a list of connections."""

from __future__ import annotations

import pandas as pd
import pytest

from amplify_auth_widgets import Connection
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.demo import (
    FLEET_PAIRS,
    FLEET_REGIONS,
    fleet_config,
    seed_fleet_pairs,
)
from amplify_auth_widgets.emulator.store import scoped
from amplify_auth_widgets.fleet import apply, audit
from amplify_auth_widgets.fleet.accounts import connection_list

OTHER = "210987654321"


def with_length(length: int) -> dict:
    """An update of every fleet environment: the fleet's strong configuration, a password of
    ``length`` at least."""
    config = fleet_config(0, "fixed", None)
    config["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = length
    return {"ResourceName": "fleetauth", "ResourceConfig": config}


@pytest.fixture
def fleet_2x2(tmp_path):
    with Emulator(job_seconds=0, regions=FLEET_REGIONS, db=str(tmp_path / "s.sqlite3")) as emu:
        emu.seeded = seed_fleet_pairs(emu.backend, 2)
        yield emu


def test_one_audit_frame_says_where_each_environment_is(fleet_2x2):
    frame = audit(fleet_2x2.connections(), progress=False)
    assert len(frame) == 4 * 2 * 3 and frame["error"].isna().all()
    where = ("account_id", "region", "app_id", "environment")
    found = set(frame[list(where)].itertuples(index=False, name=None))
    assert found == set(fleet_2x2.seeded)
    assert {(a, r) for a, r, _, _ in found} == set(FLEET_PAIRS)
    for row in frame.to_dict("records"):  # the deployed ids are of the row's pair
        assert row["user_pool_id"].startswith(row["region"] + "_")
        assert f":{row['account_id']}:userpool/" in row["user_pool_arn"]
    assert str(frame["account_id"].dtype) == str(frame["region"].dtype) == "string"


def test_a_connection_that_fails_is_a_row_and_the_others_go_on(fleet_2x2):
    unserved = fleet_2x2.connection(region="ap-south-1")
    frame = audit([fleet_2x2.connection(), unserved], progress=False)
    failed = frame[frame["error"].notna()]
    assert len(failed) == 1 and failed["region"].tolist() == ["ap-south-1"]
    assert "scoped to a valid region" in failed["error"].iloc[0]
    assert failed["app_id"].isna().all()
    assert len(frame) - 1 == 2 * 3  # the first pair's environments
    with pytest.raises(Exception, match="scoped to a valid region"):
        audit(unserved, progress=False)  # alone, its error is raised as before


def test_apply_sends_each_target_through_its_pair(fleet_2x2):
    frame = audit(fleet_2x2.connections(), progress=False)
    chosen = frame[frame["environment"] == "dev"][["account_id", "region", "app_id", "environment"]]
    chosen = chosen.iloc[::-1]  # any order: the results keep it
    template = with_length(16)
    results = apply(
        template, chosen, mode="update", connection=fleet_2x2.connections(), progress=False
    )
    assert results["app_id"].tolist() == chosen["app_id"].tolist()
    assert results["account_id"].tolist() == chosen["account_id"].tolist()
    assert results["region"].tolist() == chosen["region"].tolist()
    assert set(results["status"]) == {"COMPLETED"}, results[["app_id", "status", "error"]]
    for account, region, app_id, _ in chosen.itertuples(index=False):
        with scoped(account, region):
            config = fleet_2x2.store.auth(app_id, "dev")
        assert '"MinimumLength": 16' in config["config"]
    again = apply(
        template, chosen, mode="update", connection=fleet_2x2.connections(), progress=False
    )
    assert set(again["status"]) == {"UNCHANGED"}  # decided in each pair by what it has


def test_a_target_no_connection_reaches_is_refused_not_sent(fleet_2x2):
    home = fleet_2x2.connection()
    targets = pd.DataFrame(
        {
            "account_id": ["123456789012", OTHER, None],
            "region": ["us-east-1", "us-east-1", None],
            "app_id": ["d0000fleet", "d0000fleetc", "d0001fleet"],
            "environment": ["dev", "dev", "dev"],
        }
    )
    template = with_length(15)
    results = apply(template, targets, mode="update", connection=[home], progress=False)
    statuses = dict(zip(results["app_id"], results["status"], strict=True))
    assert statuses == {
        "d0000fleet": "COMPLETED",
        "d0000fleetc": "INVALID",
        "d0001fleet": "COMPLETED",
    }
    refused = results[results["status"] == "INVALID"]["error"].iloc[0]
    assert refused.startswith(f"no connection reaches account {OTHER}, region us-east-1")
    assert "(the connections reach 123456789012/us-east-1)" in refused
    with scoped(OTHER, "us-east-1"):
        assert '"MinimumLength": 15' not in fleet_2x2.store.auth("d0000fleetc", "dev")["config"]
    # with several connections, a target must say which
    results = apply(
        template,
        targets[["app_id", "environment"]],
        mode="update",
        connection=fleet_2x2.connections(),
        dry_run=True,
        progress=False,
    )
    assert set(results["status"]) == {"INVALID"}
    assert results["error"].str.contains("names no account_id and region").all()


def test_an_audit_through_a_role_profile_is_in_the_role_account(fleet_2x2, tmp_path, monkeypatch):
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text(
        "[profile base]\nregion = us-east-1\n\n[profile eu-deployer]\n"
        f"role_arn = arn:aws:iam::{OTHER}:role/deployer\nsource_profile = base\n"
        "region = eu-west-1\n"
    )
    credentials.write_text("[base]\naws_access_key_id = emulator\naws_secret_access_key = x\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    connections = [
        Connection(profile="base", endpoint_url=fleet_2x2.url),
        Connection(profile="eu-deployer", endpoint_url=fleet_2x2.url),
    ]
    frame = audit(connections, progress=False)
    pairs = set(zip(frame["account_id"], frame["region"], strict=True))
    assert pairs == {("123456789012", "us-east-1"), (OTHER, "eu-west-1")}
    assert len(frame) == 2 * 2 * 3


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ("default", TypeError, "a profile name goes in Connection(profile=...)"),
        ([], ValueError, "give one Connection at least"),
        ([Connection(), "prod"], TypeError, "connection 2 is a str, not a Connection"),
    ],
)
def test_what_is_not_a_list_of_connections_is_refused(given, error, message):
    with pytest.raises(error) as raised:
        connection_list(given)
    assert message in str(raised.value)


def test_a_connection_whose_account_cannot_be_told_is_said_so(fleet_2x2):
    gone = Connection.for_emulator("http://127.0.0.1:1", max_attempts=1)
    frame = audit([fleet_2x2.connection(), gone], progress=False)
    (failed,) = frame[frame["error"].notna()].to_dict("records")
    assert pd.isna(failed["account_id"]) and failed["region"] == "us-east-1"
    assert failed["error"].startswith("ListApps: ConnectionError: could not connect")
    targets = pd.DataFrame(
        {
            "account_id": [OTHER],
            "region": ["us-east-1"],
            "app_id": ["d0000fleetc"],
            "environment": ["dev"],
        }
    )
    results = apply(with_length(15), targets, connection=[gone], dry_run=True, progress=False)
    (row,) = results.to_dict("records")
    assert row["status"] == "INVALID" and "(the connections reach ?/us-east-1)" in row["error"]
    assert "Cannot tell which account the connection" in row["error"]
