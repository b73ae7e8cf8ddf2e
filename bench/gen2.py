"""How long the Gen 2 export takes, and what checking it with the Gen 2 toolchain costs.

Export: one configuration (median of many runs, in milliseconds) and 500 configurations of a
fleet (varied: every valid corpus case and sample variants), each against validating the same
configurations in this process, the check the editor already runs on every change.
Toolchain (skipped with --quick, which takes a few seconds): one batch of configurations through
``tsc --noEmit``, Prettier and the offline CDK synthesis, reported per configuration, against
the same configurations synthesized one process each.

    python bench/gen2.py [--quick] [--batch 6]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from amplify_auth_widgets import gen2, validate  # noqa: E402


def fleet(size: int) -> list[tuple[dict, str]]:
    """``size`` configurations: the valid corpus cases, varied by app, environment and policy."""
    cases = []
    for path in sorted((ROOT / "tests" / "data" / "validation").glob("*.json")):
        case = json.loads(path.read_text())
        if not case["errors"]:
            cases.append((case["request"], case["operation"]))
    out = []
    for i in range(size):
        request, operation = copy.deepcopy(cases[i % len(cases)])
        request["AppId"] = f"d{i:013d}"
        request["BackendEnvironmentName"] = f"env{i % 7}"
        pool = request["ResourceConfig"]["UserPoolConfigs"]
        pool.setdefault("PasswordPolicy", {})["MinimumLength"] = 6 + i % 90
        out.append((request, operation))
    return out


def per_call(fn, items, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for request, operation in items:
            fn(request, operation)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def exports(quick: bool) -> None:
    configs = fleet(500)
    one = configs[:1]
    runs = 20 if quick else 200
    gen2.export(*one[0])  # load the service model once, outside the timing
    t_one = per_call(gen2.export, one, runs)
    t_one_validate = per_call(validate, one, runs)
    print(f"export, 1 configuration:    {t_one * 1e3:8.2f} ms")
    print(f"validate, same:             {t_one_validate * 1e3:8.2f} ms")
    print(f"  ratio export/validate:    {t_one / t_one_validate:8.2f}")
    size = 50 if quick else 500
    t_fleet = per_call(gen2.export, configs[:size], 1 if quick else 3)
    t_fleet_validate = per_call(validate, configs[:size], 1 if quick else 3)
    each = t_fleet / size * 1e3
    print(f"export, {size} configurations: {t_fleet * 1e3:8.1f} ms ({each:.2f} ms each)")
    print(f"validate, same:             {t_fleet_validate * 1e3:8.1f} ms")
    print(f"  ratio export/validate:    {t_fleet / t_fleet_validate:8.2f}")


def toolchain_check(batch: int) -> None:
    from support import toolchain

    if not toolchain.installed():
        print("toolchain: not installed (make gen2-toolchain); skipped")
        return
    configs = fleet(batch)
    exported = {f"c{i}": gen2.export(r, o) for i, (r, o) in enumerate(configs)}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folders = toolchain.prepare(root, exported)
        steps = {}
        for name, run in (
            ("tsc --noEmit", lambda: toolchain.typecheck(root)),
            ("prettier --check", lambda: toolchain.prettier_check(root)),
            ("CDK synth, one process", lambda: toolchain.synthesize(root, folders)),
        ):
            t0 = time.perf_counter()
            done = run()
            steps[name] = time.perf_counter() - t0
            if done.returncode:
                raise SystemExit(f"{name} failed:\n{done.stdout}\n{done.stderr}")
        t0 = time.perf_counter()
        for folder in folders[:2]:
            toolchain.synthesize(root, [folder])
        single = (time.perf_counter() - t0) / 2
    total = sum(steps.values())
    for name, seconds in steps.items():
        print(f"{name:24s} {seconds:7.1f} s for {batch} ({seconds / batch:.2f} s each)")
    print(f"toolchain check per configuration: {total / batch:.2f} s (batch of {batch})")
    per_synth = steps["CDK synth, one process"] / batch
    print(f"synth alone, one process each:     {single:.2f} s per configuration")
    print(f"  ratio batched/alone:             {per_synth / single:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="exports only, small sizes")
    parser.add_argument("--batch", type=int, default=6, help="configurations per toolchain batch")
    args = parser.parse_args()
    exports(args.quick)
    if args.quick:
        print("toolchain: skipped with --quick")
    else:
        toolchain_check(args.batch)


if __name__ == "__main__":
    main()
