"""Make a custom image from a finished snapshot (M1): only SUCCESS snapshots are offered.

The image lives in its snapshot's region and takes its size. Name (unique
among images, counter) and description are checked as typed with
`validate_create_image`. Dismisses with the new `Image` (CREATING).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Select, Static

from barrack_tui.api.models import Image, ImageCreateResponse, Snapshot
from barrack_tui.rules.resources import MSG_IMAGE_SNAPSHOT_NOT_READY, validate_create_image
from barrack_tui.rules.validators import NAME_MAX
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.named_create import NamedCreateModal


def image_default_name(snapshot: Snapshot) -> str:
    return f"{snapshot.name[: NAME_MAX - len('-image')]}-image"


def snapshot_option(snapshot: Snapshot) -> Text:
    text = Text(snapshot.name)
    text.append(f"  ({snapshot.region}, {snapshot.size_gb:,} GB)", style="dim")
    return text


class ImageCreateModal(NamedCreateModal[Image, Snapshot]):
    CSS_PATH = "snapshots.tcss"
    PREFIX = "image"
    SOURCE_ID = "snapshot"
    NAME_LABEL = "Image name"
    PROGRESS = "Creating the image…"
    FORM = "the new image form"

    def __init__(
        self,
        *,
        sources: list[Snapshot],
        image_names: Iterable[str],
        region: str | None,
        preselect: str | None = None,
    ) -> None:
        super().__init__({s.id: s for s in sources}, id="image-create")
        self._taken = frozenset(image_names)
        self._region = region
        self._preselect = preselect if preselect in self._sources else None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box compact-form image-form"):
            yield Static(Text("Create an image from a snapshot"), classes="modal-title")
            yield Label("Snapshot (only finished snapshots can become images)")
            if self._sources:
                options = [(snapshot_option(s), s.id) for s in self._sources.values()]
                first = self._preselect or next(iter(self._sources))
                yield Select(options, value=first, allow_blank=False, id="image-snapshot", compact=True)
            else:
                where = self._region or "any region"
                message = f"No finished snapshot in {where}. {MSG_IMAGE_SNAPSHOT_NOT_READY}."
                yield Static(Text(message, style="bold yellow"), id="image-snapshot-none")
            yield from self.name_fields()
            yield from self.status_and_buttons("Create image")

    def default_name(self, source: Snapshot) -> str:
        return image_default_name(source)

    def field_verdicts(self, source: Snapshot | None, name: str, description: str) -> dict[str, Verdict]:
        return validate_create_image(
            name=name,
            description=description or None,
            snapshot_status=source.status if source else "",
            taken_names=self._taken,
        )

    def request(self, source: Snapshot, name: str, description: str) -> dict[str, object]:
        return {"snapshot_id": source.id, "name": name, "description": description or None}

    async def create(self, request: dict[str, object]) -> Image:
        created: ImageCreateResponse = await self.barrack.store.send(lambda api: api.create_image(request))
        return created.image
