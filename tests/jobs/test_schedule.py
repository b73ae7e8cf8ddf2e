"""The polling schedule chosen from learned durations and a call budget."""

from __future__ import annotations

import random

import pytest
from support.jobs import durations, poll_times

from amplify_auth_widgets.jobs.schedule import Schedule, plan


@pytest.mark.parametrize("spread", [0.02, 0.06, 0.1, 0.3, 0.5])
def test_fewer_calls_than_naive_and_no_later(spread):
    past = durations(spread)
    schedule = plan(past, naive_interval=2.0)
    naive_calls = sum(past) / len(past) / 2.0
    assert schedule.expected_calls < naive_calls
    assert schedule.median_delay <= 0.9  # naive polling every 2 s: 1 s
    assert schedule.first < 180.0 < schedule.dense_until
    if spread <= 0.06:
        assert schedule.expected_calls <= 0.10 * naive_calls


def test_a_tight_budget_is_kept_at_the_cost_of_delay():
    past = durations(0.5)
    free = plan(past)
    tight = plan(past, call_budget=5.0)
    assert tight.expected_calls <= 5.0 < free.expected_calls
    assert tight.median_delay > free.median_delay


def test_instant_jobs_are_asked_about_at_once():
    schedule = plan([0.001, 0.002, 0.0, 0.001, 0.003])
    assert schedule.first < 0.01 and schedule.median_delay < 0.1


def test_next_after_follows_the_three_parts():
    schedule = Schedule(
        first=100.0, dense_until=120.0, interval=1.5, expected_calls=0, median_delay=0
    )
    assert schedule.next_after(0.0, 0, 60.0) == 100.0
    assert schedule.next_after(100.0, 0, 60.0) == 1.5
    assert schedule.next_after(121.0, 1, 60.0) == 3.0
    assert schedule.next_after(121.0, 3, 60.0) == 12.0
    assert schedule.next_after(500.0, 10, 60.0) == 60.0


def test_scoring_by_arithmetic_matches_polling_one_by_one():
    import bisect
    import statistics

    import numpy as np

    from amplify_auth_widgets.jobs.schedule import INTERVALS, _score_all

    rng = random.Random(11)
    for _ in range(40):
        first = rng.uniform(0, 100)
        last = first + rng.choice([0.0, rng.uniform(0, 100)])
        horizon = last + rng.uniform(-50, 500)
        max_interval = rng.choice([60.0, 5.0, 0.3])
        ends = sorted(rng.uniform(0, horizon + 100) for _ in range(51))
        size = len(INTERVALS)
        calls, delays = _score_all(
            np.full(size, first),
            np.full(size, last),
            np.array(INTERVALS),
            np.array(ends),
            horizon,
            max_interval,
        )
        for interval, got_calls, got_delay in zip(INTERVALS, calls, delays, strict=True):
            times = poll_times(first, last, interval, horizon, max_interval)
            seen = [min(bisect.bisect_left(times, end), len(times) - 1) for end in ends]
            expected_calls = statistics.fmean(i + 1 for i in seen)
            expected_delay = statistics.median(
                times[i] - e for i, e in zip(seen, ends, strict=True)
            )
            assert got_calls == pytest.approx(expected_calls, rel=1e-9)
            assert got_delay == pytest.approx(expected_delay, rel=1e-6, abs=1e-6)
