"""The library's import structure, read from the source with ``ast`` (nothing imported).

Why: issue 13 regrouped the library by stage so that each stage depends only on the
stages before it; these tests keep it that way. Imports inside functions (lazy ones)
count too: they hide a cycle from the interpreter, not from the reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "heping_data": ROOT / "src" / "heping_data",
    "heping_flows": ROOT / "flows" / "heping_flows",
}
#: Stages in pipeline order; a module imports only its own stage and earlier ones.
#: ``records``, ``errors`` and ``files`` (atomic writes) are shared by every stage and import none.
STAGES = ("text", "sources", "extract", "tables", "validate", "release", "run")
BASE = ("records", "errors", "files")
#: Import cycles present when the stages were first laid out (each one a strongly connected
#: set of modules). Allowed exceptions only: issue 13's lanes remove them, and the lead
#: empties this after merging; a listed cycle that no longer exists fails as stale.
KNOWN_CYCLES: tuple[frozenset[str], ...] = ()
#: Imports of a later stage present at the same time (module, imported module). Same rule.
KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset(
    {
        ("heping_data.extract.entities.base", "heping_data.tables.schema"),
        ("heping_data.extract.indicators", "heping_data.tables.frames"),
        ("heping_data.extract.indicators", "heping_data.tables.schema"),
        ("heping_data.sources.ingest", "heping_data.extract.docmeta"),
        ("heping_data.validate.checks", "heping_data.release.model"),
    }
)
FORBIDDEN_IN_LIBRARY = ("prefect", "heping_flows", "flows")
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of both packages."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = (package, *path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:``: such imports never run, so they make
    no cycle at run time (they only name types for the checker)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def _imported_names(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every dotted name ``name`` imports at run time (``from a import b`` gives ``a.b``)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def _targets(name: str) -> set[str]:
    """The modules of the two packages that ``name`` imports.

    The longest prefix that is a module: ``a.b`` when ``b`` is a submodule of ``a``,
    else ``a`` (a name defined in the package's ``__init__``).
    """
    found = set()
    for imported, _ in _imported_names(name, MODULES[name]):
        parts = imported.split(".")
        while parts and ".".join(parts) not in MODULES:
            parts.pop()
        if parts and ".".join(parts) != name:
            found.add(".".join(parts))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected sets of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    part = set()
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        part.add(top)
                        if top == node:
                            break
                    if len(part) > 1:
                        found.append(frozenset(part))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _path_in(graph: dict[str, set[str]], part: frozenset[str]) -> list[str]:
    """One import loop inside a strongly connected set, to name in a failure."""
    start = min(part)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & part):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return sorted(part)


def _stage(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "heping_data" or len(parts) < 2:
        return None
    return parts[1]


def _rank(stage: str | None) -> int | None:
    if stage in BASE:
        return -1
    return STAGES.index(stage) if stage in STAGES else None


GRAPH = {name: _targets(name) for name in MODULES}


def test_every_module_is_in_a_stage() -> None:
    """A new top-level module must say where it sits in the pipeline order."""
    library = [n for n in MODULES if n.startswith("heping_data.")]
    assert library
    assert [n for n in library if _rank(_stage(n)) is None] == []


def test_no_import_cycle() -> None:
    """No module reaches itself through imports, but for the listed known cycles."""
    found = _cycles(GRAPH)
    new = [f for f in found if not any(f <= known for known in KNOWN_CYCLES)]
    assert new == [], "import cycles: " + "; ".join(" -> ".join(_path_in(GRAPH, f)) for f in new)
    stale = [sorted(k) for k in KNOWN_CYCLES if not any(f <= k for f in found)]
    assert stale == [], f"cycles gone: remove them from KNOWN_CYCLES: {stale}"


def test_cycle_finder_reports_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset("abc")]
    assert _path_in(graph, frozenset("abc")) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("package", ["heping_data"])
def test_library_imports_no_flow_code(package: str) -> None:
    """The pure library runs without Prefect; the flows wrap it, never the other way."""
    bad = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {imported}"
        for name in MODULES
        if name.split(".")[0] == package
        for imported, line in _imported_names(name, MODULES[name])
        if imported.split(".")[0] in FORBIDDEN_IN_LIBRARY
    ]
    assert bad == []


def test_stages_import_only_earlier_stages() -> None:
    """text < sources < extract < tables < validate < release < run (records, errors: all)."""
    upward = {
        (name, target)
        for name, targets in GRAPH.items()
        if _rank(_stage(name)) is not None
        for target in targets
        if _rank(_stage(target)) is not None and _rank(_stage(target)) > _rank(_stage(name))
    }
    assert sorted(upward - KNOWN_UPWARD) == []
    assert sorted(KNOWN_UPWARD - upward) == [], "gone: remove them from KNOWN_UPWARD"


def test_text_imports_no_other_stage() -> None:
    """The character-level helpers stand alone: every stage may use them."""
    bad = {
        (name, target)
        for name, targets in GRAPH.items()
        if _stage(name) == "text"
        for target in targets
        if _stage(target) != "text"
    }
    assert sorted(bad) == []


def _long_functions() -> list[str]:
    found = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} {length}")
    return found


def test_no_function_over_80_lines() -> None:
    """Long functions hide their decisions; split them along those (def line to last line)."""
    assert _long_functions() == []
