"""How long the fleet's migration plan takes, against the audit it is made from.

A fleet of 500 environments with auth (``seed_fleet``: three environments an app, about 3 in 10
weak) plus a sixth made ``USER_POOL_ONLY`` (the demo's ``WEAK`` and ``LEGACY``), so that every
way is exported, is written into the emulator's store; the emulator runs in a process of its
own. Measured in this one process:

* ``fleet.audit`` of the fleet (the baseline: what a plan needs first);
* ``fleet.migration_plan`` of that audit (median of runs), its ratio to the audit;
* ``gen2.export`` of one environment with its way (``keep`` or ``recreate``, with the deployed
  ids), median per environment, against the export of the configuration alone (no way).

    python bench/migration.py [--environments 500] [--quick]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from emulator import start  # noqa: E402

from amplify_auth_widgets import fleet, gen2  # noqa: E402
from amplify_auth_widgets.client.connection import Connection  # noqa: E402
from amplify_auth_widgets.emulator.demo import LEGACY, WEAK, fleet_app_id, seed_fleet  # noqa: E402
from amplify_auth_widgets.emulator.store import Store  # noqa: E402
from amplify_auth_widgets.fleet.migration import audit_deployed, audit_request  # noqa: E402
from amplify_auth_widgets.jobs.history import JobHistory  # noqa: E402


def seed(db: str, environments: int) -> None:
    """The fleet, every sixth environment turned USER_POOL_ONLY (recreate's way)."""
    store = Store(db)
    seeded = seed_fleet(types.SimpleNamespace(store=store, clock=time.time), -(-environments // 3))
    for number, (app_id, env) in enumerate(sorted(seeded)):
        if number % 6 == 0:
            config = copy.deepcopy(WEAK if number % 12 == 0 else LEGACY)
            config["UserPoolConfigs"]["UserPoolName"] = f"{app_id}-{env}-users"
            store.put_auth(app_id, env, "fleetauth", config, time.time())
    store.close()


def timed(function, *args, runs: int = 1):
    """The median seconds of ``runs`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def export_times(audit, plan, limit: int) -> tuple[float, float, dict[str, int]]:
    """Median milliseconds of one environment's export with its way, and without one."""
    rows = audit.set_index(["app_id", "environment"], drop=False)
    with_way, alone, ways = [], [], {}
    for row in plan[plan["way"].notna()].head(limit).to_dict("records"):
        audited = rows.loc[(row["app_id"], row["environment"])]
        request, deployed = audit_request(audited), audit_deployed(audited)
        t0 = time.perf_counter()
        gen2.export(request, way=row["way"], deployed=deployed)
        t1 = time.perf_counter()
        gen2.export(request)
        t2 = time.perf_counter()
        with_way.append(t1 - t0)
        alone.append(t2 - t1)
        ways[row["way"]] = ways.get(row["way"], 0) + 1
    return statistics.median(with_way) * 1e3, statistics.median(alone) * 1e3, ways


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--environments", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="60 environments, one run each")
    args = parser.parse_args()
    size, runs = (60, 1) if args.quick else (args.environments, 5)
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "fleet.sqlite3")
        seed(db, size)
        command = ["emulator", "--port", "0", "--job-seconds", "0", "--db", db]
        emulator, url = start([str(bin_dir / "amplify-auth"), *command])
        try:
            connection = Connection.for_emulator(url)
            apps = {fleet_app_id(i) for i in range(-(-size // 3))}
            audit_s, audit = timed(
                lambda: fleet.audit(
                    connection, apps, history=JobHistory(":memory:"), progress=False
                )
            )
        finally:
            emulator.terminate()
            emulator.wait(timeout=15)
    fleet.migration_plan(audit.head(3))  # load the model and the exporter outside the timing
    plan_s, plan = timed(fleet.migration_plan, audit, runs=runs)
    with_way_ms, alone_ms, ways = export_times(audit, plan, 100 if args.quick else len(plan))
    counts = ", ".join(f"{v} {n}" for v, n in fleet.plan_counts(plan).items())
    print(f"fleet of {len(audit)} environments: {counts}")
    print(f"audit (baseline):        {audit_s:8.2f} s ({len(audit) / audit_s:6.0f}/s)")
    print(
        f"migration_plan:          {plan_s:8.2f} s ({len(plan) / plan_s:6.0f}/s, median of {runs})"
    )
    print(f"  ratio plan/audit:      {plan_s / audit_s:8.2f}")
    print(f"export with its way:     {with_way_ms:8.2f} ms an environment ({ways})")
    print(f"export, no way:          {alone_ms:8.2f} ms an environment")
    print(f"  ratio way/no way:      {with_way_ms / alone_ms:8.2f}")


if __name__ == "__main__":
    main()
