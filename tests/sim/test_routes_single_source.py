"""Every API path the simulator serves comes from the client's routes table, and the table is served whole.

A path written twice drifts: the simulator would go on answering a path the
client stopped sending (or the other way round) and every test against the
simulator would still pass. So the simulator's source holds no API path at
all, and what its app routes is exactly what the table lists.
"""

from __future__ import annotations

import ast
import pathlib
import re

from fastapi.routing import iter_route_contexts

import barrack_tui.sim as sim_package
from barrack_tui.api.routes import API_PREFIX, ROUTES
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo

# The shape of an API path: slash-separated lowercase words or `{parameters}`, nothing else (so prose such
# as "/hour." and file names such as "/openapi.json" are not taken for one).
API_PATH = re.compile(r"(?:/(?:[a-z][a-z0-9_-]*|\{\w+\}))+/?")
SIM_ROOT = pathlib.Path(sim_package.__file__).parent


def path_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal, or f-string's leading literal, that is shaped like an API path."""
    tree = ast.parse(source)
    # The pieces of an f-string are judged together, by its head, not each on its own.
    pieces = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in pieces:
            if API_PATH.fullmatch(node.value):
                found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str) and API_PATH.match(head.value):
                found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_the_scan_recognises_a_path_in_every_spelling() -> None:
    source = 'a = "/volumes/{id}"\nb = f"/instances/{x}/stop"\nc = "/api/v1/"\nd = "/pricing/"'
    found = [text for _, text in path_literals(source)]
    assert found == ["/volumes/{id}", "f'/instances/{x}/stop'", "/api/v1/", "/pricing/"]
    assert path_literals('a = "per GPU/hour."\nb = "/openapi.json"\nc = "/"\nd = "a/b"') == []


def test_the_simulator_source_writes_no_api_path() -> None:
    offenders = [
        f"{path.relative_to(SIM_ROOT.parent)}:{line}: {text}"
        for path in sorted(SIM_ROOT.rglob("*.py"))
        for line, text in path_literals(path.read_text())
    ]
    assert offenders == [], "take the path from barrack_tui.api.routes instead:\n" + "\n".join(offenders)


def _served() -> set[tuple[str, str]]:
    app = create_app(seed_demo(FakeClock()))
    return {
        (method, context.path)
        for context in iter_route_contexts(app.routes)
        if context.path is not None and context.path.startswith(API_PREFIX + "/")
        for method in context.methods or ()
    }


def test_the_simulator_serves_exactly_the_routes_table() -> None:
    listed = {
        (route.method, API_PREFIX + path) for route in ROUTES.values() for path in (route.path, *route.aliases)
    }
    served = _served()
    assert sorted(listed - served) == [], "in the table but not served"
    assert sorted(served - listed) == [], "served but not in the table"


def test_the_openapi_document_lists_each_operation_once_under_its_table_path() -> None:
    document = create_app(seed_demo(FakeClock())).openapi()["paths"]
    documented = {(method.upper(), path) for path, operations in document.items() for method in operations}
    assert documented == {(route.method, route.template) for route in ROUTES.values()}
