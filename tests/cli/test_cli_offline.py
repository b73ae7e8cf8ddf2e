"""The `amplify-auth` command's paths that send nothing, and its handling of bad input."""

import io
import json
import subprocess

import pytest
import yaml
from conftest import BIN, DATA, valid_request

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.cli.output import render
from amplify_auth_widgets.core.skeleton import input_skeleton

VALID = DATA / "validation" / "valid-full.json"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_generate_skeletons():
    code, out, _ = run("create-backend-auth", "--generate-cli-skeleton")
    assert code == 0 and json.loads(out) == input_skeleton()
    code, out, _ = run("create-backend-auth", "--generate-cli-skeleton", "yaml-input")
    assert code == 0 and yaml.safe_load(out) == input_skeleton()
    code, out, _ = run("list-backend-jobs", "--generate-cli-skeleton", "output")
    assert code == 0 and "Jobs" in json.loads(out)


def test_validate_only_with_file_and_override(tmp_path):
    request = json.loads(VALID.read_text())["request"]
    code, out, err = run(
        "create-backend-auth", "--cli-input-json", f"file://{VALID}", "--validate-only"
    )
    # the corpus file wraps the request: its members are unknown to the operation
    assert code == 252 and "model.unknown" in out
    path = tmp_path / "req.yaml"
    path.write_text(yaml.safe_dump(request))
    code, out, err = run(
        "create-backend-auth", "--cli-input-yaml", f"file://{path}", "--validate-only"
    )
    assert (code, out) == (0, "") and "0 error(s), 0 warning(s); nothing was sent" in err
    code, out, _ = run(
        "create-backend-auth",
        "--cli-input-yaml",
        f"file://{path}",
        "--app-id",
        "MyApp",
        "--validate-only",
    )
    assert code == 252
    assert out.startswith("AppId: error amplify.app-id: AppId 'MyApp' is not an Amplify app id")


def test_request_with_errors_is_not_sent():
    request = valid_request(AppId="bad")
    # port 1 is closed: had the request been sent, the error would be a connection error
    code, out, err = run(
        "create-backend-auth",
        "--cli-input-json",
        json.dumps(request),
        "--endpoint-url",
        "http://127.0.0.1:1",
        "--region",
        "us-east-1",
    )
    assert code == 252 and out == ""
    assert "AppId: error amplify.app-id" in err and "was not sent" in err


def test_every_missing_member_is_listed():
    code, out, _ = run("create-backend-auth", "--validate-only")
    assert code == 252
    assert out.splitlines() == [
        "AppId: error model.required: AppId is required; add it. (--app-id)",
        "BackendEnvironmentName: error model.required: BackendEnvironmentName is required; "
        "add it. (--backend-environment-name)",
        "ResourceConfig: error model.required: ResourceConfig is required; add it. "
        "(--resource-config)",
        "ResourceName: error model.required: ResourceName is required; add it. (--resource-name)",
    ]


def test_validate_files(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(valid_request()))
    bad = tmp_path / "bad.json"
    bad_request = valid_request()
    bad_request["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] = "FOO"
    bad.write_text(json.dumps(bad_request))
    code, out, err = run("validate", str(good), "--color", "off")
    assert (code, out) == (0, "")
    code, out, err = run("validate", str(good), str(bad), "--color", "off")
    assert code == 252
    assert out.splitlines() == [
        f"# {good}",
        f"# {bad}",
        "ResourceConfig.UserPoolConfigs.SignInMethod: error model.enum: 'FOO' is not a valid "
        "SignInMethod; choose one of EMAIL, EMAIL_AND_PHONE_NUMBER, PHONE_NUMBER, USERNAME.",
    ]
    assert f"{bad}: 1 error(s), 0 warning(s)" in err


def test_validate_bad_files(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("AppId: d1\nResourceConfig: {a: 1\n")
    code, out, _ = run("validate", str(broken), str(tmp_path / "missing.json"))
    assert code == 252
    assert f"{broken} line 3, column 1: malformed YAML" in out
    assert "no such file" in out
    assert "Traceback" not in out


def test_warnings_do_not_fail_validation(tmp_path):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["OAuthGrantType"] = "IMPLICIT"
    path = tmp_path / "implicit.json"
    path.write_text(json.dumps(request))
    code, out, _ = run("validate", str(path), "--color", "on")
    assert code == 0
    assert "\033[33mwarning\033[0m cognito.implicit-grant" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["create-backend-auth", "--app-idd", "d1"], "did you mean --app-id?"),
        (
            [
                "list-backend-jobs",
                "--app-id",
                "d1",
                "--backend-environment-name",
                "e",
                "--max-results",
                "abc",
            ],
            "--max-results: 'abc' is not a whole number",
        ),
        (
            ["create-backend-auth", "--resource-config", "AuthResources=USER_POOL_ONLY"],
            "shorthand syntax is not supported",
        ),
        (
            ["create-backend-auth", "--resource-config", '{"AuthResources": '],
            "--resource-config line 1, column 19: malformed JSON",
        ),
        (
            ["create-backend-auth", "--resource-config", "file:///nonexistent/x.json"],
            "no such file",
        ),
        (
            ["get-backend-job", "--cli-read-timeout", "soon"],
            "--cli-read-timeout: 'soon' is not a number",
        ),
        (["create-backend-auth", "--output", "xml"], "invalid choice: 'xml'"),
        (["nonsense"], "invalid choice: 'nonsense'"),
        (
            ["create-backend-auth", "--cli-input-json", "{}", "--cli-input-yaml", "{}"],
            "not allowed with argument",
        ),
    ],
)
def test_bad_input_gets_one_clear_message(argv, message):
    code, out, err = run(*argv)
    assert code == 252
    assert message in err
    assert "Traceback" not in err + out


def test_wrong_value_type_is_a_finding():
    code, out, _ = run(
        "create-backend-auth",
        "--app-id",
        "d1",
        "--backend-environment-name",
        "e",
        "--resource-name",
        "r",
        "--resource-config",
        "[1]",
        "--validate-only",
    )
    assert code == 252
    assert "ResourceConfig: error model.type: ResourceConfig must be an object, not a list" in out


def test_configuration_and_connection_errors(monkeypatch):
    request = json.dumps(valid_request())
    code, _, err = run("create-backend-auth", "--cli-input-json", request)
    assert code == 253 and "No AWS region" in err
    code, _, err = run("create-backend-auth", "--cli-input-json", request, "--profile", "ghost")
    assert code == 253 and "'ghost' is not in your AWS config" in err
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    code, _, err = run(
        "create-backend-auth",
        "--cli-input-json",
        request,
        "--region",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:1",
        "--cli-connect-timeout",
        "1",
    )
    assert code == 255 and "could not connect to http://127.0.0.1:1" in err


def test_help_explains_options_without_effect():
    code, out, _ = run("create-backend-auth", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "no member of this API is binary" in flat
    assert "--cli-auto-prompt" in flat and "--validate-only" in flat and "--wait" in flat


def test_version_is_the_installed_packages():
    from importlib.metadata import version

    import amplify_auth_widgets

    code, out, err = run("--version")
    assert (code, err) == (0, "")
    assert out == f"amplify-auth {version('amplify-auth-widgets')}\n"
    assert amplify_auth_widgets.__version__ == version("amplify-auth-widgets")


def test_console_script_exit_codes(tmp_path):
    script = str(BIN / "amplify-auth")
    done = subprocess.run(
        [script, "create-backend-auth", "--validate-only"], capture_output=True, text=True
    )
    assert done.returncode == 252 and "AppId: error model.required" in done.stdout
    done = subprocess.run(
        [script, "validate", str(tmp_path / "none.json")], capture_output=True, text=True
    )
    assert done.returncode == 252 and "Traceback" not in done.stderr


def test_output_formats():
    data = {
        "Jobs": [
            {"JobId": "j1", "Status": "COMPLETED"},
            {"JobId": "j2", "Status": "FAILED", "Error": "boom"},
        ]
    }
    assert render(data, "text") == "JOBS\tNone\tj1\tCOMPLETED\nJOBS\tboom\tj2\tFAILED\n"
    table = render(data, "table", "ListBackendJobs")
    assert table.splitlines() == [
        "+---------------------------+",
        "|      ListBackendJobs      |",
        "+---------------------------+",
        "|            Jobs           |",
        "+---------------------------+",
        "| Error | JobId | Status    |",
        "+---------------------------+",
        "|       | j1    | COMPLETED |",
        "| boom  | j2    | FAILED    |",
        "+---------------------------+",
    ]
    assert yaml.safe_load(render(data, "yaml")) == data
    assert yaml.safe_load(render(data, "yaml-stream")) == [data]
    assert render({"AppId": "d1", "Status": "OK"}, "text") == "d1\tOK\n"
