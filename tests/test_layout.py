"""The package's folders import each other one way only, and no module reaches itself through its imports.

A newcomer can trust the layout: `api`, `rules`, `account` and `chat` know
nothing of the UI or the simulator; the simulator knows nothing of the UI; in
the UI, `kit` knows neither the shell nor an area, and no area imports another
(cross-area jumps are the app's, by name). Imports inside functions count;
`if TYPE_CHECKING:` imports, which never run, do not.
"""

from __future__ import annotations

import pytest

from tests.import_graph import ROOT, circles, import_graph

GRAPH = import_graph()

# folder -> folders it must never import (a prefix of the module name)
FORBIDDEN = {
    "barrack_tui.api": ("barrack_tui.rules", "barrack_tui.sim", "barrack_tui.tui", "barrack_tui.account",
                        "barrack_tui.chat", "barrack_tui.cli"),
    "barrack_tui.rules": ("barrack_tui.sim", "barrack_tui.tui", "barrack_tui.account", "barrack_tui.chat",
                          "barrack_tui.cli"),
    # Spend logic (burn, runway, alerts, watches) is pure like the rules: no UI, no simulator, no files.
    "barrack_tui.spend": ("barrack_tui.sim", "barrack_tui.tui", "barrack_tui.account", "barrack_tui.chat",
                          "barrack_tui.cli"),
    "barrack_tui.account": ("barrack_tui.sim", "barrack_tui.tui", "barrack_tui.chat", "barrack_tui.cli"),
    "barrack_tui.chat": ("barrack_tui.sim", "barrack_tui.tui", "barrack_tui.cli"),
    # The simulator writes its state file with the one atomic_write (account/files.py), and nothing else of account.
    "barrack_tui.sim": ("barrack_tui.tui", "barrack_tui.cli", *(f"barrack_tui.account.{m}" for m in
                        ("auth", "config", "config_schema", "keyfile", "paths", "settings", "ssh_config"))),
    "barrack_tui.tui.kit": ("barrack_tui.tui.shell", "barrack_tui.tui.areas", "barrack_tui.sim"),
    "barrack_tui.tui.shell": ("barrack_tui.tui.areas", "barrack_tui.sim"),
    "barrack_tui.tui.areas": ("barrack_tui.sim", "barrack_tui.api.client"),
}
AREAS = sorted({name.split(".")[3] for name in GRAPH if name.startswith("barrack_tui.tui.areas.") and
                len(name.split(".")) > 4})


def crossings(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, imported in sorted(graph.items()):
        for folder, banned in FORBIDDEN.items():
            if module == folder or module.startswith(folder + "."):
                found += [f"{module} -> {target}" for target in sorted(imported)
                          if any(target == b or target.startswith(b + ".") for b in banned)]
        parts = module.split(".")
        if module.startswith("barrack_tui.tui.areas.") and len(parts) > 4:
            found += [f"{module} -> {target}" for target in sorted(imported)
                      if target.startswith("barrack_tui.tui.areas.") and target.split(".")[3] != parts[3]]
    return found


def test_no_folder_imports_one_it_must_not():
    assert crossings(GRAPH) == []


def test_no_module_reaches_itself_through_its_imports():
    assert circles(GRAPH) == []


def test_every_area_is_a_folder_of_its_own():
    assert AREAS == sorted(["activity", "chat", "firewalls", "instances", "keys", "regions", "snapshots", "spend", "volumes"])


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"barrack_tui.tui.kit.badge": {"barrack_tui.tui.shell.app"}}, ["barrack_tui.tui.kit.badge -> barrack_tui.tui.shell.app"]),
        ({"barrack_tui.tui.areas.regions.screen": {"barrack_tui.tui.areas.instances.deploy.wizard"}},
         ["barrack_tui.tui.areas.regions.screen -> barrack_tui.tui.areas.instances.deploy.wizard"]),
        ({"barrack_tui.rules.volumes": {"barrack_tui.tui.shell.store"}},
         ["barrack_tui.rules.volumes -> barrack_tui.tui.shell.store"]),
        ({"barrack_tui.tui.areas.volumes.actions": {"barrack_tui.tui.areas.volumes.detach"}}, []),
    ],
)
def test_the_check_notices_a_crossing(graph, expected):
    assert crossings(graph) == expected


def test_the_check_notices_a_circle():
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b", "a"], ["b", "a", "b"]]


def client_reaches(root) -> list[str]:
    """`<something>.barrack.client` / `.app.client` in the UI's areas and kit: a screen holding the client."""
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr == "client" and isinstance(node.value, ast.Attribute)
                    and node.value.attr in ("barrack", "app")):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_screens_and_dialogs_reach_the_api_only_through_the_store():
    # Every request goes through Store.send; the store's pollers do the reading that keeps data current.
    assert client_reaches(ROOT / "tui" / "areas") + client_reaches(ROOT / "tui" / "kit") == []


def test_the_client_check_notices_a_screen_holding_the_client(tmp_path):
    (tmp_path / "screen.py").write_text("async def f(self):\n    await self.barrack.client.delete_volume('v')\n")
    assert len(client_reaches(tmp_path)) == 1
