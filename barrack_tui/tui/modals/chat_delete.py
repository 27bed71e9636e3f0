"""Confirm deleting a conversation from the local history (Cancel has the focus first)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from barrack_tui.tui.modals.base import BarrackModal


class DeleteConversation(BarrackModal[bool]):
    """Dismisses with True when the user confirms."""

    CSS_PATH = "../styles/chat.tcss"

    def __init__(self, title: str, message_count: int) -> None:
        super().__init__()
        self.conversation_title = title
        self.message_count = message_count

    def compose(self) -> ComposeResult:
        heading = Text("Delete conversation “")
        heading.append(self.conversation_title, style="bold")
        heading.append("”?")
        noun = "message" if self.message_count == 1 else "messages"
        with Vertical(classes="modal-box danger", id="chat-delete"):
            yield Static(heading, classes="modal-title")
            yield Static(
                Text(
                    f"Its {self.message_count} {noun} are removed from this computer's chat history. "
                    "This cannot be undone (export it to Markdown first to keep a copy). "
                    "Usage already billed by the API is not affected."
                )
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="chat-delete-cancel")
                yield Button("Delete", variant="error", id="chat-delete-confirm")

    def on_mount(self) -> None:
        self.query_one("#chat-delete-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "chat-delete-confirm")
