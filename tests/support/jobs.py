"""What the jobs layer's tests share: a job as the service answers it (``GetBackendJob``), for the
job history's and reports' tests; past durations and the poll times a schedule makes, for the
schedule's; and a tracker driven on a fake clock, for the tracker's."""

from __future__ import annotations

import math
import random
from typing import Any


def job(
    job_id: str,
    status: str,
    app: str = "d1",
    env: str = "dev",
    operation: str = "CreateBackendAuth",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "JobId": job_id,
        "AppId": app,
        "BackendEnvironmentName": env,
        "Operation": operation,
        "Status": status,
        **extra,
    }


def durations(spread: float, median: float = 180.0, n: int = 120) -> list[float]:
    rng = random.Random(7)
    return [median * math.exp(rng.gauss(0, spread)) for _ in range(n)]


def poll_times(first, last, interval, horizon, max_interval):
    """A schedule's poll times, built one by one: the reference ``_score_all`` must match."""
    times = [first + interval * k for k in range(int((last - first) / interval) + 1)]
    at, step = times[-1], interval * 2
    while at < horizon and step < max_interval:
        at += step
        times.append(at)
        step *= 2
    times += [
        at + max_interval * k for k in range(1, max(0, int((horizon - at) / max_interval)) + 2)
    ]
    return times


def drive(tracker, clock, limit=10_000):
    """Move the fake clock to each next poll until nothing is pending."""
    for _ in range(limit):
        due = tracker.next_due()
        if due is None:
            return
        clock.now = max(clock.now, due)
        tracker.poll_due()
    raise AssertionError("the tracker never finished")
