"""TypeScript source laid out as Prettier lays it out (its defaults: 80 columns, two spaces,
double quotes, trailing commas), for the small subset of TypeScript the Gen 2 export writes.

Values are plain Python data: a dict is an object literal (keys in order), a list an array, a
str/int/float/bool a literal; ``Code`` is an expression written as is (``secret("NAME")``) and
``Arrow`` an arrow function returning a template literal. ``Inline`` marks an object that stays
on one line when it fits, as Prettier keeps an object a person wrote on one line.

The layout follows Prettier's rules for these forms, so that ``prettier --check`` passes on every
export (the tests run Prettier itself): arrays go on one line when they fit, else one element a
line; a string after ``=`` or after an object key of five or more characters moves to the next
line when it does not fit; an arrow function breaks after ``=>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

WIDTH = 80
INDENT = "  "
#: Prettier keeps a string on the key's line when the key is shorter than this (tabWidth + 3).
SHORT_KEY = 5


@dataclass(frozen=True)
class Code:
    """An expression written as is, such as ``secret("GOOGLE_CLIENT_ID")``."""

    text: str


@dataclass(frozen=True)
class Arrow:
    """``(param) => `template``` where ``template`` is the literal's body, already escaped."""

    param: str
    template: str


class Inline(dict):
    """An object literal that is written on one line when it fits."""


#: What a literal must not hold as is: C0 and C1 controls and DEL (a raw CR in a template
#: literal reads back as LF; NUL and the others are invisible), the line and paragraph
#: separators (they end a ``//`` comment in JavaScript), and lone surrogates (not text: no
#: file can hold them). Each is written as a ``\\uXXXX`` escape, which reads back as itself.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: The usual short escapes, as Prettier and people write them.
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def string(value: str) -> str:
    """A string literal that reads back as ``value`` exactly, with Prettier's quote choice:
    double, unless that needs more escapes. Backslashes and the quote are escaped, and every
    character ``_UNSAFE`` names is a ``\\uXXXX`` (or ``\\n``-style) escape."""
    quote = "'" if value.count('"') > value.count("'") else '"'
    body = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{_UNSAFE.sub(_escape, body)}{quote}"


def template_text(text: str, placeholder: str, expression: str) -> str:
    """The body of a template literal for ``text``, with ``placeholder`` as ``${expression}``.

    Backslashes, backticks and ``${`` are escaped, and so is every character ``_UNSAFE``
    names, a line feed excepted (it reads back as itself): a raw carriage return would read
    back as a line feed, so ``\\r\\n`` is written as ``\\r`` and a line break."""
    escaped = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    escaped = _UNSAFE.sub(lambda m: "\n" if m.group() == "\n" else _escape(m), escaped)
    return escaped.replace(placeholder, "${" + expression + "}")


def comment_text(text: str) -> str:
    """``text`` safe in a ``//`` comment: every character ``_UNSAFE`` names (a line break among
    them, which would end the comment and make the rest code) shown as ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _key(name: str) -> str:
    return name if name.isidentifier() else string(name)


def literal(value: Any) -> str | None:
    """The one-line text of a value, or None when it has no one-line form here."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Code):
        return value.text
    if isinstance(value, Arrow):
        return f"({value.param}) => `{value.template}`"
    if isinstance(value, list):
        items = [literal(v) for v in value]
        return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    if isinstance(value, Inline):
        if not value:
            return "{}"
        texts = {k: literal(v) for k, v in value.items()}
        if None in texts.values():
            return None
        return "{ " + ", ".join(f"{_key(k)}: {t}" for k, t in texts.items()) + " }"
    if isinstance(value, dict) and not value:
        return "{}"
    return None


def value_lines(value: Any, depth: int, lead: str, tail: str, key: str | None = None) -> list[str]:
    """The lines of ``lead + value + tail`` at ``depth`` levels of indentation.

    ``lead`` already holds the indentation and what comes before the value (``key: `` or
    ``target = ``); ``key`` is the object key when the value is a property's (None after ``=``).
    """
    pad = INDENT * depth
    flat = literal(value)
    if flat is not None and len(lead + flat + tail) <= WIDTH:
        return [lead + flat + tail]
    if isinstance(value, str | Code | int | float):
        # an array element or call argument (nothing before it) stays on its line
        after = lead.strip() != ""
        breaks = isinstance(value, str) and after and (key is None or len(key) >= SHORT_KEY)
        if breaks:
            return [lead.rstrip(), pad + INDENT + literal(value) + tail]  # type: ignore[operator]
        return [lead + (flat or "") + tail]
    if isinstance(value, Arrow):
        return [lead + f"({value.param}) =>", pad + INDENT + f"`{value.template}`" + tail]
    if isinstance(value, list):
        lines = [lead + "["]
        for item in value:
            lines += value_lines(item, depth + 1, pad + INDENT, ",")
        return [*lines, pad + "]" + tail]
    if isinstance(value, dict):
        lines = [lead + "{"]
        lines += object_body(value, depth + 1)
        return [*lines, pad + "}" + tail]
    raise TypeError(f"no TypeScript form for {type(value).__name__}")


def object_body(value: dict[str, Any], depth: int) -> list[str]:
    """The member lines of an object literal, each ending with a comma."""
    pad = INDENT * depth
    lines: list[str] = []
    for name, item in value.items():
        lines += value_lines(item, depth, f"{pad}{_key(name)}: ", ",", key=_key(name))
    return lines


def assignment(target: str, value: Any) -> list[str]:
    """``target = value;`` as a statement at the top level."""
    return value_lines(value, 0, f"{target} = ", ";")


def call(function: str, args: list[Any]) -> list[str]:
    """``function(arg, ...);``: one line when it fits, else one argument a line."""
    texts = [literal(a) for a in args]
    flat = f"{function}(" + ", ".join(t or "" for t in texts) + ");"
    if None not in texts and len(flat) <= WIDTH:
        return [flat]
    lines = [f"{function}("]
    for arg in args:
        lines += value_lines(arg, 1, INDENT, ",")
    return [*lines, ");"]


def destructure(names: list[str], source: str) -> list[str]:
    """``const { a, b } = source;``, broken after ``=`` when it does not fit."""
    head = "const { " + ", ".join(names) + " } ="
    if len(f"{head} {source};") <= WIDTH:
        return [f"{head} {source};"]
    return [head, f"{INDENT}{source};"]


def comment_block(lines: list[str]) -> list[str]:
    """``//`` comment lines; no text in them can end the comment (see ``comment_text``)."""
    return [f"// {comment_text(line)}".rstrip() for line in lines]
