"""The AWS CLI and our `amplify-auth` command, as real processes, against the emulator."""

from __future__ import annotations

import io
import json
import subprocess

import pytest
import yaml
from conftest import BIN, aws_env, every_secret, ours, valid_request

from amplify_auth_widgets import BackendAuthService
from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.emulator import Emulator


@pytest.fixture(scope="module")
def quick():
    """An emulator whose jobs end at once: a waiting client never has to sleep."""
    with Emulator(job_seconds=0, seed=9) as emu:
        yield emu


def aws(url, *argv):
    return subprocess.run(
        [str(BIN / "aws"), "amplifybackend", *argv, "--endpoint-url", url],
        capture_output=True,
        text=True,
        env=aws_env(url),
        timeout=60,
    )


@pytest.fixture
def cli(quick, monkeypatch):
    """Our command in this process (fast), talking to the emulator over HTTP."""
    for name, value in aws_env(quick.url).items():
        monkeypatch.setenv(name, value)

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    return run


def skeleton_file(tmp_path, app_id, env="dev", fmt="json"):
    request = valid_request(AppId=app_id, BackendEnvironmentName=env)
    path = tmp_path / f"request-{app_id}.{fmt}"
    path.write_text(json.dumps(request) if fmt == "json" else yaml.safe_dump(request))
    return path, request


def test_aws_cli_against_the_emulator(quick, tmp_path):
    app_id = quick.create_app("awscli", ("dev",))
    path, request = skeleton_file(tmp_path, app_id)
    done = aws(quick.url, "create-backend-auth", "--cli-input-json", f"file://{path}")
    assert done.returncode == 0, done.stderr
    job_id = json.loads(done.stdout)["JobId"]
    done = aws(
        quick.url,
        "get-backend-job",
        "--app-id",
        app_id,
        "--backend-environment-name",
        "dev",
        "--job-id",
        job_id,
    )
    assert json.loads(done.stdout)["Status"] == "COMPLETED"
    done = aws(
        quick.url, "list-backend-jobs", "--app-id", app_id, "--backend-environment-name", "dev"
    )
    assert [j["JobId"] for j in json.loads(done.stdout)["Jobs"]] == [job_id]
    done = aws(
        quick.url,
        "get-backend-auth",
        "--app-id",
        app_id,
        "--backend-environment-name",
        "dev",
        "--resource-name",
        "mainauth",
    )
    assert json.loads(done.stdout)["ResourceConfig"] == request["ResourceConfig"]


def test_aws_cli_sends_mistakes_and_the_emulator_refuses_them(quick, tmp_path):
    app_id = quick.create_app("refused", ("dev",))
    path, request = skeleton_file(tmp_path, app_id)
    request["ResourceConfig"]["UserPoolConfigs"]["SignInMethod"] = "FOO"
    path.write_text(json.dumps(request))
    done = aws(quick.url, "create-backend-auth", "--cli-input-json", f"file://{path}")
    assert done.returncode != 0
    assert "BadRequestException" in done.stderr
    assert "'FOO' is not a valid SignInMethod" in done.stderr
    # our CLI catches the same mistake without sending anything
    done = ours(quick.url, "create-backend-auth", "--cli-input-json", f"file://{path}")
    assert done.returncode == 252 and "model.enum" in done.stderr


def test_same_request_same_state_through_either_cli(quick, tmp_path):
    first = quick.create_app("via-ours", ("dev",))
    second = quick.create_app("via-aws", ("dev",))
    ours_file, _ = skeleton_file(tmp_path, first, fmt="yaml")
    aws_file, _ = skeleton_file(tmp_path, second)
    done = ours(
        quick.url, "create-backend-auth", "--cli-input-yaml", f"file://{ours_file}", "--wait"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Status"] == "COMPLETED"
    assert "COMPLETED" in done.stderr  # progress goes to stderr
    assert (
        aws(quick.url, "create-backend-auth", "--cli-input-json", f"file://{aws_file}").returncode
        == 0
    )
    client = quick.client()
    configs = [
        client.get_backend_auth(AppId=a, BackendEnvironmentName="dev", ResourceName="mainauth")[
            "ResourceConfig"
        ]
        for a in (first, second)
    ]
    assert configs[0] == configs[1]


def test_wait_on_a_failing_job(quick, tmp_path):
    app_id = quick.create_app("failing", ("dev",))
    path, request = skeleton_file(tmp_path, app_id)
    request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["DomainPrefix"] = "Bad_Prefix"
    path.write_text(json.dumps(request))
    done = ours(
        quick.url,
        "create-backend-auth",
        "--cli-input-json",
        f"file://{path}",
        "--wait",
        "--no-validate",
        "--color",
        "off",
    )
    assert done.returncode == 254
    assert "FAILED" in done.stderr and "DomainPrefix 'Bad_Prefix'" in done.stderr
    assert json.loads(done.stdout)["Status"] == "FAILED"


def test_outputs_queries_and_secrets(quick, tmp_path):
    app_id = quick.create_app("outputs", ("dev",))
    path, _ = skeleton_file(tmp_path, app_id)
    done = ours(
        quick.url,
        "create-backend-auth",
        "--cli-input-json",
        f"file://{path}",
        "--debug",
        "--output",
        "text",
    )
    assert done.returncode == 0, done.stderr
    assert "g-secret-value" not in done.stdout + done.stderr
    assert "<redacted>" in done.stderr and "debug: CreateBackendAuth request" in done.stderr
    target = [
        "--app-id",
        app_id,
        "--backend-environment-name",
        "dev",
        "--resource-name",
        "mainauth",
    ]
    done = ours(quick.url, "get-backend-auth", *target, "--output", "yaml")
    got = yaml.safe_load(done.stdout)
    google = got["ResourceConfig"]["UserPoolConfigs"]["OAuth"]["SocialProviderSettings"]
    assert google["Google"]["ClientSecret"] == "<redacted>"
    done = ours(quick.url, "get-backend-auth", *target, "--show-secrets")
    assert "g-secret-value" in done.stdout
    done = ours(
        quick.url,
        "get-backend-auth",
        *target,
        "--query",
        "ResourceConfig.UserPoolConfigs.UserPoolName",
        "--output",
        "text",
    )
    assert done.stdout == "main-users\n"
    done = ours(
        quick.url,
        "list-backend-jobs",
        "--app-id",
        app_id,
        "--backend-environment-name",
        "dev",
        "--output",
        "table",
    )
    assert "ListBackendJobs" in done.stdout and "COMPLETED" in done.stdout
    done = ours(quick.url, "get-backend-auth", *target, "--query", "[[")
    assert done.returncode == 252 and "is not a JMESPath expression" in done.stderr


def test_service_errors_exit_254_with_the_request_id(quick):
    done = ours(
        quick.url,
        "get-backend-job",
        "--app-id",
        "dnope",
        "--backend-environment-name",
        "dev",
        "--job-id",
        "j1",
    )
    assert done.returncode == 254
    assert "NotFoundException (HTTP 404)" in done.stderr and "request id:" in done.stderr
    assert "Traceback" not in done.stderr


def test_emulator_command_rejects_bad_flags():
    done = subprocess.run(
        [str(BIN / "amplify-auth"), "emulator", "--throttle-rate", "2"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 252 and "not between 0 and 1" in done.stderr
    done = subprocess.run(
        [str(BIN / "amplify-auth"), "emulator", "--job-seconds", "soon"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 252 and "range (2-10)" in done.stderr


def test_query_sees_only_the_redacted_response(quick, cli):
    app_id = quick.create_app("query", ("dev",))
    request, planted = every_secret(AppId=app_id, BackendEnvironmentName="dev")
    BackendAuthService(quick.connection()).create_backend_auth(request)
    target = ["get-backend-auth", "--app-id", app_id, "--backend-environment-name", "dev"]
    target += ["--resource-name", "mainauth"]
    for path, secret in planted.items():
        assert cli(*target, "--query", path, "--output", "text") == (0, "<redacted>\n", "")
        assert cli(*target, "--query", path, "--output", "text", "--show-secrets")[1] == (
            f"{secret}\n"
        )
    social = "ResourceConfig.UserPoolConfigs.OAuth.SocialProviderSettings"
    code, out, _ = cli(*target, "--query", social)
    assert code == 0 and json.loads(out)["SignInWithApple"]["PrivateKey"] == "<redacted>"
    assert not [s for s in planted.values() if s in out]


def test_query_selects_filters_and_may_select_nothing(quick, cli):
    app_id = quick.create_app("select", ("dev",))
    service = BackendAuthService(quick.connection())
    created = service.create_backend_auth(valid_request(AppId=app_id, BackendEnvironmentName="dev"))
    deleted = service.delete_backend_auth(app_id, "dev", "mainauth")
    listing = ["list-backend-jobs", "--app-id", app_id, "--backend-environment-name", "dev"]
    code, out, _ = cli(*listing, "--query", "Jobs[?Operation=='DeleteBackendAuth'].JobId")
    assert code == 0 and json.loads(out) == [deleted["JobId"]]
    code, out, _ = cli(*listing, "--query", "Jobs[].Status", "--output", "text")
    assert out == "COMPLETED\tCOMPLETED\n"
    code, out, _ = cli(*listing, "--query", "length(Jobs)", "--output", "yaml")
    assert yaml.safe_load(out) == 2
    assert cli(*listing, "--query", "NoSuchMember") == (0, "", "")  # nothing selected
    code, out, _ = cli(*listing, "--query", f"Jobs[?JobId=='{created['JobId']}'] | [0].Operation")
    assert json.loads(out) == "CreateBackendAuth"
