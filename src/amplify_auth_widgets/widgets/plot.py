"""Charts with words: a PNG shown with its text alternative, and the words for each chart.

ipywidgets' ``Image`` renders an ``<img>`` with no ``alt`` and no way to give one (axe-core's
image-alt, critical: a screen reader says "image" and nothing of the counts), so a chart is a
``Plot``: an HTML widget holding ``<figure><img alt=...>`` with the PNG as a data URI (it
travels once either way), on a white card so that matplotlib's dark text reads in a dark
theme too. Its ``alt`` says what the chart shows, with the numbers a sighted reader takes
from it (``jobs_alt``, ``events_alt``, ``heatmap_alt``); names in it are the user's, escaped
where the HTML is written (``html.figure_html``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import ipywidgets as w
import traitlets as t

from .html import figure_html

#: At most this many names or counts are listed in an alt text; the rest are counted.
LISTED = 8


class Plot(w.HTML):
    """A chart: ``png`` shown with ``alt`` as its text alternative. CSS class ``aaw-plot``
    (on the figure); hidden until ``show``."""

    png = t.Bytes(b"", help="The chart, a PNG (empty before the first show).")
    alt = t.Unicode("", help="What the chart shows, in words: the image's alt text.")

    def __init__(self, css_class: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("layout", w.Layout(max_width="900px"))
        super().__init__(**kwargs)
        self._class = css_class
        self.layout.display = "none"

    def show(self, png: bytes, alt: str) -> None:
        """Show ``png`` with the text alternative ``alt``."""
        self.png, self.alt = png, alt
        self.value = figure_html(png, alt, self._class)
        self.layout.display = None

    def hide(self) -> None:
        self.layout.display = "none"


def listed(counts: Counter[str] | dict[str, int]) -> str:
    """ "3 COMPLETED, 1 FAILED": the largest first, at most ``LISTED``, then how many more."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    text = ", ".join(f"{n} {name}" for name, n in ranked[:LISTED])
    more = len(ranked) - LISTED
    return text + (f" and {more} more" if more > 0 else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def jobs_alt(jobs: Any) -> str:
    """The timeline's words: how many jobs, in how many app environments, by status."""
    lanes = set(zip(jobs["app_id"].astype(str), jobs["environment"].astype(str), strict=True))
    statuses = Counter(str(s) for s in jobs["status"])
    return (
        f"Timeline of {plural(len(jobs), 'job')} in "
        f"{plural(len(lanes), 'app environment')}: {listed(statuses)}."
    )


def events_alt(events: Any) -> str:
    """The status-changes chart's words: how many changes of each status, over what time."""
    if not len(events):
        return "Status changes over time: none recorded."
    counts = Counter(str(s) for s in events["status"])
    first, last = events["time"].min(), events["time"].max()
    span = f" from {first:%H:%M} to {last:%H:%M} UTC" if first != last else f" at {first:%H:%M} UTC"
    return f"Status changes over time, {plural(len(events), 'change')}{span}: {listed(counts)}."


def heatmap_alt(audit: Any) -> str:
    """The heat map's words: per environment, the failing checks and findings with counts."""
    from ..fleet.report import findings_by_environment

    counts = findings_by_environment(audit)
    parts = []
    for environment, row in counts.iterrows():
        failing = {str(name): int(n) for name, n in row.items() if n}
        parts.append(f"{environment}: {listed(failing) if failing else 'none'}")
    shown = "; ".join(parts[:LISTED]) + (
        f"; and {plural(len(parts) - LISTED, 'more environment')}" if len(parts) > LISTED else ""
    )
    return (
        f"Heat map of failed checks and findings in {plural(len(counts), 'environment')}, "
        f"targets failing each: {shown}."
    )
