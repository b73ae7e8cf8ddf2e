"""The palette follows the page's theme and reads in each of JupyterLab's themes: every text
colour the widgets write, evaluated as CSS would in JupyterLab Light, Dark and Dark High
Contrast (their variables read from the installed JupyterLab's theme sheets), holds WCAG AA's
4.5:1 against the backgrounds it is shown on; and with no theme at all, the fallbacks do."""

from __future__ import annotations

import re
from pathlib import Path

import jupyterlab
import pytest

from amplify_auth_widgets.core.lifecycle import DISPLAY, OTHER
from amplify_auth_widgets.widgets import style
from amplify_auth_widgets.widgets.html import error_html

THEMES = Path(jupyterlab.__file__).parent / "themes" / "@jupyterlab"
NAMES = ("light", "dark", "dark-high-contrast")
VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*([^;}]+)")
MATERIAL = re.compile(r"var\((--md-[\w-]+),\s*(#[0-9a-fA-F]{3,6})\)")


def sheet(name: str) -> str:
    return (THEMES / f"theme-{name}-extension" / "index.css").read_text()


def theme(name: str | None) -> dict[str, str]:
    """A theme's variables; the Material palette's from the fallbacks the sheets spell out.
    ``None``: a page with no theme at all (every ``var()`` takes its fallback)."""
    if name is None:
        return {}
    material = {k: v for n in NAMES for k, v in MATERIAL.findall(sheet(n))}
    return {**material, **dict(VARIABLE.findall(sheet(name)))}


def split(args: str) -> list[str]:
    """Top-level comma-separated arguments of a CSS function."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(args):
        depth += c == "("
        depth -= c == ")"
        if c == "," and depth == 0:
            parts.append(args[start:i].strip())
            start = i + 1
    return [*parts, args[start:].strip()]


RGB = tuple[float, float, float, float]


def colour(expr: str, env: dict[str, str]) -> RGB:
    """A CSS colour expression (hex, rgb/rgba, white/black, var(), color-mix in srgb) as RGBA."""
    expr = expr.strip()
    if expr.startswith("var("):
        name, *fallback = split(expr[4:-1])
        return colour(env[name] if name in env else fallback[0], env)
    if expr.startswith("color-mix("):
        _, a, b = split(expr[10:-1])
        first, share = a.rsplit(" ", 1)
        p = float(share.rstrip("%")) / 100
        x, y = colour(first, env), colour(b, env)
        return tuple(p * i + (1 - p) * j for i, j in zip(x, y, strict=True))  # type: ignore[return-value]
    if expr.startswith("rgb"):
        values = [float(v) for v in split(expr[expr.index("(") + 1 : -1])]
        return (*values[:3], values[3] if len(values) > 3 else 1.0)  # type: ignore[return-value]
    named = {"white": "#fff", "black": "#000"}
    hexa = named.get(expr, expr).lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    return (int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16), 1.0)


def over(top: RGB, bottom: RGB) -> RGB:
    """``top`` composited over the opaque ``bottom``."""
    a = top[3]
    return (*(a * t + (1 - a) * b for t, b in zip(top[:3], bottom[:3], strict=True)), 1.0)  # type: ignore[return-value]


def ratio(fore: RGB, back: RGB) -> float:
    def luminance(c: RGB) -> float:
        channels = [v / 255 for v in c[:3]]
        r, g, b = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(fore), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


#: The text colours the widgets write, by name.
TEXTS = {
    "ERROR": style.ERROR,
    "WARNING": style.WARNING,
    "OK": style.OK,
    "MUTED": style.MUTED,
    "TEXT": style.TEXT,
    **{f"job {s}": style.job_colour(s) for s in [*DISPLAY, "SOMETHING_NEW"]},
}
#: The backgrounds text is shown on: the page, the content, a striped row.
BACKGROUNDS = {
    "page": "var(--jp-layout-color0, #fff)",
    "content": style.BACKGROUND,
    "stripe": style.STRIPE,
}


@pytest.mark.parametrize("name", [*NAMES, None])
def test_every_text_colour_reads_in_every_theme(name):
    env = theme(name)
    page = colour(BACKGROUNDS["page"], env)
    low = []
    for text, expr in TEXTS.items():
        for where, back in BACKGROUNDS.items():
            background = over(colour(back, env), page)
            contrast = ratio(over(colour(expr, env), background), background)
            if contrast < 4.5:
                low.append(f"{text} on {where}: {contrast:.2f}")
    assert low == [], f"{name}: {low}"


@pytest.mark.parametrize("name", [*NAMES, None])
def test_a_card_s_border_is_seen_against_the_page(name):
    env = theme(name)
    page = colour(style.BACKGROUND, env)
    assert ratio(colour(style.BORDER, env), page) >= 3.0  # WCAG 1.4.11, a control's edge


@pytest.mark.parametrize("status", [*DISPLAY, "SOMETHING_NEW"])
def test_a_badge_holds_its_contrast_on_any_page(status):
    badge = dict(part.split(":") for part in style.job_badge(status).split(";"))
    assert badge["background"] == DISPLAY.get(status, OTHER).color  # lifecycle's, unchanged
    assert ratio(colour(badge["color"], {}), colour(badge["background"], {})) >= 4.5


def test_the_widgets_colours_are_the_theme_s_with_the_old_values_as_fallbacks():
    for expr, variable, fallback in (
        (style.ERROR, "--jp-error-color1", "#b00020"),
        (style.WARNING, "--jp-warn-color1", "#8a5a00"),
        (style.OK, "--jp-success-color1", "#1b5e20"),
    ):
        assert f"var({variable}, {fallback})" in expr and "--jp-ui-font-color0" in expr
    for expr in (style.MUTED, style.TEXT, style.PAGE, style.RULE, style.NEST, style.STRIPE):
        assert "var(--jp-" in expr, expr
    # what the theme's own variables would give, unmixed: why the palette mixes them
    light, dark = theme("light"), theme("dark")
    white, grey = colour("#fff", {}), colour(dark["--jp-layout-color1"], dark)
    assert ratio(colour("var(--jp-warn-color1)", light), white) < 4.5
    assert ratio(colour("var(--jp-error-color1)", dark), grey) < 4.5


def test_coloured_text_is_written_with_the_theme_s_colour():
    assert error_html("x") == f'<span style="color:{style.ERROR}">x</span>'
    assert style.ERROR.startswith("color-mix(in srgb, var(--jp-error-color1")
