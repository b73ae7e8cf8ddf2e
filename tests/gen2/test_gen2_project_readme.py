"""The README of a generated Gen 2 project, in full, for each way; and the project's own files.

test_gen2_project.py checks what must hold for any names (escaping, the commands shell-quoted
and run by ``sh``, the steps present). The README is what the user follows to move: these pin
its every section for one environment and each way, the "Not carried across" list, and the
JSON files and .gitignore as written, so that a changed step, command or sentence is seen.
(A mutation run of gen2/project.py found them unchecked.)
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import valid_request
from support.deployed import DEPLOYED_PROD, an_export

from amplify_auth_widgets import gen2
from amplify_auth_widgets.gen2 import project as gp

POOL, CLIENT = DEPLOYED_PROD.user_pool_id, DEPLOYED_PROD.web_client_id
WHERE = f"--region us-east-1 --user-pool-id {POOL} --client-id {CLIENT}"

TITLE = """\
# Amplify Gen 2 auth of app d1abc, environment prod

Written by `amplify-auth migrate` (amplify-auth-widgets) from the Gen 1 auth resource mainauth.
"""

WAY_NONE = """\
## The way: the configuration only

This backend creates a new, empty user pool with the Gen 1 configuration; no user moves to it. \
`amplify-auth migrate --way keep` or `--way recreate` keeps the users.
"""

WAY_KEEP = """\
## The way: keep

The Gen 2 backend references the Gen 1 user pool and identity pool (`referenceAuth`): users, \
their passwords and their sessions stay where they are. The pool's settings stay managed \
outside Gen 2, which cannot change them. Gen 1 still owns the pools: do not delete the Gen 1 \
environment (or its auth) while this backend references them, as that deletes the pool and \
its users.
"""

WAY_RECREATE = """\
## The way: recreate

The Gen 2 backend creates a new user pool. Its user-migration trigger \
(`amplify/auth/migrate-users/`) moves each user from the Gen 1 user pool, with their password, \
the first time they sign in (or reset their password) here. Cognito calls it only at a \
`USER_PASSWORD_AUTH` sign-in, never with SRP: until the users have moved, the front end signs \
in with `authFlowType: "USER_PASSWORD_AUTH"`. MFA devices, TOTP secrets, remembered devices \
and groups do not move; social identities relink at their first sign-in with the provider. \
Users who never sign in stay in the Gen 1 pool: keep it until they have moved.
"""

SECRETS = """\
## Secrets to set

The code reads each of these with `secret(...)`; their Gen 1 values were not exported. Set each \
one in your sandbox before deploying (and, for a branch, under Hosting, Secrets in the Amplify \
console):

```sh
npx ampx sandbox secret set GOOGLE_CLIENT_ID
npx ampx sandbox secret set GOOGLE_CLIENT_SECRET
```
"""

NO_SECRETS = """\
## Secrets

The code reads no secret: there is none to set.
"""

OLD_POOL = f"""\
## The Gen 1 user pool

The trigger signs users in to the Gen 1 pool us\\-east\\-1\\_AbC123xyZ (us\\-east\\-1) through \
its web app client {CLIENT}, which must allow `ALLOW_ADMIN_USER_PASSWORD_AUTH`: do this first. \
`update-user-pool-client` resets every setting it is not given: read them with the first \
command, and add to the second the client's other settings (callback and logout URLs, OAuth \
flows and scopes, identity providers, token validity, read and write attributes) and any other \
auth flow it lists.

```sh
aws cognito-idp describe-user-pool-client {WHERE}
aws cognito-idp update-user-pool-client {WHERE} --explicit-auth-flows \
ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_USER_SRP_AUTH ALLOW_REFRESH_TOKEN_AUTH
```

A user who moves is copied, not taken out: the Gen 1 pool keeps every user. Those not yet moved \
are the usernames this lists that the new pool's `list-users` (its id is in \
`amplify_outputs.json` after a deploy) does not:

```sh
aws cognito-idp list-users --region us-east-1 --user-pool-id {POOL} --output table
```

Delete the Gen 1 environment only once no one you want to keep is left unmoved.
"""

DEPLOY = """\
## Deploy

Install the pinned packages, check the code, then deploy a personal sandbox:

```sh
npm ci
npx tsc --noEmit
npx ampx sandbox
```

For a branch, commit this folder and connect its repository in the Amplify console; the build \
deploys it with `npx ampx pipeline-deploy --branch $AWS_BRANCH --app-id $AWS_APP_ID`.
"""


def sections(*parts: str) -> str:
    return "\n".join(parts)


def test_the_readme_without_a_way_in_full():
    assert gp.readme(an_export()) == sections(TITLE, WAY_NONE, SECRETS, DEPLOY)


def test_the_readme_of_keep_in_full():
    assert gp.readme(an_export(way="keep")) == sections(TITLE, WAY_KEEP, NO_SECRETS, DEPLOY)


def test_the_readme_of_recreate_in_full():
    assert gp.readme(an_export(way="recreate")) == sections(
        TITLE, WAY_RECREATE, SECRETS, OLD_POOL, DEPLOY
    )


def test_what_did_not_map_is_listed_last_escaped():
    request = valid_request(AppId="d1abc", BackendEnvironmentName="prod")
    request["ResourceConfig"]["UserPoolConfigs"]["Bogus*[x]"] = "1"
    readme = gp.readme(gen2.export(request))
    assert readme == sections(
        TITLE,
        WAY_NONE,
        SECRETS,
        DEPLOY,
        "## Not carried across\n\nSet these by hand if you need them:\n\n"
        "- ResourceConfig\\.UserPoolConfigs\\.Bogus\\*\\[x\\]: the service model has no such "
        "member\n",
    )


def test_names_not_given_are_said_so():
    export = gen2.export({"UserPoolConfigs": {}, "AuthResources": "USER_POOL_ONLY"})
    assert gp.readme(export).startswith(
        "# Amplify Gen 2 auth of app \\(not given\\), environment \\(not given\\)\n\n"
        "Written by `amplify-auth migrate` (amplify-auth-widgets) from the Gen 1 auth resource "
        "\\(not given\\).\n"
    )


# -- the project's other files, as written ---------------------------------------------------


def test_the_json_files_and_gitignore_as_written():
    files = gp.project(an_export())
    assert files["tsconfig.json"] == (
        "{\n"
        '  "extends": "./amplify/tsconfig.json",\n'
        '  "compilerOptions": {\n'
        '    "noEmit": true\n'
        "  },\n"
        '  "include": [\n'
        '    "amplify/**/*.ts"\n'
        "  ]\n"
        "}\n"
    )
    assert files["amplify/package.json"] == '{\n  "type": "module"\n}\n'
    assert json.loads(files["amplify/tsconfig.json"]) == gp.AMPLIFY_TSCONFIG
    assert files["amplify/tsconfig.json"] == json.dumps(gp.AMPLIFY_TSCONFIG, indent=2) + "\n"
    ignored = ["node_modules", ".amplify", "amplify_outputs*", "amplifyconfiguration*"]
    assert files[".gitignore"] == "".join(f"{line}\n" for line in ignored)


def test_package_json_as_written():
    text = gp.package_json("amplify-gen2-x")
    package = json.loads(text)
    assert list(package) == [
        "name",
        "version",
        "private",
        "type",
        "dependencies",
        "devDependencies",
    ]
    assert package["name"] == "amplify-gen2-x" and package["version"] == "0.1.0"
    assert list(package["devDependencies"]) == sorted(package["devDependencies"])
    assert text == json.dumps(package, indent=2) + "\n"
    lock = gp.package_lock("amplify-gen2-x")
    assert lock == json.dumps(json.loads(lock), indent=2, ensure_ascii=False) + "\n"


# -- names in Markdown, and the refusals in full ---------------------------------------------


def test_every_kind_of_line_break_or_invisible_character_in_a_name_is_shown():
    # control (tab), format (zero-width space), line and paragraph separators
    assert gp.markdown("a\tb\u200bc\u2028d\u2029e*") == "a\ufffdb\ufffdc\ufffdd\ufffde\\*"


def test_an_export_with_a_file_the_project_writes_is_refused_by_name():
    export = an_export()
    clashing = dataclasses.replace(
        export, files={**export.files, "README.md": "x", ".gitignore": ""}
    )
    with pytest.raises(ValueError) as refused:
        gp.project(clashing)
    assert str(refused.value) == (
        "the export has files the project writes itself: ['.gitignore', 'README.md']"
    )


def test_a_package_name_npm_refuses_says_what_npm_takes():
    with pytest.raises(ValueError) as refused:
        gp.project(an_export(), "Has Capitals")
    assert str(refused.value) == (
        "'Has Capitals' is not an npm package name: use lowercase a-z, 0-9, '-', '.', '_', '~' "
        "(not first: '.', '_'), at most 214 characters."
    )


def test_a_folder_not_empty_is_refused_with_the_way_to_write_there(tmp_path):
    (tmp_path / "x").write_text("")
    with pytest.raises(gen2.WriteRefused) as refused:
        gp.write_project(an_export(), tmp_path)
    assert str(refused.value) == (
        f"{tmp_path} is not empty. Nothing was written: choose a new or empty folder, or pass "
        "--force (force=True in Python) to write the project there (a file that differs is "
        "replaced, its old text kept as NAME.bak)."
    )


def test_the_name_given_to_write_project_is_the_packages(tmp_path):
    gp.write_project(an_export(), tmp_path, name="my-auth")
    for lock in ("package.json", "package-lock.json"):
        assert json.loads((tmp_path / lock).read_text())["name"] == "my-auth"
