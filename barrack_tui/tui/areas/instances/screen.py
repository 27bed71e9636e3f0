"""The Instances screen: the live fleet table, filter and sort, totals, actions, deploy, ssh.

The table is a `FleetTable` over a `FleetModel`; this screen feeds the model
from the store's change sets (only the ids that changed are rebuilt), keeps
the status line, the cursor row's note and the totals line current, and
remembers the filter and sort in `ui_state` between runs. Space marks rows
(ctrl+a every row the filter shows); while any are marked, the power keys act
on the marked instances through one bulk confirmation (`kit/bulk.py`), and
Escape clears the marks before it clears the filter.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static

from barrack_tui.account import ssh_config
from barrack_tui.api.models import TRANSITIONAL_VM_STATUSES, VMInstance, VMStatus
from barrack_tui.rules.pricing import cost_breakdown, hibernation_saving_per_hour, money
from barrack_tui.tui.areas.instances.actions import ACTION_BINDINGS, InstanceActions, per_day
from barrack_tui.tui.areas.instances.confirm import ConfirmInstanceAction
from barrack_tui.tui.areas.instances.fleet_model import COLUMNS, FleetModel, FleetTotals
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.kit import ui_state
from barrack_tui.tui.kit.bulk import BulkReport
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.marks import Marks
from barrack_tui.tui.kit.still_reading import STILL_READING
from barrack_tui.tui.kit.unknown_mark import UNKNOWN_LEGEND, UNKNOWN_STYLE
from barrack_tui.tui.shell.app import RegionContextChanged
from barrack_tui.tui.shell.area_status import load_state
from barrack_tui.tui.shell.keymap import default_keys, key_display, key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

STATE_KEY = "instances"
_TITLES = dict(COLUMNS)
_COUNT_ORDER = ("ACTIVE", "SHUTOFF", "HIBERNATED", "ERROR")


class InstancesScreen(InstanceActions, AreaScreen):
    CSS_PATH = "instances.tcss"
    POLL_KINDS = ()
    AREA_KINDS = ("instances",)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("filter", "filter", "Filter", id="instances.filter"),
        bind("sort", "sort_next", "Sort", id="instances.sort"),
        bind("reverse sort", "sort_reverse", "Reverse sort", show=False, id="instances.sort_reverse"),
        bind("new", "deploy", "Deploy", id="instances.deploy"),
        bind("write file", "write_ssh_config", "Write ssh config", show=False, id="instances.ssh_config"),
        bind("back", "escape", "Clear marks, then filter", show=False, id="instances.clear_filter"),
        bind("mark", "toggle_mark", "Mark", show=False, id="instances.mark"),
        bind("mark all", "mark_all", "Mark all shown", show=False, id="instances.mark_all"),
        *ACTION_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.model = FleetModel.from_state(ui_state.load(STATE_KEY))
        self.marks = Marks()
        self._filter_before_edit = ""
        self._reason = ""
        self._loaded = False
        # The rows are a look at a big fleet's first load, not yet validated (api/fleet_look.py): shown, and
        # scrolled, filtered and sorted, but nothing acts on them until the validated fleet replaces them.
        self._looking = False
        self.pending_select: str | None = None

    # --- layout -------------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static(id="fleet-status")
        yield FleetTable(self.model, now=lambda: self.barrack.wall_clock(), id="fleet-table", marks=self.marks)
        yield Static(id="fleet-row-info")
        yield Input(placeholder="filter: words, status:SHUTOFF, region:US-1 — Enter keeps, Escape reverts", id="fleet-filter")
        yield Static(id="fleet-totals")

    @property
    def table(self) -> FleetTable:
        return self.query_one(FleetTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.model.region_context = self.barrack.region
        self.query_one("#fleet-filter", Input).display = False
        # Ages and accrued costs move with the clock; repainting the visible rows is cheap.
        self.set_interval(5.0, self.table.refresh)
        self.table.focus()

    # --- store -> model -> table --------------------------------------------------------------------

    def refresh_from_store(self) -> None:
        store = self.barrack.store
        self.model.currency = store.currency
        if not store.instances and store.fleet_look() is not None:
            self._show_look()
            return
        if not self._loaded or len(self.model.rows) != len(store.instances):
            # First show (or a gap): build every row. Afterwards this screen stays subscribed while
            # hidden (details pane, other modes), so its rows follow every change set already.
            self.model.replace_all(store.instances.values())
            self._loaded = "instances" in store.loaded
        self.marks.keep_only(store.instances)
        self._rebuild()

    def store_changed(self, change: ChangeSet) -> None:
        store = self.barrack.store
        if change.kind in ("balance", "volumes", "snapshots"):  # the totals' storage part follows these too
            if self.model.currency != store.currency:
                self.model.currency = store.currency
            self._update_totals()
            return
        if change.kind == "fleet_look":
            if not store.instances and store.fleet_look() is not None:
                self._show_look()
            return
        if change.kind != "instances":
            return
        ids = change.added | change.changed
        if not self._loaded:
            self.model.replace_all(store.instances.values())
            self._loaded, self._looking = True, False
            self.marks.keep_only(store.instances)
            self._rebuild()
            return
        self.model.apply((store.instances[i] for i in ids if i in store.instances), change.removed)
        self.marks.discard(change.removed)
        self._rebuild(ids)

    def _show_look(self) -> None:
        look = self.barrack.store.fleet_look()
        if look is None or (self._looking and len(self.model.rows) == len(look)):
            return
        # Not loaded: the validated fleet replaces every row of the look at once (not row by row).
        self._looking, self._loaded = True, False
        self.model.replace_all(look.values())
        self._rebuild()

    def still_looking(self) -> bool:
        """True (and says so) while the rows are a look: a key that acts on an instance waits for the fleet."""
        if not self._looking:
            return False
        self._refuse(STILL_READING)
        return True

    def _rebuild(self, changed_ids: frozenset[str] | None = None) -> None:
        before = self.model.view
        self.model.rebuild_view(self.barrack.wall_clock())
        full = changed_ids is None or before != self.model.view
        self.table.view_changed(changed_ids or frozenset(), full=full)
        if self.pending_select and self.table.select_id(self.pending_select):
            self.pending_select = None
        totals = self.model.totals()
        self._update_status(totals.total)
        self._update_totals(totals)
        self._update_row_info()

    def on_region_context_changed(self, message: RegionContextChanged) -> None:
        self.model.region_context = message.region
        self._rebuild()

    def select_instance(self, instance_id: str) -> None:
        """Put the cursor on an instance (now, or as soon as it arrives from the store or the screen mounts)."""
        if not self.is_mounted or not self.table.select_id(instance_id):
            self.pending_select = instance_id

    # --- the three text lines -----------------------------------------------------------------------

    def _update_status(self, total: int | None = None) -> None:
        model = self.model
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" Instances ", style="bold")
        shown = len(model.view)
        total = model.totals().total if total is None else total
        line.append(f"{shown} of {total}" if model.filter.active else f"{total}")
        line.append(f" · sort {_TITLES[model.sort_column]} {'▼' if model.sort_reverse else '▲'}", style="dim")
        if model.region_context:
            line.append(f" · region {model.region_context}", style="dim")
        if self._looking:
            line.append(" · ⟳ reading", style="cyan")
        if model.filter.text:
            line.append(" · filter ", style="dim")
            line.append(model.filter.text, style="bold")
        for problem in model.filter.problems:
            line.append(f" ({problem})", style="yellow")
        if self.marks:
            line.append(" · ")
            line.append_text(self.marks.count_text(model.position))
            line.append(f" ({key_for(self, 'instances.clear_filter')} clears)", style="dim")
        hidden = self.table.hidden_columns
        if hidden:
            line.append(f" · {', '.join(_TITLES[h].split(' ')[0] for h in hidden)} hidden: widen or Enter", style="dim")
        self.query_one("#fleet-status", Static).update(line)

    def _update_totals(self, totals: FleetTotals | None = None) -> None:
        totals = totals or self.model.totals()
        currency = self.model.currency
        # Wraps (two lines at 120 columns, three at 80) rather than cutting the costs off.
        line = Text()
        line.append(f" {totals.total} ")
        for status in _COUNT_ORDER:
            if totals.counts.get(status):
                line.append(f"· {totals.counts[status]} {status} ")
        moving = sum(count for status, count in totals.counts.items() if status in TRANSITIONAL_VM_STATUSES)
        if moving:
            line.append(f"· {moving} ⟳ moving ", style="cyan")
        if totals.unknown_count:
            line.append(f"· {totals.unknown_count} {UNKNOWN_LEGEND} ", style=UNKNOWN_STYLE)
        line.append(f"— fleet {money(totals.cost_per_hour)} {currency}/h ", style="bold")
        line.append(f"({per_day(totals.cost_per_hour)}/day) ", style="dim")
        storage = self._storage_per_hour()
        line.append(f"+ storage {'…' if storage is None else money(storage)} {currency}/h", style="bold")
        if totals.shutoff_count:
            line.append(
                f"  ⚠ {totals.shutoff_count} SHUTOFF bill {per_day(totals.shutoff_per_hour)} {currency}/day; "
                f"hibernating saves {per_day(totals.shutoff_saving_per_hour)}/day",
                style="yellow",
            )
        self.query_one("#fleet-totals", Static).update(line)

    def _storage_per_hour(self) -> Decimal | None:
        """Storage as the header counts it, over the region context (None until volumes and snapshots are read)."""
        store = self.barrack.store
        if not store.storage_known():
            return None
        region = self.model.region_context
        if region is None:
            return store.costs().storage_per_hour
        regional = cost_breakdown(
            (), (v for v in store.volumes.values() if v.region == region),
            (s for s in store.snapshots.values() if s.region == region), store.currency,
        )
        return regional.storage_per_hour

    def _update_row_info(self) -> None:
        info = self.query_one("#fleet-row-info", Static)
        if self._reason:
            info.update(Text(self._reason, style="bold yellow", no_wrap=True, overflow="ellipsis"))
            return
        if self._looking:
            row = self.model.rows.get(self.table.cursor_id or "")
            note = Text(no_wrap=True, overflow="ellipsis")
            if row is not None:
                note.append(row.name, style="bold")
                note.append(f"  {row.id}", style="dim")
            note.append("  ⟳ still reading the fleet: actions wait until it is read", style="cyan")
            info.update(note)
            return
        instance = self.selected_instance()
        if instance is None:
            if self.model.filter.active:
                info.update(Text("No instance matches the filter (Escape clears it)", style="dim"))
            else:
                state = load_state(self.barrack.store, "instances")
                info.update(state or Text(f"No instances yet: {key_for(self, 'instances.deploy')} deploys one", style="dim"))
            return
        info.update(row_note(instance, self.model.currency, lambda binding_id: key_for(self, binding_id)))

    def show_reason(self, text: str) -> None:
        self._reason = text
        self._update_row_info()

    def on_fleet_table_columns_changed(self, _: FleetTable.ColumnsChanged) -> None:
        self._update_status()

    def on_fleet_table_cursor_moved(self, message: FleetTable.CursorMoved) -> None:
        if message.instance_id != getattr(self, "_note_for", None):
            self._note_for = message.instance_id
            self._reason = ""
        self._update_row_info()

    # --- actions ------------------------------------------------------------------------------------

    def selected_instance(self) -> VMInstance | None:
        cursor_id = self.table.cursor_id
        return self.barrack.store.instances.get(cursor_id) if cursor_id else None

    def after_ssh(self) -> None:
        self.table.focus()
        if self.table.cursor_id:
            self.table.select_id(self.table.cursor_id)

    def _target(self) -> VMInstance | None:
        return None if self.still_looking() else super()._target()

    def on_fleet_table_selected(self, message: FleetTable.Selected) -> None:
        if self.still_looking():
            return
        from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen

        self.barrack.push_screen(InstanceDetailsScreen(message.instance_id))

    def action_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        self._filter_before_edit = self.model.filter.text
        box.value = self.model.filter.text
        box.display = True
        box.focus()

    @on(Input.Changed, "#fleet-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        if event.input.display:
            self.model.set_filter(event.value)
            self._rebuild()

    @on(Input.Submitted, "#fleet-filter")
    def _filter_done(self) -> None:
        self._close_filter()

    def _close_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.display = False
        self.table.focus()
        self._save_state()

    def action_escape(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        if box.display:
            self.model.set_filter(self._filter_before_edit)
            self._close_filter()
            self._rebuild()
        elif self.marks:
            # Marks first: they are the newer, shorter-lived choice, and a filter often made them.
            self.marks.clear()
            self._marks_changed()
        elif self.model.filter.text:
            self.model.set_filter("")
            self._save_state()
            self._rebuild()

    # --- marks --------------------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        instance_id = self.table.cursor_id
        if instance_id is None or self.still_looking():
            return
        self.marks.toggle(instance_id)
        self._marks_changed()
        # On to the next row, so a run of rows is marked by holding the key.
        self.table.action_cursor_down()

    def action_mark_all(self) -> None:
        if self.still_looking():
            return
        self.marks.mark_all(self.model.view)
        self._marks_changed()

    def _marks_changed(self) -> None:
        self.table.refresh()
        self._update_status()

    def marked_instances(self) -> list[VMInstance]:
        instances = self.barrack.store.instances
        return [instances[i] for i in self.marks if i in instances]

    def bulk_finished(self, report: BulkReport) -> None:
        # What was done is unmarked; what failed or was refused stays marked, so a retry is one key away.
        self.marks.discard(outcome.target.id for outcome in report.done)
        self._marks_changed()

    def action_sort_next(self) -> None:
        self.model.cycle_sort()
        self._save_state()
        self._rebuild()

    def action_sort_reverse(self) -> None:
        self.model.reverse_sort()
        self._save_state()
        self._rebuild()

    def _clear_marks(self) -> None:
        self.marks.clear()
        self._marks_changed()

    def _save_state(self) -> None:
        ui_state.save(STATE_KEY, self.model.state())

    def action_deploy(self) -> None:
        self.barrack.open_deploy(region=self.model.region_context)

    def action_write_ssh_config(self) -> None:
        if self.still_looking():
            return
        instances = list(self.barrack.store.instances.values())
        try:
            path, changed, count = ssh_config.write_managed_config(instances, self.barrack.settings.ssh_options)
        except OSError as exc:
            self.barrack.notify(f"Could not write the ssh config: {exc.strerror}", severity="error")
            return
        state = "written" if changed else "already up to date"
        self.barrack.notify(f"{path}: {count} hosts, {state}")
        if ssh_config.has_include(path):
            self._warn_overrides(path)
            return
        user_config = ssh_config.user_ssh_config_path()
        body = [
            Text.assemble("Add ", (f"Include {path}", "bold"), f" at the top of {user_config}?"),
            Text("Then `ssh barrack-<name>` reaches each instance. Nothing else in that file changes."),
        ]
        modal = ConfirmInstanceAction("Use the barrack hosts in ssh", body, confirm_label="Add Include")

        def answered(ok: bool | None) -> None:
            if ok:
                ssh_config.add_include(path, config=user_config)
                self.barrack.notify(f"Added the Include line to {user_config}")
                self._warn_overrides(path)

        self.barrack.push_screen(modal, answered)

    def _warn_overrides(self, path) -> None:  # noqa: ANN001
        for warning in ssh_config.host_star_overrides(path):
            self.barrack.notify(str(warning), severity="warning", timeout=10)

    def palette_commands(self):  # noqa: ANN201
        yield command(self, "instances.filter", "Instances: Filter", "Filter by words, status:…, region:…", self.action_filter)
        yield command(self, "instances.sort", "Instances: Sort by next column", "Cycle the sort column", self.action_sort_next)
        yield command(self, "instances.sort_reverse", "Instances: Reverse sort", "Reverse the sort order", self.action_sort_reverse)
        yield command(self, "instances.deploy", "Instances: Deploy", "Open the deploy wizard", self.action_deploy)
        yield command(self, "instances.mark_all", "Instances: Mark every instance shown",
                      "For one action on all of them (after a filter: the ones it shows)", self.action_mark_all)
        yield command(self, "instances.clear_filter", "Instances: Clear the marks", "Unmark every instance", self._clear_marks)
        yield command(self, "instances.ssh_config", "Instances: Write ssh config", "barrack_ssh_config with one Host per instance",
                      self.action_write_ssh_config)
        yield from self.instance_commands()


def show_instance(app: Any, instance_id: str) -> None:
    """Switch to Instances with the cursor on `instance_id` (a deploy's or a restore's new instance)."""
    app.switch_mode("instances")
    for screen in app.get_screen_stack("instances"):
        if isinstance(screen, InstancesScreen):
            screen.select_instance(instance_id)


def row_note(instance: VMInstance, currency: str, key: Callable[[str], str] | None = None) -> Text:
    """The line under the table for the cursor's instance; SHUTOFF ones say what idling costs.

    `key(binding_id)` names a key as the user has it bound (`keymap.key_for`); the defaults otherwise.
    """
    key = key or (lambda binding_id: key_display(default_keys()[binding_id][0]))
    line = Text(no_wrap=True, overflow="ellipsis")
    if instance.status == VMStatus.SHUTOFF:
        saving = hibernation_saving_per_hour(instance.hourly_price, instance.currency)
        line.append("⚠ ", style="yellow")
        line.append(instance.name, style="bold")
        line.append(
            f" SHUTOFF still bills {per_day(instance.hourly_price)} {currency}/day: "
            f"{key('instances.hibernate')} hibernates it, saving {per_day(saving)} {currency}/day",
            style="yellow",
        )
        return line
    line.append(instance.name, style="bold")
    line.append(f"  {instance.id}  {instance.image.name}", style="dim")
    if instance.status in TRANSITIONAL_VM_STATUSES:
        line.append(f"  ⟳ {instance.status}: actions wait until it settles", style="cyan")
    elif instance.public_ip and instance.status == VMStatus.ACTIVE:
        line.append(f"  {key('instances.ssh')} ssh · {key('fleet.details')} details", style="dim")
    else:
        line.append(f"  {key('fleet.details')} details", style="dim")
    return line
