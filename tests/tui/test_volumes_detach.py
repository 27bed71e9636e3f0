"""The seed's scenario end to end (dashboard page 000_a26220e1358b1030), the bootable refusal, and server refusals.

data-1 is attached to inference-a100, ACTIVE in the seed. The simulator runs
on the harness's FakeClock: a stop takes Durations.stop (4 s) of fake time.
"""

from __future__ import annotations

from textual.widgets import Button, OptionList

from barrack_tui.api.errors import RuleRefusedError
from barrack_tui.api.models import VMStatus
from barrack_tui.rules.volumes import MSG_VOLUME_BOOTABLE
from barrack_tui.tui.areas.volumes.attach import VolumeAttachModal
from barrack_tui.tui.areas.volumes.detach import FSTAB_REMINDER_ITEMS, VolumeDetachModal
from tests.tui.volumes_support import (
    WIDE,
    badge,
    enabled,
    focus_card,
    instance_line,
    notifications,
    open_volumes,
    reasons,
    settle,
    shown,
    text_of,
    volumes_harness,
    wait_group,
)

V3 = (
    "Cannot detach: Volume is attached to a {status} instance. The instance must be in SHUTOFF state to perform "
    "volume operations. Please shut down the instance first before attempting to detach volumes."
)


def billing_state(h, name: str) -> tuple:
    record = h.volume_named(name)
    return ([(p.rate, p.start, p.end) for p in record.billing], record.contents_marker)


async def test_seed_scenario_detach_refused_then_allowed_after_stop_then_reattach() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        # Only the polls this test asks for: proves the card needs no volumes refresh.
        h.app.workers.cancel_group(h.app, "pollers")
        card = await focus_card(pilot, "data-1")
        before = billing_state(h, "data-1")

        # 1. ACTIVE instance: the modal shows the seed's exact text with ACTIVE, and Detach is disabled.
        await pilot.press("x")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, VolumeDetachModal)
        assert text_of(modal.query_one("#detach-check")) == V3.format(status="ACTIVE")
        await pilot.press(*"data-1")
        assert modal.query_one("#confirm-ok", Button).disabled  # the rule refuses, whatever is typed
        assert "data-1" in text_of(modal.query_one("#detach-volume"))
        assert "Fail to start if volume mount is missing" in text_of(modal.query_one("#detach-warning"))
        await pilot.press("escape")
        await settle(pilot)

        # 2. Stop the instance through the API (as the Instances screen would); only instances are polled.
        instance = h.instance_named("inference-a100")
        await h.app.client.stop_instance(instance.id)
        h.advance(5)
        await h.poll("instances")
        await settle(pilot)
        assert h.app.store.instances[instance.id].status == VMStatus.SHUTOFF
        # The volumes store still says ACTIVE: the card uses the instances store.
        assert h.app.store.volumes[card.volume.id].instance_status == VMStatus.ACTIVE
        assert enabled(card, "detach")
        assert "SHUTOFF" in instance_line(card)
        assert "Detach:" not in reasons(card)

        # 3. Detach from the modal: progress, success notification, card Available with Attach and Delete.
        await pilot.press("x")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, VolumeDetachModal)
        confirm = modal.query_one("#confirm-ok", Button)
        assert confirm.disabled  # until the name is typed (the box has the focus)
        assert "SHUTOFF" in text_of(modal.query_one("#detach-check"))
        await pilot.press(*"data-1")
        assert not confirm.disabled
        await pilot.press("enter")
        await wait_group(modal, "confirm")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, VolumeDetachModal)
        assert badge(card) == "Available"
        assert instance_line(card) == ""
        assert enabled(card, "attach") and enabled(card, "delete")
        assert not shown(card, "detach")
        messages = notifications(pilot.app)
        assert any("Detached data-1 from inference-a100" in m for m in messages)
        reminder = next(m for m in messages if "/etc/fstab" in m)
        for item in FSTAB_REMINDER_ITEMS:
            assert item in reminder
        assert h.volume_named("data-1").instance_id is None

        # 4. Reattach to the same instance (SHUTOFF, so allowed).
        await pilot.press("a")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, VolumeAttachModal)
        options = modal.query_one(OptionList)
        options.highlighted = options.get_option_index(instance.id)
        await pilot.pause()
        await pilot.click(modal.query_one("#attach-confirm", Button))
        await settle(pilot)
        assert "attaching does not change billing" in text_of(pilot.app.screen.query_one("#confirm-cost"))
        await pilot.press("enter")  # the attach confirmation: Enter confirms
        await wait_group(modal, "volume-attach")
        await settle(pilot)
        assert badge(card) == "Attached"
        assert "inference-a100" in instance_line(card)
        assert h.volume_named("data-1").instance_id == instance.id

        # 5. Data and billing rate untouched by detach and attach.
        assert billing_state(h, "data-1") == before


async def test_bootable_volume_detach_refused_on_card_in_modal_and_by_the_simulator() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "finetune-h100-os")
        assert f"Detach: {MSG_VOLUME_BOOTABLE}" in reasons(card)
        # Even with the instance SHUTOFF, V2 comes first.
        instance = h.instance_named("finetune-h100")
        await h.app.client.stop_instance(instance.id)
        h.advance(5)
        await h.poll("instances")
        await settle(pilot)
        assert not enabled(card, "detach") and f"Detach: {MSG_VOLUME_BOOTABLE}" in reasons(card)
        await pilot.press("x")
        await settle(pilot)
        modal = pilot.app.screen
        assert text_of(modal.query_one("#detach-check")) == MSG_VOLUME_BOOTABLE
        await pilot.press(*"finetune-h100-os")
        assert modal.query_one("#confirm-ok", Button).disabled  # the rule refuses, whatever is typed
        # A direct API call gets the same words from the simulator.
        try:
            await h.app.client.detach_volumes(instance.id, [card.volume.id])
        except RuleRefusedError as exc:
            assert exc.message == MSG_VOLUME_BOOTABLE
            assert exc.code == "VOLUME_BOOTABLE"
        else:
            raise AssertionError("the simulator detached a bootable volume")


async def test_server_refusal_shows_in_the_modal_and_changes_nothing() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "datasets")  # batch-l40 is SHUTOFF: Detach enabled
        await pilot.press("x")
        await settle(pilot)
        modal = pilot.app.screen
        # Meanwhile somebody starts the instance; the app has not polled yet.
        instance = h.instance_named("batch-l40")
        await h.app.client.start_instance(instance.id)
        h.advance(5)
        await pilot.press(*"datasets", "enter")
        await wait_group(modal, "confirm")
        await settle(pilot)
        assert pilot.app.screen is modal
        error = modal.query_one("#confirm-error")
        assert error.display
        # The rule's exact words, then the server's request id for support.
        assert text_of(error).startswith(V3.format(status="ACTIVE") + " (request id ")
        assert badge(card) == "Attached"
        assert h.volume_named("datasets").instance_id == instance.id


async def test_detach_modal_follows_the_poll_while_open() -> None:
    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        await focus_card(pilot, "data-1")
        await pilot.press("x")
        await settle(pilot)
        modal = pilot.app.screen
        await pilot.press(*"data-1")
        assert modal.query_one("#confirm-ok", Button).disabled
        await h.app.client.stop_instance(h.instance_named("inference-a100").id)
        await h.poll("instances")  # STOPPING: still refused, with the new status
        await settle(pilot)
        assert text_of(modal.query_one("#detach-check")) == V3.format(status="STOPPING")
        h.advance(5)
        await h.poll("instances")
        await settle(pilot)
        assert not modal.query_one("#confirm-ok", Button).disabled
        assert modal.focused is modal.query_one("#confirm-name")


async def test_progress_shows_while_the_request_is_in_flight() -> None:
    import asyncio

    h = volumes_harness()
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "datasets")
        release = asyncio.Event()
        real_detach = h.app.client.detach_volumes

        async def held_detach(instance_id, volume_ids):
            await release.wait()
            return await real_detach(instance_id, volume_ids)

        h.app.client.detach_volumes = held_detach
        await pilot.press("x")
        await settle(pilot)
        modal = pilot.app.screen
        await pilot.press(*"datasets", "enter")
        await settle(pilot)
        progress = modal.query_one("#confirm-status")
        assert progress.display
        assert text_of(progress) == "Detaching datasets…"
        assert modal.query_one("#confirm-ok", Button).disabled
        assert modal.query_one("#confirm-cancel", Button).disabled
        assert badge(card) == "Attached"
        release.set()
        await wait_group(modal, "confirm")
        await settle(pilot)
        assert badge(card) == "Available"
