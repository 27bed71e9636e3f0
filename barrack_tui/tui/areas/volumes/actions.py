"""The Volumes screen's actions: the keys on the focused card, the modals they open, what follows each modal.

A mixin of `VolumesScreen` (tui/areas/volumes/screen.py), which owns the grid, the
focus and `show_volume`. Whether a key opens its modal or explains why not is
read from the card's `CardActions` (rules.volumes.card_actions); a refused
Detach still opens its modal, which shows the status check in the rule's
exact words.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work

from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.volumes import CardActions, can_attach_volume, can_delete_volume, can_detach
from barrack_tui.tui.areas.volumes.attach import VolumeAttachModal
from barrack_tui.tui.areas.volumes.card import VolumeCard
from barrack_tui.tui.areas.volumes.clone_resize import VolumeCloneModal, VolumeResizeModal
from barrack_tui.tui.areas.volumes.create import VolumeCreateModal
from barrack_tui.tui.areas.volumes.delete import VolumeDeleteModal
from barrack_tui.tui.areas.volumes.detach import DetachResult, VolumeDetachModal, fstab_reminder
from barrack_tui.tui.areas.volumes.details import VolumeDetailsModal
from barrack_tui.tui.kit.access import UsesBarrack
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
            ("volumes.detach", "detach", "Volumes: detach", "Detach the selected volume"),
            ("volumes.delete", "delete", "Volumes: delete", "Delete the selected volume"),
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
