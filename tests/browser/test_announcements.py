"""What a screen reader is told in the Jobs tab, in Chromium: a job that ends while the Jobs
tab shows (the editor's status line hidden with its tab) is said by the monitor's polite live
region; and a secret's reveal toggle is named by its field and says what a press does."""

from __future__ import annotations

import pytest
from support.browser import (
    app_fixture,
    axe,
    axe_lines,
    needs_chromium,
    page_fixture,
    ready_to_create,
)

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

#: The focused element's focus ring: its outline's width in px (0 without one).
RING = """() => {
  const css = getComputedStyle(document.activeElement);
  return css.outlineStyle === 'none' ? 0 : parseFloat(css.outlineWidth) || 0;
}"""


#: The app as a user runs it, its jobs taking 2 s: long enough to be on the Jobs tab when one
#: ends (the test waits for the page, never sleeps).
app_server = app_fixture(job_seconds=2)
page = page_fixture(ready=".aaw-editor .aaw-disclosure-button", width=1400)


def test_a_job_that_ends_while_the_jobs_tab_shows_is_announced(page):
    ready_to_create(page, "saidauth")
    page.locator("button.aaw-create").click()
    page.get_by_role("tab", name="Jobs").click()
    monitor = page.locator(".aaw-monitor")
    expect(monitor.get_by_role("cell", name="IN_PROGRESS")).to_be_visible(timeout=20_000)
    # the only status a screen reader can reach now is the monitor's: the editor's is hidden
    expect(page.get_by_role("status")).to_have_count(1)
    status = monitor.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("CreateBackendAuth for d4demonew, dev: COMPLETED", timeout=30_000)


def test_a_secrets_reveal_toggle_is_named_by_its_field(page):
    page.get_by_role("button", name="Social sign-in").click()
    page.get_by_role("checkbox", name="Include hosted sign-in and social providers").check()
    page.get_by_role("button", name="Add provider").click()  # Facebook, the first
    show = page.get_by_role("button", name="Show Facebook client secret", exact=True)
    expect(show).to_have_text("Show", timeout=20_000)
    secret = page.get_by_role("textbox", name="Client secret")
    secret.fill("not-for-eyes")
    assert secret.get_attribute("type") == "password"
    page.keyboard.press("Tab")  # the next stop after the secret is its toggle, ringed
    expect(show).to_be_focused()
    assert page.evaluate(RING) >= 2
    assert axe_lines(axe(page, ".aaw-provider-card")) == []
    page.keyboard.press("Enter")
    hide = page.get_by_role("button", name="Hide Facebook client secret", exact=True)
    expect(hide).to_have_text("Hide", timeout=20_000)
    expect(hide).to_be_focused()  # the same button, renamed: the focus stays where it was
    expect(page.get_by_role("textbox", name="Client secret")).to_have_value("not-for-eyes")
    assert page.get_by_role("textbox", name="Client secret").get_attribute("type") == "text"
    assert axe_lines(axe(page, ".aaw-provider-card")) == []
    hide.click()
    expect(show).to_be_visible(timeout=20_000)
