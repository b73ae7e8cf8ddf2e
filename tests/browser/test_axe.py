"""axe-core (the pinned npm package, injected into the page) on every screen of the Voila app:
the first screen, the form with every section open, each editor tab, Jobs, Reports, each Fleet
tab, after a fleet audit and after a job completes. WCAG 2.1 A/AA and best practices; any
violation fails, whatever its impact (the issue's bar is critical and serious; every screen
now has none of any impact, and a moderate one such as a missing landmark is a regression
too), named by rule, element and axe's summary of the fix.

Each run writes what it found, screen by screen, to ``AAW_AXE_STATUS`` (default
``tests/artifacts/axe_status.md``), so that whoever fixes a violation can read the list
without rerunning.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from support.browser import (
    AXE,
    AXE_TAGS,
    axe,
    axe_lines,
    chromium_page,
    fill,
    needs_chromium,
    open_every_section,
    served_app,
    tab,
)

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

STATUS = Path(
    os.environ.get("AAW_AXE_STATUS", Path(__file__).parents[1] / "artifacts" / "axe_status.md")
)
#: What fails the test.
BLOCKING = ("critical", "serious", "moderate", "minor")


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The app as a user runs it (jobs instant); stopped with SIGTERM, leaving nothing."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make browser-toolchain)")
    with served_app(tmp_path_factory.mktemp("axe"), watch=True) as app:
        yield app.url


class Screens:
    """The violations of each screen visited, written to ``STATUS`` after each screen."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.found: dict[str, list[dict[str, Any]]] = {}

    def check(self, name: str) -> None:
        self.page.wait_for_timeout(300)  # let the widgets' last redraw settle (not the service)
        self.found[name] = axe(self.page)
        self.write()

    def blocking(self) -> dict[str, list[str]]:
        return {
            name: axe_lines([v for v in found if v["impact"] in BLOCKING])
            for name, found in self.found.items()
            if any(v["impact"] in BLOCKING for v in found)
        }

    def write(self) -> None:
        """A table of the rules broken, then each screen's violating elements in full."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        text = [f"# axe-core on the app's screens, {stamp}", ""]
        text.append("Rules: " + ", ".join(AXE_TAGS) + "; a violation of any impact fails the test.")
        text += ["", "| rule | impact | elements | screens |", "|---|---|---|---|"]
        rules: dict[str, tuple[str, int, list[str]]] = {}
        for name, found in self.found.items():
            for v in found:
                impact, count, screens = rules.get(v["id"], (v["impact"], 0, []))
                rules[v["id"]] = (impact, count + len(v["nodes"]), [*screens, name])
        for rule, (impact, count, screens) in rules.items():
            text.append(f"| {rule} | {impact} | {count} | {len(screens)} |")
        for name, found in self.found.items():
            blocking = [v for v in found if v["impact"] in BLOCKING]
            count = sum(len(v["nodes"]) for v in blocking)
            text += ["", f"## {name}: {count} violating element(s)", ""]
            text += axe_lines(blocking) or ["(none)"]
        STATUS.parent.mkdir(parents=True, exist_ok=True)
        STATUS.write_text("\n".join(text) + "\n")


def run_a_job(page: Any) -> None:
    """Create an auth from a preset, as a user does, until the job is COMPLETED."""
    page.locator(".aaw-editor select").nth(0).select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    fill(page, "AppId", "d4demonew")
    fill(page, "BackendEnvironmentName", "dev")
    fill(page, "ResourceName", "newauth")
    page.wait_for_selector(".aaw-problems:has-text('Ready to send')", timeout=20_000)
    page.locator("button.aaw-create").click()
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=30_000)


def visit_editor(page: Any, screens: Screens) -> None:
    screens.check("first screen")
    open_every_section(page)
    screens.check("form, every section open")
    for name in ("JSON", "YAML", "AWS CLI", "Gen 2"):
        tab(page, name)
        expect(page.locator(".jupyter-widget-TabPanel-tabContents:visible").last).not_to_be_empty()
        screens.check(f"editor tab {name}")
    tab(page, "Form")


def visit_fleet(page: Any, screens: Screens) -> None:
    tab(page, "Fleet")
    page.wait_for_selector(".aaw-fleet-panel", timeout=30_000)
    screens.check("Fleet: Audit and apply")
    tab(page, "Migration")
    screens.check("Fleet: Migration")
    tab(page, "Audit and apply")
    page.locator(".aaw-fleet-panel button", has_text="Audit").first.click()
    page.wait_for_selector(".aaw-fleet-panel table", timeout=60_000)
    page.locator(".aaw-fleet-panel img").first.wait_for(state="visible", timeout=30_000)
    screens.check("Fleet: after an audit")
    tab(page, "Migration")
    screens.check("Fleet: Migration after an audit")


def test_no_violation_on_any_screen(app_server):
    with chromium_page(width=1400, height=1000) as page:
        page.goto(app_server)
        page.wait_for_selector(".aaw-editor", timeout=60_000)
        screens = Screens(page)
        visit_editor(page, screens)
        tab(page, "Jobs")
        screens.check("Jobs (no job yet)")
        tab(page, "Reports")
        screens.check("Reports (no job yet)")
        visit_fleet(page, screens)
        tab(page, "Configure")
        run_a_job(page)
        screens.check("editor after a job completed")
        tab(page, "Jobs")
        page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=30_000)
        screens.check("Jobs after a job completed")
        tab(page, "Reports")
        page.wait_for_selector(".aaw-reports .aaw-summary-table", timeout=30_000)
        expect(page.locator(".aaw-reports img:visible")).to_have_count(2, timeout=30_000)
        screens.check("Reports after a job completed")
    blocking = screens.blocking()
    assert blocking == {}, "\n".join(
        f"{name}:\n" + "\n".join(lines) for name, lines in blocking.items()
    )
