"""Skeletons match the AWS CLI's; cli-input files load as the AWS CLI loads them."""

import json
import re
import shlex
import subprocess

import pytest
import yaml
from conftest import BIN, every_secret, get_at, set_at, valid_request

from amplify_auth_widgets.core.skeleton import (
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
    to_json,
    to_yaml,
)


def _enum_values_masked(text):
    """A skeleton's text with each enum value (the API's are all capitals) made ``"ENUM"``: the
    AWS CLI picks an enum's value at random, ours is always the first."""
    return re.sub(r'"[A-Z][A-Z0-9_]*"', '"ENUM"', text)


@pytest.mark.parametrize(
    "command",
    [
        "create-backend-auth",
        "update-backend-auth",
        "import-backend-auth",
        "list-backend-jobs",  # an integer member
        "remove-all-backends",  # a boolean member
    ],
)
def test_input_skeleton_is_the_aws_clis_text(command, tmp_path):
    out = subprocess.run(
        [str(BIN / "aws"), "amplifybackend", command, "--generate-cli-skeleton", "input"],
        capture_output=True,
        text=True,
        check=True,
    )
    operation = "".join(w.title() for w in command.split("-"))
    ours = generate_skeleton("input", operation)
    assert _enum_values_masked(ours) == _enum_values_masked(out.stdout)


def test_enum_placeholders_are_the_first_choice_every_time():
    skeleton = input_skeleton("CreateBackendAuth")
    config = skeleton["ResourceConfig"]
    pool = config["UserPoolConfigs"]
    assert (config["AuthResources"], config["Service"]) == ("USER_POOL_ONLY", "COGNITO")
    assert (pool["SignInMethod"], pool["Mfa"]["MFAMode"]) == ("EMAIL", "ON")
    assert pool["Mfa"]["Settings"]["MfaTypes"] == ["SMS"]  # a list of one placeholder item
    assert pool["RequiredSignUpAttributes"] == ["ADDRESS"]


def test_every_placeholder_of_every_operation_has_its_members_type():
    """A model update that brings a type without a placeholder fails here, not in a user's
    skeleton."""
    from amplify_auth_widgets.core.model import request_spec, response_spec, service_model

    python = {"string": str, "boolean": bool, "double": float, "integer": int}

    def check(spec, value, where):
        if spec.is_structure:
            assert list(value) == [m.name for m in spec.members], where
            for member in spec.members:
                check(member, value[member.name], f"{where}.{member.name}")
        elif spec.is_list:
            assert len(value) == 1, where
            check(spec.item, value[0], f"{where}[0]")
        else:
            assert type(value) is python[spec.type], where
            assert value in (spec.enum or [value]), where

    for operation in service_model().operation_names:
        check(request_spec(operation), input_skeleton(operation), f"{operation} input")
        check(response_spec(operation), output_skeleton(operation), f"{operation} output")


def test_output_skeleton_of_a_listing():
    listing = json.loads(generate_skeleton("output", "ListBackendJobs"))
    assert list(listing) == ["Jobs", "NextToken"]
    assert len(listing["Jobs"]) == 1 and listing["Jobs"][0]["CreateTime"] == ""
    assert list(output_skeleton()) == [
        "AppId",
        "BackendEnvironmentName",
        "Error",
        "JobId",
        "Operation",
        "Status",
    ]


def test_yaml_skeleton_keeps_the_members_order_in_block_style():
    text = generate_skeleton("yaml-input")
    assert text.startswith(
        "AppId: ''  # [REQUIRED] The app ID.\n"
        "BackendEnvironmentName: ''  # [REQUIRED] The name of the backend environment.\n"
        "ResourceConfig:  # [REQUIRED] The resource configuration for this request object.\n"
    )
    values = "".join(line.split("  # ")[0] + "\n" for line in text.splitlines())
    assert "{" not in values and "[" not in values  # one member a line, lists as "- item"
    assert "        MfaTypes:  # The supported MFA types.\n        - SMS\n" in text

    def keys(value):
        if isinstance(value, dict):
            return [(k, keys(v)) for k, v in value.items()]
        return [keys(v) for v in value] if isinstance(value, list) else None

    assert keys(yaml.safe_load(text)) == keys(input_skeleton())


def test_yaml_keeps_the_order_it_is_given():
    # a request from the editor or a file: members in the user's order, not sorted
    assert to_yaml({"ResourceName": "r", "AppId": "d1", "Config": {"b": 1, "a": [2]}}) == (
        "ResourceName: r\nAppId: d1\nConfig:\n  b: 1\n  a:\n  - 2\n"
    )


def test_text_outside_ascii_is_written_as_typed():
    request = {"EmailSubject": "Bestätigen Sie Ihre Adresse ✉"}
    assert to_json(request) == '{\n    "EmailSubject": "Bestätigen Sie Ihre Adresse ✉"\n}\n'
    assert to_yaml(request) == "EmailSubject: Bestätigen Sie Ihre Adresse ✉\n"


def test_yaml_input_and_output_skeletons():
    assert yaml.safe_load(generate_skeleton("yaml-input")) == input_skeleton()
    assert json.loads(generate_skeleton("input")) == input_skeleton()
    with pytest.raises(InputError) as info:
        generate_skeleton("xml")
    assert str(info.value) == (
        "--generate-cli-skeleton: 'xml' is not a skeleton kind; use input, yaml-input, output, "
        "input-minimal or yaml-input-minimal."
    )


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


def test_command_line_switches_numbers_and_members_the_model_lacks():
    remove = {"AppId": "d1abc", "CleanAmplifyApp": True}
    assert command_line(remove, "RemoveAllBackends") == (
        "aws amplifybackend remove-all-backends --app-id d1abc --clean-amplify-app"
    )
    remove["CleanAmplifyApp"] = False
    assert command_line(remove, "RemoveAllBackends") == (
        "aws amplifybackend remove-all-backends --app-id d1abc --no-clean-amplify-app"
    )
    remove["Note"] = "after"  # a switch is one word; what follows it is still there
    assert command_line(remove, "RemoveAllBackends") == (
        "aws amplifybackend remove-all-backends --app-id d1abc --no-clean-amplify-app --note after"
    )
    del remove["Note"]
    remove["CleanAmplifyApp"] = "yes"  # not a boolean: passed on for the CLI to refuse
    assert command_line(remove, "RemoveAllBackends").endswith(" --clean-amplify-app yes")
    listing = {"MaxResults": 5, "BackendEnvironmentName": "dev", "AppId": "d1abc"}
    assert command_line(listing, "ListBackendJobs", extra=["--no-paginate"]) == (
        "aws amplifybackend list-backend-jobs --app-id d1abc --backend-environment-name dev "
        "--max-results 5 --no-paginate"
    )
    # members the model lacks come after its own, in the request's order, as they are
    odd = {"Zeta": True, "AppId": "d1abc", "Alpha": {"B": [1, "ü"]}}
    assert command_line(odd, "GetBackend") == (
        """aws amplifybackend get-backend --app-id d1abc --zeta true --alpha '{"B":[1,"ü"]}'"""
    )


def test_command_line_hides_a_provider_given_in_the_wrong_shape():
    request = valid_request()
    oauth = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
    oauth["SocialProviderSettings"]["Google"] = "id:g-client secret:g-secret-value"
    line = command_line(request)
    assert "g-secret-value" not in line
    config = json.loads(shlex.split(line)[8])
    assert config["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]["Google"] == REDACTED
