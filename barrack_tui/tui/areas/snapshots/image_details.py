"""A custom image's details: every field, the snapshot it was made from, and Delete.

Opens with what the store holds and refreshes from `get_image` in a worker,
so a status that moved since the last poll shows at once. Dismisses with
"delete" when the user asks to delete the image (the screen confirms it).
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import Image, Snapshot
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.modal import BarrackModal


def field_line(label: str, value: Text | str) -> Text:
    line = Text(f"{label:<14}", style="dim")
    line.append_text(value if isinstance(value, Text) else Text(value))
    return line


def image_fields(image: Image, snapshots: Mapping[str, Snapshot]) -> Text:
    source = snapshots.get(image.snapshot_id) if image.snapshot_id else None
    if source is not None:
        made_from = Text(source.name, style="bold")
        made_from.append(f"  {source.id}", style="dim")
    else:
        made_from = Text(image.snapshot_id or "—")
    lines = [
        field_line("Status", status_badge(image.status)),
        field_line("Region", str(image.region)),
        field_line("Size", f"{image.size_gb:,} GB"),
        field_line("From snapshot", made_from),
        field_line("Description", image.description or "—"),
        field_line("Created", image.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        field_line("Image id", image.id),
    ]
    return Text("\n").join(lines)


class ImageDetailsModal(BarrackModal[str]):
    CSS_PATH = "snapshots.tcss"

    def __init__(self, image: Image, snapshots: Mapping[str, Snapshot]) -> None:
        super().__init__(id="image-details")
        self._image = image
        self._snapshots = snapshots

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box image-details-box"):
            title = Text("Image ")
            title.append(self._image.name, style="bold")
            yield Static(title, classes="modal-title")
            yield Static(image_fields(self._image, self._snapshots), id="image-fields")
            yield Static(id="details-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Delete image", id="delete", variant="error")
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        self._load()

    @work(exclusive=True, group="image-details", exit_on_error=False)
    async def _load(self) -> None:
        try:
            fresh = await self.barrack.store.send(lambda api: api.get_image(self._image.id))
        except ApiError as exc:
            self.query_one("#details-status", Static).update(Text(str(exc), style="yellow"))
            return
        self._image = fresh
        self.query_one("#image-fields", Static).update(image_fields(fresh, self._snapshots))

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#delete")
    def _delete(self) -> None:
        self.dismiss("delete")
