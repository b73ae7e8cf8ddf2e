"""What a person reads in a widget's HTML: the text without tags and style sheets, unescaped.

Highlighted code is a ``<span>`` a token, so a line of code is no longer a substring of the
HTML; tests that check what is shown read it through ``text_of``."""

from __future__ import annotations

import html
import re

_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def text_of(markup: str) -> str:
    """``markup``'s text as shown: style sheets and tags dropped, entities unescaped."""
    return html.unescape(_TAG.sub("", _STYLE.sub("", markup)))
