"""`amplify-auth migrate` as a real process against the emulator over HTTP: one environment
each way, the whole plan with --all, a second run refused then allowed with --force (the same
files), hostile names kept literal and inside --out, and every refusal with its message."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import ours, valid_request
from markdown_it import MarkdownIt

from amplify_auth_widgets.cli.migrate import folder_name, terminal
from amplify_auth_widgets.client.connection import Connection
from amplify_auth_widgets.client.service import BackendAuthService
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.gen2 import project as gp

HOSTILE_ENV = "<b>*x*</b>/../`e`\n$(id)"


@pytest.fixture(scope="module")
def quick():
    with Emulator(job_seconds=0, seed=23) as emu:
        yield emu


def deployed_env(emu, name="mig", env="prod", **changes):
    """An app whose environment's auth job has completed (job_seconds=0): its ids deployed."""
    app_id = emu.create_app(name, (env,))
    request = valid_request(AppId=app_id, BackendEnvironmentName=env, **changes)
    BackendAuthService(Connection.for_emulator(emu.url)).create_backend_auth(request)
    return app_id


def migrate(url, *argv):
    return ours(url, "migrate", "--color", "off", *argv)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_keep_writes_a_project_that_references_the_deployed_pool(quick, tmp_path):
    app_id = deployed_env(quick)
    deployed = BackendAuthService(Connection.for_emulator(quick.url)).deployed_auth(app_id, "prod")
    out = tmp_path / "p"
    done = migrate(
        quick.url, "--app-id", app_id, "--backend-environment-name", "prod", "--way", "keep",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"wrote app {app_id}, environment prod: way keep to {out}" in done.stdout
    files = files_of(out)
    assert set(files) == set(gp.project(_export_of(quick, app_id, "prod", "keep")))
    resource = files["amplify/auth/resource.ts"].decode()
    assert "referenceAuth" in resource and f'"{deployed.user_pool_id}"' in resource
    package = json.loads(files["package.json"])
    assert package["name"] == f"amplify-gen2-{app_id}-prod"
    assert package["devDependencies"]["@aws-amplify/backend"] == gp.VERSIONS["@aws-amplify/backend"]
    assert "## The way: keep" in files["README.md"].decode()
    assert "npm ci && npx tsc --noEmit" in done.stderr


def _export_of(emu, app_id, env, way):
    from amplify_auth_widgets import gen2

    service = BackendAuthService(Connection.for_emulator(emu.url))
    deployed = service.deployed_auth(app_id, env)
    config = service.get_backend_auth(app_id, env, deployed.resource_name)
    return gen2.export(config, way=way, deployed=deployed)


def test_recreate_adds_the_trigger_and_the_old_pool_commands(quick, tmp_path):
    app_id = deployed_env(quick)
    out = tmp_path / "p"
    done = migrate(
        quick.url, "--app-id", app_id, "--backend-environment-name", "prod", "--way",
        "recreate", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    files = files_of(out)
    assert "amplify/auth/migrate-users/handler.ts" in files
    assert "amplify/auth/migrate-users/resource.ts" in files
    readme = files["README.md"].decode()
    assert "## The way: recreate" in readme
    assert "aws cognito-idp update-user-pool-client" in readme
    assert "npx ampx sandbox secret set GOOGLE_CLIENT_SECRET" in readme
    assert "g-secret-value" not in "".join(f.decode() for f in files.values())


def test_a_second_run_is_refused_then_writes_the_same_files_with_force(quick, tmp_path):
    app_id = deployed_env(quick)
    out = tmp_path / "p"
    argv = ["--app-id", app_id, "--backend-environment-name", "prod", "--way", "recreate"]
    first = migrate(quick.url, *argv, "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = files_of(out)
    again = migrate(quick.url, *argv, "--out", str(out))
    assert again.returncode == 252
    assert f"error: {out} is not empty. Nothing was written" in again.stderr
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    forced = migrate(quick.url, *argv, "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert files_of(out) == before  # the same files, and no .bak beside them
    assert forced.stderr.count("unchanged ") == len(before)


def test_user_pool_only_cannot_keep_its_pool(quick, tmp_path):
    config = valid_request()["ResourceConfig"]
    config["AuthResources"] = "USER_POOL_ONLY"
    config.pop("IdentityPoolConfigs", None)
    app_id = deployed_env(quick, ResourceConfig=config)
    out = tmp_path / "p"
    done = migrate(
        quick.url, "--app-id", app_id, "--backend-environment-name", "prod", "--way", "keep",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 252, done.stderr
    assert "USER_POOL_ONLY" in done.stderr and "Use --way recreate" in done.stderr
    assert not out.exists()


def test_an_environment_without_deployed_auth_is_named(quick, tmp_path):
    app_id = quick.create_app("bare", ("dev",))
    done = migrate(
        quick.url, "--app-id", app_id, "--backend-environment-name", "dev", "--way", "keep",
        "--out", str(tmp_path / "p"),
    )  # fmt: skip
    assert done.returncode == 255, done.stderr
    assert f"app {app_id}, environment dev has no deployed auth" in done.stderr
    assert "deploy its Gen 1 auth first" in done.stderr
    assert not (tmp_path / "p").exists()


def test_an_unknown_app_is_the_services_error(quick, tmp_path):
    done = migrate(
        quick.url, "--app-id", "dnosuchapp", "--backend-environment-name", "dev", "--way",
        "keep", "--out", str(tmp_path / "p"),
    )  # fmt: skip
    assert done.returncode == 254, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--out", "x"], "--app-id, --backend-environment-name, --way missing"),
        (["--app-id", "d1", "--out", "x", "--way", "keep"], "--backend-environment-name missing"),
        (["--all", "--app-id", "d1", "--out", "x"], "--all takes no --app-id"),
        (["--app-id", "d", "--backend-environment-name", "e", "--way", "move", "--out", "x"],
         "--way 'move' is not a way: keep or recreate"),
        (["--all"], "the following arguments are required: --out"),
        (["--app-id", "d", "--backend-environment-name", "e", "--way", "keep", "--out", "x",
          "--apps", "a"], "--apps and --environments go with --all"),
    ],
)  # fmt: skip
def test_bad_options_exit_252_with_a_message(argv, message):
    done = migrate("http://127.0.0.1:9", *argv)
    assert done.returncode == 252, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# -- --all ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fleet_emulator():
    """Apps of every kind the plan tells apart, a hostile environment name among them."""
    with Emulator(job_seconds=0, seed=29) as emu:
        apps = {
            "keep": deployed_env(emu, "keeper", "prod"),
            "hostile": deployed_env(emu, "<img src=x> *app*", HOSTILE_ENV),
            "bare": emu.create_app("bare", ("dev",)),
        }
        yield emu, apps


def test_all_writes_a_project_per_environment_not_blocked(fleet_emulator, tmp_path):
    emu, apps = fleet_emulator
    out = tmp_path / "out"
    done = migrate(emu.url, "--all", "--out", str(out), "--no-progress")
    assert done.returncode == 1, done.stdout + done.stderr  # the bare one blocked, as fleet plan
    lines = done.stdout.splitlines()
    keeper = out / f"{apps['keep']}-prod"
    # the configuration has a weakness keep would freeze: keep is still the way shown
    assert f"written  {apps['keep']}/prod  [needs a decision]  way keep -> {keeper}" in lines
    blocked = [line for line in lines if line.startswith("blocked  ")]
    assert len(blocked) == 1 and blocked[0].startswith(f"blocked  {apps['bare']}/dev  [blocked]")
    assert lines[-1] == f"2 written, 0 refused, 1 blocked, 0 error of 3 environments, under {out}"
    assert (keeper / "amplify/auth/resource.ts").is_file()
    # the hostile environment's project is one folder directly under --out, its name made safe
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2 and all("/" not in f and "\n" not in f for f in folders)
    hostile = next(out / f for f in folders if f.startswith(apps["hostile"]))
    readme = (hostile / "README.md").read_text()
    title = MarkdownIt("commonmark").render(readme.splitlines()[0])
    shown = html.escape(HOSTILE_ENV.replace("\n", "\ufffd"), quote=False)
    assert title == f"<h1>Amplify Gen 2 auth of app {apps['hostile']}, environment {shown}</h1>\n"
    # the terminal line shows the name quoted, its line break escaped
    assert any(line.startswith(f"written  {apps['hostile']}/'<b>") for line in lines)
    assert not (tmp_path / "b").exists() and not (out.parent / "e").exists()


def test_all_with_a_way_takes_it_everywhere_and_is_refused_again(fleet_emulator, tmp_path):
    emu, apps = fleet_emulator
    out = tmp_path / "out"
    argv = ["--all", "--out", str(out), "--no-progress", "--way", "recreate"]
    done = migrate(emu.url, *argv, "--apps", apps["keep"])
    assert done.returncode == 0, done.stdout + done.stderr
    folder = out / f"{apps['keep']}-prod"
    assert (folder / "amplify/auth/migrate-users/handler.ts").is_file()
    assert "way recreate" in done.stdout
    again = migrate(emu.url, *argv, "--apps", apps["keep"])
    assert again.returncode == 252
    assert (
        f"refused  {apps['keep']}/prod  [needs a decision]  {folder} is not empty" in again.stdout
    )


# -- names on disk and on the terminal -----------------------------------------------------


@pytest.mark.parametrize(
    "app, env",
    [("d1", "../.."), ("..", ".."), ("d1", "a/b"), ("d1", "x\ny"), ("", ""), ("-d", "_e")],
)
def test_a_folder_name_is_one_plain_name_whatever_the_names(app, env):
    name = folder_name(app, env)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name), name
    assert name != f"{app}-{env}"  # changed, so made unique by a hash of the names


def test_plain_names_are_kept_and_changed_ones_never_meet():
    assert folder_name("d1abc", "prod") == "d1abc-prod"
    assert len({folder_name("d1", e) for e in ("a/b", "a_b", "a b", "a\nb")}) == 4


def test_a_terminal_line_escapes_every_control_character():
    assert terminal("a\x1b[31mb\nc\u202ed\u2028é") == "a\\x1b[31mb\\nc\\u202ed\\u2028é"
