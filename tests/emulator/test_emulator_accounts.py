"""Several accounts and regions in one emulator, and the STS calls that role profiles make.

An access key belongs to an account (configurable), the region is the one the request is signed
for, and each (account, region) pair holds its own apps: listed, read and changed there only,
with ARNs and deployed ids naming that pair. STS answers GetCallerIdentity and AssumeRole in
the query protocol, so boto3's own STS client and a ``role_arn`` profile work offline; a state
file written before pairs existed opens with its apps in the default pair.
"""

from __future__ import annotations

import json
import sqlite3
from xml.etree import ElementTree

import pytest
from botocore.exceptions import ClientError
from conftest import FakeClock, sign_by

from amplify_auth_widgets import Connection
from amplify_auth_widgets.emulator import Emulator, parse_regions
from amplify_auth_widgets.emulator.demo import (
    FLEET_PAIRS,
    FLEET_REGIONS,
    STRONG,
    seed_fleet_pairs,
)
from amplify_auth_widgets.emulator.store import scoped

OTHER = "210987654321"
DEFAULT = "123456789012"


@pytest.fixture
def pairs(tmp_path):
    with Emulator(
        job_seconds=0,
        regions=FLEET_REGIONS,
        accounts={"AKIDOTHER": OTHER},
        db=str(tmp_path / "state.sqlite3"),
    ) as emu:
        yield emu


def app_names(connection: Connection) -> list[str]:
    return [a["name"] for a in connection.client("amplify").list_apps()["apps"]]


def test_each_account_and_region_pair_holds_its_own_apps(pairs):
    home = pairs.create_app("home", ("dev",))
    abroad = pairs.create_app("abroad", ("dev",), region="eu-west-1")
    other = pairs.create_app("other", ("dev",), account=OTHER)
    assert app_names(pairs.connection()) == ["home"]
    assert app_names(pairs.connection(region="eu-west-1")) == ["abroad"]
    assert app_names(pairs.connection(access_key_id="AKIDOTHER")) == ["other"]
    assert app_names(pairs.connection(account=OTHER, region="eu-west-1")) == []
    # an id of another pair is not found here, read or written
    backend = pairs.connection().client()
    for app_id in (abroad, other):
        with pytest.raises(backend.exceptions.NotFoundException):
            backend.get_backend(AppId=app_id)
        with pytest.raises(backend.exceptions.BadRequestException) as refused:
            backend.create_backend(AppId=app_id, AppName="hijack", BackendEnvironmentName="x")
        assert refused.value.response["Error"]["Message"] == (
            f"App id {app_id} is taken by an app of another account or region; choose another id."
        )
    app = pairs.connection(region="eu-west-1").client("amplify").get_app(appId=abroad)["app"]
    assert app["appArn"] == f"arn:aws:amplify:eu-west-1:{DEFAULT}:apps/{abroad}"
    app = pairs.connection(account=OTHER).client("amplify").get_app(appId=other)["app"]
    assert app["appArn"] == f"arn:aws:amplify:us-east-1:{OTHER}:apps/{other}"
    assert home not in (abroad, other)


def test_deployed_ids_name_the_pair_of_their_app(pairs):
    connection = pairs.connection(account=OTHER, region="eu-west-1")
    client = connection.client()
    client.create_backend(AppId="dabroad", AppName="abroad", BackendEnvironmentName="prod")
    client.create_backend_auth(
        AppId="dabroad",
        BackendEnvironmentName="prod",
        ResourceName="abroadauth",
        ResourceConfig=STRONG,
    )
    meta = json.loads(
        client.get_backend(AppId="dabroad", BackendEnvironmentName="prod")["AmplifyMetaConfig"]
    )
    output = meta["auth"]["abroadauth"]["output"]
    assert output["UserPoolId"].startswith("eu-west-1_")
    assert output["UserPoolArn"].startswith(f"arn:aws:cognito-idp:eu-west-1:{OTHER}:userpool/")
    assert output["IdentityPoolId"].startswith("eu-west-1:")
    providers = meta["providers"]["awscloudformation"]
    assert providers["Region"] == "eu-west-1"
    assert providers["AuthRoleArn"].startswith(f"arn:aws:iam::{OTHER}:role/")
    assert app_names(pairs.connection()) == []  # made in its pair only


def test_a_region_not_served_is_refused_with_how_to_serve_it(pairs, emulator):
    client = emulator.connection(region="eu-west-1").client()
    with pytest.raises(ClientError, match="scoped to a valid region") as raised:
        client.get_backend(AppId="dnothing")
    assert "--region eu-west-1" in str(raised.value)
    assert app_names(pairs.connection(region="eu-west-1")) == []  # served: empty, not refused
    client = pairs.connection(region="ap-south-1").client("amplify")
    with pytest.raises(ClientError, match="This emulator serves us-east-1, eu-west-1"):
        client.list_apps()


@pytest.mark.parametrize("bad", ["eu_west_1", "", "US-EAST-1", "us-east", "us-east-\u0661"])
def test_region_names_are_checked(bad):
    with pytest.raises(ValueError, match="is not a region name"):
        parse_regions([bad])
    assert parse_regions(["eu-west-1", "eu-west-1", "us-east-1"]) == ("eu-west-1", "us-east-1")
    assert parse_regions("eu-west-1") == ("eu-west-1",)  # one name given alone, not its letters


def test_no_region_is_refused_with_one_to_serve():
    with pytest.raises(ValueError) as refused:
        parse_regions([])
    assert str(refused.value) == "regions: serve one region at least (e.g. us-east-1)"


def test_accounts_must_be_twelve_digits():
    with pytest.raises(ValueError, match="12-digit account id"):
        Emulator(accounts={"AKID": "1234"})


def test_get_caller_identity_names_the_account_of_the_key(pairs):
    sts = pairs.connection(access_key_id="AKIDOTHER").client("sts")
    identity = sts.get_caller_identity()
    assert identity["Account"] == OTHER
    assert identity["Arn"] == f"arn:aws:iam::{OTHER}:user/emulator"
    assert pairs.connection().client("sts").get_caller_identity()["Account"] == DEFAULT


def test_an_assumed_role_works_in_the_role_account(pairs):
    pairs.create_app("theirs", ("dev",), account=OTHER, region="eu-west-1")
    sts = pairs.connection().client("sts")
    role = f"arn:aws:iam::{OTHER}:role/platform/auditor"
    answer = sts.assume_role(RoleArn=role, RoleSessionName="audit-1", DurationSeconds=900)
    credentials = answer["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA") and len(credentials["SessionToken"]) > 50
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{OTHER}:assumed-role/auditor/audit-1"
    import boto3

    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="eu-west-1",
    )
    assumed = session.client("sts", endpoint_url=pairs.url).get_caller_identity()
    assert assumed["Account"] == OTHER and assumed["Arn"].endswith("assumed-role/auditor/audit-1")
    apps = session.client("amplify", endpoint_url=pairs.url).list_apps()["apps"]
    assert [a["name"] for a in apps] == ["theirs"]
    # without its session token, temporary credentials are refused
    bare = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        region_name="eu-west-1",
    ).client("amplify", endpoint_url=pairs.url)
    with pytest.raises(ClientError, match="security token included in the request is invalid"):
        bare.list_apps()


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"RoleArn": "arn:aws:iam::12:role/x", "RoleSessionName": "s1"}, "is not a role ARN"),
        (
            {"RoleArn": f"arn:aws:iam::{OTHER}:role/x", "RoleSessionName": "a b"},
            "may hold only ASCII letters",
        ),
    ],
)
def test_assume_role_refuses_what_sts_refuses(pairs, arguments, expected):
    sts = pairs.connection().client("sts")
    with pytest.raises(ClientError, match=expected) as raised:
        sts.assume_role(**arguments)
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("DurationSeconds=60", "DurationSeconds takes from 900 to 43200; it has 60."),
        ("Colour=red", "Colour: unknown parameter of AssumeRole."),
        ("DurationSeconds=ten", "DurationSeconds: 'ten' is not a number."),
        ("RoleSessionName=again", "The parameter 'RoleSessionName' is given twice."),
    ],
)
def test_sts_reads_the_form_by_the_model(pairs, form, expected):
    from conftest import signed

    body = (
        "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1"
        f"&RoleArn=arn%3Aaws%3Aiam%3A%3A{OTHER}%3Arole%2Fx&{form}"
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    status, answer_headers, payload = signed(pairs.url, "POST", "/", body, headers, "sts")
    assert status == 400 and answer_headers["content-type"].startswith("text/xml")
    error = ElementTree.fromstring(payload).find("{*}Error")
    assert error is not None and error.findtext("{*}Type") == "Sender"
    assert expected in (error.findtext("{*}Message") or "")


def test_an_sts_operation_not_emulated_says_what_is(pairs):
    sts = pairs.connection().client("sts")
    with pytest.raises(ClientError, match="GetCallerIdentity, AssumeRole"):
        sts.get_session_token()


def test_strict_mode_verifies_temporary_credentials_until_they_expire(monkeypatch):
    clock = FakeClock()
    sign_by(clock, monkeypatch)
    with Emulator(strict_auth="AKIDTEST:s3cret", clock=clock, regions=FLEET_REGIONS) as emu:
        base = emu.connection(access_key_id="AKIDTEST", secret_access_key="s3cret")
        answer = base.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{OTHER}:role/deployer", RoleSessionName="ci"
        )["Credentials"]
        import boto3

        def amplify(secret: str):
            return boto3.Session(
                aws_access_key_id=answer["AccessKeyId"],
                aws_secret_access_key=secret,
                aws_session_token=answer["SessionToken"],
                region_name="us-east-1",
            ).client("amplify", endpoint_url=emu.url)

        assert amplify(answer["SecretAccessKey"]).list_apps()["apps"] == []
        with pytest.raises(ClientError, match="signature does not match"):
            amplify("not-the-secret").list_apps()
        clock.advance(3600)  # the default hour has passed
        with pytest.raises(ClientError, match="expired") as raised:
            amplify(answer["SecretAccessKey"]).list_apps()
        assert raised.value.response["Error"]["Code"] == "ExpiredTokenException"
        with pytest.raises(ClientError, match="signature does not match"):
            emu.connection(access_key_id="AKIDTEST", secret_access_key="x").client(
                "sts"
            ).get_caller_identity()


def write_role_profile(tmp_path, monkeypatch, url: str | None) -> None:
    """An AWS config whose ``deployer`` profile assumes a role of the other account from the
    ``base`` profile's keys, as a platform team's does."""
    config = tmp_path / "config"
    lines = [
        "[profile base]",
        "region = us-east-1",
        "",
        "[profile deployer]",
        f"role_arn = arn:aws:iam::{OTHER}:role/fleet-deployer",
        "source_profile = base",
        "role_session_name = fleet",
        "region = eu-west-1",
    ]
    config.write_text("\n".join(lines) + "\n")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[base]\naws_access_key_id = emulator\naws_secret_access_key = emulator-secret\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    if url:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)


def test_a_role_profile_assumes_its_role_through_the_emulator(pairs, tmp_path, monkeypatch):
    pairs.create_app("deployed-there", ("prod",), account=OTHER, region="eu-west-1")
    pairs.create_app("mine", ("prod",))
    write_role_profile(tmp_path, monkeypatch, pairs.url)
    connection = Connection(profile="deployer")
    assert app_names(connection) == ["deployed-there"]
    identity = connection.client("sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::{OTHER}:assumed-role/fleet-deployer/fleet"
    assert app_names(Connection(profile="base")) == ["mine"]


def test_a_role_profile_reaches_sts_at_the_connection_endpoint(pairs, tmp_path, monkeypatch):
    pairs.create_app("deployed-there", ("prod",), account=OTHER, region="eu-west-1")
    write_role_profile(tmp_path, monkeypatch, None)  # no AWS_ENDPOINT_URL this time
    connection = Connection(profile="deployer", endpoint_url=pairs.url)
    assert app_names(connection) == ["deployed-there"]


def test_the_demo_fleet_spans_two_accounts_by_two_regions(pairs):
    seeded = seed_fleet_pairs(pairs.backend, 2)
    assert {(a, r) for a, r, _, _ in seeded} == set(FLEET_PAIRS) and len(FLEET_PAIRS) == 4
    assert len(seeded) == 4 * 2 * 3
    connections = pairs.connections()
    assert [(c.access_key_id, c.region) for c in connections] == [
        ("emulator", "eu-west-1"),
        ("emulator", "us-east-1"),
        ("AKIDOTHER", "eu-west-1"),  # the key the emulator maps to the account
        ("AKIDOTHER", "us-east-1"),
    ]
    for connection in connections:
        apps = connection.client("amplify").list_apps()["apps"]
        account = connection.client("sts").get_caller_identity()["Account"]
        expected = sorted(
            {app for a, r, app, _ in seeded if (a, r) == (account, connection.region)}
        )
        assert sorted(a["appId"] for a in apps) == expected and len(expected) == 2
    assert seed_fleet_pairs(pairs.backend, 2) == seeded  # idempotent, the same answer


def test_a_state_file_from_before_pairs_opens_with_its_apps_in_the_default_pair(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE apps (app_id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL, "
        "create_time REAL NOT NULL, update_time REAL NOT NULL);"
        "INSERT INTO apps VALUES ('dold', 'old-app', '{}', 0, 0);"
    )
    old.commit()
    old.close()
    path.chmod(0o600)
    with Emulator(db=str(path), regions=FLEET_REGIONS) as emu:
        assert app_names(emu.connection()) == ["old-app"]
        assert app_names(emu.connection(region="eu-west-1")) == []
        with scoped(OTHER, "us-east-1"):
            assert emu.store.app("dold") is None
        assert emu.store.scope_of("dold") == (DEFAULT, "us-east-1")


def test_an_app_id_another_account_or_region_holds_is_refused_and_kept(tmp_path):
    with Emulator(db=str(tmp_path / "s.db"), regions=FLEET_REGIONS) as emu:
        emu.store.put_app("dtaken", "mine", {}, 0.0)
        for account, region in ((OTHER, "us-east-1"), (DEFAULT, "eu-west-1")):
            with scoped(account, region), pytest.raises(ValueError) as refused:
                emu.store.put_app("dtaken", "theirs", {}, 1.0)
            assert str(refused.value) == "app id dtaken is taken in another account or region"
        emu.store.put_app("dtaken", "renamed", {}, 2.0)  # its own scope may update it
        assert emu.store.app("dtaken")["name"] == "renamed"
        assert emu.store.scope_of("dtaken") == (DEFAULT, "us-east-1")
