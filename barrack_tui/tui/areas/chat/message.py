"""One chat turn on screen: a finished message (cheap) and the reply being streamed (live).

A finished message is a single focusable `Static` rendering a Rich `Group`:
a header line (who, model, tokens, cost, cancelled/error) and the body, the
answer as Rich Markdown (plain text for questions). Rich Markdown renders
its text as text, never as Textual markup, and links as "text (url)" with no
terminal hyperlink; that keeps a 200-message conversation cheap to lay out.

The live reply is Textual's `Markdown` fed through `Markdown.get_stream`,
at most 20 times a second. A code fence being written is held back from it
(see reply_buffer.py) and shown line by line, each line highlighted on its
own, in a preview under it; the Markdown widget gets the fence once, whole.
Links in the live reply are never opened (`open_links=False`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from markdown_it import MarkdownIt
from rich.console import Group, RenderableType
from rich.markdown import Markdown as RichMarkdown
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from barrack_tui.chat.export import status_note, usage_line
from barrack_tui.chat.history import StoredMessage
from barrack_tui.tui.areas.chat.reply_buffer import ReplyBuffer

if TYPE_CHECKING:
    from textual.widgets import Markdown, RichLog
    from textual.widgets.markdown import MarkdownStream

CODE_THEME = "monokai"


def last_code_block(markdown: str) -> str | None:
    """The content of the last fenced (or indented) code block, as the parser sees it."""
    for token in reversed(text_only_parser().parse(markdown)):
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


def text_only_parser(preset: str = "commonmark") -> MarkdownIt:
    """Markdown without raw HTML: an answer's `<tag>` shows as typed instead of vanishing or being interpreted."""
    parser = MarkdownIt(preset, {"html": False})
    return parser.enable("strikethrough").enable("table") if preset == "commonmark" else parser


class AnswerMarkdown(RichMarkdown):
    """Rich Markdown parsed without raw HTML; links are shown as "text (url)", never as terminal hyperlinks."""

    _parser = text_only_parser()

    def __init__(self, markup: str) -> None:
        super().__init__("", code_theme=CODE_THEME, hyperlinks=False)
        self.markup = markup
        self.parsed = self._parser.parse(markup)


def message_body(message: StoredMessage) -> RenderableType:
    if message.role == "user":
        return Text(message.content)
    if not message.content:
        return Text("(no text arrived)", style="dim italic")
    return AnswerMarkdown(message.content)


class MessageView(Static, can_focus=True):
    """A finished message. `y` on the screen copies the focused one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "focus_sibling(-1)", "Previous", show=False, id="chat.message_up"),
        Binding("down,j", "focus_sibling(1)", "Next", show=False, id="chat.message_down"),
    ]

    def __init__(self, message: StoredMessage) -> None:
        super().__init__(classes=f"chat-message -{message.role}")
        self.show(message)

    def show(self, message: StoredMessage) -> None:
        """Draw `message` (again, when its stored fields changed)."""
        self.message = message
        self.set_class(message.cancelled or message.failed or message.interrupted, "-incomplete")
        parts: list[RenderableType] = [header_text(message), message_body(message)]
        note = status_note(message)
        if note:
            parts.append(Text(note, style="red" if message.failed else "yellow"))
        self.update(Group(*parts))

    def action_focus_sibling(self, step: int) -> None:
        siblings = [w for w in self.parent.children if isinstance(w, MessageView)] if self.parent else []
        index = siblings.index(self) + step if self in siblings else -1
        if 0 <= index < len(siblings):
            siblings[index].focus()
        elif step < 0 and isinstance(self.parent, Widget):  # the transcript
            self.parent.scroll_home(animate=False)  # at the first loaded message: ask for earlier ones


class LiveReply(Vertical):
    """The answer being written: header, Textual Markdown fed by a stream, and the open code fence's preview.

    Flushes happen at most every `interval` seconds; each saves the text
    received so far (through `on_flush`) before showing it, so what the user
    has seen is always on disk. The preview is a `RichLog`: each code line is
    rendered once, when it is written, and only visible lines are drawn.
    """

    def __init__(self, message: StoredMessage, *, on_flush: Callable[[str], None], interval: float = 0.05) -> None:
        super().__init__(classes="chat-message -assistant -live")
        self.message = message
        self._on_flush = on_flush
        self.interval = interval
        self.buffer = ReplyBuffer()
        self.text = ""  # what has been shown (and saved)
        self._stream: MarkdownStream | None = None
        self._markdown: Markdown
        self._preview: RichLog
        self._last_flush = 0.0
        self._preview_fence = 0  # buffer.fences_closed when the preview's fence opened
        self._preview_lines = 0
        self._syntax: Syntax | None = None

    def compose(self) -> ComposeResult:
        # Imported here: opening a conversation (the first frame) needs neither widget.
        from textual.widgets import RichLog

        from barrack_tui.tui.areas.chat.literal_markdown import LiteralMarkdown

        header = Text(no_wrap=True, overflow="ellipsis")
        header.append("Assistant", style="bold")
        header.append(f"  {self.message.model or ''}  writing… (Esc cancels)", style="dim")
        yield Static(header, classes="chat-live-header")
        self._markdown = LiteralMarkdown(
            open_links=False, parser_factory=lambda: text_only_parser("gfm-like"), classes="chat-live-body"
        )
        yield self._markdown
        self._preview = RichLog(
            wrap=False, markup=False, highlight=False, auto_scroll=False, min_width=1, classes="chat-code-preview"
        )
        self._preview.display = False
        yield self._preview

    def on_mount(self) -> None:
        self._stream = self._markdown.get_stream(self._markdown)
        # A pause in the stream must still show what has arrived.
        self.set_interval(self.interval, self._flush_if_due)

    async def feed(self, delta: str) -> None:
        self.buffer.add(delta)
        await self._flush_if_due()

    async def _flush_if_due(self) -> None:
        if self.buffer.text != self.text and time.monotonic() - self._last_flush >= self.interval:
            await self.flush()

    async def flush(self) -> None:
        if self._stream is None:
            return
        self._last_flush = time.monotonic()
        self.text = self.buffer.text
        self._on_flush(self.text)
        fragment = self.buffer.take_markdown()
        if fragment:
            await self._stream.write(fragment)
        self._update_preview()

    def _update_preview(self) -> None:
        preview = self._preview
        buffer = self.buffer
        if self._preview_fence != buffer.fences_closed:
            # The fence shown has closed: the Markdown widget now has it whole.
            preview.clear()
            self._preview_fence, self._preview_lines, self._syntax = buffer.fences_closed, 0, None
        preview.display = buffer.in_fence
        if not buffer.in_fence:
            return
        if self._syntax is None:
            self._syntax = Syntax("", lexer=buffer.fence_language or "text", theme=CODE_THEME)
        for line in buffer.fence_lines[self._preview_lines :]:
            # Each line highlighted on its own; the whole block is highlighted once it closes.
            highlighted = self._syntax.highlight(line)
            if highlighted.plain.endswith("\n"):
                highlighted.right_crop(1)
            preview.write(highlighted if highlighted.plain else Text(" "))
        self._preview_lines = len(buffer.fence_lines)

    async def stop(self) -> None:
        """The stream ended: everything received goes to the Markdown widget (an unclosed fence included)."""
        if self._stream is None:
            return
        self.text = self.buffer.text
        self._on_flush(self.text)
        rest = self.buffer.take_rest()
        stream, self._stream = self._stream, None
        if rest:
            await stream.write(rest)
        self._update_preview()
        await stream.stop()
