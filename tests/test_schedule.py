"""The polling schedule chosen from learned durations and a call budget."""

from __future__ import annotations

import math
import random

import pytest

from amplify_auth_widgets.schedule import Schedule, plan


def durations(spread: float, median: float = 180.0, n: int = 120) -> list[float]:
    rng = random.Random(7)
    return [median * math.exp(rng.gauss(0, spread)) for _ in range(n)]


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
