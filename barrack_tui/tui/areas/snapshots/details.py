"""One snapshot in full: fields, the instance configuration a restore deploys, its image, its storage bill.

Pushed on the Snapshots & Images mode's stack (Enter on a snapshot, Escape
returns). Fields follow the store live (a CREATING snapshot turns SUCCESS
here too); the billing summary and the image relationship are fetched once
in workers. The same actions as on the list: restore (r), make image (m),
delete (d, which returns to the list).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import Snapshot
from barrack_tui.rules.pricing import per_minute, storage_hourly
from barrack_tui.tui.areas.snapshots.actions import SnapshotActions
from barrack_tui.tui.areas.snapshots.image_details import field_line
from barrack_tui.tui.areas.snapshots.view import snapshot_action_hint
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet


class SnapshotDetailsScreen(SnapshotActions, AreaScreen):
    CSS_PATH = "snapshots.tcss"
    # ssh_keys: the restore configuration names its keys.
    POLL_KINDS = ("snapshots", "images", "ssh_keys")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "back", "Back", id="snapshot_details.back"),
        bind("restore", "restore", "Restore", id="snapshot_details.restore"),
        Binding("m", "make_image", "Make image", id="snapshot_details.make_image"),
        bind("delete", "delete", "Delete", id="snapshot_details.delete"),
    ]

    def __init__(self, snapshot_id: str) -> None:
        super().__init__()
        self.snapshot_id = snapshot_id
        self._billing: Text = Text("Loading the storage bill…", style="dim")
        self._image_link: Text = Text("")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="snapshot-details"):
            yield Static(id="details-title", classes="screen-title")
            yield Static(id="details-fields")
            yield Static(id="details-hint", classes="action-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._load_extras()

    @property
    def snapshot(self) -> Snapshot | None:
        return self.store.snapshots.get(self.snapshot_id)

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind in ("snapshots", "images", "instances", "ssh_keys"):
            self.refresh_from_store()

    def refresh_from_store(self) -> None:
        snapshot = self.snapshot
        title = Text("Snapshot ")
        if snapshot is None:
            title.append("(deleted)", style="dim")
            self.query_one("#details-title", Static).update(title)
            gone = Text("This snapshot no longer exists. Press Escape to go back.")
            self.query_one("#details-fields", Static).update(gone)
            self.query_one("#details-hint", Static).update(Text(""))
            return
        title.append(snapshot.name, style="bold")
        self.query_one("#details-title", Static).update(title)
        self.query_one("#details-fields", Static).update(self._fields(snapshot))
        self.query_one("#details-hint", Static).update(snapshot_action_hint(
            snapshot, in_list=False, key=lambda action: key_for(self, f"snapshot_details.{action}")))

    def _fields(self, snapshot: Snapshot) -> Text:
        config = snapshot.vm_config
        currency = self.store.currency
        hourly = storage_hourly(snapshot.size_gb, currency)
        instance = Text(snapshot.instance_name or "—", style="bold")
        if snapshot.instance_id:
            instance.append(f"  {snapshot.instance_id}", style="dim")
            live = self.store.instances.get(snapshot.instance_id)
            instance.append("  ")
            instance.append_text(status_badge(live.status) if live else Text("(deleted)", style="dim"))
        keys = [self.store.ssh_keys[k].name if k in self.store.ssh_keys else k for k in config.ssh_key_ids]
        images = [i for i in self.store.images.values() if i.snapshot_id == snapshot.id]
        lines = [
            field_line("Status", status_badge(snapshot.status)),
            field_line("Region", str(snapshot.region)),
            field_line("Size", f"{snapshot.size_gb:,} GB"),
            field_line("Storage cost", f"{hourly:,.4f} {currency}/h ({per_minute(hourly):.6f}/min)"),
            field_line("Instance", instance),
            field_line("Description", snapshot.description or "—"),
            field_line("Created", snapshot.created_at.strftime("%Y-%m-%d %H:%M UTC")),
            field_line("Snapshot id", snapshot.id),
            Text(""),
            Text("A restore deploys", style="bold"),
            field_line("GPU", f"{config.gpu_count or 1}x {config.gpu_model}" if config.gpu_model else "—"),
            field_line("OS image", config.image_name or "—"),
            field_line("SSH keys", ", ".join(keys) or "—"),
            Text(""),
            Text("Images", style="bold"),
            field_line("Made from it", ", ".join(i.name for i in images) or "none"),
            self._image_link,
            Text(""),
            Text("Storage bill", style="bold"),
            self._billing,
        ]
        return Text("\n").join(lines)

    @work(exclusive=True, group="snapshot-details", exit_on_error=False)
    async def _load_extras(self) -> None:
        send = self.barrack.store.send
        try:
            billing = await send(lambda api: api.get_snapshot_billing(self.snapshot_id))
            relation = await send(lambda api: api.get_snapshot_image(self.snapshot_id))
        except ApiError as exc:
            self._billing = Text(str(exc), style="yellow")
        else:
            currency = self.store.currency
            summary = billing.summary
            self._billing = field_line("Billed so far", f"{summary.total:,.4f} {currency} over {summary.hours:,.2f} h")
            self._image_link = field_line("Image id", relation.image_id or "none")
        self.refresh_from_store()

    # --- actions ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.barrack.pop_screen()

    def action_restore(self) -> None:
        if (snapshot := self.snapshot) is not None:
            self.open_restore(snapshot)

    def action_make_image(self) -> None:
        if (snapshot := self.snapshot) is not None:
            self.open_make_image(snapshot, str(snapshot.region))

    def action_delete(self) -> None:
        if (snapshot := self.snapshot) is not None:
            self.open_delete_snapshot(snapshot, then=self.barrack.pop_screen)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield command(self, "snapshot_details.restore", "Snapshot: restore", "Into a new instance", self.action_restore)
        yield command(self, "snapshot_details.make_image", "Snapshot: make an image", "From this snapshot", self.action_make_image)
        yield command(self, "snapshot_details.delete", "Snapshot: delete", "With confirmation", self.action_delete)
        yield command(self, "snapshot_details.back", "Snapshot: back to the list", "", self.action_back)
