"""Screenshots of the Activity area: a session's log, the log filtered, and the export form.

`shoot(pilot, save, harness)` is called by screenshots/make_screenshots.py (120x40,
frozen clock) on a fresh seeded simulator: it stops an instance from the fleet
(accepted), has the server refuse a stop of an instance already SHUTOFF, lets
the pollers see the first one settle, then opens the log.
"""

from __future__ import annotations

from typing import Any

from shot_steps import key, open_screen, settle

from tests.harness import wait_until

INITIAL_MODE = "instances"
NEEDS_HARNESS = True


async def shoot(pilot: Any, save: Any, harness: Any) -> None:
    from barrack_tui.tui.areas.instances.table import FleetTable

    app = pilot.app
    running = harness.instance_named("gpu-train-1")
    app.screen.query_one(FleetTable).select_id(running.id)
    await settle(pilot)
    await pilot.press(key("instances.stop"))
    await settle(pilot)
    await pilot.press("enter")  # the confirmation's button has the focus
    await wait_until(pilot, lambda: any(e.verb == "stop" for e in app.activity.entries()))
    # A stop of an instance that is already SHUTOFF, as a second window might send it: the server refuses.
    stopped = harness.instance_named("batch-l40")
    try:
        await app.store.send(lambda client: client.stop_instance(stopped.id))
    except Exception:  # the refusal is the point: the log keeps it
        pass
    harness.advance(30)
    await harness.poll()
    await settle(pilot)
    await open_screen(pilot, key("mode.activity"), "ActivityScreen")
    save("activity")
    await pilot.press(key("activity.filter"), *"result:refused")
    await settle(pilot)
    save("activity_filtered")
    await pilot.press("enter")
    await settle(pilot)
    await open_screen(pilot, key("activity.export"), "ExportActivityModal")
    app.screen.query_one("#activity-export-path").value = "~/barrack/activity-today.csv"
    await settle(pilot)
    save("activity_export")
