"""The Gen 2 project ``amplify-auth migrate`` writes (``gen2.project``): its files, the pinned
packages and their shipped lock, the README's escaping, the writer's refusals. One project
installed with ``npm ci`` and type-checked with its own ``npx tsc``: test_gen2_project_install."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from support.deployed import DEPLOYED_PROD, an_export

from amplify_auth_widgets import gen2
from amplify_auth_widgets.gen2 import project as gp

HERE = Path(__file__).resolve().parent
TOOLCHAIN_LOCK = HERE / "package-lock.json"
HOSTILE = "<img src=x onerror=alert(1)> *em* [a](http://x) `c` ``` \\ &amp; |t| # h\n# H1\r\u202e"


# -- the packages --------------------------------------------------------------------------


def test_the_pinned_versions_are_those_the_toolchain_tests_prove():
    locked = json.loads(TOOLCHAIN_LOCK.read_text())["packages"]
    both = {name for name in gp.VERSIONS if f"node_modules/{name}" in locked}
    # the packages the exported code compiles and synthesizes against are all in both
    assert {"@aws-amplify/backend", "aws-cdk-lib", "constructs", "typescript"} <= both
    for name in both:
        assert gp.VERSIONS[name] == locked[f"node_modules/{name}"]["version"], name


def test_every_version_is_exact():
    for name, version in gp.VERSIONS.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)


def test_the_shipped_lock_is_the_lock_of_the_package_json():
    lock = gp.shipped_lock()
    package = json.loads(gp.package_json(gp.LOCK_NAME))
    root = lock["packages"][""]
    assert lock["name"] == root["name"] == package["name"] == gp.LOCK_NAME
    assert root["version"] == package["version"]
    assert root["dependencies"] == package["dependencies"]
    assert root["devDependencies"] == package["devDependencies"]
    # and it resolves each package to the very version pinned
    for name, version in gp.VERSIONS.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    # only the registry's tarballs, checked by their integrity
    for path, entry in lock["packages"].items():
        if path and "resolved" in entry:
            assert entry["resolved"].startswith("https://registry.npmjs.org/"), path
            assert entry["integrity"].startswith("sha512-"), path


def test_package_json_is_an_es_module_with_the_trigger_client_at_run_time():
    package = json.loads(gp.package_json("amplify-gen2-x"))
    assert package["type"] == "module" and package["private"] is True
    assert package["dependencies"] == {
        "@aws-sdk/client-cognito-identity-provider": gp.VERSIONS[
            "@aws-sdk/client-cognito-identity-provider"
        ]
    }
    assert "@aws-amplify/backend-cli" in package["devDependencies"]  # npx ampx
    assert set(package["dependencies"]) | set(package["devDependencies"]) == set(gp.VERSIONS)


def test_the_lock_is_renamed_at_its_root_only():
    lock = json.loads(gp.package_lock("amplify-gen2-d1-prod"))
    assert lock["name"] == lock["packages"][""]["name"] == "amplify-gen2-d1-prod"
    shipped = gp.shipped_lock()
    assert {k: v for k, v in lock["packages"].items() if k} == {
        k: v for k, v in shipped["packages"].items() if k
    }


@pytest.mark.parametrize(
    "app, env, expected",
    [
        ("d1abc", "prod", "amplify-gen2-d1abc-prod"),
        ("D1ABC", "Prod", "amplify-gen2-d1abc-prod"),
        ("../../etc", "x y", "amplify-gen2-..-..-etc-x-y"),
        ("", "", "amplify-gen2"),
        ("@scope/name", "", "amplify-gen2-scope-name"),
    ],
)
def test_package_names_follow_npms_rules(app, env, expected):
    assert gp.package_name(app, env) == expected


@given(st.text(max_size=300), st.text(max_size=300))
def test_any_names_give_an_npm_package_name(app, env):
    name = gp.package_name(app, env)
    assert gp.NPM_NAME.fullmatch(name) and len(name) <= 214
    assert not name.endswith((".", "-", "_"))


def test_a_name_npm_refuses_is_refused():
    with pytest.raises(ValueError, match="not an npm package name"):
        gp.project(an_export(), "Has Capitals")


# -- the files -----------------------------------------------------------------------------


def test_the_project_holds_its_files_and_the_exports():
    export = an_export()
    files = gp.project(export)
    assert set(files) == {
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        ".gitignore",
        "README.md",
        "amplify/package.json",
        "amplify/tsconfig.json",
        *export.files,
    }
    for name, text in export.files.items():
        assert files[name] == text
    assert json.loads(files["amplify/package.json"]) == {"type": "module"}
    assert json.loads(files["package.json"])["name"] == "amplify-gen2-d1abc-prod"
    assert json.loads(files["package-lock.json"])["name"] == "amplify-gen2-d1abc-prod"
    amplify = json.loads(files["amplify/tsconfig.json"])["compilerOptions"]
    assert amplify["moduleResolution"] == "bundler" and amplify["strict"] is True
    assert amplify["paths"] == {"$amplify/*": ["../.amplify/generated/*"]}
    root = json.loads(files["tsconfig.json"])
    assert root["extends"] == "./amplify/tsconfig.json"
    assert root["include"] == ["amplify/**/*.ts"]
    assert {"node_modules", ".amplify", "amplify_outputs*"} <= set(files[".gitignore"].split())


def test_recreate_brings_the_trigger_and_keep_only_references():
    recreate = gp.project(an_export(way="recreate"))
    assert "amplify/auth/migrate-users/handler.ts" in recreate
    assert "amplify/auth/migrate-users/resource.ts" in recreate
    kept = gp.project(an_export(way="keep"))
    assert "referenceAuth" in kept["amplify/auth/resource.ts"]
    assert not any("migrate-users" in name for name in kept)


# -- the README ----------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def rendered(markdown: str) -> _Tags:
    parser = _Tags()
    parser.feed(MarkdownIt("commonmark").render(markdown))
    return parser


def test_the_readme_says_the_secrets_and_the_deploy_steps():
    readme = gp.project(an_export())["README.md"]
    assert "## The way: the configuration only" in readme
    assert "npx ampx sandbox secret set GOOGLE_CLIENT_SECRET" in readme
    assert "npx ampx sandbox secret set GOOGLE_CLIENT_ID" in readme
    for step in ("npm ci", "npx tsc --noEmit", "npx ampx sandbox", "npx ampx pipeline-deploy"):
        assert step in readme
    assert "g-secret-value" not in readme
    assert "update-user-pool-client" not in readme


def run_blocks(readme: str) -> list[list[str]]:
    """Each command of the README's code blocks, run by ``sh`` with ``aws`` a function that
    prints the words it was given: what a user pasting them would run."""
    blocks = [t.content for t in MarkdownIt("commonmark").parse(readme) if t.type == "fence"]
    printer = 'aws() { "$PY" -c "import json, sys; print(json.dumps(sys.argv[1:]))" "$@"; }'
    script = "\n".join([printer, *(b for b in blocks if b.startswith("aws "))])
    env = {"PY": sys.executable, "PATH": os.environ["PATH"]}
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_readme_of_keep_says_the_pool_stays_and_has_no_secret_to_set():
    readme = gp.project(an_export(way="keep"))["README.md"]
    assert "## The way: keep" in readme and "referenceAuth" in readme
    assert "The code reads no secret: there is none to set." in readme
    assert "update-user-pool-client" not in readme


def test_the_readme_of_recreate_gives_the_old_pool_commands_shell_quoted(tmp_path):
    hostile = f"us-east-1_x'; touch {tmp_path}/pwned #`\n```"
    deployed = dataclasses.replace(DEPLOYED_PROD, user_pool_id=hostile)
    readme = gp.project(an_export(way="recreate", deployed=deployed))["README.md"]
    assert "## The way: recreate" in readme and "USER_PASSWORD_AUTH" in readme
    page = rendered(readme)
    assert set(page.tags) <= {"h1", "h2", "p", "pre", "code", "ul", "li"}
    commands = run_blocks(readme)
    update = next(c for c in commands if c[1] == "update-user-pool-client")
    assert update[update.index("--user-pool-id") + 1] == hostile
    assert "ALLOW_ADMIN_USER_PASSWORD_AUTH" in update
    listing = next(c for c in commands if c[1] == "list-users")
    assert listing[listing.index("--user-pool-id") + 1] == hostile
    assert [c[1] for c in commands] == [
        "describe-user-pool-client", "update-user-pool-client", "list-users"
    ]  # fmt: skip
    assert not (tmp_path / "pwned").exists()


def test_hostile_names_stay_literal_text_in_the_readme():
    export = an_export(app=HOSTILE, env=HOSTILE)
    readme = gp.project(export, "amplify-gen2-hostile")["README.md"]
    page = rendered(readme)
    # no element comes from a name: the headings, paragraphs and code blocks are ours
    assert set(page.tags) <= {"h1", "h2", "p", "pre", "code", "ul", "li"}
    assert page.tags.count("h1") == 1
    title = readme.splitlines()[0]
    shown = rendered(title).text
    # the name reads as it was, its line breaks and controls shown as U+FFFD
    literal = re.sub(r"[\n\r\u202e]", "\ufffd", HOSTILE)
    assert "".join(shown).count(literal) == 2


def test_a_code_block_outlasts_any_backticks_in_it():
    lines = ["echo ```", "````", "x"]
    block = gp.code_block(lines)
    assert block[0] == "`````sh" and block[-1] == "`````"
    page = rendered("\n".join(block))
    assert page.tags == ["pre", "code"]
    assert page.text[0] == "echo ```\n````\nx\n"


# -- writing -------------------------------------------------------------------------------


def test_a_project_is_written_then_refused_again_without_force(tmp_path):
    export = an_export()
    folder = tmp_path / "p"
    first = gp.write_project(export, folder)
    assert {w.action for w in first} == {"created"}
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert len(before) == len(gp.project(export))
    with pytest.raises(gen2.WriteRefused, match=r"is not empty\. Nothing was written"):
        gp.write_project(export, folder)
    again = gp.write_project(export, folder, force=True)
    assert {w.action for w in again} == {"unchanged"}
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_any_file_makes_a_folder_not_empty(tmp_path):
    (tmp_path / ".keep").write_text("")
    with pytest.raises(gen2.WriteRefused, match="not empty"):
        gp.write_project(an_export(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [".keep"]


def test_force_replaces_a_changed_file_keeping_a_copy(tmp_path):
    export = an_export()
    gp.write_project(export, tmp_path)
    (tmp_path / "package.json").write_text("{}\n")
    written = {w.path: w for w in gp.write_project(export, tmp_path, force=True)}
    assert written[tmp_path / "package.json"].action == "replaced"
    assert {w.action for p, w in written.items() if p.name != "package.json"} == {"unchanged"}
    assert (tmp_path / "package.json.bak").read_text() == "{}\n"
    assert (tmp_path / "package.json").read_text() == gp.project(export)["package.json"]


def test_a_link_in_the_project_is_refused_even_with_force(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "amplify").symlink_to(outside, target_is_directory=True)
    with pytest.raises(gen2.WriteRefused, match="symbolic link"):
        gp.write_project(an_export(), folder, force=True)
    assert list(outside.iterdir()) == []
    assert [p.name for p in folder.iterdir()] == ["amplify"]
