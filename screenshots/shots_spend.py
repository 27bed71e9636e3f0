"""Screenshots of the Spend view, a budget alert in the header, and a state watch, through the real app.

`shoot(pilot, save, harness)` is called by screenshots/make_screenshots.py (120x40, frozen clock). The
alert thresholds are set as a config file would set them; toasts are cleared before each picture except
the one that shows how an alert and a watch are told.
"""

from __future__ import annotations

from typing import Any

from tests.harness import wait_until

INITIAL_MODE = "spend"
NEEDS_HARNESS = True


async def _settle(pilot: Any, *, keep_toasts: bool = False) -> None:
    for _ in range(3):
        await pilot.pause()
    if not keep_toasts:
        pilot.app.clear_notifications()


async def shoot(pilot: Any, save: Any, harness: Any) -> None:
    app = pilot.app
    app.settings.alerts.runway_warn_hours = 48
    app.settings.alerts.long_running_hours = 100
    app.alerts.terminal.protocol = "off"  # the pictures need no bell
    screen = app.screen
    await app.store.refresh()
    await wait_until(pilot, lambda: screen._read_once and all(len(screen.book.reads[kind]) == len(getattr(app.store, kind)) for kind in ("instances", "volumes")), what="billing read")
    app.alerts.evaluate()
    await _settle(pilot, keep_toasts=True)
    save("spend_alert")
    app.clear_notifications()
    await _settle(pilot)
    save("spend")
    await pilot.press("t")
    await _settle(pilot)
    save("spend_days")

    # Instance details: the billing chart, and w for "tell me when dev-a6000 is ACTIVE".
    from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen

    dev = harness.instance_named("dev-a6000")
    app.push_screen(InstanceDetailsScreen(dev.id))
    await wait_until(pilot, lambda: getattr(app.screen, "billing", None) is not None, what="billing")
    await _settle(pilot)
    await pilot.press("w")
    await wait_until(pilot, lambda: bool(app.screen.query("#watch-list")), what="the watch dialog")
    await _settle(pilot)
    save("instances_watch")
    await pilot.press("enter")
    harness.advance(10)
    await app.store.refresh("instances")
    await _settle(pilot, keep_toasts=True)
    save("instances_watch_fired")
