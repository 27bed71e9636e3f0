"""Yes/no confirmations of instance actions (stop, reboot, hibernate, public IP, ssh-config Include).

The body is a list of `rich.text.Text` lines built by the caller, so instance
names are never parsed as markup. A `danger` confirmation (something a user
could regret) gets the red frame and starts with Cancel focused.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from barrack_tui.tui.modals.base import BarrackModal


class ConfirmInstanceAction(BarrackModal[bool]):
    """Dismisses True on confirm, None on cancel/Escape."""

    CSS_PATH = "../styles/instances.tcss"

    def __init__(
        self,
        title: str,
        body: Sequence[Text],
        *,
        confirm_label: str,
        warning: str | None = None,
        danger: bool = False,
        confirm_variant: str = "primary",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = list(body)
        self.confirm_label = confirm_label
        self.warning = warning
        self.danger = danger
        self.confirm_variant = confirm_variant

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box danger" if self.danger else "modal-box", id="confirm-box"):
            yield Static(Text(self.title_text), classes="modal-title")
            for line in self.body:
                yield Static(line, classes="confirm-line")
            if self.warning:
                yield Static(Text("⚠ " + self.warning), classes="warning confirm-warning", id="confirm-warning")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="confirm-cancel")
                yield Button(self.confirm_label, variant="error" if self.danger else self.confirm_variant, id="confirm-ok")  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel" if self.danger else "#confirm-ok", Button).focus()

    @on(Button.Pressed, "#confirm-ok")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-cancel")
    def cancel(self) -> None:
        self.dismiss(None)
