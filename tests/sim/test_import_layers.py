"""The simulator's modules import each other in layers: no module reaches, through any chain of imports, itself.

A circle (the engine importing the operations that import the engine) only
works while every import in it sits inside a function or happens in a lucky
order; the next module-level import makes it fail at start-up. Imports inside
functions count as much as those at the top; only `if TYPE_CHECKING:`
imports, which never run, are left out.
"""

from __future__ import annotations

import ast
import pathlib

import barrack_tui.sim as sim_package

SIM_ROOT = pathlib.Path(sim_package.__file__).parent
PACKAGE = "barrack_tui.sim"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(SIM_ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(path: pathlib.Path, name: str, modules: set[str]) -> set[str]:
    """The simulator modules `path` imports anywhere in its body, except under `if TYPE_CHECKING:`."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for branch in child.orelse:
                    visit_node(branch)
            else:
                visit_node(child)

    def visit_node(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            # `from barrack_tui.sim import engine` imports the module engine, not a name of the package.
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names)
        else:
            visit(node)

    visit(ast.parse(path.read_text()))
    return {module for module in found if module in modules and module != name}


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in SIM_ROOT.rglob("*.py")}
    modules = set(paths)
    return {name: _imported(path, name, modules) for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every module that can reach itself, with the shortest way back (depth-first from each module)."""
    found: list[list[str]] = []
    for start in sorted(graph):
        paths = [[start]]
        seen = {start}
        while paths:
            path = paths.pop(0)
            for nxt in sorted(graph[path[-1]]):
                if nxt == start:
                    found.append([*path, start])
                    paths = []
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    paths.append([*path, nxt])
    return found


def test_the_check_sees_a_circle_through_a_function_level_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    # engine imports the operations at module level; the operations import the engine's book, not the engine.
    assert f"{PACKAGE}.instances_ops" in graph[f"{PACKAGE}.engine"]
    assert f"{PACKAGE}.engine_book" in graph[f"{PACKAGE}.instances_ops"]


def test_no_simulator_module_imports_itself_round_a_circle() -> None:
    assert [" -> ".join(circle) for circle in circles(import_graph())] == []
