"""Snapshots of the Regions screen at 80x24 and 120x40: as it opens, and with a region context, a cell cursor and a watch."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import make_harness, still_cursor, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _loaded(pilot: Any) -> Any:
    await pilot.app.store.refresh()
    screen = pilot.app.screen
    await wait_until(pilot, lambda: len(screen.panels) == 3 and pilot.app.focused is not None)
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_regions_home(snap_compare, size):
    async def before(pilot: Any) -> None:
        await _loaded(pilot)
        still_cursor(pilot.app)

    assert snap_compare(make_harness().app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_regions_context_cursor_and_watch(snap_compare, size):
    async def before(pilot: Any) -> None:
        screen = await _loaded(pilot)
        pilot.app.region = "US-1"
        us = screen.panel("US-1")
        us.focus()
        us.place_on_cell("H100-PCIe-80GB", 2)
        screen.watches.add(("US-1", "H100-PCIe-80GB", 2))
        screen.refresh_from_store()
        await pilot.pause()
        await pilot.pause()
        still_cursor(pilot.app)

    assert snap_compare(make_harness().app, terminal_size=size, run_before=before)
