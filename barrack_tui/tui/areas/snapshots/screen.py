"""The Snapshots & Images screen (key 5): per-region lists in pages of 6, statistics, every flow from the keyboard.

The region filter defaults to the app's region context and follows it when
it changes (RegionContextChanged); the user may pick another region here
without changing the context. Statistics (Total Snapshots, Total Storage,
Available VMs, Restorable) are for the filtered region. Snapshots: take one
(n), details (Enter), restore (r), make an image (m), delete (d). Images:
create from a finished snapshot (n), details (Enter), delete (d). A refused
action says why under the list and again when its key is pressed. Each tab
keeps its own marks: space marks a row (ctrl+a every row its filter shows),
delete then acts on the tab's marked items through one bulk confirmation,
and Escape clears the marks before the filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static, TabbedContent, TabPane

from barrack_tui.api.models import Image, Snapshot
from barrack_tui.tui.areas.snapshots.actions import SnapshotActions
from barrack_tui.tui.areas.snapshots.view import (
    ALL_REGIONS,
    HINT_BINDINGS,
    IMAGE_COLUMNS,
    REGION_CHOICES,
    SNAPSHOT_COLUMNS,
    image_cells,
    in_region,
    snapshot_action_hint,
    snapshot_candidates,
    snapshot_cells,
    snapshot_stats,
    stats_text,
)
from barrack_tui.tui.kit.bulk import BulkReport
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.list_columns import snapshot_query
from barrack_tui.tui.kit.list_controls import FilterBox, ListControls
from barrack_tui.tui.kit.list_query import ListQuery
from barrack_tui.tui.kit.marks import Listed, Marks, marked_cell
from barrack_tui.tui.kit.paged_list import PagedList
from barrack_tui.tui.kit.synced_table import SyncedTable
from barrack_tui.tui.shell.app import RegionContextChanged
from barrack_tui.tui.shell.area_status import load_state
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

SNAPSHOTS_TAB = "snapshots-tab"
IMAGES_TAB = "images-tab"
SNAPSHOT_ACTIONS = frozenset({"create_snapshot", "restore", "make_image", "delete_snapshot"})
IMAGE_ACTIONS = frozenset({"create_image", "delete_image"})


class SnapshotsScreen(SnapshotActions, ListControls, AreaScreen):
    CSS_PATH = "snapshots.tcss"
    POLL_KINDS = ("snapshots", "images")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("tab", "switch_tab", "Snapshots/Images", id="snapshots.switch_tab"),
        bind("new", "create_snapshot", "Take snapshot", id="snapshots.create"),
        bind("restore", "restore", "Restore", id="snapshots.restore"),
        Binding("m", "make_image", "Make image", id="snapshots.make_image"),
        bind("delete", "delete_snapshot", "Delete", id="snapshots.delete"),
        bind("new", "create_image", "New image", id="images.create"),
        bind("delete", "delete_image", "Delete", id="images.delete"),
        bind("filter", "filter", "Filter", show=False, id="snapshots.filter"),
        bind("sort", "sort_next", "Sort", show=False, id="snapshots.sort"),
        bind("reverse sort", "sort_reverse", "Reverse sort", show=False, id="snapshots.sort_reverse"),
        bind("back", "filter_escape", "Clear marks, then filter", show=False, id="snapshots.clear_filter"),
        bind("mark", "toggle_mark", "Mark", show=False, id="snapshots.mark"),
        bind("mark all", "mark_all", "Mark all shown", show=False, id="snapshots.mark_all"),
        bind("previous page", "page(-1)", "Prev page", id="snapshots.page_prev"),
        bind("next page", "page(1)", "Next page", id="snapshots.page_next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.region_filter: str | None = None
        # Each tab's list, newest first, ordered once per change of its data or of the filter.
        # Each tab keeps its own filter and sort (`/`, `o`, `O` act on the tab in view).
        self.queries: dict[str, ListQuery[Any]] = {SNAPSHOTS_TAB: snapshot_query(), IMAGES_TAB: snapshot_query()}
        self.lists: dict[str, PagedList[Any]] = {
            tab: self._tab_list(tab, kind) for tab, kind in ((SNAPSHOTS_TAB, "snapshots"), (IMAGES_TAB, "images"))
        }
        self._totals: tuple[list[Snapshot], Any] | None = None
        self.marks: dict[str, Marks] = {SNAPSHOTS_TAB: Marks(), IMAGES_TAB: Marks()}

    def _tab_list(self, tab: str, kind: str) -> PagedList[Any]:
        """A tab's list: the store's `kind`, in the region shown and kept by the tab's own filter."""
        return PagedList(
            lambda: getattr(self.store, kind),
            order=self.queries[tab].order,
            keep=lambda item: in_region(item.region, self.region_filter) and self.queries[tab].keep(item),
            reverse=True,
        )

    # --- layout ----------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        self.region_filter = getattr(self.app, "region", None)
        with Horizontal(id="snapshots-top"):
            yield Static(Text("Snapshots & Images"), classes="screen-title")
            options = [(Text("All regions"), ALL_REGIONS), *((Text(r), r) for r in REGION_CHOICES)]
            yield Select(
                options, value=self.region_filter or ALL_REGIONS, allow_blank=False, id="region-filter", compact=True
            )
        yield Static(id="snapshot-stats")
        yield FilterBox("filter: words, status:SUCCESS, region:US-1 — Enter keeps, Escape reverts")
        with TabbedContent(initial=SNAPSHOTS_TAB, id="snapshots-tabs"):
            with TabPane("Snapshots", id=SNAPSHOTS_TAB):
                yield SyncedTable(SNAPSHOT_COLUMNS, id="snapshots-table")
                yield Static(id="snapshots-page", classes="page-bar")
                yield Static(id="snapshots-hint", classes="action-hint")
            with TabPane("Images", id=IMAGES_TAB):
                yield SyncedTable(IMAGE_COLUMNS, id="images-table")
                yield Static(id="images-page", classes="page-bar")
                yield Static(id="images-hint", classes="action-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#snapshots-table", SyncedTable).focus()

    @property
    def active_tab(self) -> str:
        return self.query_one("#snapshots-tabs", TabbedContent).active or SNAPSHOTS_TAB

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SNAPSHOT_ACTIONS:
            return self.active_tab == SNAPSHOTS_TAB
        if action in IMAGE_ACTIONS:
            return self.active_tab == IMAGES_TAB
        if action == "page":
            return self.lists[self.active_tab].pages > 1
        return True

    @on(TabbedContent.TabActivated, "#snapshots-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        table_id = "#snapshots-table" if event.pane.id == SNAPSHOTS_TAB else "#images-table"
        self.query_one(table_id, SyncedTable).focus()
        self.refresh_bindings()

    def action_switch_tab(self) -> None:
        tabs = self.query_one("#snapshots-tabs", TabbedContent)
        tabs.active = IMAGES_TAB if tabs.active == SNAPSHOTS_TAB else SNAPSHOTS_TAB

    # --- region filter ---------------------------------------------------------------------------

    def on_region_context_changed(self, message: RegionContextChanged) -> None:
        self.set_region_filter(message.region)

    def set_region_filter(self, region: str | None) -> None:
        self.query_one("#region-filter", Select).value = region or ALL_REGIONS

    @on(Select.Changed, "#region-filter")
    def _filter_changed(self, event: Select.Changed) -> None:
        region = None if event.value in (ALL_REGIONS, Select.NULL) else str(event.value)
        if region != self.region_filter:
            self.region_filter = region
            for listed in self.lists.values():
                listed.invalidate()
                listed.page = 1
        self.refresh_from_store()

    # --- data -> widgets -------------------------------------------------------------------------

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "snapshots":
            self.marks[SNAPSHOTS_TAB].keep_only(self.store.snapshots)
            self.lists[SNAPSHOTS_TAB].invalidate()
        if change.kind == "images":
            self.marks[IMAGES_TAB].keep_only(self.store.images)
            self.lists[IMAGES_TAB].invalidate()
        if change.kind in ("snapshots", "images", "instances"):
            self.refresh_from_store()

    def _stats(self, snapshots: list[Snapshot]) -> Any:
        """The statistics: the snapshot totals walk every snapshot, so only when that list changed."""
        if self._totals is None or self._totals[0] is not snapshots:
            self._totals = (snapshots, snapshot_stats(snapshots, {}, self.region_filter))
        available = len(snapshot_candidates(self.store.instances, self.region_filter))
        return replace(self._totals[1], available_vms=available)

    def refresh_from_store(self) -> None:
        snapshots = self.lists[SNAPSHOTS_TAB].items
        self.query_one("#snapshot-stats", Static).update(stats_text(self._stats(snapshots)))
        self._fill(SNAPSHOTS_TAB, lambda s: snapshot_cells(s))
        self._fill(IMAGES_TAB, lambda i: image_cells(i, self.store.snapshots))
        self._update_hints()
        self.refresh_bindings()

    def _fill(self, tab: str, cells: Any) -> None:
        kind = "snapshots" if tab == SNAPSHOTS_TAB else "images"
        listed = self.lists[tab]
        shown, items = listed.shown(), listed.items
        marks = self.marks[tab]
        self.query_one(f"#{kind}-table", SyncedTable).sync([(item.id, self._marked(cells(item), item.id in marks))
                                                            for item in shown])
        where = self.region_filter or "all regions"
        state = load_state(self.store, kind)
        if state is not None:
            bar = state
        elif not items:
            bar = Text(f"No {kind} in {where}.", style="dim")
        else:
            noun = kind if len(items) != 1 else kind[:-1]
            bar = Text(f"{len(items):,} {noun} in {where}", style="dim")
            bar.append(listed.page_words(f"{key_for(self, 'snapshots.page_prev')} and {key_for(self, 'snapshots.page_next')} change page"),
                       style="dim")
            bar.append(f" · {self.queries[tab].describe()}", style="dim")
        if marks and state is None:
            bar.append(" · ", style="dim")
            bar.append_text(marks.count_text(Listed(listed)))
            bar.append(f" ({key_for(self, 'snapshots.delete')} deletes them, "
                       f"{key_for(self, 'snapshots.clear_filter')} clears)", style="dim")
        self.query_one(f"#{kind}-page", Static).update(bar)

    @staticmethod
    def _marked(cells: list[Text], marked: bool) -> list[Text]:
        return [marked_cell(cells[0], marked), *cells[1:]]

    def _update_hints(self) -> None:
        self.query_one("#snapshots-hint", Static).update(snapshot_action_hint(self.selected_snapshot(), key=self._hint_key))
        image = self.selected_image()
        words = (f"⏎ Details  {key_for(self, 'images.delete')} Delete" if image
                 else f"{key_for(self, 'images.create')} Create an image from a finished snapshot")
        hint = Text(words, style="dim")
        self.query_one("#images-hint", Static).update(hint)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._update_hints()

    def selected_snapshot(self) -> Snapshot | None:
        snapshot_id = self.query_one("#snapshots-table", SyncedTable).selected_id
        return self.store.snapshots.get(snapshot_id) if snapshot_id else None

    def selected_image(self) -> Image | None:
        image_id = self.query_one("#images-table", SyncedTable).selected_id
        return self.store.images.get(image_id) if image_id else None

    # --- actions ---------------------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        self.lists[self.active_tab].turn(step)
        self.refresh_from_store()

    @on(DataTable.RowSelected, "#snapshots-table")
    def _snapshot_chosen(self) -> None:
        snapshot = self.selected_snapshot()
        if snapshot is not None:
            from barrack_tui.tui.areas.snapshots.details import SnapshotDetailsScreen

            self.barrack.push_screen(SnapshotDetailsScreen(snapshot.id))

    @on(DataTable.RowSelected, "#images-table")
    def _image_chosen(self) -> None:
        image = self.selected_image()
        if image is not None:
            self.open_image_details(image)

    def action_create_snapshot(self) -> None:
        self.open_create_snapshot(self.region_filter)

    def action_restore(self) -> None:
        if (snapshot := self.selected_snapshot()) is not None:
            self.open_restore(snapshot)

    def action_make_image(self) -> None:
        if (snapshot := self.selected_snapshot()) is not None:
            self.open_make_image(snapshot, self.region_filter)

    def action_delete_snapshot(self) -> None:
        marked = self._marked_items(SNAPSHOTS_TAB)
        if marked:
            self.bulk_delete_snapshots(marked, self.marks[SNAPSHOTS_TAB], self._bulk_done)
        elif (snapshot := self.selected_snapshot()) is not None:
            self.open_delete_snapshot(snapshot)

    def action_create_image(self) -> None:
        self.open_make_image(None, self.region_filter)

    def action_delete_image(self) -> None:
        marked = self._marked_items(IMAGES_TAB)
        if marked:
            self.bulk_delete_images(marked, self.marks[IMAGES_TAB], self._bulk_done)
        elif (image := self.selected_image()) is not None:
            self.open_delete_image(image)

    # --- marks -----------------------------------------------------------------------------------

    def _table(self, tab: str) -> SyncedTable:
        return self.query_one("#snapshots-table" if tab == SNAPSHOTS_TAB else "#images-table", SyncedTable)

    def _marked_items(self, tab: str) -> list[Any]:
        items = self.store.snapshots if tab == SNAPSHOTS_TAB else self.store.images
        return [items[i] for i in self.marks[tab] if i in items]

    def action_toggle_mark(self) -> None:
        tab = self.active_tab
        table = self._table(tab)
        if table.selected_id is None:
            return
        self.marks[tab].toggle(table.selected_id)
        self.refresh_from_store()
        # On to the next row, so a run of rows is marked by holding the key.
        table.action_cursor_down()

    def action_mark_all(self) -> None:
        tab = self.active_tab
        self.marks[tab].mark_all(item.id for item in self.lists[tab].items)
        self.refresh_from_store()

    def action_unmark_all(self) -> None:
        self.marks[self.active_tab].clear()
        self.refresh_from_store()

    def action_filter_escape(self) -> None:
        if self.marks[self.active_tab] and not self.filter_box.is_open:
            # Marks first: they are the newer, shorter-lived choice, and a filter often made them.
            self.action_unmark_all()
            return
        super().action_filter_escape()

    def _bulk_done(self, report: BulkReport) -> None:
        self.refresh_from_store()
        self.refresh_kinds("snapshots", "images")

    def _hint_key(self, action: str) -> str:
        return "⏎" if action == "details" else key_for(self, HINT_BINDINGS[action])

    def current_query(self) -> ListQuery[Any]:
        return self.queries[self.active_tab]

    def current_listing(self) -> PagedList[Any]:
        return self.lists[self.active_tab]

    def list_changed(self) -> None:
        self.refresh_from_store()

    def focus_list(self) -> None:
        self.query_one("#snapshots-table" if self.active_tab == SNAPSHOTS_TAB else "#images-table", SyncedTable).focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        commands = [
            ("snapshots.create", "Snapshots: take a snapshot", "Of an ACTIVE instance", SNAPSHOTS_TAB, self.action_create_snapshot),
            ("snapshots.restore", "Snapshots: restore the selected snapshot", "Into a new instance", SNAPSHOTS_TAB,
             self.action_restore),
            ("snapshots.make_image", "Snapshots: make an image of the selected snapshot", "From a finished snapshot",
             SNAPSHOTS_TAB, self.action_make_image),
            ("snapshots.delete", "Snapshots: delete the marked snapshots, or the selected one", "With confirmation",
             SNAPSHOTS_TAB, self.action_delete_snapshot),
            ("images.create", "Images: create an image from a snapshot", "On the Images tab", IMAGES_TAB, self.action_create_image),
            ("images.delete", "Images: delete the marked images, or the selected one", "With confirmation", IMAGES_TAB,
             self.action_delete_image),
        ]
        for binding_id, title, help_text, tab, action in commands:
            yield command(self, binding_id, title, help_text, self._on_tab(tab, action))
        yield command(self, "snapshots.mark_all", "Snapshots & Images: mark every row shown",
                      "Of the tab in view, for one delete (after a filter: the rows it shows)", self.action_mark_all)
        yield command(self, "snapshots.clear_filter", "Snapshots & Images: clear the marks", "Of the tab in view",
                      self.action_unmark_all)
        for region in (None, *REGION_CHOICES):
            label = region or "all regions"
            yield SystemCommand(
                f"Snapshots & Images: show {label}", "This screen's region filter", self._filter_to(region)
            )

    def _on_tab(self, tab: str, action: Any) -> Any:
        def run() -> None:
            self.query_one("#snapshots-tabs", TabbedContent).active = tab
            action()

        return run

    def _filter_to(self, region: str | None) -> Any:
        return lambda: self.set_region_filter(region)
