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
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, Switch

from barrack_tui.api.errors import ApiError, InvalidRequestError
from barrack_tui.api.models import Snapshot, VMInstance
from barrack_tui.rules.resources import MSG_SNAPSHOT_NOT_ACTIVE, validate_create_snapshot
from barrack_tui.rules.validators import DESCRIPTION_MAX, NAME_MAX, validate_name
from barrack_tui.tui.modals.base import BarrackModal
from barrack_tui.tui.modals.field_text import show_line, verdict_text
from barrack_tui.tui.screens.snapshots_view import instance_label


def snapshot_default_name(instance: VMInstance) -> str:
    return f"{instance.name[: NAME_MAX - len('-snapshot')]}-snapshot"


class SnapshotCreateModal(BarrackModal[Snapshot]):
    CSS_PATH = "../styles/snapshots.tcss"

    def __init__(
        self,
        *,
        candidates: list[VMInstance],
        region: str | None,
        not_offered: int,
        snapshot_names: Iterable[str],
        image_names: Iterable[str],
    ) -> None:
        super().__init__(id="snapshot-create")
        self._candidates = {i.id: i for i in candidates}
        self._region = region
        self._not_offered = not_offered
        self._snapshot_names = frozenset(snapshot_names)
        self._image_names = frozenset(image_names)
        self._name_edited = False

    def compose(self) -> ComposeResult:
        where = self._region or "any region"
        with Vertical(classes="modal-box compact-form snapshot-form"):
            yield Static(Text(f"Take a snapshot ({where})"), classes="modal-title")
            yield Label("Instance (only ACTIVE instances can be snapshotted)")
            if self._candidates:
                options = [(Text(instance_label(i)), i.id) for i in self._candidates.values()]
                yield Select(options, allow_blank=False, id="snapshot-instance", compact=True)
            else:
                message = f"No ACTIVE instance in {where}. {MSG_SNAPSHOT_NOT_ACTIVE}."
                yield Static(Text(message, style="bold yellow"), id="snapshot-instance-none")
            if self._not_offered:
                yield Static(
                    Text(f"{self._not_offered} more not offered: {MSG_SNAPSHOT_NOT_ACTIVE}", style="dim"),
                    id="not-offered",
                )
            with Horizontal(classes="field-head"):
                yield Label("Name")
                yield Static(id="name-counter", classes="counter")
            yield Input(id="snapshot-name", compact=True)
            yield Static(id="name-error", classes="field-error")
            with Horizontal(classes="field-head"):
                yield Label("Description (optional)")
                yield Static(id="description-counter", classes="counter")
            yield Input(id="snapshot-description", compact=True)
            yield Static(id="description-error", classes="field-error")
            with Horizontal(classes="switch-row"):
                yield Switch(False, id="snapshot-as-image")
                yield Label("Also create an image from it (same name)")
            yield Static(id="form-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create snapshot", id="submit", variant="primary")

    def on_mount(self) -> None:
        instance = self._instance()
        if instance is not None:
            self.query_one("#snapshot-name", Input).value = snapshot_default_name(instance)
            self.query_one("#snapshot-instance", Select).focus()
        else:
            self.query_one("#cancel", Button).focus()
        self._validate()

    def _instance(self) -> VMInstance | None:
        if not self._candidates:
            return None
        value = self.query_one("#snapshot-instance", Select).value
        return self._candidates.get(value) if isinstance(value, str) else None

    def _values(self) -> tuple[str, str]:
        return self.query_one("#snapshot-name", Input).value, self.query_one("#snapshot-description", Input).value

    def _validate(self) -> bool:
        instance = self._instance()
        name, description = self._values()
        as_image = self.query_one("#snapshot-as-image", Switch).value
        verdicts = validate_create_snapshot(
            name=name,
            description=description or None,
            instance_status=instance.status if instance else "",
            taken_names=self._snapshot_names,
        )
        if verdicts["name"].allowed and as_image:
            verdicts["name"] = validate_name(name, taken=self._image_names, kind="image")
        self.query_one("#name-counter", Static).update(Text(f"{len(name)}/{NAME_MAX}"))
        self.query_one("#description-counter", Static).update(Text(f"{len(description)}/{DESCRIPTION_MAX}"))
        show_line(self.query_one("#name-error", Static), verdict_text(verdicts["name"]))
        show_line(self.query_one("#description-error", Static), verdict_text(verdicts["description"]))
        valid = instance is not None and all(v.allowed for v in verdicts.values())
        self.query_one("#submit", Button).disabled = not valid
        return valid

    @on(Select.Changed, "#snapshot-instance")
    def _instance_changed(self) -> None:
        instance = self._instance()
        if instance is not None and not self._name_edited:
            self.query_one("#snapshot-name", Input).value = snapshot_default_name(instance)
        self._validate()

    @on(Input.Changed, "#snapshot-name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._name_edited = event.value != (snapshot_default_name(i) if (i := self._instance()) else "")
        self._changed()

    @on(Input.Changed, "#snapshot-description")
    @on(Switch.Changed, "#snapshot-as-image")
    def _changed(self) -> None:
        show_line(self.query_one("#form-status", Static), Text(""))
        self._validate()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        instance = self._instance()
        if instance is None or not self._validate():
            return
        name, description = self._values()
        self.query_one("#submit", Button).disabled = True
        show_line(self.query_one("#form-status", Static), Text("Creating the snapshot…", style="italic"))
        request = {
            "instance_id": instance.id,
            "name": name,
            "description": description or None,
            "create_image": self.query_one("#snapshot-as-image", Switch).value,
        }
        self._create(request)

    @work(exclusive=True, group="snapshot-create", exit_on_error=False)
    async def _create(self, request: dict[str, object]) -> None:
        try:
            created = await self.app.client.create_snapshot(request)  # type: ignore[attr-defined]
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
        self.dismiss(created.snapshot)

    def _failed(self, message: str) -> None:
        show_line(self.query_one("#form-status", Static), Text(message, style="bold red"))
        self.query_one("#submit", Button).disabled = False
