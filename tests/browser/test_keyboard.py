"""The app with the keyboard only (``page.keyboard``, no click): from page load, a preset, a
tag removed and added again, the target typed in, a section opened and closed, Create sent and
followed to COMPLETED, then an Update loaded, edited, reviewed and confirmed. Every stop the
focus passes shows a visible focus ring (an outline of 2 px or more), and the status changes
land in a live region."""

from __future__ import annotations

import pytest
from support.browser import FOCUSED, Keyboard, app_fixture, needs_chromium, page_fixture, shot

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium


app_server = app_fixture()
page = page_fixture(ready=".aaw-editor .aaw-disclosure-button", width=1400)


def test_create_then_update_with_the_keyboard_only(page):
    keys = Keyboard(page)
    first = keys.to("Configure")
    assert first["role"] == "tab"  # the app's tab bar is reached first
    # a preset: ArrowDown on the picker chooses the first, Enter on Apply applies it
    keys.to("Preset")
    page.keyboard.press("ArrowDown")
    keys.to("Apply preset")
    page.keyboard.press("Enter")
    # a tag the preset set: its remove button is a stop; typed again, Enter adds it back
    tags = page.locator(".aaw-at-ResourceConfig-UserPoolConfigs-RequiredSignUpAttributes .aaw-tag")
    expect(tags).to_have_text(["Email\u00d7"])  # the tag, and its remove button
    keys.to("Remove Email")
    page.keyboard.press("Enter")
    expect(tags).to_have_count(0)
    assert page.evaluate(FOCUSED)["name"] == "Required at sign-up"  # the focus stays near
    page.keyboard.type("email")
    page.keyboard.press("Enter")
    expect(tags).to_have_text(["Email\u00d7"])  # the tag, and its remove button
    # the target, typed in
    for label, value in (
        ("App ID", "d2demoshop"),
        ("Environment", "prod"),
        ("Auth resource name", "shopauth"),
    ):
        keys.to(label)
        page.keyboard.type(value)
    expect(page.locator(".aaw-problems")).to_contain_text("Ready to send", timeout=20_000)
    # a closed section: reached with Tab, Enter opens it, Space closes it, the state is said
    header = keys.to("Password policy")
    assert header["tag"] == "BUTTON" and header["expanded"] == "false"
    fields = page.locator(".aaw-section-password .aaw-field")
    page.keyboard.press("Enter")
    expect(fields.first).to_be_visible(timeout=20_000)
    assert page.evaluate(FOCUSED)["expanded"] == "true"
    page.keyboard.press(" ")
    expect(fields.first).to_be_hidden()
    assert page.evaluate(FOCUSED)["expanded"] == "false"
    page.keyboard.press("Enter")
    expect(fields.first).to_be_visible()
    keys.to("Minimum length")  # the section's controls are stops now
    # Create: back up to the action bar, Enter sends; the live region says how it ends
    create = keys.to("Create", back=True)
    assert create["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    live = page.locator(".aaw-status [role=status][aria-live=polite]")
    expect(live).to_contain_text("COMPLETED", timeout=30_000)
    shot(page, "keyboard-created")
    # Update: the mode by keyboard, the deployed configuration loaded, an edit, the review
    keys.to("Update existing", back=True)
    page.keyboard.press("Enter")
    expect(page.locator("button.aaw-update")).to_be_visible(timeout=20_000)
    keys.to("Load current")
    page.keyboard.press("Enter")
    expect(live).to_contain_text("Loaded", timeout=20_000)
    if page.locator(".aaw-section-password.aaw-fold-open").count() == 0:
        keys.to("Password policy")
        page.keyboard.press("Enter")
    keys.to("Minimum length")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    keys.to("Update", back=True)
    page.keyboard.press("Enter")
    review = page.locator(".aaw-confirm-box")
    expect(review).to_be_visible(timeout=20_000)
    assert "12" in review.inner_text()
    shot(page, "keyboard-review")
    keys.to("Confirm")
    page.keyboard.press("Enter")
    expect(review).to_be_hidden(timeout=20_000)
    expect(live).to_contain_text("UpdateBackendAuth", timeout=30_000)
    expect(page.locator(".aaw-job-status")).to_contain_text("COMPLETED", timeout=30_000)
    assert len(keys.stops) > 20
    assert keys.unseen() == [], "stops with no visible focus ring"


def test_every_tab_bar_is_operated_with_the_keyboard(page):
    keys = Keyboard(page)
    keys.to("Configure")
    page.keyboard.press("ArrowRight")  # Lumino's tab bar: arrows move, Enter selects
    page.keyboard.press("Enter")
    expect(page.locator(".aaw-monitor")).to_be_visible(timeout=20_000)
    assert page.evaluate(FOCUSED)["name"] == "Jobs"
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator(".aaw-fleet-panel")).to_be_visible(timeout=60_000)
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    expect(page.locator(".aaw-editor")).to_be_visible()
    keys.to("Form")  # the editor's own tabs
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    expect(page.locator(".aaw-editor .lm-TabBar-tab.lm-mod-current")).to_have_text("Gen 2")
    assert keys.unseen() == []
