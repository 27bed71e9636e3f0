"""The Activity screen (key 8): what the app sent and what the pollers saw, newest first, filterable, exportable.

The entries come from the session's log (`app.activity`), which the journal
filled with this account's last 90 days when the session started; new ones
arrive as `ActivityRecorded` messages and join the list at once. Every cell is
`Text` built from plain strings, so a name such as `gpu [/bold] box` shows as
typed. `/` filters (words, and `result:` `verb:` `kind:` terms), `o`/`O`
sort, `W` exports what the filter shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from barrack_tui.activity.entry import ACCEPTED, ALERT, FAILED, OBSERVED, REFUSED, WATCH, Activity
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.list_controls import FilterBox, ListControls
from barrack_tui.tui.kit.list_query import Column, ListQuery
from barrack_tui.tui.kit.paged_list import PagedList
from barrack_tui.tui.kit.synced_table import SyncedTable
from barrack_tui.tui.shell.activity import ActivityOpened, ActivityRecorded
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen

PAGE_SIZE = 50
# Below this width the table keeps time, verb, target, result and message; the line under it says the rest.
WIDE_TABLE = 110
COLUMNS_WIDE = (("time", "Time (UTC)"), ("verb", "Verb"), ("target", "Target"), ("result", "Result"),
                ("status", "Status · req id"), ("cost", "Cost effect"), ("message", "Message"))
COLUMNS_NARROW = (("time", "Time (UTC)"), ("verb", "Verb"), ("target", "Target"), ("result", "Result"),
                  ("message", "Message"))
# Cells are clipped to these (the selected entry's lines below the table say it all); the message takes what
# the terminal's width leaves, so the table never scrolls sideways.
WIDTHS = {"time": 14, "verb": 10, "target": 22, "result": 8, "status": 15, "cost": 20}
NARROW_WIDTHS = {"time": 14, "verb": 10, "target": 18, "result": 8}
_CHROME = 3  # the table's vertical scrollbar and a column to spare
RESULT_STYLES = {ACCEPTED: "green", REFUSED: "yellow", FAILED: "bold red", OBSERVED: "cyan", ALERT: "magenta",
                 WATCH: "blue"}


@dataclass(frozen=True)
class Row:
    """An entry as this screen lists it: `id` is its place in arrival order (the table's row key)."""

    id: str
    seq: int
    entry: Activity


def when(at: float, *, short: bool = False) -> str:
    """UTC, so the log reads the same on every machine (and the exports say the same)."""
    return datetime.fromtimestamp(at, UTC).strftime("%m-%d %H:%M:%S" if short else "%Y-%m-%d %H:%M:%S")


def target_text(entry: Activity) -> str:
    parts = [part for part in (entry.target_kind, entry.target_name) if part]
    if entry.target_id and entry.target_id != entry.target_name:
        parts.append(f"· {entry.target_id}")
    return " ".join(parts)


def status_text(entry: Activity) -> str:
    status = "" if entry.status is None else ("no answer" if entry.status == 0 else str(entry.status))
    return " · ".join(part for part in (status, entry.request_id or "") if part)


COLUMNS: tuple[Column[Row], ...] = (
    Column("time", "Time", lambda r: (r.entry.at, r.seq)),
    Column("verb", "Verb", lambda r: (r.entry.verb, r.entry.at, r.seq), lambda r: r.entry.verb),
    Column("result", "Result", lambda r: (r.entry.result, r.entry.at, r.seq), lambda r: r.entry.result),
    Column("kind", "Target", lambda r: (r.entry.target_kind, r.entry.target_name.casefold(), r.entry.at, r.seq),
           lambda r: r.entry.target_kind),
)


def activity_query() -> ListQuery[Row]:
    # Newest first: the log's own order.
    return ListQuery(COLUMNS, lambda r: f"{r.entry.text()}\0{when(r.entry.at)}", reverse=True)


def _cell(text: str, width: int | None = None, style: str = "") -> Text:
    cell = Text(text, style=style, no_wrap=True)
    if width is not None:
        cell.truncate(width, overflow="ellipsis")
    return cell


def row_cells(entry: Activity, columns: tuple[tuple[str, str], ...]) -> list[Text]:
    """The row's cells, each clipped to its width but the message (last), which `fit_messages` clips."""
    widths = WIDTHS if columns == COLUMNS_WIDE else NARROW_WIDTHS
    values = {
        "time": lambda: _cell(when(entry.at, short=True), style="dim"),
        "verb": lambda: _cell(entry.verb, widths.get("verb"), "bold"),
        "target": lambda: _cell(target_text(entry), widths.get("target")),
        "result": lambda: _cell(entry.result, style=RESULT_STYLES.get(entry.result, "")),
        "status": lambda: _cell(status_text(entry), widths.get("status"), "dim"),
        "cost": lambda: _cell(entry.cost_effect, widths.get("cost")),
        "message": lambda: _cell(entry.message),
    }
    return [values[key]() for key, _ in columns]


def fit_messages(rows: list[list[Text]], columns: tuple[tuple[str, str], ...], width: int) -> None:
    """Clip the message column to what the other columns leave of `width`, so the table never scrolls sideways."""
    used = sum(max([len(label), *(cells[i].cell_len for cells in rows)]) for i, (_, label) in enumerate(columns[:-1]))
    room = max(8, width - used - 2 * len(columns) - _CHROME)
    for cells in rows:
        cells[-1].truncate(room, overflow="ellipsis")


class ActivityScreen(ListControls, AreaScreen):
    CSS_PATH = "activity.tcss"
    AREA_KINDS = ()  # the log is local: no poll speaks for it
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("filter", "filter", "Filter", id="activity.filter"),
        bind("sort", "sort_next", "Sort", show=False, id="activity.sort"),
        bind("reverse sort", "sort_reverse", "Reverse sort", show=False, id="activity.sort_reverse"),
        bind("back", "filter_escape", "Clear filter", show=False, id="activity.clear_filter"),
        bind("write file", "export", "Export", id="activity.export"),
        bind("previous page", "page(-1)", "Prev page", id="activity.page_prev"),
        bind("next page", "page(1)", "Next page", id="activity.page_next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Row] = {}
        self._seq = itertools.count()
        self.query_state = activity_query()
        self.listing: PagedList[Row] = PagedList(
            lambda: self.rows, order=self.query_state.order, keep=self.query_state.keep, reverse=True,
            page_size=PAGE_SIZE,
        )
        self._columns: tuple[tuple[str, str], ...] = COLUMNS_WIDE

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Activity", style="bold"), classes="screen-title")
        yield Static(id="activity-summary", classes="hint")
        yield FilterBox("filter: words, result:refused, verb:stop, kind:volume — Enter keeps, Escape reverts")
        self._columns = COLUMNS_WIDE if self.barrack.size.width >= WIDE_TABLE else COLUMNS_NARROW
        yield SyncedTable(self._columns, id="activity-table")
        yield Static(id="activity-selected", classes="hint")

    def on_mount(self) -> None:
        # AreaScreen's own on_mount (the store) runs too: Textual calls each class's handler.
        self.barrack.activity.subscribe(self)
        self._load()
        self.table.focus()

    def on_unmount(self) -> None:
        self.barrack.activity.unsubscribe(self)

    @property
    def table(self) -> SyncedTable:
        return self.query_one("#activity-table", SyncedTable)

    async def on_resize(self, event: events.Resize) -> None:
        wanted = COLUMNS_WIDE if event.size.width >= WIDE_TABLE else COLUMNS_NARROW
        if wanted == self._columns:
            self.render_list()  # the message column follows the width
            return
        # A table's columns are fixed: swap in one with the other set, keeping the selection and focus.
        self._columns = wanted
        old = self.table
        selected, had_focus = old.selected_id, old.has_focus
        await old.remove()
        await self.mount(SyncedTable(wanted, id="activity-table"), after="#list-filter-box")
        self.render_list()
        if selected is not None:
            self.table.select_id(selected)
        if had_focus:
            self.table.focus()

    # --- what is listed ---------------------------------------------------------------------------

    def _load(self) -> None:
        """Everything the log holds (the journal's last 90 days and this session's), oldest numbered first."""
        self.rows = {}
        self._seq = itertools.count()
        for entry in reversed(self.barrack.activity.entries()):
            self._add(entry)
        self.listing.invalidate()
        self.render_list()

    def _add(self, entry: Activity) -> None:
        seq = next(self._seq)
        row = Row(str(seq), seq, entry)
        self.rows[row.id] = row

    def on_activity_recorded(self, message: ActivityRecorded) -> None:
        self._add(message.entry)
        self.listing.invalidate()
        self.render_list()

    def on_activity_opened(self, _: ActivityOpened) -> None:
        self._load()

    def refresh_from_store(self) -> None:
        # The log's entries are not the store's; what the store changed adds nothing here, but the header did.
        self.render_list()

    def shown_entries(self) -> list[Activity]:
        """What the filter shows, in the list's order (what an export writes)."""
        return [row.entry for row in self.listing.items]

    def current_entry(self) -> Activity | None:
        selected = self.table.selected_id
        row = self.rows.get(selected) if selected is not None else None
        return row.entry if row is not None else None

    # --- drawing ----------------------------------------------------------------------------------

    def render_list(self) -> None:
        shown = self.listing.shown()
        cells = [row_cells(row.entry, self._columns) for row in shown]
        fit_messages(cells, self._columns, self.barrack.size.width)
        self.table.sync([(row.id, row_text) for row, row_text in zip(shown, cells)])
        self._render_summary()
        self._render_selected()

    def _render_summary(self) -> None:
        total, shown = len(self.rows), len(self.listing.items)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{shown:,} shown" if shown != total else f"{total:,} {'entry' if total == 1 else 'entries'}")
        if shown != total:
            line.append(f" of {total:,}")
        line.append(" · kept 90 days for this account", style="dim")
        line.append(self.listing.page_words(f"{key_for(self, 'activity.page_prev')} and "
                                            f"{key_for(self, 'activity.page_next')} change page"))
        line.append(self.order_words(), style="dim")
        problem = self.barrack.activity.problem
        if problem:
            line.append("  ·  ")
            line.append(problem, style="yellow")
        self.query_one("#activity-summary", Static).update(line)

    def _render_selected(self) -> None:
        """The selected entry in full: what the table's columns clip or leave out at this width."""
        entry = self.current_entry()
        out = Text(no_wrap=True, overflow="ellipsis")
        if entry is None:
            out.append("Nothing yet: what you do and what the pollers see will be listed here." if not self.rows
                       else "Nothing matches the filter.", style="dim")
            out.append("\n")
        else:
            out.append(f"{when(entry.at)} UTC  ", style="dim")
            out.append(entry.verb, style="bold")
            out.append(f" {target_text(entry)}  ")
            out.append(entry.result, style=RESULT_STYLES.get(entry.result, ""))
            status = status_text(entry)
            if status:
                out.append(f"  {status}", style="dim")
            out.append("\n")
            out.append(" · ".join(part for part in (entry.cost_effect, entry.message) if part) or "—")
        self.query_one("#activity-selected", Static).update(out)

    @on(DataTable.RowHighlighted, "#activity-table")
    def _highlighted(self) -> None:
        self._render_selected()

    # --- actions ----------------------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        if self.listing.turn(step):
            self.render_list()
            self.table.move_cursor(row=0)
            self._render_selected()

    def action_export(self) -> None:
        from barrack_tui.account import paths
        from barrack_tui.tui.areas.activity.export import ExportActivityModal

        entries = self.shown_entries()
        if not entries:
            self.notify("Nothing to export: the list is empty.", title="Activity", severity="warning")
            return
        modal = ExportActivityModal(entries, paths.data_dir() / "exports", self.barrack.wall_clock())
        self.barrack.push_screen(modal, self._exported)

    def _exported(self, written: Any) -> None:
        if written is not None:
            self.notify(f"Activity written to {written}", title="Activity")

    # --- the list controls' hooks -------------------------------------------------------------------

    def list_changed(self) -> None:
        self.render_list()

    def focus_list(self) -> None:
        self.table.focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield command(self, "activity.filter", "Activity: filter", "Words, result:…, verb:…, kind:…", self.action_filter)
        yield command(self, "activity.export", "Activity: export to CSV or JSON", "What the filter shows",
                      self.action_export)
        yield command(self, "activity.sort", "Activity: sort by the next column", "Cycle the sort column",
                      self.action_sort_next)
        for result in (REFUSED, FAILED, OBSERVED):
            yield SystemCommand(f"Activity: show {result} only", f"Filter result:{result}",
                                lambda r=result: self.filter_to(f"result:{r}"))

    def filter_to(self, text: str) -> None:
        self.query_state.set_text(text)
        self._apply()
