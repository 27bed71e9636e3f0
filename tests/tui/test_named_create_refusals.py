"""Take-a-snapshot and create-an-image share one form: a refusal the form could not foresee comes back onto it.

The modal checks names against the lists it opened with; here the name is taken
on the server after it opened (another tab, a teammate), or the instance stops
meanwhile. The server's message shows where it belongs, everything typed stays,
and Create can be pressed again.
"""

from __future__ import annotations

from textual.widgets import Input

from barrack_tui.tui.areas.snapshots.create import SnapshotCreateModal
from barrack_tui.tui.areas.snapshots.image_create import ImageCreateModal
from tests.harness import make_harness, wait_until
from tests.tui.resources_support import button, select_row, text_of


async def open_modal(pilot, h, key: str, modal: type) -> None:
    await h.poll()
    await wait_until(pilot, lambda: " in " in text_of(h.app, "#snapshots-page"))
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(h.app.screen, modal) and bool(h.app.screen.query("#submit")))


async def test_a_snapshot_name_taken_after_the_form_opened_comes_back_on_the_name_field():
    h = make_harness(initial_mode="snapshots")
    h.app.region = "NORWAY-1"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_modal(pilot, h, "n", SnapshotCreateModal)
        name = h.app.screen.query_one("#snapshot-name", Input)
        h.app.screen.query_one("#snapshot-description", Input).value = "kept as typed"
        instance = h.instance_named("gpu-train-1")
        await h.app.client.create_snapshot({"instance_id": instance.id, "name": name.value})

        await pilot.click("#submit")
        expected = f"Name '{name.value}' is already used by another snapshot"
        await wait_until(pilot, lambda: text_of(h.app, "#name-error") == expected)
        assert isinstance(h.app.screen, SnapshotCreateModal)
        assert h.app.screen.query_one("#snapshot-description", Input).value == "kept as typed"
        assert not button(h.app, "#submit").disabled


async def test_an_instance_stopped_after_the_form_opened_is_refused_in_the_status_line():
    h = make_harness(initial_mode="snapshots")
    h.app.region = "NORWAY-1"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_modal(pilot, h, "n", SnapshotCreateModal)
        await h.app.client.stop_instance(h.instance_named("gpu-train-1").id)

        await pilot.click("#submit")
        # The rule's exact words, then the server's request id for support.
        await wait_until(
            pilot, lambda: text_of(h.app, "#form-status").startswith("Instance must be ACTIVE to take a snapshot (request id ")
        )
        assert h.app.screen.query_one("#snapshot-name", Input).value == "gpu-train-1-snapshot"
        assert not button(h.app, "#submit").disabled


async def test_an_image_name_taken_after_the_form_opened_comes_back_on_the_name_field():
    h = make_harness(initial_mode="snapshots")
    source = next(s for s in h.state.snapshots.values() if s.name == "gpu-train-1-weekly")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await wait_until(pilot, lambda: " in " in text_of(h.app, "#snapshots-page"))
        await select_row(pilot, "#snapshots-table", source.id)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ImageCreateModal) and bool(h.app.screen.query("#submit")))
        await h.app.client.create_image({"snapshot_id": source.id, "name": "gpu-train-1-weekly-image"})

        await pilot.click("#submit")
        expected = "Name 'gpu-train-1-weekly-image' is already used by another image"
        await wait_until(pilot, lambda: text_of(h.app, "#name-error") == expected)
        assert isinstance(h.app.screen, ImageCreateModal)
        assert not button(h.app, "#submit").disabled
