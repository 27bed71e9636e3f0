"""Snapshots of the Volumes screen and each of its modals at 80x24 and 120x40, on the seeded simulator."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Switch

from tests.harness import make_harness, still_cursor

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _wait(pilot: Any, *groups: str) -> None:
    for group in groups:
        for worker in [w for w in pilot.app.workers if w.group == group]:
            await worker.wait()
    for _ in range(3):
        await pilot.pause()


def _focus(pilot: Any, name: str) -> None:
    screen = pilot.app.screen
    volume = next(v for v in pilot.app.store.volumes.values() if v.name == name)
    screen.show_volume(volume)


def scenario(card: str | None = None, keys: tuple[str, ...] = (), groups: tuple[str, ...] = (), then: Any = None):
    async def before(pilot: Any) -> None:
        await pilot.app.store.refresh()
        await _wait(pilot)
        if card:
            _focus(pilot, card)
            await _wait(pilot)
        for key in keys:
            await pilot.press(key)
        await _wait(pilot)
        if then is not None:
            await then(pilot)
            await _wait(pilot)
        for modal_group in groups:
            for worker in [w for w in pilot.app.workers if w.group == modal_group]:
                await worker.wait()
        await _wait(pilot)
        still_cursor(pilot.app)

    return before


async def _type_delete_name(pilot: Any) -> None:
    pilot.app.screen.query_one("#confirm-name", Input).value = "volume1"


async def _bootable_canada(pilot: Any) -> None:
    modal = pilot.app.screen
    modal.query_one("#create-region").value = "CANADA-1"
    await pilot.pause()
    modal.query_one("#create-bootable", Switch).value = True
    await pilot.pause()
    for worker in [w for w in pilot.app.workers if w.group == "volume-os-images"]:
        await worker.wait()


async def _invalid_name(pilot: Any) -> None:
    pilot.app.screen.query_one("#create-name", Input).value = "data-1"


async def _resize_to(pilot: Any) -> None:
    pilot.app.screen.query_one("#form-input", Input).value = "1000"


CASES = {
    "screen": scenario(),
    "screen_page2": scenario(keys=("right_square_bracket",)),
    "detach_refused": scenario("data-1", ("x",)),
    "detach_bootable": scenario("finetune-h100-os", ("x",)),
    "detach_allowed": scenario("datasets", ("x",)),
    "attach": scenario("volume1", ("a",)),
    "create": scenario(keys=("n",)),
    "create_invalid_name": scenario(keys=("n",), then=_invalid_name),
    "create_bootable": scenario(keys=("n",), then=_bootable_canada),
    "delete": scenario("volume1", ("d",), then=_type_delete_name),
    "clone": scenario("models-ca", ("k",)),
    "resize": scenario("ckpt-archive", ("r",), then=_resize_to),
    "details": scenario("datasets", ("enter",), groups=("volume-billing",)),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_volumes_snapshot(snap_compare: Any, case: str, size: tuple[int, int]) -> None:
    h = make_harness(initial_mode="volumes")
    assert snap_compare(h.app, terminal_size=size, run_before=CASES[case])
