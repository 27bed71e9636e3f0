"""The Regions screen (home, key 1): one panel per region with the account's resources and the stock-and-price matrix.

Enter on a region sets the app's region context (every screen's default
filter); Enter on a matrix cell opens the deploy wizard prefilled with that
region, GPU model and count; `w` on an out-of-stock cell watches it, and the
screen tells the user when it comes back (checked on every stock change; while
another screen is visible and a watch is set, stock is still fetched on the
slow poll interval so the watch keeps working).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from barrack_tui.tui.areas.regions.stock_matrix import (
    CELL_WIDTH,
    HEADER_ROW,
    WATCH_MARK,
    RegionPanel,
    StockCell,
    build_cells,
    price_table,
    stock_table,
)
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.still_reading import STILL_READING
from barrack_tui.tui.shell.app import RegionContextChanged
from barrack_tui.tui.shell.area_status import load_state
from barrack_tui.tui.shell.header import AppHeader
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet, PollHealthChanged

WatchKey = tuple[str, str, int]  # (region, gpu model, gpu count)


def describe_config(gpu_model: str, gpu_count: int) -> str:
    return f"{gpu_model} ×{gpu_count}"


# Why the store keeps stock polled off this screen (released when the last watch ends).
WATCH_REASON = "regions.stock_watch"

class RegionsScreen(AreaScreen):
    CSS_PATH = "regions.tcss"
    POLL_KINDS = ("regions", "stocks", "prices", "volumes")
    # Paints the first answers before they are validated (the app's first look), refusing actions meanwhile.
    SHOWS_FIRST_LOOK = True
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("details", "choose", "Select", id="regions.choose"),
        bind("context", "toggle_context", "Region context", id="regions.context"),
        Binding("w", "watch", "Watch stock", id="regions.watch"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.watches: set[WatchKey] = set()
        self._panels: dict[str, RegionPanel] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Regions", style="bold"), classes="screen-title")
        yield Static(self._legend(), id="regions-legend", classes="hint")
        with VerticalScroll(id="regions-list", can_focus=False):
            yield Static(Text("Loading regions…"), id="regions-loading", classes="muted")
        yield Static(id="regions-target", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._hold_stock_for_watches()

    def _legend(self, currency: str = "USD") -> Text:
        legend = Text(no_wrap=True, overflow="ellipsis")
        legend.append(f"Each cell: units in stock, price/h in {currency} · ")
        legend.append("dim", style="dim")
        legend.append(": out of stock · ")
        legend.append(WATCH_MARK, style="bold yellow")
        legend.append(": watched")
        return legend

    # --- store -> panels --------------------------------------------------------------------------

    def shown(self) -> Any:
        """Where the panels' data comes from: the app's first look until the store has read it, then the store."""
        return self.barrack.first_look or self.barrack.store

    def _still_first_look(self) -> bool:
        # What the panels show was read but not yet validated: nothing may act on it (api/first_look.py).
        if self.barrack.first_look is None:
            return False
        self.notify(STILL_READING, severity="warning")
        return True

    @property
    def panels(self) -> list[RegionPanel]:
        """Panels in display order."""
        return list(self._panels.values())

    def panel(self, region: str) -> RegionPanel:
        return self._panels[region]

    def refresh_from_store(self) -> None:
        self._show_load_state()
        self._sync_panels()
        self._fill_cells()
        self._fill_resources()
        self._update_target()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "regions":
            self._sync_panels()
            self._fill_cells()
            self._fill_resources()
        elif change.kind in ("stocks", "prices"):
            self._fill_cells()
            if change.kind == "stocks":
                self._check_watches()
        elif change.kind == "balance":
            store = self.shown()
            if any(panel.currency != store.currency for panel in self.panels):
                self._fill_cells()
        elif change.kind in ("instances", "volumes"):
            self._fill_resources()
        self._update_target()

    def _show_load_state(self) -> None:
        # Until the first good read: loading, or why it failed (never "Loading…" through an outage).
        placeholder = self.query_one("#regions-loading", Static)
        placeholder.update(load_state(self.barrack.store, "regions") or Text("No regions listed.", style="dim"))

    def _sync_panels(self) -> None:
        store = self.shown()
        names = [str(region.name) for region in store.regions]
        for name in [n for n in self._panels if n not in names]:
            self._panels.pop(name).remove()
        fresh: list[RegionPanel] = []
        for region in store.regions:
            name = str(region.name)
            if name in self._panels:
                self._panels[name].region_info = region
            else:
                panel = RegionPanel(region, id=f"region-{name}")
                panel.is_context = name == self.barrack.region
                self._panels[name] = panel
                fresh.append(panel)
        if fresh:
            self.query_one("#regions-loading").display = False
            self.query_one("#regions-list", VerticalScroll).mount_all(fresh)
            self.call_after_refresh(self._focus_initial_panel)

    def _focus_initial_panel(self) -> None:
        if self.focused is None and self._panels:
            chosen = self._panels.get(self.barrack.region or "") or self.panels[0]
            chosen.focus()

    def _fill_cells(self) -> None:
        store = self.shown()
        prices = price_table(store.prices, store.currency)
        stock_loaded = "stocks" in store.loaded
        built = {
            name: build_cells(panel.region_info, store.stocks, prices, store.currency, stock_loaded=stock_loaded)
            for name, panel in self._panels.items()
        }
        # One model column width for every panel, so the matrices line up down the screen.
        width = max((len(m) for models, _, _ in built.values() for m in models), default=9) + 1
        for name, (models, counts, cells) in built.items():
            panel = self._panels[name]
            panel.models, panel.counts, panel.cells = models, counts, cells
            panel.currency = store.currency
            panel.model_width = width
            panel.watched = {(m, c) for r, m, c in self.watches if r == name}
            if panel.row > panel.last_row():
                panel.row = panel.last_row()
            panel.column = min(panel.column, len(counts) - 1)
            panel.refresh(layout=True)
        self.query_one("#regions-legend", Static).update(self._legend(store.currency))

    def on_poll_health_changed(self, _: PollHealthChanged) -> None:
        # (Textual runs AreaScreen's handler too.) An empty first read of the fleet changes no item (no StoreChanged): the cards stop saying "…" here.
        loaded = self.shown().loaded
        if any(p.instances_read != ("instances" in loaded) or p.volumes_read != ("volumes" in loaded) for p in self.panels):
            self._fill_resources()

    def _fill_resources(self) -> None:
        store = self.shown()
        # One pass over each list, not one per region: a fleet of 10,000 is read every time it changes.
        instances: dict[str, list[Any]] = {name: [] for name in self._panels}
        for instance in store.instances.values():
            instances.get(str(instance.region), []).append(instance)
        volumes: dict[str, list[Any]] = {name: [] for name in self._panels}
        for volume in store.volumes.values():
            volumes.get(str(volume.region), []).append(volume)
        for name, panel in self._panels.items():
            panel.instances = instances[name]
            panel.volumes = volumes[name]
            panel.instances_read = "instances" in store.loaded
            panel.volumes_read = "volumes" in store.loaded
            panel.refresh()

    def on_region_context_changed(self, message: RegionContextChanged) -> None:
        for name, panel in self._panels.items():
            panel.is_context = name == message.region
            panel.refresh()
        self._update_target()
        self.query_one(AppHeader).update_header()  # at once, not at the header's next tick

    # --- the cursor -------------------------------------------------------------------------------

    def target(self) -> tuple[RegionPanel | None, StockCell | None]:
        """The focused panel and the cell under its cursor (None on the region header)."""
        focused = self.focused
        if isinstance(focused, RegionPanel):
            return focused, focused.current_cell
        if self._panels:
            return self.panels[0], None
        return None, None

    def on_region_panel_edge_reached(self, message: RegionPanel.EdgeReached) -> None:
        panels = self.panels
        index = panels.index(message.panel) + message.direction
        if 0 <= index < len(panels):
            neighbour = panels[index]
            neighbour.place_cursor(neighbour.last_row() if message.direction < 0 else HEADER_ROW)
            neighbour.focus()

    def on_region_panel_cursor_moved(self, message: RegionPanel.CursorMoved) -> None:
        self._update_target()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, RegionPanel):
            event.widget.scroll_visible()
        self._update_target()

    def _update_target(self) -> None:
        """Say what Enter and `w` would do right now, so no action needs guessing."""
        panel, cell = self.target()
        line = Text(no_wrap=True, overflow="ellipsis")
        if panel is None:
            line.append("Waiting for the region list…", style="dim")
        elif cell is None:
            context = self.barrack.region
            keys = f"enter/{key_for(self, 'regions.context')}"  # the key bar's own name for it, rebound or not
            line.append(panel.region_name, style="bold")
            if context == panel.region_name:
                line.append(f" is the region context · {keys}: back to all regions · ↓: its GPUs")
            else:
                line.append(f" · {keys}: make it the region context (now {context or 'all regions'}) · ↓: its GPUs")
        else:
            from barrack_tui.rules.pricing import money  # a cell exists only once the data is read

            store = self.shown()
            line.append(f"{describe_config(cell.gpu_model, cell.gpu_count)} in {panel.region_name}: ", style="bold")
            if cell.hourly is not None:
                line.append(f"{money(cell.hourly):,.2f} {store.currency}/h · ")
            watched = (panel.region_name, cell.gpu_model, cell.gpu_count) in self.watches
            if cell.available is None:
                line.append("stock loading…", style="dim")
            elif cell.in_stock:
                line.append(f"{cell.available} in stock", style="green")
                line.append(" · enter: deploy")
            elif watched:
                line.append(f"out of stock, watched {WATCH_MARK}", style="yellow")
                line.append(" · w: stop watching")
            else:
                line.append("out of stock", style="dim")
                line.append(" · w: tell me when it is back")
        self.query_one("#regions-target", Static).update(line)

    # --- actions ----------------------------------------------------------------------------------

    def action_choose(self) -> None:
        panel, cell = self.target()
        if panel is None or self._still_first_look():
            return
        if cell is None:
            self.action_toggle_context()
        else:
            self.deploy(panel, cell)

    def action_toggle_context(self) -> None:
        panel, _ = self.target()
        if panel is None or self._still_first_look():
            return
        app: Any = self.app
        name = panel.region_name
        app.region = None if app.region == name else name
        if app.region:
            self.notify(f"Region context: {name}. Every screen now defaults to {name}.", title="Region")
        else:
            self.notify("Region context: all regions.", title="Region")

    def deploy(self, panel: RegionPanel, cell: StockCell) -> None:
        config = describe_config(cell.gpu_model, cell.gpu_count)
        if cell.available is None:
            self.notify("Stock is still loading; try again in a moment.", severity="warning")
            return
        if not cell.in_stock:
            self.notify(
                f"{config} is out of stock in {panel.region_name}. Press {key_for(self, 'regions.watch')} to be told when it is back.",
                title="Out of stock",
                severity="warning",
            )
            return
        self.barrack.open_deploy(region=panel.region_name, gpu_model=cell.gpu_model, gpu_count=cell.gpu_count)

    def action_watch(self) -> None:
        panel, cell = self.target()
        if panel is None or self._still_first_look():
            return
        if cell is None:
            self.notify("Move down to a GPU cell to watch its stock.", severity="warning")
            return
        key: WatchKey = (panel.region_name, cell.gpu_model, cell.gpu_count)
        config = describe_config(cell.gpu_model, cell.gpu_count)
        if key in self.watches:
            self.unwatch(key)
        elif cell.available is None:
            self.notify("Stock is still loading; try again in a moment.", severity="warning")
        elif cell.in_stock:
            self.notify(f"{config} is in stock in {panel.region_name} now ({cell.available} available): press enter to deploy.")
        else:
            self.watches.add(key)
            self._hold_stock_for_watches()
            self.notify(f"Watching {config} in {panel.region_name}: you will be told when it is back in stock.", title="Stock watch")
            self._fill_cells()
            self._update_target()

    def unwatch(self, key: WatchKey) -> None:
        if key in self.watches:
            self.watches.discard(key)
            self._hold_stock_for_watches()
            region, model, count = key
            self.notify(f"Stopped watching {describe_config(model, count)} in {region}.", title="Stock watch")
            self._fill_cells()
            self._update_target()

    def _check_watches(self) -> None:
        store = self.barrack.store
        for key in sorted(self.watches):
            region, model, count = key
            available = stock_table(store.stocks, region).get((model, count), 0)
            if available > 0:
                self.watches.discard(key)
                # Told as every watch and alert is: a toast, the activity log, the terminal's notification.
                self.barrack.alerts.watch_came_true(
                    "Stock watch",
                    f"{describe_config(model, count)} is back in stock in {region}: {available} available.",
                    target_kind="region",
                    target_name=region,
                )
        self._hold_stock_for_watches()
        for name, panel in self._panels.items():
            panel.watched = {(m, c) for r, m, c in self.watches if r == name}
            panel.refresh()

    def _hold_stock_for_watches(self) -> None:
        """A watch lives on while other screens are shown: the store keeps polling stock until none is left."""
        if self.watches:
            self.barrack.store.hold("stocks", WATCH_REASON)
        else:
            self.barrack.store.release("stocks", WATCH_REASON)

    # --- mouse ------------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        panel = event.widget
        if not isinstance(panel, RegionPanel):
            return
        offset = event.get_content_offset(panel)
        if offset is None:
            return
        panel.focus()
        matrix_row = offset.y - 4  # header, instances, volumes, the matrix's column titles
        if offset.y == 0 or matrix_row < 0:
            panel.place_cursor(HEADER_ROW)
            return
        column = (offset.x - 1 - panel.model_width) // CELL_WIDTH
        panel.place_cursor(matrix_row, max(0, column))

    # --- command palette --------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Regions: toggle region context", f"Use the focused region as every screen's default filter ({key_for(self, 'regions.context')})", self.action_toggle_context)
        yield SystemCommand("Regions: deploy the selected configuration", f"Open the deploy wizard for the cell under the cursor ({key_for(self, 'regions.choose')})", self.action_choose)
        yield SystemCommand("Regions: watch the selected configuration", f"Be told when an out-of-stock configuration is back ({key_for(self, 'regions.watch')})", self.action_watch)
        for key in sorted(self.watches):
            region, model, count = key
            yield SystemCommand(
                f"Regions: stop watching {describe_config(model, count)} in {region}",
                "Remove this stock watch",
                lambda key=key: self.unwatch(key),
            )
