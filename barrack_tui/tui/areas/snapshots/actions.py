"""The snapshot and image flows, shared by the Snapshots & Images list and the snapshot details screen.

Each flow asks the rules first (a refused action is a warning with the rule's
message, and no modal opens), then opens its modal, and on success puts the
answer into the store at once and refreshes the kinds it touched. Restoring
switches to the Instances mode, where the new instance is followed to ACTIVE.
The delete of many (the marked rows of a tab) is one bulk confirmation
(`kit/bulk.py`); no rule refuses a snapshot or an image delete, so every
target is sent and the server's refusals show in the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work

from barrack_tui.api.models import Image, Snapshot, VMInstance
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.resources import can_create_image, can_restore_snapshot
from barrack_tui.tui.areas.snapshots.create import SnapshotCreateModal
from barrack_tui.tui.areas.snapshots.image_create import ImageCreateModal
from barrack_tui.tui.areas.snapshots.image_details import ImageDetailsModal
from barrack_tui.tui.areas.snapshots.restore import SnapshotRestoreModal
from barrack_tui.tui.areas.snapshots.view import image_sources, in_region, snapshot_candidates
from barrack_tui.tui.kit.access import UsesBarrack
from barrack_tui.tui.kit.bulk import BulkPlan, BulkReport, BulkTarget, ask_bulk
from barrack_tui.tui.kit.marks import Marks
from barrack_tui.tui.kit.resource_delete import ConfirmDeleteModal

if TYPE_CHECKING:  # the type checker sees the screen this is mixed into; at run time it is only a mixin
    from barrack_tui.tui.shell.screen import AreaScreen as _MixedInto
else:
    _MixedInto = UsesBarrack


class SnapshotActions(_MixedInto):
    """Mixed into an AreaScreen: `self.app`, `self.notify`, and the store's snapshots/images/instances."""

    notify: Any

    @property
    def store(self) -> Any:
        return self.barrack.store

    def _warn(self, message: str, title: str) -> None:
        self.notify(message, title=title, severity="warning")

    @work(group="snapshot-refresh", exit_on_error=False)
    async def refresh_kinds(self, *kinds: str) -> None:
        await self.store.refresh(*kinds)

    # --- snapshots -------------------------------------------------------------------------------

    def open_create_snapshot(self, region: str | None) -> None:
        candidates = snapshot_candidates(self.store.instances, region)
        in_place = [i for i in self.store.instances.values() if in_region(i.region, region)]
        modal = SnapshotCreateModal(
            candidates=candidates,
            region=region,
            not_offered=len(in_place) - len(candidates),
            snapshot_names=[s.name for s in self.store.snapshots.values()],
            image_names=[i.name for i in self.store.images.values()],
        )
        self.barrack.push_screen(modal, self._snapshot_created)

    def _snapshot_created(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        self.store.upsert("snapshots", snapshot)
        note = " and an image from it" if snapshot.is_image else ""
        self.notify(f"Snapshot {snapshot.name}{note} is being created")
        self.refresh_kinds("snapshots", "images")

    def open_restore(self, snapshot: Snapshot) -> None:
        verdict = can_restore_snapshot(snapshot.status)
        if not verdict.allowed:
            self._warn(verdict.message, "Cannot restore this snapshot")
            return
        modal = SnapshotRestoreModal(
            snapshot,
            instance_names=[i.name for i in self.store.instances.values()],
            currency=self.store.currency,
            balance=self.store.balance_amount,
        )
        self.barrack.push_screen(modal, self._restored)

    def _restored(self, instance: VMInstance | None) -> None:
        if instance is None:
            return
        self.store.upsert("instances", instance)
        self.notify(f"Restoring into {instance.name}: follow it on Instances until it is ACTIVE")
        self.barrack.show_instance(instance.id)  # the cursor on the new row, not where it was left

    def open_delete_snapshot(self, snapshot: Snapshot, *, then: Any = None) -> None:
        title = Text("Delete snapshot ")
        title.append(snapshot.name, style="bold")
        title.append("?")
        lines = [
            Text(f"{snapshot.size_gb:,} GB in {snapshot.region}, taken of {snapshot.instance_name or 'an instance'}."),
            Text("The deletion is permanent: the snapshot cannot be restored afterwards.", style="bold"),
        ]
        cost = cost_effect("snapshot_delete", currency=self.store.currency, size_gb=snapshot.size_gb)
        send = self.barrack.store.send

        async def perform() -> Any:
            return await send(lambda api: api.delete_snapshot(snapshot.id))

        def done(result: Any) -> None:
            if result is None:
                return
            self.store.remove("snapshots", snapshot.id)
            self.notify(f"Snapshot {snapshot.name} deleted")
            self.refresh_kinds("snapshots", "images")
            if then is not None:
                then()

        self.barrack.push_screen(ConfirmDeleteModal(title, lines, perform, resource=snapshot.name, cost=cost, modal_id="snapshot-delete"), done)

    # --- images ----------------------------------------------------------------------------------

    def open_make_image(self, snapshot: Snapshot | None, region: str | None) -> None:
        if snapshot is not None:
            verdict = can_create_image(snapshot.status)
            if not verdict.allowed:
                self._warn(verdict.message, "Cannot create an image")
                return
            region = str(snapshot.region)
        modal = ImageCreateModal(
            sources=image_sources(self.store.snapshots, region),
            image_names=[i.name for i in self.store.images.values()],
            region=region,
            preselect=snapshot.id if snapshot is not None else None,
        )
        self.barrack.push_screen(modal, self._image_created)

    def _image_created(self, image: Image | None) -> None:
        if image is None:
            return
        self.store.upsert("images", image)
        self.notify(f"Image {image.name} is being created")
        self.refresh_kinds("images", "snapshots")

    def open_image_details(self, image: Image) -> None:
        def chosen(choice: str | None) -> None:
            if choice == "delete":
                self.open_delete_image(image)

        self.barrack.push_screen(ImageDetailsModal(image, self.store.snapshots), chosen)

    def open_delete_image(self, image: Image) -> None:
        title = Text("Delete image ")
        title.append(image.name, style="bold")
        title.append("?")
        lines = [
            Text(f"{image.size_gb:,} GB in {image.region}."),
            Text("The deletion is permanent: new instances can no longer boot from this image.", style="bold"),
            Text("Instances already deployed from it and the snapshot it came from are kept.", style="dim"),
        ]
        cost = cost_effect("image_delete", currency=self.store.currency)
        send = self.barrack.store.send

        async def perform() -> Any:
            return await send(lambda api: api.delete_image(image.id))

        def done(result: Any) -> None:
            if result is None:
                return
            self.store.remove("images", image.id)
            self.notify(f"Image {image.name} deleted")
            self.refresh_kinds("images", "snapshots")

        self.barrack.push_screen(ConfirmDeleteModal(title, lines, perform, resource=image.name, cost=cost, modal_id="image-delete"), done)

    # --- the delete of many ----------------------------------------------------------------------

    def bulk_delete_snapshots(self, snapshots: list[Snapshot], marks: Marks, after: Callable[[BulkReport], None]) -> None:
        store = self.store
        targets = [BulkTarget(s.id, s.name, f"{s.status}, {s.size_gb:,} GB, {s.region}") for s in snapshots]

        async def send(target: BulkTarget) -> str:
            await store.send(lambda api: api.delete_snapshot(target.id))
            store.remove("snapshots", target.id)
            return "deleted"

        plan = BulkPlan(
            verb="delete", label="Delete", kind="snapshot", plural="snapshots", targets=targets, send=send,
            destructive=True,
            notes=(Text("The deletion is permanent: the snapshots cannot be restored afterwards.", style="bold"),),
            cost=cost_effect("snapshot_delete", currency=store.currency, size_gb=sum(s.size_gb for s in snapshots))
            + " in total",
        )
        ask_bulk(self, plan, marks, after)

    def bulk_delete_images(self, images: list[Image], marks: Marks, after: Callable[[BulkReport], None]) -> None:
        store = self.store
        targets = [BulkTarget(i.id, i.name, f"{i.status}, {i.size_gb:,} GB, {i.region}") for i in images]

        async def send(target: BulkTarget) -> str:
            await store.send(lambda api: api.delete_image(target.id))
            store.remove("images", target.id)
            return "deleted"

        plan = BulkPlan(
            verb="delete", label="Delete", kind="image", plural="images", targets=targets, send=send,
            destructive=True,
            notes=(Text("The deletion is permanent: new instances can no longer boot from these images.", style="bold"),
                   Text("Instances already deployed from them and the snapshots they came from are kept.", style="dim")),
            cost=cost_effect("image_delete", currency=store.currency),
        )
        ask_bulk(self, plan, marks, after)
