"""The virtualised fleet table: a ScrollView on Textual's line API over a `FleetModel`.

Only the lines on screen are ever rendered (`render_line(y)` builds one
`Strip` from the row's precomputed strings), so a 50,000-row fleet costs the
same per frame as a 20-row one. Line 0 is the header and does not scroll.
The cursor follows its instance id across updates, filters and re-sorts.

Server strings (names, IPs) go into `Segment`s as plain text: nothing is
parsed as markup, so `gpu [/bold] box` draws exactly as typed.

A marked row (`kit/marks.py`) shows its mark in the one-cell left padding.

Columns that do not fit are dropped in a fixed order (IP, then age, then
region): the details pane shows all of them, and at 120 columns all fit.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from barrack_tui.api.models import VMStatus
from barrack_tui.api.tolerant import is_unknown
from barrack_tui.tui.areas.instances.fleet_model import COLUMNS, FleetModel, FleetRow
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.marks import MARK, MARK_STYLE, Marks
from barrack_tui.tui.kit.unknown_mark import UNKNOWN_CELL_STYLE, marked

_TITLES = dict(COLUMNS)
# (key, width, right-aligned); the name column takes what is left, at least NAME_MIN.
_FIXED: dict[str, tuple[int, bool]] = {
    "status": (13, False),
    "region": (8, False),
    "gpu": (19, False),
    "ip": (15, False),
    "price": (10, True),
    "accrued": (10, True),
    "age": (5, True),
}
NAME_MIN = 12
GAP = 1
DROP_ORDER = ("ip", "age", "region")

# Status pills share badge.py's colours; computed once per status string.
_STATUS_CELLS: dict[str, tuple[str, Style]] = {}
_DIM = Style(dim=True)
_WARN = Style(color="yellow")


def status_cell(status: str) -> tuple[str, Style]:
    """The status as a coloured pill (transitional ones marked ⟳), fitted to the column."""
    cell = _STATUS_CELLS.get(status)
    if cell is None:
        badge = status_badge(status)
        label = badge.plain if cell_len(badge.plain) <= _FIXED["status"][0] else badge.plain.strip()
        style = badge.style if isinstance(badge.style, Style) else Style.parse(str(badge.style))
        cell = _STATUS_CELLS[status] = (label, style)
    return cell


def format_age(seconds: float) -> str:
    seconds = int(max(0.0, seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def format_amount(amount: Decimal) -> str:
    if amount >= 100_000:
        return f"{amount / 1000:,.1f}k"
    return f"{amount:,.2f}"


def fit(text: str, width: int, *, right: bool = False) -> str:
    """Pad or cut to exactly `width` cells (cut text ends with "…")."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    padding = " " * (width - length)
    return padding + text if right else text + padding


class FleetTable(ScrollView, can_focus=True):
    """Rows of `model.view`; posts `CursorMoved` and `Selected` with instance ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="fleet.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="fleet.cursor_down"),
        Binding("pageup", "page_up_rows", "Page up", show=False, id="fleet.page_up"),
        Binding("pagedown", "page_down_rows", "Page down", show=False, id="fleet.page_down"),
        Binding("home", "first_row", "First", show=False, id="fleet.first"),
        Binding("end", "last_row", "Last", show=False, id="fleet.last"),
        Binding("enter", "select_row", "Details", id="fleet.details"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"fleet-table--header", "fleet-table--cursor", "fleet-table--row"}

    class CursorMoved(Message):
        def __init__(self, instance_id: str | None) -> None:
            super().__init__()
            self.instance_id = instance_id

    class ColumnsChanged(Message):
        """The width changed which columns fit."""

    class Selected(Message):
        def __init__(self, instance_id: str) -> None:
            super().__init__()
            self.instance_id = instance_id

    def __init__(self, model: FleetModel, *, now: Callable[[], float], id: str | None = None, marks: Marks | None = None) -> None:
        super().__init__(id=id)
        self.model = model
        self.marks = marks if marks is not None else Marks()
        self.now = now
        self.cursor_index = 0
        self.cursor_id: str | None = None
        self._layout_width = -1
        self._layout: list[tuple[str, int, bool]] = []
        self._styles: tuple[Style, Style, Style] | None = None

    # --- layout -------------------------------------------------------------------------------------

    def _columns(self, width: int) -> list[tuple[str, int, bool]]:
        if width == self._layout_width:
            return self._layout
        shown = [key for key, _ in COLUMNS if key != "name"]
        for key in DROP_ORDER:
            used = sum(_FIXED[k][0] for k in shown) + GAP * len(shown) + 1
            if width - used >= NAME_MIN:
                break
            shown.remove(key)
        used = sum(_FIXED[k][0] for k in shown) + GAP * len(shown) + 1
        layout = [("name", max(NAME_MIN, width - used), False)]
        layout += [(key, *_FIXED[key]) for key, _ in COLUMNS if key in shown]
        self._layout_width, self._layout = width, layout
        return layout

    @property
    def hidden_columns(self) -> list[str]:
        shown = {key for key, _, _ in self._columns(self.size.width)}
        return [key for key, _ in COLUMNS if key not in shown]

    def on_resize(self, _: events.Resize) -> None:
        hidden_before = [key for key, _, _ in self._layout]
        self._sync_virtual_size()
        self._scroll_cursor_into_view()
        if [key for key, _, _ in self._columns(self.size.width)] != hidden_before:
            self.post_message(self.ColumnsChanged())

    def _sync_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.model.view) + 1)

    # --- data changes -------------------------------------------------------------------------------

    def view_changed(self, changed_ids: frozenset[str] | set[str] = frozenset(), *, full: bool = True) -> None:
        """After `model.rebuild_view`: keep the cursor on its instance and repaint what moved."""
        self._sync_virtual_size()
        before = self.cursor_index
        if self.cursor_id is not None and self.cursor_id in self.model.position:
            self.cursor_index = self.model.position[self.cursor_id]
        else:
            # Its instance left the view (deleted or filtered out): stay at the same height.
            self.cursor_index = min(self.cursor_index, max(0, len(self.model.view) - 1))
        self._scroll_cursor_into_view()
        if full or before != self.cursor_index:
            self.refresh()
        else:
            # Only lines on screen: a poll can change hundreds of rows, and each refresh has a cost.
            top = int(self.scroll_offset.y)
            bottom = top + self.size.height
            position = self.model.position
            for instance_id in changed_ids:
                index = position.get(instance_id)
                if index is not None and top <= index + 1 < bottom:
                    self.refresh_line(index + 1)
        self._announce_cursor()

    def _announce_cursor(self) -> None:
        row = self.model.row_at(self.cursor_index)
        new_id = row.id if row else None
        if new_id != self.cursor_id:
            self.cursor_id = new_id
        self.post_message(self.CursorMoved(new_id))

    def select_id(self, instance_id: str) -> bool:
        index = self.model.position.get(instance_id)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    # --- cursor -------------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        if not self.model.view:
            return
        index = max(0, min(index, len(self.model.view) - 1))
        if index == self.cursor_index and self.cursor_id == self.model.view[index]:
            return
        old = self.cursor_index
        self.cursor_index = index
        self._scroll_cursor_into_view()
        self.refresh_line(old + 1)
        self.refresh_line(index + 1)
        self._announce_cursor()

    def cursor_band(self) -> tuple[int, int] | None:
        """Screen lines of the cursor row (line 0 is the header), for keeping toasts off it."""
        if not self.model.view:
            return None
        y = self.region.y + 1 + self.cursor_index - round(self.scroll_offset.y)
        return (y, y + 1) if self.region.y < y < self.region.bottom else None

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 1)

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor_index < top:
            self.scroll_to(y=self.cursor_index, animate=False)
        elif self.cursor_index >= top + self._page:
            self.scroll_to(y=self.cursor_index - self._page + 1, animate=False)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_index - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_index + 1)

    def action_page_up_rows(self) -> None:
        self.move_cursor(self.cursor_index - self._page)

    def action_page_down_rows(self) -> None:
        self.move_cursor(self.cursor_index + self._page)

    def action_first_row(self) -> None:
        self.move_cursor(0)

    def action_last_row(self) -> None:
        self.move_cursor(len(self.model.view) - 1)

    def action_select_row(self) -> None:
        row = self.model.row_at(self.cursor_index)
        if row is not None:
            self.post_message(self.Selected(row.id))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if self.model.row_at(index) is None:
            return
        self.move_cursor(index)
        if event.chain >= 2:
            self.action_select_row()

    # --- drawing ------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def _base_styles(self) -> tuple[Style, Style, Style]:
        if self._styles is None:
            self._styles = (
                self.get_component_rich_style("fleet-table--header"),
                self.get_component_rich_style("fleet-table--row"),
                self.get_component_rich_style("fleet-table--cursor"),
            )
        return self._styles

    def render_lines(self, crop):  # noqa: ANN001, ANN201 - Textual's signature
        # Focus changes the cursor colour: re-read component styles once per frame, not per line.
        self._styles = None
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        header_style, row_style, cursor_style = self._base_styles()
        if y == 0:
            return self._header(width, header_style)
        index = round(self.scroll_offset.y) + y - 1
        row = self.model.row_at(index)
        if row is None:
            return Strip.blank(width, row_style)
        base = cursor_style if index == self.cursor_index else row_style
        return self._row(row, width, base)

    def _header(self, width: int, style: Style) -> Strip:
        segments = [Segment(" ", style)]
        model = self.model
        for key, size, right in self._columns(width):
            title = _TITLES[key]
            if key == model.sort_column:
                title = f"{title} {'▼' if model.sort_reverse else '▲'}"
            segments.append(Segment(fit(title, size, right=right), style + Style(bold=True, underline=key == model.sort_column)))
            segments.append(Segment(" " * GAP, style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, row: FleetRow, width: int, base: Style) -> Strip:
        now = self.now()
        # A mark takes the row's one-cell left padding, so marking never shifts a column.
        segments = [Segment(MARK, base + MARK_STYLE) if row.id in self.marks else Segment(" ", base)]
        for key, size, right in self._columns(width):
            text, style = self._cell(row, key, now)
            if key == "status":
                # Only the pill is coloured; the rest of the cell keeps the row's background.
                label = fit(text, size).rstrip() or text[:size]
                segments.append(Segment(label, base + style))
                segments.append(Segment(" " * (size - cell_len(label) + GAP), base))
                continue
            segments.append(Segment(fit(text, size, right=right), base + style if style else base))
            segments.append(Segment(" " * GAP, base))
        return Strip(segments).adjust_cell_length(width, base)

    def _cell(self, row: FleetRow, key: str, now: float) -> tuple[str, Style | None]:
        if key == "name":
            return row.name, None
        if key == "status":
            return status_cell(row.status)
        if key == "region":
            return (marked(row.region), UNKNOWN_CELL_STYLE) if is_unknown(row.region) else (row.region, None)
        if key == "gpu":
            return (row.gpu_label, UNKNOWN_CELL_STYLE) if is_unknown(row.gpu_model) else (row.gpu_label, None)
        if key == "ip":
            if row.public_ip:
                return row.public_ip, None
            return row.private_ip or "—", _DIM
        if key == "price":
            # The rate billed now (HIBERNATED: the hibernation rate); the list price is in the details.
            price = format_amount(row.billing_rate)
            if row.status == VMStatus.SHUTOFF:
                # SHUTOFF still bills the full rate (I3): mark it so idle spend stands out.
                return f"⚠ {price}", _WARN
            return price, None
        if key == "accrued":
            return f"~{format_amount(row.accrued_estimate(now))}", _DIM
        if key == "age":
            return format_age(row.age_seconds(now)), None
        return "", None
