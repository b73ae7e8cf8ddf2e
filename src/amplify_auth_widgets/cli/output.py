"""Rendering of responses and findings for the terminal, in the AWS CLI's output formats.

``render(data, fmt)`` gives ``json`` (indented as the AWS CLI indents), ``yaml``,
``yaml-stream``, ``text`` (tab-separated, the AWS CLI's layout: scalars of an object on one
line in key order, nested objects and lists on lines headed by their key in upper case) and
``table`` (boxed, titled by the operation). Findings render as ``path: severity code: message``.
"""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

from ..core.findings import Finding

OUTPUT_FORMATS = ("json", "text", "table", "yaml", "yaml-stream")

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "ok": "\033[32m"}
_RESET = "\033[0m"


def use_color(choice: str, stream: TextIO) -> bool:
    """Whether to colour ``stream``: --color on or off, or auto (a terminal)."""
    if choice == "on":
        return True
    if choice == "off":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, kind: str, color: bool) -> str:
    """``text`` in the colour of ``kind`` (error, warning, ok) when ``color``."""
    return f"{_COLORS[kind]}{text}{_RESET}" if color and kind in _COLORS else text


def render_finding(finding: Finding, color: bool = False) -> str:
    """A finding as ``path: severity code: message``, its severity coloured."""
    severity = paint(finding.severity, finding.severity, color)
    return f"{finding.path or '(request)'}: {severity} {finding.code}: {finding.message}"


def render(data: Any, fmt: str = "json", title: str = "") -> str:
    """``data`` in an output format of the AWS CLI (``OUTPUT_FORMATS``)."""
    if fmt == "json":
        return json.dumps(data, indent=4, ensure_ascii=False, default=str) + "\n"
    if fmt in ("yaml", "yaml-stream"):
        import yaml  # deferred: PyYAML, which only the yaml outputs need

        doc = [data] if fmt == "yaml-stream" else data
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False)
    if fmt == "text":
        out = io.StringIO()
        _text(data, out, None, None)
        return out.getvalue()
    if fmt == "table":
        return render_table(data, title)
    raise ValueError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}")


# -- text ----------------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    return str(value)


def _text(item: Any, out: TextIO, identifier: str | None, keys: list[str] | None) -> None:
    """Write ``item`` in the AWS CLI's text layout (see the module's docstring)."""
    if isinstance(item, dict):
        scalars: list[str] = []
        nested: list[tuple[str, Any]] = []
        if keys is None:
            for key, value in sorted(item.items()):
                if isinstance(value, dict | list):
                    nested.append((key, value))
                else:
                    scalars.append(_scalar(value))
        else:
            scalars = [_scalar(item.get(k, "None")) for k in keys]
            nested = [(k, v) for k, v in item.items() if isinstance(v, dict | list)]
        if scalars:
            if identifier is not None:
                scalars.insert(0, identifier.upper())
            out.write("\t".join(scalars) + "\n")
        for key, value in nested:
            _text(value, out, key, None)
    elif isinstance(item, list):
        if any(isinstance(v, dict) for v in item):
            shared = sorted(
                {
                    k
                    for v in item
                    if isinstance(v, dict)
                    for k, x in v.items()
                    if not isinstance(x, dict | list)
                }
            )
            for value in item:
                _text(value, out, identifier, shared)
        elif item:
            if identifier is not None:
                for value in item:
                    out.write(f"{identifier.upper()}\t{_scalar(value)}\n")
            else:
                out.write("\t".join(_scalar(v) for v in item) + "\n")
    else:
        out.write(_scalar(item) + "\n")


# -- table ---------------------------------------------------------------------------------


def _box(title: str, header: list[str] | None, rows: list[list[str]]) -> list[str]:
    """A boxed table's lines: a title row, an optional header, then the rows."""
    columns = max([len(header or [])] + [len(r) for r in rows] + [1])
    rows = [r + [""] * (columns - len(r)) for r in rows]
    grid = ([header + [""] * (columns - len(header))] if header else []) + rows
    widths = [max([len(r[i]) for r in grid] + [0]) for i in range(columns)]
    inner = sum(widths) + 3 * (columns - 1)
    if len(title) > inner:
        widths[-1] += len(title) - inner
        inner = len(title)
    rule = "+" + "-" * (inner + 2) + "+"
    lines = [rule, "|" + title.center(inner + 2) + "|", rule]
    for i, row in enumerate(grid):
        cells = " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
        lines.append(f"| {cells} |")
        if header and i == 0:
            lines.append(rule)
    lines.append(rule)
    return lines


def render_table(data: Any, title: str = "") -> str:
    """``data`` as the AWS CLI's boxed tables, one per object or list."""
    lines: list[str] = []

    def emit(value: Any, name: str) -> None:
        if isinstance(value, dict):
            scalars = [[k, _scalar(v)] for k, v in value.items() if not isinstance(v, dict | list)]
            if scalars:
                lines.extend(_box(name, None, scalars))
            for k, v in value.items():
                if isinstance(v, dict | list):
                    emit(v, k)
        elif isinstance(value, list):
            if value and all(isinstance(v, dict) for v in value):
                header = sorted({k for v in value for k in v if not isinstance(v[k], dict | list)})
                rows = [[_scalar(v.get(k, "")) for k in header] for v in value]
                lines.extend(_box(name, header, rows))
            elif value:
                lines.extend(_box(name, None, [[_scalar(v)] for v in value]))
        else:
            lines.extend(_box(name, None, [[_scalar(value)]]))

    title = title or "Result"
    emit(data, title)
    if len(lines) < 2 or title not in lines[1]:
        width = max([len(line) for line in lines] + [len(title) + 4])
        rule = "+" + "-" * (width - 2) + "+"
        head = [rule, "|" + title.center(width - 2) + "|"]
        # shut by the box below when that is as wide; else (nothing below, a narrower box) here
        lines[:0] = head if lines and lines[0] == rule else [*head, rule]
    return "\n".join(lines) + "\n"
