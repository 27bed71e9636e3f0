"""The Detach confirmation: the volume, the application-disruption warning, the instance status check.

Words follow the dashboard's detach page (seed 000_a26220e1358b1030): the
warning lists what happens to applications, the status check is V1-V5 from
`rules.volumes.can_detach` (the exact V3 sentence with the real status), and
after a detach the screen reminds the user of the configuration updates the
page lists before the instance is started again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.volumes import can_detach
from barrack_tui.tui.modals.volume_common import StoreWatchingModal, error_line, progress_row, volume_summary
from barrack_tui.tui.store import ChangeSet

APPLICATION_WARNING_TITLE = "Applications configured to use the detached volume will:"
APPLICATION_WARNING_ITEMS = (
    "Fail to start if volume mount is missing",
    "Show errors when accessing volume mount point",
    "Require reconfiguration to use different storage",
    "Need volume re-attachment to function normally",
)
# "Configuration Updates Needed — If starting instance without the volume:" (seed, Instance Impact).
FSTAB_REMINDER_TITLE = "If starting {instance} without the volume:"
FSTAB_REMINDER_ITEMS = (
    "Remove volume mount from /etc/fstab",
    "Update application configurations",
    "Remove volume-dependent services",
    "Verify applications still function correctly",
)
DATA_PRESERVED = "All data on the volume is preserved; it can be re-attached with its data intact."


def fstab_reminder(instance_name: str) -> str:
    """The post-detach reminder as one plain string (shown in a toast, never parsed as markup)."""
    steps = "\n".join(f"{n}. {item}" for n, item in enumerate(FSTAB_REMINDER_ITEMS, start=1))
    return f"{FSTAB_REMINDER_TITLE.format(instance=instance_name)}\n{steps}"


@dataclass(frozen=True)
class DetachResult:
    volume: VolumeResponse
    instance_name: str


class VolumeDetachModal(StoreWatchingModal[DetachResult]):
    """Detach one volume; the confirm button is enabled exactly when `can_detach` allows."""

    def __init__(self, volume_id: str) -> None:
        super().__init__()
        self.volume_id = volume_id
        self._instance_name = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box danger", id="detach-box"):
            yield Static(Text("Detach volume"), classes="modal-title")
            with VerticalScroll(classes="modal-body"):
                yield Static(id="detach-volume")
                warning = Text(f"⚠ {APPLICATION_WARNING_TITLE}\n", style="bold")
                warning.append("\n".join(f"  • {item}" for item in APPLICATION_WARNING_ITEMS), style="")
                yield Static(warning, id="detach-warning", classes="warning")
                yield Static(Text("Instance status check", style="bold"), classes="section-title")
                yield Static(id="detach-check")
                yield error_line()
            yield from progress_row()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="detach-cancel")
                yield Button("Detach", variant="warning", id="detach-confirm", disabled=True)

    def on_mount(self) -> None:
        self.set_busy(False)
        self._evaluate()
        self.query_one("#detach-cancel", Button).focus()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind in ("volumes", "instances", "balance"):
            self._evaluate()

    def _lookup(self) -> tuple[VolumeResponse | None, Any]:
        volume = self.store.volumes.get(self.volume_id)
        instance = self.store.instances.get(volume.instance_id) if volume and volume.instance_id else None
        return volume, instance

    def _evaluate(self) -> None:
        """Re-ask V1-V5 and show the result: the rule's exact message when refused."""
        volume, instance = self._lookup()
        check = self.query_one("#detach-check", Static)
        confirm = self.query_one("#detach-confirm", Button)
        if volume is None:
            self.query_one("#detach-volume", Static).update(Text("This volume no longer exists."))
            check.update(Text(""))
            confirm.disabled = True
            return
        self.query_one("#detach-volume", Static).update(volume_summary(volume, instance))
        self._instance_name = instance.name if instance is not None else (volume.instance_name or "the instance")
        verdict = can_detach(volume, instance, self.store.currency)
        if verdict:
            line = Text("✔ ", style="bold green")
            line.append(f"{self._instance_name} is SHUTOFF: the volume can be detached. {DATA_PRESERVED}")
            check.update(line)
            check.set_classes("check-ok")
        else:
            # Exactly the rule's words (the V3 sentence carries the real status).
            check.update(Text(verdict.message))
            check.set_classes("check-refused error")
        confirm.disabled = not verdict

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "detach-cancel":
            self.dismiss(None)
        elif event.button.id == "detach-confirm":
            self.confirm()

    def confirm(self) -> None:
        volume, instance = self._lookup()
        if volume is None or not can_detach(volume, instance, self.store.currency) or volume.instance_id is None:
            return
        self.show_error(None)
        self.set_busy(True, f"Detaching {volume.name}…")
        self._buttons_enabled(False)
        self.detach(volume.id, volume.instance_id)

    def _buttons_enabled(self, enabled: bool) -> None:
        self.query_one("#detach-confirm", Button).disabled = not enabled
        self.query_one("#detach-cancel", Button).disabled = not enabled

    @work(exclusive=True, group="volume-detach", exit_on_error=False)
    async def detach(self, volume_id: str, instance_id: str) -> None:
        try:
            answer = await self.app.client.detach_volumes(instance_id, [volume_id])  # type: ignore[attr-defined]
        except ApiError as exc:
            # The server refused (state changed meanwhile): its words here, nothing else changes.
            self.set_busy(False)
            self.show_error(exc)
            self.query_one("#detach-cancel", Button).disabled = False
            self._evaluate()
            return
        detached = None
        for volume in answer.volumes:
            self.store.upsert("volumes", volume)
            if volume.id == volume_id:
                detached = volume
        self.set_busy(False)
        if detached is None:
            detached = self.store.volumes.get(volume_id)
        self.dismiss(DetachResult(detached, self._instance_name) if detached is not None else None)
