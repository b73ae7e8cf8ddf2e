"""The Tab stops from the top of the page to Create, counted for the issue, in a module of its
own: its own app server and data folder, so no other test has given the target environment auth
(Create would then rightly be off, and Tab would pass it by)."""

from __future__ import annotations

import pytest
from support.browser import Keyboard, app_fixture, needs_chromium, page_fixture, ready_to_create

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

app_server = app_fixture()
page = page_fixture(ready=".aaw-editor .aaw-disclosure-button", width=1400)


def test_the_create_button_is_a_few_stops_from_the_top(page):
    """Counted for the issue: Tab stops from the top of the page to Create, once it can send."""
    ready_to_create(page, "newauth")
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
