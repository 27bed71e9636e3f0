"""Key routing: every key reaches the widget that the key before it left focused, even in one batch.

Textual forwards a key to the focused widget as soon as the app reads it,
but a screen binding runs only once that key has bubbled back up to the
app, and `Widget.focus()` takes effect one message after that. Over SSH a
user's `/eval` arrives in a single read, so `eval` was forwarded to the
table (where each letter is a command) before `/` had opened the filter box.

`KeyRouting`, mixed into the App, takes one key at a time: it holds the keys
that arrive while one is being handled and releases the next only when the
previous one has travelled its whole path (the focused widget, each
ancestor, the app's bindings), the focus it asked for has landed, and a
screen it opened has mounted and focused its box. A watchdog releases held
keys if something breaks that chain, so keys are delayed, never lost.

While a text box (an editable Input or TextArea) has focus, a printable key
goes straight to it: no binding, not even a priority one, takes a letter
out of a box the user is typing in.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.dom import DOMNode
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

# A key whose handling has not finished after this long no longer holds the keys behind it.
STALE_AFTER = 0.5

if TYPE_CHECKING:  # the type checker sees the app this is mixed into; at run time it is only a mixin
    from textual.app import App

    _MixedInto = App[Any]
else:
    _MixedInto = object


def is_text_box(widget: Widget | None) -> bool:
    """An editable box that takes printable keys as text."""
    if isinstance(widget, Input):
        return not widget.disabled
    # TextArea is looked up, not imported: it loads the document and syntax modules (~5 ms), which the
    # first frame does without, and until something imports it no widget can be one.
    text_area = sys.modules.get("textual.widgets._text_area")
    if text_area is not None and isinstance(widget, text_area.TextArea):
        return not widget.read_only and not widget.disabled
    return False


class KeyRouting(_MixedInto):
    """Mixed into the App before `App`: serialises raw key events (see the module docstring)."""

    _held_keys: deque[events.Key]
    _key_serial: int
    _key_busy: bool
    _key_started: float
    _key_watchdog: Timer | None
    _mount_waits: set[asyncio.Task[None]]

    def _init_key_routing(self) -> None:
        self._held_keys = deque()
        self._key_serial = 0
        self._key_busy = False
        self._key_started = 0.0
        self._key_watchdog = None
        self._mount_waits = set()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._key_busy:
                self._held_keys.append(event)
                if time.monotonic() - self._key_started > STALE_AFTER:
                    await self._release_keys(self._key_serial)
                elif self._key_watchdog is None:
                    self._key_watchdog = self.set_timer(STALE_AFTER, self._watch_keys)
                return
            await self._route_key(event)
            return
        await super().on_event(event)

    async def _route_key(self, event: events.Key) -> None:
        self._key_serial += 1
        serial = self._key_serial
        self._key_busy = True
        self._key_started = time.monotonic()
        screen = self.screen
        focused = self.focused
        target: DOMNode = focused or screen
        if event.is_printable and focused is not None and is_text_box(focused):
            self.app_focus = True
            focused._forward_event(event)
        else:
            await super().on_event(event)
        self._follow(serial, [target, *target.ancestors], 0, screen)

    def _follow(self, serial: int, path: list[DOMNode], index: int, screen: Any) -> None:
        """Queue a marker behind the key on each node of its bubbling path, one node after the other."""
        if serial != self._key_serial:
            return
        while index < len(path) and path[index] is not self:
            if path[index].call_later(self._follow, serial, path, index + 1, screen):
                return
            index += 1  # that node is closing: the key goes no further through it
        # At the app the key's binding (if any) has run; one more turn lets a deferred focus land.
        if not self.call_later(self._settle_key, serial, screen):
            self._key_busy = False

    def _settle_key(self, serial: int, screen_before: Any) -> None:
        if serial != self._key_serial:
            return
        screen = self.screen
        if screen is screen_before:
            self.call_later(self._release_keys, serial)
            return
        # The key opened or switched a screen: its keys wait until it has mounted and handled its resume
        # (where it focuses its box), then the app's turn after that, as for a focus on the same screen.
        def through_screen() -> None:
            if not screen.call_later(self.call_later, self._settle_key, serial, screen):
                self.call_later(self._release_keys, serial)

        if screen.is_mounted:
            through_screen()
            return

        async def mounted() -> None:
            await screen._mounted_event.wait()
            through_screen()

        task = asyncio.get_running_loop().create_task(mounted())
        self._mount_waits.add(task)
        task.add_done_callback(self._mount_waits.discard)

    def _watch_keys(self) -> None:
        self._key_watchdog = None
        if self._key_busy and self._held_keys:
            if time.monotonic() - self._key_started > STALE_AFTER:
                self.call_later(self._release_keys, self._key_serial)
            else:
                self._key_watchdog = self.set_timer(STALE_AFTER, self._watch_keys)

    async def _release_keys(self, serial: int) -> None:
        if serial != self._key_serial:
            return
        self._key_busy = False
        if self._held_keys:
            await self._route_key(self._held_keys.popleft())
