"""Small HTML helpers for widgets that render text."""

from __future__ import annotations


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def error_html(text: str) -> str:
    return f'<span style="color:#b00020">{escape(text)}</span>'
