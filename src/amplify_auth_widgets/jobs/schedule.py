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


def _score_all(
    first: Any, last: Any, intervals: Any, ends: Any, horizon: float, max_interval: float
) -> tuple[Any, Any]:
    """Expected calls per job and median detection delay, for jobs ending at ``ends``, of
    every candidate schedule ``(first[c], last[c], intervals[c])``, all at once.

    A schedule polls at ``first + k * interval`` up to ``last`` (the dense part, ending at
    ``L``), then at ``L + interval * (2**(j + 1) - 2)`` (the interval doubling) while that is
    before ``horizon`` and the step under ``max_interval``, then every ``max_interval`` to past
    ``horizon``; a job is seen by the first poll at or after its end (one past the last poll
    is seen by the last). The poll that sees each end is found by arithmetic: building each
    candidate's poll times, some 1,700 of them, took a quarter of a second a plan, paid again
    whenever the tracker learns enough to plan anew (a fleet apply does so a dozen times)."""
    import numpy as np  # deferred: slow to import

    step_count = np.floor((last - first) / intervals)  # dense polls after the first
    dense_last = first + intervals * step_count
    # the doubling tail, as _poll_times builds it: how many polls, and where it ends
    at, step, tail = dense_last.copy(), intervals * 2, np.zeros_like(intervals)
    while True:
        going = (at < horizon) & (step < max_interval)
        if not going.any():
            break
        at = np.where(going, at + step, at)
        step = np.where(going, step * 2, step)
        tail += going
    capped = np.maximum(0.0, np.floor((horizon - at) / max_interval)) + 1
    e = ends[None, :]
    # the dense part (a job ending before the first poll is seen by it)
    index = np.clip(np.ceil((e - first[:, None]) / intervals[:, None]), 0, step_count[:, None])
    seen = first[:, None] + intervals[:, None] * index
    late = seen < e  # (rounding)
    index[late] += 1
    seen[late] += np.broadcast_to(intervals[:, None], seen.shape)[late]
    # after the dense part (few of the ends, so only those are computed): the tail, then
    # every max_interval, then past the last poll the last poll (as _score clips)
    row, col = np.nonzero(e > dense_last[:, None])
    end, i, lst, n = ends[col], intervals[row], dense_last[row], step_count[row]
    j = np.maximum(1, np.ceil(np.log2(np.maximum((end - lst) / i + 2, 2.0))) - 1)
    j[lst + i * (2 ** (j + 1) - 2) < end] += 1  # (rounding)
    in_tail = j <= tail[row]
    c = np.clip(np.ceil((end - at[row]) / max_interval), 1, capped[row])
    index[row, col] = np.where(in_tail, n + j, n + tail[row] + c)
    seen[row, col] = np.where(in_tail, lst + i * (2 ** (j + 1) - 2), at[row] + max_interval * c)
    return (index + 1).mean(axis=1), np.median(seen - e, axis=1)


def plan(
    durations: list[float],
    *,
    naive_interval: float = 2.0,
    call_budget: float | None = None,
    max_interval: float = 60.0,
) -> Schedule:
    """The schedule for jobs whose past durations were ``durations`` (two or more)."""
    import numpy as np  # deferred: slow to import

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
    # every candidate, in the order of the grid: first quantile, last quantile, interval
    firsts = [math.exp(mu + spread * normal.inv_cdf(low)) for low in FIRST_QUANTILES]
    pairs = [
        (first, max(first, math.exp(mu + spread * normal.inv_cdf(high))))
        for first in firsts
        for high in LAST_QUANTILES
    ]
    first_of = np.repeat([p[0] for p in pairs], len(INTERVALS))
    last_of = np.repeat([p[1] for p in pairs], len(INTERVALS))
    interval_of = np.tile(INTERVALS, len(pairs))
    scores = _score_all(first_of, last_of, interval_of, ends, horizon, max_interval)
    best: tuple[tuple[bool, bool, float], Schedule] | None = None
    for first, last, interval, calls, delay in zip(
        first_of.tolist(),
        last_of.tolist(),
        interval_of.tolist(),
        *(a.tolist() for a in scores),
        strict=True,
    ):
        meets = delay <= target_delay
        # within the budget first; then meeting the delay; then cheapest (or quickest)
        key = (calls > budget, not meets, calls if meets else delay)
        if best is None or key < best[0]:
            best = (key, Schedule(first, last, interval, calls, delay))
    assert best is not None
    return best[1]
