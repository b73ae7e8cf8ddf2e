"""The widgets' look in one place: the palette, the wide description style, a job's colour.

Every colour a widget writes (in an inline ``style``, a ``<style>`` sheet or a layout) is a
name here, so that one change recolours every part alike. The coloured-text HTML helpers
(``error_html`` and its siblings) are in ``html.py``, next to ``escape``, and read this palette.
A job status's colour is not the widgets' to choose: it is ``core.lifecycle``'s, the one every
face (monitor badges, report plots, the CLI, the fleet) shows.
"""

from __future__ import annotations

from ..core.lifecycle import display

#: A message that says something went wrong, or that the request cannot be sent as it is.
ERROR = "#b00020"
#: A message that warns (amber): nothing is wrong with the form, but look.
WARNING = "#8a5a00"
#: A message that says all is well ("Ready to send", a request accepted).
OK = "#1b5e20"
#: Secondary text: help, hints, counts of what is left to do, why a part is disabled.
MUTED = "#666"
#: A neutral status message.
TEXT = "#444"
#: The page behind the sticky action bar, where the theme gives no colour.
PAGE = "#fff"
#: The line under the action bar.
RULE = "#ddd"
#: A card's border (a social provider's settings).
BORDER = "#ccc"
#: The line beside a structure's nested fields.
NEST = "#e0e0e0"
#: The background of a pasted command.
CODE_BACKGROUND = "#f6f8fa"
#: Every other row of a table.
STRIPE = "#f6f6f6"

#: A control's style that shows its description in full: the default width cuts a label such
#: as "Environment" to "Environm…". Read-only: ipywidgets copies it into each control's style.
WIDE: dict[str, str] = {"description_width": "initial"}


def job_colour(status: str | None) -> str:
    """The colour of a job status or local verdict: ``core.lifecycle``'s, as everywhere."""
    return display(status).color
