"""`amplify-auth export-gen2` run in this process (``entry.main``), so that what it says and
writes is checked against the code under test, not an installed copy: the files to stdout or
under --out (written, unchanged, refused, replaced with --force, a folder it cannot write),
the table, the notes, --debug, requests with errors, bad input, and a target read from the
emulator. A mutation run of cli/gen2.py found its tests all ran the CLI as a process."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import valid_request

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.cli.exitcodes import EXIT_OTHER
from amplify_auth_widgets.core.diff import prune
from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.emulator import Emulator

RESOURCE, BACKEND = "amplify/auth/resource.ts", "amplify/backend.ts"
SECRETS = [
    "Set the secrets the code reads before deploying:",
    "  npx ampx sandbox secret set GOOGLE_CLIENT_ID",
    "  npx ampx sandbox secret set GOOGLE_CLIENT_SECRET",
]


def export(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["export-gen2", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def source(tmp_path: Path, request: dict[str, Any], name: str = "auth.json") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(request) if name.endswith(".yaml") else json.dumps(request))
    return f"file://{path}"


def test_the_files_go_to_stdout_each_under_its_name_and_the_secrets_to_set_to_stderr(tmp_path):
    code, out, err = export("--cli-input-json", source(tmp_path, valid_request()))
    assert code == 0
    assert out.startswith(f"// ==> {RESOURCE} <==\n") and f"\n// ==> {BACKEND} <==\n" in out
    assert "export const auth = defineAuth({" in out
    assert err.splitlines() == SECRETS
    assert "g-secret-value" not in out + err


def test_the_files_go_under_out_once_then_are_left_unchanged(tmp_path):
    given = source(tmp_path, valid_request(), "auth.yaml")
    folder = tmp_path / "project"
    code, out, err = export("--cli-input-yaml", given, "--out", str(folder))
    assert (code, out) == (0, "")
    assert err.splitlines() == [f"wrote {folder / RESOURCE}", f"wrote {folder / BACKEND}", *SECRETS]
    first = (folder / RESOURCE).read_text()
    assert "defineAuth" in first and "g-secret-value" not in first
    code, _, err = export("--cli-input-yaml", given, "--out", str(folder))
    assert code == 0
    assert err.splitlines()[:2] == [
        f"unchanged {folder / RESOURCE}",
        f"unchanged {folder / BACKEND}",
    ]


def test_a_file_that_differs_is_replaced_only_with_force_its_old_text_kept(tmp_path):
    folder = tmp_path / "project"
    assert (
        export("--cli-input-json", source(tmp_path, valid_request()), "--out", str(folder))[0] == 0
    )
    first, backend = (folder / RESOURCE).read_text(), (folder / BACKEND).read_text()
    changed = valid_request()
    changed["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 16
    given = source(tmp_path, changed, "changed.json")
    code, out, err = export("--cli-input-json", given, "--out", str(folder))
    assert code == 252 and out == "" and err.startswith("error: ") and "--force" in err
    assert (folder / RESOURCE).read_text() == first  # nothing written
    assert (folder / BACKEND).read_text() == backend
    code, _, err = export("--cli-input-json", given, "--out", str(folder), "--force")
    assert code == 0
    said = err.splitlines()[:2]
    for name, old in ((RESOURCE, first), (BACKEND, backend)):
        path = folder / name
        if path.read_text() == old:
            assert f"unchanged {path}" in said
        else:
            assert f"replaced {path} (its old text is in {path}.bak)" in said
            assert Path(f"{path}.bak").read_text() == old
    assert "unchanged" not in said[0] or "unchanged" not in said[1]  # one did change


def test_a_folder_that_cannot_be_made_is_named_with_the_reason(tmp_path):
    blocked = tmp_path / ("x" * 300)  # a name longer than the file system takes
    code, out, err = export(
        "--cli-input-json", source(tmp_path, valid_request()), "--out", str(blocked)
    )
    assert code == EXIT_OTHER and out == ""  # the request was fine, the disk was not
    assert err.startswith(f"error: cannot write the files under {blocked}: ")


def test_the_table_instead_of_the_files(tmp_path):
    code, out, err = export("--cli-input-json", source(tmp_path, valid_request()), "--table")
    assert code == 0 and "// ==>" not in out
    assert out.split("\n", 1)[0].split() == ["member", "value", "status", "file", "target", "note"]
    assert "UserPoolConfigs.PasswordPolicy.MinimumLength" in out
    assert err.splitlines() == SECRETS


def test_a_member_the_code_cannot_hold_is_a_warning_on_stderr_coloured_on_request(tmp_path):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["Mfa"] = {
        "MFAMode": "OFF",
        "Settings": {"MfaTypes": ["TOTP"]},
    }
    given = source(tmp_path, request)
    note = (
        "ResourceConfig.UserPoolConfigs.Mfa.Settings.MfaTypes: not supported: "
        "MFA is OFF, so Cognito uses no MFA types"
    )
    code, _, err = export("--cli-input-json", given, "--color", "on")
    assert code == 0 and err.splitlines()[0] == f"\033[33m{note}\033[0m"
    code, _, err = export("--cli-input-json", given, "--color", "off")
    assert err.splitlines() == [note, *SECRETS]


def test_debug_logs_the_configuration_with_its_secrets_redacted(tmp_path):
    code, _, err = export("--cli-input-json", source(tmp_path, valid_request()), "--debug")
    assert code == 0
    line = err.splitlines()[0]
    assert line.startswith("debug: configuration {")
    logged = json.loads(line.removeprefix("debug: configuration "))
    assert logged["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] == 10
    assert "g-secret-value" not in err


NO_VALIDATE = (
    "--no-validate: exporting despite the {} error(s) above; a value the service would refuse "
    "may be missing from the files, or wrong in them."
)


def test_a_request_with_errors_is_not_exported_unless_told(tmp_path):
    request = valid_request()
    request["ResourceConfig"]["UserPoolConfigs"]["PasswordPolicy"]["MinimumLength"] = 3
    given = source(tmp_path, request)
    code, out, err = export("--cli-input-json", given)
    assert code == 252 and out == ""
    lines = err.splitlines()
    assert lines[-1] == "nothing was exported: fix the errors above (or pass --no-validate)."
    assert any(ln.startswith("ResourceConfig.UserPoolConfigs.PasswordPolicy.") for ln in lines)
    code, out, told = export("--cli-input-json", given, "--no-validate")
    assert code == 0 and "defineAuth" in out
    # the same findings, then the export: nothing else says what the files may lack
    n_errors = sum(": error " in line for line in lines)
    assert n_errors >= 1
    assert told.splitlines()[: len(lines)] == [*lines[:-1], NO_VALIDATE.format(n_errors)]


def test_the_operation_names_the_shape_the_file_is_checked_as(tmp_path):
    # an update's request holds no UserPoolName: as a create's it is missing one
    request = valid_request()
    spec = request_spec("UpdateBackendAuth").member("ResourceConfig")
    request["ResourceConfig"], _ = prune(request["ResourceConfig"], spec)
    given = source(tmp_path, request)
    code, _, err = export("--cli-input-json", given)
    assert code == 252 and "UserPoolName is required" in err
    code, out, err = export("--cli-input-json", given, "--operation", "UpdateBackendAuth")
    assert code == 0 and "defineAuth" in out and "UserPoolName" not in err


def test_a_configuration_of_the_wrong_types_is_refused_not_a_traceback(tmp_path):
    code, out, err = export(
        "--cli-input-json", source(tmp_path, {"ResourceConfig": "x"}), "--no-validate"
    )
    assert code == 252 and out == ""
    *told, refusal = err.splitlines()
    assert refusal == (
        "error: export() needs each member in the type the service model gives it: "
        "ResourceConfig: ResourceConfig must be an object, not a string ('x')."
    )
    assert told[-1] == NO_VALIDATE.format(len(told) - 1)  # each finding an error here
    assert all(": error model." in line for line in told[:-1])
    assert any(line.startswith("ResourceConfig: error model.type: ") for line in told)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["--cli-input-json", "{}", "--app-id", "d1", "--resource-name", "a"],
            "export-gen2: give a request file or a target (--app-id, --resource-name), not both.",
        ),
        (
            ["--app-id", "d1", "--resource-name", "a"],
            "export-gen2: give --cli-input-json/--cli-input-yaml FILE, or a target: "
            "--backend-environment-name missing.",
        ),
        (
            [],
            "export-gen2: give --cli-input-json/--cli-input-yaml FILE, or a target: "
            "--app-id, --backend-environment-name, --resource-name missing.",
        ),
    ],
)
def test_a_file_or_a_whole_target_and_never_both(argv, says):
    code, out, err = export(*argv)
    assert code == 252 and out == "" and says in err


def test_a_target_s_configuration_is_read_from_the_service(monkeypatch):
    for name, value in (("AWS_ACCESS_KEY_ID", "emulator"), ("AWS_SECRET_ACCESS_KEY", "x")):
        monkeypatch.setenv(name, value)
    with Emulator(job_seconds=0, seed=4) as emu:
        app_id = emu.create_app("gen2", ("dev",))
        config = valid_request()["ResourceConfig"]
        emu.backend.store.put_auth(app_id, "dev", "mainauth", config, emu.clock())
        target = ["--app-id", app_id, "--backend-environment-name", "dev"]
        code, out, err = export(
            *target,
            "--resource-name",
            "mainauth",
            "--endpoint-url",
            emu.url,
            "--region",
            "us-east-1",
            "--table",
        )
    assert code == 0, err
    assert "UserPoolConfigs.PasswordPolicy.MinimumLength" in out and "// ==>" not in out
