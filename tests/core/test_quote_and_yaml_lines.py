"""Values quoted in messages and written in YAML keep their bounds: a quotation cut short
still ends with its closing quote (``secrets.quote``), and a value YAML would break over lines
(U+0085, U+2028, U+2029 are line breaks to YAML) is written as one escaped line that reads
back as itself (``skeleton.commented_yaml``)."""

from __future__ import annotations

import ast

import pytest
import yaml

from amplify_auth_widgets.core.model import request_spec
from amplify_auth_widgets.core.secrets import QUOTE_LIMIT, quote
from amplify_auth_widgets.core.skeleton import commented_yaml

LONG = [
    ["x" * 19, "keep AppId and Service as typed"],
    "it's " * 20,
    'say "AppId" ' * 10,
    "ab\\" * 30,
    ["ab\\" * 30],
    {"k": "v" * 80},
    ("t" * 30, "u" * 30),
]


@pytest.mark.parametrize("value", LONG, ids=lambda v: type(v).__name__)
def test_a_cut_quotation_ends_with_its_closing_quote(value):
    text = quote(value)
    assert len(text) <= QUOTE_LIMIT + 1 and "..." in text
    assert _left_open(text) == "", f"{text!r} leaves a quote open"  # no literal left open
    if isinstance(value, str):
        assert isinstance(ast.literal_eval(text), str)  # a whole string literal


def _left_open(text: str) -> str:
    """The quote a repr's text leaves open ("" if none), read as the messages' reader does."""
    opened, escaped = "", False
    for ch in text:
        if opened and escaped:
            escaped = False
        elif opened and ch == "\\":
            escaped = True
        elif opened and ch == opened:
            opened = ""
        elif not opened and ch in "'\"":
            opened = ch
    return opened


def test_every_cut_place_of_an_escape_or_a_quote_keeps_the_quotation_whole():
    # a list's repr is cut whole (each string in it already shortened): an escape (a backslash
    # and its letter) and a string's opening quote at every place the cut can fall leave the
    # quotation closed, never open, and never a backslash before its closing quote
    for at in range(QUOTE_LIMIT):
        for value in (
            ["a" * at + "\n" + "b" * 4, "c" * 80],
            ["a" * at + "\\" * 3, "c" * 80],
            ["a" * at, "b" * 80],
            ["a" * at + "'" * 3, "c" * 80],
            ["a" * at + "'\"" * 3, "c" * 80],  # both quotes: the repr escapes its own
            [10**at, "b" * 80],  # a string's opening quote the cut's last character
        ):
            text = quote(value)
            # as much kept as fits: the limit, or one fewer where an escape would be halved
            assert QUOTE_LIMIT - 1 <= len(text) <= QUOTE_LIMIT, (at, text)
            assert _left_open(text) == "", f"{text!r} leaves a quote open"


BREAKS = ["a\u2028b", "a\u2029b", "a\x85b", "a\nb", "a\rb", "a\u2028"]


@pytest.mark.parametrize("value", BREAKS, ids=repr)
def test_a_value_or_key_yaml_breaks_over_lines_is_one_escaped_line(value):
    spec = request_spec("CreateBackendAuth")
    data = {
        "AppId": value,
        value: "x",
        "ResourceConfig": {"UserPoolConfigs": {"RequiredSignUpAttributes": [value]}},
    }
    text = commented_yaml(data, spec)
    assert yaml.safe_load(text) == data
    assert text.isascii() or value.isascii()
    assert len(text.splitlines()) == len(text.split("\n")) - 1  # no line break but "\n"
