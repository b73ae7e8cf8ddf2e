"""The widgets in a JupyterLab 4 cell, as a notebook user meets them: ``jupyter lab`` on
127.0.0.1 with a token, a notebook that builds the app, run in headless Chromium; every widget
renders, no text is cut, the form uses two columns, and the page console is clean."""

from __future__ import annotations

import json
import os
import secrets

import pytest
from conftest import BIN
from support.browser import (
    axe,
    axe_lines,
    bad_console,
    chromium_page,
    columns,
    cut_texts,
    free_port,
    leftovers,
    needs_chromium,
    port_open,
    shot,
    start,
    stop,
    wait_for_http,
)

from amplify_auth_widgets.app.serve import descendants

pytestmark = needs_chromium

#: The notebook's one cell: the app on the notebook's own embedded emulator.
CELL = "import amplify_auth_widgets as aaw\naaw.AuthApp(job_seconds=0)"


def notebook(path) -> None:
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "metadata": {},
                        "outputs": [],
                        "source": CELL,
                    }
                ],
                "metadata": {
                    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"},
                    "language_info": {"name": "python"},
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )


@pytest.fixture
def lab(tmp_path):
    """``jupyter lab`` serving ``tmp_path/work``; stopped with SIGTERM, kernels with it."""
    work = tmp_path / "work"
    work.mkdir()
    notebook(work / "app.ipynb")
    for name in ("config", "data", "runtime"):
        (tmp_path / name).mkdir()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    token = secrets.token_hex(16)
    port = free_port()
    log = tmp_path / "lab.log"
    process = start(
        [
            str(BIN / "jupyter-lab"),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # it asks PyPI nothing
            "--LabApp.expose_app_in_browser=True",  # the test waits for the kernel through it
            *(["--allow-root"] if os.geteuid() == 0 else []),  # as in a container
        ],
        log,
        env=env,
        cwd=work,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/status?token={token}", process, log)
        yield f"http://127.0.0.1:{port}/lab/tree/app.ipynb?token={token}"
    finally:
        children = descendants(process.pid)  # its kernels: SIGTERM must stop them too
        code = stop(process)
    assert code == 0, log.read_text()
    assert leftovers(children) == [], "a kernel outlived JupyterLab"
    assert not port_open(port)


#: Resolves once the notebook's kernel is ready to run cells.
KERNEL_READY = """async () => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session.kernel;
  await kernel.info;  // its kernel_info reply: connected and answering
  return kernel.connectionStatus;
}"""


def test_the_app_in_a_jupyterlab_cell_renders_in_full(lab):
    with chromium_page(width=1300, height=1100) as page:
        page.goto(lab)
        page.wait_for_function(
            "window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext",
            timeout=60_000,
        )
        assert page.evaluate(KERNEL_READY) == "connected"
        page.locator(".jp-Notebook .jp-Cell .cm-content").first.click()
        page.keyboard.press("Shift+Enter")  # run the cell, as a person does
        page.wait_for_selector(".jp-OutputArea .aaw-editor", timeout=60_000)
        page.wait_for_selector(".jp-OutputArea .aaw-problems:has-text('to complete')")
        assert page.locator(".jupyter-widgets-error-widget").count() == 0
        assert "embedded emulator" in page.inner_text(".jp-OutputArea .aaw-app")
        assert cut_texts(page, ".jp-OutputArea .aaw-app") == []
        for section in ("target", "sign-in"):
            assert columns(page, f".aaw-section-{section} .aaw-field:not(.aaw-wide)") >= 2
        page.locator(".aaw-section-password .aaw-disclosure-button").click()  # built now
        page.wait_for_selector(".aaw-section-password .aaw-field")
        assert cut_texts(page, ".jp-OutputArea .aaw-app") == []
        shot(page, "jupyterlab-cell")
        assert bad_console(page) == []
        # the widgets in a cell, every section open, hold to WCAG 2.1 AA (JupyterLab's own page
        # around them is not ours to check)
        closed = page.locator(".aaw-app .aaw-disclosure-button[aria-expanded='false']")
        for _ in range(closed.count()):  # each opened leaves the list: open its first
            closed.first.click()
        page.wait_for_selector(".aaw-section-mfa .aaw-field")
        assert axe_lines(axe(page, ".jp-OutputArea .aaw-app")) == []
