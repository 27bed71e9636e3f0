"""The chat screen's conversation list: open, new, rename, delete (confirmed), export to Markdown.

A mixin of `ChatScreen` (tui/areas/chat/screen.py), kept apart so each file stays
one topic. It uses the screen's `history` (the local SQLite store),
`conversation`, `transcript`, `chat_input`, `streaming`, `show_status` and
`update_bar`. Titles are the user's own text or their first question, shown
as `Text`, never as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from barrack_tui.account import paths
from barrack_tui.chat.export import EXPORT_DIR
from barrack_tui.chat.history import ChatHistory, Conversation, StoredMessage
from barrack_tui.tui.areas.chat.transcript import FIRST_BATCH, SCREENS_AHEAD, newest_that_fill
from barrack_tui.tui.kit.access import UsesBarrack

if TYPE_CHECKING:
    from barrack_tui.tui.areas.chat.input import ChatInput
    from barrack_tui.tui.areas.chat.transcript import Transcript

BLOCKED_WHILE_STREAMING = "Not sent: a reply is still streaming. Wait for it, or press Esc to cancel it."
BUSY_WHILE_STREAMING = "A reply is still streaming: wait for it, or press Esc to cancel it, first."


if TYPE_CHECKING:  # the type checker sees the screen this is mixed into; at run time it is only a mixin
    from barrack_tui.tui.shell.screen import AreaScreen as _MixedInto
else:
    _MixedInto = UsesBarrack


class ConversationsMixin(_MixedInto):
    """Conversation actions of the chat screen; `query_one`, `show_status` and `update_bar` come from it."""

    history: ChatHistory | None
    conversation: Conversation | None
    chosen_model: str | None

    if TYPE_CHECKING:

        @property
        def transcript(self) -> Transcript: ...

        @property
        def chat_input(self) -> ChatInput: ...

        @property
        def streaming(self) -> bool: ...

        def show_status(self, text: str, severity: str = "info") -> None: ...

        def update_bar(self) -> None: ...

    async def open_conversation(self, conversation: Conversation | None) -> None:
        history = self.history
        assert history is not None
        self.conversation = conversation
        self.chosen_model = None
        history.last_conversation_id = conversation.id if conversation else None
        if conversation is None:
            await self.transcript.show(None, [], earlier=0, loader=None)
        else:
            newest = newest_that_fill(history.messages(conversation.id, last=FIRST_BATCH),
                                      SCREENS_AHEAD * self.barrack.size.height)
            earlier = history.count_messages(conversation.id) - len(newest)

            def loader(conversation_id: int, before_id: int, count: int) -> list[StoredMessage]:
                return history.messages(conversation_id, last=count, before_id=before_id)

            await self.transcript.show(conversation.id, newest, earlier=earlier, loader=loader)
        self.refresh_list()
        self.update_bar()

    def refresh_list(self) -> None:
        if self.history is None:
            return
        options = self.query_one("#chat-list", OptionList)
        conversations = self.history.list_conversations()
        current = self.conversation.id if self.conversation else None
        options.clear_options()
        options.add_options([
            Option(Text(("● " if c.id == current else "  ") + (c.title or "New conversation"), no_wrap=True,
                        overflow="ellipsis"), id=str(c.id))
            for c in conversations
        ])
        ids = [c.id for c in conversations]
        if current in ids:
            options.highlighted = ids.index(current)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "chat-list" or self.history is None or event.option.id is None:
            return
        event.stop()
        if self.streaming:
            self.show_status(BUSY_WHILE_STREAMING, "warning")
            return
        await self.open_conversation(self.history.get_conversation(int(event.option.id)))
        self.chat_input.focus()

    def target_conversation(self) -> Conversation | None:
        """The highlighted conversation while the list has focus, otherwise the open one."""
        options = self.query_one("#chat-list", OptionList)
        if self.focused is options and options.highlighted is not None and self.history is not None:
            option_id = options.get_option_at_index(options.highlighted).id
            if option_id is not None:
                return self.history.get_conversation(int(option_id))
        return self.conversation

    async def action_new_conversation(self) -> None:
        if self.streaming:
            self.show_status(BUSY_WHILE_STREAMING, "warning")
            return
        await self.open_conversation(None)
        self.chat_input.focus()
        self.show_status("New conversation: it is saved when you send the first question.", "info")

    def action_rename(self) -> None:
        from barrack_tui.tui.areas.chat.rename import RenameConversation

        target = self.target_conversation()
        if target is None or self.history is None:
            self.show_status("Nothing to rename yet: send a question first.", "warning")
            return

        def renamed(title: str | None) -> None:
            if title and self.history is not None:
                self.history.rename(target.id, title)
                if self.conversation is not None and self.conversation.id == target.id:
                    self.conversation = self.history.get_conversation(target.id)
                self.refresh_list()
                self.update_bar()

        self.barrack.push_screen(RenameConversation(target.title), renamed)

    def action_delete(self) -> None:
        from barrack_tui.tui.areas.chat.delete import DeleteConversation

        target = self.target_conversation()
        if target is None or self.history is None:
            self.show_status("Nothing to delete: this conversation is not saved yet.", "warning")
            return
        if self.streaming and self.conversation is not None and target.id == self.conversation.id:
            self.show_status(BUSY_WHILE_STREAMING, "warning")
            return

        async def confirmed(yes: bool | None) -> None:
            if not yes or self.history is None:
                return
            self.history.delete(target.id)
            if self.conversation is not None and self.conversation.id == target.id:
                await self.open_conversation(self.history.last_conversation())
            else:
                self.refresh_list()
            self.barrack.notify(f"Deleted “{target.title}”.", timeout=4)

        self.barrack.push_screen(DeleteConversation(target.title, self.history.count_messages(target.id)), confirmed)

    def action_export(self) -> None:
        from barrack_tui.tui.areas.chat.export import ExportConversation

        target = self.target_conversation()
        history = self.history
        if target is None or history is None:
            self.show_status("Nothing to export yet: send a question first.", "warning")
            return

        def exported(path: Any) -> None:
            if path is not None:
                self.barrack.notify(f"Exported to {path}", title="Chat exported", timeout=10)

        write = lambda typed: history.export_to_file(target.id, typed)  # noqa: E731
        self.barrack.push_screen(ExportConversation(target.title, paths.data_dir() / EXPORT_DIR, write), exported)
