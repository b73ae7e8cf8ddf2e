"""The Gen 2 tab reads as code: highlighted tokens with theme colours, every hostile value
escaped, and a mapping table that wraps and scrolls in its own box rather than being cut off."""

from __future__ import annotations

import re

from conftest import planted
from support.htmltext import text_of

from amplify_auth_widgets import gen2
from amplify_auth_widgets.widgets.codeview import CODE_CSS, TEXT_AREA_CSS, highlight
from amplify_auth_widgets.widgets.gen2_tab import Gen2Tab

HOSTILE = "</script><img src=x onerror=alert(1)>'\"&amp;"
SUBJECT = "ResourceConfig.UserPoolConfigs.VerificationMessage.EmailSettings.EmailSubject"


def test_code_is_highlighted_as_spans_with_token_classes():
    tab = Gen2Tab(planted({}))
    code = tab.code.value
    assert '<pre class="aaw-code">' in code
    assert '<span class="aaw-tok-k">export</span>' in code  # a keyword
    assert '<span class="aaw-tok-kd">const</span>' in code  # a declaration
    assert re.search(r'<span class="aaw-tok-s2">"[^<"]*"</span>', code)  # a string
    assert re.search(r'<span class="aaw-tok-c1">// Amplify Gen 2 auth', code)  # a comment
    tab.chooser.value = gen2.BACKEND_TS
    assert '<span class="aaw-tok-k">import</span>' in tab.code.value


def test_hostile_values_are_shown_literally_never_as_markup():
    tab = Gen2Tab(planted({SUBJECT: HOSTILE}))
    assert tab.error == ""
    for part in (tab.code, tab.table):
        assert "<img" not in part.value and "</script>" not in part.value
        assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in part.value
    # what a reader sees is the value itself (as the TypeScript string writes it)
    assert "</script><img src=x onerror=alert(1)>" in text_of(tab.code.value)
    assert HOSTILE in text_of(tab.table.value)


def test_highlight_escapes_every_character_html_gives_meaning_to():
    out = highlight(f"const x = {HOSTILE!r};", "typescript")
    body = out.removeprefix('<pre class="aaw-code">').removesuffix("</pre>")
    assert not re.search(r"<(?!/?span\b)", body)  # only the highlighter's own spans
    assert "&lt;/script&gt;" in body and "&amp;amp;" in body
    assert text_of(out) == f"const x = {HOSTILE!r};"


def test_code_colours_and_font_come_from_the_theme_not_fixed_values():
    for css in (CODE_CSS, TEXT_AREA_CSS):
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(|hsl\(", css), "a fixed colour"
        assert "var(--jp-code-font-family" in css
    for name in ("keyword", "string", "number", "variable", "punctuation"):
        assert f"color:var(--jp-mirror-editor-{name}-color)" in CODE_CSS
    # comments in the theme's text colour, set apart by italics: the code-mirror comment colour
    # and the secondary text colour both read under 4.5:1 on the code background
    assert ".aaw-code .aaw-tok-cpf{color:var(--jp-content-font-color1)}" in CODE_CSS
    assert "color:var(--jp-content-font-color1)" in CODE_CSS
    assert "line-height:var(--jp-code-line-height" in CODE_CSS  # not the page's wide spacing


def test_the_code_and_the_mapping_table_scroll_in_named_focusable_boxes():
    tab = Gen2Tab(planted({}))
    for part, name in ((tab.code, "Code of amplify/auth/resource.ts"), (tab.table, "Where")):
        box = re.search(
            r'<div class="aaw-scroll" role="region" aria-label="([^"]+)" '
            r'tabindex="0">',
            part.value,
        )
        assert box and box.group(1).startswith(name)
    assert ".aaw-scroll{max-width:100%;overflow:auto}" in CODE_CSS
    table = tab.table.value
    # fixed column widths filling the box: the table fits whatever the page's width, and a
    # long path, value or note wraps inside its column (a path at its dots)
    assert ".aaw-mapping{border-collapse:collapse;width:100%;table-layout:fixed}" in table
    widths = [int(w) for w in re.findall(r'<col style="width:(\d+)%">', table)]
    assert len(widths) == 6 and sum(widths) == 100
    assert "overflow-wrap:anywhere" in table
    assert "ResourceConfig.<wbr>UserPoolConfigs.<wbr>OAuth.<wbr>DomainPrefix" in table
    headings = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert headings == ["Member", "Value", "Status", "File", "Gen 2", "Note"]
    assert len(re.findall(r"<tr>", table)) == len(tab.export.frame()) + 1
