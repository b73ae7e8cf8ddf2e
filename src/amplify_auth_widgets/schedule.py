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
durations drawn from the *predictive* distribution: with few samples, the fitted log-mean and
log-sd are themselves uncertain, so a next duration is a Student t (n - 1 degrees of freedom)
in log space with its scale widened by sqrt(1 + 1/n). A schedule planned on the bare fit puts
its first poll where 30 % of jobs should have ended; with ten samples that is often half of
them, and the median delay jumps tenfold. The score: expected calls per job, and median
detection delay (from the job's end to the poll that sees it). The schedule kept is the cheapest
whose median delay is at most ``target_delay`` (naive polling's every ``naive_interval``, a
little less) among those within the ``call_budget`` (by default what the naive poller would
spend): so it makes fewer calls than the naive poller and detects no later, whatever the spread
of the durations. The median is what is promised: jobs that end well before most do are seen at
the first poll, later than naive polling would see them (the p95 delay is higher).
If no candidate reaches the delay within the budget, the one with the shortest delay is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist, fmean, stdev
from typing import Any

#: Quantiles of the fitted durations where the first poll may go.
FIRST_QUANTILES = (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
#: Quantiles where the dense polling may stop.
LAST_QUANTILES = (0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
#: Intervals tried for the dense part: 32 steps from 50 ms to 20 s, evenly on a log scale.
INTERVALS = tuple(0.05 * (400 ** (i / 31)) for i in range(32))
SAMPLES = 300


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
    tail, at, step = [], float(dense[-1]), interval * 2
    while at < horizon and step < max_interval:
        at += step
        tail.append(at)
        step *= 2
    capped = at + max_interval * np.arange(1, max(0, int((horizon - at) / max_interval)) + 2)
    return np.concatenate([dense, tail, capped])


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
    import numpy as np

    mu, sigma = fit(durations)
    n = len(durations)
    normal = NormalDist()
    # the predictive distribution, drawn the same way every time (a fixed seed): the plan is a
    # function of the durations alone
    draws = np.random.default_rng(0).standard_t(max(n - 1, 2), SAMPLES)
    # (the far tail of a t with few degrees of freedom is no schedule's concern: cut it)
    ends = np.sort(np.exp(mu + sigma * math.sqrt(1 + 1 / n) * np.clip(draws, -6, 6)))
    horizon = float(ends[-1]) + naive_interval
    spread = sigma * math.sqrt(1 + 1 / n)
    # naive polling's median delay is half its interval; aim a little under it
    target_delay = 0.45 * naive_interval
    budget = call_budget if call_budget is not None else float(ends.mean()) / naive_interval
    best: tuple[tuple[bool, bool, float], Schedule] | None = None
    for low in FIRST_QUANTILES:
        first = math.exp(mu + spread * normal.inv_cdf(low))
        for high in LAST_QUANTILES:
            last = max(first, math.exp(mu + spread * normal.inv_cdf(high)))
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
