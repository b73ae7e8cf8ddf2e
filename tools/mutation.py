"""Run mutmut on one module at a time, against that module's own tests (read from the folders).

    python tools/mutation.py core.rules       # core/rules.py's mutants not yet run (all, at first)
    python tools/mutation.py rules 'amplify_auth_widgets.core.rules.x_rule_oauth*'   # some, again
    python tools/mutation.py --all            # each module in turn, then the table
    python tools/mutation.py --summary        # the table of docs/mutation.md, from the last runs
    python tools/mutation.py --forked fleet.timeline   # mutmut plants, one forked pytest a mutant

Why a module at a time: mutmut runs, for each mutant, every selected test that called the
mutated function. Run against the whole suite, a surviving mutant of a function every request
goes through (the emulator's store, the rule engine) reruns hundreds of tests, a minute or more
each; the 5,500 mutants of the nine modules then take most of a day on two cores. Against the
tests written for the module, the same survivor costs a second or a few. The score so measured
is a lower bound of the whole suite's: a test left out can only kill more.

Each module gets its own working folder, build/mutation/<module>/, holding links to src/, tests/
and docs/ and a pyproject.toml whose [tool.mutmut] names that one module and its tests; the
rest of the file is the project's own (pytest's options, the timeout). mutmut's cache lives
there, so a module's results survive until the next run of the same module, and rerunning
named mutants after adding tests costs only those mutants.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"
PACKAGE = "amplify_auth_widgets"

SRC = ROOT / "src" / PACKAGE
#: The layers whose modules are mutated.
LAYERS = ("core", "client", "jobs", "gen2", "fleet", "emulator", "app", "widgets", "cli")


def _tests_named_for(test: str, stem: str) -> bool:
    """``test_rules_x`` and ``test_rule_x`` are tests of ``rules``; ``test_history`` of
    ``history``."""
    names = {stem, stem[:-1]} if stem.endswith("s") else {stem}
    return any(test == f"test_{n}" or test.startswith(f"test_{n}_") for n in names)


def _ignored() -> set[str]:
    """The tests the project's [tool.mutmut] leaves out (browsers, toolchains, processes)."""
    text = (ROOT / "pyproject.toml").read_text()
    return set(re.findall(r'"--ignore=([^"]+)"', text))


def defines_code(source: Path) -> bool:
    """Whether ``source`` defines a function or a class (a package's ``__init__.py`` may:
    the emulator's holds ``Emulator``), not only imports and names."""
    import ast

    tree = ast.parse(source.read_text())
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in tree.body
    )


def modules() -> dict[str, tuple[str, list[str]]]:
    """Each module, ``layer.name``, with its file under src/amplify_auth_widgets and its
    tests, read from the folders: the test files of ``tests/<layer>/`` named for the module
    (``test_<name>*``), or, when none is, every test file of that folder; less those the
    project's mutmut configuration ignores."""
    ignored = _ignored()

    def kept(paths: list[Path]) -> list[Path]:
        return [
            path
            for path in paths
            if not any(path.relative_to(ROOT).as_posix().startswith(i) for i in ignored)
        ]

    # the tests that cross every layer (what we write for other programs, hostile text) are
    # every module's too; not the test of this map, which imports tools/ (no module's code,
    # and not in mutmut's copy of the project: every run's first pass would fail on it)
    across = kept(sorted((ROOT / "tests").glob("test_*.py")))
    across = [p for p in across if p.stem != "test_mutation_map"]
    found: dict[str, tuple[str, list[str]]] = {}
    for layer in LAYERS:
        folder = ROOT / "tests" / layer
        candidates = kept(sorted(folder.glob("test_*.py")))
        for source in sorted((SRC / layer).glob("*.py")):
            if source.name == "__init__.py" and not defines_code(source):
                continue  # (imports and names only: nothing to mutate)
            named = [p for p in candidates if _tests_named_for(p.stem, source.stem)]
            tests = [p.relative_to(ROOT).as_posix() for p in [*(named or candidates), *across]]
            found[f"{layer}.{source.stem}"] = (f"{layer}/{source.name}", tests)
    return found


MODULES = modules()

# Tests that start the emulator or the CLI as a separate process, or send it a signal, cost
# seconds a run, and reach a mutant only if the process they start inherits the environment
# that switches it on (and the mutants' copy of the sources on its path): they are left out,
# marked so (pyproject.toml's markers), not named, so that a test or a file whose name only
# says "process" is still run.
_DESELECT = "not separate_process"
STATUSES = ("killed", "timeout", "survived", "no tests", "suspicious", "skipped", "not checked")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def _pyproject(module: str) -> str:
    """The project's pyproject.toml with [tool.mutmut] narrowed to ``module``."""
    path, tests = MODULES[module]
    text = (ROOT / "pyproject.toml").read_text()
    # Drop the project's [tool.mutmut] table (up to the next table header or the end).
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    selection = [*tests, "-m", _DESELECT]
    return (
        text.rstrip()
        + "\n\n[tool.mutmut]\n"
        + 'source_paths = ["src"]\n'
        + f"only_mutate = {_toml_list([f'src/{PACKAGE}/{path}'])}\n"
        + f"pytest_add_cli_args_test_selection = {_toml_list(selection)}\n"
        + 'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]\n'
        + 'process_isolation = "forkserver"\n'
        + 'also_copy = ["docs/"]\n'
    )


_NOT_COPIED = shutil.ignore_patterns(".cache", "__pycache__", "node_modules")


def workdir(module: str) -> Path:
    """build/mutation/<module>/, with links to the project's sources and a narrowed config."""
    folder = WORK / module
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("src", "docs"):
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    # mutmut copies tests/ whole into each module's mutants/: a copy without the npm
    # toolchains and the test caches (1.7 GB) that the Node tests find through
    # AAW_GEN2_TOOLCHAIN, and the browser and Binder tests, left out, alone need
    tests = folder / "tests"
    if tests.is_symlink():
        tests.unlink()
    shutil.copytree(ROOT / "tests", tests, dirs_exist_ok=True, ignore=_NOT_COPIED)
    (folder / "pyproject.toml").write_text(_pyproject(module))
    return folder


def _mutmut(folder: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    # mutmut's copy of tests/ turns node_modules/.bin's links into files that no longer find
    # their modules: the Node tests use the project's own toolchain (tests/support/toolchain)
    # the checkout's toolchain, unless the caller names one (a worktree has no node_modules)
    env = {"AAW_GEN2_TOOLCHAIN": str(ROOT / "tests" / "gen2"), **os.environ}
    return subprocess.run(
        command, cwd=folder, env=env, text=True, capture_output=capture, check=False
    )


def results(module: str) -> dict[str, str]:
    """Each mutant of ``module``'s last run and its status."""
    folder = WORK / module
    if not (folder / "mutants").is_dir():
        return {}
    out = _mutmut(folder, "results", "--all", "true", capture=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith(PACKAGE):
            found[name] = status
    return found


def summary_row(module: str) -> str:
    counts = {status: 0 for status in STATUSES}
    for status in results(module).values():
        counts[status] = counts.get(status, 0) + 1
    total = sum(counts.values())
    run = total - counts["not checked"] - counts["skipped"]
    killed = counts["killed"] + counts["timeout"]
    score = f"{100 * killed / run:.1f}%" if run else "not run"
    return (
        f"| {module} | {total} | {run} | {counts['killed']} | {counts['timeout']} | "
        f"{counts['survived']} | {counts['no tests']} | {score} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="?", choices=sorted(MODULES), help="the module to mutate")
    parser.add_argument("mutants", nargs="*", help="mutant names or globs to (re)run")
    parser.add_argument("--summary", action="store_true", help="print the score table and stop")
    parser.add_argument("--all", action="store_true", help="run every module, one after another")
    parser.add_argument("--max-children", default=str(os.cpu_count() or 2))
    parser.add_argument(
        "--forked",
        action="store_true",
        help="plant with mutmut, then run each mutant in a process forked from one that has "
        "imported the tests once (see run_forked)",
    )
    parser.add_argument(
        "--tests",
        default="",
        help="with --forked: these test files (comma-separated) instead of the module's, to "
        "run a module whose layer has no test file named for it against the ones that matter",
    )
    parser.add_argument(
        "--all-tests",
        action="store_true",
        help="with --forked: run each mutant against the whole selection, not first against "
        "only the tests that call its function (see run_forked)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    # intermixed: mutant names may follow --tests (`--forked m --tests a.py,b.py 'glob*'`)
    args = parser.parse_intermixed_args(argv)
    tests = [t for t in args.tests.split(",") if t]
    if args.worker:
        return _worker(args.module, args.mutants, tests, narrow=not args.all_tests)
    if args.forked and args.module:
        return run_forked(args.module, args.mutants, tests, narrow=not args.all_tests)
    if args.all:
        for module in MODULES:
            if code := run(module, [], args.max_children):
                return code
    if args.summary or args.all or args.module is None:
        print("| module | mutants | run | killed | timeout | survived | no tests | score |")
        print("|---|---|---|---|---|---|---|---|")
        for module in MODULES:
            print(summary_row(module))
        return 0
    return run(args.module, args.mutants, args.max_children)


def run(module: str, mutants: list[str], max_children: str) -> int:
    """mutmut on ``module``: the named mutants again, or else those without a result yet."""
    folder = workdir(module)
    stamp, digest = folder / "sources.sha256", _sources_digest()
    if not stamp.exists() or stamp.read_text() != digest:
        # mutmut maps each test to the functions it calls once, when it first collects its
        # stats: a test added since would reach no mutant, and a function added since would
        # have no tests. Changed code or tests: collect the stats again (results are kept).
        (folder / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    if (folder / "mutants" / "tests").is_dir():
        # mutmut copies the tests when it first plants the mutants and not again: a test
        # added or changed since must reach the copy, or a rerun judges by the old tests.
        shutil.copytree(
            ROOT / "tests",
            folder / "mutants" / "tests",
            dirs_exist_ok=True,
            ignore=_NOT_COPIED,
        )
    # Named mutants are rerun whatever their last result; with no names mutmut runs the
    # module's mutants (only_mutate) that have no result yet, so a stopped run resumes.
    code = _mutmut(folder, "run", "--max-children", max_children, *mutants).returncode
    if code == 0:
        stamp.write_text(digest)
    print(summary_row(module))
    return code


# --forked: mutmut only plants the mutants; one worker process imports pytest, the package and
# the module's tests once (with no mutant switched on), then forks a child for each mutant that
# switches it on and runs the tests (-x). mutmut's own runner pays for its stats run and a
# process start a mutant, which on two loaded cores was 10 s to minutes a mutant; a fork costs
# milliseconds, and each child starts from the same clean state. Two blind spots, both of the
# shared import: code run at import (tables built by calling the module's functions) is built
# before any mutant is on, and so is what a test module computes at import. Every mutant that
# survives in a child is therefore run again in a fresh pytest process, and that verdict is the
# one recorded, in mutmut's own files (`mutmut results` and --summary read it).
#
# Each mutant first runs against only the tests that call its function, fastest first: one run
# of the selection with no mutant on (which must pass, as before) records, through the plugin
# tools/mutation_calls.py, which of the module's functions each test calls and how long each
# takes. Against the whole selection, a kill by a test late in it waited for every test before;
# on two loaded cores that was 50 to 300 s a mutant, against 0.3 to 25 s so. A test that calls
# no function of a mutant cannot fail on it, so the kills are the same, provided the tests so
# chosen pass alone, in their new order, with no mutant: each such list is run once so (in a
# fork), and one that fails is not used (the whole selection is). Every mutant that survives
# there, or ends otherwise than failed or timed out, or that no test calls, is run again
# against the whole selection in a fresh process, whose verdict is the one recorded, so the
# survivors are the same too. --all-tests runs every mutant against the whole selection.
TIMEOUT_SECONDS = 60  # pytest-timeout's limit for one test under a mutant; past it, killed
_STUCK_SECONDS = 600  # a child past this is killed and its mutant counted a timeout
_TIMEOUT_EXIT = 36  # mutmut's exit code for "timeout"
_SLOW_KILL_SECONDS = 30  # a kill slower than this is run again in a fresh process
_KILLED = (1, _TIMEOUT_EXIT)  # pytest's "tests failed", and the timeout: the kills


def _pytest_args(module: str, tests: list[str]) -> list[str]:
    return [
        *(tests or MODULES[module][1]),
        "-m",
        _DESELECT,
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        # each session's end forces two full garbage collections for these: seconds a mutant
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        f"--timeout={TIMEOUT_SECONDS}",
        "--assert=plain",
        "--tb=no",
    ]


def _meta_path(folder: Path, module: str) -> Path:
    path, _ = MODULES[module]
    return folder / "mutants" / "src" / PACKAGE / f"{path}.meta"


def select(exit_codes: dict[str, int | None], patterns: list[str]) -> list[str]:
    """The mutants to run: those matching a pattern (a name or a glob), whatever their last
    result; with no pattern, those with no result yet."""
    if patterns:
        return [n for n in exit_codes if any(fnmatch.fnmatchcase(n, p) for p in patterns)]
    return [name for name, code in exit_codes.items() if code is None]


def _plant(folder: Path) -> None:
    """mutmut's first step alone: copy the sources and tests, plant the mutants and write
    each file's meta (every mutant "not checked")."""
    script = (
        "import os\n"
        "import mutmut.__main__ as m\n"
        "m.set_mutant_under_test('mutant_generation')\n"
        "os.makedirs('mutants', exist_ok=True)\n"
        "m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths()\n"
        "m.store_lines_covered_by_tests(); m.create_mutants(1)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=folder, check=True)


def run_forked(module: str, patterns: list[str], tests: list[str], narrow: bool = True) -> int:
    """Plant ``module``'s mutants if need be, then run the selected ones in a worker."""
    folder = workdir(module)
    meta = _meta_path(folder, module)
    if not meta.exists():
        shutil.rmtree(folder / "mutants", ignore_errors=True)
        _plant(folder)
    else:  # tests added or changed since the mutants were planted must reach the copy
        shutil.copytree(
            ROOT / "tests",
            folder / "mutants" / "tests",
            dirs_exist_ok=True,
            ignore=_NOT_COPIED,
        )
    env = {
        "AAW_GEN2_TOOLCHAIN": str(ROOT / "tests" / "gen2"),
        **os.environ,
        "PYTHONPATH": "src",
        "MUTANT_UNDER_TEST": "",
    }
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", module, *patterns]
    command += ["--tests", ",".join(tests)] + ([] if narrow else ["--all-tests"])
    code = subprocess.run(command, cwd=folder / "mutants", env=env, check=False).returncode
    print(summary_row(module))
    return code


def _run_child(name: str, args: list[str]) -> tuple[int, float]:
    """Fork; the child switches ``name`` on and runs the tests. Its exit code and seconds."""
    import pytest

    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: its output goes nowhere, its exit code is pytest's
        try:
            os.environ["MUTANT_UNDER_TEST"] = name
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            code = int(pytest.main(args))
        except BaseException:  # a crash under a mutant is a kill
            code = 1
        os._exit(code)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return (code if code >= 0 else _TIMEOUT_EXIT), time.monotonic() - started
        if time.monotonic() - started > _STUCK_SECONDS:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return _TIMEOUT_EXIT, time.monotonic() - started
        time.sleep(0.02)


def _timed_fresh(name: str, args: list[str]) -> tuple[int, float]:
    started = time.monotonic()
    code = _fresh(name, args)
    return code, time.monotonic() - started


def _fresh(name: str, args: list[str]) -> int:
    """``name`` run in a fresh pytest process: the verdict that counts for a survivor."""
    env = {**os.environ, "MUTANT_UNDER_TEST": name}
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    ).returncode


def _record(meta_path: Path, name: str, code: int, seconds: float) -> None:
    """Write ``name``'s verdict into the module's meta file, read afresh under a lock: two
    runs of one module (different mutants) at once must not write over each other's."""
    import fcntl

    with open(meta_path.with_name(meta_path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        meta = json.loads(meta_path.read_text())
        meta["exit_code_by_key"][name] = code
        meta["durations_by_key"][name] = seconds
        temporary = meta_path.with_name(meta_path.name + ".new")
        temporary.write_text(json.dumps(meta, indent=4))
        temporary.replace(meta_path)


def _calls(module: str, args: list[str]) -> tuple[int, dict[str, list[str]], dict[str, float]]:
    """One run of ``args`` with no mutant on, through tools/mutation_calls.py: its exit code,
    the functions of ``module`` each test called, and each test's seconds."""
    out = Path(f".mutation-calls-{os.getpid()}.json")
    env = {
        **os.environ,
        "MUTANT_UNDER_TEST": "",
        "MUTATION_CALLS_FILE": f"{PACKAGE}/{MODULES[module][0]}",
        "MUTATION_CALLS_OUT": str(out),
        "PYTHONPATH": os.pathsep.join(["src", str(ROOT / "tools")]),
    }
    code = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "mutation_calls"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    ).returncode
    found = json.loads(out.read_text()) if out.exists() else {"calls": {}, "seconds": {}}
    out.unlink(missing_ok=True)
    return code, found["calls"], found["seconds"]


def callers(name: str, calls: dict[str, list[str]], seconds: dict[str, float]) -> list[str]:
    """The tests that call the function of mutant ``name``, fastest first (by node id)."""
    function = name.rsplit(".", 1)[-1].rsplit("__mutmut_", 1)[0]
    found = [test for test, functions in calls.items() if function in functions]
    return sorted(found, key=lambda test: (seconds.get(test, math.inf), test))


def narrowed(args: list[str], tests: list[str]) -> list[str]:
    """``args`` (the selection's files, then its options) with ``tests`` for the files."""
    options = next(i for i, arg in enumerate(args) if arg.startswith("-"))
    return [*tests, *args[options:]]


def _worker(module: str, patterns: list[str], tests: list[str], narrow: bool = True) -> int:
    """In ``mutants/``: import the tests once, then fork a child for each selected mutant."""
    import pytest

    sys.path[:0] = ["src", "."]
    meta_path = Path("src") / PACKAGE / f"{MODULES[module][0]}.meta"
    meta = json.loads(meta_path.read_text())
    names = select(meta["exit_code_by_key"], patterns)
    args = _pytest_args(module, tests)
    # with no mutant on, the tests must pass, or every mutant would count killed
    if narrow:
        clean, calls, seconds = _calls(module, args)
    else:
        clean, calls, seconds = _fresh("", args), {}, {}
    if clean != 0:
        print(f"the tests of {module} fail with no mutant (exit {clean}): nothing run")
        return 1
    with open(os.devnull, "w") as devnull:  # import the tests and the package once
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = devnull
        try:
            pytest.main([*args, "--collect-only"])
        finally:
            sys.stdout, sys.stderr = stdout, stderr
    print(f"{module}: {len(names)} mutants", flush=True)
    passes: dict[tuple[str, ...], bool] = {}  # each narrowed selection, run once with no mutant

    def passing(tests: list[str]) -> bool:
        """Whether ``tests`` alone, in this order, pass with no mutant (a test may need
        another's state): if not, their failures would say nothing of a mutant."""
        if tuple(tests) not in passes:
            # even a list that holds most of the selection is worth its one run: in its
            # order, fastest first, a mutant's first failing test comes early (the emulator's
            # __init__, whose Emulator every test starts: kills in seconds, not minutes)
            passes[tuple(tests)] = _run_child("", narrowed(args, tests))[0] == 0
            if not passes[tuple(tests)]:
                print(f"these fail alone with no mutant, so not run alone: {tests}", flush=True)
        return passes[tuple(tests)]

    for number, name in enumerate(names, 1):
        chosen = callers(name, calls, seconds) if narrow else None
        if chosen == []:  # no test calls its function: the whole selection says
            code, taken = _timed_fresh(name, args)
        else:
            first = narrowed(args, chosen) if chosen and passing(chosen) else args
            code, taken = _run_child(name, first)
            if code in _KILLED and taken > _SLOW_KILL_SECONDS:
                # confirm a slow kill outside the shared import: under load a test can time
                # out, which would count a mutant killed that no test fails on
                code = _fresh(name, first)
            if code not in _KILLED:
                # a survivor (or an exit that is no verdict: an error, an interruption, no
                # test): the whole selection, in a fresh process, gives the verdict recorded
                code, taken = _timed_fresh(name, args)
        _record(meta_path, name, code, taken)
        verdict = {0: "SURVIVED", 1: "killed", 5: "no tests", _TIMEOUT_EXIT: "timeout"}
        print(f"{number}/{len(names)} {verdict.get(code, code)} {name} {taken:.1f}s", flush=True)
    return 0


def _sources_digest() -> str:
    """A digest of the package's and the tests' Python files (not the tests' caches), to tell
    whether they changed since the last run."""
    digest = hashlib.sha256()
    for top in ("src", "tests"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if ".cache" in path.parts:
                continue
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


if __name__ == "__main__":
    sys.exit(main())
