"""The Volumes screen's actions: the keys on the focused card, the modals they open, what follows each modal.

A mixin of `VolumesScreen` (tui/areas/volumes/screen.py), which owns the grid, the
focus and `show_volume`. Whether a key opens its modal or explains why not is
read from the card's `CardActions` (rules.volumes.card_actions); a refused
Detach still opens its modal, which shows the status check in the rule's
exact words. While volumes are marked, delete and detach act on the marked
ones instead, through one bulk confirmation (`kit/bulk.py`); the other keys
still act on the focused card (each needs an input of its own).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work

from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.cost_effects import cost_effect, rate_text
from barrack_tui.rules.pricing import storage_hourly
from barrack_tui.rules.volumes import (
    MSG_VOLUME_NOT_ATTACHED,
    CardActions,
    can_attach_volume,
    can_delete_volume,
    can_detach,
)
from barrack_tui.tui.areas.volumes.attach import VolumeAttachModal
from barrack_tui.tui.areas.volumes.card import VolumeCard
from barrack_tui.tui.areas.volumes.clone_resize import VolumeCloneModal, VolumeResizeModal
from barrack_tui.tui.areas.volumes.create import VolumeCreateModal
from barrack_tui.tui.areas.volumes.delete import PERMANENT_WARNING, VolumeDeleteModal
from barrack_tui.tui.areas.volumes.detach import (
    APPLICATION_WARNING_ITEMS,
    APPLICATION_WARNING_TITLE,
    DATA_PRESERVED,
    DetachResult,
    VolumeDetachModal,
    fstab_reminder,
)
from barrack_tui.tui.areas.volumes.details import VolumeDetailsModal
from barrack_tui.tui.kit.access import UsesBarrack
from barrack_tui.tui.kit.bulk import BulkConfirmModal, BulkPlan, BulkReport, BulkSummaryModal, BulkTarget
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command

if TYPE_CHECKING:  # the type checker sees the screen this is mixed into; at run time it is only a mixin
    from barrack_tui.tui.shell.screen import AreaScreen as _MixedInto
else:
    _MixedInto = UsesBarrack


class VolumeActions(_MixedInto):
    """Mixed into VolumesScreen (a Screen): `self.app`, `self.notify`, `self.cards` come from there."""

    _focused_volume_id: str | None
    region_filter: str | None

    if TYPE_CHECKING:

        @property
        def cards(self) -> list[VolumeCard]: ...

        def show_volume(self, volume: VolumeResponse) -> None: ...

        def marked_volumes(self) -> list[VolumeResponse]: ...

        def clear_marks(self, ids: Any = None) -> None: ...

    # --- actions on the focused card --------------------------------------------------------------

    def focused_card(self) -> VolumeCard | None:
        focused = self.focused
        if isinstance(focused, VolumeCard) and focused.volume is not None:
            return focused
        visible = [card for card in self.cards if card.volume is not None]
        same = next((card for card in visible if card.volume_id == self._focused_volume_id), None)
        return same or (visible[0] if visible else None)

    async def on_volume_card_action_pressed(self, message: VolumeCard.ActionPressed) -> None:
        self._focused_volume_id = message.card.volume_id
        await self.run_action(message.action)

    def _card_or_hint(self) -> tuple[VolumeCard, VolumeResponse, CardActions] | None:
        """The focused card with the volume it shows and that volume's actions; None (and a hint) when none is."""
        card = self.focused_card()
        if card is None or card.volume is None or card.actions is None:
            self.notify(f"No volume selected. Press {key_for(self, 'volumes.create')} to create one.", severity="warning")
            return None
        return card, card.volume, card.actions

    def _refused(self, message: str) -> None:
        self.notify(message, severity="warning")

    def action_attach(self) -> None:
        picked = self._card_or_hint()
        if picked is None:
            return
        _card, volume, actions = picked
        if not actions.attach.visible:
            self._refused(can_attach_volume(volume).message)
            return
        self.barrack.push_screen(VolumeAttachModal(volume.id), self._attached)

    def action_detach(self) -> None:
        marked = self.marked_volumes()
        if marked:
            self.bulk_detach(marked)
            return
        picked = self._card_or_hint()
        if picked is None:
            return
        card, volume, actions = picked
        if not actions.detach.visible:
            self._refused(can_detach(volume, card.instance, self.barrack.store.currency).message)
            return
        # A refused detach still opens the modal: it shows the status check in the rule's exact words.
        self.barrack.push_screen(VolumeDetachModal(volume.id), self._detached)

    def action_delete(self) -> None:
        marked = self.marked_volumes()
        if marked:
            self.bulk_delete(marked)
            return
        picked = self._card_or_hint()
        if picked is None:
            return
        _card, volume, actions = picked
        state = actions.delete
        if not state.enabled:
            self._refused(state.reason or can_delete_volume(volume).message)
            return
        self.barrack.push_screen(VolumeDeleteModal(volume.id), self._deleted)

    def action_clone(self) -> None:
        picked = self._card_or_hint()
        if picked is None:
            return
        _card, volume, actions = picked
        if not actions.clone.enabled:
            self._refused(actions.clone.reason)
            return
        self.barrack.push_screen(VolumeCloneModal(volume.id), self._cloned)

    def action_resize(self) -> None:
        picked = self._card_or_hint()
        if picked is None:
            return
        _card, volume, actions = picked
        if not actions.resize.enabled:
            self._refused(actions.resize.reason)
            return
        self.barrack.push_screen(VolumeResizeModal(volume.id), self._resized)

    def action_create(self) -> None:
        region = self.region_filter or getattr(self.app, "region", None)
        self.barrack.push_screen(VolumeCreateModal(default_region=region), self._created)

    def action_details(self) -> None:
        picked = self._card_or_hint()
        if picked is not None:
            _card, volume, _actions = picked
            self.barrack.push_screen(VolumeDetailsModal(volume.id))

    # --- the same action on every marked volume -----------------------------------------------------

    def bulk_delete(self, volumes: list[VolumeResponse]) -> None:
        store = self.barrack.store
        currency = store.currency
        targets: list[BulkTarget] = []
        freed = Decimal(0)
        for volume in volumes:
            about = f"{volume.status}, {volume.size_gb:,} GB, {volume.region}"
            verdict = can_delete_volume(volume)
            if not verdict:
                targets.append(BulkTarget(volume.id, volume.name, about, refusal=verdict.message))
                continue
            freed += storage_hourly(volume.size_gb, currency)
            targets.append(BulkTarget(volume.id, volume.name, about))

        async def send(target: BulkTarget) -> str:
            await store.send(lambda api: api.delete_volume(target.id))
            store.remove("volumes", target.id)
            return "deleted"

        plan = BulkPlan(
            verb="delete", label="Delete", kind="volume", plural="volumes", targets=targets, send=send,
            destructive=True, notes=(Text(f"⚠ {PERMANENT_WARNING}", style="bold"),),
            cost=f"deleting stops {rate_text(freed, currency)} of storage in total",
        )
        self.barrack.push_screen(BulkConfirmModal(plan), partial(self._bulk_done, None))

    def bulk_detach(self, volumes: list[VolumeResponse]) -> None:
        store = self.barrack.store
        currency = store.currency
        targets: list[BulkTarget] = []
        attached_to_name: dict[str, str] = {}
        for volume in volumes:
            instance = store.instances.get(volume.instance_id) if volume.instance_id else None
            attached_to = instance.name if instance is not None else (volume.instance_name or volume.instance_id or "")
            attached_to_name[volume.id] = attached_to
            about = f"on {attached_to}" if attached_to else f"{volume.status}"
            verdict = can_detach(volume, instance, currency)
            refusal = verdict.message if not verdict else "" if volume.instance_id else MSG_VOLUME_NOT_ATTACHED
            targets.append(BulkTarget(volume.id, volume.name, about, refusal=refusal))

        async def send(target: BulkTarget) -> str:
            volume = store.volumes.get(target.id)
            instance_id = volume.instance_id if volume is not None else None
            if instance_id is None:
                return "already detached"
            answer = await store.send(lambda api: api.detach_volumes(instance_id, [target.id]))
            for changed in answer.volumes:
                store.upsert("volumes", changed)
            return f"detached from {attached_to_name[target.id]}"

        warning = Text(f"⚠ {APPLICATION_WARNING_TITLE}\n", style="bold")
        warning.append("\n".join(f"  • {item}" for item in APPLICATION_WARNING_ITEMS), style="")
        plan = BulkPlan(
            verb="detach", label="Detach", kind="volume", plural="volumes", targets=targets, send=send,
            destructive=True, notes=(warning, Text(DATA_PRESERVED)), cost=cost_effect("volume_detach", currency=currency),
        )
        self.barrack.push_screen(BulkConfirmModal(plan), partial(self._bulk_done, attached_to_name))

    def _bulk_done(self, detached_from: dict[str, str] | None, report: BulkReport | None) -> None:
        if report is None:
            return
        # What was done is unmarked; what failed or was refused stays marked, so a retry is one key away.
        self.clear_marks(outcome.target.id for outcome in report.done)
        self.notify(f"{report.plan.label}: {report.counts()}", severity="warning" if report.failed else "information")
        if detached_from is not None and report.done:
            instances = sorted({detached_from[outcome.target.id] for outcome in report.done})
            self.notify(fstab_reminder(", ".join(instances)), title="Before starting the instances again",
                        severity="warning", timeout=20)
        self.barrack.push_screen(BulkSummaryModal(report))
        if report.auth_error is not None:
            self.barrack.report_error(report.auth_error)
        self.refresh_volumes()

    # --- after a modal --------------------------------------------------------------------------

    def _detached(self, result: DetachResult | None) -> None:
        if result is None:
            return
        self.notify(
            f"Detached {result.volume.name} from {result.instance_name}.", title="Volume detached"
        )
        self.notify(
            fstab_reminder(result.instance_name),
            title="Before starting the instance again",
            severity="warning",
            timeout=20,
        )
        self.refresh_volumes()

    def _attached(self, volume: VolumeResponse | None) -> None:
        if volume is not None:
            self.notify(f"Attached {volume.name} to {volume.instance_name or volume.instance_id}.")
            self.refresh_volumes()

    def _created(self, volume: VolumeResponse | None) -> None:
        if volume is not None:
            self.notify(f"Creating volume {volume.name} ({volume.size_gb:,} GB, {volume.region})…")
            self.show_volume(volume)
            self.refresh_volumes()

    def _deleted(self, volume: VolumeResponse | None) -> None:
        if volume is not None:
            self.notify(f"Deleted volume {volume.name}.")
            self.refresh_volumes()

    def _cloned(self, volume: VolumeResponse | None) -> None:
        if volume is not None:
            self.notify(f"Cloning into {volume.name}…")
            self.refresh_volumes()

    def _resized(self, volume: VolumeResponse | None) -> None:
        if volume is not None:
            self.notify(f"Resized {volume.name} to {volume.size_gb:,} GB.")
            self.refresh_volumes()

    @work(exclusive=True, group="volumes-refresh", exit_on_error=False)
    async def refresh_volumes(self) -> None:
        await self.barrack.store.refresh("volumes")

    def palette_commands(self) -> Any:
        for binding_id, action, title, help_text in (
            ("volumes.create", "create", "Volumes: new volume", "Create a volume"),
            ("volumes.attach", "attach", "Volumes: attach", "Attach the selected volume to an instance"),
            ("volumes.detach", "detach", "Volumes: detach", "Detach the marked volumes, or the selected one"),
            ("volumes.delete", "delete", "Volumes: delete", "Delete the marked volumes, or the selected one"),
            ("volumes.mark_all", "mark_all", "Volumes: mark every volume shown",
             "For one delete or detach of all of them (after a filter: the ones it shows)"),
            ("volumes.clear_filter", "unmark_all", "Volumes: clear the marks", "Unmark every volume"),
            ("volumes.clone", "clone", "Volumes: clone", "Clone the selected volume"),
            ("volumes.resize", "resize", "Volumes: resize", "Resize the selected volume"),
            ("volumes.details", "details", "Volumes: details", "Fields and billing of the selected volume"),
            ("volumes.filter", "filter", "Volumes: filter", "Words, status:…, region:…, type:…"),
            ("volumes.sort", "sort_next", "Volumes: sort by the next column", "Cycle the sort column"),
            ("volumes.region", "focus_region", "Volumes: region filter", "Choose the region shown"),
            ("volumes.next_page", "page(1)", "Volumes: next page", "Next page of cards"),
            ("volumes.prev_page", "page(-1)", "Volumes: previous page", "Previous page of cards"),
        ):
            yield command(self, binding_id, title, help_text, partial(self.call_later, self.run_action, action))
