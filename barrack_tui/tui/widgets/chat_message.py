"""One chat turn on screen: a finished message (cheap) and the reply being streamed (live).

A finished message is a single focusable `Static` rendering a Rich `Group`:
a header line (who, model, tokens, cost, cancelled/error) and the body, the
answer as Rich Markdown (plain text for questions). Rich Markdown renders
its text as text, never as Textual markup, and links as "text (url)" with no
terminal hyperlink; that keeps a 200-message conversation cheap to lay out.

The live reply is Textual's `Markdown` fed through `Markdown.get_stream`.
Every append re-parses the trailing block, and inside a code fence that block
is the whole growing fence, re-highlighted each time; `ReplyThrottle` batches
deltas so fence updates come a few times a second while prose stays smooth.
Links in the live reply are never opened (`open_links=False`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import ClassVar

from markdown_it import MarkdownIt
from rich.console import Group, RenderableType
from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from barrack_tui.chat_export import status_note, usage_line
from barrack_tui.chat_history import StoredMessage

CODE_THEME = "monokai"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def last_code_block(markdown: str) -> str | None:
    """The content of the last fenced (or indented) code block, as the parser sees it."""
    for token in reversed(MarkdownIt("commonmark").parse(markdown)):
        if token.type in ("fence", "code_block"):
            return token.content
    return None


def header_text(message: StoredMessage) -> Text:
    """The line above a message: who wrote it and, for answers, what it used and whether it is whole."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if message.role == "user":
        line.append("You", style="bold")
        if message.context:
            line.append("  + account context", style="italic")
        return line
    line.append("Assistant", style="bold")
    line.append("  ")
    line.append(usage_line(message), style="dim")
    if message.cancelled:
        line.append("  CANCELLED", style="bold yellow")
    elif message.failed:
        line.append("  ERROR", style="bold red")
    elif message.interrupted:
        line.append("  INTERRUPTED", style="bold yellow")
    return line


def message_body(message: StoredMessage) -> RenderableType:
    if message.role == "user":
        return Text(message.content)
    if not message.content:
        return Text("(no text arrived)", style="dim italic")
    return RichMarkdown(message.content, code_theme=CODE_THEME, hyperlinks=False)


class MessageView(Static, can_focus=True):
    """A finished message. `y` on the screen copies the focused one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "focus_sibling(-1)", "Previous", show=False, id="chat.message_up"),
        Binding("down,j", "focus_sibling(1)", "Next", show=False, id="chat.message_down"),
    ]

    def __init__(self, message: StoredMessage) -> None:
        super().__init__(classes=f"chat-message -{message.role}")
        self.message = message
        self.set_class(message.cancelled or message.failed or message.interrupted, "-incomplete")
        self.update(self._renderable())

    def _renderable(self) -> RenderableType:
        parts: list[RenderableType] = [header_text(self.message), message_body(self.message)]
        note = status_note(self.message)
        if note:
            parts.append(Text(note, style="yellow" if not self.message.failed else "red"))
        return Group(*parts)

    def action_focus_sibling(self, step: int) -> None:
        siblings = [w for w in self.parent.children if isinstance(w, MessageView)] if self.parent else []
        index = siblings.index(self) + step if self in siblings else -1
        if 0 <= index < len(siblings):
            siblings[index].focus()
        elif step < 0 and self.parent is not None:
            self.parent.scroll_home(animate=False)  # at the first loaded message: ask for earlier ones


class ReplyThrottle:
    """Decides when the text received so far is shown (and saved): often in prose, rarely inside a code fence."""

    def __init__(
        self,
        *,
        text_interval: float = 0.05,
        fence_interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.text_interval = text_interval
        self.fence_interval = fence_interval
        self._clock = clock
        self._pending: list[str] = []
        self._line = ""
        self.in_fence = False
        self._last_flush = clock()

    def add(self, delta: str) -> None:
        self._pending.append(delta)
        *complete, self._line = (self._line + delta).split("\n")
        for line in complete:
            if _FENCE.match(line):
                self.in_fence = not self.in_fence

    @property
    def interval(self) -> float:
        return self.fence_interval if self.in_fence or _FENCE.match(self._line) else self.text_interval

    def due(self) -> bool:
        return bool(self._pending) and self._clock() - self._last_flush >= self.interval

    def take(self) -> str:
        text = "".join(self._pending)
        self._pending.clear()
        self._last_flush = self._clock()
        return text


class LiveReply(Vertical):
    """The answer being written: header, Textual Markdown fed by a stream, throttled flushes that also save."""

    def __init__(self, message: StoredMessage, *, on_flush: Callable[[str], None], throttle: ReplyThrottle) -> None:
        super().__init__(classes="chat-message -assistant -live")
        self.message = message
        self._on_flush = on_flush
        self.throttle = throttle
        self.text = ""
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        header = Text(no_wrap=True, overflow="ellipsis")
        header.append("Assistant", style="bold")
        header.append(f"  {self.message.model or ''}  writing… (Esc cancels)", style="dim")
        yield Static(header, classes="chat-live-header")
        yield Markdown(open_links=False, classes="chat-live-body")

    def on_mount(self) -> None:
        self._stream = Markdown.get_stream(self.query_one(Markdown))
        # A pause inside a code fence must still show what has arrived.
        self.set_interval(self.throttle.fence_interval / 2, self._flush_if_due)

    async def feed(self, delta: str) -> None:
        self.throttle.add(delta)
        await self._flush_if_due()

    async def _flush_if_due(self) -> None:
        if self.throttle.due():
            await self.flush()

    async def flush(self) -> None:
        if self._stream is None:
            return
        fragment = self.throttle.take()
        if not fragment:
            return
        self.text += fragment
        # Saved before it is drawn: what the user has seen is always on disk.
        self._on_flush(self.text)
        await self._stream.write(fragment)

    async def stop(self) -> None:
        await self.flush()
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()
