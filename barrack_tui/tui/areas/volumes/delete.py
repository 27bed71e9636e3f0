"""The Delete confirmation: names the volume, says the deletion is permanent, asks for the name to be typed.

A typed-name `ConfirmModal` (tui/kit/confirm.py) that follows the store while
open: Delete is possible only when the typed text is the volume's name and V7
(`can_delete_volume`) still allows it; the rule's words show when it does not.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.volumes import can_delete_volume
from barrack_tui.tui.areas.volumes.common import show_text, volume_summary
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.shell.store import ChangeSet, StoreChanged

PERMANENT_WARNING = (
    "Deleting a volume is permanent: the volume and all data on it are lost and cannot be recovered."
)


class StoreConfirmModal(ConfirmModal):
    """A confirmation that re-reads the store after every poll or action (while it is not sending)."""

    def on_mount(self) -> None:
        self.store.subscribe(self)

    def on_unmount(self) -> None:
        self.store.unsubscribe(self)

    def on_store_changed(self, message: StoreChanged) -> None:
        if not self.busy:
            self.store_changed(message.change)

    def store_changed(self, change: ChangeSet) -> None:
        self.evaluate()

    @property
    def store(self) -> Any:
        return self.barrack.store


class VolumeDeleteModal(StoreConfirmModal):
    CSS_PATH = "volumes.tcss"

    def __init__(self, volume_id: str) -> None:
        super().__init__(title="Delete volume", resource="", confirm_label="Delete", destructive=True, modal_id="volume-delete")
        self.volume_id = volume_id

    def volume(self) -> VolumeResponse | None:
        return self.store.volumes.get(self.volume_id)

    def compose(self) -> ComposeResult:
        volume = self.volume()
        if volume is not None:
            self.resource = volume.name
            self.title_text = Text.assemble("Delete volume ", (volume.name, "bold"), "?")
            self.cost = cost_effect("volume_delete", currency=self.store.currency, size_gb=volume.size_gb)
            self.working = f"Deleting {volume.name}…"
        yield from super().compose()

    def compose_extra(self) -> ComposeResult:
        yield Static(id="delete-volume")
        yield Static(Text(f"⚠ {PERMANENT_WARNING}", style="bold"), id="delete-warning", classes="error")
        yield Static(id="delete-check", classes="error")

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "volumes":
            self.evaluate()

    def refusal(self) -> str | None:
        volume = self.volume()
        if volume is None:
            return "This volume no longer exists."
        verdict = can_delete_volume(volume)
        return None if verdict else verdict.message

    def evaluate(self) -> None:
        volume = self.volume()
        if volume is not None:
            self.query_one("#delete-volume", Static).update(volume_summary(volume))
        show_text(self.query_one("#delete-check", Static), self.refusal() or "")
        super().evaluate()

    async def perform(self) -> VolumeResponse:
        volume = self.volume()
        assert volume is not None  # refusal() said so before confirming
        await self.barrack.store.send(lambda api: api.delete_volume(volume.id))
        self.store.remove("volumes", volume.id)
        return volume

    def confirmed(self) -> None:
        self.set_busy(True)
        self._perform()
