"""When to ask about a job: a polling schedule chosen from learned durations and a call budget.

A job of one operation ends after a duration that history has seen many times. The tracker
fits a log-normal to those durations (a fit needs fewer samples than raw quantiles for the same
accuracy) and chooses, for every job of that operation, a schedule of three parts, in seconds
after the job was created:

* one **first** poll, at a low quantile of the fit (nothing is asked before: fast failures are
  what the validator catches before anything is sent);
* from there, a poll every **interval** until a high quantile (**dense_until**);
* after that, backoff: the interval doubling up to ``max_interval``.

Which first quantile, last quantile and interval? Every candidate of a small grid is scored on
200 quantiles of the fit: its expected calls per job, and its median detection delay (from the
job's end to the poll that sees it). The schedule kept is the cheapest whose median delay is at
most ``target_delay`` (the delay of naive polling every ``naive_interval``, a little less) among
those within the ``call_budget`` (by default what the naive poller would spend): so it makes
fewer calls than the naive poller and detects no later, whatever the spread of the durations.
If no candidate reaches the delay within the budget, the one with the shortest delay is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist, fmean, stdev
from typing import Any

#: Quantiles of the fitted durations where the first poll may go.
FIRST_QUANTILES = (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
#: Quantiles where the dense polling may stop.
LAST_QUANTILES = (0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
#: Intervals tried for the dense part: 48 steps from 50 ms to 20 s, evenly on a log scale.
INTERVALS = tuple(0.05 * (400 ** (i / 47)) for i in range(48))
SAMPLES = 200


@dataclass(frozen=True)
class Schedule:
    """When to poll a job of one operation, in seconds after its creation."""

    first: float
    dense_until: float
    interval: float
    #: What the choice expects, per job: calls, and median detection delay in seconds.
    expected_calls: float
    median_delay: float

    def next_after(self, elapsed: float, overdue_polls: int, max_interval: float) -> float:
        """Seconds from ``elapsed`` to the next poll (before jitter)."""
        if elapsed < self.first - 0.05:  # (50 ms: service times are whole milliseconds)
            return self.first - elapsed
        if elapsed <= self.dense_until:
            return self.interval
        return min(max_interval, self.interval * 2 ** max(overdue_polls, 1))


def fit(durations: list[float]) -> tuple[float, float]:
    """Log-mean and log-sd of a log-normal fit (durations under 1 ms count as 1 ms)."""
    logs = [math.log(max(d, 1e-3)) for d in durations]
    return fmean(logs), stdev(logs) if len(logs) > 1 else 0.0


def _poll_times(
    first: float, last: float, interval: float, horizon: float, max_interval: float
) -> Any:
    import numpy as np

    dense = first + interval * np.arange(int((last - first) / interval) + 1)
    tail, at, step = [], float(dense[-1]), 1
    while at < horizon:
        at += min(max_interval, interval * 2**step)
        tail.append(at)
        step += 1
    return np.concatenate([dense, tail])


def _score(times: Any, ends: Any) -> tuple[float, float]:
    """Expected calls per job and median delay for jobs ending at ``ends``."""
    import numpy as np

    index = np.minimum(np.searchsorted(times, ends), len(times) - 1)
    return float((index + 1).mean()), float(np.median(times[index] - ends))


def plan(
    durations: list[float],
    *,
    naive_interval: float = 2.0,
    call_budget: float | None = None,
    max_interval: float = 60.0,
) -> Schedule:
    """The schedule for jobs whose past durations were ``durations`` (two or more)."""
    mu, sigma = fit(durations)
    normal = NormalDist()
    import numpy as np

    quantiles = [normal.inv_cdf((i + 0.5) / SAMPLES) for i in range(SAMPLES)]
    ends = np.exp(mu + sigma * np.array(quantiles))
    horizon = float(ends[-1]) + naive_interval
    target_delay = 0.45 * naive_interval  # naive polling's median delay is half its interval
    budget = call_budget if call_budget is not None else float(ends.mean()) / naive_interval
    best: tuple[tuple[bool, bool, float], Schedule] | None = None
    for low in FIRST_QUANTILES:
        first = math.exp(mu + sigma * normal.inv_cdf(low))
        for high in LAST_QUANTILES:
            last = max(first, math.exp(mu + sigma * normal.inv_cdf(high)))
            for interval in INTERVALS:
                times = _poll_times(first, last, interval, horizon, max_interval)
                calls, delay = _score(times, ends)
                meets = delay <= target_delay
                # within the budget first; then meeting the delay; then cheapest (or quickest)
                key = (calls > budget, not meets, calls if meets else delay)
                if best is None or key < best[0]:
                    best = (key, Schedule(first, last, interval, calls, delay))
    assert best is not None
    return best[1]
