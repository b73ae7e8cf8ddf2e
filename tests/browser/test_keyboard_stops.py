"""The Tab stops from the top of the page to Create, counted for the issue, in a module of its
own: its own app server and data folder, so no other test has given the target environment auth
(Create would then rightly be off, and Tab would pass it by)."""

from __future__ import annotations

from support.browser import needs_chromium
from test_keyboard import Keyboard, app_server, expect  # noqa: F401 (app_server: a fixture)
from test_keyboard import page as page  # the fixture

pytestmark = needs_chromium


def test_the_create_button_is_a_few_stops_from_the_top(page):
    """Counted for the issue: Tab stops from the top of the page to Create, once it can send."""
    page.locator(".aaw-mode button", has_text="Create new").click()  # a kept draft may update
    page.locator(".aaw-editor select").first.select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    for member, value in (("AppId", "d4demonew"), ("BackendEnvironmentName", "dev")):
        page.locator(f".aaw-editor .aaw-at-{member} input").first.fill(value)
    page.locator(".aaw-editor .aaw-at-ResourceName input").first.fill("newauth")
    expect(page.locator(".aaw-problems")).to_contain_text("Ready to send", timeout=20_000)
    # the kernel enables Create once it has taken the last value: until then Tab passes it by
    expect(page.locator("button.aaw-create")).to_be_visible(timeout=20_000)
    expect(page.locator("button.aaw-create")).to_be_enabled(timeout=20_000)
    keys = Keyboard(page)
    count = keys.count_to("Create")
    print(
        f"Tab stops from the top of the page to Create: {count}: {[s['name'] for s in keys.stops]}"
    )
    assert keys.stops[0]["name"] == "Connection" and keys.stops[0]["expanded"] == "false"
    assert count <= 8
