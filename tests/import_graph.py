"""The package's import graph as written: every import anywhere in a module, except under `if TYPE_CHECKING:`.

Imports inside functions count as much as those at the top (they run, only
later); `if TYPE_CHECKING:` imports never run, so annotations may name any
module. Used by the layout tests to check which folder may import which, and
that no module reaches itself through a chain of imports.
"""

from __future__ import annotations

import ast
import pathlib

import barrack_tui

ROOT = pathlib.Path(barrack_tui.__file__).parent


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: pathlib.Path, modules: set[str]) -> set[str]:
    """The package modules `path` imports (a `from package import module` names the module)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for branch in child.orelse:
                    visit(branch)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join([*package[: len(package) - child.level + 1], *([base] if base else [])])
                found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in child.names)
            else:
                visit(child)

    visit(ast.parse(path.read_text()))
    return {module for module in found if module in modules and module != name}


def import_graph(root: pathlib.Path = ROOT) -> dict[str, set[str]]:
    paths = {module_name(path): path for path in root.rglob("*.py")}
    modules = {module_name(path) for path in ROOT.rglob("*.py")}
    return {name: imports_of(path, modules) for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every module that can reach itself, with the shortest way back (breadth-first from each module)."""
    found: list[list[str]] = []
    for start in sorted(graph):
        paths, seen = [[start]], {start}
        while paths:
            path = paths.pop(0)
            for nxt in sorted(graph.get(path[-1], ())):
                if nxt == start:
                    found.append([*path, start])
                    paths = []
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    paths.append([*path, nxt])
    return found
