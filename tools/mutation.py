"""Run mutmut on one module at a time, against that module's own tests (read from the folders).

    python tools/mutation.py core.rules       # core/rules.py's mutants not yet run (all, at first)
    python tools/mutation.py rules 'amplify_auth_widgets.core.rules.x_rule_oauth*'   # some, again
    python tools/mutation.py --all            # each module in turn, then the table
    python tools/mutation.py --summary        # the table of docs/mutation.md, from the last runs

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
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
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
            if source.name == "__init__.py":
                continue
            named = [p for p in candidates if _tests_named_for(p.stem, source.stem)]
            tests = [p.relative_to(ROOT).as_posix() for p in [*(named or candidates), *across]]
            found[f"{layer}.{source.stem}"] = (f"{layer}/{source.name}", tests)
    return found


MODULES = modules()

# Tests that start the emulator or the CLI as a separate process run the installed code, not
# the mutant; their names say "process".
_DESELECT = "not process and not ctrl_c"
STATUSES = ("killed", "timeout", "survived", "no tests", "suspicious", "skipped", "not checked")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def _pyproject(module: str) -> str:
    """The project's pyproject.toml with [tool.mutmut] narrowed to ``module``."""
    path, tests = MODULES[module]
    text = (ROOT / "pyproject.toml").read_text()
    # Drop the project's [tool.mutmut] table (up to the next table header or the end).
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    selection = [*tests, "-k", _DESELECT]
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


def workdir(module: str) -> Path:
    """build/mutation/<module>/, with links to the project's sources and a narrowed config."""
    folder = WORK / module
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("src", "tests", "docs"):
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
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
    args = parser.parse_args(argv)
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
            ignore=shutil.ignore_patterns(".cache", "__pycache__"),
        )
    # Named mutants are rerun whatever their last result; with no names mutmut runs the
    # module's mutants (only_mutate) that have no result yet, so a stopped run resumes.
    code = _mutmut(folder, "run", "--max-children", max_children, *mutants).returncode
    if code == 0:
        stamp.write_text(digest)
    print(summary_row(module))
    return code


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
