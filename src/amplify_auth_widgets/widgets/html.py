"""Small HTML helpers for widgets that render text: escaping, coloured text, a download link.

Every piece of text a widget puts into HTML goes through ``escape`` (the standard library's
``html.escape``, quotes included), so that a value such as ``<script>`` or ``" onclick=`` is
shown, never run. Text coloured by what it says (an error, a warning, a note) takes the
palette's colour (``style.py``) through one helper per kind.
"""

from __future__ import annotations

import html

from .style import ERROR, MUTED, OK, PLOT_CARD, WARNING


def escape(text: str) -> str:
    """``text`` safe in an element and in an attribute quoted with ``"`` or ``'``."""
    return html.escape(text, quote=True)


def coloured(text: str, colour: str, tag: str = "span") -> str:
    """``text``, escaped, in a ``tag`` element of the colour ``colour``."""
    return f'<{tag} style="color:{colour}">{escape(text)}</{tag}>'


def error_html(text: str) -> str:
    """``text`` as an error: something failed, or the request cannot be sent."""
    return coloured(text, ERROR)


def warning_html(text: str) -> str:
    """``text`` as a warning (amber): worth a look, though nothing is wrong with the form."""
    return coloured(text, WARNING)


def ok_html(text: str) -> str:
    """``text`` as good news."""
    return coloured(text, OK)


def muted_html(text: str, tag: str = "span") -> str:
    """``text`` as a side note (a hint, a count, why a part is disabled)."""
    return coloured(text, MUTED, tag)


def figure_html(png: bytes, alt: str, css_class: str = "") -> str:
    """A PNG as a figure: the image with ``alt`` (what it shows, in words: a screen reader's
    and a broken image's text), on a light card (``style.PLOT_CARD``) so that matplotlib's
    dark-on-white drawing reads as drawn in a dark theme too."""
    import base64

    encoded = base64.b64encode(png).decode()
    classes = escape(" ".join(("aaw-plot", css_class)).strip())
    return (
        f'<figure class="{classes}" style="{PLOT_CARD}"><img alt="{escape(alt)}" '
        f'src="data:image/png;base64,{encoded}" style="display:block;max-width:100%"></figure>'
    )


def download_link(name: str, data: bytes, mime: str) -> str:
    """A link that saves ``data`` as ``name`` in the browser, with no server round trip."""
    import base64

    encoded = base64.b64encode(data).decode()
    return (
        f'<a download="{escape(name)}" href="data:{mime};base64,{encoded}">'
        f"&#x2B07; {escape(name)}</a>"
    )
