"""What Binder would do, done here: an environment built from ``binder/`` alone, a Jupyter
server with Voila's server extension behind a base URL (as Binder's and JupyterHub's proxies
serve it), and the app opened at ``/voila/render/notebooks/app.ipynb`` in headless Chromium.
Then ``voila notebooks/app.ipynb`` with no options, in the same environment (after postBuild,
which names the app's template in the user's Jupyter configuration, as on Binder).

A fresh install takes minutes, so the environment is cached under ``tests/data/.cache``, keyed
by a hash of ``binder/`` and ``pyproject.toml`` (what decides the dependencies); the package
itself is reinstalled from the working tree on every run. It never sees this interpreter's
site-packages: a dependency missing from ``binder/`` fails here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.browser import (
    ROOT,
    bad_console,
    chromium_page,
    free_port,
    needs_chromium,
    shot,
    start,
    stop,
    wait_for_http,
)

from amplify_auth_widgets.app.serve import descendants

pytestmark = [needs_chromium, pytest.mark.timeout(1800)]
CACHE = ROOT / "tests" / "data" / ".cache"
BASE = "/user/binder-test/"


def binder_key() -> str:
    digest = hashlib.sha256()
    for path in [*sorted((ROOT / "binder").iterdir()), ROOT / "pyproject.toml"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def pip(venv: Path, *args: str) -> None:
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", *args],
        cwd=ROOT,  # repo2docker runs pip from the repository's root
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1500,
    )


@pytest.fixture(scope="module")
def binder_env() -> Path:
    venv = CACHE / f"binder-venv-{binder_key()}"
    if not (venv / ".complete").exists():
        shutil.rmtree(venv, ignore_errors=True)
        for old in CACHE.glob("binder-venv-*"):  # environments of older binder files
            shutil.rmtree(old, ignore_errors=True)
        # no --system-site-packages: only what binder/ installs is there
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip(venv, "install", "--quiet", "-r", "binder/requirements.txt")
        (venv / ".complete").touch()
    else:
        pip(venv, "install", "--quiet", "--no-deps", "--force-reinstall", ".")
    return venv


def clean_env(venv: Path, scratch: Path) -> dict[str, str]:
    """The environment a Binder user's server has: this venv first on PATH, Jupyter's
    config, data and runtime folders of its own, nothing of the developer's."""
    keep = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "TZ", "USER")}
    for name in ("config", "data", "runtime"):
        (scratch / name).mkdir(exist_ok=True)
    return {
        **keep,
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "JUPYTER_CONFIG_DIR": str(scratch / "config"),
        "JUPYTER_DATA_DIR": str(scratch / "data"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "AMPLIFY_AUTH_JOB_SECONDS": "0",
        # the app's data folder (durable emulator, history, draft) in the scratch folder,
        # as a Binder user's home is their server's own; never the developer's
        "AMPLIFY_AUTH_DATA": str(scratch / "aaw-data"),
    }


def open_app(url: str, name: str, allowed: tuple[str, ...] = ()) -> None:
    with chromium_page(allowed=allowed) as page:
        page.goto(url)
        page.wait_for_selector(".aaw-editor", timeout=180_000)
        page.wait_for_selector("text=embedded emulator", timeout=30_000)
        assert "d1demotodo" in page.inner_text(".aaw-app")
        assert page.locator(".jupyter-widgets-error-widget").count() == 0
        shot(page, name)
        assert bad_console(page) == []


def test_binder_url_opens_the_app_behind_a_base_url(binder_env, tmp_path):
    port = free_port()
    env = clean_env(binder_env, tmp_path)
    # repo2docker runs postBuild once, in the user's environment, before any server starts
    subprocess.run([str(ROOT / "binder" / "postBuild")], env=env, cwd=ROOT, check=True)
    server = start(
        [
            str(binder_env / "bin" / "jupyter-server"),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.base_url={BASE}",
            "--IdentityProvider.token=",
            "--ServerApp.allow_root=True",  # these tests may run as root; Binder does not
            f"--ServerApp.root_dir={ROOT}",
        ],
        tmp_path / "server.log",
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}{BASE}api/status", server, tmp_path / "server.log")
        # every request stays on this machine (postBuild names no CDN for MathJax)
        open_app(f"http://127.0.0.1:{port}{BASE}voila/render/notebooks/app.ipynb", "binder-app")
        kernels = descendants(server.pid)
        assert kernels, "the page ran no kernel"
    finally:
        stop(server)
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log, log


def test_voila_with_no_options_renders_the_app_offline(binder_env, tmp_path):
    port = free_port()
    env = clean_env(binder_env, tmp_path)
    # on Binder, postBuild has named the app's template in the user's Jupyter configuration
    subprocess.run([str(ROOT / "binder" / "postBuild")], env=env, cwd=ROOT, check=True)
    # only the port is given (two tests may run at once); the template: postBuild's
    voila = start(
        [
            str(binder_env / "bin" / "voila"),
            "notebooks/app.ipynb",
            "--no-browser",
            f"--port={port}",
        ],
        tmp_path / "voila.log",
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", voila, tmp_path / "voila.log")
        open_app(f"http://127.0.0.1:{port}/", "voila-no-options")
    finally:
        stop(voila)
    log = (tmp_path / "voila.log").read_text()
    assert "TemplateNotFound" not in log and "Traceback" not in log, log
