"""Confirm deleting a conversation from the local history: the typed-name `ConfirmModal` (its title is typed)."""

from __future__ import annotations

from rich.text import Text

from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.tui.kit.confirm import ConfirmModal


class DeleteConversation(ConfirmModal):
    """Dismisses with True when the user typed the title and confirmed."""

    def __init__(self, title: str, message_count: int) -> None:
        heading = Text("Delete conversation “")
        heading.append(title, style="bold")
        heading.append("”?")
        noun = "message" if message_count == 1 else "messages"
        body = Text(
            f"Its {message_count} {noun} are removed from this computer's chat history. "
            "This cannot be undone (export it to Markdown first to keep a copy)."
        )
        super().__init__(
            title=heading,
            resource=title,
            confirm_label="Delete",
            cost=cost_effect("chat_delete", currency=""),
            lines=[body],
            destructive=True,
            modal_id="chat-delete",
        )
        self.conversation_title = title
        self.message_count = message_count
