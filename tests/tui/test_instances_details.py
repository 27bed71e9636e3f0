"""The details pane (Enter): everything about one instance, exact billing, copy keys, actions, back to the row."""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.sim.state import RuleRecord
from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from tests.harness import make_harness, settle


async def until(pilot, predicate, rounds: int = 40) -> None:
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause()
    assert predicate()


async def open_details(h, pilot, name: str) -> InstanceDetailsScreen:
    await h.poll()
    await settle(pilot, 3)
    h.app.screen.query_one(FleetTable).select_id(h.instance_named(name).id)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(h.app.screen, InstanceDetailsScreen) and h.app.screen.billing is not None)
    await h.poll("ssh_keys")
    await settle(pilot, 3)
    return h.app.screen


def _plain(screen: InstanceDetailsScreen) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(screen.query_one("#details-body").content)  # type: ignore[attr-defined]
    return console.export_text()


async def test_details_show_everything_the_issue_lists() -> None:
    h = make_harness(initial_mode="instances")
    record = h.instance_named("finetune-h100")
    record.security_rules.append(RuleRecord("sgr-9", "ingress", "tcp", "IPv4", "198.51.100.0/24", 22, 22))
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_details(h, pilot, "finetune-h100")
        text = _plain(screen)
        key_names = [h.state.ssh_keys[k].name for k in record.ssh_key_ids]
        for expected in (
            "H100-PCIe-NVLink-80GB × 1",  # flavor
            record.image_name,
            record.public_ip,
            record.private_ip,
            *key_names,
            "finetune-h100-os",  # the boot volume, with its status
            "models-ca",
            "Attached",
            "boot (cannot be detached)",
            "ingress tcp IPv4 198.51.100.0/24 ports 22",
            "2.29 USD/h · 0.038167 USD/min",  # hourly and per-minute price
            "Total",
            "ssh ubuntu@" + record.public_ip,
        ):
            assert expected in text, expected
        firewalls = [fw.name for fw in h.state.firewalls.values() if record.id in fw.attachments]
        assert firewalls == ["web-ingress"] and "web-ingress   SUCCESS" in text
        total = sum((period.amount for period in record.billing), Decimal("0"))
        assert screen.billing is not None and screen.billing.summary.total >= total
        assert f"{screen.billing.summary.total:.2f} USD" in text


async def test_shutoff_details_say_what_hibernating_saves() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_details(h, pilot, "batch-l40")
        text = _plain(screen)
        assert "hibernating (h) saves 1.18 USD/h, 28.32 USD/day" in text
        assert "none (p turns it on)" in text


async def test_y_copies_the_id_and_Y_the_ssh_command() -> None:
    h = make_harness(initial_mode="instances")
    record = h.instance_named("gpu-train-1")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_details(h, pilot, "gpu-train-1")
        await pilot.press("y")
        assert h.app.clipboard == record.id
        await pilot.press("Y")
        assert h.app.clipboard == f"ssh ubuntu@{record.public_ip}"
        messages = [n.message for n in h.app._notifications]
        assert f"Copied the id {record.id}" in messages and f"Copied: ssh ubuntu@{record.public_ip}" in messages


async def test_action_from_details_updates_the_title_and_escape_returns_to_the_row() -> None:
    h = make_harness(initial_mode="instances")
    instance_id = h.instance_named("eval-a100").id
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_details(h, pilot, "eval-a100")
        await pilot.press("R", "enter")
        await until(pilot, lambda: "REBOOTING" in screen.query_one("#details-title").render().plain)
        await pilot.press("S")  # I2 while REBOOTING
        await settle(pilot, 2)
        assert "An operation is already in progress" in screen.query_one("#details-reason").render().plain
        await pilot.press("escape")
        await settle(pilot, 3)
        assert isinstance(h.app.screen, InstancesScreen)
        assert h.app.screen.query_one(FleetTable).cursor_id == instance_id
        # The table followed the change while the details pane covered it.
        assert h.app.screen.model.rows[instance_id].status == "REBOOTING"
        h.advance(h.state.durations.reboot + 1)
        await h.poll("instances")
        await settle(pilot, 3)
        assert h.app.screen.model.rows[instance_id].status == "ACTIVE"


async def test_details_of_a_deleted_instance_say_so() -> None:
    h = make_harness(initial_mode="instances")
    instance_id = h.instance_named("batch-l40").id
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_details(h, pilot, "batch-l40")
        screen.show_reason("Delete: batch-l40 is DELETING")  # what an action in flight had said
        del h.state.instances[instance_id]
        await h.poll("instances")
        await settle(pilot, 3)
        assert "This instance was deleted." in screen.query_one("#details-body").render().plain
        assert not screen.query_one("#details-reason").display  # the action's note went with it
        await pilot.press("T")
        await settle(pilot, 2)
        assert "No instance selected" in screen.query_one("#details-reason").render().plain
