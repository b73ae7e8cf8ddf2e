"""Time and peak memory to build the jobs DataFrame from 1,000,000 recorded status changes.

The history keeps one row a job up to date as status changes are recorded, so the jobs frame
reads that table. The baseline, in the same process, builds the same frame the obvious way:
read every status change and reduce them per job with pandas. Times are medians of three
builds; peak memory is measured apart, with tracemalloc (Python and NumPy allocations;
SQLite's own are not counted).

    python bench/history.py [--changes 1000000] [--quick]
"""

from __future__ import annotations

import argparse
import gc
import random
import sqlite3
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from amplify_auth_widgets import JobHistory
from amplify_auth_widgets.core.lifecycle import PENDING, TERMINAL, JobStatus

OPERATIONS = ("CreateBackendAuth", "UpdateBackendAuth", "DeleteBackendAuth")


def fill(path: Path, changes: int, seed: int = 1) -> int:
    """Record ``changes`` status changes: two a job (IN_PROGRESS, then an end)."""
    JobHistory(path).close()  # the schema
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    jobs, events = [], []
    start = 1_800_000_000.0
    for i in range(changes // 2):
        created = start + i * 0.5
        finished = created + rng.uniform(30, 300)
        status = JobStatus.FAILED if rng.random() < 0.05 else JobStatus.COMPLETED
        error = "deployment failed" if status == JobStatus.FAILED else None
        job_id = f"{i:08d}-job"
        jobs.append(
            (
                job_id,
                f"d{i % 500:05d}",
                "dev",
                rng.choice(OPERATIONS),
                status,
                created,
                finished,
                finished,
                error,
            )
        )
        events.append((job_id, created, PENDING, None, "service"))
        events.append((job_id, finished, status, error, "service"))
    with db:
        db.executemany(
            "INSERT INTO jobs (job_id, app_id, env_name, operation, status, created, "
            "updated, finished, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            jobs,
        )
        db.executemany(
            "INSERT INTO events (job_id, time, status, error, source) VALUES (?, ?, ?, ?, ?)",
            events,
        )
    db.close()
    return len(jobs)


def from_events(path: Path) -> pd.DataFrame:
    """The baseline: every status change read, then reduced per job."""
    db = sqlite3.connect(path)
    events = pd.read_sql_query(
        "SELECT e.job_id, e.time, e.status, e.error, j.app_id, j.env_name, j.operation "
        "FROM events e JOIN jobs j USING (job_id)",
        db,
    )
    db.close()
    grouped = events.sort_values("time").groupby("job_id", sort=False)
    frame = grouped.agg(
        app_id=("app_id", "first"),
        environment=("env_name", "first"),
        operation=("operation", "first"),
        status=("status", "last"),
        created=("time", "first"),
        updated=("time", "last"),
        error=("error", "last"),
    ).reset_index()
    terminal = frame["status"].isin(TERMINAL)
    frame["finished"] = frame["updated"].where(terminal)
    for column in ("created", "updated", "finished"):
        frame[column] = pd.to_datetime(frame[column], unit="s", utc=True)
    frame["duration"] = frame["finished"] - frame["created"]
    for column in ("operation", "status"):
        frame[column] = frame[column].astype("category")
    return frame


def measure(build, runs: int = 3) -> tuple[float, float, pd.DataFrame]:
    """Median seconds of ``runs`` builds, then the peak MiB of one more build under
    tracemalloc (which slows allocation, so it is never timed)."""
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        frame = build()
        times.append(time.perf_counter() - t0)
        del frame
    gc.collect()
    tracemalloc.start()
    frame = build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return sorted(times)[len(times) // 2], peak / 2**20, frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="a small run: 20,000 changes")
    args = parser.parse_args()
    if args.quick:
        args.changes = 20_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        t0 = time.perf_counter()
        count = fill(path, args.changes)
        print(
            f"recorded {args.changes:,} status changes of {count:,} jobs in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        history = JobHistory(path)
        ours_s, ours_mb, ours = measure(history.jobs)
        base_s, base_mb, base = measure(lambda: from_events(path))
        assert len(ours) == len(base) == count
        print(f"history.jobs():          {ours_s:6.2f} s, peak {ours_mb:7.1f} MiB")
        print(f"baseline (from events):  {base_s:6.2f} s, peak {base_mb:7.1f} MiB")
        print(
            f"ratio (ours / baseline): time {ours_s / base_s:.2f}, memory {ours_mb / base_mb:.2f}"
        )
        print(
            f"frame: {ours.memory_usage(deep=True).sum() / 2**20:.1f} MiB in memory, "
            f"dtypes: {', '.join(f'{c}={t}' for c, t in ours.dtypes.astype(str).items())}"
        )


if __name__ == "__main__":
    main()
