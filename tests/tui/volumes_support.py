"""Helpers for the Volumes screen tests: open the screen on the seeded simulator, find cards, read what they show."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Button, Static

from barrack_tui.tui.areas.volumes.card import VolumeCard
from barrack_tui.tui.areas.volumes.screen import VolumesScreen
from tests.harness import Harness, make_harness, settle

WIDE = (120, 40)


def volumes_harness(**kwargs: Any) -> Harness:
    return make_harness(initial_mode="volumes", **kwargs)


async def open_volumes(h: Harness, pilot: Any) -> VolumesScreen:
    """What a user sees once the first polls are in."""
    await h.poll()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, VolumesScreen)
    return screen


def text_of(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def volumes_screen(app: Any) -> VolumesScreen:
    return next(s for s in app.screen_stack if isinstance(s, VolumesScreen))


async def focus_card(pilot: Any, name: str) -> VolumeCard:
    """Bring the named volume's card onto the page (as a user would by paging/filtering) and focus it."""
    screen = volumes_screen(pilot.app)
    volume = next(v for v in pilot.app.store.volumes.values() if v.name == name)
    screen.show_volume(volume)
    await settle(pilot)
    card = card_for(pilot.app, name)
    assert pilot.app.focused is card
    return card


def card_for(app: Any, name: str) -> VolumeCard:
    screen = volumes_screen(app)
    matches = [card for card in screen.query(VolumeCard) if card.volume is not None and card.volume.name == name]
    assert matches, f"no card shows {name!r} on the current page"
    return matches[0]


def button(card: VolumeCard, action: str) -> Button:
    return card.query_one(f".card-{action}", Button)


def shown(card: VolumeCard, action: str) -> bool:
    return bool(button(card, action).display)


def enabled(card: VolumeCard, action: str) -> bool:
    return shown(card, action) and not button(card, action).disabled


def reasons(card: VolumeCard) -> str:
    line = card.query_one(".card-reasons", Static)
    return text_of(line) if line.display else ""


def instance_line(card: VolumeCard) -> str:
    line = card.query_one(".card-instance", Static)
    return text_of(line) if line.display else ""


def badge(card: VolumeCard) -> str:
    return text_of(card.query_one(".card-badge", Static)).strip()


async def wait_group(app: Any, group: str) -> None:
    """Wait for the workers of one group (never the endless pollers)."""
    for worker in [w for w in app.workers if w.group == group]:
        await worker.wait()


def notifications(app: Any) -> list[str]:
    return [n.message for n in app._notifications]
