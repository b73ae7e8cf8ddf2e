"""Connections honour AWS's own configuration, and say clearly what is missing."""

import pytest
from botocore import UNSIGNED

from amplify_auth_widgets import ConfigurationError, Connection


def test_environment_variables_are_honoured(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    monkeypatch.setenv("AWS_ENDPOINT_URL_AMPLIFYBACKEND", "http://127.0.0.1:4999")
    client = Connection().client()
    assert client.meta.region_name == "eu-west-2"
    assert client.meta.endpoint_url == "http://127.0.0.1:4999"
    monkeypatch.delenv("AWS_ENDPOINT_URL_AMPLIFYBACKEND")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4998")
    assert Connection().client().meta.endpoint_url == "http://127.0.0.1:4998"
    # explicit settings win over the environment
    explicit = Connection(region="us-west-1", endpoint_url="http://127.0.0.1:1").client()
    assert (explicit.meta.region_name, explicit.meta.endpoint_url) == (
        "us-west-1",
        "http://127.0.0.1:1",
    )


def test_profile_from_config_file(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[profile emu]\nregion = ap-south-1\nendpoint_url = http://127.0.0.1:7\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    client = Connection(profile="emu").client()
    assert client.meta.region_name == "ap-south-1"
    monkeypatch.setenv("AWS_PROFILE", "emu")
    assert Connection().client().meta.region_name == "ap-south-1"


def test_unknown_profile_and_missing_region():
    with pytest.raises(ConfigurationError, match="'nope' is not in your AWS config"):
        Connection(profile="nope").client()
    with pytest.raises(ConfigurationError, match="No AWS region"):
        Connection().client()


def test_client_settings():
    connection = Connection(
        region="us-east-1",
        connect_timeout=2,
        read_timeout=7,
        unsigned=True,
        verify=False,
        retry_mode="standard",
        max_attempts=4,
    )
    client = connection.client("amplify")
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (2, 7)
    assert config.retries == {"mode": "standard", "total_max_attempts": 4}
    assert config.signature_version is UNSIGNED
    assert client.meta.service_model.service_name == "amplify"


def test_credentials_never_in_repr():
    connection = Connection.for_emulator("http://127.0.0.1:1")
    assert "emulator-secret" not in repr(connection)
    assert "emulator-secret" not in str(connection.describe())


def test_ca_bundle_from_the_environment_and_explicit(monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a real certificate; only its path matters here\n")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CA_BUNDLE", str(bundle))
    client = Connection().client()
    assert client._endpoint.http_session._verify == str(bundle)
    explicit = Connection(verify=False).client()
    assert explicit._endpoint.http_session._verify is False
