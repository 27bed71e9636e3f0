"""Screenshots of the Snapshots & Images screen, the snapshot details and the forms (issue 6, item 4).

`shoot(pilot, save)` is called by screenshots/make_screenshots.py with a pilot
of the app from tests.harness.make_harness at 120x40. Nothing is changed in
the account: every form is closed with Escape.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from barrack_tui.tui.widgets.synced_table import SyncedTable
from tests.tui.resources_support import find, wait_until

INITIAL_MODE = "snapshots"


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


async def _open(pilot: Any, key: str, screen: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == screen)
    await _settle(pilot)


async def _close(pilot: Any, screen: str) -> None:
    # In the script editor the first Escape only leaves the text area (Tab indents there).
    for _ in range(2):
        await pilot.press("escape")
        await pilot.pause()
        if type(pilot.app.screen).__name__ != screen:
            break
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ != screen)
    await _settle(pilot)


def _select(pilot: Any, table: str, name: str) -> None:
    items = pilot.app.store.snapshots if table == "#snapshots-table" else pilot.app.store.images
    found = find(pilot.app, table, SyncedTable)
    found.focus()
    found.select_id(next(i.id for i in items.values() if i.name == name))


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    await app.store.refresh()
    await wait_until(pilot, lambda: len(find(app, "#snapshots-table", SyncedTable).row_ids) > 0)
    await _settle(pilot)
    save("snapshots")  # the CREATING snapshot is selected: restore/image refusals shown with their reasons

    app.region = "NORWAY-1"
    await _settle(pilot)
    await _open(pilot, "n", "SnapshotCreateModal")
    save("snapshots_create")
    app.screen.query_one("#snapshot-name", Input).value = "gpu-train-1-weekly"
    await _settle(pilot)
    save("snapshots_create_invalid")
    await _close(pilot, "SnapshotCreateModal")
    app.region = None
    await _settle(pilot)

    _select(pilot, "#snapshots-table", "finetune-h100-weekly")
    await _open(pilot, "r", "SnapshotRestoreModal")
    save("snapshots_restore")
    await _close(pilot, "SnapshotRestoreModal")

    await _open(pilot, "enter", "SnapshotDetailsScreen")
    await wait_until(pilot, lambda: "Billed so far" in str(app.screen.query_one("#details-fields").content))
    await _settle(pilot)
    save("snapshots_details")
    await _close(pilot, "SnapshotDetailsScreen")

    _select(pilot, "#snapshots-table", "gpu-train-1-weekly")
    await _open(pilot, "m", "ImageCreateModal")
    save("snapshots_image_create")
    await _close(pilot, "ImageCreateModal")

    await _open(pilot, "d", "ConfirmDeleteModal")
    save("snapshots_delete")
    await _close(pilot, "ConfirmDeleteModal")

    await pilot.press("t")
    await _settle(pilot)
    save("images")
    _select(pilot, "#images-table", "finetune-h100-golden")
    await _open(pilot, "enter", "ImageDetailsModal")
    save("images_details")
    await _close(pilot, "ImageDetailsModal")
