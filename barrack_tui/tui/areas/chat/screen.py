"""The AI Chat screen (key 7): conversations on the left, the transcript, the question box.

A reply streams into a live Markdown widget (see tui/areas/chat/message.py);
Escape cancels it, keeping and saving the partial text marked "cancelled";
a server error mid-stream keeps what arrived and shows the error on the
turn. Sending is refused, with the reason shown, while a reply streams.
Conversations, the default model and the conversation shown last live in
the local SQLite history (barrack_tui/chat/history.py), so reopening the app
shows the last conversation. The assistant's answer is only ever displayed:
nothing in it is executed; links in it are never opened.

Letter keys act when the question box is not focused (Escape leaves it,
`i` returns to it): `n` starts a new conversation there; ctrl+n and
Enter/ctrl+j work everywhere.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import asdict
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.worker import Worker

from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.api.models.chat import AIModel, ChatCompletionsRequest
from barrack_tui.chat.context import account_summary
from barrack_tui.chat.history import ChatHistory, ChatHistoryError, Conversation, StoredMessage, default_path
from barrack_tui.tui.areas.chat.conversations import BLOCKED_WHILE_STREAMING, ConversationsMixin
from barrack_tui.tui.areas.chat.input import ChatInput
from barrack_tui.tui.areas.chat.message import LiveReply, MessageView, last_code_block
from barrack_tui.tui.areas.chat.reply import request_messages, settle_reply
from barrack_tui.tui.areas.chat.transcript import Transcript
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.shell.app import SessionStarted
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen

if TYPE_CHECKING:
    from textual.widgets import Markdown

log = logging.getLogger(__name__)

# Hint lines name keys through key_for, so a rebind shows in them.
INPUT_HINT = "Enter sends · {chat.newline} new line · {chat.escape} leaves the box for the letter keys"
CONTEXT_ON = "✔ account context ON: sent with this question ({chat.context})"
CONTEXT_OFF = "account context off ({chat.context})"
NAV_HINT = "{chat.write} write · ↑↓ move · {chat.copy}/{chat.copy_code} copy message/code · {chat.model} model"


class ChatScreen(ConversationsMixin, AreaScreen):
    CSS_PATH = "chat.tcss"
    POLL_KINDS = ()
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "escape", "Cancel reply / leave box", id="chat.escape"),
        Binding("ctrl+n", "new_conversation", "New chat", id="chat.new"),
        # The letter too, as `n` creates on every other screen (no essential action needs a chord).
        bind("new", "new_conversation", "New chat", show=False, id="chat.new_letter"),
        Binding("m", "pick_model", "Model", id="chat.model"),
        bind("context", "toggle_context", "Context", id="chat.context"),
        Binding("u", "usage", "Usage", id="chat.usage"),
        bind("copy", "copy_message", "Copy", id="chat.copy"),
        bind("copy more", "copy_code", "Copy code", id="chat.copy_code"),
        bind("rename/resize", "rename", "Rename", id="chat.rename"),
        bind("delete", "delete", "Delete", id="chat.delete"),
        bind("write file", "export", "Export", id="chat.export"),
        Binding("i", "focus_input", "Write", id="chat.write"),
        Binding("l", "focus_list", "Chats", show=False, id="chat.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.history: ChatHistory | None = None
        self.conversation: Conversation | None = None
        self.models: list[AIModel] = []
        self.models_error: str | None = None
        self.ai_currency: str | None = None
        self.chosen_model: str | None = None
        self.attach_context = False
        self.reply_worker: Worker[None] | None = None

    # --- layout -------------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="chat-main"):
            with Vertical(id="chat-side"):
                yield Static(Text("Conversations"), classes="chat-side-title")
                yield OptionList(id="chat-list")
                yield Static(classes="chat-side-hint")
            with Vertical(id="chat-pane"):
                yield Static(id="chat-bar")
                yield Transcript(id="chat-transcript")
                yield Static(id="chat-status")
                yield ChatInput(placeholder="Ask about your account…", id="chat-input")

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def chat_input(self) -> ChatInput:
        return self.query_one(ChatInput)

    @property
    def streaming(self) -> bool:
        return self.reply_worker is not None and not self.reply_worker.is_finished

    @on(events.Mount)
    async def _open_last_conversation(self) -> None:
        # Async, so not an `on_mount` over AreaScreen's plain one. Textual still runs that one after this;
        # it is called first here as well, so the store's news reach the screen while the history opens.
        super().on_mount()
        self.history = self._open_history()
        await self.open_conversation(self.history.last_conversation())
        # The list's keys as bound now (a rebind shows here too).
        keys = {name: key_for(self, f"chat.{name}") for name in ("new_letter", "rename", "delete", "export")}
        hint = f"{keys['new_letter']} new · {keys['rename']} rename\n{keys['delete']} delete · {keys['export']} export"
        self.query_one(".chat-side-hint", Static).update(Text(hint, style="dim"))
        # Like every area, Chat starts on its main list (the conversations); `i` goes to the question box.
        self.query_one("#chat-list", OptionList).focus()
        self.load_models()

    def _open_history(self) -> ChatHistory:
        clock = self.barrack.wall_clock
        try:
            return ChatHistory(default_path(demo=self.barrack.demo), clock=clock)
        except ChatHistoryError as exc:
            # Never delete or overwrite the user's file: run this session without saving instead.
            self.barrack.notify(f"{exc}. Chats of this session will not be saved.", severity="error", timeout=15)
            return ChatHistory(":memory:", clock=clock)

    def on_unmount(self) -> None:
        super().on_unmount()
        if self.history is not None:
            self.history.close()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # AreaScreen's handler runs too: Textual calls every class's handler in the MRO (so no super()).
        if not self.models and self.barrack.store.connected:
            self.load_models()

    def on_session_started(self, _: SessionStarted) -> None:
        # Opened before the session (the first screen, or before a sign-in), it found no client on mount.
        if not self.models:
            self.load_models()

    def hint(self, template: str) -> str:
        """A hint line with each `{binding id}` replaced by its key as bound now."""
        return re.sub(r"\{([a-z_.]+)\}", lambda m: key_for(self, m.group(1)), template)

    def palette_commands(self):  # noqa: ANN201
        yield command(self, "chat.new", "Chat: new conversation", "Start an empty conversation", self.action_new_conversation)
        yield command(self, "chat.model", "Chat: choose model", "Pick the model for this conversation", self.action_pick_model)
        yield command(self, "chat.context", "Chat: toggle account context", "Attach an account summary to the next question",
                      self.action_toggle_context)
        yield command(self, "chat.usage", "Chat: AI usage", "Usage summary and history", self.action_usage)
        yield command(self, "chat.copy", "Chat: copy message", "Copy the focused message", self.action_copy_message)
        yield command(self, "chat.copy_code", "Chat: copy last code block", "Copy the last code block", self.action_copy_code)
        yield command(self, "chat.rename", "Chat: rename conversation", "Edit its title", self.action_rename)
        yield command(self, "chat.delete", "Chat: delete conversation", "Remove it from the local history", self.action_delete)
        yield command(self, "chat.export", "Chat: export to Markdown", "Write it to a Markdown file", self.action_export)
        yield command(self, "chat.escape", "Chat: cancel reply", "Stop the reply being written", self.action_escape)

    # --- models -------------------------------------------------------------------------------------

    @work(exclusive=True, group="chat-models", exit_on_error=False)
    async def load_models(self) -> None:
        if not self.barrack.store.connected:
            return
        send = self.barrack.store.send
        try:
            self.models = await send(lambda api: api.list_ai_models())
            self.models_error = None
        except AuthError as exc:
            self.barrack.report_error(exc)
            return
        except ApiError as exc:
            self.models_error = f"Models could not be loaded: {exc}"
            self.show_status(self.models_error, "error")
            return
        try:
            self.ai_currency = str((await send(lambda api: api.get_ai_usage_summary())).currency)
        except ApiError:
            self.ai_currency = None  # costs are still shown, without a currency
        self.update_bar()

    def model_by_id(self, model_id: str | None) -> AIModel | None:
        return next((m for m in self.models if m.id == model_id), None)

    @property
    def model_id(self) -> str | None:
        """This conversation's model, else the default, else the API's first."""
        if self.conversation is not None and self.conversation.model:
            return self.conversation.model
        if self.chosen_model:
            return self.chosen_model
        default = self.history.default_model if self.history else None
        return default or (self.models[0].id if self.models else None)

    def action_pick_model(self) -> None:
        from barrack_tui.tui.areas.chat.model_picker import ModelPicker

        def chosen(model_id: str | None) -> None:
            if not model_id or self.history is None:
                return
            self.history.default_model = model_id
            self.chosen_model = model_id
            if self.conversation is not None:
                self.history.set_model(self.conversation.id, model_id)
                self.conversation = self.history.get_conversation(self.conversation.id)
            self.update_bar()

        self.barrack.push_screen(ModelPicker(self.models, current=self.model_id, error=self.models_error), chosen)

    # --- the bar and the status line ----------------------------------------------------------------

    def update_bar(self) -> None:
        bar = Text(no_wrap=True, overflow="ellipsis")
        bar.append(self.conversation.title if self.conversation else "New conversation", style="bold")
        bar.append("   model ")
        model = self.model_by_id(self.model_id)
        bar.append(model.name if model else (self.model_id or "none"), style="bold")
        bar.append(" (m)", style="dim")
        self.query_one("#chat-bar", Static).update(bar)
        # The context toggle's state sits on the box it applies to.
        box = self.chat_input
        box.set_class(self.attach_context, "-with-context")
        box.border_subtitle = self.hint(CONTEXT_ON if self.attach_context else CONTEXT_OFF)

    def show_status(self, text: str, severity: str = "info") -> None:
        style = {"warning": "bold yellow", "error": "bold red"}.get(severity, "dim")
        self.query_one("#chat-status", Static).update(Text(text, style=style))

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        if self.streaming:
            return
        self.show_status(self.hint(INPUT_HINT if self.focused is self.chat_input else NAV_HINT))

    # --- simple actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "escape":
            # Escape does something only while a reply streams or from the question box.
            return self.streaming or self.focused is self.chat_input
        return True

    def action_escape(self) -> None:
        if self.streaming and self.reply_worker is not None:
            self.reply_worker.cancel()
        elif self.focused is self.chat_input:
            target = self.transcript.last_message_view()
            (target or self.query_one("#chat-list", OptionList)).focus()

    def action_focus_input(self) -> None:
        self.chat_input.focus()

    def action_focus_list(self) -> None:
        self.query_one("#chat-list", OptionList).focus()

    def action_toggle_context(self) -> None:
        self.attach_context = not self.attach_context
        self.update_bar()

    def action_usage(self) -> None:
        from barrack_tui.tui.areas.chat.usage import ChatUsageScreen

        self.barrack.push_screen(ChatUsageScreen())

    def action_copy_message(self) -> None:
        focused = self.focused if isinstance(self.focused, MessageView) else self.transcript.last_message_view()
        if focused is None:
            self.barrack.notify("No message to copy yet.", severity="warning", timeout=3)
            return
        self.barrack.copy_to_clipboard(focused.message.content)
        which = "message" if focused is self.focused else "last message"
        self.barrack.notify(f"Copied the {which} ({len(focused.message.content):,} characters) to the clipboard.", timeout=3)

    def action_copy_code(self) -> None:
        code = None
        if self.conversation is not None and self.history is not None:
            for message in reversed(self.history.messages(self.conversation.id)):
                if message.role == "assistant" and (code := last_code_block(message.content)) is not None:
                    break
        if code is None:
            self.barrack.notify("No code block in this conversation.", severity="warning", timeout=3)
            return
        self.barrack.copy_to_clipboard(code)
        lines = len(code.splitlines())
        self.barrack.notify(f"Copied the last code block ({lines} line{'s' if lines != 1 else ''}) to the clipboard.",
                        timeout=3)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # An answer's link is never opened: it is shown, and the user can copy the text themselves.
        event.stop()
        self.barrack.notify(f"Links in answers are not opened: {event.href}", timeout=6)

    # --- sending ------------------------------------------------------------------------------------

    def send_blocked_reason(self, text: str) -> str | None:
        if self.streaming:
            return BLOCKED_WHILE_STREAMING
        if not text.strip():
            return "Type a question first."
        if not self.barrack.store.connected:
            return "Not connected to the API yet."
        if self.model_id is None:
            return self.models_error or "No model available yet: press Esc then m to choose one."
        return None

    async def on_chat_input_submitted(self, event: ChatInput.Submitted) -> None:
        event.stop()
        reason = self.send_blocked_reason(event.text)
        if reason:
            self.show_status(reason, "warning")
            return
        history = self.history
        assert history is not None and self.model_id is not None
        if self.conversation is None:
            self.conversation = history.create_conversation(model=self.model_id)
            history.last_conversation_id = self.conversation.id
            self.transcript.conversation_id = self.conversation.id
        question = history.add_user_message(self.conversation.id, event.text.strip("\n"))
        self.conversation = history.get_conversation(self.conversation.id)
        self.chat_input.clear()
        with_context, self.attach_context = self.attach_context, False
        self.refresh_list()
        self.update_bar()
        self.reply_worker = self.run_reply(question.id, self.model_id, with_context)
        self.refresh_bindings()

    @work(exclusive=True, group="chat-reply", exit_on_error=False)
    async def run_reply(self, question_id: int, model_id: str, with_context: bool) -> None:
        history = self.history
        assert history is not None and self.conversation is not None
        conversation_id = self.conversation.id
        transcript = self.transcript
        await transcript.add_message(history.get_message(question_id))
        self.show_status("Writing… Esc cancels. Sending is blocked until the reply ends.", "info")
        if with_context:
            store = self.barrack.store
            await store.refresh("instances", "volumes", "snapshots", "balance")
            # A kind the store could never load is "unknown" in the summary, not "none".
            summary = account_summary(
                store.instances.values() if "instances" in store.loaded else None,
                store.volumes.values() if "volumes" in store.loaded else None,
                store.balance,
                snapshots=store.snapshots.values() if "snapshots" in store.loaded else None,
            )
            transcript.replace_message(history.set_context(question_id, summary))
        model = self.model_by_id(model_id)
        messages = request_messages(history.messages(conversation_id), context_length=model.context_length if model else None)
        reply = history.start_reply(conversation_id, model_id)
        live = await transcript.start_live(reply, on_flush=lambda text: history.save_partial(reply.id, text))
        stream = self.barrack.store.send(lambda api: api.stream_chat_completion(
            ChatCompletionsRequest(model=model_id, messages=messages)
        ))
        cancelled, failure = False, None
        try:
            async with stream:
                async for delta in stream:
                    await live.feed(delta)
        except asyncio.CancelledError:
            cancelled = True
            raise
        except Exception as exc:  # shown on the turn; the text that arrived stays
            failure = exc
            if not isinstance(exc, ApiError):
                log.error("chat stream failed: %s", type(exc).__name__, exc_info=exc)
        finally:
            settled = settle_reply(model=model, model_id=model_id, usage=stream.usage, reported_model=stream.model,
                                   currency=self.ai_currency, cancelled=cancelled, error=failure)
            # Saved before anything else can fail: the partial text and its status are on disk.
            saved = history.finish_reply(reply.id, stream.text, **asdict(settled))
            self.reply_worker = None
            self.refresh_bindings()
            await self._show_finished(live, saved, failure)

    async def _show_finished(self, live: LiveReply, saved: StoredMessage, failure: BaseException | None) -> None:
        if not self.is_mounted:
            return
        await self.transcript.finish_live(live, saved)
        if saved.cancelled:
            self.show_status("Reply cancelled: the text that arrived is kept and saved.", "warning")
        elif failure is not None:
            self.show_status(f"The reply failed: {saved.error}", "error")
            if isinstance(failure, AuthError):
                self.barrack.report_error(failure)
        else:
            self.show_status(self.hint(INPUT_HINT if self.focused is self.chat_input else NAV_HINT))
        if self.history is not None and self.conversation is not None:
            self.conversation = self.history.get_conversation(self.conversation.id)
        self.refresh_list()
