"""Invariant 1: the rules import nothing from Textual (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys


def test_rules_package_does_not_import_textual() -> None:
    code = "import sys, barrack_tui.rules; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "False"
