"""How long the editor takes to build and to revalidate, against bare ipywidgets as the floor.

The floor builds the same widgets the editor builds (same classes, same count), bare, with
default arguments: what any form made of those controls must pay. Each figure is the median
of several runs in this one process.

    python bench/editor.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import ipywidgets as w
from ipywidgets.widgets import widget as widget_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def live_widgets() -> set[int]:
    return set(widget_module._instances)


def built_classes(build) -> tuple[object, Counter]:
    before = live_widgets()
    made = build()
    new = [widget_module._instances[k] for k in live_widgets() - before]
    kinds = Counter(type(x) for x in new if not isinstance(x, w.Layout | w.Style))
    return made, kinds


def close_all(since: set[int]) -> None:
    for key in list(live_widgets() - since):
        widget = widget_module._instances.get(key)
        if widget is not None:
            widget.close()


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        baseline = live_widgets()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        close_all(baseline)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from conftest import valid_request

    from amplify_auth_widgets import AuthConfigEditor

    AuthConfigEditor()  # loads the service model once, as any first use does
    first_use = time.perf_counter() - t0

    _, kinds = built_classes(AuthConfigEditor)
    count = sum(kinds.values())

    def floor() -> None:
        for cls, n in kinds.items():
            for _ in range(n):
                cls()

    build = timed(AuthConfigEditor, args.runs)
    bare = timed(floor, args.runs)

    editor = AuthConfigEditor(value=valid_request())
    field = editor.field("ResourceConfig.UserPoolConfigs.UserPoolName").control
    edits = []
    for i in range(200):
        t0 = time.perf_counter()
        field.value = f"users-{i}"  # one keystroke's worth of change: revalidate everything
        edits.append(time.perf_counter() - t0)
    revalidate = statistics.median(edits)

    print(f"first use (import + service model + first editor): {first_use * 1000:.0f} ms")
    print(f"widgets in the editor: {count} ({len(kinds)} classes)")
    print(f"build editor, median of {args.runs}: {build * 1000:.1f} ms")
    print(f"build {count} bare widgets (floor), median of {args.runs}: {bare * 1000:.1f} ms")
    print(f"editor / floor: {build / bare:.2f} (goal <= 1.5)")
    print(f"revalidate after one edit, median of 200: {revalidate * 1000:.2f} ms (goal < 5)")
    print(
        json.dumps(
            {
                "widgets": count,
                "build_ms": build * 1000,
                "floor_ms": bare * 1000,
                "ratio": build / bare,
                "revalidate_ms": revalidate * 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
