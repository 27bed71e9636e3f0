"""Take a snapshot: only ACTIVE instances of the region are offered (S1), name and description checked as typed.

Instances are listed as `name - GPU (REGION)`; the rest of the region's
instances are not offered, and the form says how many and why (the S1
message). The name has a live counter and `validate_create_snapshot`'s
message; with "create as image" on, the name must also be free among images
(the image takes the snapshot's name). Dismisses with the new `Snapshot`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static, Switch

from barrack_tui.api.models import CreateSnapshotResponse, Snapshot, VMInstance
from barrack_tui.rules.resources import MSG_SNAPSHOT_NOT_ACTIVE, validate_create_snapshot
from barrack_tui.rules.validators import NAME_MAX, validate_name
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.areas.snapshots.view import instance_label
from barrack_tui.tui.kit.named_create import NamedCreateModal


def snapshot_default_name(instance: VMInstance) -> str:
    return f"{instance.name[: NAME_MAX - len('-snapshot')]}-snapshot"


class SnapshotCreateModal(NamedCreateModal[Snapshot, VMInstance]):
    CSS_PATH = "snapshots.tcss"
    PREFIX = "snapshot"
    SOURCE_ID = "instance"
    PROGRESS = "Creating the snapshot…"
    FORM = "the new snapshot form"

    def __init__(
        self,
        *,
        candidates: list[VMInstance],
        region: str | None,
        not_offered: int,
        snapshot_names: Iterable[str],
        image_names: Iterable[str],
    ) -> None:
        super().__init__({i.id: i for i in candidates}, id="snapshot-create")
        self._region = region
        self._not_offered = not_offered
        self._snapshot_names = frozenset(snapshot_names)
        self._image_names = frozenset(image_names)

    def compose(self) -> ComposeResult:
        where = self._region or "any region"
        with Vertical(classes="modal-box compact-form snapshot-form"):
            yield Static(Text(f"Take a snapshot ({where})"), classes="modal-title")
            yield Label("Instance (only ACTIVE instances can be snapshotted)")
            if self._sources:
                options = [(Text(instance_label(i)), i.id) for i in self._sources.values()]
                yield Select(options, allow_blank=False, id="snapshot-instance", compact=True)
            else:
                message = f"No ACTIVE instance in {where}. {MSG_SNAPSHOT_NOT_ACTIVE}."
                yield Static(Text(message, style="bold yellow"), id="snapshot-instance-none")
            if self._not_offered:
                yield Static(
                    Text(f"{self._not_offered} more not offered: {MSG_SNAPSHOT_NOT_ACTIVE}", style="dim"),
                    id="not-offered",
                )
            yield from self.name_fields()
            with Horizontal(classes="switch-row"):
                yield Switch(False, id="snapshot-as-image")
                yield Label("Also create an image from it (same name)")
            yield from self.status_and_buttons("Create snapshot")

    def focus_first(self) -> None:
        self.query_one("#snapshot-instance", Select).focus()

    def default_name(self, source: VMInstance) -> str:
        return snapshot_default_name(source)

    def field_verdicts(self, source: VMInstance | None, name: str, description: str) -> dict[str, Verdict]:
        verdicts = validate_create_snapshot(
            name=name,
            description=description or None,
            instance_status=source.status if source else "",
            taken_names=self._snapshot_names,
        )
        if verdicts["name"].allowed and self._as_image():
            verdicts["name"] = validate_name(name, taken=self._image_names, kind="image")
        return verdicts

    def _as_image(self) -> bool:
        return self.query_one("#snapshot-as-image", Switch).value

    def request(self, source: VMInstance, name: str, description: str) -> dict[str, object]:
        return {"instance_id": source.id, "name": name, "description": description or None, "create_image": self._as_image()}

    async def create(self, request: dict[str, object]) -> Snapshot:
        created: CreateSnapshotResponse = await self.barrack.store.send(lambda api: api.create_snapshot(request))
        return created.snapshot
