"""Small HTML helpers for widgets that render text."""

from __future__ import annotations


def escape(text: str) -> str:
    """``text`` safe in an element and in an attribute quoted with ``"`` or ``'``."""
    import html

    return html.escape(text, quote=True)


def error_html(text: str) -> str:
    return f'<span style="color:#b00020">{escape(text)}</span>'


def download_link(name: str, data: bytes, mime: str) -> str:
    """A link that saves ``data`` as ``name`` in the browser, with no server round trip."""
    import base64

    encoded = base64.b64encode(data).decode()
    return (
        f'<a download="{escape(name)}" href="data:{mime};base64,{encoded}">'
        f"&#x2B07; {escape(name)}</a>"
    )
