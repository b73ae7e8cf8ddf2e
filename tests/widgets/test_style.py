"""One home for each thing the widgets share: the palette and the wide style (``style.py``), the
coloured-text helpers and HTML escaping (``html.py``), a job's colour (``core.lifecycle``), the
operations (``core.operations``) and the demo apps (``emulator.demo``)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from amplify_auth_widgets.core.lifecycle import DISPLAY, display
from amplify_auth_widgets.core.operations import configuration_operations
from amplify_auth_widgets.emulator.demo import DEMO_APPS
from amplify_auth_widgets.widgets import style
from amplify_auth_widgets.widgets.actionbar import MODES, ActionBar
from amplify_auth_widgets.widgets.editor import OPERATIONS
from amplify_auth_widgets.widgets.html import (
    coloured,
    error_html,
    escape,
    muted_html,
    ok_html,
    warning_html,
)
from amplify_auth_widgets.widgets.status import StatusLine

WIDGETS = Path(style.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b")
HOSTILE = '<script>"it\'s" & </b>'


def test_the_palette_follows_the_theme_but_for_the_pairs_that_carry_their_own_background():
    colours = {
        name: value
        for name, value in vars(style).items()
        if name.isupper() and isinstance(value, str) and name != "THEME_CSS"
    }
    own = {"BADGE_TEXT", "PLOT_CARD"}  # white on a status colour; dark on a white card
    assert colours and all("var(--jp-" in v for n, v in colours.items() if n not in own), colours
    assert HEX.fullmatch(style.BADGE_TEXT) and "background:#fff" in style.PLOT_CARD
    # the values these widgets had are the fallbacks where a page has no theme
    assert [HEX.findall(c)[0] for c in (style.ERROR, style.WARNING, style.OK)] == [
        "#b00020",
        "#8a5a00",
        "#1b5e20",
    ]
    assert style.WIDE == {"description_width": "initial"}


def test_no_other_widget_module_writes_a_colour_or_the_wide_style():
    for path in sorted(WIDGETS.glob("*.py")):
        if path.name == "style.py":
            continue
        text = path.read_text()
        assert not HEX.search(text), f"{path.name}: a colour outside style.py"
        assert "description_width" not in text, f"{path.name}: use style.WIDE"


def test_escape_is_the_standard_library_s_with_quotes():
    assert escape(HOSTILE) == html.escape(HOSTILE, quote=True)
    assert "<" not in escape(HOSTILE) and '"' not in escape(HOSTILE) and "'" not in escape(HOSTILE)


@pytest.mark.parametrize(
    ("helper", "colour"),
    [
        (error_html, style.ERROR),
        (warning_html, style.WARNING),
        (ok_html, style.OK),
        (muted_html, style.MUTED),
    ],
)
def test_each_coloured_text_helper_escapes_and_takes_the_palette_s_colour(helper, colour):
    assert helper(HOSTILE) == f'<span style="color:{colour}">{escape(HOSTILE)}</span>'


def test_coloured_text_in_another_element():
    assert coloured("3 problems", style.ERROR, "b") == (
        f'<b style="color:{style.ERROR}">3 problems</b>'
    )
    assert muted_html("why", "i") == f'<i style="color:{style.MUTED}">why</i>'


@pytest.mark.parametrize("status", [*DISPLAY, "SOMETHING_NEW", ""])
def test_a_job_s_colour_is_the_lifecycle_s(status):
    # lifecycle's colour, readable as text in the page's theme
    assert style.job_colour(status) == style.on_theme(display(status).color)
    assert display(status).color in style.job_colour(status)
    bar = ActionBar(StatusLine())
    bar.show_job(status)
    if status:
        assert f"color:{style.job_colour(status)}" in bar.job_status.value
    else:
        assert bar.job_status.value == ""


def test_the_editor_s_modes_are_the_configuration_operations():
    assert configuration_operations() == OPERATIONS
    assert [op for _, op in MODES] == list(configuration_operations())
    assert dict(MODES) == {
        "Create new": "CreateBackendAuth",
        "Update existing": "UpdateBackendAuth",
    }


def test_the_app_names_the_emulator_s_demo_apps_from_the_demo_itself(emulator):
    from amplify_auth_widgets import AuthApp, BackendAuthService, JobHistory

    app = AuthApp(
        BackendAuthService(emulator.connection()), history=JobHistory(":memory:"), autostart=False
    )
    try:
        app.emulator = SimpleNamespace(url="http://127.0.0.1:1")  # as if it were the embedded one
        app._show_where()
        shown = re.findall(r"<code>([^<]*)</code>", app.where.value)
        assert shown == ["http://127.0.0.1:1", *(app_id for app_id, _, _ in DEMO_APPS)]
    finally:
        app.emulator = None
        app.close()
