"""Screenshots of the Snapshots & Images screen, the snapshot details and the forms.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py with a pilot
of the app from tests.harness.make_harness at 120x40. Nothing is changed in
the account: every form is closed with Escape.
"""

from __future__ import annotations

from typing import Any

from shot_steps import close_screen, key, open_screen, settle
from textual.widgets import Input

from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import wait_until
from tests.tui.resources_support import find

INITIAL_MODE = "snapshots"


def _select(pilot: Any, table: str, name: str) -> None:
    items = pilot.app.store.snapshots if table == "#snapshots-table" else pilot.app.store.images
    found = find(pilot.app, table, SyncedTable)
    found.focus()
    found.select_id(next(i.id for i in items.values() if i.name == name))


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    await app.store.refresh()
    await wait_until(pilot, lambda: len(find(app, "#snapshots-table", SyncedTable).row_ids) > 0)
    await settle(pilot)
    save("snapshots")  # the CREATING snapshot is selected: restore/image refusals shown with their reasons

    app.region = "NORWAY-1"
    await settle(pilot)
    await open_screen(pilot, key("snapshots.create"), "SnapshotCreateModal")
    save("snapshots_create")
    app.screen.query_one("#snapshot-name", Input).value = "gpu-train-1-weekly"
    await settle(pilot)
    save("snapshots_create_invalid")
    await close_screen(pilot, "SnapshotCreateModal")
    app.region = None
    await settle(pilot)

    _select(pilot, "#snapshots-table", "finetune-h100-weekly")
    await open_screen(pilot, key("snapshots.restore"), "SnapshotRestoreModal")
    save("snapshots_restore")
    await close_screen(pilot, "SnapshotRestoreModal")

    await open_screen(pilot, "enter", "SnapshotDetailsScreen")
    await wait_until(pilot, lambda: "Billed so far" in str(app.screen.query_one("#details-fields").content))
    await settle(pilot)
    save("snapshots_details")
    await close_screen(pilot, "SnapshotDetailsScreen")

    _select(pilot, "#snapshots-table", "gpu-train-1-weekly")
    await open_screen(pilot, key("snapshots.make_image"), "ImageCreateModal")
    save("snapshots_image_create")
    await close_screen(pilot, "ImageCreateModal")

    await open_screen(pilot, key("snapshots.delete"), "ConfirmDeleteModal")
    save("snapshots_delete")
    await close_screen(pilot, "ConfirmDeleteModal")

    await pilot.press(key("snapshots.switch_tab"))
    await settle(pilot)
    save("images")
    _select(pilot, "#images-table", "finetune-h100-golden")
    await open_screen(pilot, "enter", "ImageDetailsModal")
    save("images_details")
    await close_screen(pilot, "ImageDetailsModal")
