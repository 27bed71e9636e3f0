"""The wire, the rules and the simulator load without Textual (checked in a fresh interpreter each)."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI_FREE = ["barrack_tui.api", "barrack_tui.api.client", "barrack_tui.rules", "barrack_tui.sim", "barrack_tui.sim.app"]


@pytest.mark.parametrize("module", UI_FREE)
def test_module_does_not_import_textual(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(name for name in sys.modules if name == 'textual' or name.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imported {result.stdout.strip()}"


def test_the_check_would_notice_textual():
    code = "import sys, barrack_tui.api, textual; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True"
