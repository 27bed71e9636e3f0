"""Screenshots of the Volumes screen and its modals, driven through the real app on the seeded simulator.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py with a
pilot of the app from tests.harness.make_harness at 120x40; `save(name)`
writes the current screen. The detach is done last: it changes the account.
"""

from __future__ import annotations

from typing import Any

from shot_steps import close_screen, key
from textual.widgets import Input, Switch

INITIAL_MODE = "volumes"


async def _settle(pilot: Any, *groups: str) -> None:
    for group in groups:
        for worker in [w for w in pilot.app.workers if w.group == group]:
            await worker.wait()
    for _ in range(3):
        await pilot.pause()


def _quiet_cursors(app: Any) -> None:
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False


async def _on_card(pilot: Any, name: str) -> None:
    volume = next(v for v in pilot.app.store.volumes.values() if v.name == name)
    pilot.app.screen.show_volume(volume)
    await _settle(pilot)


async def _modal(pilot: Any, save: Any, card: str | None, key: str, name: str, *groups: str) -> None:
    """Open one modal from a card's key, save it, close it with Escape."""
    if card:
        await _on_card(pilot, card)
    await pilot.press(key)
    await _settle(pilot, *groups)
    _quiet_cursors(pilot.app)
    save(name)
    await pilot.press("escape")
    await _settle(pilot)


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    await app.switch_mode("volumes")
    await app.store.refresh()
    await _settle(pilot)
    save("volumes")
    await pilot.press(key("volumes.next_page"))
    await _settle(pilot)
    save("volumes_page2")
    await pilot.press(key("volumes.prev_page"))
    await _settle(pilot)

    await _modal(pilot, save, "data-1", key("volumes.detach"), "volumes_detach_refused")
    await _modal(pilot, save, "finetune-h100-os", key("volumes.detach"), "volumes_detach_bootable")
    await _modal(pilot, save, "volume1", key("volumes.attach"), "volumes_attach")
    await _modal(pilot, save, "volume1", key("volumes.delete"), "volumes_delete")
    await _modal(pilot, save, "models-ca", key("volumes.clone"), "volumes_clone")
    await _modal(pilot, save, "ckpt-archive", key("volumes.resize"), "volumes_resize")
    await _modal(pilot, save, "datasets", key("volumes.details"), "volumes_details", "volume-billing")
    await _modal(pilot, save, None, key("volumes.create"), "volumes_create")

    # Make Bootable in CANADA-1: size raised to 100 GB, the region's OS images listed.
    await pilot.press(key("volumes.create"))
    await _settle(pilot)
    form = app.screen
    form.query_one("#create-region").value = "CANADA-1"
    await pilot.pause()
    form.query_one("#create-bootable", Switch).value = True
    await _settle(pilot, "volume-os-images")
    await pilot.wait_for_scheduled_animations()  # the switch slides; a busy machine caught it half-way
    await _settle(pilot)
    _quiet_cursors(app)
    save("volumes_create_bootable")
    await close_screen(pilot, type(form).__name__)

    # Detach datasets (its instance is SHUTOFF): the modal, then the card and the /etc/fstab reminder.
    await _on_card(pilot, "datasets")
    await pilot.press(key("volumes.detach"))
    await _settle(pilot)
    save("volumes_detach_allowed")
    modal = app.screen
    modal.query_one("#confirm-name", Input).value = "datasets"  # a detach is confirmed by typing the name
    await pilot.pause()
    await pilot.press("enter")
    await _settle(pilot, "volume-detach")
    save("volumes_after_detach")
