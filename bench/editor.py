"""How many widgets the editor's first screen builds, how long it takes to build and to
revalidate, against bare ipywidgets as the floor.

Sections other than Target and Sign-in are built when first opened: the first screen is counted
against the same editor with every section opened (the whole form, as it was built up front
before). The floor builds the same widgets the first screen builds (same classes, same count),
bare, with default arguments: what any form made of those controls must pay. Each time is the
median of several runs in this one process.

    python bench/editor.py [--runs 15] [--quick]
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


def stock(cls: type) -> type:
    """The ipywidgets class a widget class is (the editor's own subclasses map to their base)."""
    return next(c for c in cls.__mro__ if c.__module__.startswith("ipywidgets"))


def built_classes(build) -> tuple[object, Counter]:
    before = live_widgets()
    made = build()
    new = [widget_module._instances[k] for k in live_widgets() - before]
    kinds = Counter(stock(type(x)) for x in new if not isinstance(x, w.Layout | w.Style))
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
    parser.add_argument("--quick", action="store_true", help="3 runs, 20 edits: a smoke run")
    args = parser.parse_args()
    edits_n = 200
    if args.quick:
        args.runs, edits_n = 3, 20

    t0 = time.perf_counter()
    from conftest import valid_request

    from amplify_auth_widgets import AuthConfigEditor

    AuthConfigEditor()  # loads the service model once, as any first use does
    first_use = time.perf_counter() - t0

    _, kinds = built_classes(AuthConfigEditor)
    count = sum(kinds.values())

    def open_all() -> None:
        editor = AuthConfigEditor()
        for section in editor.sections:
            section.open()

    _, all_kinds = built_classes(open_all)
    whole = sum(all_kinds.values())

    def floor() -> None:
        for cls, n in kinds.items():
            for _ in range(n):
                cls()

    build = timed(AuthConfigEditor, args.runs)
    bare = timed(floor, args.runs)

    editor = AuthConfigEditor(value=valid_request())
    field = editor.field("ResourceConfig.UserPoolConfigs.UserPoolName").control
    edits = []
    for i in range(edits_n):
        t0 = time.perf_counter()
        field.value = f"users-{i}"  # one keystroke's worth of change: revalidate everything
        edits.append(time.perf_counter() - t0)
    revalidate = statistics.median(edits)

    print(f"first use (import + service model + first editor): {first_use * 1000:.0f} ms")
    print(f"widgets on the first screen: {count} ({len(kinds)} classes)")
    print(f"widgets with every section open: {whole}")
    print(f"first screen / whole form: {count / whole:.2f} (goal <= 0.33)")
    print(f"build editor, median of {args.runs}: {build * 1000:.1f} ms")
    print(f"build {count} bare widgets (floor), median of {args.runs}: {bare * 1000:.1f} ms")
    print(f"editor / floor: {build / bare:.2f} (goal <= 1.5)")
    print(f"revalidate after one edit, median of {edits_n}: {revalidate * 1000:.2f} ms (goal < 5)")
    print(
        json.dumps(
            {
                "widgets": count,
                "widgets_all_open": whole,
                "build_ms": build * 1000,
                "floor_ms": bare * 1000,
                "ratio": build / bare,
                "revalidate_ms": revalidate * 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
