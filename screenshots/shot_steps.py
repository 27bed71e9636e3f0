"""Steps the screenshot scripts share: settle, open a screen or modal by key, close it with Escape."""

from __future__ import annotations

from typing import Any

from tests.tui.resources_support import wait_until


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
    # In the script editor the first Escape only leaves the text area (Tab indents there).
    for _ in range(2):
        await pilot.press("escape")
        await pilot.pause()
        if type(pilot.app.screen).__name__ != screen:
            break
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ != screen)
    await settle(pilot)
