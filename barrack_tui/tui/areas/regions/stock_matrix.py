"""One region's panel on the Regions screen: where it is, what the account runs there, and the stock-and-price matrix.

`RegionPanel` is a focusable widget with its own cursor: row -1 is the region
itself (Enter there sets the region context), rows 0.. are GPU models and the
columns are GPU counts (Enter there opens the deploy wizard). It draws one
`rich.text.Text`, so a server string (a location, an instance name) is never
parsed as markup, and a repaint after a stock poll costs one render call.

The parent sets attributes (`region`, `cells`, `instances`, ...) and calls
`refresh()`; the panel posts `EdgeReached` when the cursor leaves its top or
bottom, so the screen can move focus to the neighbouring region.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from barrack_tui.api.enums import GpuCountEnum, VMStatus, VolumeStatus
from barrack_tui.tui.kit.badge import status_text
from barrack_tui.tui.kit.unknown_mark import tier_text

HEADER_ROW = -1
WATCH_MARK = "◉"
CELL_WIDTH = 12
DEFAULT_COUNTS: tuple[int, ...] = tuple(int(c) for c in GpuCountEnum)


@dataclass(frozen=True, slots=True)
class StockCell:
    """One configuration of one region: units free (None while stock is unknown) and the price per hour."""

    gpu_model: str
    gpu_count: int
    available: int | None
    hourly: Decimal | None

    @property
    def in_stock(self) -> bool:
        return bool(self.available)


def price_table(prices: Iterable[Any], currency: str) -> dict[tuple[str, int], Decimal]:
    """The API's VM prices in the account currency, by (model, count)."""
    table: dict[tuple[str, int], Decimal] = {}
    for price in prices:
        if str(price.resource_type) != "vm" or price.gpu_model is None or price.gpu_count is None:
            continue
        if str(price.currency) == currency:
            table[(str(price.gpu_model), int(price.gpu_count))] = price.hourly
    return table


def stock_table(stocks: Iterable[Any], region: str) -> dict[tuple[str, int], int]:
    """Units free in `region`, by (model, count)."""
    table: dict[tuple[str, int], int] = {}
    for item in stocks:
        if str(item.region) != region:
            continue
        for config in item.configurations:
            table[(str(item.gpu_model), int(config.gpu_count))] = int(config.available)
    return table


def build_cells(
    region: Any, stocks: Sequence[Any], prices: dict[tuple[str, int], Decimal], currency: str, *, stock_loaded: bool
) -> tuple[list[str], list[int], dict[tuple[str, int], StockCell]]:
    """The matrix of one region: its GPU models (rows), GPU counts (columns) and cells.

    Rows are the region's advertised GPUs, then any model the stock lists
    beyond them. A price the API did not list falls back to the public price
    table (rules.pricing), so a cell never shows a blank price.
    """
    from barrack_tui.rules.pricing import gpu_hourly  # with the first data: the first frame draws no cell

    free = stock_table(stocks, str(region.name))
    models = [str(m) for m in region.available_gpus]
    models += sorted({m for m, _ in free} - set(models))
    counts = sorted({c for _, c in free} | set(DEFAULT_COUNTS))
    cells: dict[tuple[str, int], StockCell] = {}
    for model in models:
        for count in counts:
            hourly = prices.get((model, count))
            if hourly is None:
                try:
                    hourly = gpu_hourly(model, count, currency)
                except (KeyError, ValueError):
                    hourly = None
            available = free.get((model, count), 0 if stock_loaded else None)
            cells[(model, count)] = StockCell(model, count, available, hourly)
    return models, counts, cells


class RegionPanel(Widget, can_focus=True):
    """A region: header, the account's resources there, and its stock matrix with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1, 0)", "Up", show=False, id="regions.cursor_up"),
        Binding("down", "cursor(1, 0)", "Down", show=False, id="regions.cursor_down"),
        Binding("left", "cursor(0, -1)", "Left", show=False, id="regions.cursor_left"),
        Binding("right", "cursor(0, 1)", "Right", show=False, id="regions.cursor_right"),
        Binding("home", "cursor_home", "First", show=False, id="regions.cursor_home"),
    ]

    class EdgeReached(Message):
        """The cursor tried to leave the panel upwards (-1) or downwards (+1)."""

        def __init__(self, panel: RegionPanel, direction: int) -> None:
            super().__init__()
            self.panel = panel
            self.direction = direction

    class CursorMoved(Message):
        """The cursor moved (the screen updates what Enter and `w` would do)."""

        def __init__(self, panel: RegionPanel) -> None:
            super().__init__()
            self.panel = panel

    def __init__(self, region: Any, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.region_info = region
        self.currency = "USD"
        self.models: list[str] = []
        self.counts: list[int] = list(DEFAULT_COUNTS)
        self.cells: dict[tuple[str, int], StockCell] = {}
        self.instances: list[Any] = []
        self.volumes: list[Any] = []
        # Until the list has been read once, "none here" would be a claim: the lines say "…" instead.
        self.instances_read = False
        self.volumes_read = False
        self._resource_cache: tuple[tuple[list[Any], list[Any]], tuple[bool, bool, int], tuple[Text, Text]] | None = None
        self.watched: set[tuple[str, int]] = set()
        self.row = HEADER_ROW
        self.column = 0
        self.model_width = 22

    @property
    def region_name(self) -> str:
        return str(self.region_info.name)

    @property
    def is_context(self) -> bool:
        """Is this region the app's region context (drawn with a green border and a marker)?"""
        return self.has_class("-context")

    @is_context.setter
    def is_context(self, value: bool) -> None:
        self.set_class(value, "-context")
        self.refresh()

    # --- what the cursor is on --------------------------------------------------------------------

    @property
    def on_header(self) -> bool:
        return self.row == HEADER_ROW or not self.models

    @property
    def current_cell(self) -> StockCell | None:
        if self.on_header:
            return None
        return self.cells.get((self.models[self.row], self.counts[self.column]))

    def place_cursor(self, row: int, column: int | None = None) -> None:
        """Put the cursor on `row` (-1 is the header; clamped to the rows there are)."""
        self.row = max(HEADER_ROW, min(row, len(self.models) - 1))
        if column is not None:
            self.column = max(0, min(column, len(self.counts) - 1))
        self.refresh()
        self.post_message(self.CursorMoved(self))

    def place_on_cell(self, gpu_model: str, gpu_count: int) -> bool:
        if gpu_model in self.models and gpu_count in self.counts:
            self.place_cursor(self.models.index(gpu_model), self.counts.index(gpu_count))
            return True
        return False

    def last_row(self) -> int:
        return len(self.models) - 1 if self.models else HEADER_ROW

    def action_cursor(self, rows: int, columns: int) -> None:
        if rows:
            target = self.row + rows
            if target < HEADER_ROW or target > self.last_row():
                self.post_message(self.EdgeReached(self, rows))
                return
            self.place_cursor(target)
        elif columns and not self.on_header:
            self.place_cursor(self.row, self.column + columns)

    def action_cursor_home(self) -> None:
        self.place_cursor(HEADER_ROW)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- drawing ----------------------------------------------------------------------------------

    def render(self) -> Text:
        lines = [self._header_line(), *self._resource_lines(), *self._matrix_lines()]
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    def _cursor_style(self, selected: bool) -> str:
        if not selected:
            return ""
        return "reverse bold" if self.has_focus else "underline"

    def _header_line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("▶" if self.has_focus and self.on_header else " ", style="bold")
        line.append(f" {self.region_name} ", style=f"bold {self._cursor_style(self.on_header) or 'reverse'}")
        line.append("  ")
        line.append(Text(str(self.region_info.location)))
        line.append(" · ", style="dim")
        line.append_text(tier_text(self.region_info.tier))
        line.append(" tier")
        if self.is_context:
            line.append("   ● region context", style="bold green")
        return line

    def _resource_lines(self) -> tuple[Text, Text]:
        # Kept while the lists and the width are the same: the cursor repaints the card on every key, and
        # counting and ordering a big fleet each time would slow every move.
        # (The screen assigns new lists when the store changes, so the lists are compared by identity.)
        lists, state = (self.instances, self.volumes), (self.instances_read, self.volumes_read, self.size.width)
        cached = self._resource_cache
        if cached is None or cached[0][0] is not lists[0] or cached[0][1] is not lists[1] or cached[1] != state:
            cached = self._resource_cache = (lists, state, (self._instances_line(), self._volumes_line()))
        return cached[2]

    def _instances_line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if not self.instances_read:
            return Text.assemble((" Instances", "bold"), ("  …", "dim"))
        active = sum(1 for i in self.instances if i.status == VMStatus.ACTIVE)
        line.append(f" Instances {len(self.instances)}", style="bold")
        line.append(f" ({active} active)  " if self.instances else "  ", style="dim")
        if not self.instances:
            line.append("none here", style="dim")
        for index, instance in enumerate(self._first_by_name(self.instances)):
            if index:
                line.append(" · ", style="dim")
            line.append(Text(str(instance.name)))
            line.append(" ")
            line.append(status_text(instance.status))
        return line

    def _first_by_name(self, items: Sequence[Any]) -> list[Any]:
        # The line is one row cut at the card's edge: only the first names by order can show. Each takes
        # at least four cells with its separator, so no more than width / 4 are drawn; with 10,000
        # instances drawing them all took ~40 ms per card, on every repaint. Before the card's first layout
        # (when the layout asks for its height) its width is not known yet: the screen's bounds it.
        width = self.size.width or self.app.size.width
        shown = max(1, width // 4 + 1)
        return heapq.nsmallest(shown, items, key=lambda item: str(item.name))

    def _volumes_line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if not self.volumes_read:
            return Text.assemble((" Volumes", "bold"), ("  …", "dim"))
        total_gb = sum(v.size_gb for v in self.volumes)
        attached = sum(1 for v in self.volumes if v.status == VolumeStatus.ATTACHED)
        line.append(f" Volumes {len(self.volumes)}", style="bold")
        if self.volumes:
            line.append(f" ({total_gb:,} GB, {attached} attached)  ", style="dim")
        else:
            line.append("  none here", style="dim")
        for index, volume in enumerate(self._first_by_name(self.volumes)):
            if index:
                line.append(" · ", style="dim")
            line.append(Text(str(volume.name)))
        return line

    def _matrix_lines(self) -> list[Text]:
        if not self.models:
            return [Text(" No GPUs offered in this region", style="dim")]
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f" {'GPU model':<{self.model_width}}", style="bold")
        for count in self.counts:
            label = f"{count} GPU" + ("s" if count > 1 else "")
            head.append(f"{label:>{CELL_WIDTH}}", style="bold")
        lines = [head]
        for row, model in enumerate(self.models):
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f" {model:<{self.model_width}}", style="bold" if row == self.row else "")
            for column, count in enumerate(self.counts):
                cell = self.cells.get((model, count))
                line.append(self._cell_text(cell, selected=(row == self.row and column == self.column)))
            lines.append(line)
        return lines

    def _cell_text(self, cell: StockCell | None, *, selected: bool) -> Text:
        if cell is None:
            return Text(" " * CELL_WIDTH)
        from barrack_tui.rules.pricing import money
        mark = WATCH_MARK if (cell.gpu_model, cell.gpu_count) in self.watched else " "
        units = "…" if cell.available is None else str(cell.available)
        price = "—" if cell.hourly is None else f"{money(cell.hourly):.2f}"
        # The mark trails the price so it reads as part of this cell, not the one before.
        text = f"{units:>3} {price:>{CELL_WIDTH - 5}}{mark}"
        style = "dim" if cell.available == 0 else ("green" if cell.in_stock else "")
        if selected:
            style = f"{style} {self._cursor_style(True)}".strip()
        out = Text(text, style=style)
        if mark != " ":
            out.stylize("bold yellow", len(text) - 1, len(text))
        return out
