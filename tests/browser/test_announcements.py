"""What a screen reader is told in the Jobs tab, in Chromium: a job that ends while the Jobs
tab shows (the editor's status line hidden with its tab) is said by the monitor's polite live
region; and a secret's reveal toggle is named by its field and says what a press does."""

from __future__ import annotations

import pytest
from support.browser import (
    BIN,
    app_url,
    axe,
    axe_lines,
    bad_console,
    chromium_page,
    free_port,
    jupyter_env,
    needs_chromium,
    start,
    stop,
    wait_for_http,
)

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

#: The focused element's focus ring: its outline's width in px (0 without one).
RING = """() => {
  const css = getComputedStyle(document.activeElement);
  return css.outlineStyle === 'none' ? 0 : parseFloat(css.outlineWidth) || 0;
}"""


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The app as a user runs it, its jobs taking 2 s: long enough to be on the Jobs tab when
    one ends (the test waits for the page, never sleeps)."""
    tmp = tmp_path_factory.mktemp("app")
    port = free_port()
    log = tmp / "app.log"
    command = [str(BIN / "amplify-auth"), "app", "--port", str(port), "--job-seconds", "2"]
    process = start(command, log, env=jupyter_env(tmp))
    try:
        wait_for_http(app_url(port), process, log)
        yield app_url(port)
    finally:
        assert stop(process) == 0, log.read_text()


@pytest.fixture
def page(app_server):
    with chromium_page(width=1400) as page:
        page.goto(app_server)
        page.wait_for_selector(".aaw-editor .aaw-disclosure-button", timeout=60_000)
        yield page
        assert bad_console(page) == []


def test_a_job_that_ends_while_the_jobs_tab_shows_is_announced(page):
    page.locator(".aaw-mode button", has_text="Create new").click()
    page.locator(".aaw-editor select").first.select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    for member, value in (("AppId", "d4demonew"), ("BackendEnvironmentName", "dev")):
        page.locator(f".aaw-editor .aaw-at-{member} input").first.fill(value)
    page.locator(".aaw-editor .aaw-at-ResourceName input").first.fill("saidauth")
    expect(page.locator(".aaw-problems")).to_contain_text("Ready to send", timeout=20_000)
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
