"""Keys that move the focus to a text box: everything typed after them lands in that box.

One table lists every binding that focuses a text box (filter boxes, forms,
the chat's question box, reached with or without the mode key of AI Chat). Each is driven twice: key
by key through Pilot, and as one input chunk through Textual's own xterm
parser (what the driver does with one read from an SSH session), where the
letters arrive before the first key has been handled. The typed text is
"dev" (d deletes, e and v are commands on several screens): it must land in
the box, and no other screen or dialog may open.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input, TextArea

from barrack_tui.tui.shell.focus import is_text_box
from barrack_tui.tui.shell.keymap import keys_of
from tests.harness import make_harness

TYPED = "dev"


@dataclass(frozen=True)
class FocusKey:
    binding_id: str
    mode: str
    before: tuple[str, ...] = ()  # Pilot keys that reach the screen the binding lives on
    conversation: bool = False  # the chat shows a saved conversation (rename and export need one)
    via: str = ""  # a binding typed just before, in the same read (the mode key that reaches the screen)

    def __str__(self) -> str:
        return f"{self.via}+{self.binding_id}" if self.via else self.binding_id

    def keys(self) -> list[str]:
        return [key_of(b) for b in (self.via, self.binding_id) if b]


# Every binding that moves the focus to a text box, by screen.
FOCUS_KEYS = [
    FocusKey("instances.filter", "instances"),
    FocusKey("instances.deploy", "instances"),
    FocusKey("instances.add_rule", "instances"),
    FocusKey("instances.add_rule", "instances", ("enter",)),  # the same key on the details pane
    FocusKey("volumes.filter", "volumes"),
    FocusKey("volumes.create", "volumes"),
    FocusKey("volumes.resize", "volumes"),
    FocusKey("volumes.clone", "volumes"),
    FocusKey("firewalls.list_filter", "firewalls"),
    FocusKey("firewalls.create", "firewalls"),
    FocusKey("firewall_details.add_rule", "firewalls", ("enter",)),
    FocusKey("snapshots.filter", "snapshots"),
    FocusKey("keys.filter", "keys"),
    FocusKey("keys.import", "keys"),
    FocusKey("scripts.new", "keys", ("t",)),
    FocusKey("scripts.edit", "keys", ("t",)),
    FocusKey("chat.write", "chat", ("escape",)),
    FocusKey("chat.new_letter", "chat", ("escape",)),
    FocusKey("chat.rename", "chat", ("escape",), conversation=True),
    FocusKey("chat.export", "chat", ("escape",), conversation=True),
    FocusKey("chat.model", "chat", ("escape",)),
    # AI Chat opens on its conversation list; the mode key and `i` typed in one go still reach the box.
    FocusKey("chat.write", "regions", via="mode.chat"),
]

# The characters a terminal sends for the key names the bindings use.
_CHARACTERS = {"slash": "/", "plus": "+", "minus": "-", "space": " ", "question_mark": "?", "colon": ":"}


def key_of(binding_id: str) -> str:
    return keys_of(binding_id, {})[0]


def as_terminal_bytes(key: str) -> str:
    if key in _CHARACTERS:
        return _CHARACTERS[key]
    if key == "ctrl+n":
        return "\x0e"
    assert len(key) == 1, f"no terminal text for key {key!r}"
    return key


def box_text(widget: object) -> str:
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    raise AssertionError(f"{widget!r} is not a text box")


def feed_one_read(app, text: str) -> None:
    """What the driver does with one read: parse it whole, then post every event before any is handled."""
    parser = XTermParser()
    parsed = [*parser.feed(text), *parser.feed("")]
    assert [e.key for e in parsed if isinstance(e, events.Key)][-len(TYPED):] == list(TYPED)
    for event in parsed:
        app.post_message(event)


async def reach(h, pilot, case: FocusKey):
    await h.poll()
    for _ in range(4):
        await pilot.pause()
    if case.conversation:
        screen = h.app.screen
        await screen.open_conversation(screen.history.create_conversation(title="gpu questions"))
        await pilot.pause()
    for key in case.before:
        await pilot.press(key)
        for _ in range(4):
            await pilot.pause()
    assert not is_text_box(h.app.focused), f"{case}: a text box already has the focus before the key"
    return len(h.app.screen_stack)


async def landed(h, pilot, case: FocusKey, depth_before: int) -> None:
    for _ in range(12):
        await pilot.pause()
    app = h.app
    focused = app.focused
    assert is_text_box(focused), f"{case}: focus is on {focused!r}, not a text box"
    assert TYPED in box_text(focused), f"{case}: the box holds {box_text(focused)!r}"
    # The box is on the screen the key opened (one level deeper for a form, the same for a filter), not under
    # a dialog that a typed letter opened.
    assert focused.screen is app.screen
    assert len(app.screen_stack) <= depth_before + 1


@pytest.mark.parametrize("case", FOCUS_KEYS, ids=str)
async def test_keys_typed_one_by_one_land_in_the_box(case: FocusKey) -> None:
    h = make_harness(initial_mode=case.mode)
    async with h.app.run_test(size=(120, 40)) as pilot:
        depth = await reach(h, pilot, case)
        await pilot.press(*case.keys(), *TYPED)
        await landed(h, pilot, case, depth)


@pytest.mark.parametrize("case", FOCUS_KEYS, ids=str)
async def test_keys_in_one_read_land_in_the_box(case: FocusKey) -> None:
    h = make_harness(initial_mode=case.mode)
    async with h.app.run_test(size=(120, 40)) as pilot:
        depth = await reach(h, pilot, case)
        feed_one_read(h.app, "".join(as_terminal_bytes(k) for k in case.keys()) + TYPED)
        await landed(h, pilot, case, depth)


async def test_no_printable_key_is_a_command_while_a_box_has_focus() -> None:
    """The app's own keys (1-7, q, ?, :) and every screen letter are text in the filter box."""
    h = make_harness(initial_mode="instances")
    typed = "1234567q?:dUSTp+-sy"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        feed_one_read(h.app, "/" + typed + TYPED)
        for _ in range(12):
            await pilot.pause()
        assert h.app.is_running and h.app.current_mode == "instances"
        assert len(h.app.screen_stack) == 1
        assert box_text(h.app.focused) == typed + TYPED


async def test_chat_i_moves_to_the_box_and_is_not_typed() -> None:
    h = make_harness(initial_mode="chat")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        feed_one_read(h.app, "ihello" + TYPED)
        for _ in range(12):
            await pilot.pause()
        assert box_text(h.app.focused) == "hello" + TYPED
        assert len(h.app.screen_stack) == 1
