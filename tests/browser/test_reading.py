"""Code shown as code, tables that fit, in the app as a person sees it (headless Chromium at
1400 px, JupyterLab's light and dark themes): the Gen 2 tab's TypeScript in the code font at
code line spacing, its tokens coloured by the theme and readable on its background (4.5:1),
the mapping table within the page (wrapping, never cut off on the right), and the JSON tab a
code-font text area that still fills the form."""

from __future__ import annotations

import json
import re

import pytest
from conftest import valid_request
from support.browser import app_fixture, bad_console, chromium_page, needs_chromium, shot

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

#: The computed look of the code: its font, line height over font size, and for each token
#: kind shown (keyword, string, comment, ...) its colour's contrast on the code's background
#: (WCAG's formula), and whether it differs from the plain text's colour.
CODE_LOOK = """(selector) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const pre = document.querySelector(selector);
  const css = getComputedStyle(pre);
  let bg = css.backgroundColor;
  for (let e = pre; e && /rgba\\(.*, 0\\)|transparent/.test(bg); e = e.parentElement) {
    bg = getComputedStyle(e).backgroundColor;
  }
  const tokens = {};
  for (const span of pre.querySelectorAll('span[class^="aaw-tok-"]')) {
    if (!span.textContent.trim()) continue;
    const colour = getComputedStyle(span).color;
    tokens[span.className] = [Math.round(ratio(colour, bg) * 100) / 100, colour !== css.color];
  }
  return {
    font: css.fontFamily,
    spacing: parseFloat(css.lineHeight) / parseFloat(css.fontSize),
    text: Math.round(ratio(css.color, bg) * 100) / 100,
    tokens,
  };
}"""
#: Where the mapping table's box ends against the page, whether the table fits in it, and the
#: one-word status cells shown on more than one line (a column squeezed to break its words).
TABLE_FIT = """() => {
  const box = document.querySelector('.aaw-gen2-table .aaw-scroll');
  const table = box.querySelector('table');
  const lines = (e) => {  // the lines its text takes (the cell is as tall as its row)
    const range = document.createRange();
    range.selectNodeContents(e);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  };
  const words = [...table.querySelectorAll('td.aaw-status')];
  return {
    right: box.getBoundingClientRect().right,
    page: document.documentElement.clientWidth,
    overflow: table.scrollWidth - box.clientWidth,
    squeezed: words.filter(e => lines(e) > 1).map(e => e.textContent),
    statuses: words.length,
  };
}"""


app_server = app_fixture("reading-app")  # the app as a user runs it; stopped at the end


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_gen2_tab_reads_as_code_and_its_table_fits(app_server, theme):
    with chromium_page(width=1400, height=1000) as page:
        page.goto(app_server + ("&voila-theme=dark" if theme == "dark" else ""))
        page.wait_for_selector(".aaw-editor", timeout=120_000)
        page.get_by_role("tab", name="JSON").click()
        area = page.locator(".aaw-json textarea")
        expect(area).to_be_visible(timeout=20_000)
        assert "mono" in area.evaluate("e => getComputedStyle(e).fontFamily").lower()
        area.fill(json.dumps(valid_request(), indent=2))  # typed in: it fills the form
        area.press("Tab")
        page.get_by_role("tab", name="Gen 2").click()
        code = page.locator(".aaw-gen2-code pre.aaw-code")
        expect(code).to_contain_text("export const auth = defineAuth({", timeout=30_000)
        look = page.evaluate(CODE_LOOK, ".aaw-gen2-code pre.aaw-code")
        assert "mono" in look["font"].lower(), look
        assert look["spacing"] < 1.6, look  # code's line height, not the page's
        assert look["text"] >= 4.5, look
        low = {kind: contrast for kind, (contrast, _) in look["tokens"].items() if contrast < 4.5}
        assert low == {}, (theme, low)
        tokens = look["tokens"]
        assert tokens["aaw-tok-k"][1] and tokens["aaw-tok-s2"][1], look  # highlighted
        assert {"aaw-tok-c1", "aaw-tok-p", "aaw-tok-nx"} <= set(tokens), look
        expect(page.locator(".aaw-gen2-table .aaw-scroll table")).to_be_attached(timeout=30_000)
        # the table of the whole request typed in, not one drawn before the form had it all
        page.wait_for_function(
            "document.querySelectorAll('.aaw-gen2-table td.aaw-status').length > 10",
            timeout=30_000,
        )
        fit = page.evaluate(TABLE_FIT)
        assert fit["right"] <= fit["page"] and fit["overflow"] <= 1, fit
        assert fit["statuses"] > 10 and fit["squeezed"] == [], fit
        shot(page, f"gen2-tab-{theme}")
        page.locator(".aaw-gen2-table").scroll_into_view_if_needed()
        shot(page, f"gen2-mapping-{theme}")
        page.get_by_role("tab", name="AWS CLI").click()  # the command: shell tokens
        command = page.locator(".aaw-cli-command pre.aaw-code")
        expect(command).to_contain_text("aws amplifybackend create-backend-auth", timeout=20_000)
        look = page.evaluate(CODE_LOOK, ".aaw-cli-command pre.aaw-code")
        assert "mono" in look["font"].lower() and look["text"] >= 4.5, look
        low = {kind: contrast for kind, (contrast, _) in look["tokens"].items() if contrast < 4.5}
        assert low == {}, (theme, "command", low)
        assert bad_console(page) == []


def test_the_fleet_dry_run_says_why_beside_each_invalid_target(app_server):
    """A template no environment can take: every target INVALID with its reasons by label
    in its row, and Apply off with the reason beside it."""
    template = {"ResourceConfig": {"UserPoolConfigs": {"PasswordPolicy": {"MinimumLength": 3}}}}
    with chromium_page(width=1400, height=1000) as page:
        page.goto(app_server)
        page.wait_for_selector(".aaw-editor", timeout=120_000)
        page.get_by_role("tab", name="JSON").click()
        area = page.locator(".aaw-json textarea")
        expect(area).to_be_visible(timeout=20_000)
        area.fill(json.dumps(template))
        area.press("Tab")
        page.get_by_role("tab", name="Fleet").click()
        panel = page.locator(".aaw-fleet-panel")
        expect(panel).to_be_visible(timeout=60_000)
        panel.locator("button", has_text=re.compile(r"^\s*Audit\s*$")).first.click()
        dry_run = panel.locator("button", has_text="Dry run")
        expect(dry_run).to_be_enabled(timeout=60_000)
        dry_run.click()
        rows = panel.locator("table.aaw-dry-run > tbody > tr")
        expect(rows.first).to_be_visible(timeout=60_000)
        for row in rows.all():
            cells = row.locator(":scope > td")
            assert cells.nth(3).inner_text() == "INVALID"
            reason = cells.nth(4).inner_text()
            assert "What to create: " in reason and "AuthResources:" not in reason, reason
        apply = panel.locator("button", has_text=re.compile(r"^\s*Apply\s*$"))
        expect(apply).to_be_disabled()
        expect(panel).to_contain_text("Apply is off: ")
        fit = page.evaluate(
            "() => { const b = document.querySelector('.aaw-fleet-panel .aaw-scroll');"
            " return [b.getBoundingClientRect().right, document.documentElement.clientWidth]; }"
        )
        assert fit[0] <= fit[1], fit
        rows.first.scroll_into_view_if_needed()
        shot(page, "fleet-dry-run-invalid")
        assert bad_console(page) == []
