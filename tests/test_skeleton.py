"""Skeletons match the AWS CLI's; cli-input files load as the AWS CLI loads them."""

import json
import shlex
import subprocess

import pytest
import yaml
from conftest import BIN, every_secret, get_at, set_at, valid_request

from amplify_auth_widgets.skeleton import (
    REDACTED,
    InputError,
    command_line,
    contains_secret,
    generate_skeleton,
    input_skeleton,
    load_cli_input,
    load_skeleton_file,
    merge_cli_input,
    output_skeleton,
    redact,
)


def _structure(value):
    """The shape of a skeleton: keys and value types, with enum choices ignored."""
    if isinstance(value, dict):
        return {k: _structure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_structure(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize(
    "command", ["create-backend-auth", "update-backend-auth", "import-backend-auth"]
)
def test_input_skeleton_has_the_aws_cli_structure(command, tmp_path):
    out = subprocess.run(
        [str(BIN / "aws"), "amplifybackend", command, "--generate-cli-skeleton", "input"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(out.stdout)
    operation = "".join(w.title() for w in command.split("-"))
    ours = input_skeleton(operation)
    assert _structure(ours) == _structure(theirs)
    assert list(ours) == list(theirs)


def test_yaml_input_and_output_skeletons():
    assert yaml.safe_load(generate_skeleton("yaml-input")) == input_skeleton()
    assert json.loads(generate_skeleton("input")) == input_skeleton()
    assert set(output_skeleton()) == {
        "AppId",
        "BackendEnvironmentName",
        "Error",
        "JobId",
        "Operation",
        "Status",
    }
    with pytest.raises(InputError, match="input, yaml-input or output"):
        generate_skeleton("xml")


def test_load_cli_input_from_string_and_file(tmp_path):
    request = valid_request()
    assert load_cli_input(json.dumps(request)) == request
    path = tmp_path / "req.yaml"
    path.write_text(yaml.safe_dump(request))
    assert load_cli_input(f"file://{path}", "yaml") == request
    assert load_skeleton_file(path) == request


def test_load_errors_name_the_place(tmp_path):
    with pytest.raises(InputError) as info:
        load_cli_input('{\n  "AppId": "d1",\n  "x": ,\n}')
    assert (info.value.line, info.value.column) == (3, 8)
    assert "--cli-input-json line 3, column 8: malformed JSON" in str(info.value)
    bad = tmp_path / "bad.yaml"
    bad.write_text("AppId: d1\nResourceConfig:\n  - a\n  b: [\n")
    with pytest.raises(InputError) as info:
        load_cli_input(f"file://{bad}", "yaml")
    assert info.value.line is not None and "bad.yaml" in str(info.value)
    with pytest.raises(InputError, match="no such file"):
        load_cli_input(f"file://{tmp_path}/missing.json")
    with pytest.raises(InputError, match="not a list"):
        load_cli_input("[1, 2]")
    with pytest.raises(InputError, match="folder"):
        load_skeleton_file(tmp_path)


def test_explicit_options_override_the_file():
    merged = merge_cli_input({"AppId": "d1", "ResourceName": "a"}, {"AppId": "d2", "X": None})
    assert merged == {"AppId": "d2", "ResourceName": "a"}


def test_redaction():
    request = valid_request()
    redacted = redact(request)
    google = redacted["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert google["Google"]["ClientSecret"] == REDACTED
    assert google["Google"]["ClientId"] == "123-abc.apps.googleusercontent.com"
    assert "g-secret-value" not in json.dumps(redacted)
    assert request != redacted and contains_secret(request) and not contains_secret(redacted)


def test_redaction_covers_every_secret_of_every_provider():
    request, planted = every_secret()
    redacted = redact(request)
    assert len(planted) == 4  # Facebook, Google and Amazon's ClientSecret, Apple's PrivateKey
    for path, value in planted.items():
        assert get_at(redacted, path) == REDACTED, path
        assert value not in json.dumps(redacted), path
    apple = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings.SignInWithApple"
    assert get_at(redacted, f"{apple}.KeyId") == "signinwithapple-keyid"  # the rest stays
    assert contains_secret(request) and not contains_secret(redacted)
    # each secret alone is found: contains_secret misses none of them
    for path in planted:
        alone, _ = every_secret()
        for other in planted:
            if other != path:
                set_at(alone, other, REDACTED)
        assert contains_secret(alone), path


def test_command_line_is_exact_and_redacted():
    request = valid_request()
    line = command_line(request)
    words = shlex.split(line)
    assert words[:3] == ["aws", "amplifybackend", "create-backend-auth"]
    assert words[3:5] == ["--app-id", "d1a2b3c4d5e6f7"]
    assert words[5:7] == ["--backend-environment-name", "staging"]
    assert words[7] == "--resource-config"
    assert "g-secret-value" not in line
    config = json.loads(words[8])
    assert config["UserPoolConfigs"]["UserPoolName"] == "main-users"
    assert words[9:] == ["--resource-name", "mainauth"]
    full = shlex.split(command_line(request, include_secrets=True))
    assert json.loads(full[8]) == request["ResourceConfig"]


def test_command_line_quotes_hostile_values():
    line = command_line({"AppId": "d1'; rm -rf ~", "ResourceName": "$(x)"}, "GetBackendAuth")
    assert shlex.split(line)[3:] == ["--app-id", "d1'; rm -rf ~", "--resource-name", "$(x)"]
