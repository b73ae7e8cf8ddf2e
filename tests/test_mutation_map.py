"""The mutation runs' map of modules to tests is read from the folders, not kept by hand:
every module of a mutated layer has tests, the ones named for it when there are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import mutation  # noqa: E402


def test_every_module_of_every_mutated_layer_is_mapped_to_existing_tests():
    sources = {
        f"{p.parent.name}.{p.stem}"
        for layer in mutation.LAYERS
        for p in (mutation.SRC / layer).glob("*.py")
        if p.name != "__init__.py" or mutation.defines_code(p)
    }
    assert set(mutation.MODULES) == sources
    # a package's __init__ that holds code is a module of its own: the emulator's Emulator
    assert "emulator.__init__" in sources and "core.__init__" not in sources
    for name, (path, tests) in mutation.MODULES.items():
        assert (mutation.SRC / path).is_file(), name
        assert tests and all((ROOT / t).is_file() for t in tests), name
        assert not any(t.startswith(("tests/browser", "tests/notebooks")) for t in tests), name


def test_the_tests_named_for_a_module_are_its_own():
    assert mutation.MODULES["core.rules"][1][:3] == [
        "tests/core/test_rule_codes.py",
        "tests/core/test_rule_messages.py",
        "tests/core/test_rules.py",
    ]
    assert mutation.MODULES["jobs.history"][1][:2] == [
        "tests/jobs/test_history.py",
        "tests/jobs/test_history_records.py",
    ]
    fleet_cli = [t for t in mutation.MODULES["cli.fleet"][1] if t.startswith("tests/cli/")]
    assert "tests/cli/test_fleet_cli.py" in fleet_cli  # and test_fleet_<more>_cli.py, no other
    assert all(t.startswith("tests/cli/test_fleet") for t in fleet_cli)
    # none named for it: the whole folder of its layer, less what mutmut's table ignores
    toolchain = "tests/gen2/test_gen2_toolchain.py"
    assert "tests/gen2/test_gen2.py" in mutation.MODULES["gen2.typescript"][1]
    assert toolchain not in mutation.MODULES["gen2.typescript"][1]
    # and the tests that cross every layer
    assert "tests/test_output_sinks.py" in mutation.MODULES["widgets.cli_tab"][1]
    # but not this test of the map: it imports tools/, which mutmut's copy does not hold
    assert not any("tests/test_mutation_map.py" in t for _, t in mutation.MODULES.values())


def test_a_forked_run_takes_the_mutants_not_run_yet_or_those_named():
    codes = {
        "amplify_auth_widgets.fleet.rollout.xǁDispatcherǁsend__mutmut_1": None,
        "amplify_auth_widgets.fleet.rollout.xǁDispatcherǁsend__mutmut_2": 1,
        "amplify_auth_widgets.fleet.rollout.x__look_up__mutmut_1": 0,
        "amplify_auth_widgets.fleet.rollout.x__look_up__mutmut_2": None,
    }
    assert mutation.select(codes, []) == [
        "amplify_auth_widgets.fleet.rollout.xǁDispatcherǁsend__mutmut_1",
        "amplify_auth_widgets.fleet.rollout.x__look_up__mutmut_2",
    ]
    # named or globbed: run again whatever their last result
    assert mutation.select(codes, ["*xǁDispatcherǁ*"]) == [
        "amplify_auth_widgets.fleet.rollout.xǁDispatcherǁsend__mutmut_1",
        "amplify_auth_widgets.fleet.rollout.xǁDispatcherǁsend__mutmut_2",
    ]
    assert mutation.select(codes, ["amplify_auth_widgets.fleet.rollout.x__look_up__mutmut_1"]) == [
        "amplify_auth_widgets.fleet.rollout.x__look_up__mutmut_1"
    ]


def test_a_forked_run_uses_the_files_given_or_else_the_modules_own():
    own = mutation._pytest_args("fleet.progress", [])
    assert own[: own.index("-m")] == mutation.MODULES["fleet.progress"][1]
    given = mutation._pytest_args("widgets.labels", ["tests/widgets/test_accessible.py"])
    assert given[: given.index("-m")] == ["tests/widgets/test_accessible.py"]
    assert "-x" in given and f"--timeout={mutation.TIMEOUT_SECONDS}" in given


def test_two_runs_of_one_module_keep_each_others_verdicts(tmp_path):
    meta = tmp_path / "rollout.py.meta"
    names = {"a": None, "b": None}
    meta.write_text(json.dumps({"exit_code_by_key": names, "durations_by_key": {}}))
    mutation._record(meta, "a", 1, 0.5)  # one run's verdict
    mutation._record(meta, "b", 0, 2.0)  # another's, written after: "a" is kept
    assert json.loads(meta.read_text()) == {
        "exit_code_by_key": {"a": 1, "b": 0},
        "durations_by_key": {"a": 0.5, "b": 2.0},
    }


def test_the_runs_leave_out_the_tests_marked_for_another_process_not_those_named_for_one():
    files = ["tests/emulator/test_emulator_contract.py", "tests/test_leaks.py"]
    args = [a for a in mutation._pytest_args("emulator.backend", files) if a != "-x"]
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "--collect-only"],  # (args hold -q)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # a real emulator command, and a Ctrl-C sent to one: the mutant is not in that process
    assert "::test_process_emulator_is_a_separate_process" not in listed
    assert "::test_ctrl_c_stops_the_emulator_cleanly" not in listed
    # and the contract's checks against the emulator's command: the same checks in a thread run
    assert "::test_import_backend_auth[process]" not in listed
    assert "::test_import_backend_auth[thread]" in listed
    # a test that only says "process" runs its code here: it is in the run
    assert "tests/test_leaks.py::test_a_process_on_its_way_out_is_given_time" in listed


def test_a_mutant_runs_first_against_the_tests_that_call_its_function_fastest_first():
    calls = {
        "tests/a.py::test_slow": ["xǁFleetPanelǁfiltered", "x_place"],
        "tests/a.py::test_fast[1]": ["xǁFleetPanelǁfiltered"],
        "tests/b.py::test_other": ["x_place"],
    }
    seconds = {"tests/a.py::test_slow": 3.0, "tests/a.py::test_fast[1]": 0.1}
    name = "amplify_auth_widgets.widgets.fleet.xǁFleetPanelǁfiltered__mutmut_19"
    assert mutation.callers(name, calls, seconds) == [
        "tests/a.py::test_fast[1]",
        "tests/a.py::test_slow",
    ]
    # a test whose time was not recorded comes last
    assert mutation.callers("amplify_auth_widgets.fleet.x.x_place__mutmut_1", calls, seconds) == [
        "tests/a.py::test_slow",
        "tests/b.py::test_other",
    ]
    assert mutation.callers("amplify_auth_widgets.fleet.x.x_other__mutmut_1", calls, {}) == []
    args = mutation._pytest_args("fleet.progress", ["tests/fleet/test_progress.py"])
    tests = ["tests/a.py::test_fast[1]"]
    assert mutation.narrowed(args, tests) == tests + args[1:]
    assert mutation.narrowed(args, [])[:2] == ["-m", "not separate_process"]


def test_the_calls_of_each_test_are_read_in_every_thread_and_named_as_mutmut_names_them(tmp_path):
    package = tmp_path / "src" / "fakepkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text(
        "import threading\n"
        "def x_f__mutmut_orig():\n    return 1\n"
        "def f():\n    return x_f__mutmut_orig()\n"
        "def xǁCǁm__mutmut_orig(self):\n    return 2\n"
        "class C:\n    def m(self):\n        return xǁCǁm__mutmut_orig(self)\n"
        "def in_thread():\n"
        "    thread = threading.Thread(target=f)\n    thread.start()\n    thread.join()\n"
    )
    (tmp_path / "test_fake.py").write_text(
        "from fakepkg import mod\n"
        "def test_f():\n    assert mod.f() == 1\n"
        "def test_m():\n    assert mod.C().m() == 2\n"
        "def test_in_a_thread():\n    mod.in_thread()\n"
        "def test_nothing():\n    pass\n"
    )
    out = tmp_path / "calls.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "src"), str(ROOT / "tools")]),
        "MUTATION_CALLS_FILE": "fakepkg/mod.py",
        "MUTATION_CALLS_OUT": str(out),
    }
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "test_fake.py", "-p", "mutation_calls"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=True,
    )
    found = json.loads(out.read_text())
    assert found["calls"] == {
        "test_fake.py::test_f": ["x_f"],
        "test_fake.py::test_m": ["xǁCǁm"],
        "test_fake.py::test_in_a_thread": ["x_f"],
    }
    assert set(found["seconds"]) == {
        f"test_fake.py::test_{name}" for name in ("f", "m", "in_a_thread", "nothing")
    }
