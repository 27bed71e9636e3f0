"""Snapshots (key 5) against the simulator: statistics, region filter and region context, pages of 6, take a snapshot
(only ACTIVE instances offered; the API refuses the rest), restore into `{snapshot}-restored` followed on Instances,
delete, details."""

from __future__ import annotations

from textual.widgets import Input, Select, Switch

from barrack_tui.api.errors import RuleRefusedError
from barrack_tui.api.models.common import ResourceStatus
from barrack_tui.sim.state import SnapshotRecord
from barrack_tui.tui.areas.snapshots.create import SnapshotCreateModal
from barrack_tui.tui.areas.snapshots.details import SnapshotDetailsScreen
from barrack_tui.tui.areas.snapshots.restore import SnapshotRestoreModal
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

NOT_ACTIVE = "Instance must be ACTIVE to take a snapshot"
NOT_RESTORABLE = "Snapshot must be SUCCESS (finished) to restore"


def snapshot_named(h, name: str):
    return next((s for s in h.state.snapshots.values() if s.name == name), None)


async def open_snapshots(pilot, h) -> None:
    await h.poll()
    await wait_until(pilot, lambda: " in " in text_of(h.app, "#snapshots-page"))


def snapshots_screen(h) -> SnapshotsScreen:
    return next(s for s in h.app.screen_stack if isinstance(s, SnapshotsScreen))


async def test_statistics_and_list_for_all_regions():
    h = make_harness(initial_mode="snapshots")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        assert text_of(h.app, "#snapshot-stats") == (
            "Total Snapshots 3 · Total Storage 3,250 GB · Available VMs 4 · Restorable 2"
        )
        rows = table_rows(h.app, "#snapshots-table")
        assert [row[0] for row in rows] == ["eval-a100-pre-upgrade", "gpu-train-1-weekly", "finetune-h100-weekly"]
        assert rows[0][1] == "⟳ CREATING"
        assert rows[2][6] == "Yes"  # an image was made from it


async def test_region_context_sets_the_default_filter_and_the_user_can_change_it():
    h = make_harness(initial_mode="snapshots")
    h.app.region = "NORWAY-1"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        assert h.app.screen.query_one("#region-filter", Select).value == "NORWAY-1"
        assert table_column(h.app, "#snapshots-table", 0) == ["gpu-train-1-weekly"]
        assert text_of(h.app, "#snapshot-stats") == (
            "Total Snapshots 1 · Total Storage 1,500 GB · Available VMs 2 · Restorable 1"
        )

        h.app.region = "CANADA-1"  # the app's region context moves: the default filter follows
        await wait_until(pilot, lambda: table_column(h.app, "#snapshots-table", 0) == ["finetune-h100-weekly"])
        assert h.app.screen.query_one("#region-filter", Select).value == "CANADA-1"

        h.app.screen.query_one("#region-filter", Select).value = "all"  # this screen only
        await wait_until(pilot, lambda: len(table_rows(h.app, "#snapshots-table")) == 3)
        assert h.app.region == "CANADA-1"


async def test_pages_of_six():
    h = make_harness(initial_mode="snapshots")
    for index in range(6):
        record = SnapshotRecord(
            id=f"snap-extra-{index}",
            name=f"nightly-{index}",
            description="",
            instance_id=None,
            instance_name=None,
            region="US-1",
            size_gb=100,
            status=ResourceStatus.SUCCESS,
            created_at=h.state.now() - 10_000_000 - index,
        )
        h.state.snapshots[record.id] = record
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        assert len(table_rows(h.app, "#snapshots-table")) == 6
        assert "9 snapshots in all regions · page 1 of 2" in text_of(h.app, "#snapshots-page")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "page 2 of 2" in text_of(h.app, "#snapshots-page"))
        assert table_column(h.app, "#snapshots-table", 0) == ["nightly-3", "nightly-4", "nightly-5"]
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "page 1 of 2" in text_of(h.app, "#snapshots-page"))


async def test_take_a_snapshot_only_of_active_instances_of_the_region():
    h = make_harness(initial_mode="snapshots")
    h.app.region = "NORWAY-1"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, SnapshotCreateModal))
        # NORWAY-1 has gpu-train-1 and inference-a100 ACTIVE, batch-l40 SHUTOFF: the SHUTOFF one is not offered.
        assert select_prompts(h.app, "#snapshot-instance") == [
            "gpu-train-1 - H100-SXM5-80GB (NORWAY-1)",
            "inference-a100 - A100-PCIe-80GB (NORWAY-1)",
        ]
        assert text_of(h.app, "#not-offered") == f"1 more not offered: {NOT_ACTIVE}"
        assert h.app.screen.query_one("#snapshot-name", Input).value == "gpu-train-1-snapshot"

        name = h.app.screen.query_one("#snapshot-name", Input)
        name.value = "bad/name"
        await pilot.pause()
        assert text_of(h.app, "#name-error") == "Name may only contain letters, digits, spaces, -, _ and ."
        assert button(h.app, "#submit").disabled
        name.value = "gpu-train-1-weekly"
        await pilot.pause()
        assert text_of(h.app, "#name-error") == "Name 'gpu-train-1-weekly' is already used by another snapshot"
        name.value = "before-upgrade"
        h.app.screen.query_one("#snapshot-description", Input).value = "Before the CUDA upgrade"
        await pilot.pause()
        assert text_of(h.app, "#name-counter") == "14/50"
        assert text_of(h.app, "#description-counter") == "23/255"

        await pilot.click("#submit")
        await wait_until(pilot, lambda: "before-upgrade" in table_column(h.app, "#snapshots-table", 0))
        created = snapshot_named(h, "before-upgrade")
        assert created.instance_name == "gpu-train-1" and created.description == "Before the CUDA upgrade"
        assert table_rows(h.app, "#snapshots-table")[0][1].endswith("CREATING")

        h.advance(h.state.durations.snapshot_create + 1)
        await h.poll("snapshots")
        await wait_until(pilot, lambda: table_rows(h.app, "#snapshots-table")[0][1] == "SUCCESS")


async def test_create_as_image_also_makes_an_image():
    h = make_harness(initial_mode="snapshots")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(h.app.screen, SnapshotCreateModal))
        h.app.screen.query_one("#snapshot-name", Input).value = "eval-golden"
        h.app.screen.query_one("#snapshot-as-image", Switch).value = True
        await pilot.pause()
        await pilot.click("#submit")
        await wait_until(pilot, lambda: "eval-golden" in table_column(h.app, "#snapshots-table", 0))
        assert any(image.name == "eval-golden" for image in h.state.images.values())
        await wait_until(pilot, lambda: any(i.name == "eval-golden" for i in h.app.store.images.values()))


async def test_the_api_refuses_a_snapshot_of_a_non_active_instance():
    h = make_harness(initial_mode="snapshots")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await open_snapshots(pilot, h)
        stopped = h.instance_named("batch-l40")  # SHUTOFF
        try:
            await h.app.client.create_snapshot({"instance_id": stopped.id, "name": "sneaky"})
        except RuleRefusedError as exc:
            assert exc.message == NOT_ACTIVE
            assert exc.request_id and str(exc) == f"{NOT_ACTIVE} (request id {exc.request_id})"
        else:
            raise AssertionError("the simulator accepted a snapshot of a SHUTOFF instance")
        assert snapshot_named(h, "sneaky") is None


async def test_restore_into_a_new_instance_followed_on_instances():
    h = make_harness(initial_mode="snapshots")
    source = snapshot_named(h, "finetune-h100-weekly")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        await select_row(pilot, "#snapshots-table", source.id)
        await pilot.press("U")
        await wait_until(pilot, lambda: isinstance(h.app.screen, SnapshotRestoreModal))
        name = h.app.screen.query_one("#restore-name", Input)
        assert name.value == "finetune-h100-weekly-restored"
        assert "2.29 USD/h" in text_of(h.app, "#restore-price")

        name.value = "gpu-train-1"
        await pilot.pause()
        assert text_of(h.app, "#name-error") == "Name 'gpu-train-1' is already used by another instance"
        assert button(h.app, "#submit").disabled
        name.value = "finetune-h100-weekly-restored"
        await pilot.pause()
        await pilot.click("#submit")

        await wait_until(pilot, lambda: h.app.current_mode == "instances")
        restored = h.instance_named("finetune-h100-weekly-restored")
        assert restored.region == "CANADA-1" and restored.gpu_model == "H100-PCIe-NVLink-80GB"
        in_store = next(i for i in h.app.store.instances.values() if i.name == "finetune-h100-weekly-restored")
        assert in_store.status in ("CREATING", "BUILD")

        h.advance(h.state.durations.deploy + 1)
        await h.poll("instances")
        await wait_until(pilot, lambda: h.app.store.instances[in_store.id].status == "ACTIVE")


async def test_restore_and_image_are_refused_for_an_unfinished_snapshot(monkeypatch):
    h = make_harness(initial_mode="snapshots")
    pending = snapshot_named(h, "eval-a100-pre-upgrade")  # CREATING
    async with h.app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(h.app, monkeypatch)
        await open_snapshots(pilot, h)
        await select_row(pilot, "#snapshots-table", pending.id)
        hint = text_of(h.app, "#snapshots-hint")
        assert f"U: {NOT_RESTORABLE}" in hint
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(h.app.screen, SnapshotsScreen)
        assert NOT_RESTORABLE in notes
        try:
            await h.app.client.restore_snapshot(pending.id, "too-early")
        except RuleRefusedError as exc:
            assert exc.message == NOT_RESTORABLE
        else:
            raise AssertionError("the simulator restored an unfinished snapshot")


async def test_delete_a_snapshot_after_confirmation():
    h = make_harness(initial_mode="snapshots")
    doomed = snapshot_named(h, "gpu-train-1-weekly")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        await select_row(pilot, "#snapshots-table", doomed.id)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        assert text_of(h.app, ".modal-title") == "Delete snapshot gpu-train-1-weekly?"
        assert h.app.focused.id == "confirm-name"
        assert text_of(h.app, "#confirm-cost") == "deleting stops 0.15 USD/h of storage"  # 1,500 GB
        await pilot.press(*"gpu-train-1-weekly", "enter")
        await wait_until(pilot, lambda: "gpu-train-1-weekly" not in table_column(h.app, "#snapshots-table", 0))
        assert doomed.id not in h.state.snapshots
        assert "Total Snapshots 2" in text_of(h.app, "#snapshot-stats")


async def test_details_screen_shows_the_snapshot_and_deletes_back_to_the_list():
    h = make_harness(initial_mode="snapshots")
    source = snapshot_named(h, "finetune-h100-weekly")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_snapshots(pilot, h)
        await select_row(pilot, "#snapshots-table", source.id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, SnapshotDetailsScreen))
        await wait_until(pilot, lambda: "Billed so far" in text_of(h.app, "#details-fields"))
        fields = text_of(h.app, "#details-fields")
        assert "finetune-h100" in fields and "1x H100-PCIe-NVLink-80GB" in fields
        assert "finetune-h100-golden" in fields  # the image made from it
        assert "0.0750 USD/h" in fields  # 750 GB at 0.10 USD per TB-hour

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmDeleteModal))
        await pilot.press(*"finetune-h100-weekly", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, SnapshotsScreen))
        assert source.id not in h.state.snapshots
        await pilot.press("escape")  # nothing left to go back from; the list stays
        assert snapshots_screen(h) is h.app.screen
