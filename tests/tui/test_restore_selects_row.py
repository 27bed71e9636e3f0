"""After a snapshot restore, Instances opens with the cursor on the restored instance's row, whether Instances
was never shown yet or was left on another row, and the cursor stays on it as polls reorder the list."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.snapshots.restore import SnapshotRestoreModal
from tests.harness import make_harness, wait_until


def instances_screen(h) -> InstancesScreen:
    return next(s for s in h.app.get_screen_stack("instances") if isinstance(s, InstancesScreen))


async def restore(pilot, h, name: str) -> str:
    await h.poll()
    h.app.switch_mode("snapshots")
    await wait_until(pilot, lambda: h.app.current_mode == "snapshots")
    source = next(s for s in h.app.store.snapshots.values() if s.name == "finetune-h100-weekly")
    h.app.screen.open_restore(source)
    await wait_until(pilot, lambda: isinstance(h.app.screen, SnapshotRestoreModal))
    h.app.screen.query_one("#restore-name", Input).value = name
    await pilot.pause()
    await pilot.click("#submit")
    await wait_until(pilot, lambda: h.app.current_mode == "instances")
    return next(i.id for i in h.state.instances.values() if i.name == name)


@pytest.mark.parametrize("visited_first", [False, True], ids=["instances-not-shown-yet", "left-on-another-row"])
async def test_restore_lands_on_the_restored_row(visited_first: bool):
    h = make_harness(initial_mode="instances" if visited_first else "snapshots")
    async with h.app.run_test(size=(120, 40)) as pilot:
        if visited_first:
            await h.poll()
            table = instances_screen(h).table
            await wait_until(pilot, lambda: len(table.model.view) == len(h.state.instances))
            table.move_cursor(len(table.model.view) - 1)  # the user left Instances on its last row
            await pilot.pause()
        # Sorted by name, the new row is neither where the cursor was left nor the first row.
        restored_id = await restore(pilot, h, "aaa-restored" if visited_first else "zzz-restored")
        screen = instances_screen(h)
        await wait_until(pilot, lambda: screen.table.cursor_id == restored_id)
        assert screen.table.model.row_at(screen.table.cursor_index).id == restored_id
        assert h.app.focused is screen.table
        await h.poll("instances")  # the poll's answer re-sorts and re-renders: the cursor stays
        await pilot.pause()
        assert screen.table.cursor_id == restored_id
