"""I7: delete an instance only after its name is typed exactly. Cancel has the focus first."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.api.models import VMInstance
from barrack_tui.rules.instances import delete_confirmed
from barrack_tui.tui.modals.base import BarrackModal


class DeleteInstanceModal(BarrackModal[bool]):
    """Dismisses True when the typed name matched and Delete was pressed."""

    CSS_PATH = "../styles/instances.tcss"

    def __init__(self, instance: VMInstance) -> None:
        super().__init__()
        self.instance = instance

    def compose(self) -> ComposeResult:
        name = self.instance.name
        with Vertical(classes="modal-box danger", id="delete-box"):
            yield Static(Text.assemble("Delete instance ", (name, "bold")), classes="modal-title")
            yield Static(
                Text(
                    "The instance and its OS disk are destroyed; this cannot be undone. Attached data volumes are "
                    "detached and kept (they still bill storage)."
                )
            )
            yield Static(Text.assemble("Type the instance's name to confirm: ", (name, "bold")), id="delete-prompt")
            yield Input(placeholder=name, id="delete-name")
            yield Static(Text(""), id="delete-hint", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="delete-cancel")
                yield Button("Delete", variant="error", id="delete-ok", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#delete-cancel", Button).focus()

    @on(Input.Changed, "#delete-name")
    def typed(self, event: Input.Changed) -> None:
        matches = delete_confirmed(event.value, self.instance.name)
        self.query_one("#delete-ok", Button).disabled = not matches
        hint = "" if matches or not event.value else "The name does not match yet"
        self.query_one("#delete-hint", Static).update(Text(hint))

    @on(Input.Submitted, "#delete-name")
    @on(Button.Pressed, "#delete-ok")
    def confirm(self) -> None:
        if delete_confirmed(self.query_one("#delete-name", Input).value, self.instance.name):
            self.dismiss(True)

    @on(Button.Pressed, "#delete-cancel")
    def cancel(self) -> None:
        self.dismiss(None)
