"""The package's layers, read from its code: every import (at the top, inside functions, under
``TYPE_CHECKING``) goes to the importing module's own layer or one it may use, no import cycle
exists, and no private name (``_x``) is imported from another module. docs/architecture.md
says the same in words; this test is what keeps it true."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "amplify_auth_widgets"
SRC = Path(__file__).resolve().parents[1] / "src" / PACKAGE
TESTS = Path(__file__).resolve().parent

#: What each layer may import besides itself (docs/architecture.md, "Layers").
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "client": {"core"},
    "jobs": {"core", "client"},
    "gen2": {"core"},
    "fleet": {"core", "client", "jobs", "gen2"},
    "emulator": {"core", "client"},
    "app": {"core"},
    "widgets": {"core", "client", "jobs", "gen2", "fleet", "emulator"},
    "cli": {"core", "client", "jobs", "gen2", "fleet", "emulator", "app"},
}
#: Inside the core, the service model stands alone and findings sit below rules and validation.
CORE_ORDER = {"model": set(), "findings": {"model", "secrets"}}


def module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports(path: Path, known: dict[str, Path]) -> Iterator[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for each import of the package's own
    modules in ``path``, wherever it sits. ``from . import x`` of a submodule imports ``x``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE):
                    yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and node.module.startswith(PACKAGE):
                target = node.module
            else:
                continue
            names = [a.name for a in node.names]
            submodules = [n for n in names if f"{target}.{n}" in known]
            for sub in submodules:
                yield f"{target}.{sub}", [], node.lineno
            rest = [n for n in names if n not in submodules]
            if rest or not submodules:
                yield target, rest, node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        for target, _, _ in imports(path, known):
            # importing a.b.c runs a.b's __init__ too (the package root's is lazy: left out),
            # but a package a module sits in is already running
            parts = target.split(".")
            for i in range(2, len(parts) + 1):
                found = ".".join(parts[:i])
                implicit = i < len(parts)
                if implicit and module.startswith(f"{found}."):
                    continue
                if found in known and found != module:
                    edges[module].add(found)
    return edges


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else None


def test_the_folders_are_the_layers():
    top = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert top == set(MAY_IMPORT) | {"widgets"}
    loose = {p.name for p in SRC.glob("*.py")}
    assert loose == {"__init__.py"}, "every module lives in the folder of its layer"


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for module, targets in graph().items():
        mine = layer(module)
        if mine is None:
            continue  # the package root: lazy re-exports of the public names
        for target in targets:
            theirs = layer(target)
            if theirs is not None and theirs != mine and theirs not in MAY_IMPORT[mine]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_the_core_s_own_order():
    edges = graph()
    for name, allowed in CORE_ORDER.items():
        inside = {t.rsplit(".", 1)[1] for t in edges[f"{PACKAGE}.core.{name}"]}
        assert inside <= allowed, f"core.{name} imports {sorted(inside - allowed)}"
    rules = {t.rsplit(".", 1)[1] for t in edges[f"{PACKAGE}.core.rules"]}
    assert "validation" not in rules


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize(
    "edges, cycle",
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"a"}}, ["a", "a"]),
    ],
)
def test_the_cycle_finder_finds_cycles(edges, cycle):
    assert find_cycle(edges) == cycle


def test_no_private_name_is_imported_from_another_module():
    known = modules()
    private = [
        f"{module}:{line} imports {name} from {target}"
        for module, path in known.items()
        for target, names, line in imports(path, known)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


def suite_modules() -> list[Path]:
    """Every test module (``tests/**/test_*.py``): not the npm toolchains' node_modules, nor
    the hidden caches (``tests/data/.cache`` holds a whole virtualenv while Binder's test runs,
    its site-packages' own tests included)."""
    found = []
    for folder, subfolders, files in os.walk(TESTS):
        subfolders[:] = sorted(
            s for s in subfolders if s != "node_modules" and not s.startswith((".", "__"))
        )
        found += [
            Path(folder) / f for f in sorted(files) if f.startswith("test_") and f.endswith(".py")
        ]
    return found


def imported_modules(path: Path) -> Iterator[tuple[str, int]]:
    """(module imported, line) for each import in ``path``, wherever it sits."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                yield node.module, node.lineno
            else:  # from . import x
                for alias in node.names:
                    yield alias.name, node.lineno


def test_no_test_module_imports_another():
    """What tests share lives in one place, tests/support, not in a test module, where it would
    be changed or removed with that module's tests, unseen by the modules importing it."""
    suite = suite_modules()
    names = {path.stem for path in suite}
    wrong = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {module}"
        for path in suite
        for module, line in imported_modules(path)
        if module.split(".")[0] in names
    ]
    assert wrong == [], (
        "move what these take from another test module to a module of tests/support, and "
        "import it from there in both:\n" + "\n".join(wrong)
    )
