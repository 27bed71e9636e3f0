"""Every mutation confirms through one dialog that names the resource and its cost effect.

Non-destructive confirmations take Enter (the confirm button has the focus);
destructive ones (delete, volume and firewall detach) need the resource's name
typed into a box that has the focus from the start: a wrong name + Enter shows
"type <name> to confirm" and sends nothing, Esc cancels. Each test drives the
real app against the simulator and reads the simulator's state to see what was
sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Input, Static

from barrack_tui.rules.instances import PUBLIC_IP_WARNING
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.shell.keymap import keys_of
from tests.harness import Harness, make_harness, wait_until
from tests.tui.firewalls_support import firewall_named, open_details
from tests.tui.volumes_support import focus_card, open_volumes


def key(binding_id: str) -> str:
    """The key a binding answers to (the key scheme may move letters; the tests follow it)."""
    return keys_of(binding_id, {})[0]


def sent(h: Harness) -> int:
    return sum(h.state.mutation_counts.values())


def confirm_text(app: Any) -> str:
    modal = app.screen
    assert isinstance(modal, ConfirmModal), f"no confirmation open: {type(modal).__name__}"
    parts = []
    for widget in modal.query(Static):
        content = widget.render()
        parts.append(content.plain if isinstance(content, Text) else str(content))
    return "\n".join(parts)


async def pause(pilot: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def on_instance(h: Harness, pilot: Any, name: str) -> InstancesScreen:
    await h.poll()
    await pause(pilot)
    screen = h.app.screen
    assert isinstance(screen, InstancesScreen)
    assert screen.query_one(FleetTable).select_id(h.instance_named(name).id)
    await pause(pilot, 2)
    return screen


# --- instance actions: non-destructive, Enter confirms -----------------------------------------------

ACTIONS = [
    ("start", "batch-l40", "starting keeps billing 1.19 USD/h (SHUTOFF already bills the full rate)", "STARTING"),
    ("stop", "inference-a100", "stopping keeps billing 1.55 USD/h (SHUTOFF bills the full rate)", "STOPPING"),
    ("reboot", "gpu-train-1", "rebooting keeps billing 5.38 USD/h", "REBOOTING"),
    ("hibernate", "batch-l40", "hibernating drops to 0.01 USD/h (saves 1.18 USD/h)", "HIBERNATING"),
    ("restore", "notebook-a6000", "restoring resumes 0.69 USD/h", "RESTORING"),
]


@pytest.mark.parametrize(("action", "name", "cost", "transitional"), ACTIONS)
async def test_each_instance_action_asks_with_its_cost_and_enter_confirms(action, name, cost, transitional) -> None:
    h = make_harness(initial_mode="instances")
    record = h.instance_named(name)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await on_instance(h, pilot, name)
        await pilot.press(key(f"instances.{action}"))
        await pause(pilot)
        text = confirm_text(h.app)
        assert name in text and cost in text
        assert h.app.focused.id == "confirm-ok"
        assert sent(h) == 0  # nothing before the answer
        await pilot.press("enter")
        await wait_until(pilot, lambda: sent(h) == 1, what="the action to be sent")
        assert record.status == transitional


async def test_escape_cancels_a_restore_and_sends_nothing() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await on_instance(h, pilot, "notebook-a6000")
        await pilot.press(key("instances.restore"))
        await pause(pilot)
        assert isinstance(h.app.screen, ConfirmModal)
        await pilot.press("escape")
        await pause(pilot)
        assert isinstance(h.app.screen, InstancesScreen)
        assert sent(h) == 0 and h.instance_named("notebook-a6000").status == "HIBERNATED"


async def test_public_ip_on_keeps_the_security_warning_and_says_no_cost_change() -> None:
    h = make_harness(initial_mode="instances")
    record = h.instance_named("eval-a100")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await on_instance(h, pilot, "eval-a100")
        await pilot.press(key("instances.public_ip"))
        await pause(pilot)
        text = confirm_text(h.app)
        assert "eval-a100" in text and "public IP: no cost change" in text and PUBLIC_IP_WARNING in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: record.public_ip is not None, what="the public IP")


async def test_instance_rule_add_and_remove_each_confirm() -> None:
    h = make_harness(initial_mode="instances")
    record = h.instance_named("gpu-train-1")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await on_instance(h, pilot, "gpu-train-1")
        await pilot.press(key("instances.add_rule"))
        await pause(pilot)
        form = h.app.screen
        form.query_one("#rule-port-min", Input).value = "22"
        form.query_one("#rule-port-max", Input).value = "22"
        await pilot.press(*"10.0.0.0/24", "enter")
        await pause(pilot)
        text = confirm_text(h.app)
        assert "gpu-train-1" in text and "10.0.0.0/24" in text and "adding a rule does not change billing" in text
        assert not record.security_rules
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(record.security_rules) == 1, what="the rule")
        await wait_until(pilot, lambda: isinstance(h.app.screen, InstancesScreen), what="the form to close")
        await pilot.press(key("instances.remove_rule"))
        await wait_until(pilot, lambda: not h.app.screen.query_one("#remove-rule-ok").disabled, what="the rules")
        await pilot.press("enter")  # picks the highlighted rule: a confirmation follows
        await pause(pilot)
        assert "removing a rule does not change billing" in confirm_text(h.app)
        assert len(record.security_rules) == 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: not record.security_rules, what="the rule removed")


# --- destructive: the typed name -------------------------------------------------------------------


async def test_instance_delete_focuses_the_name_box_refuses_a_wrong_name_and_sends_the_right_one() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await on_instance(h, pilot, "batch-l40")
        await pilot.press(key("instances.delete"))
        await pause(pilot)
        text = confirm_text(h.app)
        assert "batch-l40" in text and "deleting stops 1.19 USD/h" in text
        assert h.app.focused.id == "confirm-name"
        await pilot.press(*"batch-l4", "enter")
        await pause(pilot)
        assert isinstance(h.app.screen, ConfirmModal) and sent(h) == 0
        assert "type batch-l40 to confirm" in confirm_text(h.app)
        await pilot.press("0", "enter")
        await wait_until(pilot, lambda: sent(h) == 1, what="the delete")
        assert h.instance_named("batch-l40").status == "DELETING"


async def test_escape_cancels_a_typed_delete() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await on_instance(h, pilot, "batch-l40")
        await pilot.press(key("instances.delete"))
        await pause(pilot)
        await pilot.press(*"batch-l40", "escape")
        await pause(pilot)
        assert isinstance(h.app.screen, InstancesScreen)
        assert sent(h) == 0 and h.instance_named("batch-l40").status == "SHUTOFF"


async def test_volume_attach_confirms_and_detach_and_delete_need_the_name() -> None:
    h = make_harness(initial_mode="volumes")
    h.instance_named("eval-a100").status = "SHUTOFF"
    h.instance_named("inference-a100").status = "SHUTOFF"
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_volumes(h, pilot)
        # attach: the picker, then the confirmation (Enter confirms)
        await focus_card(pilot, "volume1")
        await pilot.press(key("volumes.attach"))
        await pause(pilot)
        await pilot.press("enter")  # the first allowed instance is preselected
        await pause(pilot)
        text = confirm_text(h.app)
        assert "volume1" in text and "eval-a100" in text and "attaching does not change billing" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: h.volume_named("volume1").instance_id is not None, what="the attach")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ConfirmModal), what="the modal to close")
        # detach: typed name
        await focus_card(pilot, "data-1")
        await pilot.press(key("volumes.detach"))
        await pause(pilot)
        text = confirm_text(h.app)
        assert "data-1" in text and "detaching does not change billing" in text
        assert h.app.focused.id == "confirm-name"
        before = sent(h)
        await pilot.press(*"data", "enter")
        await pause(pilot)
        assert "type data-1 to confirm" in confirm_text(h.app) and sent(h) == before
        await pilot.press(*"-1", "enter")
        await wait_until(pilot, lambda: h.volume_named("data-1").instance_id is None, what="the detach")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ConfirmModal), what="the modal to close")
        # delete: typed name, with the storage it stops billing
        await focus_card(pilot, "ckpt-archive")
        await pilot.press(key("volumes.delete"))
        await pause(pilot)
        text = confirm_text(h.app)
        assert "deleting stops 0.03 USD/h of storage" in text or "deleting stops 0.0250 USD/h of storage" in text
        await pilot.press("escape")
        await pause(pilot)
        assert any(v.name == "ckpt-archive" for v in h.state.volumes.values())


async def test_firewall_rule_add_remove_detach_each_confirm() -> None:
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        firewall = firewall_named(h.state, "office-ssh")
        await open_details(h, pilot, "office-ssh")
        rules_before = len(firewall.rules)
        # add: the form, then its confirmation
        await pilot.press(key("firewall_details.add_rule"))
        await pause(pilot)
        await pilot.click("#preset-jupyter")
        await pause(pilot)
        await pilot.click("#rule-submit")
        await pause(pilot)
        text = confirm_text(h.app)
        assert "office-ssh" in text and "port 8888" in text and "adding a rule does not change billing" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(firewall.rules) == rules_before + 1, what="the rule")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ConfirmModal), what="the modal to close")
        await pause(pilot)
        # remove: Enter confirms
        await pilot.press(key("firewall_details.remove_rule"))
        await pause(pilot)
        assert "removing a rule does not change billing" in confirm_text(h.app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(firewall.rules) == rules_before, what="the rule removed")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, ConfirmModal), what="the modal to close")
        # detach: typed instance name; Esc cancels
        h.app.screen.action_tab("instances")
        await pause(pilot)
        await pilot.press(key("firewall_details.detach"))
        await pause(pilot)
        text = confirm_text(h.app)
        assert "detaching a firewall does not change billing" in text and "may be left unprotected" in text
        assert h.app.focused.id == "confirm-name"
        attached = dict(firewall.attachments)
        await pilot.press("x", "enter")
        await pause(pilot)
        assert "to confirm" in confirm_text(h.app)
        await pilot.press("escape")
        await pause(pilot)
        assert not isinstance(h.app.screen, ConfirmModal) and dict(firewall.attachments) == attached
