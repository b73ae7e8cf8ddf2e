"""A complete Amplify Gen 2 project around an export: what ``amplify-auth migrate`` writes.

``project(export)`` returns every file of a project that ``npm ci && npx tsc --noEmit`` accepts
as written, and ``npx ampx sandbox`` deploys: ``package.json`` (its packages pinned to the
versions the tests prove, ``VERSIONS``), ``package-lock.json`` (shipped with the package, made
for exactly that ``package.json``: ``npm ci`` needs one), ``tsconfig.json`` and
``amplify/tsconfig.json`` (as Amplify's ``create-amplify`` writes them), ``.gitignore``,
``amplify/package.json`` (``{"type": "module"}``), the export's ``amplify/`` files and a
``README.md`` saying which way the move takes, the secrets to set and how to deploy.
``write_project`` writes them with the exporter's safe writer, and refuses a folder that is
not empty unless ``force`` is given.

The shipped lock file is regenerated with ``python tools/gen2_lock.py`` after a change of
``VERSIONS``; a test checks that it still matches ``package_json``.
"""

from __future__ import annotations

import json
import re
import shlex
import unicodedata
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exporter import Gen2Export, WriteRefused, Written
from .ways import KEEP, RECREATE, old_client_commands

if TYPE_CHECKING:
    from ..core.deployed import DeployedAuth

#: The packages of a generated project, pinned: each one the toolchain the tests type-check and
#: synthesize with (tests/gen2/package-lock.json) resolves is pinned to that version (a test
#: checks it), and the CLI ``ampx`` to the release made with that ``@aws-amplify/backend``.
VERSIONS: dict[str, str] = {
    "@aws-amplify/backend": "1.25.1",
    "@aws-amplify/backend-cli": "1.9.1",
    "@aws-sdk/client-cognito-identity-provider": "3.1178.0",
    "@types/aws-lambda": "8.10.164",
    "@types/node": "20.19.43",
    "aws-cdk-lib": "2.276.0",
    "constructs": "10.8.1",
    "esbuild": "0.28.2",
    "tsx": "4.23.15",
    "typescript": "5.9.3",
}
#: What the deployed code needs at run time (the user-migration trigger's Cognito client); the
#: rest of ``VERSIONS`` is what builds and deploys it.
RUNTIME = ("@aws-sdk/client-cognito-identity-provider",)

#: The package name the shipped lock file was made for; ``package_lock`` renames its root.
LOCK_NAME = "amplify-gen2-auth"
#: The shipped lock file, beside this module (package data).
LOCK_RESOURCE = "share/package-lock.json"

#: The compiler options of Amplify's ``create-amplify`` for ``amplify/tsconfig.json``; the
#: ``$amplify/*`` path is where ``ampx`` generates a function's typed environment.
AMPLIFY_TSCONFIG: dict[str, Any] = {
    "compilerOptions": {
        "target": "es2022",
        "module": "es2022",
        "moduleResolution": "bundler",
        "resolveJsonModule": True,
        "esModuleInterop": True,
        "forceConsistentCasingInFileNames": True,
        "strict": True,
        "skipLibCheck": True,
        "paths": {"$amplify/*": ["../.amplify/generated/*"]},
    }
}
#: The project's own: the backend's options, over the backend's files (``npx tsc --noEmit``).
ROOT_TSCONFIG: dict[str, Any] = {
    "extends": "./amplify/tsconfig.json",
    "compilerOptions": {"noEmit": True},
    "include": ["amplify/**/*.ts"],
}
#: What ``create-amplify`` ignores, and what ``ampx`` writes into a project.
GITIGNORE = (
    "node_modules",
    ".amplify",
    "amplify_outputs*",
    "amplifyconfiguration*",
)

NPM_NAME_LIMIT = 214
#: A name npm takes for a package without a scope.
NPM_NAME = re.compile(r"(?![._])[a-z0-9._~-]{1,214}")


# -- package.json and its lock -------------------------------------------------------------


def package_name(app_id: str, environment: str) -> str:
    """An npm package name for the project of ``app_id``'s ``environment``, by npm's rules:
    lowercase, only ``a-z 0-9 - . _ ~``, not starting with ``.`` or ``_``, at most 214
    characters. Anything else in the names (they are any text the service took) becomes
    ``-``; nothing usable left gives ``LOCK_NAME``."""
    words = [part for part in (app_id, environment) if part]
    text = "-".join(["amplify-gen2", *words]).lower()
    text = re.sub(r"[^a-z0-9._~-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).lstrip("._-")[:NPM_NAME_LIMIT].rstrip("._-")
    return text or LOCK_NAME


def _dependencies(runtime: bool) -> dict[str, str]:
    return {k: v for k, v in sorted(VERSIONS.items()) if (k in RUNTIME) == runtime}


def package_json(name: str) -> str:
    """The project's ``package.json``: an ES module package whose packages are pinned."""
    package = {
        "name": name,
        "version": "0.1.0",
        "private": True,
        "type": "module",
        "dependencies": _dependencies(True),
        "devDependencies": _dependencies(False),
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def shipped_lock() -> dict[str, Any]:
    """The lock file shipped with the package, as made for ``package_json(LOCK_NAME)``."""
    text = resources.files(__package__).joinpath(LOCK_RESOURCE).read_text("utf-8")
    lock: dict[str, Any] = json.loads(text)
    return lock


def package_lock(name: str) -> str:
    """The shipped lock file with its root renamed ``name``: the lock of ``package_json(name)``."""
    lock = shipped_lock()
    lock["name"] = name
    lock["packages"][""]["name"] = name
    return json.dumps(lock, indent=2, ensure_ascii=False) + "\n"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


# -- the README ----------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown(text: str) -> str:
    """``text`` as literal Markdown text: every ASCII punctuation mark backslash-escaped (so
    that no ``*``, ``[``, ``<`` or backtick of a name starts emphasis, a link, HTML or code)
    and every control or format character (line breaks, bidirectional overrides) shown as
    U+FFFD, since a name must stay on its line."""
    shown = "".join(
        "\ufffd" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
    return _PUNCTUATION.sub(r"\\\1", shown)


def code_block(lines: list[str], language: str = "sh") -> list[str]:
    """A fenced code block holding ``lines`` literally: its fence is longer than any run of
    backticks in them, so that no line can end it."""
    runs = [len(r) for line in lines for r in re.findall(r"`+", line)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return [f"{fence}{language}", *lines, fence]


def _way_text(way: str | None) -> list[str]:
    if way == KEEP:
        return [
            "## The way: keep",
            "",
            "The Gen 2 backend references the Gen 1 user pool and identity pool "
            "(`referenceAuth`): users, their passwords and their sessions stay where they are. "
            "The pool's settings stay managed outside Gen 2, which cannot change them. Gen 1 "
            "still owns the pools: do not delete the Gen 1 environment (or its auth) while this "
            "backend references them, as that deletes the pool and its users.",
        ]
    if way == RECREATE:
        return [
            "## The way: recreate",
            "",
            "The Gen 2 backend creates a new user pool. Its user-migration trigger "
            "(`amplify/auth/migrate-users/`) moves each user from the Gen 1 user pool, with "
            "their password, the first time they sign in (or reset their password) here. "
            "Cognito calls it only at a `USER_PASSWORD_AUTH` sign-in, never with SRP: until the "
            "users have moved, the front end signs in with `authFlowType: "
            '"USER_PASSWORD_AUTH"`. MFA devices, TOTP secrets, remembered devices and groups '
            "do not move; social identities relink at their first sign-in with the provider. "
            "Users who never sign in stay in the Gen 1 pool: keep it until they have moved.",
        ]
    return [
        "## The way: the configuration only",
        "",
        "This backend creates a new, empty user pool with the Gen 1 configuration; no user "
        "moves to it. `amplify-auth migrate --way keep` or `--way recreate` keeps the users.",
    ]


def _secrets_text(export: Gen2Export) -> list[str]:
    if not export.secrets:
        return ["## Secrets", "", "The code reads no secret: there is none to set."]
    names = [s.name for s in export.secrets]
    return [
        "## Secrets to set",
        "",
        "The code reads each of these with `secret(...)`; their Gen 1 values were not exported. "
        "Set each one in your sandbox before deploying (and, for a branch, under Hosting, "
        "Secrets in the Amplify console):",
        "",
        *code_block([f"npx ampx sandbox secret set {shlex.quote(n)}" for n in names]),
    ]


def _old_pool_text(deployed: DeployedAuth) -> list[str]:
    """What to do on the Gen 1 pool for ``recreate``: let the trigger sign in there first,
    then see who is left to move."""
    describe, update = old_client_commands(deployed)
    region = shlex.quote(deployed.region)
    pool = shlex.quote(deployed.user_pool_id)
    return [
        "## The Gen 1 user pool",
        "",
        f"The trigger signs users in to the Gen 1 pool {markdown(deployed.user_pool_id)} "
        f"({markdown(deployed.region)}) through its web app client "
        f"{markdown(deployed.web_client_id or '')}, which must allow "
        "`ALLOW_ADMIN_USER_PASSWORD_AUTH`: do this first. `update-user-pool-client` resets "
        "every setting it is not given: read them with the first command, and add to the "
        "second the client's other settings (callback and logout URLs, OAuth flows and scopes, "
        "identity providers, token validity, read and write attributes) and any other auth "
        "flow it lists.",
        "",
        *code_block([describe, update]),
        "",
        "A user who moves is copied, not taken out: the Gen 1 pool keeps every user. Those "
        "not yet moved are the usernames this lists that the new pool's `list-users` (its id "
        "is in `amplify_outputs.json` after a deploy) does not:",
        "",
        *code_block(
            [f"aws cognito-idp list-users --region {region} --user-pool-id {pool} --output table"]
        ),
        "",
        "Delete the Gen 1 environment only once no one you want to keep is left unmoved.",
    ]


def _deploy_text() -> list[str]:
    return [
        "## Deploy",
        "",
        "Install the pinned packages, check the code, then deploy a personal sandbox:",
        "",
        *code_block(["npm ci", "npx tsc --noEmit", "npx ampx sandbox"]),
        "",
        "For a branch, commit this folder and connect its repository in the Amplify console; "
        "the build deploys it with `npx ampx pipeline-deploy --branch $AWS_BRANCH "
        "--app-id $AWS_APP_ID`.",
    ]


def _unmapped_text(export: Gen2Export) -> list[str]:
    rows = export.unmapped()
    if not rows:
        return []
    lines = ["## Not carried across", "", "Set these by hand if you need them:", ""]
    lines += [f"- {markdown(r['member'])}: {markdown(r['note'])}" for r in rows]
    return lines


def readme(export: Gen2Export) -> str:
    """The project's ``README.md``: the export's way and what it means, the secrets to set,
    the Gen 1 pool's commands (recreate), how to deploy, and what did not map. The app's and
    environment's names are Markdown-escaped; commands are shell-quoted in code blocks."""
    app = markdown(export.app_id or "(not given)")
    env = markdown(export.environment or "(not given)")
    lines = [
        f"# Amplify Gen 2 auth of app {app}, environment {env}",
        "",
        "Written by `amplify-auth migrate` (amplify-auth-widgets) from the Gen 1 auth "
        f"resource {markdown(export.resource_name or '(not given)')}.",
        "",
        *_way_text(export.way),
        "",
        *_secrets_text(export),
        "",
    ]
    if export.way == RECREATE and export.deployed is not None:
        lines += [*_old_pool_text(export.deployed), ""]
    lines += _deploy_text()
    unmapped = _unmapped_text(export)
    if unmapped:
        lines += ["", *unmapped]
    return "\n".join(lines) + "\n"


# -- the project ---------------------------------------------------------------------------


def project(export: Gen2Export, name: str | None = None) -> dict[str, str]:
    """Every file of the project (path under its root: text), the export's included (with
    ``gen2.export(..., way=, deployed=)``, the way's: ``referenceAuth``, or the trigger).

    ``name`` is the npm package name (default: from the export's app and environment, see
    ``package_name``)."""
    name = package_name(export.app_id, export.environment) if name is None else name
    if not NPM_NAME.fullmatch(name):
        raise ValueError(
            f"{name!r} is not an npm package name: use lowercase a-z, 0-9, '-', '.', '_', '~' "
            "(not first: '.', '_'), at most 214 characters."
        )
    files = {
        "package.json": package_json(name),
        "package-lock.json": package_lock(name),
        "tsconfig.json": _json(ROOT_TSCONFIG),
        ".gitignore": "\n".join(GITIGNORE) + "\n",
        "README.md": readme(export),
        "amplify/package.json": _json({"type": "module"}),
        "amplify/tsconfig.json": _json(AMPLIFY_TSCONFIG),
    }
    clash = set(files) & set(export.files)
    if clash:
        raise ValueError(f"the export has files the project writes itself: {sorted(clash)}")
    return {**files, **export.files}


def write_project(
    export: Gen2Export, folder: str | Path, force: bool = False, *, name: str | None = None
) -> list[Written]:
    """Write ``project(export, name)``'s files under ``folder``; say of each what was done.

    A folder that is not empty is refused (``WriteRefused``, nothing written) unless
    ``force``; then the exporter's writer applies: a file as the project has it is left
    alone, one that differs is replaced after a copy to ``NAME.bak``, and nothing is ever
    written through a symbolic link."""
    files = project(export, name)
    target = Path(folder)
    if not force and target.is_dir() and any(target.iterdir()):
        raise WriteRefused(
            f"{target} is not empty. Nothing was written: choose a new or empty folder, or "
            "pass --force (force=True in Python) to write the project there (a file that "
            "differs is replaced, its old text kept as NAME.bak)."
        )
    return replace(export, files=files).write_files(target, force=force)
