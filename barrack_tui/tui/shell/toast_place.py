"""Where toasts go: top right under the header, unless they would cover the focused row; then just below it.

Toasts sit at the top so they never cover the area status lines and key bar at
the bottom. The first rows of a list are right there too, and the focused row
is the one a person is reading, so the rack steps down past it while it would
overlap. It is checked when a toast is raised and while toasts are shown (the
cursor moves), a few times a second, only while there are toasts.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.widgets import DataTable
from textual.widgets._toast import Toast, ToastRack

HEADER_LINES = 1
# A focused widget taller than this (a whole list) is not "a row"; only its cursor row would be.
ROW_LIKE_HEIGHT = 10


def focused_band(app: Any) -> tuple[int, int] | None:
    """Screen lines [top, bottom) of the focused row or card, if the focus is on one."""
    widget = app.focused
    if widget is None:
        return None
    band = getattr(widget, "cursor_band", None)
    if callable(band):
        return band()
    region = widget.region
    if isinstance(widget, DataTable):
        if widget.row_count == 0:
            return None
        header = widget.header_height if widget.show_header else 0
        y = region.y + header + widget.cursor_row - round(widget.scroll_y)
        return (y, y + 1) if region.y <= y < region.bottom else None
    if 0 < region.height <= ROW_LIKE_HEIGHT:
        return (region.y, region.bottom)
    return None


def place_toasts(app: Any) -> None:
    try:
        rack = app.screen.get_child_by_type(ToastRack)
    except (NoMatches, Exception):  # no screen yet, or closing
        return
    shown = [toast.region for toast in rack.query(Toast) if toast.region.height]
    if not shown:
        return
    margin = rack.styles.margin.top
    first, last = min(r.y for r in shown), max(r.bottom for r in shown)
    # Where the stack starts with the rack at the top (the margin is what moves it).
    at_top = first - (margin - HEADER_LINES)
    band = focused_band(app)
    wanted = HEADER_LINES
    if band is not None and band[0] < at_top + (last - first) and band[1] > at_top:
        wanted = HEADER_LINES + band[1] - at_top
    if margin != wanted:
        rack.styles.margin = (wanted, 0, 0, 0)
