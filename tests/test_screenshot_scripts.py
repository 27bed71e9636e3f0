"""The screenshot scripts still import: they lean on the test helpers, which move with the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.mark.parametrize("path", sorted(SCREENSHOTS.glob("*.py")), ids=lambda p: p.name)
def test_a_screenshot_script_imports(path, monkeypatch):
    monkeypatch.syspath_prepend(str(SCREENSHOTS))
    spec = importlib.util.spec_from_file_location(f"_shots_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)  # definitions only: each script runs its pictures from main()
