"""`amplify-auth migrate` called directly (``cli.entry.main``) against the emulator over HTTP:
the whole lines it writes for each end of one environment (written, replaced and unchanged
with --force, refused, a disk error, a way the environment cannot take, deployed auth missing
or unreadable, the service's error), every option refusal word for word, and --all's lines,
summary and worst exit code. The module's other tests run the CLI as a process, which a
mutation run cannot reach. (Not named "in_process": mutation runs deselect every test whose
name holds "process", its file's name included.)"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import sign_as_emulator, valid_request

from amplify_auth_widgets.cli.entry import main
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.client.service import BackendAuthService
from amplify_auth_widgets.emulator import Emulator

RESET = "\033[0m"
NEXT = "then there: npm ci && npx tsc --noEmit && npx ampx sandbox"


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    sign_as_emulator(monkeypatch)


@pytest.fixture(scope="module")
def emu():
    with Emulator(job_seconds=0, seed=31) as emulator:
        yield emulator


def deployed(emu, name, env="prod", pool_only=False):
    """An app whose environment's auth job completed (job_seconds=0): its ids deployed."""
    app_id = emu.create_app(name, (env,))
    request = valid_request(AppId=app_id, BackendEnvironmentName=env)
    if pool_only:
        request["ResourceConfig"]["AuthResources"] = "USER_POOL_ONLY"
        request["ResourceConfig"].pop("IdentityPoolConfigs", None)
    BackendAuthService(Connection.for_emulator(emu.url)).create_backend_auth(request)
    return app_id


def run(emu, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["migrate", "--color", "off", *argv, "--endpoint-url", emu.url], out, err)
    return code, out.getvalue(), err.getvalue()


def one(emu, app_id, env, way, out, *more):
    argv = ["--app-id", app_id, "--backend-environment-name", env, "--way", way]
    return run(emu, *argv, "--out", str(out), *more)


def test_written_then_refused_then_replaced_and_unchanged_with_force(emu, tmp_path):
    app_id, out = deployed(emu, "written"), tmp_path / "p"
    code, stdout, stderr = one(emu, app_id, "prod", "keep", out)
    assert code == 0, stderr
    assert stdout == f"wrote app {app_id}, environment prod: way keep to {out}\n"
    *wrote, last = stderr.splitlines()
    files = sorted(str(p) for p in out.rglob("*") if p.is_file())
    assert sorted(wrote) == [f"wrote {f}" for f in files]
    assert last == f"Next: read {out / 'README.md'} (the secrets to set), {NEXT}"
    code, stdout, stderr = one(emu, app_id, "prod", "keep", out)
    assert (code, stdout) == (252, "")
    assert stderr.startswith(f"error: {out} is not empty. Nothing was written")
    (out / "README.md").write_text("changed by hand")
    code, _, stderr = one(emu, app_id, "prod", "keep", out, "--force")
    readme = out / "README.md"
    assert code == 0, stderr
    assert f"replaced {readme} (its old text is in {readme}.bak)" in stderr.splitlines()
    unchanged = [line for line in stderr.splitlines() if line.startswith("unchanged ")]
    assert sorted(unchanged) == [f"unchanged {f}" for f in files if f != str(readme)]


def test_a_folder_that_cannot_be_made_is_a_disk_error(emu, tmp_path):
    app_id = deployed(emu, "disk")
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "p"
    code, stdout, stderr = one(emu, app_id, "prod", "recreate", out)
    assert (code, stdout) == (255, "")
    assert stderr.startswith(f"error: cannot write the project under {out}: ")


def test_a_way_the_environment_cannot_take_is_refused_in_the_options_words(emu, tmp_path):
    app_id = deployed(emu, "pool-only", "dev", pool_only=True)
    code, _, stderr = one(emu, app_id, "dev", "keep", tmp_path / "p")
    assert code == 252
    assert stderr.startswith(f"error: app {app_id}, environment dev: --way keep references")
    assert "Use --way recreate (a new pool" in stderr and "way=" not in stderr
    assert not (tmp_path / "p").exists()


def test_no_deployed_auth_and_unreadable_deployed_auth_are_named(emu, tmp_path):
    bare = emu.create_app("bare", ("dev",))
    code, _, stderr = one(emu, bare, "dev", "keep", tmp_path / "p")
    assert code == 255
    assert stderr == (
        f"error: app {bare}, environment dev has no deployed auth (GetBackend's "
        "AmplifyMetaConfig names no user pool): deploy its Gen 1 auth first (amplify push, or "
        "create-backend-auth --wait) and migrate once that job completed.\n"
    )
    broken = emu.create_app("broken", ("dev",))
    config = valid_request()["ResourceConfig"]
    emu.backend.store.put_auth(broken, "dev", "bad", config, emu.clock(), {"UserPoolId": "nope"})
    code, _, stderr = one(emu, broken, "dev", "keep", tmp_path / "q")
    assert code == 255
    assert stderr == (
        f"error: app {broken}, environment dev: its deployed auth cannot be read: "
        "AmplifyMetaConfig.auth.bad.output.UserPoolId 'nope' is not a user pool id "
        "(<region>_<id>, e.g. us-east-1_AbC123xyZ)\n"
    )
    assert not (tmp_path / "p").exists() and not (tmp_path / "q").exists()


def test_a_hostile_name_is_shown_quoted_and_escaped(emu, tmp_path):
    env = "e\x1b[31m"
    bare = emu.create_app("hostile", (env,))
    code, _, stderr = one(emu, bare, env, "keep", tmp_path / "p")
    assert code == 255
    assert stderr.startswith(f"error: app {bare}, environment 'e\\x1b[31m' has no deployed")
    assert "\x1b" not in stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--out", "x"],
            "migrate: --app-id, --backend-environment-name, --way missing: give --app-id, "
            "--backend-environment-name and --way keep|recreate for one environment, or --all "
            "for the whole plan.",
        ),
        (
            ["--app-id", "d1", "--way", "keep", "--out", "x"],
            "migrate: --backend-environment-name missing: give --app-id, "
            "--backend-environment-name and --way keep|recreate for one environment, or --all "
            "for the whole plan.",
        ),
        (
            ["--all", "--app-id", "d1", "--backend-environment-name", "e", "--out", "x"],
            "migrate: --all takes no --app-id or --backend-environment-name; use --apps and "
            "--environments to narrow it.",
        ),
        (
            ["--all", "--backend-environment-name", "e", "--out", "x"],
            "migrate: --all takes no --backend-environment-name; use --apps and --environments "
            "to narrow it.",
        ),
        (
            ["--app-id", "d", "--backend-environment-name", "e", "--way", "move", "--out", "x"],
            "migrate: --way 'move' is not a way: keep or recreate.",
        ),
        (
            [
                "--app-id",
                "d",
                "--backend-environment-name",
                "e",
                "--way",
                "keep",
                "--out",
                "x",
                "--environments",
                "a",
            ],
            "migrate: --apps and --environments go with --all.",
        ),
    ],
)
def test_each_option_refusal_word_for_word(emu, argv, message):
    code, stdout, stderr = run(emu, *argv)
    assert (code, stdout) == (252, "")
    assert message in stderr.splitlines()[-1]


def test_all_writes_each_environment_not_blocked_a_line_each_and_the_worst_exit_code(tmp_path):
    with Emulator(job_seconds=0, seed=37) as emu:
        kept = deployed(emu, "kept", "prod")
        pool_only = deployed(emu, "pool-only", "dev", pool_only=True)
        bare = emu.create_app("bare", ("dev",))
        out = tmp_path / "out"
        code, stdout, stderr = run(emu, "--all", "--no-progress", "--out", str(out))
        assert code == 1, stderr  # the bare one blocked (the others written), as fleet plan
        lines = stdout.splitlines()
        assert sorted(lines[:-1]) == sorted(
            [
                f"written  {kept}/prod  [needs a decision]  way keep -> {out / f'{kept}-prod'}",
                f"written  {pool_only}/dev  [ready with overrides]  way recreate -> "
                f"{out / f'{pool_only}-dev'}",
                f"blocked  {bare}/dev  [blocked]  no auth: the environment has no auth resource, "
                "so there are no users to move",
            ]
        )
        assert (
            lines[-1] == f"2 written, 0 refused, 1 blocked, 0 error of 3 environments, under {out}"
        )
        # --way keep everywhere: the USER_POOL_ONLY one is refused, which outranks a block
        code, stdout, _ = run(
            emu, "--all", "--no-progress", "--way", "keep", "--out", str(out / "k")
        )
        assert code == 252
        (refused,) = [line for line in stdout.splitlines() if line.startswith("refused  ")]
        assert refused.startswith(
            f"refused  {pool_only}/dev  [ready with overrides]  app {pool_only}, environment dev: "
            "--way keep references"
        )
        assert stdout.splitlines()[-1] == (
            f"1 written, 1 refused, 1 blocked, 0 error of 3 environments, under {out / 'k'}"
        )
        code, stdout, _ = run(
            emu, "--all", "--no-progress", "--apps", kept, "--out", str(out / "o")
        )
        assert code == 0
        assert stdout.splitlines()[-1] == (
            f"1 written, 0 refused, 0 blocked, 0 error of 1 environment, under {out / 'o'}"
        )
        assert Path(out / "o" / f"{kept}-prod" / "amplify" / "backend.ts").is_file()


@pytest.mark.parametrize(
    ("app_id", "env", "name"),
    [
        ("d1abc", "prod", "d1abc-prod"),
        ("d1", "a/b", "d1-a_b-8a2cc70940"),
        ("..", "..", "x-x-dc1205010d"),
        (".a.", "-b-", "a-b-c778c2374d"),
        ("d1", "x" * 60 + "/y", "d1-" + "x" * 40 + "-95b5a7bebd"),
        ("d1\0", "prod", "d1-prod-bca7533e51"),
    ],
)
def test_a_folder_name_is_the_same_at_every_run(app_id, env, name):
    # a second migrate --all --force must find the folders the first one wrote
    from amplify_auth_widgets.cli.migrate import folder_name

    assert folder_name(app_id, env) == name


def test_lines_are_coloured_by_outcome_when_asked(tmp_path):
    from amplify_auth_widgets.cli.output import paint

    with Emulator(job_seconds=0, seed=41) as emu:
        kept = deployed(emu, "kept", "prod")
        pool_only = deployed(emu, "pool-only", "dev", pool_only=True)
        bare = emu.create_app("bare", ("dev",))
        out, err = io.StringIO(), io.StringIO()
        argv = ["migrate", "--all", "--no-progress", "--way", "keep", "--color", "on"]
        code = main([*argv, "--out", str(tmp_path), "--endpoint-url", emu.url], out, err)
        assert code == 252
        lines = {
            line.split("  ")[1].split("/")[0]: line for line in out.getvalue().splitlines()[:-1]
        }
        for app_id, kind in ((kept, "ok"), (pool_only, "error"), (bare, "warning")):
            start = paint("", kind, True).removesuffix(RESET)
            line = lines[app_id]
            assert line.startswith(start) and line.endswith(RESET), (app_id, line)
            assert "\033" not in line[len(start) : -len(RESET)]
        out, err = io.StringIO(), io.StringIO()
        argv = ["migrate", "--app-id", bare, "--backend-environment-name", "dev", "--way", "keep"]
        code = main(
            [*argv, "--color", "on", "--out", str(tmp_path / "b"), "--endpoint-url", emu.url],
            out,
            err,
        )
        assert code == 255
        start = paint("", "error", True).removesuffix(RESET)
        said = err.getvalue()
        assert said.startswith(f"{start}error: app {bare}, environment dev has no deployed auth")
        assert said.endswith(f"{RESET}\n")


def test_apps_and_environments_are_lists_with_spaces_and_empty_parts_dropped(tmp_path):
    with Emulator(job_seconds=0, seed=43) as emu:
        kept = deployed(emu, "kept", "prod")
        other = deployed(emu, "other", "dev")
        for narrowed, written in (
            (["--apps", f" {kept} , ,", "--environments", "prod,"], kept),
            (["--environments", " dev , "], other),
        ):
            out = tmp_path / written
            code, stdout, _ = run(emu, "--all", "--no-progress", *narrowed, "--out", str(out))
            assert code == 0
            assert [p.name for p in out.iterdir()] == [
                f"{written}-{'prod' if written == kept else 'dev'}"
            ]
            assert stdout.splitlines()[-1].startswith(
                "1 written, 0 refused, 0 blocked, 0 error of 1 "
            )


def test_an_environment_gone_since_the_audit_is_the_services_error(emu, tmp_path):
    # the plan row of an app deleted between the audit and the write
    import argparse

    from amplify_auth_widgets.cli.migrate import _plan_row

    service = BackendAuthService(Connection.for_emulator(emu.url))
    args = argparse.Namespace(way=None, force=False)
    row = {
        "app_id": "dgone",
        "environment": "dev",
        "verdict": "ready",
        "way": "keep",
        "reasons": [],
    }
    outcome = _plan_row(service, row, args, tmp_path, set())
    assert (outcome.status, outcome.exit_code) == ("error", 254)
    assert outcome.message.startswith("GetBackend: NotFoundException: ")


def test_a_name_or_line_is_shown_inert_on_a_terminal():
    from amplify_auth_widgets.cli.migrate import shown, terminal

    assert (
        terminal("a\x1b[31mb\nc\u202ed\u2028é\x7f\x9f")
        == "a\\x1b[31mb\\nc\\u202ed\\u2028é\\x7f\\x9f"
    )
    assert [shown(n) for n in ("d1abc", "prod-2", "a b", "-x", "x" * 100)] == [
        "d1abc",
        "prod-2",
        "'a b'",
        "'-x'",
        "x" * 100,
    ]


def test_all_shows_the_audits_progress_unless_told_not_to(emu, tmp_path, capsys):
    deployed(emu, "progress", "prod")
    code, _, _ = run(emu, "--all", "--apps", "progress", "--out", str(tmp_path / "a"))
    shown = capsys.readouterr().err
    assert code == 0 and re.search(r"^audit: 1/1 .*(env/s|s/env)", shown, re.M), shown
    code, _, _ = run(
        emu, "--all", "--apps", "progress", "--no-progress", "--out", str(tmp_path / "b")
    )
    assert code == 0 and capsys.readouterr().err == ""


def test_help_says_what_each_option_does():
    out, err = io.StringIO(), io.StringIO()
    assert main(["migrate", "--help"], out, err) == 0
    said = " ".join(out.getvalue().split())  # whatever the terminal's width
    assert (
        "Write an Amplify Gen 2 project (package.json pinned, its lock, tsconfig.json, amplify/, "
        "a README with the secrets to set and the steps to deploy) for one environment's auth, "
        "or, with --all, for every environment the migration plan does not block. "
    ) in said
    assert (
        "which environments: --app-id APP_ID the app of the environment "
        "--backend-environment-name BACKEND_ENVIRONMENT_NAME the environment "
        "--all every environment the migration plan does not block "
        "--apps APPS with --all: app ids or names, comma-separated "
        "--environments ENVIRONMENTS with --all: environment names, comma-separated "
        "the project: --way keep|recreate keep: reference the Gen 1 pool (referenceAuth); "
        "recreate: a new pool the users move into at sign-in (a user-migration trigger). "
        "Required for one environment; with --all it overrides the plan's recommendation "
        "--out DIR the project's folder "
        "--force write into a folder that is not empty (a file that differs is kept as NAME.bak) "
        "--color {on,off,auto} --no-progress with --all, no progress bar "
        "connection (as the AWS CLI):"
    ) in said
    assert "--out DIR" in said.split("usage:")[1].split("[--force]")[0]  # required: no brackets
    out = io.StringIO()
    main(["--help"], out, io.StringIO())
    assert (
        "migrate Write a complete Amplify Gen 2 project for an environment's auth, users kept."
        in " ".join(out.getvalue().split())
    )
