"""The app's page with any install: the notebooks name no Voila template (so that a plain
``voila notebooks/app.ipynb`` renders with Voila's stock one where the app's is not installed)
and carry the page's title; ``amplify-auth app`` always serves its own template, ``aaw``, from
the package, also where an editable install left it out of Jupyter's paths.
tests/browser/test_browser.py opens the stock template's page in Chromium."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.browser import app_url, cmdline, free_port, jupyter_env, stop, wait_for_http
from support.installs import editable_env

from amplify_auth_widgets.app.serve import app_notebook, share_dir

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Amplify backend auth"
#: What Voila's stock lab template asks of a public CDN, and the app's template leaves out.
CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free"


def test_the_notebooks_name_no_template_and_carry_the_page_title():
    shipped = json.loads(app_notebook().read_text())
    repo = json.loads((ROOT / "notebooks" / "app.ipynb").read_text())
    for notebook in (shipped, repo):
        assert "template" not in notebook["metadata"].get("voila", {})
        assert notebook["metadata"]["title"] == TITLE  # the lab templates' <title>
    assert shipped["cells"] == repo["cells"]


def test_the_app_serves_its_own_template_where_an_editable_install_left_it_out(tmp_path):
    venv = editable_env(tmp_path)
    found = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import json, jupyter_core.paths as p; print(json.dumps(p.jupyter_path()))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=jupyter_env(tmp_path),
    )
    paths = [Path(p) for p in json.loads(found.stdout)]
    assert not any((p / "voila" / "templates" / "aaw").exists() for p in paths)
    port = free_port()
    log = tmp_path / "app.log"
    command = [
        str(venv / "bin" / "python"),
        "-c",
        "from amplify_auth_widgets.cli.entry import entry_point; entry_point()",
        "app",
        "--port",
        str(port),
        "--job-seconds",
        "0",
    ]
    with log.open("w") as out:
        app = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=jupyter_env(tmp_path)
        )
    try:
        url = app_url(port)
        wait_for_http(url, app, log)
        with urllib.request.urlopen(url, timeout=120) as answer:
            page = answer.read().decode()
    finally:
        assert stop(app) == 0
    assert re.search(r"<title>\s*Amplify backend auth\s*</title>", page)
    assert CDN not in page  # the app's template, not Voila's stock lab one
    assert "/voila/templates/aaw/static/" in page
    text = log.read_text()
    assert "TemplateNotFound" not in text and "not trusted" not in text, text


def test_binder_s_configuration_serves_the_app_s_template_to_a_plain_voila(tmp_path):
    """Binder runs postBuild once: it names the app's template in voila.json, which the server
    extension and ``voila`` run with no options read (and keeps what the configuration held)."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text('{"ServerApp": {"open_browser": false}}')
    env = {**jupyter_env(tmp_path), "JUPYTER_CONFIG_DIR": str(config)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    # Binder's regular install puts the template in its prefix's share/jupyter; the tests' own
    # install is editable, which leaves it out: the package's share folder stands in for it
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share_dir()), env.get("JUPYTER_PATH")]))
    subprocess.run([str(ROOT / "binder" / "postBuild")], env=env, check=True, timeout=60)
    server = json.loads((config / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["open_browser"] is False
    assert server["ServerApp"]["tornado_settings"]["mathjax_url"].startswith("data:")
    voila_json = json.loads((config / "voila.json").read_text())
    assert voila_json == {"VoilaConfiguration": {"template": "aaw"}}
    port = free_port()
    log = tmp_path / "voila.log"
    command = [sys.executable, "-m", "voila", "notebooks/app.ipynb", "--no-browser"]
    with log.open("w") as out:
        voila = subprocess.Popen(
            [*command, f"--port={port}"], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, voila, log)
        with urllib.request.urlopen(url, timeout=120) as answer:
            page = answer.read().decode()
    finally:
        stop(voila)
    assert "/voila/templates/aaw/static/" in page and CDN not in page
    assert re.search(r"<title>\s*Amplify backend auth\s*</title>", page)


def test_the_app_starts_its_emulator_with_voila_and_leaves_none_behind(tmp_path):
    """No page yet (no kernel: --preheat 0), and the shared emulator already answers, serving
    Voila; once the app is stopped it has exited too."""
    from amplify_auth_widgets.app.serve import descendants, is_running
    from amplify_auth_widgets.client.emulator_process import SERVER_FILE, read_state

    env = {**jupyter_env(tmp_path), "AMPLIFY_AUTH_DATA": str(tmp_path / "aaw-data")}
    folder = tmp_path / "aaw-data" / "emulator"
    port = free_port()
    log = tmp_path / "app.log"
    command = [str(Path(sys.executable).parent / "amplify-auth"), "app", "--port", str(port)]
    with log.open("w") as out:
        app = subprocess.Popen(
            [*command, "--preheat", "0"], stdout=out, stderr=subprocess.STDOUT, env=env
        )
    try:
        deadline = time.monotonic() + 120
        while read_state(folder) is None and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        state = read_state(folder)
        assert state is not None, log.read_text()
        voila = [pid for pid in descendants(app.pid) if "app.voila" in cmdline(pid)]
        assert state["clients"] == voila and state["pid"] in descendants(app.pid)
        with pytest.raises(urllib.error.HTTPError) as unsigned:  # it answers, and checks keys
            urllib.request.urlopen(state["url"].rstrip("/") + "/", timeout=30)
        assert unsigned.value.code == 403
    finally:
        assert stop(app) == 0, log.read_text()
    assert not is_running(state["pid"]) and not (folder / SERVER_FILE).exists()
