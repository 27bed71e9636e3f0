"""Which area's style file a screen or dialog belongs to, as a CSS class its rules are nested under.

Every style file is loaded at start (`BarrackApp.CSS_PATH`), so an area's rules
would reach every other area's widgets if they were not scoped. Each area file
nests its rules under `.area-<file>`, and every screen and dialog whose
`CSS_PATH` names that file carries the class (the bases add it). One class,
not a list of screen types: a selector list would make Textual check every
rule once per listed type on every restyle.
"""

from __future__ import annotations

from pathlib import PurePath

from textual.dom import DOMNode


def area_class(node_type: type) -> str | None:
    css_path = getattr(node_type, "CSS_PATH", None)
    return f"area-{PurePath(css_path).stem}" if isinstance(css_path, str) else None


def add_area_class(node: DOMNode) -> None:
    name = area_class(type(node))
    if name is not None:
        node.add_class(name)
