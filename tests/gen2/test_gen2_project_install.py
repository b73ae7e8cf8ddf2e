"""One Gen 2 project ``amplify-auth migrate`` writes (``gen2.project``), installed with ``npm ci``
from the registry and type-checked with its own ``npx tsc``.

A file of its own so that mutation runs can leave it out (pyproject's ``[tool.mutmut]``): it
takes minutes, and every surviving mutant of the code it reaches would run it again; the
project's files are pinned by test_gen2_project.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from support.deployed import an_export

from amplify_auth_widgets.gen2 import project as gp

NPM = shutil.which("npm")


def _run(argv: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(NO_COLOR="1", CI="1", npm_config_update_notifier="false")
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.skipif(NPM is None, reason="npm is not installed (Node 20 is needed)")
@pytest.mark.timeout(900)
def test_the_project_installs_and_type_checks_as_written(tmp_path):
    """``npm ci`` from the npm registry, then the project's own ``npx tsc --noEmit``, on the
    richest project (recreate: the trigger and its Cognito client): two and a half to three
    and a half minutes, the one test that installs a generated project."""
    assert NPM is not None
    folder = tmp_path / "project"
    gp.write_project(an_export(way="recreate"), folder)
    assert (folder / "amplify/auth/migrate-users/handler.ts").is_file()
    started = time.monotonic()
    ci = _run([NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, 600)
    assert ci.returncode == 0, ci.stderr[-3000:]
    tsc = _run(["npx", "--no-install", "tsc", "--noEmit"], folder, 300)
    assert tsc.returncode == 0, tsc.stdout[-3000:] + tsc.stderr[-3000:]
    ampx = _run(["npx", "--no-install", "ampx", "--version"], folder, 120)
    assert ampx.stdout.strip() == gp.VERSIONS["@aws-amplify/backend-cli"], ampx.stderr
    print(f"npm ci + tsc + ampx: {time.monotonic() - started:.0f} s")
