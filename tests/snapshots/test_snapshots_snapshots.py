"""Snapshots of the Snapshots & Images screen, the snapshot details screen and each form at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input

from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import make_harness, still_cursor, wait_until
from tests.tui.resources_support import find

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

Step = Callable[[Any], Awaitable[None]]


def scenario(*steps: Step, region: str | None = None) -> tuple[str | None, Callable[[Any], Awaitable[None]]]:
    async def before(pilot: Any) -> None:
        await pilot.app.store.refresh()
        await wait_until(pilot, lambda: len(find(pilot.app, "#snapshots-table", SyncedTable).row_ids) > 0)
        for step in steps:
            await step(pilot)
            for _ in range(3):
                await pilot.pause()
        # Toasts expire on the wall clock: keep them out of the picture.
        pilot.app.clear_notifications()
        await pilot.pause()
        still_cursor(pilot.app)

    return region, before


def press(*keys: str) -> Step:
    async def step(pilot: Any) -> None:
        await pilot.press(*keys)

    return step


def select(table: str, name: str) -> Step:
    async def step(pilot: Any) -> None:
        store = pilot.app.store
        items = store.snapshots if table == "#snapshots-table" else store.images
        item_id = next(i.id for i in items.values() if i.name == name)
        found = find(pilot.app, table, SyncedTable)
        found.focus()
        found.select_id(item_id)

    return step


def wait_for_screen(name: str) -> Step:
    async def step(pilot: Any) -> None:
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == name)

    return step


def wait_for_text(selector: str, text: str) -> Step:
    async def step(pilot: Any) -> None:
        await wait_until(pilot, lambda: text in str(getattr(pilot.app.screen.query_one(selector), "content", "")))

    return step


def set_input(selector: str, value: str) -> Step:
    async def step(pilot: Any) -> None:
        pilot.app.screen.query_one(selector, Input).value = value

    return step


CASES = {
    "list_all_regions": scenario(),
    "list_norway": scenario(region="NORWAY-1"),
    "images_tab": scenario(press("t")),
    "create_snapshot": scenario(press("n"), wait_for_screen("SnapshotCreateModal"), region="NORWAY-1"),
    "create_snapshot_invalid": scenario(
        press("n"), wait_for_screen("SnapshotCreateModal"), set_input("#snapshot-name", "gpu-train-1-weekly"),
        region="NORWAY-1",
    ),
    "restore": scenario(
        select("#snapshots-table", "finetune-h100-weekly"), press("U"), wait_for_screen("SnapshotRestoreModal")
    ),
    "image_create": scenario(
        select("#snapshots-table", "gpu-train-1-weekly"), press("m"), wait_for_screen("ImageCreateModal")
    ),
    "image_details": scenario(
        press("t"),
        select("#images-table", "finetune-h100-golden"),
        press("enter"),
        wait_for_screen("ImageDetailsModal"),
    ),
    "snapshot_details": scenario(
        select("#snapshots-table", "finetune-h100-weekly"), press("enter"), wait_for_screen("SnapshotDetailsScreen"),
        wait_for_text("#details-fields", "Billed so far"),
    ),
    "snapshot_delete": scenario(
        select("#snapshots-table", "gpu-train-1-weekly"), press("d"), wait_for_screen("ConfirmDeleteModal")
    ),
    "unfinished_selected": scenario(select("#snapshots-table", "eval-a100-pre-upgrade")),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_snapshots_screen(snap_compare, case: str, size: tuple[int, int]) -> None:
    region, before = CASES[case]
    h = make_harness(initial_mode="snapshots")
    h.app.region = region
    assert snap_compare(h.app, terminal_size=size, run_before=before)
