"""The Amplify Gen 2 toolchain from the npm registry, pinned in tests/gen2 (its lock file).

``make gen2-toolchain`` (a step of ``make test``) installs it with ``npm ci``. These helpers lay
exports out as Gen 2 projects, one folder each under one root, and check them in batches: one
``tsc --noEmit`` run for every folder, one ``tsx`` process synthesizing several, and Prettier.

The root is what ``ampx`` would take for the project root: it holds a package lock file (the CDK
bundles a function's entry, and ``referenceAuth``'s own Lambda function, from the folder of the
lock file, and refuses an entry outside it), ``node_modules`` (a link to the toolchain's: Node
is run with ``--preserve-symlinks`` so that the modules stay under the root), and, after a
synthesis, ``.amplify/generated/env/`` (a function's typed environment).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

#: The folder the toolchain is pinned and installed in. AAW_GEN2_TOOLCHAIN names it when these
#: tests run from a copy of tests/ (the mutation runs: the copy's node_modules/.bin holds its
#: links as files, which no longer find the modules they load).
HERE = Path(os.environ.get("AAW_GEN2_TOOLCHAIN") or Path(__file__).resolve().parent.parent / "gen2")
NODE_MODULES = HERE / "node_modules"
BIN = NODE_MODULES / ".bin"
#: The root's lock file: only where it is matters (the CDK's bundling finds the project root
#: by it); nothing is installed from it.
LOCK = {"name": "gen2check", "lockfileVersion": 3, "requires": True, "packages": {}}


def installed() -> bool:
    return (BIN / "tsc").exists() and (NODE_MODULES / "@aws-amplify" / "backend").is_dir()


def prepare(root: Path, exports: dict[str, Any]) -> list[Path]:
    """Write each export into ``root/<name>/`` as a Gen 2 project; return the folders."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{ "type": "module", "private": true }\n')
    config = {"extends": str(HERE / "tsconfig.json"), "include": ["*/amplify/**/*.ts"]}
    (root / "tsconfig.json").write_text(json.dumps(config))
    (root / "package-lock.json").write_text(json.dumps(LOCK))
    link = root / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_MODULES, target_is_directory=True)
    folders = []
    for name, export in exports.items():
        export.write(root / name)
        folders.append(root / name)
    return folders


def _run(
    argv: list[str], cwd: Path, timeout: float, **extra: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(AMPLIFY_DISABLE_TELEMETRY="1", NO_COLOR="1", CI="1", **extra)
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def typecheck(root: Path) -> subprocess.CompletedProcess[str]:
    """One ``tsc --noEmit`` over every project under ``root``."""
    return _run([str(BIN / "tsc"), "--noEmit", "-p", str(root / "tsconfig.json")], root, 600)


def prettier_check(root: Path) -> subprocess.CompletedProcess[str]:
    return _run([str(BIN / "prettier"), "--check", "*/amplify/**/*.ts"], root, 300)


def synthesize(root: Path, folders: list[Path]) -> subprocess.CompletedProcess[str]:
    """Synthesize several projects in one process, each into its ``cdk.out``.

    The node_modules link is kept as the path under the root (``--preserve-symlinks``): the
    CDK bundles a Lambda function's entry only from under the project root, and refuses one
    that resolves into the toolchain's folder (``PathNotUnderRoot``)."""
    argv = [str(BIN / "tsx"), str(HERE / "synth.ts"), *(str(f) for f in folders)]
    return _run(argv, root, 900, NODE_OPTIONS="--preserve-symlinks")


def checked(root: Path, exports: dict[str, Any]) -> list[Path]:
    """Lay ``exports`` out under ``root`` and check them as ``ampx`` would: one ``tsc
    --noEmit``, Prettier, and one synthesis for all; each must succeed (its output is the
    failure's message). The project folders, synthesized."""
    folders = prepare(root, exports)
    for done in (typecheck(root), prettier_check(root), synthesize(root, folders)):
        assert done.returncode == 0, done.stdout + done.stderr
    return folders


def auth_template(folder: Path) -> dict[str, Any]:
    """The nested auth stack's template of a synthesized project."""
    found = sorted((folder / "cdk.out").glob("*auth*.nested.template.json"))
    if not found:
        raise AssertionError(f"no auth template under {folder / 'cdk.out'}")
    return json.loads(found[0].read_text())


def templates(folder: Path) -> list[dict[str, Any]]:
    """Every CloudFormation template of a synthesized project: the root stack's and each
    nested stack's (auth; function, where a function is defined)."""
    found = sorted((folder / "cdk.out").glob("*.template.json"))
    if not found:
        raise AssertionError(f"no template under {folder / 'cdk.out'}")
    return [json.loads(p.read_text()) for p in found]


def typed(folder: Path, kind: str) -> list[dict[str, Any]]:
    """The properties of every resource of CloudFormation type ``kind`` (``AWS::IAM::Policy``)
    in any template of a synthesized project."""
    return [
        r.get("Properties", {})
        for template in templates(folder)
        for r in template.get("Resources", {}).values()
        if r["Type"] == kind
    ]


def resources(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The properties of every resource of type ``AWS::Cognito::<kind>``."""
    return [
        r.get("Properties", {})
        for r in template["Resources"].values()
        if r["Type"] == f"AWS::Cognito::{kind}"
    ]
