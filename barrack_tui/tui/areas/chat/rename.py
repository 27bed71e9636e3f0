"""Rename a conversation: one Input prefilled with the current title; Enter saves, Escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.chat.history import TITLE_MAX
from barrack_tui.tui.kit.modal import BarrackModal


class RenameConversation(BarrackModal[str]):
    """Dismisses with the new title (stripped, non-empty) or None."""

    CSS_PATH = "chat.tcss"
    FORM = "the new title"

    def __init__(self, title: str) -> None:
        super().__init__()
        self.current_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="chat-rename"):
            yield Static(Text("Rename conversation"), classes="modal-title")
            yield Input(value=self.current_title, max_length=TITLE_MAX, id="chat-rename-title")
            yield Static(id="chat-rename-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="chat-rename-cancel")
                yield Button("Rename", variant="primary", id="chat-rename-save")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "chat-rename-save":
            self._save()
        else:
            self.action_cancel()

    def _save(self) -> None:
        title = self.query_one(Input).value.strip()
        if not title:
            self.query_one("#chat-rename-error", Static).update(Text("A title cannot be empty"))
            return
        self.dismiss(title)
