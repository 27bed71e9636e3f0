"""The simulator's modules import each other in layers: no module reaches, through any chain of imports, itself.

A circle (the engine importing the operations that import the engine) only
works while every import in it sits inside a function or happens in a lucky
order; the next module-level import makes it fail at start-up. Imports inside
functions count as much as those at the top; only `if TYPE_CHECKING:`
imports, which never run, are left out.
"""

from __future__ import annotations

import barrack_tui.sim as sim_package
from tests.import_graph import ROOT, circles, import_graph

PACKAGE = sim_package.__name__


def sim_graph() -> dict[str, set[str]]:
    return import_graph(ROOT / "sim")


def test_the_check_sees_a_circle_through_a_function_level_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_is_read_from_the_source() -> None:
    graph = sim_graph()
    # engine imports the operations at module level; the operations import the engine's book, not the engine.
    assert f"{PACKAGE}.instances_ops" in graph[f"{PACKAGE}.engine"]
    assert f"{PACKAGE}.engine_book" in graph[f"{PACKAGE}.instances_ops"]


def test_no_simulator_module_imports_itself_round_a_circle() -> None:
    assert [" -> ".join(circle) for circle in circles(sim_graph())] == []
