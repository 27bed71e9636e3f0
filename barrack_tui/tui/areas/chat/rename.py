"""Rename a conversation: one Input prefilled with the current title; Enter saves, Escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from barrack_tui.chat.history import TITLE_MAX
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.tui.kit.form import FormModal


class RenameConversation(FormModal[str, str]):
    """Dismisses with the new title (stripped, non-empty) or None."""

    CSS_PATH = "chat.tcss"
    FORM = "the new title"
    FIELDS = ("title",)
    SUBMIT_ID = "chat-rename-save"
    CANCEL_ID = "chat-rename-cancel"
    ERROR_ID = ""  # nothing is sent to a server: the title's own line is the only one
    MESSAGE_STYLE = ""  # the line's `error` class colours it

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

    def message_id(self, field: str) -> str:
        return "chat-rename-error"

    def values(self) -> str:
        return self.query_one(Input).value.strip()

    def verdicts(self, values: str) -> dict[str, Verdict]:
        return {"title": ALLOWED if values else refuse("TITLE_EMPTY", "A title cannot be empty")}

    async def send(self, values: str) -> str:
        return values
