"""The chat's question box: Enter sends, ctrl+j inserts a newline, the box grows to about ten lines.

Enter/ctrl+j is the one send/newline pair every terminal delivers distinctly
(also over SSH and in tmux): Enter arrives as CR, ctrl+j as LF, while
shift+enter is indistinguishable from Enter in most terminals.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class ChatInput(TextArea):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j", "newline", "Newline", id="chat.newline"),
    ]

    class Submitted(Message):
        """Enter was pressed: `text` is the whole box (the screen decides whether it can be sent)."""

        def __init__(self, chat_input: ChatInput, text: str) -> None:
            super().__init__()
            self.chat_input = chat_input
            self.text = text

        @property
        def control(self) -> ChatInput:
            return self.chat_input

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(
            "",
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=placeholder,
            compact=False,
        )

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            # Sending is the screen's decision; the text stays until it is accepted.
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        await super()._on_key(event)

    def action_newline(self) -> None:
        start, end = self.selection
        self.replace("\n", start, end, maintain_selection_offset=False)
