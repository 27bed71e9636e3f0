"""The Firewalls screen (key 4): statistics, the list in pages of 6, a region filter, create, attach, delete.

The region filter starts at the app's region context and follows it when it
changes (`f` cycles it by hand). The table is updated in place: a poll that
changes one firewall updates that row's cells; rows are only added or removed
when the page's membership changes. F1 (the 25-firewall limit) is shown as
visible text next to the list when reached; F5 (no delete while attached) is
shown for the selected firewall before the user asks. Space marks firewalls
(ctrl+a every one the filter shows); while any are marked, delete acts on the
marked ones through one bulk confirmation (`kit/bulk.py`) that lists the
attached ones as refused in F5's words, and Escape clears the marks first.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from barrack_tui.api.models import FirewallResponse, RegionEnum
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.firewalls import MAX_FIREWALLS, can_create_firewall, can_delete_firewall, firewall_stats
from barrack_tui.tui.areas.firewalls.actions import FirewallFlows, created_text, plural
from barrack_tui.tui.areas.firewalls.create import CreateFirewallModal
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.bulk import BulkPlan, BulkReport, BulkTarget, ask_bulk
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.list_columns import firewall_query
from barrack_tui.tui.kit.list_controls import FilterBox, ListControls
from barrack_tui.tui.kit.marks import Listed, Marks, marked_cell
from barrack_tui.tui.kit.paged_list import PagedList
from barrack_tui.tui.kit.synced_table import SyncedTable
from barrack_tui.tui.shell.app import RegionContextChanged
from barrack_tui.tui.shell.area_status import load_state
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

REGION_CHOICES: tuple[str | None, ...] = (None, *(r.value for r in RegionEnum))
# Below this width the table drops its description column (the line under it shows the selected one's).
WIDE_TABLE = 110
COLUMNS_WIDE = (("name", "Name"), ("description", "Description"), ("region", "Region"), ("status", "Status"),
                ("rules", "Rules"), ("attached", "Attached"), ("created", "Created"))
COLUMNS_NARROW = tuple(c for c in COLUMNS_WIDE if c[0] != "description")
NAME_WIDTH = 20
DESCRIPTION_WIDTH = 34


def _clipped(text: str, width: int, style: str = "") -> Text:
    cell = Text(text, style=style, no_wrap=True)
    cell.truncate(width, overflow="ellipsis")
    return cell


def firewall_cells(firewall: FirewallResponse, columns: Iterable[tuple[str, str]], *, marked: bool = False) -> list[Text]:
    values: dict[str, Text] = {
        # The mark takes two cells of the name's, so a marked row keeps the column's width.
        "name": marked_cell(_clipped(str(firewall.name), NAME_WIDTH - 2 if marked else NAME_WIDTH), marked),
        "description": _clipped(str(firewall.description), DESCRIPTION_WIDTH, "dim"),
        "region": Text(str(firewall.region)),
        "status": status_badge(firewall.status),
        "rules": Text(str(firewall.rule_count), justify="right"),
        "attached": Text(str(firewall.attachment_count), justify="right"),
        "created": Text(created_text(firewall.created_at)),
    }
    return [values[key] for key, _ in columns]


class FirewallsScreen(FirewallFlows, ListControls, AreaScreen):
    CSS_PATH = "firewalls.tcss"
    POLL_KINDS = ("firewalls",)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("new", "create", "Create", id="firewalls.create"),
        bind("details", "details", "Details", id="firewalls.details"),
        bind("attach", "attach", "Attach", id="firewalls.attach"),
        bind("delete", "delete", "Delete", id="firewalls.delete"),
        bind("filter", "filter", "Filter", id="firewalls.list_filter"),
        bind("sort", "sort_next", "Sort", show=False, id="firewalls.sort"),
        bind("reverse sort", "sort_reverse", "Reverse sort", show=False, id="firewalls.sort_reverse"),
        bind("back", "filter_escape", "Clear marks, then filter", show=False, id="firewalls.clear_filter"),
        bind("mark", "toggle_mark", "Mark", show=False, id="firewalls.mark"),
        bind("mark all", "mark_all", "Mark all shown", show=False, id="firewalls.mark_all"),
        bind("region", "cycle_region", "Region filter", id="firewalls.filter"),
        bind("previous page", "page(-1)", "Prev page", id="firewalls.page_prev"),
        bind("next page", "page(1)", "Next page", id="firewalls.page_next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.region_filter: str | None = None
        # Ordered once per change of the firewalls or the filter; only the page on screen becomes rows.
        self.query_state = firewall_query()
        self.listing: PagedList[FirewallResponse] = PagedList(
            lambda: self.barrack.store.firewalls,
            order=self.query_state.order,
            keep=lambda f: (self.region_filter is None or str(f.region) == self.region_filter) and self.query_state.keep(f),
        )
        self._stats_of: list[FirewallResponse] | None = None
        self.marks = Marks()
        self._columns: tuple[tuple[str, str], ...] = COLUMNS_WIDE

    def compose_body(self) -> ComposeResult:
        yield Static(Text("Firewalls", style="bold"), classes="screen-title")
        with Horizontal(id="fw-stats"):
            for key, label in (("total", "Total Firewalls"), ("rules", "Total Rules"), ("attachments", "Attachments"), ("active", "Active")):
                yield Static(Text(label), id=f"fw-stat-{key}", classes="fw-stat")
        yield Static(id="fw-filter", classes="hint")
        yield FilterBox("filter: words, status:ACTIVE, region:US-1 — Enter keeps, Escape reverts")
        self._columns = COLUMNS_WIDE if self.barrack.size.width >= WIDE_TABLE else COLUMNS_NARROW
        yield SyncedTable(self._columns, id="fw-table")
        yield Static(id="fw-selected", classes="hint")
        yield Static(id="fw-create-reason", classes="warning")

    def on_mount(self) -> None:
        super().on_mount()
        self.region_filter = self.barrack.region
        self.table.focus()

    @property
    def table(self) -> SyncedTable:
        return self.query_one("#fw-table", SyncedTable)

    async def on_resize(self, event: events.Resize) -> None:
        wanted = COLUMNS_WIDE if event.size.width >= WIDE_TABLE else COLUMNS_NARROW
        if wanted == self._columns:
            return
        # A table's columns are fixed: swap in one with the other set, keeping the selection and focus.
        self._columns = wanted
        old = self.table
        selected, had_focus = old.selected_id, old.has_focus
        await old.remove()
        await self.mount(SyncedTable(wanted, id="fw-table"), after="#fw-filter")
        self.render_list()
        if selected is not None:
            self.table.select_id(selected)
        if had_focus:
            self.table.focus()

    # --- what is listed ---------------------------------------------------------------------------

    def filtered(self) -> list[FirewallResponse]:
        """The firewalls of the region filter, oldest first (the API's order, so a new one lands at the end)."""
        return self.listing.items

    def current_firewall(self) -> FirewallResponse | None:
        selected = self.table.selected_id
        return None if selected is None else self.barrack.store.firewalls.get(selected)

    def refresh_from_store(self) -> None:
        self.render_list()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "firewalls":
            self.marks.keep_only(self.barrack.store.firewalls)
            self.listing.invalidate()
            self.render_list()

    def on_region_context_changed(self, message: RegionContextChanged) -> None:
        self.set_region_filter(message.region)

    def set_region_filter(self, region: str | None) -> None:
        self.region_filter = region
        self.listing.invalidate()
        self.page = 1
        self.render_list()

    # --- drawing ----------------------------------------------------------------------------------

    def render_list(self) -> None:
        visible = self.listing.shown()
        self.table.sync([(f.id, firewall_cells(f, self._columns, marked=f.id in self.marks)) for f in visible])
        items = self.listing.items
        if items is not self._stats_of:  # statistics walk every firewall: only when the list changed
            self._stats_of = items
            self._render_stats(items)
        self._render_filter(len(items), self.listing.pages)
        self._render_create_reason()
        self._render_selected()

    def _render_stats(self, items: list[FirewallResponse]) -> None:
        stats = firewall_stats(items)
        for key, label, value in (
            ("total", "Total Firewalls", stats.total_firewalls),
            ("rules", "Total Rules", stats.total_rules),
            ("attachments", "Attachments", stats.attachments),
            ("active", "Active", stats.active),
        ):
            card = Text(f"{value:,}", style="bold")
            card.append(f" {label}", style="")
            self.query_one(f"#fw-stat-{key}", Static).update(card)

    def _render_filter(self, shown: int, pages: int) -> None:
        total = len(self.barrack.store.firewalls)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Region ")
        line.append(self.region_filter or "all", style="bold")
        line.append(f" ({key_for(self, 'firewalls.filter')})  ·  ")
        pager = f"{key_for(self, 'firewalls.page_prev')} {key_for(self, 'firewalls.page_next')}"
        line.append(f"page {self.page:,}/{pages:,} ({pager})  ·  {shown:,} shown, {total:,} of the {MAX_FIREWALLS} the account may hold")
        line.append(self.order_words(), style="dim")
        state = load_state(self.barrack.store, "firewalls")
        if state is not None:
            line.append("  ·  ")
            line.append_text(state)
        self.query_one("#fw-filter", Static).update(line)

    def _render_create_reason(self) -> None:
        verdict = can_create_firewall(len(self.barrack.store.firewalls))
        reason = self.query_one("#fw-create-reason", Static)
        reason.update(Text("" if verdict else f"Create is disabled: {verdict.message}"))
        reason.display = not verdict

    def _render_selected(self) -> None:
        """Two lines about the selected firewall: what it is, then what can be done (or why not)."""
        firewall = self.current_firewall()
        about = Text(no_wrap=True, overflow="ellipsis")
        actions = Text(no_wrap=True, overflow="ellipsis")
        if firewall is None:
            about.append_text(load_state(self.barrack.store, "firewalls") or Text("No firewalls here.", style="dim"))
            if can_create_firewall(len(self.barrack.store.firewalls)):
                actions.append(f"{key_for(self, 'firewalls.create')}: create one")
        else:
            about.append(Text(str(firewall.name), style="bold"))
            if firewall.description:  # in full: the table's column clips long ones
                about.append(": ")
                about.append(Text(str(firewall.description)))
            verdict = can_delete_firewall(firewall.attachment_count, firewall.status)
            if verdict:
                actions.append(" · ".join(f"{key_for(self, f'firewalls.{verb}')}: {verb}" for verb in ("details", "attach", "delete")))
            else:
                # The refusal alone, so it fits at 80 columns (the footer lists the keys).
                actions.append("Delete: ")
                actions.append(verdict.message, style="yellow")
        if self.marks:
            # Delete acts on the marks now (the confirmation names each refused one in F5's words), even
            # when the filter shows none of them.
            actions = self.marks.count_text(Listed(self.listing))
            actions.no_wrap, actions.overflow = True, "ellipsis"
            actions.append(f" · {key_for(self, 'firewalls.delete')}: delete the marked · "
                           f"{key_for(self, 'firewalls.clear_filter')}: clear the marks", style="dim")
        self.query_one("#fw-selected", Static).update(Text("\n").join([about, actions]))

    @on(DataTable.RowHighlighted, "#fw-table")
    def _highlighted(self) -> None:
        self._render_selected()

    @on(DataTable.RowSelected, "#fw-table")
    def _selected(self) -> None:
        self.action_details()

    # --- actions ----------------------------------------------------------------------------------

    def action_create(self) -> None:
        verdict = can_create_firewall(len(self.barrack.store.firewalls))
        if not verdict:
            self.notify(verdict.message, title="Cannot create a firewall", severity="warning")
            return
        taken = [str(f.name) for f in self.barrack.store.firewalls.values()]
        region = self.region_filter or self.barrack.region
        self.barrack.push_screen(CreateFirewallModal(taken_names=taken, region=region), self._created)

    def _created(self, firewall: FirewallResponse | None) -> None:
        if firewall is None:
            return
        self.barrack.store.upsert("firewalls", firewall)
        if self.region_filter is not None and self.region_filter != str(firewall.region):
            self.region_filter = str(firewall.region)
        self.listing.invalidate()
        self.show_firewall(firewall.id)
        self.notify(f"Firewall {firewall.name} created in {firewall.region}. Press enter to add rules.", title="Firewall")
        self.firewall_changed()

    def show_firewall(self, firewall_id: str) -> None:
        """Turn to the page holding `firewall_id` and put the cursor on it."""
        if not self.listing.go_to(firewall_id):
            return
        self.render_list()
        self.table.select_id(firewall_id)
        self._render_selected()

    def action_details(self) -> None:
        firewall = self._need_firewall()
        if firewall is not None:
            from barrack_tui.tui.areas.firewalls.details import FirewallDetailsScreen

            self.barrack.push_screen(FirewallDetailsScreen(firewall.id))

    # --- marks and the delete of many ---------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        firewall = self.current_firewall()
        if firewall is None:
            return
        self.marks.toggle(firewall.id)
        self.render_list()
        # On to the next row, so a run of rows is marked by holding the key.
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        self.marks.mark_all(f.id for f in self.listing.items)
        self.render_list()

    def action_unmark_all(self) -> None:
        self.marks.clear()
        self.render_list()

    def action_filter_escape(self) -> None:
        if self.marks and not self.filter_box.is_open:
            # Marks first: they are the newer, shorter-lived choice, and a filter often made them.
            self.action_unmark_all()
            return
        super().action_filter_escape()

    def marked_firewalls(self) -> list[FirewallResponse]:
        firewalls = self.barrack.store.firewalls
        return [firewalls[i] for i in self.marks if i in firewalls]

    def action_delete(self) -> None:
        marked = self.marked_firewalls()
        if marked:
            self.bulk_delete(marked)
            return
        super().action_delete()

    def bulk_delete(self, firewalls: list[FirewallResponse]) -> None:
        store = self.barrack.store
        targets: list[BulkTarget] = []
        for firewall in firewalls:
            about = (f"{firewall.region}, {plural(firewall.rule_count, 'rule')}, "
                     f"attached to {plural(firewall.attachment_count, 'instance')}")
            verdict = can_delete_firewall(firewall.attachment_count, firewall.status)
            targets.append(BulkTarget(firewall.id, str(firewall.name), about, refusal="" if verdict else verdict.message))

        async def send(target: BulkTarget) -> str:
            await store.send(lambda api: api.delete_firewall(target.id))
            store.remove("firewalls", target.id)
            return "deleted"

        plan = BulkPlan(
            verb="delete", label="Delete", kind="firewall", plural="firewalls", targets=targets, send=send,
            destructive=True, notes=(Text("Their rules are deleted with them. This cannot be undone."),),
            cost=cost_effect("firewall_delete", currency=store.currency),
        )
        ask_bulk(self, plan, self.marks, self._bulk_done)

    def _bulk_done(self, report: BulkReport) -> None:
        self.listing.invalidate()
        self.render_list()
        self.firewall_changed()

    def action_cycle_region(self) -> None:
        index = REGION_CHOICES.index(self.region_filter) if self.region_filter in REGION_CHOICES else 0
        self.set_region_filter(REGION_CHOICES[(index + 1) % len(REGION_CHOICES)])

    def action_page(self, step: int) -> None:
        if self.listing.turn(step):
            self.render_list()
            self.table.move_cursor(row=0)
            self._render_selected()

    def list_changed(self) -> None:
        self.render_list()

    def focus_list(self) -> None:
        self.table.focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield command(self, "firewalls.create", "Firewalls: create", "New firewall", self.action_create)
        yield command(self, "firewalls.details", "Firewalls: details", "Rules and attached instances of the selected firewall",
                      self.action_details)
        yield command(self, "firewalls.attach", "Firewalls: attach to instances", "Attach the selected firewall", self.action_attach)
        yield command(self, "firewalls.delete", "Firewalls: delete", "Delete the marked firewalls, or the selected one",
                      self.action_delete)
        yield command(self, "firewalls.mark_all", "Firewalls: mark every firewall shown",
                      "For one delete of all of them (after a filter: the ones it shows)", self.action_mark_all)
        yield command(self, "firewalls.clear_filter", "Firewalls: clear the marks", "Unmark every firewall",
                      self.action_unmark_all)
        yield command(self, "firewalls.list_filter", "Firewalls: filter", "Words, status:…, region:…", self.action_filter)
        yield command(self, "firewalls.sort", "Firewalls: sort by the next column", "Cycle the sort column", self.action_sort_next)
        yield command(self, "firewalls.page_next", "Firewalls: next page", "", lambda: self.action_page(1))
        yield command(self, "firewalls.page_prev", "Firewalls: previous page", "", lambda: self.action_page(-1))
        for region in REGION_CHOICES:
            label = region or "all regions"
            yield command(self, "firewalls.filter", f"Firewalls: show {label}", "Region filter", partial(self.set_region_filter, region))
