"""Images (key 5, second tab) against the simulator: create from a SUCCESS snapshot only (M1, refused otherwise in
the UI and by the API with the same words), name validation, details, delete."""

from __future__ import annotations

from textual.widgets import Input

from barrack_tui.api.errors import RuleRefusedError
from barrack_tui.tui.areas.snapshots.image_create import ImageCreateModal
from barrack_tui.tui.areas.snapshots.image_details import ImageDetailsModal
from barrack_tui.tui.areas.snapshots.screen import SnapshotsScreen
from barrack_tui.tui.kit.resource_delete import ConfirmDeleteModal
from tests.harness import make_harness, wait_until
from tests.tui.resources_support import (
    button,
    record_notifications,
    select_prompts,
    select_row,
    table_column,
    table_rows,
    text_of,
)

NOT_FINISHED = "Snapshot must be SUCCESS (finished) to create an image"


def snapshot_named(h, name: str):
    return next(s for s in h.state.snapshots.values() if s.name == name)


def image_named(h, name: str):
    return next((i for i in h.state.images.values() if i.name == name), None)


async def open_screen(pilot, h) -> None:
    await h.poll()
    await wait_until(pilot, lambda: " in " in text_of(h.app, "#snapshots-page"))


async def show_images(pilot) -> None:
    await pilot.press("t")
    await pilot.pause()


async def test_images_tab_lists_images_with_their_snapshot():
    h = make_harness(initial_mode="snapshots")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, h)
        await show_images(pilot)
        assert table_rows(h.app, "#images-table") == [
            ["finetune-h100-golden", "SUCCESS", "2026-11-12", "750 GB", "CANADA-1", "finetune-h100-weekly"]
        ]
        assert h.app.screen.active_bindings["n"].binding.description == "New image"


async def test_make_an_image_from_a_finished_snapshot():
    h = make_harness(initial_mode="snapshots")
    source = snapshot_named(h, "gpu-train-1-weekly")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, h)
        await select_row(pilot, "#snapshots-table", source.id)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ImageCreateModal))
        # Only finished snapshots of the snapshot's region are offered, the chosen one first.
        assert select_prompts(h.app, "#image-snapshot") == ["gpu-train-1-weekly  (NORWAY-1, 1,500 GB)"]
        name = h.app.screen.query_one("#image-name", Input)
        assert name.value == "gpu-train-1-weekly-image"

        name.value = "finetune-h100-golden"
        await pilot.pause()
        assert text_of(h.app, "#name-error") == "Name 'finetune-h100-golden' is already used by another image"
        assert button(h.app, "#submit").disabled
        name.value = "train-base"
        await pilot.pause()
        await pilot.click("#submit")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ImageCreateModal))

        created = image_named(h, "train-base")
        assert created is not None and created.snapshot_id == source.id and created.region == "NORWAY-1"
        await show_images(pilot)
        await wait_until(pilot, lambda: "train-base" in table_column(h.app, "#images-table", 0))
        h.advance(h.state.durations.image_create + 1)
        await h.poll("images")
        await wait_until(pilot, lambda: table_rows(h.app, "#images-table")[0][:2] == ["train-base", "SUCCESS"])


async def test_an_image_from_an_unfinished_snapshot_is_refused_in_the_ui_and_by_the_api(monkeypatch):
    h = make_harness(initial_mode="snapshots")
    pending = snapshot_named(h, "eval-a100-pre-upgrade")  # CREATING
    async with h.app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(h.app, monkeypatch)
        await open_screen(pilot, h)
        await select_row(pilot, "#snapshots-table", pending.id)
        assert f"m: {NOT_FINISHED}" in text_of(h.app, "#snapshots-hint")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(h.app.screen, SnapshotsScreen)
        assert NOT_FINISHED in notes

        try:
            await h.app.client.create_image({"snapshot_id": pending.id, "name": "too-early"})
        except RuleRefusedError as exc:
            assert exc.message == NOT_FINISHED
        else:
            raise AssertionError("the simulator made an image of an unfinished snapshot")
        assert image_named(h, "too-early") is None


async def test_new_image_form_offers_only_finished_snapshots():
    h = make_harness(initial_mode="snapshots")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, h)
        await show_images(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ImageCreateModal))
        assert select_prompts(h.app, "#image-snapshot") == [
            "gpu-train-1-weekly  (NORWAY-1, 1,500 GB)",
            "finetune-h100-weekly  (CANADA-1, 750 GB)",
        ]


async def test_new_image_form_says_why_when_no_snapshot_is_finished():
    h = make_harness(initial_mode="snapshots")
    h.app.region = "US-1"  # only the CREATING snapshot lives there
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, h)
        await show_images(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ImageCreateModal))
        assert text_of(h.app, "#image-snapshot-none") == f"No finished snapshot in US-1. {NOT_FINISHED}."
        assert button(h.app, "#submit").disabled


async def test_image_details_and_delete():
    h = make_harness(initial_mode="snapshots")
    image = image_named(h, "finetune-h100-golden")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, h)
        await show_images(pilot)
        await select_row(pilot, "#images-table", image.id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ImageDetailsModal))
        fields = text_of(h.app, "#image-fields")
        assert "finetune-h100-weekly" in fields and "Golden image built from finetune-h100-weekly" in fields

        await pilot.click("#delete")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        assert text_of(h.app, ".modal-title") == "Delete image finetune-h100-golden?"
        await pilot.press(*"finetune-h100-golden", "enter")
        await wait_until(pilot, lambda: table_rows(h.app, "#images-table") == [])
        assert image.id not in h.state.images
        assert "No images in all regions." in text_of(h.app, "#images-page")


async def test_delete_an_image_from_the_list():
    h = make_harness(initial_mode="snapshots")
    image = image_named(h, "finetune-h100-golden")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, h)
        await show_images(pilot)
        await select_row(pilot, "#images-table", image.id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        await pilot.press(*"finetune-h100-golden", "enter")
        await wait_until(pilot, lambda: image.id not in h.state.images)
        await wait_until(pilot, lambda: table_rows(h.app, "#images-table") == [])
