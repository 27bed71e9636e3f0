"""Volume details (Enter on a card): every field, the hourly cost, and the billing from the volume billing endpoint.

The fields follow the store (a detach while this is open clears "Attached
to"); the billing is fetched once in a worker when the details open.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VMInstance, VolumeHourlyBillingResponse, VolumeResponse
from barrack_tui.rules.pricing import per_minute, storage_hourly
from barrack_tui.tui.areas.volumes.common import StoreWatchingModal, format_rate
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.unknown_mark import marked_text, tier_text
from barrack_tui.tui.shell.store import ChangeSet

# The most recent billing hours listed under the summary.
RECENT_RECORDS = 6


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def detail_table(volume: VolumeResponse, instance: VMInstance | None, currency: str) -> Table:
    """Label/value rows; every server value goes in as Text."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    hourly = storage_hourly(volume.size_gb, currency)
    attached: Text
    if volume.instance_id:
        name = instance.name if instance is not None else (volume.instance_name or "unknown instance")
        status = instance.status if instance is not None else volume.instance_status
        attached = Text(name)
        attached.append(f"  {volume.instance_id}", style="dim")
        if status is not None:
            attached.append("  ")
            attached.append_text(status_badge(status))
    else:
        attached = Text("—")
    rows: list[tuple[str, Text]] = [
        ("Name", Text(volume.name)),
        ("ID", Text(volume.id)),
        ("Status", status_badge(volume.status)),
        ("Attached to", attached),
        ("Size", Text(f"{volume.size_gb:,} GB")),
        ("Type", Text(str(volume.volume_type))),
        ("Region", Text.assemble(marked_text(volume.region), " (", tier_text(volume.tier), " tier)")),
        ("Bootable", Text("Yes" if volume.bootable else "No")),
        ("OS image", Text(volume.os_image_id or "—")),
        ("Created", Text(_when(volume.created_at))),
        ("Hourly cost", Text(f"{format_rate(hourly, currency)} ({per_minute(hourly):.6f} {currency}/min)")),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table


def billing_text(billing: VolumeHourlyBillingResponse, currency: str) -> Text:
    text = Text()
    text.append("Billed so far: ", style="bold")
    text.append(f"{billing.summary.total:,.4f} {currency} over {billing.summary.hours:,.1f} h")
    records = sorted(billing.records, key=lambda record: record.hour, reverse=True)[:RECENT_RECORDS]
    if records:
        text.append("\nRecent hours:", style="bold")
        for record in records:
            text.append(f"\n  {_when(record.hour)}  {record.size_gb:,} GB  {record.amount:,.4f} {currency}")
    text.append("\nStorage is billed by size and type whether the volume is attached or available.", style="dim")
    return text


class VolumeDetailsModal(StoreWatchingModal[None]):
    def __init__(self, volume_id: str) -> None:
        super().__init__()
        self.volume_id = volume_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="details-box"):
            yield Static(id="details-title", classes="modal-title")
            with VerticalScroll(classes="modal-body"):
                yield Static(id="details-fields")
                yield Static(Text("Billing", style="bold"), classes="section-title")
                yield Static(Text("Loading billing…"), id="details-billing")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="details-close")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#details-close", Button).focus()
        self.load_billing()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind in ("volumes", "instances", "balance"):
            self._show()

    def _show(self) -> None:
        volume: VolumeResponse | None = self.store.volumes.get(self.volume_id)
        fields = self.query_one("#details-fields", Static)
        if volume is None:
            fields.update(Text("This volume no longer exists."))
            return
        title = Text("Volume ")
        title.append(volume.name)
        self.query_one("#details-title", Static).update(title)
        instance = self.store.instances.get(volume.instance_id) if volume.instance_id else None
        fields.update(detail_table(volume, instance, self.store.currency))

    @work(exclusive=True, group="volume-billing", exit_on_error=False)
    async def load_billing(self) -> None:
        line = self.query_one("#details-billing", Static)
        try:
            billing = await self.barrack.store.send(lambda api: api.get_volume_billing(self.volume_id))
        except ApiError as exc:
            line.update(Text(f"Could not load the billing: {exc}"))
            return
        line.update(billing_text(billing, self.store.currency))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
