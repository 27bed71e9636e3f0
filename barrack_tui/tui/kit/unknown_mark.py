"""How a value this version does not know is drawn: as it came, followed by a `?` in one colour everywhere.

The legend (`UNKNOWN_LEGEND`) goes in the area's summary line whenever such a
value is on screen, so the `?` never has to be guessed.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from barrack_tui.api.unknown import is_unknown

UNKNOWN_STYLE = "bold magenta"
UNKNOWN_BADGE_STYLE = "bold white on magenta"
UNKNOWN_MARK = "?"
UNKNOWN_LEGEND = "marked ? (unknown to this version)"
UNKNOWN_CELL_STYLE = Style(color="magenta", bold=True)


def marked(value: object) -> str:
    """`EU-9?` for an unknown value, the value itself otherwise (for plain-string cells)."""
    text = str(getattr(value, "value", value))
    return f"{text}{UNKNOWN_MARK}" if is_unknown(value) else text


def marked_text(value: object, style: str = "") -> Text:
    """The value as `Text`, its `?` (and the value) in the unknown colour when this version does not know it."""
    if is_unknown(value):
        return Text(f"{value}{UNKNOWN_MARK}", style=UNKNOWN_STYLE)
    return Text(str(getattr(value, "value", value)), style=style)


def tier_text(tier: object) -> Text:
    """A region's tier as people know it: the live service's `legacy` reads "standard"; an unknown tier is marked."""
    if str(tier) in ("legacy", "standard"):
        return Text("standard")
    return marked_text(tier)


def any_unknown(*values: object) -> bool:
    return any(is_unknown(value) for value in values)
