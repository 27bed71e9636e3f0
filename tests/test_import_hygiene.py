"""The wire, the rules, the spend logic and the simulator load without Textual (checked in a fresh interpreter each)."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI_FREE = ["barrack_tui.api", "barrack_tui.api.client", "barrack_tui.rules", "barrack_tui.spend.alerts",
            "barrack_tui.spend.series", "barrack_tui.spend.watches", "barrack_tui.sim", "barrack_tui.sim.app"]


def textual_modules_loaded_by(module: str) -> list[str]:
    """Import `module` in a fresh interpreter; the Textual modules that came with it."""
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(name for name in sys.modules if name == 'textual' or name.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]


@pytest.mark.parametrize("module", UI_FREE)
def test_module_does_not_import_textual(module):
    leaked = textual_modules_loaded_by(module)
    assert leaked == [], f"{module} imported {leaked}"


def test_the_same_check_notices_a_module_that_does_import_textual():
    assert "textual" in textual_modules_loaded_by("barrack_tui.tui.shell.app")
