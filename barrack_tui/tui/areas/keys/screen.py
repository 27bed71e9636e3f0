"""The SSH keys & Scripts screen (key 6): two tabs, one list each, every action from the keyboard.

SSH keys: name, type, created, the instances using the key, fingerprint;
generate (private key shown once, save to a 0600 file), import (K1 checked as
it is pasted), delete (refused while an ACTIVE instance uses the key: the
reason is shown under the list for the selected key, and again on `d`).
Startup scripts: list, create and edit in a multi-line editor with a size
counter, delete one, or mark several with space and delete them together.
Each tab keeps its own marks (`kit/marks.py`; ctrl+a marks every row the
filter shows, Escape clears the marks before the filter). Marked keys are
deleted through one bulk confirmation (`kit/bulk.py`) that lists a key in
use as refused in K1's words; marked scripts go in the API's one bulk
request, as before.

Rows are updated in place from store changes (`SyncedTable.sync`); the
"used by" column follows the instances poll. Each list is shown in pages of
`TABLE_PAGE` rows (`[` and `]`, offered only when there is more than one), so
an account with 50,000 keys or scripts costs one page of rows, not 50,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from barrack_tui.api.models import CreateSSHKeyResponse, Script, SSHKeyResponse
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.resources import MAX_KEYS_PER_REGION, can_delete_key
from barrack_tui.tui.areas.keys.key_form import KeyFormModal
from barrack_tui.tui.areas.keys.private_key import PrivateKeyModal
from barrack_tui.tui.areas.keys.script_editor import ScriptEditorModal
from barrack_tui.tui.areas.keys.view import key_cells, names_joined, script_cells, users_of_keys
from barrack_tui.tui.kit.bulk import BulkPlan, BulkReport, BulkTarget, ask_bulk
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.list_columns import key_query, script_query
from barrack_tui.tui.kit.list_controls import FilterBox, ListControls
from barrack_tui.tui.kit.list_query import ListQuery
from barrack_tui.tui.kit.marks import Listed, Marks, marked_cell
from barrack_tui.tui.kit.paged_list import PagedList
from barrack_tui.tui.kit.resource_delete import ConfirmDeleteModal
from barrack_tui.tui.kit.synced_table import SyncedTable
from barrack_tui.tui.shell.area_status import load_state
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

KEYS_TAB = "keys-tab"
SCRIPTS_TAB = "scripts-tab"
KEY_ACTIONS = frozenset({"generate_key", "import_key", "delete_key", "copy_public_key", "toggle_key_mark", "mark_all_keys"})
SCRIPT_ACTIONS = frozenset({"new_script", "edit_script", "delete_scripts", "toggle_mark", "mark_all"})
BULK_PREVIEW = 8
# Rows per page of each list: more than an account usually holds (at most 25 keys per region), so a page
# bar appears only for outsized accounts.
TABLE_PAGE = 100


class KeysScreen(ListControls, AreaScreen):
    CSS_PATH = "keys.tcss"
    POLL_KINDS = ("ssh_keys", "scripts")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("tab", "switch_tab", "Keys/Scripts", id="keys.switch_tab"),
        bind("new", "generate_key", "New key", id="keys.generate"),
        Binding("i", "import_key", "Import", id="keys.import"),
        bind("delete", "delete_key", "Delete", id="keys.delete"),
        bind("copy", "copy_public_key", "Copy public key", id="keys.copy"),
        bind("new", "new_script", "New script", id="scripts.new"),
        bind("edit", "edit_script", "Edit", id="scripts.edit"),
        bind("mark", "toggle_mark", "Mark", id="scripts.mark"),
        # After the scripts' own: the key bar orders hints by where a key first appears, and a hidden
        # binding placed earlier would move `space Mark` on the Scripts tab.
        bind("mark", "toggle_key_mark", "Mark", show=False, id="keys.mark"),
        bind("mark all", "mark_all_keys", "Mark all shown", show=False, id="keys.mark_all"),
        bind("mark all", "mark_all", "Mark all shown", show=False, id="scripts.mark_all"),
        bind("delete", "delete_scripts", "Delete", id="scripts.delete"),
        bind("filter", "filter", "Filter", show=False, id="keys.filter"),
        bind("sort", "sort_next", "Sort", show=False, id="keys.sort"),
        bind("reverse sort", "sort_reverse", "Reverse sort", show=False, id="keys.sort_reverse"),
        bind("back", "filter_escape", "Clear marks, then filter", show=False, id="keys.clear_filter"),
        bind("previous page", "page(-1)", "Prev page", id="keys.page_prev"),
        bind("next page", "page(1)", "Next page", id="keys.page_next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, Marks] = {KEYS_TAB: Marks(), SCRIPTS_TAB: Marks()}
        self.queries: dict[str, ListQuery[Any]] = {KEYS_TAB: key_query(), SCRIPTS_TAB: script_query()}
        self.key_list: PagedList[SSHKeyResponse] = PagedList(lambda: self.store.ssh_keys, order=self.queries[KEYS_TAB].order,
                                                            keep=self.queries[KEYS_TAB].keep, page_size=TABLE_PAGE)
        self.script_list: PagedList[Script] = PagedList(lambda: self.store.scripts, order=self.queries[SCRIPTS_TAB].order,
                                                        keep=self.queries[SCRIPTS_TAB].keep, page_size=TABLE_PAGE)

    # --- layout ----------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static(Text("SSH keys & Scripts"), classes="screen-title")
        yield FilterBox("filter: words, region:US-1 (keys) — Enter keeps, Escape reverts")
        with TabbedContent(initial=KEYS_TAB, id="keys-tabs"):
            with TabPane("SSH keys", id=KEYS_TAB):
                yield Static(id="keys-summary", classes="list-summary")
                yield SyncedTable(
                    [
                        ("name", "Name"),
                        ("type", "Type"),
                        ("created", "Created"),
                        ("used_by", "Used by"),
                        ("fingerprint", "Fingerprint"),
                    ],
                    id="keys-table",
                )
                yield Static(id="keys-hint", classes="action-hint")
            with TabPane("Startup scripts", id=SCRIPTS_TAB):
                yield Static(id="scripts-summary", classes="list-summary")
                yield SyncedTable(
                    [("mark", " "), ("name", "Name"), ("size", "Size"), ("lines", "Lines"), ("updated", "Updated")],
                    id="scripts-table",
                )
                yield Static(id="scripts-hint", classes="action-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#keys-table", SyncedTable).focus()

    @property
    def active_tab(self) -> str:
        return self.query_one("#keys-tabs", TabbedContent).active or KEYS_TAB

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in KEY_ACTIONS:
            return self.active_tab == KEYS_TAB
        if action in SCRIPT_ACTIONS:
            return self.active_tab == SCRIPTS_TAB
        if action == "page":
            return self._active_list().pages > 1
        return True

    @on(TabbedContent.TabActivated, "#keys-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        table_id = "#keys-table" if event.pane.id == KEYS_TAB else "#scripts-table"
        self.query_one(table_id, SyncedTable).focus()
        self.refresh_bindings()

    def action_switch_tab(self) -> None:
        tabs = self.query_one("#keys-tabs", TabbedContent)
        tabs.active = SCRIPTS_TAB if tabs.active == KEYS_TAB else KEYS_TAB

    # --- data -> widgets -------------------------------------------------------------------------

    @property
    def store(self) -> Any:
        return self.barrack.store

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "ssh_keys":
            self.marks[KEYS_TAB].keep_only(self.store.ssh_keys)
            self.key_list.invalidate()
        if change.kind in ("ssh_keys", "instances"):
            self._sync_keys()
        if change.kind == "scripts":
            self.script_list.invalidate()
            self.marks[SCRIPTS_TAB].keep_only(self.store.scripts)
            self._sync_scripts()
        if change.kind in ("ssh_keys", "scripts"):
            self.refresh_bindings()  # `[` and `]` are offered only when there is a second page

    def refresh_from_store(self) -> None:
        self._sync_keys()
        self._sync_scripts()

    def _active_list(self) -> PagedList[Any]:
        return self.key_list if self.active_tab == KEYS_TAB else self.script_list

    def _users_of(self, key_id: str) -> list[str]:
        return users_of_keys(self.store.instances.values(), [key_id])[key_id]

    def _sync_keys(self) -> None:
        shown = self.key_list.shown()
        users = users_of_keys(self.store.instances.values(), [key.id for key in shown])
        marks = self.marks[KEYS_TAB]
        rows = [(key.id, self._marked(key_cells(key, users[key.id]), key.id in marks)) for key in shown]
        self.query_one("#keys-table", SyncedTable).sync(rows)
        summary = f"{len(self.key_list):,} key(s) · at most {MAX_KEYS_PER_REGION} per region"
        summary += self.key_list.page_words(self._page_keys()) + f" · {self.queries[KEYS_TAB].describe()}"
        line = Text(summary, style="dim")
        if marks:
            line.append(" · ")
            line.append_text(marks.count_text(Listed(self.key_list)))
            line.append(f" ({key_for(self, 'keys.delete')} deletes them, {key_for(self, 'keys.clear_filter')} clears)")
        self.query_one("#keys-summary", Static).update(load_state(self.store, "ssh_keys") or line)
        self._update_key_hint()

    def _sync_scripts(self) -> None:
        marks = self.marks[SCRIPTS_TAB]
        rows = [(script.id, script_cells(script, script.id in marks)) for script in self.script_list.shown()]
        self.query_one("#scripts-table", SyncedTable).sync(rows)
        summary = f"{len(self.script_list):,} script(s)"
        if marks:
            summary += f" · {len(marks):,} marked"
            listed = Listed(self.script_list)
            hidden = sum(1 for script_id in marks if script_id not in listed)
            if hidden:
                summary += f", {hidden:,} hidden by the filter"
        summary += self.script_list.page_words(self._page_keys()) + f" · {self.queries[SCRIPTS_TAB].describe()}"
        self.query_one("#scripts-summary", Static).update(load_state(self.store, "scripts") or Text(summary, style="dim"))
        key = lambda binding_id: key_for(self, binding_id)  # noqa: E731
        hint = (f"{key('scripts.mark')} marks scripts · {key('scripts.delete')} deletes the marked ones (or the selected one)"
                f" · {key('scripts.edit')} or ⏎ edits")
        self.query_one("#scripts-hint", Static).update(Text(hint, style="dim"))

    @staticmethod
    def _marked(cells: list[Text], marked: bool) -> list[Text]:
        return [marked_cell(cells[0], marked), *cells[1:]]

    def _selected_key(self) -> SSHKeyResponse | None:
        key_id = self.query_one("#keys-table", SyncedTable).selected_id
        return self.store.ssh_keys.get(key_id) if key_id else None

    def _selected_script(self) -> Script | None:
        script_id = self.query_one("#scripts-table", SyncedTable).selected_id
        return self.store.scripts.get(script_id) if script_id else None

    def _update_key_hint(self) -> None:
        key = self._selected_key()
        hint = Text()
        if key is not None:
            verdict = can_delete_key(key.id, self.store.instances.values())
            hint.append("Fingerprint ", style="dim")
            hint.append(key.fingerprint)
            hint.append("\n")
            if verdict.allowed:
                hint.append(f"{key_for(self, 'keys.delete')} Delete: allowed", style="dim")
            else:
                hint.append(f"{key_for(self, 'keys.delete')} Delete unavailable: ", style="bold")
                hint.append(verdict.message, style="yellow")
        self.query_one("#keys-hint", Static).update(hint)

    @on(DataTable.RowHighlighted, "#keys-table")
    def _key_highlighted(self) -> None:
        self._update_key_hint()

    @on(DataTable.RowSelected, "#scripts-table")
    def _script_selected(self) -> None:
        self.action_edit_script()

    # --- SSH key actions -------------------------------------------------------------------------

    def _keys_in_fullest_region(self) -> int:
        counts: dict[str, int] = {}
        for key in self.store.ssh_keys.values():
            for region in key.regions:
                counts[str(region)] = counts.get(str(region), 0) + 1
        return max(counts.values(), default=0)

    def _open_key_form(self, *, importing: bool) -> None:
        form = KeyFormModal(
            importing=importing,
            taken_names=[k.name for k in self.store.ssh_keys.values()],
            keys_in_fullest_region=self._keys_in_fullest_region(),
        )
        self.barrack.push_screen(form, self._key_created)

    def action_generate_key(self) -> None:
        self._open_key_form(importing=False)

    def action_import_key(self) -> None:
        self._open_key_form(importing=True)

    def _key_created(self, created: CreateSSHKeyResponse | None) -> None:
        if created is None:
            return
        self.store.upsert("ssh_keys", created.key)
        self.query_one("#keys-table", SyncedTable).select_id(created.key.id)
        self.notify(f"SSH key {created.key.name} added")
        self._refresh_kinds("ssh_keys")
        if created.private_key:
            self.barrack.push_screen(PrivateKeyModal(created.key, created.private_key), self._private_key_closed)

    def _private_key_closed(self, saved: bool | None) -> None:
        if not saved:
            self.notify("The private key was not saved and cannot be shown again.", severity="warning")

    def action_delete_key(self) -> None:
        keys = self.store.ssh_keys
        marked = [keys[i] for i in self.marks[KEYS_TAB] if i in keys]
        if marked:
            self.bulk_delete_keys(marked)
            return
        key = self._selected_key()
        if key is None:
            return
        verdict = can_delete_key(key.id, self.store.instances.values())
        if not verdict.allowed:
            self.notify(verdict.message, title="Cannot delete this key", severity="warning")
            return
        title = Text("Delete SSH key ")
        title.append(key.name, style="bold")
        title.append("?")
        lines = [
            Text(f"Fingerprint {key.fingerprint}", style="dim"),
            Text("New deployments will no longer be able to use this key. This cannot be undone."),
        ]
        users = self._users_of(key.id)
        if users:
            kept = f"Instances that were deployed with it keep it: {names_joined(users, 4)}"
            lines.append(Text(kept, style="yellow"))

        async def perform() -> Any:
            return await self.barrack.store.send(lambda api: api.delete_ssh_key(key.id))

        def done(result: Any) -> None:
            if result is not None:
                self.store.remove("ssh_keys", key.id)
                self.notify(f"SSH key {key.name} deleted")
                self._refresh_kinds("ssh_keys")

        cost = cost_effect("key_delete", currency=self.store.currency)
        self.barrack.push_screen(ConfirmDeleteModal(title, lines, perform, resource=key.name, cost=cost, modal_id="key-delete"), done)

    def bulk_delete_keys(self, keys: list[SSHKeyResponse]) -> None:
        store = self.store
        instances = list(store.instances.values())
        users = users_of_keys(instances, [key.id for key in keys])
        targets: list[BulkTarget] = []
        for key in keys:
            about = f"used by {names_joined(users[key.id])}" if users[key.id] else "used by no instance"
            verdict = can_delete_key(key.id, instances)
            targets.append(BulkTarget(key.id, key.name, about, refusal="" if verdict.allowed else verdict.message))

        async def send(target: BulkTarget) -> str:
            await store.send(lambda api: api.delete_ssh_key(target.id))
            store.remove("ssh_keys", target.id)
            return "deleted"

        plan = BulkPlan(
            verb="delete", label="Delete", kind="SSH key", plural="SSH keys", targets=targets, send=send,
            destructive=True,
            notes=(Text("New deployments will no longer be able to use these keys. This cannot be undone."),
                   Text("Instances that were deployed with them keep them.", style="dim")),
            cost=cost_effect("key_delete", currency=store.currency),
        )
        ask_bulk(self, plan, self.marks[KEYS_TAB], self._keys_bulk_done)

    def _keys_bulk_done(self, report: BulkReport) -> None:
        self._sync_keys()
        self._refresh_kinds("ssh_keys")

    def action_toggle_key_mark(self) -> None:
        table = self.query_one("#keys-table", SyncedTable)
        if table.selected_id is None:
            return
        self.marks[KEYS_TAB].toggle(table.selected_id)
        self._sync_keys()
        # On to the next row, so a run of rows is marked by holding the key.
        table.action_cursor_down()

    def action_mark_all_keys(self) -> None:
        self.marks[KEYS_TAB].mark_all(key.id for key in self.key_list.items)
        self._sync_keys()

    def action_copy_public_key(self) -> None:
        key = self._selected_key()
        if key is None:
            return
        self.barrack.copy_to_clipboard(key.public_key)
        self.notify(f"Public key of {key.name} copied to the clipboard")

    # --- script actions --------------------------------------------------------------------------

    def _script_names(self) -> list[str]:
        return [s.name for s in self.store.scripts.values()]

    def action_new_script(self) -> None:
        self.barrack.push_screen(ScriptEditorModal(None, taken_names=self._script_names()), self._script_saved)

    def action_edit_script(self) -> None:
        script = self._selected_script()
        if script is not None:
            self.barrack.push_screen(ScriptEditorModal(script, taken_names=self._script_names()), self._script_saved)

    def _script_saved(self, script: Script | None) -> None:
        if script is None:
            return
        self.store.upsert("scripts", script)
        self.query_one("#scripts-table", SyncedTable).select_id(script.id)
        self.notify(f"Script {script.name} saved")
        self._refresh_kinds("scripts")

    def action_toggle_mark(self) -> None:
        script = self._selected_script()
        if script is None:
            return
        self.marks[SCRIPTS_TAB].toggle(script.id)
        self._sync_scripts()

    def action_mark_all(self) -> None:
        self.marks[SCRIPTS_TAB].mark_all(script.id for script in self.script_list.items)
        self._sync_scripts()

    def action_unmark_all(self) -> None:
        self.marks[self.active_tab].clear()
        (self._sync_keys if self.active_tab == KEYS_TAB else self._sync_scripts)()

    def action_filter_escape(self) -> None:
        if self.marks[self.active_tab] and not self.filter_box.is_open:
            # Marks first: they are the newer, shorter-lived choice, and a filter often made them.
            self.action_unmark_all()
            return
        super().action_filter_escape()

    def action_delete_scripts(self) -> None:
        # Every marked script, the ones the filter hides too: the confirmation names each of them.
        scripts = self.store.scripts
        targets = [scripts[i] for i in self.marks[SCRIPTS_TAB] if i in scripts]
        if not targets:
            selected = self._selected_script()
            targets = [selected] if selected else []
        if not targets:
            return
        ids = [s.id for s in targets]
        send = self.barrack.store.send
        if len(targets) == 1:
            title = Text("Delete startup script ")
            title.append(targets[0].name, style="bold")
            title.append("?")

            async def perform() -> Any:
                return await send(lambda api: api.delete_script(ids[0]))
        else:
            title = Text(f"Delete {len(targets)} startup scripts?")

            async def perform() -> Any:
                return await send(lambda api: api.bulk_delete_scripts(ids))

        lines = [Text(f"• {s.name}") for s in targets[:BULK_PREVIEW]]
        if len(targets) > BULK_PREVIEW:
            lines.append(Text(f"… and {len(targets) - BULK_PREVIEW} more"))
        lines.append(Text("Deleted scripts cannot be recovered. Running instances are not affected."))

        def done(result: Any) -> None:
            if result is None:
                return
            for script_id in ids:
                self.store.remove("scripts", script_id)
            self.marks[SCRIPTS_TAB].discard(ids)
            self._sync_scripts()
            self.notify(f"Deleted {len(ids)} script(s)")
            self._refresh_kinds("scripts")

        # Several scripts: the count is typed ("3 scripts"), one script: its name.
        typed = targets[0].name if len(targets) == 1 else f"{len(targets)} scripts"
        cost = cost_effect("script_delete", currency=self.store.currency)
        self.barrack.push_screen(ConfirmDeleteModal(title, lines, perform, resource=typed, cost=cost, modal_id="scripts-delete"), done)

    # --- pages -----------------------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        listed = self._active_list()
        if not listed.turn(step):
            return
        table = self.query_one("#keys-table" if listed is self.key_list else "#scripts-table", SyncedTable)
        (self._sync_keys if listed is self.key_list else self._sync_scripts)()
        table.move_cursor(row=0)

    # --- shared ----------------------------------------------------------------------------------

    @work(group="keys-refresh", exit_on_error=False)
    async def _refresh_kinds(self, *kinds: str) -> None:
        await self.store.refresh(*kinds)

    def _page_keys(self) -> str:
        return f"{key_for(self, 'keys.page_prev')} and {key_for(self, 'keys.page_next')} change page"

    def current_query(self) -> ListQuery[Any]:
        return self.queries[self.active_tab]

    def current_listing(self) -> PagedList[Any]:
        return self._active_list()

    def list_changed(self) -> None:
        self.refresh_from_store()

    def focus_list(self) -> None:
        self.query_one("#keys-table" if self.active_tab == KEYS_TAB else "#scripts-table", SyncedTable).focus()

    def palette_commands(self) -> Iterable[SystemCommand]:
        for binding_id, title, help_text, tab, action in (
            ("keys.generate", "SSH keys: generate a key pair", "The private key is shown once", KEYS_TAB, self.action_generate_key),
            ("keys.import", "SSH keys: import a public key", "Paste a .pub file", KEYS_TAB, self.action_import_key),
            ("keys.delete", "SSH keys: delete the marked keys, or the selected one", "Refused while an ACTIVE instance uses it",
             KEYS_TAB, self.action_delete_key),
            ("keys.mark_all", "SSH keys: mark every key shown", "For one delete (after a filter: the keys it shows)", KEYS_TAB,
             self.action_mark_all_keys),
            ("keys.copy", "SSH keys: copy the selected public key", "To the clipboard", KEYS_TAB, self.action_copy_public_key),
            ("scripts.new", "Scripts: new startup script", "Open the editor", SCRIPTS_TAB, self.action_new_script),
            ("scripts.edit", "Scripts: edit the selected script", "Open the editor", SCRIPTS_TAB, self.action_edit_script),
            ("scripts.mark_all", "Scripts: mark or unmark every script shown", "For a bulk delete", SCRIPTS_TAB,
             self.action_mark_all),
            ("scripts.delete", "Scripts: delete the marked scripts", "Or the selected one", SCRIPTS_TAB, self.action_delete_scripts),
        ):
            yield command(self, binding_id, title, help_text, self._on_tab(tab, action))
        yield command(self, "keys.clear_filter", "SSH keys & Scripts: clear the marks", "Of the tab in view", self.action_unmark_all)

    def _on_tab(self, tab: str, action: Any) -> Any:
        def run() -> None:
            self.query_one("#keys-tabs", TabbedContent).active = tab
            action()

        return run
