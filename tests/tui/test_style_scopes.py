"""Every area style file is scoped, and every screen and dialog that names it carries its scope.

All style files are loaded at start and each nests its rules under
`.area-<file>` (ARCHITECTURE.md, invariant 16; `tui/kit/style_scope.py`). A rule
outside the scope would reach other areas' widgets; a screen that names a file
but does not derive from the bases that add the class would lose its styles.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import barrack_tui.tui as tui
from barrack_tui.tui.kit.modal import BarrackModal
from barrack_tui.tui.kit.style_scope import area_class
from barrack_tui.tui.shell.app import STYLE_FILES
from barrack_tui.tui.shell.screen import AreaScreen

AREAS = Path(tui.__file__).resolve().parent / "areas"


def style_file(stem: str) -> Path:
    return AREAS / stem / f"{stem}.tcss"


def classes_with_css_path():
    for info in pkgutil.walk_packages(tui.__path__, f"{tui.__name__}."):
        if not info.ispkg:
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                css_path = cls.__dict__.get("CSS_PATH")
                if cls.__module__ == module.__name__ and isinstance(css_path, str):
                    yield cls, Path(css_path).stem


def scope_names(stem: str) -> set[str]:
    """Type names at the head of the file's top-level rules (`A, B { ... }` and `A #x { ... }`)."""
    text = re.sub(r"/\*.*?\*/", "", style_file(stem).read_text(), flags=re.S)
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
    assert sorted(STYLE_FILES) == sorted(p.stem for p in AREAS.glob("*/*.tcss"))


def test_every_rule_of_an_area_file_is_inside_its_scope():
    owners: dict[str, set[str]] = {}
    for cls, stem in classes_with_css_path():
        owners.setdefault(stem, set()).update(base.__name__ for base in cls.__mro__)
    strays = []
    for stem in STYLE_FILES:
        for head in scope_names(stem):
            if head != f".area-{stem}" and head not in owners.get(stem, set()):
                strays.append(f"{stem}.tcss: {head}")
    assert strays == []


def test_every_screen_and_dialog_naming_a_style_file_carries_its_scope_class():
    wrong = [
        f"{cls.__name__} -> {stem}.tcss"
        for cls, stem in classes_with_css_path()
        if not issubclass(cls, (AreaScreen, BarrackModal)) or area_class(cls) != f"area-{stem}"
    ]
    assert wrong == []
