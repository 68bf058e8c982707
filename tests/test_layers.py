"""Dependencies point inward (design §2): api → projections → ledger's events,
and everything → storage; no module imports itself back.

``storage/`` (engines, table creation) imports none of the layers above it;
``ledger/`` imports neither the read side nor the entry points; ``projections/``
imports from ``ledger/`` only its events and their vocabulary (types and the
error base). Inside ``api/``, the command line is the outermost door (nothing
imports ``api.cli``), and what the doors share — ``books``, ``ops``, ``auth``
— imports neither the command line nor the web pages. The import graph of
the four packages (module-level imports: what runs when a module loads) has
no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("storage", "ledger", "projections", "api")
EVENTS_AND_VOCABULARY = {
    "ledger.organisation",
    "ledger.restructuring",
    "ledger.campaign",
    "ledger.voucher",
    "ledger.types",
    "ledger.errors",
}


def imported_modules(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` → the absolute module names it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("forbidden", ["ledger", "projections", "api"])
def test_storage_imports_no_layer_above_it(forbidden: str) -> None:
    offenders = {
        module: sorted(n for n in names if n.split(".")[0] == forbidden)
        for module, names in imported_modules("storage").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}
    assert imported_modules("storage")  # the package is there to be checked


@pytest.mark.parametrize("forbidden", ["projections", "api", "fastapi", "pydantic"])
def test_the_write_model_imports_no_outer_layer(forbidden: str) -> None:
    offenders = {
        module: sorted(n for n in names if n.split(".")[0] == forbidden)
        for module, names in imported_modules("ledger").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def test_the_read_side_imports_only_events_from_the_ledger() -> None:
    offenders = {
        module: sorted(
            name
            for name in names
            if name.split(".")[0] == "api"
            or (name.split(".")[0] == "ledger" and name not in EVENTS_AND_VOCABULARY)
        )
        for module, names in imported_modules("projections").items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}
    assert any(
        "ledger.organisation" in n for n in imported_modules("projections").values()
    )


@pytest.mark.parametrize("shared", ["api/books", "api/ops", "api/auth"])
def test_what_the_doors_share_imports_no_door(shared: str) -> None:
    offenders = {
        module: sorted(n for n in names if n.startswith(("api.cli", "api.web")))
        for module, names in imported_modules(shared).items()
    }
    assert {m: n for m, n in offenders.items() if n} == {}
    assert imported_modules(shared)


def test_nothing_but_the_command_line_imports_it() -> None:
    offenders = {
        module: sorted(n for n in names if n == "api.cli" or n.startswith("api.cli."))
        for package in PACKAGES
        for module, names in imported_modules(package).items()
        if not module.startswith("api/cli/")
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def load_time_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module loads: everywhere but inside a
    function (or lambda), whose imports wait until it is called."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))


def import_graph() -> dict[str, set[str]]:
    """Each module of the packages → the modules of the packages it imports
    when it loads (``from a.b import c`` is ``a.b.c`` when that is a module)."""
    paths = {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets: set[str] = set()
        for node in load_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif node.module and not node.level:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    targets.add(submodule if submodule in paths else node.module)
        graph[module] = {target for target in targets if target in paths}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (or a module that
    imports itself): Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1 or node in graph[node]:
                        found.append(sorted(group))
    return found


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert cycles(graph) == []
    assert graph["api.http.deps"] >= {"api.auth.gate", "api.http.service"}


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above could fail: a cycle, and one that goes round three
    modules, are found; a chain is not a cycle."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
