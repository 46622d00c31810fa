"""The package's import graph: stages in order, no cycles, no private names across modules.

The rules (README, "Project layout"; issue 11):

* data flows one way: errors/settings -> inputs -> segment -> encode ->
  score/facts -> report -> checker -> batch/app -> cli -> the package root.
  A module imports only from its own stage or an earlier one;
* there is no import cycle anywhere in the package, counting imports inside
  functions (a lazy import is still a dependency);
* no ``_private`` name is imported from another module;
* no module or subpackage shadows a standard-library module.

The graph is built from the source with :mod:`ast`, so it sees every import,
including those behind ``TYPE_CHECKING`` and inside functions.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "coverage"

STAGES: dict[str, int] = {
    "errors": 0,
    "version": 0,
    "settings": 0,
    "inputs": 1,
    "segment": 2,
    "encode": 3,
    "score": 4,
    "facts": 4,
    "judge": 4,
    "report": 5,
    "checker": 6,
    "batch": 7,
    "service": 7,
    "app": 7,
    "cli": 8,
    "__init__": 9,
    "__main__": 9,
}
"""Rank of each top-level room (subpackage or module); imports may only go to an equal or lower rank."""


def module_name(path: Path) -> str:
    """Dotted name of a package file relative to the package root ("" for the root ``__init__``)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def resolve(current: str, path: Path, node: ast.ImportFrom) -> str:
    """The dotted target of a relative ``from`` import, relative to the package root."""
    if node.level == 0:
        return ""  # absolute import: outside the package (checked separately)
    base = current.split(".") if current else []
    if not is_package(path):
        base = base[:-1]
    up = node.level - 1
    if up > len(base):
        raise AssertionError(f"{path}: relative import goes above the package")
    base = base[: len(base) - up] if up else base
    return ".".join([*base, *(node.module.split(".") if node.module else [])])


def edges() -> list[tuple[str, str, ast.ImportFrom, Path]]:
    """Every intra-package import as ``(importer, imported module, node, file)``."""
    known = modules()
    found = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                target = resolve(name, path, node)
                if target in known:
                    # ``from .pkg import module`` imports a submodule, not a name.
                    subs = [f"{target}.{a.name}" if target else a.name for a in node.names]
                    if all(s in known for s in subs):
                        found.extend((name, s, node, path) for s in subs)
                        continue
                    found.append((name, target, node, path))
                else:
                    raise AssertionError(f"{path}:{node.lineno}: import of unknown module .{target}")
    return found


def stage(name: str) -> int:
    room = name.split(".", 1)[0] if name else "__init__"
    if room not in STAGES:
        raise AssertionError(f"module {name!r} lies in no known stage; add its room to STAGES")
    return STAGES[room]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules, or ``None``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for importer, imported, _, _ in edges():
        if imported != importer:
            graph[importer].add(imported)
    return graph


def test_the_package_has_rooms():
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"inputs", "segment", "encode", "score", "facts", "report", "batch", "app"} <= rooms


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(m or "summary_coverage" for m in cycle)


def test_imports_flow_one_way():
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {importer or '__init__'} (stage "
        f"{stage(importer)}) imports {imported} (stage {stage(imported)})"
        for importer, imported, node, path in edges()
        if stage(imported) > stage(importer)
    ]
    assert not wrong, "imports from a later stage:\n" + "\n".join(wrong)


def test_no_private_name_crosses_a_module():
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: imports {alias.name} from {imported}"
        for importer, imported, node, path in edges()
        if imported != importer
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert not wrong, "private names imported across modules:\n" + "\n".join(wrong)


def test_no_absolute_import_of_the_package_inside_it():
    wrong = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            wrong += [
                f"{path}:{node.lineno}: {n}"
                for n in names
                if n.split(".")[0] in {"coverage", "summary_coverage"}
            ]
    assert not wrong, "use relative imports inside the package:\n" + "\n".join(wrong)


def test_no_module_shadows_the_standard_library():
    stdlib = set(sys.stdlib_module_names)
    clashes = sorted(
        str(p.relative_to(PACKAGE.parent))
        for p in PACKAGE.rglob("*")
        if (p.suffix == ".py" and p.stem in stdlib) or (p.is_dir() and p.name in stdlib)
    )
    assert not clashes, f"these names shadow the standard library: {clashes}"


# The checks themselves must be able to fail.


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize(
    ("current", "is_init", "level", "module", "expected"),
    [
        ("segment.lines", False, 1, "pieces", "segment.pieces"),
        ("segment.lines", False, 2, "errors", "errors"),
        ("segment", True, 1, "lines", "segment.lines"),
        ("checker", False, 1, "report.results", "report.results"),
        ("", True, 1, "batch", "batch"),
    ],
)
def test_relative_imports_resolve(current, is_init, level, module, expected):
    node = ast.ImportFrom(module=module, names=[ast.alias(name="x")], level=level)
    path = PACKAGE / ("x/__init__.py" if is_init else "x/y.py")
    assert resolve(current, path, node) == expected
