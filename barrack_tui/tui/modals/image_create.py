"""Make a custom image from a finished snapshot (M1): only SUCCESS snapshots are offered.

The image lives in its snapshot's region and takes its size. Name (unique
among images, counter) and description are checked as typed with
`validate_create_image`. Dismisses with the new `Image` (CREATING).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from barrack_tui.api.errors import ApiError, InvalidRequestError
from barrack_tui.api.models import Image, Snapshot
from barrack_tui.rules.resources import MSG_IMAGE_SNAPSHOT_NOT_READY, validate_create_image
from barrack_tui.rules.validators import DESCRIPTION_MAX, NAME_MAX
from barrack_tui.tui.modals.base import BarrackModal
from barrack_tui.tui.modals.field_text import show_line, verdict_text


def image_default_name(snapshot: Snapshot) -> str:
    return f"{snapshot.name[: NAME_MAX - len('-image')]}-image"


def snapshot_option(snapshot: Snapshot) -> Text:
    text = Text(snapshot.name)
    text.append(f"  ({snapshot.region}, {snapshot.size_gb:,} GB)", style="dim")
    return text


class ImageCreateModal(BarrackModal[Image]):
    CSS_PATH = "../styles/snapshots.tcss"

    def __init__(
        self,
        *,
        sources: list[Snapshot],
        image_names: Iterable[str],
        region: str | None,
        preselect: str | None = None,
    ) -> None:
        super().__init__(id="image-create")
        self._sources = {s.id: s for s in sources}
        self._taken = frozenset(image_names)
        self._region = region
        self._preselect = preselect if preselect in self._sources else None
        self._name_edited = False

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
            with Horizontal(classes="field-head"):
                yield Label("Image name")
                yield Static(id="name-counter", classes="counter")
            yield Input(id="image-name", compact=True)
            yield Static(id="name-error", classes="field-error")
            with Horizontal(classes="field-head"):
                yield Label("Description (optional)")
                yield Static(id="description-counter", classes="counter")
            yield Input(id="image-description", compact=True)
            yield Static(id="description-error", classes="field-error")
            yield Static(id="form-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create image", id="submit", variant="primary")

    def on_mount(self) -> None:
        snapshot = self._snapshot()
        if snapshot is not None:
            self.query_one("#image-name", Input).value = image_default_name(snapshot)
            self.query_one("#image-name", Input).focus()
        else:
            self.query_one("#cancel", Button).focus()
        self._validate()

    def _snapshot(self) -> Snapshot | None:
        if not self._sources:
            return None
        value = self.query_one("#image-snapshot", Select).value
        return self._sources.get(value) if isinstance(value, str) else None

    def _values(self) -> tuple[str, str]:
        return self.query_one("#image-name", Input).value, self.query_one("#image-description", Input).value

    def _validate(self) -> bool:
        snapshot = self._snapshot()
        name, description = self._values()
        verdicts = validate_create_image(
            name=name,
            description=description or None,
            snapshot_status=snapshot.status if snapshot else "",
            taken_names=self._taken,
        )
        self.query_one("#name-counter", Static).update(Text(f"{len(name)}/{NAME_MAX}"))
        self.query_one("#description-counter", Static).update(Text(f"{len(description)}/{DESCRIPTION_MAX}"))
        show_line(self.query_one("#name-error", Static), verdict_text(verdicts["name"]))
        show_line(self.query_one("#description-error", Static), verdict_text(verdicts["description"]))
        valid = snapshot is not None and all(v.allowed for v in verdicts.values())
        self.query_one("#submit", Button).disabled = not valid
        return valid

    @on(Select.Changed, "#image-snapshot")
    def _snapshot_changed(self) -> None:
        snapshot = self._snapshot()
        if snapshot is not None and not self._name_edited:
            self.query_one("#image-name", Input).value = image_default_name(snapshot)
        self._validate()

    @on(Input.Changed, "#image-name")
    def _name_changed(self, event: Input.Changed) -> None:
        snapshot = self._snapshot()
        self._name_edited = event.value != (image_default_name(snapshot) if snapshot else "")
        self._changed()

    @on(Input.Changed, "#image-description")
    def _changed(self) -> None:
        show_line(self.query_one("#form-status", Static), Text(""))
        self._validate()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        snapshot = self._snapshot()
        if snapshot is None or not self._validate():
            return
        name, description = self._values()
        self.query_one("#submit", Button).disabled = True
        show_line(self.query_one("#form-status", Static), Text("Creating the image…", style="italic"))
        self._create({"snapshot_id": snapshot.id, "name": name, "description": description or None})

    @work(exclusive=True, group="image-create", exit_on_error=False)
    async def _create(self, request: dict[str, object]) -> None:
        try:
            created = await self.app.client.create_image(request)  # type: ignore[attr-defined]
        except InvalidRequestError as exc:
            targets = {"name": "#name-error", "description": "#description-error"}
            shown = [f for f in exc.fields if f in targets]
            for field_name in shown:
                show_line(self.query_one(targets[field_name], Static), Text(exc.fields[field_name], style="bold red"))
            self._failed("" if shown else str(exc))
            return
        except ApiError as exc:
            self._failed(str(exc))
            return
        self.dismiss(created.image)

    def _failed(self, message: str) -> None:
        show_line(self.query_one("#form-status", Static), Text(message, style="bold red"))
        self.query_one("#submit", Button).disabled = False
