"""Steps the screenshot scripts share: settle, open a screen or modal by key, close it with Escape."""

from __future__ import annotations

from typing import Any

from barrack_tui.tui.shell.keymap import keys_of
from tests.harness import wait_until


def key(binding_id: str) -> str:
    """The default key of a binding, so the scripts follow the key scheme instead of restating it."""
    return keys_of(binding_id, {})[0]


async def settle(pilot: Any) -> None:
    """Let the screen finish repainting and drop toasts (they would cover the picture)."""
    for _ in range(3):
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


async def open_screen(pilot: Any, key: str, screen: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == screen)
    await settle(pilot)


async def close_screen(pilot: Any, screen: str) -> None:
    """Escape out of `screen`; a form with changes asks first, and the answer here is Discard."""
    # In the script editor the first Escape only leaves the text area (Tab indents there).
    for _ in range(2):
        await pilot.press("escape")
        for _ in range(3):
            await pilot.pause()
        if type(pilot.app.screen).__name__ != screen:
            break
    if type(pilot.app.screen).__name__ == "DiscardChangesModal":
        await pilot.press("enter")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ not in (screen, "DiscardChangesModal"))
    await settle(pilot)
