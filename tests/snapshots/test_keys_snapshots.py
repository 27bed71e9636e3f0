"""Snapshots of the SSH keys & Scripts screen and each of its forms at 80x24 and 120x40, on the seeded simulator.

The generated key pair is fixed (the simulator's generator is replaced) and
HOME points at a fixed path, so the private-key modal draws the same every time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, TextArea

from barrack_tui.sim.seed_resources import ed25519_public_key
from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import make_harness, still_cursor, wait_until
from tests.tui.resources_support import demo_key_pair, find

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def fixed_key_material(monkeypatch):
    monkeypatch.setattr("barrack_tui.sim.routes.keys.generate_rsa_keypair", lambda comment="": demo_key_pair())
    monkeypatch.setenv("HOME", "/home/demo")


Step = Callable[[Any], Awaitable[None]]


def scenario(*steps: Step) -> Callable[[Any], Awaitable[None]]:
    async def before(pilot: Any) -> None:
        await pilot.app.store.refresh()
        await wait_until(pilot, lambda: len(find(pilot.app, "#keys-table", SyncedTable).row_ids) == 4)
        for step in steps:
            await step(pilot)
            for _ in range(3):
                await pilot.pause()
        # Toasts expire on the wall clock: keep them out of the picture.
        pilot.app.clear_notifications()
        await pilot.pause()
        still_cursor(pilot.app)

    return before


def press(*keys: str) -> Step:
    async def step(pilot: Any) -> None:
        await pilot.press(*keys)

    return step


def select(table: str, name: str) -> Step:
    async def step(pilot: Any) -> None:
        store = pilot.app.store
        items = store.ssh_keys if table == "#keys-table" else store.scripts
        item_id = next(i.id for i in items.values() if i.name == name)
        find(pilot.app, table, SyncedTable).select_id(item_id)

    return step


def wait_for_screen(name: str) -> Step:
    async def step(pilot: Any) -> None:
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == name)

    return step


def set_input(selector: str, value: str) -> Step:
    async def step(pilot: Any) -> None:
        pilot.app.screen.query_one(selector, Input).value = value

    return step


def paste_key(text: str) -> Step:
    async def step(pilot: Any) -> None:
        pilot.app.screen.query_one("#public-key", TextArea).focus()
        await pilot.pause()
        pilot.app.post_message(events.Paste(text))

    return step


CASES = {
    "keys_list": scenario(),
    "key_delete": scenario(select("#keys-table", "ci-deploy"), press("d"), wait_for_screen("ConfirmDeleteModal")),
    "key_generate": scenario(press("n"), wait_for_screen("KeyFormModal"), set_input("#key-name", "my key")),
    "key_import": scenario(
        press("i"),
        wait_for_screen("KeyFormModal"),
        set_input("#key-name", "carol-desktop"),
        paste_key(ed25519_public_key("carol", "carol@desktop")),
    ),
    "private_key": scenario(
        press("n"), wait_for_screen("KeyFormModal"), set_input("#key-name", "build-box"), press("enter"),
        wait_for_screen("PrivateKeyModal"),
    ),
    "private_key_close_warning": scenario(
        press("n"), wait_for_screen("KeyFormModal"), set_input("#key-name", "build-box"), press("enter"),
        wait_for_screen("PrivateKeyModal"), press("escape"),
    ),
    "scripts_list": scenario(press("t"), select("#scripts-table", "install-miniconda"), press("space")),
    "script_new": scenario(
        press("t", "n"), wait_for_screen("ScriptEditorModal"), set_input("#script-name", "warm-cache")
    ),
    "script_edit": scenario(
        press("t"), select("#scripts-table", "mount-data-volume"), press("e"), wait_for_screen("ScriptEditorModal")
    ),
    "scripts_bulk_delete": scenario(
        press("t"), select("#scripts-table", "install-miniconda"), press("space", "down", "space", "d"),
        wait_for_screen("ConfirmDeleteModal"),
    ),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_keys_screen(snap_compare, case: str, size: tuple[int, int]) -> None:
    h = make_harness(initial_mode="keys")
    assert snap_compare(h.app, terminal_size=size, run_before=CASES[case])
