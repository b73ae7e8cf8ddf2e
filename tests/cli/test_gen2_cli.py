"""`amplify-auth export-gen2` as a real process: from files, and from the emulator over HTTP."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import ours as amplify_auth
from conftest import valid_request

from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.client.service import BackendAuthService
from amplify_auth_widgets.emulator import Emulator


@pytest.fixture(scope="module")
def quick():
    with Emulator(job_seconds=0, seed=11) as emu:
        yield emu


def ours(url, *argv):
    return amplify_auth(url, "export-gen2", *argv)


def test_export_from_a_yaml_file_to_a_folder(tmp_path):
    request = valid_request()
    source = tmp_path / "auth.yaml"
    source.write_text(yaml.safe_dump(request))
    done = ours("http://127.0.0.1:9", "--cli-input-yaml", f"file://{source}", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    resource = (tmp_path / "amplify/auth/resource.ts").read_text()
    assert "export const auth = defineAuth({" in resource
    assert (tmp_path / "amplify/backend.ts").exists()
    assert "npx ampx sandbox secret set GOOGLE_CLIENT_SECRET" in done.stderr
    assert "g-secret-value" not in done.stdout + done.stderr + resource


def test_export_reads_the_current_configuration_from_the_service(quick, tmp_path):
    app_id = quick.create_app("gen2", ("prod",))
    request = valid_request(AppId=app_id, BackendEnvironmentName="prod")
    BackendAuthService(Connection.for_emulator(quick.url)).create_backend_auth(request)
    done = ours(
        quick.url,
        "--app-id",
        app_id,
        "--backend-environment-name",
        "prod",
        "--resource-name",
        "mainauth",
    )
    assert done.returncode == 0, done.stderr
    assert "// ==> amplify/auth/resource.ts <==" in done.stdout
    assert f"exported from app {app_id}, environment prod" in done.stdout
    assert '.domain = "main-app-login";' in done.stdout
    assert "g-secret-value" not in done.stdout + done.stderr


def test_the_mapping_table_names_every_member(tmp_path):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["ForgotPassword"] = {
        "DeliveryMethod": "EMAIL",
        "EmailSettings": {"EmailSubject": "Reset", "EmailMessage": "Code {####}"},
    }
    source = tmp_path / "auth.json"
    source.write_text(json.dumps(request))
    done = ours("http://127.0.0.1:9", "--cli-input-json", f"file://{source}", "--table")
    assert done.returncode == 0, done.stderr
    assert "ForgotPassword.DeliveryMethod" in done.stdout
    assert "accountRecovery" in done.stdout
    assert "<redacted>" in done.stdout and "g-secret-value" not in done.stdout
    # what cannot go is said on stderr, in words
    assert "ForgotPassword.EmailSettings.EmailSubject: not supported: Cognito has no" in done.stderr


def test_a_request_with_errors_is_not_exported(tmp_path):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(request))
    done = ours("http://127.0.0.1:9", "--cli-input-json", f"file://{source}", "--out", tmp_path)
    assert done.returncode == 252
    assert "MinimumLength" in done.stderr and "nothing was exported" in done.stderr
    assert not (tmp_path / "amplify").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "give --cli-input-json/--cli-input-yaml FILE, or a target"),
        (["--app-id", "d1", "--resource-name", "a"], "--backend-environment-name missing"),
        (["--cli-input-json", "{}", "--app-id", "d1"], "not both"),
        (["--cli-input-json", "file:///no/such.json"], "no such file"),
        (["--cli-input-json", "{oops"], "malformed JSON"),
    ],
)
def test_bad_input_exits_252_with_a_message(argv, message):
    done = ours("http://127.0.0.1:9", *argv)
    assert done.returncode == 252, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_target_is_a_service_error(quick):
    done = ours(
        quick.url,
        "--app-id",
        "dnosuchapp",
        "--backend-environment-name",
        "dev",
        "--resource-name",
        "x",
    )
    assert done.returncode == 254, done.stderr
    assert "Traceback" not in done.stderr
