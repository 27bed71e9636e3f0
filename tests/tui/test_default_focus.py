"""Every area starts with the focus on its main list (never in a text box), on its first visit whether it is
the area the app opens on or one switched to, and keeps the focus where the user left it on coming back."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.areas.regions.screen import RegionPanel
from barrack_tui.tui.shell.focus import is_text_box
from tests.harness import make_harness, wait_until

# mode -> (the main list's type, its id or id prefix)
MAIN_LIST = {
    "regions": (RegionPanel, "region-"),
    "instances": (FleetTable, "fleet-table"),
    "volumes": (None, "volume-card-0"),
    "firewalls": (None, "fw-table"),
    "keys": (None, "keys-table"),
    "snapshots": (None, "snapshots-table"),
    "chat": (OptionList, "chat-list"),
}


def on_main_list(app, mode: str) -> bool:
    kind, ident = MAIN_LIST[mode]
    focused = app.focused
    if focused is None or is_text_box(focused):
        return False
    return (kind is None or isinstance(focused, kind)) and (focused.id or "").startswith(ident)


@pytest.mark.parametrize("mode", list(MAIN_LIST))
async def test_an_area_opened_first_starts_on_its_main_list(mode: str) -> None:
    h = make_harness(initial_mode=mode)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: on_main_list(h.app, mode))


@pytest.mark.parametrize("mode", [m for m in MAIN_LIST if m != "instances"])
async def test_an_area_switched_to_starts_on_its_main_list(mode: str) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        h.app.switch_mode(mode)
        await wait_until(pilot, lambda: h.app.current_mode == mode and on_main_list(h.app, mode))


async def test_coming_back_keeps_the_focus_where_it_was_left() -> None:
    h = make_harness(initial_mode="chat")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: on_main_list(h.app, "chat"))
        await pilot.press("i")
        assert h.app.focused is h.app.screen.chat_input
        h.app.switch_mode("instances")
        await wait_until(pilot, lambda: on_main_list(h.app, "instances"))
        h.app.switch_mode("chat")
        await wait_until(pilot, lambda: h.app.current_mode == "chat" and h.app.focused is h.app.screen.chat_input)
