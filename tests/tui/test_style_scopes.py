"""Every screen and dialog that names an area's style file is inside that file's scope.

All style files are loaded at start and each nests its rules under its area's
screen and dialog types (ARCHITECTURE.md, invariant 16). A new dialog that
points `CSS_PATH` at a file but is missing from its scope list would silently
lose every style in it; this test names it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import barrack_tui.tui.modals as modals
import barrack_tui.tui.screens as screens
from barrack_tui.tui.app import STYLE_FILES

STYLES = Path(screens.__file__).resolve().parent.parent / "styles"


def classes_with_css_path():
    for package in (screens, modals):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                css_path = cls.__dict__.get("CSS_PATH")
                if cls.__module__ == module.__name__ and isinstance(css_path, str):
                    yield cls, Path(css_path).stem


def scope_names(stem: str) -> set[str]:
    """Type names at the head of the file's top-level rules (`A, B { ... }` and `A #x { ... }`)."""
    text = re.sub(r"/\*.*?\*/", "", (STYLES / f"{stem}.tcss").read_text(), flags=re.S)
    names, depth, head = set(), 0, ""
    for ch in text:
        if ch == "{":
            if depth == 0:
                names |= {selector.split()[0] for selector in head.split(",") if selector.split()}
            depth, head = depth + 1, ""
        elif ch == "}":
            depth, head = depth - 1, ""
        elif depth == 0:
            head += ch
    return names


def test_every_style_file_is_loaded_at_start():
    assert sorted(STYLE_FILES) == sorted(p.stem for p in STYLES.glob("*.tcss"))


def test_every_screen_and_dialog_is_in_its_style_files_scope():
    missing = []
    for cls, stem in classes_with_css_path():
        lineage = {base.__name__ for base in cls.__mro__}
        if not lineage & scope_names(stem):
            missing.append(f"{cls.__name__} -> {stem}.tcss")
    assert missing == []
