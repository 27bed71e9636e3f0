"""Attach, Delete, Clone, Resize and Details against the simulator."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Button, Input, OptionList

from barrack_tui.rules.validators import MSG_RESIZE_NOT_LARGER
from barrack_tui.rules.volumes import MSG_VOLUME_ATTACHED
from barrack_tui.tui.areas.volumes.attach import VolumeAttachModal
from barrack_tui.tui.areas.volumes.clone_resize import VolumeCloneModal, VolumeResizeModal
from barrack_tui.tui.areas.volumes.delete import PERMANENT_WARNING, VolumeDeleteModal
from barrack_tui.tui.areas.volumes.detach import VolumeDetachModal
from barrack_tui.tui.areas.volumes.details import VolumeDetailsModal
from tests.tui.volumes_support import (
    WIDE,
    badge,
    enabled,
    focus_card,
    instance_line,
    notifications,
    open_volumes,
    settle,
    text_of,
    volumes_harness,
    wait_group,
)

ATTACH_V3_ACTIVE = (
    "Cannot attach: Instance is in ACTIVE state. The instance must be in SHUTOFF state to perform volume "
    "operations. Please shut down the instance first before attempting to attach volumes."
)


async def open_modal(h, pilot, name: str, key: str):
    await open_volumes(h, pilot)
    await focus_card(pilot, name)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen


async def test_attach_lists_region_instances_allowed_ones_selectable_first_preselected() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_modal(h, pilot, "ckpt-archive", "a")  # CANADA-1
        assert isinstance(modal, VolumeAttachModal)
        options = modal.query_one(OptionList)
        listed = {option.id: option for option in options.options}
        by_name = {i.name: i for i in h.state.instances.values() if i.region == "CANADA-1"}
        assert set(listed) == {i.id for i in by_name.values()}
        # finetune-h100 is ACTIVE: greyed, with the attach V3 text; notebook-a6000 HIBERNATED likewise.
        refused = listed[by_name["finetune-h100"].id]
        assert refused.disabled and ATTACH_V3_ACTIVE in refused.prompt.plain
        assert listed[by_name["notebook-a6000"].id].disabled
        assert modal.query_one("#attach-confirm", Button).disabled  # nothing allowed in CANADA-1 yet
        await pilot.press("escape")
        await settle(pilot)

        # Stop finetune-h100: it becomes the first allowed one and is preselected.
        await h.app.client.stop_instance(by_name["finetune-h100"].id)
        h.advance(5)
        await h.poll("instances")
        await pilot.press("a")
        await settle(pilot)
        modal = pilot.app.screen
        options = modal.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == by_name["finetune-h100"].id
        assert not modal.query_one("#attach-confirm", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert "finetune-h100" in text_of(pilot.app.screen.query_one(".confirm-line"))  # asks first
        await pilot.press("enter")
        await wait_group(modal, "volume-attach")
        await settle(pilot)
        card = await focus_card(pilot, "ckpt-archive")
        assert badge(card) == "Attached" and "finetune-h100" in instance_line(card)
        assert any("Attached ckpt-archive to finetune-h100" in m for m in notifications(pilot.app))


async def test_attach_asks_the_rule_again_after_the_confirmation_and_shows_its_refusal() -> None:
    """The instance started while the question was open: nothing is sent, the rule's words show in the modal."""
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        instance = h.instance_named("finetune-h100")
        await h.app.client.stop_instance(instance.id)
        h.advance(5)
        await h.poll("instances")
        modal = await open_modal(h, pilot, "ckpt-archive", "a")
        await pilot.press("enter")
        await settle(pilot)
        assert "finetune-h100" in text_of(pilot.app.screen.query_one(".confirm-line"))
        instance.status = "ACTIVE"
        await h.poll("instances")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is modal
        assert text_of(modal.query_one(".modal-error")) == ATTACH_V3_ACTIVE
        assert modal.query_one("#attach-confirm", Button).disabled
        assert h.volume_named("ckpt-archive").instance_id is None


async def test_attach_refused_by_the_server_stays_open_with_its_words() -> None:
    """The simulator heard of the start before the store did: its refusal shows in place, the list is rebuilt."""
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        instance = h.instance_named("finetune-h100")
        await h.app.client.stop_instance(instance.id)
        h.advance(5)
        await h.poll("instances")
        modal = await open_modal(h, pilot, "ckpt-archive", "a")
        await pilot.press("enter")
        await settle(pilot)
        instance.status = "ACTIVE"  # the store still says SHUTOFF
        await pilot.press("enter")
        await wait_group(modal, "volume-attach")
        await settle(pilot)
        assert pilot.app.screen is modal
        assert ATTACH_V3_ACTIVE in text_of(modal.query_one(".modal-error"))
        assert not modal.query_one("#attach-cancel", Button).disabled
        assert not modal.query_one(".modal-progress").display
        assert h.volume_named("ckpt-archive").instance_id is None


async def test_attach_modal_shows_no_instances_message_for_an_empty_region() -> None:
    h = volumes_harness()
    for record in [r for r in h.state.instances.values() if r.region == "US-1"]:
        h.state.instances.pop(record.id)
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_modal(h, pilot, "volume1", "a")
        assert "No instances in US-1" in text_of(modal.query_one("#attach-none"))
        assert modal.query_one("#attach-confirm", Button).disabled


async def test_delete_needs_the_typed_name_in_the_focused_box() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_modal(h, pilot, "volume1", "d")
        assert isinstance(modal, VolumeDeleteModal)
        assert modal.focused is modal.query_one("#confirm-name", Input)
        assert "volume1" in text_of(modal.query_one("#confirm-title"))
        assert text_of(modal.query_one("#delete-warning")) == f"⚠ {PERMANENT_WARNING}"
        assert text_of(modal.query_one("#confirm-cost")) == "deleting stops 0.01 USD/h of storage"
        confirm = modal.query_one("#confirm-ok", Button)
        assert confirm.disabled
        await pilot.press(*"volume", "enter")
        await settle(pilot)
        assert confirm.disabled and pilot.app.screen is modal
        assert text_of(modal.query_one("#confirm-hint")) == "type volume1 to confirm"
        await pilot.press("1")
        assert not confirm.disabled
        await pilot.press("enter")
        await wait_group(modal, "confirm")
        await settle(pilot)
        assert "volume1" not in {v.name for v in h.app.store.volumes.values()}
        assert "volume1" not in {v.name for v in h.state.volumes.values()}
        assert any("Deleted volume volume1" in m for m in notifications(pilot.app))


async def test_delete_key_on_an_attached_volume_says_why() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        await focus_card(pilot, "datasets")
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, VolumeDeleteModal)
        assert MSG_VOLUME_ATTACHED in notifications(pilot.app)


async def test_clone_validates_the_name_and_shows_the_cost_change() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_modal(h, pilot, "models-ca", "k")  # 1,000 GB in CANADA-1
        assert isinstance(modal, VolumeCloneModal)
        name = modal.query_one("#form-input", Input)
        assert name.value == "models-ca-clone"
        assert "+0.1000 USD/h" in text_of(modal.query_one("#form-cost"))
        name.value = "data-1"
        await pilot.pause()
        assert text_of(modal.query_one("#form-msg")) == "Name 'data-1' is already used by another volume"
        assert modal.query_one("#form-confirm", Button).disabled
        name.value = "models-ca-copy"
        await pilot.pause()
        await pilot.click(modal.query_one("#form-confirm", Button))
        await wait_group(modal, "volume-form")
        await settle(pilot)
        clone = next(v for v in h.app.store.volumes.values() if v.name == "models-ca-copy")
        assert clone.size_gb == 1000 and str(clone.region) == "CANADA-1"
        assert h.volume_named("models-ca-copy").contents_marker == h.volume_named("models-ca").contents_marker


async def test_resize_needs_a_larger_size_shows_limits_and_the_cost_change() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_modal(h, pilot, "ckpt-archive", "r")  # 250 GB
        assert isinstance(modal, VolumeResizeModal)
        limits = text_of(modal.query_one("#form-limits"))
        assert "more than 250 GB" in limits and "at most 1,048,576 GB" in limits
        size = modal.query_one("#form-input", Input)
        size.value = "200"
        await pilot.pause()
        assert text_of(modal.query_one("#form-msg")) == MSG_RESIZE_NOT_LARGER
        assert modal.query_one("#form-confirm", Button).disabled
        size.value = "1000"
        await pilot.pause()
        cost = text_of(modal.query_one("#form-cost"))
        assert "0.0250 USD/h → 0.1000 USD/h" in cost and "+0.0750 USD/h" in cost
        await pilot.press("enter")
        await wait_group(modal, "volume-form")
        await settle(pilot)
        card = await focus_card(pilot, "ckpt-archive")
        assert "Size: 1,000 GB" in text_of(card.query_one(".card-facts"))
        assert enabled(card, "attach")


async def test_details_show_every_field_billing_and_hourly_cost() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        h.advance(3 * 3600)  # three more hours of storage billing
        modal = await open_modal(h, pilot, "datasets", "enter")
        assert isinstance(modal, VolumeDetailsModal)
        await wait_group(modal, "volume-billing")
        await settle(pilot)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(modal.query_one("#details-fields").content)
        rows = {line.split("  ", 1)[0]: line.split("  ", 1)[1].strip() for line in console.export_text().splitlines()}
        assert rows["Name"] == "datasets"
        assert rows["Size"] == "2,000 GB"
        assert rows["Region"].startswith("NORWAY-1")
        assert rows["Bootable"] == "No"
        assert rows["Type"] == "Cloud-SSD"
        assert rows["OS image"] == "—"
        assert "batch-l40" in rows["Attached to"] and "SHUTOFF" in rows["Attached to"]
        assert rows["Hourly cost"].startswith("0.2000 USD/h")
        billing = text_of(modal.query_one("#details-billing"))
        assert billing.startswith("Billed so far: ")
        assert "USD over" in billing


async def test_read_only_mode_refuses_at_the_key_and_sends_nothing() -> None:
    h = volumes_harness(read_only=True)
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        await focus_card(pilot, "datasets")
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, VolumeDetachModal)
        said = [str(n.message) for n in h.app._notifications]
        assert "Read-only mode: “Detach” was not sent; start the app without --read-only to make changes." in said
        assert h.volume_named("datasets").instance_id is not None


async def test_every_action_is_in_the_command_palette() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        screen = await open_volumes(h, pilot)
        titles = {command.title for command in screen.palette_commands()}
        for action in ("new volume", "attach", "detach", "delete", "clone", "resize", "details", "region filter"):
            assert f"Volumes: {action}" in titles
        resize = next(c for c in screen.palette_commands() if c.title == "Volumes: resize")
        await focus_card(pilot, "ckpt-archive")
        resize.callback()
        await settle(pilot)
        assert isinstance(pilot.app.screen, VolumeResizeModal)
