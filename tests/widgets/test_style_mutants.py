"""The palette's helpers as a page's CSS reads them: coloured text mixed half and half with
the theme's strongest text colour, a shade some way from the background toward the text, a
job's colour as text and as a badge (``core.lifecycle``'s colour, white text on it)."""

from __future__ import annotations

from amplify_auth_widgets.widgets import style

INK = "var(--jp-ui-font-color0, #000)"
BACKGROUND = "var(--jp-layout-color1, #fff)"


def test_coloured_text_is_the_colour_mixed_half_and_half_with_the_theme_s_ink():
    assert (style.INK, style.TINT) == (INK, 50)
    assert style.on_theme("var(--jp-error-color1, #b00020)") == (
        f"color-mix(in srgb, var(--jp-error-color1, #b00020) 50%, {INK})"
    )


def test_a_shade_between_the_background_and_the_text():
    assert style.between(65) == f"color-mix(in srgb, {INK} 65%, {BACKGROUND})"
    assert style.between(6, "red", "blue") == "color-mix(in srgb, red 6%, blue)"


def test_a_job_s_colour_as_text_and_as_a_badge():
    assert style.job_colour("COMPLETED") == f"color-mix(in srgb, #2e7d32 50%, {INK})"
    assert style.job_colour("FAILED") == f"color-mix(in srgb, #c62828 50%, {INK})"
    assert style.job_colour(None) == f"color-mix(in srgb, #757575 50%, {INK})"  # not known
    assert style.job_badge("FAILED") == "background:#c62828;color:#fff"
    assert style.job_badge("SOMETHING_NEW") == "background:#757575;color:#fff"
