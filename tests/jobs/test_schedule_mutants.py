"""The polling schedule, at its edges: when the next poll comes around the first poll and the
end of the dense part, what one or two past durations give, what the defaults are, and that
the same history always gives the same plan."""

from __future__ import annotations

import math
import random

import pytest

from amplify_auth_widgets.jobs.schedule import Schedule, fit, plan

SCHEDULE = Schedule(first=100.0, dense_until=120.0, interval=1.5, expected_calls=0, median_delay=0)


def spread_out(n: int = 40, spread: float = 1.5, median: float = 180.0) -> list[float]:
    """Durations of jobs that vary a lot (some minutes, some hours)."""
    rng = random.Random(7)
    return [median * math.exp(rng.gauss(0, spread)) for _ in range(n)]


def test_before_the_first_poll_the_wait_is_until_the_first_poll():
    assert SCHEDULE.next_after(40.0, 0, 60.0) == pytest.approx(60.0)
    assert SCHEDULE.next_after(99.0, 0, 60.0) == pytest.approx(1.0)


def test_a_poll_at_most_50_ms_early_is_the_first_poll():
    """Service times are whole milliseconds: a poll 50 ms before the first is taken for it,
    and the next comes an interval later, not 50 ms later."""
    schedule = Schedule(
        first=100.05, dense_until=120.0, interval=1.5, expected_calls=0, median_delay=0
    )
    assert schedule.next_after(100.0, 0, 60.0) == 1.5
    assert schedule.next_after(100.03, 0, 60.0) == 1.5
    assert schedule.next_after(99.9, 0, 60.0) == pytest.approx(0.15)


def test_the_last_dense_poll_is_followed_by_one_more_interval():
    assert SCHEDULE.next_after(120.0, 0, 60.0) == 1.5
    # past it, the interval doubles at once, even before any poll was overdue
    assert SCHEDULE.next_after(120.5, 0, 60.0) == 3.0
    assert SCHEDULE.next_after(120.5, 2, 60.0) == 6.0
    assert SCHEDULE.next_after(120.5, 5, 20.0) == 20.0


def test_one_past_duration_puts_the_only_poll_there():
    schedule = plan([30.0])
    assert schedule.first == pytest.approx(30.0) == schedule.dense_until
    assert schedule.expected_calls == 1.0 and schedule.median_delay == 0.0


def test_jobs_that_always_took_the_same_time_are_asked_about_once():
    schedule = plan([30.0] * 5)
    assert schedule.first == pytest.approx(30.0) == schedule.dense_until
    assert schedule.expected_calls == 1.0 and schedule.median_delay == 0.0


def test_two_different_durations_spread_the_polls_around_both():
    schedule = plan([20.0, 45.0])
    assert schedule.first < 20.0 and schedule.dense_until > 45.0
    assert schedule.median_delay <= 0.9


def test_the_fit_of_durations():
    mu, sigma = fit([10.0, 1000.0])
    assert math.exp(mu) == pytest.approx(100.0)
    assert sigma == pytest.approx(math.log(100.0) / math.sqrt(2))  # the sample sd
    assert fit([30.0]) == (pytest.approx(math.log(30.0)), 0.0)
    # durations under a millisecond count as one
    assert fit([0.0, 1e-6]) == (pytest.approx(math.log(1e-3)), 0.0)


def test_the_defaults_are_the_naive_two_second_poller_and_a_one_minute_cap():
    past = spread_out()
    assert plan(past) == plan(past, naive_interval=2.0, call_budget=None, max_interval=60.0)
    assert plan(past).median_delay <= 0.9


def test_the_same_durations_always_give_the_same_plan():
    past = spread_out(n=8, spread=0.4)
    assert plan(past) == plan(list(past))


@pytest.mark.parametrize(
    ("horizon", "max_interval"),
    [
        (2.0, 60.0),  # the doubling tail reaches the horizon exactly: it stops there
        (100.0, 4.0),  # the doubled interval reaches the cap exactly: polls every 4 s from there
        (6.0, 4.0),
        (5.0, 4.0),  # and a job ending past the last poll is seen by that poll, not a later one
    ],
)
def test_scoring_matches_polling_one_by_one_at_exact_boundaries(horizon, max_interval):
    """Times that meet exactly (a poll at the horizon, a step equal to the cap) are counted as
    the poller polls: the backoff stops at the horizon, and a step at the cap is no longer
    doubled."""
    import bisect
    import statistics

    import numpy as np
    from support.jobs import poll_times

    from amplify_auth_widgets.jobs.schedule import _score_all

    ends = [0.5 * k for k in range(1, 41)]
    times = poll_times(0.0, 0.0, 1.0, horizon, max_interval)
    seen = [min(bisect.bisect_left(times, end), len(times) - 1) for end in ends]
    calls, delays = _score_all(
        np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array(ends), horizon, max_interval
    )
    assert calls[0] == pytest.approx(statistics.fmean(i + 1 for i in seen))
    assert delays[0] == pytest.approx(
        statistics.median(times[i] - e for i, e in zip(seen, ends, strict=True))
    )


@pytest.mark.parametrize(
    ("first", "last", "interval", "ends"),
    [
        # the poll "at 0.9" is at 0.8999999999999999 (0.3 * 3): a job ending at 0.9 is seen by
        # the next poll, at 1.2, and so is one ending at 1.8
        (0.0, 3.0, 0.3, [0.9, 1.8, 0.45, 2.0]),
        # the last dense poll is at 0.30000000000000004 (0.1 * 3): a job ending there is seen
        # by it, not by a poll after it that the dense part does not make
        (0.0, 0.1 * 3, 0.1, [0.1 * 3, 0.25, 0.1 * 3]),
        # in the doubling tail (polls at 0, 0.6, 1.7999999999999998, 4.2): a job ending at
        # 1.8 is seen at 4.2
        (0.0, 0.0, 0.3, [1.8, 1.8, 0.5]),
        (0.0, 0.0, 0.1, [0.2 + 1e-16, 1.4 + 2e-16, 3.0 + 4e-16]),
    ],
)
def test_scoring_matches_polling_one_by_one_when_rounding_bites(first, last, interval, ends):
    import bisect
    import statistics

    import numpy as np
    from support.jobs import poll_times

    from amplify_auth_widgets.jobs.schedule import _score_all

    horizon, max_interval = 10.0, 60.0
    times = poll_times(first, last, interval, horizon, max_interval)
    seen = [min(bisect.bisect_left(times, end), len(times) - 1) for end in ends]
    calls, delays = _score_all(
        np.array([first]),
        np.array([last]),
        np.array([interval]),
        np.array(ends),
        horizon,
        max_interval,
    )
    assert calls[0] == pytest.approx(statistics.fmean(i + 1 for i in seen))
    assert delays[0] == pytest.approx(
        statistics.median(times[i] - e for i, e in zip(seen, ends, strict=True))
    )
    assert delays[0] >= 0  # a job is never seen before it ends


@pytest.mark.parametrize(
    ("durations", "expected"),
    [
        # two samples: a t of 2 degrees of freedom, whose far draws are cut at 6 sd
        (
            [20.0, 45.0],
            Schedule(
                first=16.612217700208035,
                dense_until=54.176992876076305,
                interval=1.1014599476471452,
                expected_calls=16.92,
                median_delay=0.8848083869921233,
            ),
        ),
        (
            [162.5, 220.9, 164.4, 158.7, 124.1, 165.3, 280.8, 213.3],
            Schedule(
                first=163.1926617735223,
                dense_until=337.9233763632848,
                interval=1.1014599476471452,
                expected_calls=29.78,
                median_delay=0.8625417757108949,
            ),
        ),
        # a long job (48 s) far past the others: the expected calls count the backoff's
        # polls up to it
        (
            [1.94, 16.35, 6.26, 19.92, 22.06, 47.98, 7.08, 4.11, 4.04, 2.28],
            Schedule(
                first=3.791022441442109,
                dense_until=10.654838622565427,
                interval=0.9078859400526764,
                expected_calls=6.216666666666667,
                median_delay=0.8899219018553686,
            ),
        ),
    ],
)
def test_a_history_plans_the_schedule_it_always_planned(durations, expected):
    """The plan is a function of the durations alone, release after release: a history
    replayed (a restart, another kernel on the same history) polls at the same times. These
    are the plans of the predictive distribution the module describes (a Student t of n - 1
    degrees of freedom in log space, its scale widened by sqrt(1 + 1/n), cut at 6), drawn
    from its fixed seed."""
    got = plan(durations)
    assert got.first == pytest.approx(expected.first, rel=1e-9)
    assert got.dense_until == pytest.approx(expected.dense_until, rel=1e-9)
    assert got.interval == pytest.approx(expected.interval, rel=1e-9)
    assert got.expected_calls == pytest.approx(expected.expected_calls, rel=1e-9)
    assert got.median_delay == pytest.approx(expected.median_delay, rel=1e-9)


def test_a_fast_naive_poller_is_still_beaten():
    """Against a naive poller asking every 0.5 s, the plan still sees a job no later (median
    under 0.25 s) for fewer calls than it makes (a job's mean duration over 0.5 s)."""
    past = [56.09, 69.72, 231.68, 81.99, 49.98, 41.05]
    schedule = plan(past, naive_interval=0.5)
    assert schedule.median_delay <= 0.45 * 0.5
    assert schedule.expected_calls < sum(past) / len(past) / 0.5


def test_within_a_tight_budget_the_quickest_schedule_is_kept_and_the_budget_can_be_spent():
    """When no schedule within the budget reaches the delay aimed at, the one that sees jobs
    soonest is kept, not the cheapest; and a schedule making exactly the calls budgeted is
    within the budget."""
    from support.jobs import durations

    past = durations(0.5)
    tight = plan(past, call_budget=5.0)
    assert tight.expected_calls <= 5.0
    cheaper = plan(past, call_budget=3.0)
    assert cheaper.expected_calls <= 3.0
    # a budget of 5 buys a quicker schedule than a budget of 3
    assert tight.median_delay < cheaper.median_delay
    assert plan(past, call_budget=tight.expected_calls) == tight


def test_a_wide_history_of_three_cuts_its_shortest_draws_too():
    """Three durations far apart: a t of 2 degrees of freedom draws far below them as well as
    far above, and the draws are cut at 6 sd both ways. Most jobs then end before the first
    poll, and the median delay is a first poll's: the cut shows in it."""
    got = plan([139.34, 2.69, 1.68], naive_interval=0.2)
    assert got.first == pytest.approx(0.08543570680201865, rel=1e-9)
    assert got.median_delay == pytest.approx(0.08543527782529965, rel=1e-9)
    assert got.median_delay < got.first  # the job seen at the median ended just before it
