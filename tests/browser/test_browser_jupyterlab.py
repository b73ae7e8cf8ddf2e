"""The widgets in a JupyterLab 4 cell, as a notebook user meets them: ``jupyter lab`` on
127.0.0.1 with a token, a notebook that builds the app, run in headless Chromium; every widget
renders, no text is cut, the form uses two columns, and the page console is clean."""

from __future__ import annotations

import pytest
from support.browser import (
    axe,
    axe_lines,
    bad_console,
    chromium_page,
    columns,
    cut_texts,
    jupyter_lab,
    needs_chromium,
    open_notebook,
    run_the_cell,
    shot,
)

pytestmark = needs_chromium


@pytest.fixture
def lab(tmp_path):
    """``jupyter lab`` serving the app's notebook; stopped with SIGTERM, kernels with it."""
    with jupyter_lab(tmp_path) as url:
        yield url


def test_the_app_in_a_jupyterlab_cell_renders_in_full(lab):
    with chromium_page(width=1300, height=1100) as page:
        open_notebook(page, lab)
        run_the_cell(page)
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
