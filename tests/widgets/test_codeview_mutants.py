"""Code as it is shown (``widgets/codeview.py``): the reader sees exactly the text, every line
and no more, whatever the language and however it ends; each kind of token takes the theme's
colour for it; long lines scroll unless asked to wrap; the box is a named region the keyboard
reaches."""

from __future__ import annotations

import html
import re

import pytest

from amplify_auth_widgets.widgets.codeview import CODE_CSS, code_html, highlight

TEXTS = [
    "const auth = defineAuth({ loginWith: { email: true } });",
    "const auth = defineAuth({});\n",
    "\n\nexport const a = 1;\n\n",
    "// a comment last",
]


def shown(markup: str) -> str:
    """The text a reader sees (and a screen reader reads) of highlighted code."""
    inner = re.fullmatch(r'<pre class="[^"]*">(.*)</pre>', markup, re.S)
    assert inner is not None, markup
    return html.unescape(re.sub(r"<[^>]*>", "", inner[1]))


@pytest.mark.parametrize(
    ("language", "text"),
    [("typescript", t) for t in TEXTS]
    + [
        ("json", '{"AppId": "d1", "List": ["<b>&"]}'),
        ("json", '{"AppId": "d1"}\n'),
        ("yaml", "AppId: d1\nList:\n  - x"),
        ("yaml", "# a comment\nAppId: d1\n"),
        ("shell", "aws amplifybackend create-backend-auth \\\n  --app-id d1"),
        ("shell", "echo hi\n"),
        ("text", "Read me: <b> & done\n\nfor a file of no language"),  # the Gen 2 tab's README
    ],
)
def test_the_code_shown_is_the_text_every_line_and_no_more(language, text):
    assert shown(highlight(text, language)) == text
    assert shown(highlight(text, language, wrap=True)) == text


def test_code_is_typescript_unless_said_and_scrolls_unless_asked_to_wrap():
    code = highlight("const a = 1;")
    assert code.startswith('<pre class="aaw-code"><span class="aaw-tok-kd">const</span>')
    assert highlight("a: 1", "yaml").startswith('<pre class="aaw-code"><span class="aaw-tok-nt">a')
    wrapped = highlight("aws amplifybackend", "shell", wrap=True)
    assert wrapped.startswith('<pre class="aaw-code aaw-code-wrap">')
    assert '<pre class="aaw-code">' in code_html("a: 1", "yaml", "Request")
    assert '<pre class="aaw-code aaw-code-wrap">' in code_html("a", "shell", "Command", wrap=True)


def test_a_hostile_value_in_the_code_is_shown_not_run():
    text = 'const name = "</pre><img src=x onerror=alert(1)>";'
    code = code_html(text, "typescript", 'Backend "auth" <code>')
    assert "<img" not in code and "</pre><img" not in code
    assert 'role="region" aria-label="Backend &quot;auth&quot; &lt;code&gt;" tabindex="0"' in code
    body = re.search(r'<pre class="aaw-code">.*</pre>', code, re.S)
    assert body is not None and shown(body[0]) == text


def colours() -> dict[str, str]:
    """Each token class the style sheet colours, and the variable it takes."""
    found: dict[str, str] = {}
    for selectors, variable in re.findall(r"([^{}]+)\{color:var\((--[\w-]+)\)\}", CODE_CSS):
        for selector in selectors.split(","):
            match = re.fullmatch(r"\.aaw-code \.aaw-tok-([\w-]+)", selector)
            if match:
                found[match[1]] = variable
    return found


def test_each_kind_of_token_takes_the_theme_s_colour_for_it():
    theme = colours()
    assert theme["kd"] == theme["k"] == "--jp-mirror-editor-keyword-color"
    assert theme["kt"] == "--jp-mirror-editor-keyword-color"  # types as keywords
    assert theme["s2"] == "--jp-mirror-editor-string-color"
    assert theme["mi"] == theme["mf"] == "--jp-mirror-editor-number-color"
    assert theme["nt"] == "--jp-mirror-editor-property-color"
    assert theme["o"] == theme["p"] == "--jp-mirror-editor-punctuation-color"
    # comments in the text's own colour (the secondary one is under 4.5:1), set in italics
    assert theme["c1"] == theme["cm"] == "--jp-content-font-color1"
    assert ".aaw-code .aaw-tok-c1,.aaw-code .aaw-tok-cm{font-style:italic}" in CODE_CSS
    # every token the shown code of each language gets is coloured, but for spaces and plain text
    for language, text in [
        ("typescript", "const a: string = 'x'; // c"),
        ("json", '{"a": [1, "b", true]}'),
        ("yaml", "# c\na: 1"),
    ]:
        classes = set(re.findall(r'class="aaw-tok-([\w]+)', highlight(text, language)))
        assert classes - {"w", "l"} <= set(theme), (language, classes - set(theme))
