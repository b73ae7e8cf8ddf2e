"""``local()``: the kernel's one emulator, started with the demo apps on first use, the same one
handed to every later call, a new one once it has stopped, and stopped when the process
exits."""

from __future__ import annotations

import atexit

import pytest

from amplify_auth_widgets.emulator import local as kernel
from amplify_auth_widgets.emulator.local import local

DEMO_IDS = {"d1demotodo", "d2demoshop", "d3demoadmin", "d4demonew"}


@pytest.fixture
def fresh(monkeypatch):
    """No kernel emulator yet; what ``local()`` registers to run at exit is collected (and run
    at the end), not left for the test process's exit."""
    monkeypatch.setattr(kernel, "_shared", None)
    at_exit: list = []
    register = atexit.register

    def collect(function, *args, **kwargs):
        if type(getattr(function, "__self__", None)).__name__ == "Emulator":
            at_exit.append(function)
            return function
        return register(function, *args, **kwargs)  # (what starting a server registers)

    monkeypatch.setattr(atexit, "register", collect)
    yield at_exit
    for stop in at_exit:
        stop()


def app_ids(emulator):
    return {a["appId"] for a in emulator.client("amplify").list_apps()["apps"]}


def test_the_first_call_starts_an_emulator_with_the_demo_apps(fresh):
    emulator = local()
    assert emulator.url.startswith("http://127.0.0.1:")
    assert app_ids(emulator) == DEMO_IDS
    assert emulator.backend.job_seconds == (3.0, 3.0)  # jobs take 3 s by default
    # it is stopped when the process exits
    assert fresh == [emulator.stop]


def test_later_calls_get_the_same_one_unchanged(fresh):
    emulator = local("2-10")
    assert emulator.backend.job_seconds == (2.0, 10.0)
    assert local() is emulator and local(0) is emulator
    assert emulator.backend.job_seconds == (2.0, 10.0)
    assert len(fresh) == 1


def test_a_stopped_emulator_is_replaced(fresh):
    first = local(0)
    first.stop()
    second = local(0)
    assert second is not first
    assert app_ids(second) == DEMO_IDS
    assert fresh == [first.stop, second.stop]
    assert local() is second
