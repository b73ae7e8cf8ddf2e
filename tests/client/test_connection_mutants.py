"""Connections as a person meets them: the settings shown (never a credential), the names of
the environment's variables honoured, the session and client built from each setting, STS sent
to the connection's endpoint, and every configuration mistake one message saying what to do."""

from __future__ import annotations

import pytest
from conftest import LocalServer, QuietHandler, serving

from amplify_auth_widgets import ConfigurationError, Connection
from amplify_auth_widgets.client.connection import (
    EMULATOR_ACCESS_KEY,
    EMULATOR_REGION,
    EMULATOR_SECRET_KEY,
)
from amplify_auth_widgets.emulator import Emulator

URL = "http://127.0.0.1:1"


def test_the_settings_shown_are_the_defaults_when_nothing_is_set():
    assert Connection().describe() == {
        "profile": "default",
        "region": None,
        "endpoint_url": None,
        "verify": None,
        "unsigned": False,
    }
    assert Connection().label() == "profile default, region default"


def test_the_settings_shown_come_from_the_environment_where_not_given(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "ops")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:2")
    assert Connection().describe() == {
        "profile": "ops",
        "region": "eu-west-3",
        "endpoint_url": "http://127.0.0.1:2",
        "verify": None,
        "unsigned": False,
    }
    assert Connection().label() == "profile ops, region eu-west-3"
    # the service's own endpoint variable comes before the general one
    monkeypatch.setenv("AWS_ENDPOINT_URL_AMPLIFYBACKEND", "http://127.0.0.1:3")
    assert Connection().describe()["endpoint_url"] == "http://127.0.0.1:3"
    # and what is given comes before both
    given = Connection(profile="p", region="r", endpoint_url=URL, verify="/ca.pem", unsigned=True)
    assert given.describe() == {
        "profile": "p",
        "region": "r",
        "endpoint_url": URL,
        "verify": "/ca.pem",
        "unsigned": True,
    }
    assert given.label() == "profile p, region r"


def test_the_emulator_s_settings_and_changes_to_them():
    connection = Connection.for_emulator(URL, region="eu-west-1")
    assert (connection.endpoint_url, connection.region) == (URL, "eu-west-1")
    assert (connection.access_key_id, connection.secret_access_key) == (
        EMULATOR_ACCESS_KEY,
        EMULATOR_SECRET_KEY,
    )
    changed = connection.with_changes(region=EMULATOR_REGION, read_timeout=3)
    assert (changed.region, changed.read_timeout, changed.endpoint_url) == (
        EMULATOR_REGION,
        3,
        URL,
    )
    assert connection.region == "eu-west-1"  # the first is left as it was
    assert changed.with_changes() == changed


def test_the_session_carries_the_region_and_the_credentials_given():
    session = Connection.for_emulator(URL).session()
    assert session.region_name == EMULATOR_REGION
    credentials = session.get_credentials()
    assert credentials is not None
    assert (credentials.access_key, credentials.secret_key) == (
        EMULATOR_ACCESS_KEY,
        EMULATOR_SECRET_KEY,
    )


def test_the_session_carries_the_profile_given(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[profile emu]\nregion = ap-south-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    session = Connection(profile="emu").session()
    assert (session.profile_name, session.region_name) == ("emu", "ap-south-1")


def test_sts_goes_to_the_connection_s_endpoint_unless_told_otherwise():
    session = Connection(endpoint_url=URL, region="us-east-1").session()
    assert session.client("sts").meta.endpoint_url == URL
    other = "http://127.0.0.1:9"
    assert session.client("sts", endpoint_url=other).meta.endpoint_url == other
    # other services keep their own (the connection's client passes its endpoint itself)
    assert session.client("amplify").meta.endpoint_url != URL
    # and without an endpoint, STS is AWS's
    plain = Connection(region="us-east-1").session()
    assert plain.client("sts").meta.endpoint_url.startswith("https://sts.")


def test_an_unknown_profile_says_how_to_fix_it():
    with pytest.raises(ConfigurationError) as raised:
        Connection(profile="nope").session()
    assert str(raised.value) == (
        "The profile 'nope' is not in your AWS config or credentials file; "
        "run `aws configure --profile NAME` or choose another profile."
    )
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_the_region_is_given_then_aws_region_then_the_profile_s(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[default]\nregion = ap-south-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert Connection().effective_region() == "ap-south-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    assert Connection().effective_region() == "ca-central-1"
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    assert Connection().effective_region() == "eu-west-3"
    assert Connection(region="us-west-2").effective_region() == "us-west-2"


def test_no_region_says_where_to_set_one():
    with pytest.raises(ConfigurationError) as raised:
        Connection().effective_region()
    assert str(raised.value) == (
        "No AWS region is set: pass --region, set AWS_REGION, or add a region to your "
        "profile (`aws configure set region us-east-1`)."
    )


def test_the_client_config_holds_only_what_was_set():
    config = Connection().client_config()
    assert (config.connect_timeout, config.read_timeout) == (60, 60)  # botocore's defaults
    assert config.retries is None and config.signature_version is None
    zero = Connection(connect_timeout=0, read_timeout=0, max_attempts=1).client_config()
    assert (zero.connect_timeout, zero.read_timeout) == (0, 0)
    assert zero.retries == {"total_max_attempts": 1}
    mode_only = Connection(retry_mode="adaptive").client_config()
    assert mode_only.retries == {"mode": "adaptive"}
    assert Connection(unsigned=False).client_config().signature_version is None


def test_the_client_is_built_from_every_setting():
    client = Connection(region="eu-west-1", endpoint_url=URL, verify=False).client()
    assert client.meta.service_model.service_name == "amplifybackend"
    assert (client.meta.region_name, client.meta.endpoint_url) == ("eu-west-1", URL)
    assert client._endpoint.http_session._verify is False


def test_a_client_that_cannot_be_built_says_why():
    with pytest.raises(ConfigurationError) as raised:
        Connection(region="us-east-1", endpoint_url="not a url").client("amplify")
    assert str(raised.value).startswith("Cannot build a amplify client: ")
    assert "not a url" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_the_account_of_the_connection_is_sts_s_answer(tmp_path):
    with Emulator(job_seconds=0, db=str(tmp_path / "state.sqlite3")) as emu:
        assert emu.connection().caller_account() == "123456789012"


def test_an_account_that_cannot_be_told_says_which_connection_and_why():
    # nothing listens there: refused at once, and tried once
    nowhere = Connection.for_emulator(URL, max_attempts=1, connect_timeout=1)
    with pytest.raises(ConfigurationError) as raised:
        nowhere.caller_account()
    message = str(raised.value)
    assert message.startswith(
        "Cannot tell which account the connection (profile default, region us-east-1) is in: "
        "STS GetCallerIdentity failed: Could not connect to the endpoint URL"
    )
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


class NamelessSts(QuietHandler):
    """An STS-compatible endpoint whose GetCallerIdentity names no account (the model does not
    require it)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(
            200,
            b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn>"
            b"<UserId>AIDAEXAMPLE</UserId></GetCallerIdentityResult>"
            b"<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
            b"</GetCallerIdentityResponse>",
            [("Content-Type", "text/xml")],
        )


def test_an_answer_that_names_no_account_gives_none_not_a_made_up_one():
    # the fleet then shows the account as unknown (``caller_account() or None``)
    with serving(LocalServer(NamelessSts)) as server:
        assert Connection.for_emulator(server.url, max_attempts=1).caller_account() == ""


def test_the_botocore_session_beneath_keeps_what_a_client_is_given_in_its_place():
    # botocore's own signature: create_client(service_name, region_name, api_version, ...);
    # a caller of the session beneath (boto3's is ``_session``) giving the region in its place
    botocore_session = Connection(endpoint_url=URL).session()._session
    assert botocore_session.create_client("amplify", "eu-west-1").meta.region_name == "eu-west-1"
    sts = botocore_session.create_client("sts", "eu-west-1")
    assert sts.meta.region_name == "eu-west-1"
