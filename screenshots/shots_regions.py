"""Screenshots of the Regions screen, driven through the real app on the seeded simulator.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py (120x40,
frozen clock). Toasts are cleared before each picture so every shot shows the
screen itself.
"""

from __future__ import annotations

from typing import Any

from shot_steps import key

from tests.harness import wait_until

INITIAL_MODE = "regions"


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
    pilot.app.clear_notifications()


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    screen = app.screen
    await app.store.refresh()
    await wait_until(pilot, lambda: len(screen.panels) == 3 and app.focused is not None)
    await _settle(pilot)
    save("regions")

    # Enter on a region: it becomes the region context (green border, header shows it).
    canada = screen.panel("CANADA-1")
    canada.focus()
    canada.place_cursor(-1)
    await pilot.press("enter")
    await _settle(pilot)
    save("regions_context")

    # A sold-out cell under the cursor, watched with `w`.
    canada.place_on_cell("A40", 2)
    await pilot.press(key("regions.watch"))
    await _settle(pilot)
    save("regions_watch")

    # Enter on an in-stock cell opens the deploy wizard prefilled.
    canada.place_on_cell("RTX-A6000", 2)
    await pilot.press("enter")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "DeployWizard")
    await _settle(pilot)
    save("regions_deploy")
    await pilot.press("escape")
    await _settle(pilot)
