"""The widgets' look in one place: the palette, the wide description style, a job's colour.

Every colour a widget writes (in an inline ``style``, a ``<style>`` sheet or a layout) is a
name here, so that one change recolours every part alike. The coloured-text HTML helpers
(``error_html`` and its siblings) are in ``html.py``, next to ``escape``, and read this palette.

Colours follow the page's theme. Each is a CSS expression over JupyterLab's theme variables
(``--jp-ui-font-color0``, ``--jp-layout-color1``, ``--jp-error-color1``...), which JupyterLab
and Voila define for their light, dark and high-contrast themes, with the values these widgets
had before as fallbacks where a page defines none. A theme's own status colours do not all
read as text (``--jp-warn-color1`` is 2.9:1 on JupyterLab Light's white, ``--jp-error-color1``
3.9:1 on Dark's grey), so coloured text is the status colour mixed half and half with the
theme's strongest text colour (``color-mix``): darker in a light theme, lighter in a dark
one, at least 4.5:1 (WCAG AA) on the theme's backgrounds (``tests/widgets/test_style.py``
computes it for JupyterLab Light, Dark and Dark High Contrast). Muted text is the text colour
two thirds of the way from the background: readable, yet quieter.

A job status's colour is not the widgets' to choose: it is ``core.lifecycle``'s, the one every
face (report plots, the CLI, the fleet) shows. As text it is mixed like the palette
(``job_colour``); as a badge it is the badge's background under white text (``job_badge``),
a pair that holds 4.5:1 whatever the page behind it.
"""

from __future__ import annotations

from ..core.lifecycle import display

#: How much of a status colour coloured text keeps; the rest is the theme's text colour.
TINT = 50
#: The theme's strongest text colour (black in light themes, white in dark ones).
INK = "var(--jp-ui-font-color0, #000)"
#: The theme's text colour.
FOREGROUND = "var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87))"
#: The theme's background of content (white in light themes, near-black in dark ones).
BACKGROUND = "var(--jp-layout-color1, #fff)"


def on_theme(colour: str) -> str:
    """``colour`` (any CSS colour, a theme variable too) made readable as text in the page's
    theme: mixed with the theme's strongest text colour (see the module's docstring)."""
    return f"color-mix(in srgb, {colour} {TINT}%, {INK})"


def between(percent: int, fore: str = INK, back: str = BACKGROUND) -> str:
    """``percent`` of the way from the theme's background ``back`` to its text ``fore``."""
    return f"color-mix(in srgb, {fore} {percent}%, {back})"


#: A message that says something went wrong, or that the request cannot be sent as it is.
ERROR = on_theme("var(--jp-error-color1, #b00020)")
#: A message that warns (amber): nothing is wrong with the form, but look.
WARNING = on_theme("var(--jp-warn-color1, #8a5a00)")
#: A message that says all is well ("Ready to send", a request accepted).
OK = on_theme("var(--jp-success-color1, #1b5e20)")
#: Secondary text: help, hints, counts of what is left to do, why a part is disabled.
MUTED = between(65)
#: A neutral status message.
TEXT = FOREGROUND
#: The page behind the sticky action bar, where the theme gives no colour.
PAGE = "var(--jp-layout-color0, #fff)"
#: The line under the action bar.
RULE = "var(--jp-border-color2, #ddd)"
#: A card's border (a social provider's settings): 3:1 on the page, as a control's edge.
BORDER = between(45)
#: The line beside a structure's nested fields.
NEST = "var(--jp-border-color2, #e0e0e0)"
#: The background of a pasted command.
CODE_BACKGROUND = "var(--jp-cell-editor-background, #f6f8fa)"
#: Every other row of a table: a shade of the page toward its text, light or dark alike.
STRIPE = between(6)
#: A focused control's outline: the theme's brand blue, 3:1 or more on its light and dark pages.
FOCUS = "var(--jp-brand-color1, #1565c0)"
#: The text on a job badge, whose background is the status's colour (``job_badge``).
BADGE_TEXT = "#fff"
#: The plots' card: matplotlib draws dark text on white, shown as such in any theme, with its
#: caption in dark grey (12.6:1 on the card).
PLOT_CARD = "background:#fff;color:#333;padding:4px;margin:4px 0;border-radius:4px;max-width:900px"

#: A control's style that shows its description in full: the default width cuts a label such
#: as "Environment" to "Environm…". Read-only: ipywidgets copies it into each control's style.
WIDE: dict[str, str] = {"description_width": "initial"}

#: What the app's page needs of the theme beyond the widgets' own colours: ipywidgets draws an
#: inactive tab's and a closed section's title in ``--jp-ui-font-color2`` on
#: ``--jp-layout-color2`` (4.45:1 in JupyterLab Light, under WCAG AA's 4.5:1); they take the
#: theme's text colour.
THEME_CSS = f"""
.aaw-app .lm-TabBar .lm-TabBar-tab, .aaw-app .lm-TabBar .lm-TabBar-tab .lm-TabBar-tabLabel,
.aaw-app .jupyter-widget-Collapse-header, .aaw-app .jupyter-widget-Collapse-header span
{{ color: {FOREGROUND}; }}
"""


def job_colour(status: str | None) -> str:
    """A job status's or local verdict's colour as text: ``core.lifecycle``'s, as everywhere,
    made readable in the page's theme (``on_theme``)."""
    return on_theme(display(status).color)


def job_badge(status: str | None) -> str:
    """A job status's badge style: ``core.lifecycle``'s colour behind white text."""
    return f"background:{display(status).color};color:{BADGE_TEXT}"
