"""What a screen reader hears, from Chromium's accessibility tree (Playwright's
``aria_snapshot``): on the first screen and with every section of the form open, each textbox,
combobox, checkbox, button and tab has a name, that name is the human label ("App ID"), never
an API name ("AppId") nor the tooltip's "AppId: The app ID.", nor a help sentence; sections say
whether they are expanded, and a live region (``role=status``) is there to announce changes."""

from __future__ import annotations

import re
import unicodedata

import pytest
from support.browser import app_fixture, needs_chromium, page_fixture

from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.widgets.labels import help_for

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

#: The roles whose name a person needs to operate them.
ROLES = ("textbox", "combobox", "checkbox", "button", "tab", "radio", "spinbutton", "listbox")
#: One node of an aria snapshot: ``- combobox "App ID"``, ``- 'button "Target > MFA"'``.
NODE = re.compile(r"""^\s*-\s*'?(?P<role>[a-z]+)(?:\s+"(?P<name>(?:[^"\\]|\\.)*)")?(?P<rest>.*)$""")
#: A tooltip's start: an API path and a colon ("AppId: The app ID.").
API_TOOLTIP = re.compile(r"^[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)*: ")


def nodes(snapshot: str) -> list[tuple[str, str, str]]:
    """(role, name, the rest: states such as [expanded]) of each node of ``snapshot``."""
    found = []
    for line in snapshot.splitlines():
        match = NODE.match(line)
        if match:
            # an icon button's name starts with its Font Awesome glyph (private use)
            name = "".join(c for c in match["name"] or "" if unicodedata.category(c) != "Co")
            name = name.strip()
            found.append((match["role"], name, match["rest"]))
    return found


def api_names() -> set[str]:
    """Every member name and help sentence of both requests, which no control may be named."""
    names: set[str] = set()
    for operation in ("CreateBackendAuth", "UpdateBackendAuth"):
        for spec in request_spec(operation).walk():
            if spec.name and spec.name[0].isupper():
                names.add(spec.name)
            names.add(help_for(spec))
    return names - {"Service", "Facebook", "Google", ""}  # names that are their own label


def bad_names(snapshot: str) -> list[str]:
    """Each control whose name is missing, an API name, a tooltip or a help sentence."""
    forbidden = api_names()
    bad = []
    for role, name, _ in nodes(snapshot):
        if role not in ROLES:
            continue
        if not name.strip() or name in forbidden or API_TOOLTIP.match(name):
            bad.append(f"{role} {name!r}")
    return bad


app_server = app_fixture()
page = page_fixture(ready=".aaw-editor .aaw-disclosure-button", width=1400)


def test_the_first_screen_names_every_control_by_its_label(page):
    expect(page.locator(".aaw-problems")).to_contain_text("to complete", timeout=20_000)
    snapshot = page.locator(".aaw-app").aria_snapshot()
    assert bad_names(snapshot) == [], snapshot
    found = nodes(snapshot)
    named = {(role, name) for role, name, _ in found}
    for control in (
        ("combobox", "App ID"),
        ("combobox", "Environment"),
        ("combobox", "Auth resource name"),
        ("combobox", "Sign in with"),
        ("combobox", "Required at sign-up"),
        ("textbox", "User pool name"),
        ("combobox", "Preset"),
        ("button", "Connection"),
        ("tab", "Configure"),
        ("tab", "Form"),
    ):
        assert control in named, control
    sections = {name: rest for role, name, rest in found if role == "button"}
    assert "[expanded]" in sections["Target"] and "[expanded]" not in sections["Password policy"]
    assert ("status", "") in named  # the live region of the action bar's status


def test_every_section_open_names_every_control_by_its_label(page):
    keys = page.eval_on_selector_all(
        ".aaw-section",
        "ss => ss.map(s => [...s.classList].find(c => c.startsWith('aaw-section-')))",
    )
    for key in keys:
        header = page.locator(f".{key} .aaw-disclosure-button")
        if header.get_attribute("aria-expanded") == "false":
            header.click()
            expect(header).to_have_attribute("aria-expanded", "true", timeout=20_000)
    page.wait_for_function(
        "[...document.querySelectorAll('.aaw-section')].every(s => s.querySelector('.aaw-field'))",
        timeout=30_000,
    )
    for switch in ("Include hosted sign-in and social providers", "Include password policy"):
        page.get_by_role("checkbox", name=switch).check()
    page.get_by_role("button", name="Add provider").click()  # a card: its fields and Remove
    expect(page.locator(".aaw-provider-card:visible")).to_have_count(1, timeout=20_000)
    snapshot = page.locator(".aaw-app").aria_snapshot()
    assert bad_names(snapshot) == [], snapshot
    found = nodes(snapshot)
    named = {(role, name) for role, name, _ in found}
    for control in (
        ("textbox", "Minimum length"),
        ("combobox", "Provider to add"),
        ("button", "Remove Facebook"),
        ("textbox", "Client ID (Facebook)"),
        ("textbox", "Client secret (Facebook)"),
        ("combobox", "What to create"),
    ):
        assert control in named, "; ".join(f"{r} {n}" for r, n in sorted(named))
    sections = [rest for role, name, rest in found if role == "button" and "[expanded]" in rest]
    assert len(sections) >= 7  # every section says it is open
