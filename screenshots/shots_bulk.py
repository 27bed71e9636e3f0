"""Screenshots of marks and bulk actions: marked instances, the one confirmation (with a target the rules
refuse), the per-target summary (with a target that failed), and a bulk volume delete asking for the count.

`shoot(pilot, save, harness)` is called by screenshots/make_screenshots.py (120x40, frozen clock) on a
fresh seeded simulator. The failure is real: one marked instance is removed from the simulator behind the
app's back, so its stop is answered 404 while the others go through.
"""

from __future__ import annotations

from typing import Any

from barrack_tui.tui.areas.volumes.screen import VolumesScreen
from barrack_tui.tui.kit.bulk import BulkConfirmModal, BulkSummaryModal
from tests.harness import settle, wait_until

INITIAL_MODE = "instances"
NEEDS_HARNESS = True

MARKED = ("gpu-train-1", "inference-a100", "batch-l40", "finetune-h100", "eval-a100")


async def _quiet(pilot: Any) -> None:
    await settle(pilot, 4)
    pilot.app.clear_notifications()
    await settle(pilot, 2)


async def shoot(pilot: Any, save: Any, harness: Any) -> None:
    app = pilot.app
    await app.store.refresh()
    await settle(pilot)
    screen = app.screen
    for name in MARKED:
        screen.table.select_id(harness.instance_named(name).id)
        await pilot.press("space")
    await _quiet(pilot)
    save("bulk_marked")

    await pilot.press("T")
    await wait_until(pilot, lambda: isinstance(app.screen, BulkConfirmModal), what="the bulk confirmation")
    await _quiet(pilot)
    save("bulk_confirm")

    vanished = harness.instance_named("finetune-h100")
    del harness.state.instances[vanished.id]  # deleted elsewhere: its stop is answered 404
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, BulkSummaryModal), what="the summary")
    await _quiet(pilot)
    save("bulk_summary")
    await pilot.press("enter")

    app.switch_mode("volumes")
    await wait_until(pilot, lambda: isinstance(app.screen, VolumesScreen), what="the volumes")
    await app.store.refresh()
    await settle(pilot)
    volumes = app.screen
    for name in ("volume1", "data-1", "ckpt-archive"):
        volumes.show_volume(app.store.volumes[harness.volume_named(name).id])
        await settle(pilot, 2)
        await pilot.press("space")
    await pilot.press("d")
    await wait_until(pilot, lambda: isinstance(app.screen, BulkConfirmModal), what="the bulk delete")
    await _quiet(pilot)
    save("volumes_bulk_delete")
