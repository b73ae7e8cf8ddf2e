"""The HTML helpers as a reader and a browser get them: text escaped in elements and quoted
attributes alike, coloured text in a span unless told otherwise, a plot as a figure whose image
says what it shows, and a download link that saves the bytes under their name."""

from __future__ import annotations

import base64
import html

from amplify_auth_widgets.widgets import style
from amplify_auth_widgets.widgets.html import (
    coloured,
    download_link,
    error_html,
    escape,
    figure_html,
    muted_html,
    ok_html,
    warning_html,
)

HOSTILE = '<b>"it\'s" & co</b>'
SAFE = "&lt;b&gt;&quot;it&#x27;s&quot; &amp; co&lt;/b&gt;"


def test_text_is_escaped_for_elements_and_both_quotes():
    assert escape(HOSTILE) == SAFE
    assert html.unescape(escape(HOSTILE)) == HOSTILE


def test_coloured_text_is_a_span_unless_another_element_is_asked_for():
    assert coloured(HOSTILE, "red") == f'<span style="color:red">{SAFE}</span>'
    assert coloured("x", "red", "div") == '<div style="color:red">x</div>'
    assert muted_html(HOSTILE) == f'<span style="color:{style.MUTED}">{SAFE}</span>'
    assert error_html("x") == f'<span style="color:{style.ERROR}">x</span>'
    assert warning_html("x") == f'<span style="color:{style.WARNING}">x</span>'
    assert ok_html("x") == f'<span style="color:{style.OK}">x</span>'


def test_a_plot_is_a_figure_on_its_card_whose_image_says_what_it_shows():
    png = b"\x89PNG\r\n\x1a\nbytes"
    encoded = base64.b64encode(png).decode()
    assert figure_html(png, HOSTILE, "aaw-plot-jobs") == (
        f'<figure class="aaw-plot aaw-plot-jobs" style="{style.PLOT_CARD}">'
        f'<img alt="{SAFE}" src="data:image/png;base64,{encoded}" '
        'style="display:block;max-width:100%"></figure>'
    )
    plain = figure_html(png, "Jobs by day")
    assert plain.startswith('<figure class="aaw-plot" style=')  # no trailing blank
    assert 'alt="Jobs by day"' in plain
    assert figure_html(png, "x", '"><script>').startswith(
        '<figure class="aaw-plot &quot;&gt;&lt;script&gt;"'
    )


def test_a_download_link_saves_the_bytes_under_their_name():
    data = '{"AppId": "d1"}\n\u00e9'.encode()
    link = download_link(HOSTILE, data, "application/json")
    encoded = base64.b64encode(data).decode()
    assert link == (
        f'<a download="{SAFE}" href="data:application/json;base64,{encoded}">&#x2B07; {SAFE}</a>'
    )
    href = link.split('href="', 1)[1].split('"', 1)[0]
    assert base64.b64decode(href.split(",", 1)[1]) == data
