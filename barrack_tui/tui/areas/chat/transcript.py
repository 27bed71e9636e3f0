"""The scrolling transcript of one conversation: newest messages first on screen, earlier ones on demand.

Opening a long conversation mounts only its newest messages, as many as
fill about two screens (a Rich Markdown message with highlighted code costs
~15 ms to lay out, so 200 of them would take seconds); scrolling to the top
mounts the previous `EARLIER_BATCH` above, keeping the message under the
reader's eye where it was. The transcript is
anchored: it follows the bottom while a reply streams, until the user
scrolls up, and follows again once they scroll back down.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from barrack_tui.chat.history import StoredMessage
from barrack_tui.tui.areas.chat.message import LiveReply, MessageView
from barrack_tui.tui.kit.access import UsesBarrack
from barrack_tui.tui.shell.keymap import key_for

FIRST_BATCH = 20
EARLIER_BATCH = 12
SCREENS_AHEAD = 2  # mount enough of the newest messages to fill about this many screens


def newest_that_fill(messages: list[StoredMessage], lines: int) -> list[StoredMessage]:
    """The newest of `messages` whose estimated height reaches `lines` (at least two of them).

    A message is estimated as its source lines plus its header and margin;
    wrapping makes the real height larger, so the estimate errs on the short side.
    """
    kept: list[StoredMessage] = []
    height = 0
    for message in reversed(messages):
        if height >= lines and len(kept) >= 2:
            break
        kept.append(message)
        height += message.content.count("\n") + 3
    return kept[::-1]


# (conversation id, before message id, how many) -> messages, oldest first
EarlierLoader = Callable[[int, int, int], list[StoredMessage]]

def empty_hint(node: Widget) -> str:
    """What to ask and which keys do what, with the keys as bound now (a rebind shows here too)."""
    keys = {verb: key_for(node, f"chat.{verb}") for verb in ("model", "context", "usage", "copy", "copy_code")}
    return (
        "Ask about your account, e.g. “what am I paying for?”, “why can't I detach data-1?”, "
        "“which instances are SHUTOFF?”.\n"
        f"Enter sends · ctrl+j new line · Esc leaves the box (then {keys['model']} model, "
        f"{keys['context']} context, {keys['usage']} usage, {keys['copy']}/{keys['copy_code']} copy)."
    )


class Transcript(UsesBarrack, VerticalScroll):
    """Messages of the open conversation, the live reply at the bottom while one streams."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.conversation_id: int | None = None
        self.earlier = 0
        self._loader: EarlierLoader | None = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static(Text("", style="dim"), id="chat-earlier", classes="chat-earlier")
        yield Static(Text(empty_hint(self)), id="chat-empty", classes="chat-empty hint")

    def on_mount(self) -> None:
        self.anchor()

    # --- what is shown ------------------------------------------------------------------------------

    @property
    def message_views(self) -> list[MessageView]:
        return [child for child in self.children if isinstance(child, MessageView)]

    async def show(
        self, conversation_id: int | None, messages: list[StoredMessage], *, earlier: int, loader: EarlierLoader | None
    ) -> None:
        """Replace the transcript with `messages` (the newest ones); `earlier` more exist before them."""
        self.conversation_id = conversation_id
        self.earlier = earlier
        self._loader = loader
        with self.barrack.batch_update():
            await self.remove_children([c for c in self.children if isinstance(c, (MessageView, LiveReply))])
            if messages:
                await self.mount_all([MessageView(m) for m in messages])
            self._update_markers()
        self.anchor()

    def _update_markers(self) -> None:
        marker = self.query_one("#chat-earlier", Static)
        marker.display = self.earlier > 0
        if self.earlier:
            noun = "message" if self.earlier == 1 else "messages"
            marker.update(Text(f"▲ {self.earlier} earlier {noun}: scroll up to load them", style="dim"))
        self.query_one("#chat-empty", Static).display = not any(
            isinstance(c, (MessageView, LiveReply)) for c in self.children
        )

    async def add_message(self, message: StoredMessage) -> MessageView:
        view = MessageView(message)
        await self.mount(view)
        self._update_markers()
        self.scroll_end(animate=False)
        return view

    def replace_message(self, message: StoredMessage) -> None:
        """Redraw a message whose stored fields changed (e.g. a question that got its account context)."""
        for view in self.message_views:
            if view.message.id == message.id:
                view.show(message)
                return

    def last_message_view(self) -> MessageView | None:
        views = self.message_views
        return views[-1] if views else None

    # --- the live reply ------------------------------------------------------------------------------

    async def start_live(self, message: StoredMessage, *, on_flush: Callable[[str], None]) -> LiveReply:
        live = LiveReply(message, on_flush=on_flush)
        await self.mount(live)
        self._update_markers()
        self.scroll_end(animate=False)
        return live

    async def finish_live(self, live: LiveReply, message: StoredMessage) -> MessageView:
        """The finished reply becomes an ordinary (cheap) message in the live one's place."""
        await live.stop()
        view = MessageView(message)
        with self.barrack.batch_update():
            if live.parent is self:
                await self.mount(view, before=live)
                await live.remove()
            else:
                await self.mount(view)
        self._update_markers()
        return view

    # --- earlier messages ----------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value <= 0 < old_value and self.earlier > 0:
            self.run_worker(self.load_earlier(), group="chat-earlier", exclusive=True, exit_on_error=False)

    async def load_earlier(self) -> int:
        """Mount the previous batch above the first message; returns how many were added."""
        views = self.message_views
        if self._loading or not self.earlier or not views or self._loader is None or self.conversation_id is None:
            return 0
        self._loading = True
        try:
            batch = self._loader(self.conversation_id, views[0].message.id, EARLIER_BATCH)
            if not batch:
                self.earlier = 0
                self._update_markers()
                return 0
            before_height = self.virtual_size.height
            before_y = self.scroll_y
            await self.mount_all([MessageView(m) for m in batch], before=views[0])
            self.earlier = max(0, self.earlier - len(batch))
            self._update_markers()

            def keep_reader_in_place() -> None:
                grown = self.virtual_size.height - before_height
                self.scroll_to(y=before_y + grown, animate=False, immediate=True)

            self.call_after_refresh(keep_reader_in_place)
            return len(batch)
        finally:
            self._loading = False
