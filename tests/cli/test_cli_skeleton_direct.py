"""`--generate-cli-skeleton yaml-input` (v2's comments) and the minimal skeletons, read back."""

import io
import json

import pytest

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.core.skeleton import input_skeleton


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("kind", "n_errors"), [("yaml-input", 25), ("yaml-input-minimal", 3)])
def test_the_yaml_skeleton_reads_back_with_its_findings(tmp_path, kind, n_errors):
    code, text, err = run("create-backend-auth", "--generate-cli-skeleton", kind)
    assert (code, err) == (0, "")
    assert text.startswith("AppId: ''  # [REQUIRED] The app ID.\n")
    path = tmp_path / "request.yaml"
    path.write_text(text)
    code, out, err = run(
        "create-backend-auth", "--cli-input-yaml", f"file://{path}", "--validate-only"
    )
    assert code == 252 and f"{n_errors} error(s)" in err and "nothing was sent" in err
    assert len([line for line in out.splitlines() if ": error " in line]) == n_errors
    code, out, err = run("validate", str(path))
    assert code == 252 and f"{path}: {n_errors} error(s)" in err


def test_the_minimal_skeleton_asks_for_the_three_empty_required_values(tmp_path):
    code, text, _ = run("create-backend-auth", "--generate-cli-skeleton", "yaml-input-minimal")
    path = tmp_path / "minimal.yaml"
    path.write_text(text)
    code, out, _ = run("validate", str(path))
    errors = [line.split(":")[0] for line in out.splitlines() if ": error " in line]
    assert errors == [
        "AppId",
        "BackendEnvironmentName",
        "ResourceConfig.UserPoolConfigs.UserPoolName",
    ]
    # filled in, it is a request the validator passes (a warning aside)
    filled = text.replace("AppId: ''", "AppId: d1a2b3c4d5e6f7")
    filled = filled.replace("BackendEnvironmentName: ''", "BackendEnvironmentName: dev")
    filled = filled.replace("UserPoolName: ''", "UserPoolName: pool")
    filled = filled.replace("ResourceName: ''", "ResourceName: auth")
    path.write_text(filled)
    code, out, err = run("validate", str(path))
    assert code == 0 and ": error " not in out and "0 error(s)" in err


def test_the_json_minimal_skeleton_is_the_required_members():
    code, out, _ = run("update-backend-auth", "--generate-cli-skeleton", "input-minimal")
    assert code == 0 and json.loads(out) == input_skeleton("UpdateBackendAuth", minimal=True)
    assert json.loads(out)["ResourceConfig"]["UserPoolConfigs"] == {}


def test_an_unknown_skeleton_kind_names_the_kinds():
    code, _, err = run("create-backend-auth", "--generate-cli-skeleton", "yaml")
    assert code == 252
    assert "invalid choice: 'yaml'" in err and "yaml-input-minimal" in err
