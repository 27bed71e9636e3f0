"""The simulator's state, its plain reads and the demo child's first answers load without FastAPI, Starlette, pydantic or uvicorn.

The `--demo` child answers the app's first reads from these modules while
FastAPI is still loading (sim/first_answers.py): one of them importing any of
those would make every first answer wait for it again. Checked in a fresh
interpreter, since this process has them all loaded already.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("fastapi", "starlette", "pydantic", "pydantic_core", "uvicorn", "httpx")

LIGHT = [
    "barrack_tui.sim.seed",
    "barrack_tui.sim.state",
    "barrack_tui.sim.engine",
    "barrack_tui.sim.errors",
    "barrack_tui.sim.wire",
    "barrack_tui.sim.envelope",
    "barrack_tui.sim.admission",
    "barrack_tui.sim.read_views",
    "barrack_tui.sim.first_answers",
    "barrack_tui.sim.child",
]


def heavy_modules_loaded_by(modules: list[str], then: str = "") -> list[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"{then}\n"
        f"heavy = sorted(n for n in sys.modules if n.split('.')[0] in {HEAVY!r})\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_state_layer_and_the_plain_reads_load_without_the_web_stack():
    seeded_and_read = (
        "from barrack_tui.sim import read_views\n"
        "from barrack_tui.sim.seed import seed_demo\n"
        "state = seed_demo()\n"
        "read_views.balance(state); read_views.instances_page(state, None, None, 1, 100)\n"
        "read_views.volumes_page(state, None, 1, 100); read_views.snapshots(state, None)\n"
        "read_views.pricing(state, None); read_views.gpu_stocks(state, None); read_views.regions()\n"
        "from barrack_tui.sim.first_answers import fast_answer\n"
        "assert fast_answer(state, b'GET', b'/api/v1/balance', [], envelope=True).status == 401\n"
    )
    assert heavy_modules_loaded_by(LIGHT, then=seeded_and_read) == []


def test_the_check_sees_the_web_stack_when_it_is_loaded():
    assert "fastapi" in heavy_modules_loaded_by(["barrack_tui.sim.context"])
