"""The run's end check: it finds what a test left alive, also once handed to init, and only that."""

from __future__ import annotations

import os
import subprocess
import sys

import psutil
from support import leaks


def test_finds_children_and_orphans_that_carry_the_runs_mark():
    mark = os.environ[leaks.RUN_MARK]
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    # `sh` starts a sleeper in the background and exits: the sleeper is handed to init
    # (or the nearest subreaper), as a server is whose parent command was stopped
    done = subprocess.run(
        ["sh", "-c", "sleep 61 >/dev/null 2>&1 & echo $!"], capture_output=True, text=True
    )
    orphan = int(done.stdout)
    try:
        assert psutil.Process(orphan).ppid() != os.getpid()
        found = {p.pid for p in leaks.leftovers(mark, grace=0.1)}
        assert {child.pid, orphan} <= found
        assert {p.pid for p in leaks.leftovers("another-run", grace=0.1)}.isdisjoint({orphan})
    finally:
        leaks.stop([psutil.Process(child.pid), psutil.Process(orphan)])
        child.wait(10)
    assert not {child.pid, orphan} & {p.pid for p in leaks.leftovers(mark, grace=0.1)}
    assert "sleep 61" not in " ".join(leaks.describe(p) for p in leaks.leftovers(mark, 0.1))


def test_a_process_on_its_way_out_is_given_time():
    mark = os.environ[leaks.RUN_MARK]
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
    assert child.pid not in {p.pid for p in leaks.leftovers(mark, grace=5)}
    child.wait(10)


def test_the_standard_librarys_helpers_are_not_leaks():
    mark = os.environ[leaks.RUN_MARK]
    helper = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "multiprocessing.resource_tracker"]
    )
    try:
        assert helper.pid not in {p.pid for p in leaks.leftovers(mark, grace=0.1)}
    finally:
        helper.kill()
        helper.wait(10)


def test_processes_there_before_the_run_are_not_its_own():
    mark = os.environ[leaks.RUN_MARK]
    # a worker of a tool hosting the run (mutmut's fork server) was started before the run
    # was marked, so it does not carry the mark
    unmarked = {k: v for k, v in os.environ.items() if k != leaks.RUN_MARK}
    host_worker = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], env=unmarked
    )
    try:
        before = frozenset(leaks.children())
        assert host_worker.pid in before
        found = {p.pid for p in leaks.leftovers(mark, grace=0.1, before=before)}
        assert host_worker.pid not in found
    finally:
        host_worker.kill()
        host_worker.wait(10)
