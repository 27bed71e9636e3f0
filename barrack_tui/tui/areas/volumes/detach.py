"""The Detach confirmation: the volume, the application-disruption warning, the instance status check.

Words follow the dashboard's detach page (seed 000_a26220e1358b1030): the
warning lists what happens to applications, the status check is V1-V5 from
`rules.volumes.can_detach` (the exact V3 sentence with the real status), and
after a detach the screen reminds the user of the configuration updates the
page lists before the instance is started again. A detach is destructive to
whatever uses the mount, so it is the typed-name `ConfirmModal`; the confirm
stays disabled while the rule refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.volumes import can_detach
from barrack_tui.tui.areas.volumes.common import volume_summary
from barrack_tui.tui.areas.volumes.delete import StoreConfirmModal
from barrack_tui.tui.shell.store import ChangeSet

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


class VolumeDetachModal(StoreConfirmModal):
    """Detach one volume; confirming is possible exactly when `can_detach` allows and the name is typed."""

    CSS_PATH = "volumes.tcss"

    def __init__(self, volume_id: str) -> None:
        super().__init__(title="Detach volume", resource="", confirm_label="Detach", destructive=True, modal_id="volume-detach")
        self.volume_id = volume_id
        self._instance_name = ""

    def compose(self) -> ComposeResult:
        volume, _instance = self._lookup()
        if volume is not None:
            self.resource = volume.name
            self.title_text = Text.assemble("Detach volume ", (volume.name, "bold"))
            self.cost = cost_effect("volume_detach", currency=self.store.currency, size_gb=volume.size_gb)
            self.working = f"Detaching {volume.name}…"
        yield from super().compose()

    def compose_extra(self) -> ComposeResult:
        yield Static(id="detach-volume")
        warning = Text(f"⚠ {APPLICATION_WARNING_TITLE}\n", style="bold")
        warning.append("\n".join(f"  • {item}" for item in APPLICATION_WARNING_ITEMS), style="")
        yield Static(warning, id="detach-warning", classes="warning")
        yield Static(Text("Instance status check", style="bold"), classes="section-title")
        yield Static(id="detach-check")

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind in ("volumes", "instances", "balance"):
            self.evaluate()

    def _lookup(self) -> tuple[VolumeResponse | None, Any]:
        volume = self.store.volumes.get(self.volume_id)
        instance = self.store.instances.get(volume.instance_id) if volume and volume.instance_id else None
        return volume, instance

    def refusal(self) -> str | None:
        volume, instance = self._lookup()
        if volume is None:
            return "This volume no longer exists."
        verdict = can_detach(volume, instance, self.store.currency)
        return None if verdict and volume.instance_id is not None else (verdict.message or "The volume is not attached.")

    def evaluate(self) -> None:
        """Re-ask V1-V5 and show the result: the rule's exact message when refused."""
        volume, instance = self._lookup()
        check = self.query_one("#detach-check", Static)
        if volume is None:
            self.query_one("#detach-volume", Static).update(Text("This volume no longer exists."))
            check.update(Text(""))
        else:
            self.query_one("#detach-volume", Static).update(volume_summary(volume, instance))
            self._instance_name = instance.name if instance is not None else (volume.instance_name or "the instance")
            refusal = self.refusal()
            if refusal is None:
                line = Text("✔ ", style="bold green")
                line.append(f"{self._instance_name} is SHUTOFF: the volume can be detached. {DATA_PRESERVED}")
                check.update(line)
                check.set_classes("check-ok")
            else:
                # Exactly the rule's words (the V3 sentence carries the real status).
                check.update(Text(refusal))
                check.set_classes("check-refused error")
        super().evaluate()

    def confirmed(self) -> None:
        self.set_busy(True)
        self._perform()

    async def perform(self) -> DetachResult:
        volume, _instance = self._lookup()
        assert volume is not None and volume.instance_id is not None  # refusal() said so before confirming
        instance_id, volume_id = volume.instance_id, volume.id
        answer = await self.barrack.store.send(lambda api: api.detach_volumes(instance_id, [volume_id]))
        detached = None
        for changed in answer.volumes:
            self.store.upsert("volumes", changed)
            if changed.id == volume.id:
                detached = changed
        return DetachResult(detached or self.store.volumes.get(volume.id) or volume, self._instance_name)

    def failed(self, error: ApiError) -> None:
        # The server refused (state changed meanwhile): its words stay shown, the check is asked again.
        self.evaluate()
