"""The app reads in Voila's light and dark themes: on each main screen, every visible text
(text nodes, and the values in inputs, selects and text areas) has a contrast ratio of at least
4.5:1 against its effective background (the element's and its ancestors' backgrounds,
composited up to the first opaque one), or 3:1 for large text, as WCAG 2.1 AA asks (1.4.3).
Disabled controls are exempt, as WCAG exempts inactive components. Offenders are named with
their text, colours and ratio. The same holds for the widgets in a JupyterLab cell in
JupyterLab's Dark theme."""

from __future__ import annotations

from typing import Any

import pytest
from support.browser import (
    app_fixture,
    bad_console,
    chromium_page,
    fill,
    jupyter_lab,
    needs_chromium,
    open_every_section,
    open_notebook,
    run_the_cell,
    tab,
)

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = needs_chromium

#: Every visible text below the app whose contrast is too low: [text, fg, bg, ratio, needed].
LOW_CONTRAST = r"""() => {
  const parse = (css) => {
    let m = css.match(/^rgba?\(([^)]+)\)$/);
    if (m) {
      const v = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
      return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
    }
    m = css.match(/^color\(srgb ([^)]+)\)$/);
    if (m) {
      const v = m[1].split(/[\s\/]+/).filter(Boolean).map(Number);
      return [v[0] * 255, v[1] * 255, v[2] * 255, v.length > 3 ? v[3] : 1];
    }
    return null;  // a colour space this test does not read: said as such below
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => a * top[i] + (1 - a) * bottom[i]).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) {
        layers.push(bg);
        if (bg[3] >= 1) break;
      }
    }
    let colour = [255, 255, 255, 1];  // the canvas, if nothing is opaque
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const shown = (e) => {
    if (!e.getClientRects().length) return false;
    const css = getComputedStyle(e);
    if (css.visibility === 'hidden' || parseFloat(css.opacity) === 0) return false;
    const box = e.getBoundingClientRect();
    return box.width > 1 && box.height > 1;  // not a screen-reader-only text
  };
  const inactive = (e) => !!e.closest(':disabled, [aria-disabled="true"], .mod-disabled');
  const root = document.querySelector('.aaw-app');
  const elements = new Set();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.textContent.trim() && node.parentElement) elements.add(node.parentElement);
  }
  const fields = 'input:not([type=checkbox]):not([type=range]), select, textarea';
  for (const e of root.querySelectorAll(fields)) {
    if (e.value) elements.add(e);
  }
  const low = [];
  for (const e of elements) {
    if (!shown(e) || inactive(e) || e.closest('option, script, style, svg')) continue;
    const css = getComputedStyle(e);
    const fg = parse(css.color);
    const text = (e.value || e.innerText || e.textContent).trim().slice(0, 50);
    if (!fg) { low.push([text, css.color, '', 0, 0]); continue; }
    const bg = background(e);
    const size = parseFloat(css.fontSize), bold = parseInt(css.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    const r = Math.floor(ratio(over(fg, bg), bg) * 1000) / 1000;
    if (r < needed) {
      const hex = (c) => '#' + c.slice(0, 3)
        .map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
      low.push([text, hex(over(fg, bg)), hex(bg), r, needed]);
    }
  }
  return low;
}"""


#: The app as a user runs it (jobs instant); stopped with SIGTERM, leaving nothing.
app_server = app_fixture("theme", watch=True)


#: Where each theme's run creates its auth (the demo's environments with none; one app server
#: serves both runs, and an environment takes one auth).
TARGETS = {"light": ("d4demonew", "dev"), "dark": ("d2demoshop", "prod")}


def screens(page: Any, target: tuple[str, str]) -> dict[str, list[Any]]:
    """The low-contrast texts of each main screen, by screen."""
    low: dict[str, list[Any]] = {}

    def check(name: str) -> None:
        page.wait_for_timeout(300)  # the widgets' last redraw (not the service)
        found = page.evaluate(LOW_CONTRAST)
        if found:
            low[name] = found

    check("first screen")
    open_every_section(page)
    check("every section open")
    tab(page, "Gen 2")
    page.locator(".aaw-editor pre:visible").first.wait_for(timeout=30_000)
    check("Gen 2 tab")
    tab(page, "Form")
    page.locator(".aaw-editor select").nth(0).select_option(label="Email sign-in (defaults)")
    page.get_by_role("button", name="Apply preset").click()
    fill(page, "AppId", target[0])
    fill(page, "BackendEnvironmentName", target[1])
    fill(page, "ResourceName", "newauth")
    page.locator("button.aaw-create").click()
    page.wait_for_selector(".aaw-job-status:has-text('COMPLETED')", timeout=30_000)
    check("editor after a job")
    tab(page, "Jobs")
    page.wait_for_selector(".aaw-monitor .aaw-badge:has-text('COMPLETED')", timeout=30_000)
    check("Jobs")
    tab(page, "Reports")
    expect(page.locator(".aaw-reports img:visible")).to_have_count(2, timeout=30_000)
    check("Reports")
    tab(page, "Fleet")
    page.locator(".aaw-fleet-panel button", has_text="Audit").first.click()
    page.locator(".aaw-fleet-panel img").first.wait_for(state="visible", timeout=60_000)
    check("Fleet after an audit")
    tab(page, "Migration")
    page.locator(".aaw-fleet-migration table").first.wait_for(timeout=60_000)
    check("Fleet: migration plan")
    return low


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_reads_in_the_theme(app_server, theme):
    with chromium_page(width=1400, height=1000) as page:
        page.goto(f"{app_server}&voila-theme={theme}")
        page.wait_for_selector(".aaw-editor", timeout=60_000)
        dark = page.evaluate("document.body.dataset.jpThemeLight") == "false"
        assert dark == (theme == "dark"), "the page is not in the theme asked for"
        low = screens(page, TARGETS[theme])
        assert bad_console(page) == []
    assert low == {}, "\n".join(
        f"{theme}, {name}: "
        + "; ".join(f"{t!r} {fg} on {bg} {r} < {n}" for t, fg, bg, r, n in found)
        for name, found in low.items()
    )


@pytest.fixture
def dark_lab(tmp_path):
    """``jupyter lab`` in its Dark theme (the user's setting, in a config folder of the test's
    own) with the app's notebook; stopped with SIGTERM, kernels with it."""
    themes = tmp_path / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    themes.mkdir(parents=True)
    (themes / "themes.jupyterlab-settings").write_text('{"theme": "JupyterLab Dark"}')
    with jupyter_lab(tmp_path) as url:
        yield url


def test_the_widgets_in_a_jupyterlab_dark_cell_read(dark_lab):
    with chromium_page(width=1400, height=1100) as page:
        open_notebook(page, dark_lab)
        assert page.evaluate("document.body.dataset.jpThemeName") == "JupyterLab Dark"
        run_the_cell(page)
        low = {"first screen": page.evaluate(LOW_CONTRAST)}
        open_every_section(page)
        low["every section open"] = page.evaluate(LOW_CONTRAST)
        tab(page, "Jobs")
        low["Jobs"] = page.evaluate(LOW_CONTRAST)
    assert {name: found for name, found in low.items() if found} == {}
