"""The Delete confirmation: names the volume, says the deletion is permanent, asks for the name to be typed.

Delete is enabled only when the typed text is the volume's name and V7
(`can_delete_volume`) still allows it; Cancel has the focus first.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.instances import delete_confirmed
from barrack_tui.rules.pricing import storage_hourly
from barrack_tui.rules.volumes import can_delete_volume
from barrack_tui.tui.modals.volume_common import (
    StoreWatchingModal,
    error_line,
    format_rate,
    progress_row,
    volume_summary,
)
from barrack_tui.tui.store import ChangeSet

PERMANENT_WARNING = (
    "Deleting a volume is permanent: the volume and all data on it are lost and cannot be recovered."
)


class VolumeDeleteModal(StoreWatchingModal[VolumeResponse]):
    def __init__(self, volume_id: str) -> None:
        super().__init__()
        self.volume_id = volume_id
        self._name = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box danger", id="delete-box"):
            yield Static(id="delete-title", classes="modal-title")
            yield Static(id="delete-volume")
            yield Static(Text(f"⚠ {PERMANENT_WARNING}", style="bold"), id="delete-warning", classes="error")
            yield Static(id="delete-billing", classes="hint")
            yield Static(id="delete-prompt")
            yield Input(placeholder="volume name", id="delete-typed")
            yield Static(id="delete-check", classes="error")
            yield error_line()
            yield from progress_row()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="delete-cancel")
                yield Button("Delete", variant="error", id="delete-confirm", disabled=True)

    def on_mount(self) -> None:
        self.set_busy(False)
        self._evaluate()
        self.query_one("#delete-cancel", Button).focus()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "volumes":
            self._evaluate()

    def _evaluate(self) -> None:
        volume: VolumeResponse | None = self.store.volumes.get(self.volume_id)
        check = self.query_one("#delete-check", Static)
        confirm = self.query_one("#delete-confirm", Button)
        if volume is None:
            check.update(Text("This volume no longer exists."))
            confirm.disabled = True
            return
        self._name = volume.name
        title = Text("Delete volume ")
        title.append(volume.name)
        title.append("?")
        self.query_one("#delete-title", Static).update(title)
        self.query_one("#delete-volume", Static).update(volume_summary(volume))
        currency = self.store.currency
        self.query_one("#delete-billing", Static).update(
            Text(f"Its storage billing ({format_rate(storage_hourly(volume.size_gb, currency), currency)}) stops.")
        )
        prompt = Text("Type the volume's name (")
        prompt.append(volume.name, style="bold")
        prompt.append(") to enable Delete:")
        self.query_one("#delete-prompt", Static).update(prompt)
        verdict = can_delete_volume(volume)
        check.display = not verdict
        check.update(Text(verdict.message))
        typed = self.query_one("#delete-typed", Input).value
        confirm.disabled = self.busy or not verdict or not delete_confirmed(typed, volume.name)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._evaluate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "delete-cancel":
            self.dismiss(None)
        elif event.button.id == "delete-confirm":
            self.confirm()

    def confirm(self) -> None:
        volume = self.store.volumes.get(self.volume_id)
        typed = self.query_one("#delete-typed", Input).value
        if self.busy or volume is None or not can_delete_volume(volume) or not delete_confirmed(typed, volume.name):
            return
        self.show_error(None)
        self.set_busy(True, f"Deleting {volume.name}…")
        for widget_id in ("#delete-confirm", "#delete-cancel"):
            self.query_one(widget_id, Button).disabled = True
        self.query_one("#delete-typed", Input).disabled = True
        self.delete(volume)

    @work(exclusive=True, group="volume-delete", exit_on_error=False)
    async def delete(self, volume: VolumeResponse) -> None:
        try:
            await self.app.client.delete_volume(volume.id)  # type: ignore[attr-defined]
        except ApiError as exc:
            self.set_busy(False)
            self.show_error(exc)
            self.query_one("#delete-cancel", Button).disabled = False
            self.query_one("#delete-typed", Input).disabled = False
            self._evaluate()
            return
        self.store.remove("volumes", volume.id)
        self.set_busy(False)
        self.dismiss(volume)
