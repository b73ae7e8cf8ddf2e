"""Bad input to `amplify-auth`: each kind gets its exit code and one clear line, fast.

Input that could hang (an alias bomb, /dev/zero) runs in a subprocess with a timeout, so that a
regression fails the test instead of stalling the suite. Where a service is involved the
command talks to the emulator over HTTP, and the emulator is asked what it received.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, aws_env, valid_request

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.core.validation import validate

#: Generous: each of these commands answers in well under a second when it works.
HANG = 60


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def ours(*argv, url="http://127.0.0.1:9"):
    return subprocess.run(
        [str(BIN / "amplify-auth"), *argv],
        capture_output=True,
        text=True,
        env=aws_env(url),
        timeout=HANG,
    )


def alias_bomb(levels: int = 9) -> str:
    """ "Billion laughs": each level lists the one before nine times."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    lines += [
        "AppId: d1abc",
        "ResourceConfig:",
        "  UserPoolConfigs:",
        f"    RequiredSignUpAttributes: *a{levels - 1}",
    ]
    return "\n".join(lines) + "\n"


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in text and len(lines[0]) < 400, lines[0][:400]
    return lines[0]


def test_exit_codes_are_the_aws_clis():
    from amplify_auth_widgets.cli import exitcodes

    assert (exitcodes.EXIT_USAGE, exitcodes.EXIT_CONFIG) == (252, 253)
    assert (exitcodes.EXIT_SERVICE, exitcodes.EXIT_OTHER) == (254, 255)


# -- files and --cli-input-* ---------------------------------------------------------------


def test_alias_bomb_is_refused_by_validate(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    done = ours("validate", str(path))
    assert done.returncode == 252
    assert "alias" in one_line(done.stdout)


def test_alias_bomb_is_refused_by_validate_only(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    done = ours("create-backend-auth", "--cli-input-yaml", f"file://{path}", "--validate-only")
    assert done.returncode == 252
    assert "alias" in one_line(done.stderr)


def test_a_small_alias_is_still_fine(tmp_path):
    request = valid_request(AppId="d1abc", BackendEnvironmentName="dev")
    oauth = request["ResourceConfig"]["UserPoolConfigs"]["OAuth"]
    oauth["RedirectSignOutURIs"] = oauth["RedirectSignInURIs"]  # dumped as an anchor and alias
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(request))
    assert "*id001" in path.read_text()
    code, out, _ = run("validate", str(path))
    assert code == 0, out


BAD_FILES = {
    "huge-integer.json": '{"AppId": ' + "9" * 5000 + "}",
    "huge-integer.yaml": "AppId: " + "9" * 5000 + "\n",
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "deep-object.json": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "deep.yaml": "[" * 5_000 + "]" * 5_000,
    "self.yaml": "&a [*a]\n",
    "text-bomb.yaml": "s: &s " + "x" * 500_000 + "\nt: [" + ", ".join(["*s"] * 40) + "]\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_252_and_one_line(tmp_path, name):
    path = tmp_path / name
    path.write_text(BAD_FILES[name])
    code, out, err = run("validate", str(path))
    assert code == 252, (out, err)
    line = one_line(out)
    assert str(path) in line and "input.file" in line
    fmt = "yaml" if name.endswith(".yaml") else "json"
    code, out, err = run(
        "create-backend-auth", f"--cli-input-{fmt}", f"file://{path}", "--validate-only"
    )
    assert code == 252 and out == ""
    assert str(path) in one_line(err)


def test_validate_dev_zero_is_refused_at_the_size_limit():
    done = ours("validate", "/dev/zero")
    assert done.returncode == 252
    assert "MiB" in one_line(done.stdout)


def test_a_huge_whole_number_option_is_quoted_briefly():
    code, _, err = run("list-backend-jobs", "--app-id", "d1", "--max-results", "9" * 5000)
    assert code == 252
    assert "--max-results" in one_line(err)


# -- size the service refuses --------------------------------------------------------------


def test_a_request_over_the_body_limit_is_a_finding_with_the_limit_in_words():
    from amplify_auth_widgets.core.rules import MAX_REQUEST_BYTES
    from amplify_auth_widgets.emulator.server import MAX_BODY

    assert MAX_REQUEST_BYTES == MAX_BODY  # what the emulator refuses, the validator refuses
    request = valid_request(AppId="d1abc", BackendEnvironmentName="dev")
    request["ResourceName"] = "r" * 5_000_000
    found = [f for f in validate(request) if f.code == "amplify.request-size"]
    assert len(found) == 1 and found[0].is_error and found[0].path == "ResourceName"
    assert "1 MiB" in found[0].message and len(found[0].message) < 300
    request["ResourceName"] = "r" * (MAX_BODY // 2)
    assert not [f for f in validate(request) if f.code == "amplify.request-size"]


@pytest.fixture
def credentials(emulator, monkeypatch):
    """The emulator's credentials and endpoint, as the in-process CLI reads them."""
    for name, value in aws_env(emulator.url).items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)


def test_a_5mb_resource_name_is_never_sent(emulator, app_env, tmp_path, credentials):
    app_id, env = app_env
    request = valid_request(AppId=app_id, BackendEnvironmentName=env)
    request["ResourceName"] = "r" * 5_000_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(request))
    code, _, err = run("create-backend-auth", "--cli-input-json", f"file://{path}")
    assert code == 252 and "amplify.request-size" in err and "1 MiB" in err
    assert emulator.store.jobs(app_id, env) == []


# -- options checked before anything is sent -----------------------------------------------


def create_args(emulator, app_id, env, tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(valid_request(AppId=app_id, BackendEnvironmentName=env)))
    return ["create-backend-auth", "--cli-input-json", f"file://{path}"]


@pytest.mark.parametrize(
    "options",
    [
        ["--query", "[["],
        ["--cli-read-timeout", "nan"],
        ["--cli-connect-timeout", "-1"],
        ["--wait", "--wait-timeout", "inf"],
        ["--ca-bundle", "/nonexistent/ca.pem"],
        ["--endpoint-url", "not a url"],
    ],
    ids=lambda o: " ".join(o),
)
def test_bad_options_are_refused_before_sending(emulator, app_env, tmp_path, options, credentials):
    app_id, env = app_env
    argv = create_args(emulator, app_id, env, tmp_path)
    code, _, err = run(*argv, *options)
    assert code in (252, 253), err
    line = one_line(err)
    assert options[-2] in line or options[0] in line
    assert emulator.store.jobs(app_id, env) == []  # nothing was sent
    code, _, err = run(*argv)  # the same without the bad option is sent
    assert code == 0 and len(emulator.store.jobs(app_id, env)) == 1, err


# -- the emulator command ------------------------------------------------------------------


def not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 10)
    return path


@pytest.mark.parametrize(
    "options, code, words",
    [
        (["--port", "99999"], 252, "--port"),
        (["--port", "-1"], 252, "--port"),
        (["--job-seconds", "nan"], 252, "--job-seconds"),
        (["--job-seconds", "inf"], 252, "--job-seconds"),
        (["--job-seconds", "-3"], 252, "--job-seconds"),
        (["--job-seconds", "2-nan"], 252, "--job-seconds"),
        (["--latency-ms", "nan"], 252, "--latency-ms"),
        (["--db", "{folder}"], 252, "folder"),
        (["--db", "{not_sqlite}"], 252, "SQLite"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_emulator_refuses_bad_options_at_start(tmp_path, options, code, words):
    given = [
        o.format(folder=tmp_path, not_sqlite=not_sqlite(tmp_path)) if "{" in o else o
        for o in options
    ]
    done = ours("emulator", "--port", "0", *given)
    assert done.returncode == code, done.stderr
    assert words in one_line(done.stderr)
    assert "listening" not in done.stdout
    if "{not_sqlite}" in options:
        assert not_sqlite(tmp_path).read_text().startswith("these are my notes")
