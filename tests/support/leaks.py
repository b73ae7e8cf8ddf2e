"""Processes a test run leaves behind: servers, kernels and browsers still alive at its end.

Every process the run starts inherits its environment, so the run marks itself there
(``RUN_MARK``) and at the end looks for live processes that carry its mark, as well as for
children of its own process. The mark finds a server even after its parent was stopped and it
was handed to init (a Voila started by ``amplify-auth app`` outlives a terminated app command).
"""

from __future__ import annotations

import contextlib
import os
import uuid

import psutil

RUN_MARK = "AMPLIFY_AUTH_TEST_RUN"

#: The standard library's helper processes end with the interpreter that started them (here
#: the test run itself), so they are not leaks of any test.
STDLIB_HELPERS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")


def mark_run() -> str:
    """Give this run (and every process it starts from now on) a mark of its own."""
    mark = f"{os.getpid()}-{uuid.uuid4().hex}"
    os.environ[RUN_MARK] = mark
    return mark


def children() -> set[int]:
    """The processes below this one now: when the run is itself hosted by a tool that has
    workers (mutmut's fork server), those are the tool's, not the tests'."""
    return {p.pid for p in psutil.Process().children(recursive=True)}


def _carries(process: psutil.Process, mark: str) -> bool:
    try:
        return process.environ().get(RUN_MARK) == mark
    except (psutil.Error, OSError):  # gone, a zombie, or not ours to read
        return False


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _helper(process: psutil.Process) -> bool:
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return any(name in command for name in STDLIB_HELPERS)


def leftovers(
    mark: str, grace: float = 5.0, before: frozenset[int] = frozenset()
) -> list[psutil.Process]:
    """Live processes this run started (not those in ``before``, there when it began), after
    ``grace`` seconds for those on their way out."""
    me = psutil.Process()
    found = {p.pid: p for p in me.children(recursive=True) if p.pid not in before}
    for process in psutil.process_iter():
        if process.pid != me.pid and process.pid not in found and _carries(process, mark):
            found[process.pid] = process
    candidates = [p for p in found.values() if _alive(p) and not _helper(p)]
    _, alive = psutil.wait_procs(candidates, timeout=grace)
    return sorted((p for p in alive if _alive(p)), key=lambda p: p.pid)


def describe(process: psutil.Process) -> str:
    try:
        command = " ".join(process.cmdline())[:200]
    except psutil.Error:
        command = "?"
    return f"pid {process.pid}: {command}"


def stop(processes: list[psutil.Process], timeout: float = 5.0) -> None:
    """Terminate, then kill what still stands: the machine is shared."""
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
