"""A pytest plugin for tools/mutation.py: which of a mutated module's functions each test calls.

Loaded (``-p mutation_calls``) in one run of a module's tests in its mutants folder with no
mutant switched on. mutmut's trampolines then call each function's original,
``<name>__mutmut_orig``; every call of one defined in the file ``MUTATION_CALLS_FILE`` (a path
ending, e.g. ``fleet/rollout.py``) is put down to the test running at that moment, whatever
thread makes it (the profile is set for the whole session: a pool started by an earlier test
and reused is seen too). Written to ``MUTATION_CALLS_OUT`` as JSON: ``{"calls": {test node
id: [function, ...]}, "seconds": {test node id: seconds}}``, functions named as mutmut names
their mutants' prefix (``x_export_frame``, ``xǁFleetPanelǁfiltered``).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

import pytest

ORIGINAL = "__mutmut_orig"

_target = os.environ.get("MUTATION_CALLS_FILE", "")
_current: list[str | None] = [None]
_calls: dict[str, set[str]] = {}
_seconds: dict[str, float] = {}


def _profile(frame: Any, event: str, arg: Any) -> None:
    if event != "call":
        return
    code = frame.f_code
    test = _current[0]
    if test is not None and code.co_name.endswith(ORIGINAL) and code.co_filename.endswith(_target):
        _calls.setdefault(test, set()).add(code.co_name.removesuffix(ORIGINAL))


def pytest_configure(config: Any) -> None:
    if _target:
        sys.setprofile(_profile)
        threading.setprofile(_profile)


@pytest.hookimpl(tryfirst=True)  # before any fixture's setup: its calls are the test's too
def pytest_runtest_setup(item: Any) -> None:
    # from its setup to the next test's: its fixtures' calls and its teardown's count for it
    _current[0] = item.nodeid


def pytest_runtest_logreport(report: Any) -> None:
    _seconds[report.nodeid] = _seconds.get(report.nodeid, 0.0) + report.duration


def pytest_unconfigure(config: Any) -> None:
    sys.setprofile(None)
    threading.setprofile(None)
    out = os.environ.get("MUTATION_CALLS_OUT")
    if out:
        calls = {test: sorted(names) for test, names in _calls.items()}
        with open(out, "w") as stream:
            json.dump({"calls": calls, "seconds": _seconds}, stream, indent=1)
