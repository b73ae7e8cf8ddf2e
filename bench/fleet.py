"""Fleet apply and audit against the emulator, with jobs that take time as the service's do.

Apply: ``CreateBackendAuth`` to 300 targets on 100 apps (3 environments each) whose jobs take
2 s, each followed to COMPLETED. The service allows one pending job per app, so its own limit
is the longest app queue: 3 jobs x 2 s = 6 s, plus the API time (the same 300 creates sent 8 at
a time on an emulator whose jobs take no time, nothing followed). Goal: ``fleet.apply``'s wall
time at most 1.5x that limit. In the same run:

* a sequential boto3 loop (create, then ``GetBackendJob`` every 0.5 s until the job is done),
  timed on a sample of targets and scaled linearly to all of them; goal: apply >= 50x faster;
* the AWS CLI run once per call (``create-backend-auth``, then ``get-backend-job`` every 2 s,
  as the Amplify CLI polls), on a smaller sample, scaled the same way;
* the same apply with the emulator throttling 30% of calls (``--throttle-rate 0.3``): every
  target ends COMPLETED, none fails for throttling; the throttled answers the client received
  are counted (botocore's ``needs-retry`` event sees every attempt, its own retries too).

Audit: ``fleet.audit`` of 2,000 environments over the demo fleet's 2 accounts x 2 regions (a
connection each, one frame with ``account_id`` and ``region``), in seconds and the audit
process's peak memory (a process of its own, so that the applies before it do not hide it).

Each apply's emulator runs in a process of its own, one at a time (the API-time one with jobs
of 0 s, the apply one with jobs of ``--job-seconds``, the throttling one with both); every
target is a fresh environment written into its store before it starts. The audit's emulator
serves from this process, audited from another. The figures are wall times on a shared
machine: the load average before and after is printed with them.

    python bench/fleet.py [--apps 100] [--job-seconds 2] [--sample 5] [--cli-sample 2]
                          [--throttle 0.3] [--audit 2000] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from conftest import aws_env, valid_request  # noqa: E402
from emulator import start  # noqa: E402

from amplify_auth_widgets.client.connection import Connection  # noqa: E402
from amplify_auth_widgets.emulator import Emulator  # noqa: E402
from amplify_auth_widgets.emulator.demo import (  # noqa: E402
    FLEET_ACCOUNTS,
    FLEET_PAIRS,
    FLEET_REGIONS,
    seed_fleet_pairs,
)
from amplify_auth_widgets.emulator.store import Store  # noqa: E402
from amplify_auth_widgets.fleet.inventory import Fleet  # noqa: E402
from amplify_auth_widgets.jobs.history import JobHistory  # noqa: E402

ENVIRONMENTS = ("dev", "staging", "prod")
#: What a throttled answer says (the service's codes, and HTTP 429 whatever the code).
THROTTLING = frozenset({"ThrottlingException", "TooManyRequestsException", "Throttling"})
BIN = Path(sys.executable).parent


def seed_targets(store: Store, prefix: str, apps: int) -> list[tuple[str, str]]:
    """``apps`` apps of three environments without auth, written into the store."""
    now = time.time()
    targets = []
    for i in range(apps):
        app_id = f"d{prefix}{i:06d}"
        store.put_app(app_id, f"{prefix}-{i}", {}, now)
        for env in ENVIRONMENTS:
            store.put_environment(app_id, env, {}, now)
            targets.append((app_id, env))
    return targets


def frame_of(targets: list[tuple[str, str]]) -> Any:
    import pandas as pd

    return pd.DataFrame(targets, columns=["app_id", "environment"])


def template() -> dict[str, Any]:
    request = valid_request()
    return {"ResourceName": request["ResourceName"], "ResourceConfig": request["ResourceConfig"]}


def emulator(db: str, job_seconds: float, throttle: float = 0.0) -> tuple[Any, str]:
    """An emulator process on ``db`` (its jobs take ``job_seconds``; ``throttle`` of its
    answers are 429s), and its URL."""
    command = [str(BIN / "amplify-auth"), "emulator", "--port", "0", "--db", db, "--seed", "7"]
    command += ["--job-seconds", str(job_seconds), "--throttle-rate", str(throttle)]
    return start(command)


def stop(process: Any) -> None:
    process.terminate()
    process.wait(timeout=15)


class Attempts:
    """Every HTTP answer a botocore client received, and which said "throttled", by operation:
    a ``needs-retry`` handler (botocore emits it after each attempt, its own retries too)."""

    def __init__(self) -> None:
        self.answers = 0
        self.throttled: Counter[str] = Counter()
        self._watched: set[int] = set()
        self._lock = threading.Lock()

    def watch(self, *clients: Any) -> None:
        """Count the answers of each of ``clients`` (a client named twice is counted once)."""
        for client in clients:
            if id(client) not in self._watched:
                self._watched.add(id(client))
                client.meta.events.register("needs-retry", self._seen)

    def _seen(self, response: Any = None, event_name: str = "", **_: Any) -> None:
        if response is None:  # no answer (a connection error)
            return
        http, parsed = response
        code = (parsed or {}).get("Error", {}).get("Code")
        throttled = http.status_code == 429 or code in THROTTLING
        with self._lock:
            self.answers += 1
            if throttled:  # (the event is needs-retry.<service>.<Operation>)
                self.throttled[event_name.rsplit(".", 1)[-1]] += 1


@dataclass
class ApplyRun:
    seconds: float
    statuses: dict[str, int]
    calls: int
    answers: int
    throttled: Counter[str]

    @property
    def completed(self) -> bool:
        return set(self.statuses) == {"COMPLETED"}


def bench_apply(url: str, targets: list[tuple[str, str]]) -> ApplyRun:
    """``fleet.apply`` (create) to ``targets``, each to its job's end, as a user runs it."""
    fleet = Fleet.connect(Connection.for_emulator(url), JobHistory(":memory:"))
    attempts = Attempts()
    service = fleet.service  # its reading, sending (adaptive retries) and Amplify clients
    attempts.watch(service.client, service.sender, service.apps_client)
    t0 = time.perf_counter()
    results = fleet.apply(template(), frame_of(targets), progress=False)
    seconds = time.perf_counter() - t0
    statuses = results["status"].astype(str).value_counts().to_dict()
    return ApplyRun(seconds, statuses, fleet.service.calls, attempts.answers, attempts.throttled)


def bench_api_time(url: str, targets: list[tuple[str, str]], threads: int = 8) -> float:
    """Seconds to send every create of an apply, ``threads`` at a time, following nothing:
    what the calls themselves cost, beside the jobs' own time."""
    from concurrent.futures import ThreadPoolExecutor

    client = Connection.for_emulator(url).client("amplifybackend")

    def create(target: tuple[str, str]) -> None:
        app_id, env = target
        client.create_backend_auth(**valid_request(AppId=app_id, BackendEnvironmentName=env))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(create, targets))
    return time.perf_counter() - t0


def bench_sequential(url: str, sample: list[tuple[str, str]]) -> float:
    """Seconds a target of a sequential boto3 loop that waits for each job."""
    client = Connection.for_emulator(url).client("amplifybackend")
    t0 = time.perf_counter()
    for app_id, env in sample:
        created = client.create_backend_auth(
            **valid_request(AppId=app_id, BackendEnvironmentName=env)
        )
        while True:  # a waiter: ask at once, then every half second
            job = client.get_backend_job(
                AppId=app_id, BackendEnvironmentName=env, JobId=created["JobId"]
            )
            if job["Status"] in ("COMPLETED", "FAILED"):
                break
            time.sleep(0.5)
    return (time.perf_counter() - t0) / len(sample)


def bench_aws_cli(url: str, sample: list[tuple[str, str]], folder: Path) -> float:
    """Seconds a target of the AWS CLI run once per call, polling ``get-backend-job`` every
    2 s until the job is done."""
    env = aws_env(url)
    base = [str(BIN / "aws"), "amplifybackend", "--endpoint-url", url, "--output", "json"]

    def aws(*argv: str) -> dict[str, Any]:
        done = subprocess.run(
            [*base, *argv], capture_output=True, text=True, env=env, check=True, timeout=120
        )
        return json.loads(done.stdout)

    t0 = time.perf_counter()
    for app_id, environment in sample:
        path = folder / f"{app_id}-{environment}.json"
        path.write_text(json.dumps(valid_request(AppId=app_id, BackendEnvironmentName=environment)))
        job_id = aws("create-backend-auth", "--cli-input-json", f"file://{path}")["JobId"]
        while True:
            job = aws(
                "get-backend-job",
                *("--app-id", app_id, "--job-id", job_id),
                *("--backend-environment-name", environment),
            )
            if job["Status"] in ("COMPLETED", "FAILED"):
                break
            time.sleep(2.0)
    return (time.perf_counter() - t0) / len(sample)


def audit_child(url: str, scopes: list[tuple[str, str]], out: Any) -> None:
    """In a process of its own: ``fleet.audit`` over a connection per (access key, region),
    sending back seconds, rows, errors, peak RSS and its growth, and the frame's size."""
    import pandas  # noqa: F401  (loaded before the baseline, as a notebook has it)

    from amplify_auth_widgets import fleet

    connections = [
        Connection.for_emulator(url, access_key_id=key, region=region) for key, region in scopes
    ]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    frame = fleet.audit(connections, concurrency=8, progress=False)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    errors = frame["error"].dropna().unique()[:3].tolist()
    pairs = frame[["account_id", "region"]].drop_duplicates().shape[0]
    size = float(frame.memory_usage(deep=True).sum()) / 2**20
    out.send((seconds, len(frame), pairs, errors, peak / 1024, (peak - before) / 1024, size))


def bench_audit(environments: int) -> tuple[Any, ...]:
    """The audit of ``environments`` environments with auth over the demo fleet's 2 accounts x
    2 regions (an emulator in this process, serving them), run by ``audit_child`` in a fresh
    process (spawned: nothing of this one's memory in it)."""
    pairs = len(FLEET_PAIRS)
    with Emulator(job_seconds=0, regions=FLEET_REGIONS, log_level="error") as emu:
        seed_fleet_pairs(emu.backend, -(-environments // (3 * pairs)))
        scopes = [(c.access_key_id, c.region) for c in emu.connections()]
        context = mp.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=audit_child, args=(emu.url, scopes, send))
        child.start()
        result = receive.recv()
        child.join(timeout=60)
    return result


@dataclass
class Options:
    apps: int
    job_seconds: float
    sample: int
    cli_sample: int
    throttle: float
    audit: int
    #: apps of the throttled apply (its time is its longest chain of retries, not its size)
    throttle_apps: int


def options() -> Options:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--apps", type=int, default=100, help="apps of 3 environments to apply to")
    parser.add_argument("--job-seconds", type=float, default=2.0, help="how long a job takes")
    parser.add_argument("--sample", type=int, default=5, help="targets of the boto3 loop")
    parser.add_argument("--cli-sample", type=int, default=2, help="targets of the AWS CLI loop")
    parser.add_argument("--throttle", type=float, default=0.3, help="share of calls throttled")
    parser.add_argument("--throttle-apps", type=int, help="apps of the throttled apply (--apps)")
    parser.add_argument("--audit", type=int, default=2000, help="environments to audit")
    parser.add_argument("--quick", action="store_true", help="a small run: under a minute")
    args = parser.parse_args()
    if args.quick:  # the throttled apply of 8 apps waited out 43 s of retries in CI, 2 apps 12 s
        args.apps, args.job_seconds, args.sample, args.cli_sample, args.audit = 8, 1.0, 2, 1, 120
        args.throttle_apps = 2
    return Options(
        args.apps,
        args.job_seconds,
        args.sample,
        args.cli_sample,
        args.throttle,
        args.audit,
        args.apps if args.throttle_apps is None else args.throttle_apps,
    )


@contextlib.contextmanager
def running(db: str, job_seconds: float, throttle: float = 0.0) -> Iterator[str]:
    """An emulator process on ``db`` for the block (see ``emulator``), by its URL."""
    process, url = emulator(db, job_seconds, throttle)
    try:
        yield url
    finally:
        stop(process)


def seeded(db: str, prefix: str, apps: int) -> list[tuple[str, str]]:
    store = Store(db)
    try:
        return seed_targets(store, prefix, apps)
    finally:
        store.close()


def measure(o: Options, folder: Path) -> dict[str, Any]:
    """Every figure, each emulator started in turn (nothing else runs while one is timed)."""
    fast, slow, throttled = (str(folder / f"{name}.sqlite3") for name in ("fast", "slow", "thr"))
    api_targets = seeded(fast, "api", o.apps)
    ours = seeded(slow, "apply", o.apps)
    sequential = seeded(slow, "seq", -(-o.sample // 3))[: o.sample]
    cli = seeded(slow, "cli", -(-o.cli_sample // 3))[: o.cli_sample]
    throttled_targets = seeded(throttled, "thr", o.throttle_apps)
    figures: dict[str, Any] = {"targets": len(ours)}
    with running(fast, 0) as url:
        figures["api"] = bench_api_time(url, api_targets)
    figures["audit"] = bench_audit(o.audit)
    with running(slow, o.job_seconds) as url:
        figures["apply"] = bench_apply(url, ours)
        figures["sequential"] = bench_sequential(url, sequential)
        figures["cli"] = bench_aws_cli(url, cli, folder)
    with running(throttled, o.job_seconds, o.throttle) as url:
        figures["throttled"] = bench_apply(url, throttled_targets)
    return figures


def report_apply(o: Options, f: dict[str, Any]) -> list[str]:
    """The apply table and its goals."""
    apply, api, n = f["apply"], f["api"], f["targets"]
    limit = len(ENVIRONMENTS) * o.job_seconds + api
    rows = [
        ("fleet.apply", n, apply.seconds, ""),
        ("sequential boto3 loop", n, f["sequential"] * n, f"{o.sample} timed, scaled"),
        ("AWS CLI, a process a call", n, f["cli"] * n, f"{o.cli_sample} timed, scaled"),
    ]
    lines = [
        f"apply: CreateBackendAuth to {n} targets on {o.apps} apps x {len(ENVIRONMENTS)} "
        f"environments, jobs of {o.job_seconds:g} s, each to its end",
        f"the service's limit: {len(ENVIRONMENTS)} jobs x {o.job_seconds:g} s + API time "
        f"{api:.2f} s (its {n} creates sent 8 at a time, nothing followed) = {limit:.2f} s",
        f"{'method':<28} {'targets':>7} {'seconds':>9} {'apply is':>9}  note",
    ]
    for name, count, seconds, note in rows:
        faster = seconds / apply.seconds
        lines.append(f"{name:<28} {count:>7} {seconds:>9.2f} {faster:>8.1f}x  {note}")
    lines.append(
        f"fleet.apply: {apply.calls} calls ({apply.calls / n:.2f} a target), "
        f"outcomes {apply.statuses}"
    )
    within, faster = apply.seconds / limit, f["sequential"] * n / apply.seconds
    lines += [
        f"goal apply <= 1.5x the service's limit: {within:.2f}x -> {yes(within <= 1.5)}",
        f"goal apply >= 50x the sequential loop: {faster:.1f}x -> {yes(faster >= 50)}",
    ]
    return lines


def report_throttled(o: Options, f: dict[str, Any]) -> list[str]:
    run = f["throttled"]
    throttled = sum(run.throttled.values())
    share = throttled / max(run.answers, 1)
    by_operation = ", ".join(f"{name} {count}" for name, count in run.throttled.most_common())
    return [
        f"throttled: an apply to {o.throttle_apps * len(ENVIRONMENTS)} targets with "
        f"{o.throttle:.0%} of calls answered 429: "
        f"{run.seconds:.2f} s, outcomes {run.statuses}; {throttled} of {run.answers} "
        f"answers throttled ({share:.0%}: {by_operation or 'none'}), {run.calls} calls made",
        f"goal every target COMPLETED under throttling: {yes(run.completed)}",
    ]


def report_audit(f: dict[str, Any]) -> list[str]:
    seconds, rows, pairs, errors, peak, grown, frame_mb = f["audit"]
    accounts, regions = len(set(FLEET_ACCOUNTS)), len(set(FLEET_REGIONS))
    lines = [
        f"audit: {rows} environments over {accounts} accounts x {regions} regions "
        f"({pairs} pairs in the frame) in {seconds:.2f} s ({rows / seconds:.0f}/s); peak RSS "
        f"{peak:.0f} MB (grew {grown:.0f} MB during the audit); the frame holds {frame_mb:.2f} MB"
    ]
    if errors:
        lines.append(f"audit errors: {errors}")
    return lines


def yes(met: bool) -> str:
    return "YES" if met else "NO"


def main() -> None:
    o = options()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        figures = measure(o, Path(folder))
    for line in (*report_apply(o, figures), *report_throttled(o, figures), *report_audit(figures)):
        print(line)
    print(
        f"load average (1 min) before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores"
    )
    if not figures["apply"].completed or figures["audit"][3]:
        raise SystemExit("the apply did not complete every target, or the audit had errors")


if __name__ == "__main__":
    main()
