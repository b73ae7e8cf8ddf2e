"""Errors that lead to their field, in the app as a person uses it (headless Chromium): the
action bar names what is left by section and label, and choosing an item, from the keyboard,
opens its closed section and puts the focus in its control; Create looks off meanwhile and
says why beside it."""

from __future__ import annotations

import pytest
from support.browser import fill, needs_chromium, page_on, served_app, shot

from amplify_auth_widgets.widgets.messages import SEPARATOR

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

AUTH_RESOURCES = ".aaw-editor .aaw-at-ResourceConfig-AuthResources"
#: Whether the focused element is inside the field given (a CSS selector).
FOCUS_IN = "sel => !!document.activeElement && !!document.activeElement.closest(sel)"


@pytest.fixture(scope="module")
def app_page(tmp_path_factory):
    """The app as a user runs it, one page open on it; both stopped at the end."""
    with served_app(tmp_path_factory.mktemp("errors-app")) as app, page_on(app.url) as page:
        yield page


def test_a_to_do_item_opens_its_closed_section_and_focuses_the_field(app_page):
    """The first thing done on the page: the closed section is built only now, as the item
    is chosen, and its new control still takes the focus."""
    page = app_page
    expect(page.locator(".aaw-actionbar .aaw-problems")).to_contain_text(
        "7 settings to complete before sending", timeout=20_000
    )
    create = page.locator(".aaw-actionbar button.aaw-create")
    expect(create).to_be_disabled()
    assert create.evaluate("b => getComputedStyle(b).borderStyle") == "dashed"  # looks off
    expect(page.locator(".aaw-send-reason")).to_contain_text(
        "Complete the 7 settings listed to send."
    )
    assert page.locator(f"{AUTH_RESOURCES} select").count() == 0  # closed, not even built
    more = page.locator(".aaw-actionbar .aaw-todo-more")
    more.focus()
    page.keyboard.press("Enter")  # "3 more", from the keyboard
    item = page.locator(".aaw-actionbar .aaw-todo-item", has_text="What to create: choose one")
    expect(item).to_have_text(f"Identity pool {SEPARATOR} What to create: choose one")
    item.focus()
    page.keyboard.press("Enter")
    field = page.locator(f"{AUTH_RESOURCES} select")
    expect(field).to_be_visible(timeout=20_000)
    page.wait_for_function(FOCUS_IN, arg=AUTH_RESOURCES, timeout=20_000)
    expect(page.locator(f"{AUTH_RESOURCES} .aaw-findings")).to_contain_text(
        "What to create is required"
    )
    shot(page, "todo-item-focused")
    field.select_option(label="User pool only (sign-in)")
    expect(item).to_have_count(0, timeout=20_000)


def test_targets_are_choosers_and_an_environment_with_auth_leads_to_load_current(app_page):
    page = app_page
    apps = page.locator(".aaw-target-app datalist option")
    expect(apps).to_have_count(4, timeout=20_000)
    assert "todo-web (d1demotodo)" in apps.evaluate_all("os => os.map(o => o.value)")
    app = page.locator(".aaw-editor .aaw-at-AppId input").first
    assert app.get_attribute("list")  # a list to choose from, its arrow shown (the bar's CSS)
    fill(page, "AppId", "todo-web (d1demotodo)")  # the option's text, as a choice puts it
    expect(app).to_have_value("d1demotodo", timeout=20_000)  # the box holds the ID
    fill(page, "BackendEnvironmentName", "dev")  # the demo deployed auth there
    problems = page.locator(".aaw-actionbar .aaw-problems")
    expect(problems).to_contain_text("dev already has auth: Load current to update it")
    expect(problems).not_to_contain_text("Ready to send")
    expect(page.locator(".aaw-actionbar button.aaw-create")).to_be_disabled()
    resources = page.locator(".aaw-target-resource datalist option")
    expect(resources).not_to_have_count(0, timeout=20_000)
    fill(page, "ResourceName", resources.first.get_attribute("value"))
    load = page.locator(".aaw-actionbar button.aaw-load")
    expect(load).to_be_enabled(timeout=20_000)
    load.click()
    expect(page.locator(".aaw-status")).to_contain_text("Loaded", timeout=20_000)
    expect(page.locator(".aaw-actionbar button.aaw-update")).to_be_visible()  # Update mode
    expect(page.locator(".aaw-actionbar button.aaw-create")).to_be_hidden()
    expect(problems).not_to_contain_text("already has auth")
    shot(page, "loaded-into-update")
