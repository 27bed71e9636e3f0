"""The question a form asks before Escape throws away what the user typed: Enter discards, Esc keeps editing.

Dismisses with True (discard) or None (keep editing: the form stays as it
was, with everything typed). Its own Escape must not ask anything, so it is
not a form itself (`BarrackModal.FORM` stays empty).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from barrack_tui.tui.kit.modal import BarrackModal


def discard_question(form: str) -> str:
    """"Discard the new volume form?": what the dialog asks about `form`."""
    return f"Discard {form}?"


class DiscardChangesModal(BarrackModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "discard", "Discard", show=False, id="discard.confirm")]

    def __init__(self, form: str) -> None:
        super().__init__(id="discard-changes")
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="discard-box"):
            yield Static(Text(discard_question(self.form), style="bold"), id="discard-question", classes="modal-title")
            yield Static(Text("Enter discards what you typed, Esc keeps editing."), id="discard-hint", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Keep editing", id="discard-keep")
                yield Button("Discard", variant="error", id="discard-yes")

    def on_mount(self) -> None:
        # Enter presses the focused button: focusing Discard makes Enter discard, as the hint says.
        self.query_one("#discard-yes", Button).focus()

    def action_discard(self) -> None:
        self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "discard-yes":
            self.dismiss(True)
        else:
            self.dismiss(None)
