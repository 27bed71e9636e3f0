"""The line above the key bar that says what an area's data is worth: stale, not loaded, partly unreadable, cut.

Hidden while everything the area shows was read in full at the last poll, so
a healthy screen looks as it always did. Otherwise one line (wrapping to at
most three) such as:

    volumes stale since 14:02: server error, HTTP 500 (retrying in 8 s)
    2 of 40 volumes could not be read: E shows why
    volumes: showing the first 4,000 of 10,000,000: stopped after 20 of 500,000 pages

Ages and countdowns come from the store's clock (a fake one in tests); the
wall-clock time of "stale since" from the app's. `load_state` gives the
screens the words for an area that has no data yet, so "No volumes yet" is
only ever said after a read that succeeded.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ScreenStackError
from textual.widgets import Static

from barrack_tui.api.errors import format_wait
from barrack_tui.tui.shell.poll_health import KindHealth, noun

UNREAD_ACTION = "show_unreadable"


def clock_time(store: Any, app: Any, when: float) -> str:
    """hh:mm on the wall clock of a moment of the store's clock (which may be monotonic)."""
    wall = app.wall_clock() - (store.clock() - when)
    return time.strftime("%H:%M", time.localtime(wall))


def retry_words(health: KindHealth) -> str:
    if health.in_flight or health.retry_in < 0.5:
        return "retrying now"
    return f"retrying in {format_wait(health.retry_in)}"


def failure_words(health: KindHealth) -> str:
    """`server error, HTTP 500 (retrying in 8 s)`: what it means, what happened, when it is tried again."""
    what = health.category or "failed"
    if health.reason:
        what += f", {health.reason}"
    return f"{what} ({retry_words(health)})"


def load_state(store: Any, kind: str, things: str | None = None) -> Text | None:
    """What an area says in place of its list before any read of `kind` succeeded; None once one has.

    After a good read the screen's own text applies ("No volumes yet" is then true, or was at that read:
    the status line says when data is stale).
    """
    health: KindHealth = store.kind_health(kind)
    if health.has_data:
        return None
    things = things or noun(kind)
    if health.state == "loading":
        return Text(f"Loading {things}…", style="dim")
    return Text(f"Could not load {things}: {health.category or 'failed'}", style="yellow")


def unread_counts(store: Any, kinds: Sequence[str]) -> list[str]:
    """`2 of 40 volumes` for each kind whose last good read left items out."""
    counts = []
    for kind in kinds:
        items = store.kind_items(kind)
        if items.refused:
            counts.append(f"{len(items.refused):,} of {items.sent:,} {noun(kind)}")
    return counts


def status_text(store: Any, app: Any, kinds: Sequence[str], key: str | None) -> Text:
    """The whole line for these kinds (empty when there is nothing to say)."""
    parts: list[Text] = []
    for kind in kinds:
        health: KindHealth = store.kind_health(kind)
        if health.state != "failed":
            continue
        if health.has_data and health.last_success is not None:
            since = clock_time(store, app, health.last_success)
            parts.append(Text(f"{noun(kind)} stale since {since}: {failure_words(health)}", style="bold yellow"))
        else:
            parts.append(Text(f"could not load {noun(kind)}: {failure_words(health)}", style="bold yellow"))
    counts = unread_counts(store, kinds)
    if counts:
        how = f": {key} shows why" if key else ""
        parts.append(Text(f"{' and '.join(counts)} could not be read{how}", style="yellow"))
    for kind in kinds:
        cut = store.kind_items(kind).cut
        if cut:
            parts.append(Text(f"{noun(kind)}: {cut}", style="yellow"))
    return Text(" · ").join(parts)


def unread_key(screen: Any) -> str | None:
    """The key that opens the unreadable-items list on this screen (keymaps may move it)."""
    for key, active in screen.active_bindings.items():
        if active.binding.action == UNREAD_ACTION and active.node is screen:
            return active.binding.key_display or key
    return None


class AreaStatus(Static):
    """Placed by every area screen; redrawn on each poll's news and every second (for the countdowns)."""

    DEFAULT_CSS = """
    AreaStatus {
        dock: bottom;
        margin-bottom: 1;
        height: auto;
        max-height: 3;
        padding: 0 1;
        display: none;
    }
    """

    def __init__(self, kinds: Sequence[str]) -> None:
        super().__init__(id="area-status", markup=False)
        self.kinds = tuple(kinds)
        self._shown: str | None = None

    def on_mount(self) -> None:
        self.update_status()
        if self.kinds:
            self.set_interval(1.0, self.update_status)

    def update_status(self) -> None:
        store = getattr(self.app, "store", None)
        if store is None or not self.kinds:
            return
        try:
            if not self.screen.is_current:
                return  # a screen out of view catches up within a second of its return
        except ScreenStackError:
            return  # the app is closing: its last screen is already gone
        text = status_text(store, self.app, self.kinds, unread_key(self.screen))
        if text.plain == self._shown:
            return
        self._shown = text.plain
        self.display = bool(text.plain)
        self.update(text)

    @property
    def shown(self) -> str:
        """The line as the user reads it ('' when hidden)."""
        return self._shown or ""
