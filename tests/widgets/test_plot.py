"""Charts with words (``widgets/plot.py``): each chart's alt text says what it shows with its
counts, and a name in it is shown, never run."""

from __future__ import annotations

import pandas as pd

from amplify_auth_widgets.widgets.html import escape
from amplify_auth_widgets.widgets.plot import LISTED, Plot, events_alt, heatmap_alt, jobs_alt

HOSTILE = '"><img src=x onerror=alert(1)>'


def test_the_timeline_counts_jobs_lanes_and_statuses():
    jobs = pd.DataFrame(
        {
            "app_id": ["d1", "d1", "d2"],
            "environment": ["dev", "dev", "prod"],
            "status": ["COMPLETED", "FAILED", "COMPLETED"],
        }
    )
    assert jobs_alt(jobs) == "Timeline of 3 jobs in 2 app environments: 2 COMPLETED, 1 FAILED."


def test_the_status_changes_count_and_span():
    times = pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:05"], utc=True)
    events = pd.DataFrame({"time": times, "status": ["IN_PROGRESS", "COMPLETED"]})
    assert events_alt(events) == (
        "Status changes over time, 2 changes from 10:00 to 10:05 UTC: 1 COMPLETED, 1 IN_PROGRESS."
    )
    assert events_alt(events.iloc[:0]) == "Status changes over time: none recorded."


def test_the_heat_map_names_each_environment_s_failures():
    audit = pd.DataFrame(
        {
            "environment": ["dev", "prod", HOSTILE],
            "finding_codes": [["AAW101", "AAW101"], [], ["AAW200"]],
        }
    )
    text = heatmap_alt(audit.assign(**_checks_passing(audit)))
    assert text.startswith("Heat map of failed checks and findings in 3 environments")
    assert "dev: 2 AAW101" in text and "prod: none" in text and f"{HOSTILE}: 1 AAW200" in text


def _checks_passing(audit: pd.DataFrame) -> dict[str, object]:
    """The columns the named checks read, all passing (the heat map counts the codes)."""
    from amplify_auth_widgets.fleet.checks import FAILED_COLUMN, check_columns

    passing = {column: [False] * len(audit) for column in check_columns()}
    return {**passing, FAILED_COLUMN: [[] for _ in range(len(audit))]}


def test_a_plot_shows_its_png_with_the_alt_escaped_and_hides():
    plot = Plot("aaw-x")
    assert plot.layout.display == "none"
    plot.show(b"\x89PNG-bytes", f"1 job in {HOSTILE}")
    assert plot.layout.display is None and plot.png == b"\x89PNG-bytes"
    assert f'alt="1 job in {escape(HOSTILE)}"' in plot.value and "<img src=x" not in plot.value
    assert 'class="aaw-plot aaw-x"' in plot.value and "background:#fff" in plot.value
    plot.hide()
    assert plot.layout.display == "none"


def test_a_long_list_is_cut_and_counted():
    jobs = pd.DataFrame(
        {
            "app_id": ["a"] * (LISTED + 2),
            "environment": ["e"] * (LISTED + 2),
            "status": [f"S{i}" for i in range(LISTED + 2)],
        }
    )
    assert jobs_alt(jobs).endswith("and 2 more.")


def test_the_heat_map_counts_environments_past_the_list_in_words():
    names = [f"env{i}" for i in range(LISTED + 2)]
    audit = pd.DataFrame({"environment": names, "finding_codes": [["AAW101"]] * len(names)})
    two_more = heatmap_alt(audit.assign(**_checks_passing(audit)))
    assert two_more.endswith("; and 2 more environments.")
    one_more = audit.iloc[: LISTED + 1]
    assert heatmap_alt(one_more.assign(**_checks_passing(one_more))).endswith(
        "; and 1 more environment."
    )
