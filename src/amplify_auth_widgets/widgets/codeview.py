"""Code and tables shown as code and tables: monospace, highlighted, in boxes that scroll.

``highlight(text, language)`` turns source text (TypeScript, JSON, YAML, shell) into a ``<pre>``
whose tokens are ``<span>``s with CSS classes (Pygments' short token names behind the
``aaw-tok-`` prefix). ``CODE_CSS`` colours those classes with JupyterLab's code-mirror theme
variables (``--jp-mirror-editor-keyword-color`` and its siblings) and sets the code font from
``--jp-code-font-family``: no colour is fixed here, so the code reads in the light, dark and
high-contrast themes alike (where a variable is missing the text keeps the page's colour).
Pygments escapes every token's text (``&``, ``<``, ``>``: the characters that mean something
in an element's text), so a hostile value in the
code (an app name holding ``</script><img onerror=...>``) is shown, never run.

``scroll_box(inner, label)`` puts a wide part (the code, a table) in its own box that scrolls
sideways rather than being cut off, reachable with the keyboard (``tabindex``) and named for a
screen reader (a labelled region), as WCAG's scrollable-region rule asks. ``TEXT_AREA_CLASS``
is the class that makes a ``Textarea`` (JSON, YAML, the CLI skeleton) use the code font.
"""

from __future__ import annotations

from .html import escape

#: The class of a highlighted ``<pre>``, and the prefix of its tokens' classes.
CODE_CLASS = "aaw-code"
TOKEN_PREFIX = "aaw-tok-"
#: The class of highlighted code whose long lines wrap (a pasted command) rather than scroll.
WRAP_CLASS = "aaw-code-wrap"
#: The class of a box that scrolls sideways around a wide part.
SCROLL_CLASS = "aaw-scroll"
#: The class that gives a Textarea the code font (JSON, YAML, the skeleton, the command).
TEXT_AREA_CLASS = "aaw-code-text"

#: Pygments' lexer alias for each language the widgets show.
LEXERS = {"typescript": "typescript", "json": "json", "yaml": "yaml", "shell": "bash"}

#: Token class (Pygments' short names) -> the JupyterLab variable colouring it. Three kinds
#: take another variable than their code-mirror one, whose colour falls under WCAG's 4.5:1 on
#: the code's background (measured in tests/browser/test_reading.py): comments the text colour
#: (set apart by italics; the secondary text colour is 4.47:1 on Light's code background),
#: operators the punctuation's, types the keywords'.
_TOKEN_COLOURS = {
    ("k", "kd", "kr", "kn", "ow", "kt"): "mirror-editor-keyword",
    ("kc",): "mirror-editor-atom",
    ("s", "s1", "s2", "sb", "sc", "sd", "sh", "dl"): "mirror-editor-string",
    ("se", "si", "sr", "sx", "ss", "sa"): "mirror-editor-string-2",
    ("m", "mi", "mf", "mh", "mo", "mb", "il"): "mirror-editor-number",
    ("c", "c1", "cm", "cs", "ch", "cp", "cpf"): "content-font",
    ("nb", "bp"): "mirror-editor-builtin",
    ("nf", "nc", "fm"): "mirror-editor-def",
    ("nx", "n", "nv"): "mirror-editor-variable",
    ("na", "nt", "py"): "mirror-editor-property",
    ("o", "p"): "mirror-editor-punctuation",
    ("err",): "mirror-editor-error",
}


def _token_rules() -> str:
    rules = []
    for classes, name in _TOKEN_COLOURS.items():
        selector = ",".join(f".{CODE_CLASS} .{TOKEN_PREFIX}{c}" for c in classes)
        variable = "--jp-content-font-color1" if name == "content-font" else f"--jp-{name}-color"
        rules.append(f"{selector}{{color:var({variable})}}")
    return "".join(rules)


_MONO = (
    "font-family:var(--jp-code-font-family,monospace);"
    "font-size:var(--jp-code-font-size,13px);"
    "line-height:var(--jp-code-line-height,1.3077)"
)

#: The style sheet of code-font text areas (put it beside them).
TEXT_AREA_CSS = (
    f"<style>.{TEXT_AREA_CLASS} textarea{{{_MONO};white-space:pre;overflow-wrap:normal;"
    "tab-size:2}</style>"
)

#: The style sheet of highlighted code, scroll boxes and code-font text areas: only theme
#: variables, no fixed colour. The code's selector (a ``pre.aaw-code`` in its scroll box) is
#: more specific than a page's rule for ``pre`` in a part, so the theme's background wins.
CODE_CSS = (
    "<style>"
    f".{SCROLL_CLASS}>pre.{CODE_CLASS}{{{_MONO};margin:0;padding:6px 8px;white-space:pre;"
    "word-break:normal;tab-size:2;color:var(--jp-content-font-color1);"
    "background:var(--jp-cell-editor-background);border:1px solid var(--jp-border-color2)}"
    f".{SCROLL_CLASS}>pre.{WRAP_CLASS}{{white-space:pre-wrap;overflow-wrap:anywhere}}"
    f".{CODE_CLASS} .{TOKEN_PREFIX}c1,.{CODE_CLASS} .{TOKEN_PREFIX}cm{{font-style:italic}}"
    f"{_token_rules()}"
    f".{SCROLL_CLASS}{{max-width:100%;overflow:auto}}"
    f".{SCROLL_CLASS}:focus-visible{{outline:2px solid var(--jp-brand-color1);"
    "outline-offset:1px}"
    "</style>"
) + TEXT_AREA_CSS


def highlight(text: str, language: str = "typescript", wrap: bool = False) -> str:
    """``text`` as a highlighted ``<pre class="aaw-code">``: every token a ``<span>`` with a
    class, every character of the text that means something there escaped (``& < >``); with
    ``wrap``, long lines wrap instead of scrolling."""
    # deferred: Pygments' lexers cost start-up, and code is shown only when its tab is opened
    from pygments import highlight as render
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    lexer = get_lexer_by_name(LEXERS.get(language, language), stripnl=False, ensurenl=False)
    formatter = HtmlFormatter(nowrap=True, classprefix=TOKEN_PREFIX)
    body = render(text, lexer, formatter)
    if body.endswith("\n") and not text.endswith("\n"):  # (some lexers end every line)
        body = body[:-1]
    classes = f"{CODE_CLASS} {WRAP_CLASS}" if wrap else CODE_CLASS
    return f'<pre class="{classes}">{body}</pre>'


def scroll_box(inner: str, label: str) -> str:
    """``inner`` (HTML) in a box that scrolls when it is wider or taller than the page gives
    it: a region named ``label`` that takes focus, so keys scroll it too."""
    return (
        f'<div class="{SCROLL_CLASS}" role="region" aria-label="{escape(label)}" tabindex="0">'
        f"{inner}</div>"
    )


def code_html(text: str, language: str, label: str, wrap: bool = False) -> str:
    """The style sheet and ``text`` highlighted, in a scroll box named ``label``."""
    return CODE_CSS + scroll_box(highlight(text, language, wrap), label)
