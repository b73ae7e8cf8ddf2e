"""Charts with words, at their edges: what a screen reader says of a chart with one change, one
job, exactly as many statuses or environments as are listed, or one more; and how wide a chart
is drawn."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from amplify_auth_widgets.widgets.plot import LISTED, Plot, events_alt, heatmap_alt, jobs_alt


def test_a_chart_is_at_most_900_px_wide_unless_its_owner_lays_it_out():
    assert Plot("aaw-timeline").layout.max_width == "900px"
    own = Plot("aaw-timeline", layout=w.Layout(width="300px"))
    assert own.layout.width == "300px" and own.layout.max_width is None
    assert own.layout.display == "none"  # hidden until shown, whatever its layout


def test_a_chart_given_no_class_of_its_own_is_a_plain_plot():
    plot = Plot()
    plot.show(b"png", "1 job")
    assert '<figure class="aaw-plot" ' in plot.value and 'alt="1 job"' in plot.value


def test_one_job_in_one_environment_is_said_in_the_singular():
    jobs = pd.DataFrame({"app_id": ["d1"], "environment": ["dev"], "status": ["COMPLETED"]})
    assert jobs_alt(jobs) == "Timeline of 1 job in 1 app environment: 1 COMPLETED."


def test_statuses_of_equal_count_are_listed_by_name():
    jobs = pd.DataFrame(
        {
            "app_id": ["d1", "d2", "d3"],
            "environment": ["dev"] * 3,
            "status": ["FAILED", "COMPLETED", "FAILED"],
        }
    )
    events = pd.DataFrame(
        {
            "time": pd.to_datetime(["2026-01-01 10:00"] * 2, utc=True),
            "status": ["PENDING", "COMPLETED"],
        }
    )
    assert jobs_alt(jobs) == "Timeline of 3 jobs in 3 app environments: 2 FAILED, 1 COMPLETED."
    assert events_alt(events).endswith(": 1 COMPLETED, 1 PENDING.")


def test_changes_all_at_one_minute_are_said_at_that_time():
    one = pd.DataFrame(
        {"time": pd.to_datetime(["2026-01-01 09:07"], utc=True), "status": ["COMPLETED"]}
    )
    assert events_alt(one) == "Status changes over time, 1 change at 09:07 UTC: 1 COMPLETED."


def _jobs_with_statuses(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"app_id": ["a"] * n, "environment": ["e"] * n, "status": [f"S{i}" for i in range(n)]}
    )


def test_as_many_statuses_as_are_listed_are_all_said_and_one_more_is_counted():
    every = jobs_alt(_jobs_with_statuses(LISTED))
    assert every.endswith(f"1 S{LISTED - 1}.") and "more" not in every
    cut = jobs_alt(_jobs_with_statuses(LISTED + 1))
    assert cut.endswith(f"1 S{LISTED - 1} and 1 more.") and f"S{LISTED}" not in cut


def _checks_passing(audit: pd.DataFrame) -> dict[str, object]:
    """The columns the named checks read, all passing (the heat map counts the codes)."""
    from amplify_auth_widgets.fleet.checks import FAILED_COLUMN, check_columns

    passing = {column: [False] * len(audit) for column in check_columns()}
    return {**passing, FAILED_COLUMN: [[] for _ in range(len(audit))]}


def _audit(environments: list[str]) -> pd.DataFrame:
    audit = pd.DataFrame(
        {"environment": environments, "finding_codes": [["AAW101"]] * len(environments)}
    )
    return audit.assign(**_checks_passing(audit))


def test_the_heat_map_says_every_environment_up_to_the_listed_and_counts_the_rest():
    names = [f"env{i}" for i in range(LISTED + 1)]
    every = heatmap_alt(_audit(names[:LISTED]))
    assert every == (
        f"Heat map of failed checks and findings in {LISTED} environments, targets failing each: "
        + "; ".join(f"{name}: 1 AAW101" for name in names[:LISTED])
        + "."
    )
    cut = heatmap_alt(_audit(names))
    assert cut.startswith(f"Heat map of failed checks and findings in {LISTED + 1} environments")
    assert cut.endswith(f"env{LISTED - 1}: 1 AAW101; and 1 more environment.")
    assert f"env{LISTED}:" not in cut
    two_more = heatmap_alt(_audit([f"env{i}" for i in range(LISTED + 2)]))
    assert two_more.endswith("; and 2 more environments.")


def test_the_heat_map_of_one_environment_says_environment():
    assert heatmap_alt(_audit(["dev"])) == (
        "Heat map of failed checks and findings in 1 environment, targets failing each: "
        "dev: 1 AAW101."
    )


def test_the_timeline_counts_each_app_s_environments_apart():
    jobs = pd.DataFrame(
        {
            "app_id": ["d1", "d1", "d1", "d2"],
            "environment": ["dev", "prod", "dev", "dev"],
            "status": ["COMPLETED"] * 4,
        }
    )
    assert jobs_alt(jobs) == "Timeline of 4 jobs in 3 app environments: 4 COMPLETED."
