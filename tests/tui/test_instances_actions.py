"""Instance actions from the fleet table: I1/I2 from each state, confirmations, public IP, rules, delete, ssh."""

from __future__ import annotations

import contextlib

import pytest

from barrack_tui.api.models import VMSecurityRuleRequest
from barrack_tui.rules.instances import MSG_IN_PROGRESS, MSG_WRONG_STATE, PUBLIC_IP_WARNING
from barrack_tui.rules.network import MSG_IPV4_OCTET_RANGE
from barrack_tui.tui.areas.instances.confirm import ConfirmInstanceAction
from barrack_tui.tui.areas.instances.delete import DeleteInstanceModal
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.key_scheme import INSTANCE_ACTION_KEYS
from tests.harness import make_harness, settle

# The keys as the scheme has them (tui/kit/key_scheme.py): power verbs are capitals.
KEYS = {action: key for action, (key, _label) in INSTANCE_ACTION_KEYS.items()}
TRANSITION = {
    "start": ("STARTING", "ACTIVE"),
    "stop": ("STOPPING", "SHUTOFF"),
    "reboot": ("REBOOTING", "ACTIVE"),
    "hibernate": ("HIBERNATING", "HIBERNATED"),
    "restore": ("RESTORING", "ACTIVE"),
    "delete": ("DELETING", None),
}
# I1: every allowed (action, state), with a demo instance in that state ("ERROR" is set by the test).
ALLOWED = [
    ("start", "batch-l40"),
    ("stop", "gpu-train-1"),
    ("reboot", "gpu-train-1"),
    ("hibernate", "gpu-train-1"),
    ("hibernate", "batch-l40"),
    ("restore", "notebook-a6000"),
    ("delete", "gpu-train-1"),
    ("delete", "batch-l40"),
    ("delete", "notebook-a6000"),
    ("delete", "ERROR"),
]


async def until(pilot, predicate, rounds: int = 40) -> None:
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause()
    assert predicate()


async def open_on(h, pilot, name: str) -> InstancesScreen:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    assert isinstance(screen, InstancesScreen)
    assert screen.query_one(FleetTable).select_id(h.instance_named(name).id)
    await settle(pilot, 2)
    return screen


def row_status(screen: InstancesScreen, instance_id: str) -> str | None:
    row = screen.model.rows.get(instance_id)
    return row.status if row else None


def mutations(h) -> int:
    return sum(h.state.mutation_counts.values())


@pytest.mark.parametrize(("action", "name"), ALLOWED)
async def test_each_action_from_each_allowed_state(action: str, name: str) -> None:
    h = make_harness(initial_mode="instances")
    if name == "ERROR":
        name = "eval-a100"
        h.instance_named(name).status = "ERROR"
        h.instance_named(name).pending = None
    instance_id = h.instance_named(name).id
    transitional, stable = TRANSITION[action]
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, name)
        await pilot.press(KEYS[action])
        await settle(pilot)
        assert mutations(h) == 0  # every action asks first
        if action == "delete":
            assert isinstance(h.app.screen, DeleteInstanceModal)
            await pilot.press(*name, "enter")  # the name box has the focus
        else:
            assert isinstance(h.app.screen, ConfirmModal)
            await pilot.press("enter")  # the confirm button has the focus
        # The answer's transitional state shows at once, before any poll moves the clock.
        await until(pilot, lambda: row_status(screen, instance_id) == transitional)
        h.advance(30)
        await h.poll("instances")
        await settle(pilot)
        assert row_status(screen, instance_id) == stable
        assert h.state.mutation_counts  # exactly one request was sent
        assert sum(h.state.mutation_counts.values()) == 1


REFUSED = [
    ("start", "gpu-train-1", MSG_WRONG_STATE["start"]),
    ("stop", "batch-l40", MSG_WRONG_STATE["stop"]),
    ("reboot", "notebook-a6000", MSG_WRONG_STATE["reboot"]),
    ("hibernate", "archive-h100", MSG_WRONG_STATE["hibernate"]),
    ("restore", "gpu-train-1", MSG_WRONG_STATE["restore"]),
    ("delete", "dev-a6000", MSG_IN_PROGRESS),  # I2 before I1: STARTING
    ("stop", "dev-a6000", MSG_IN_PROGRESS),
]


@pytest.mark.parametrize(("action", "name", "reason"), REFUSED)
async def test_forbidden_action_says_why_and_sends_nothing(action: str, name: str, reason: str) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, name)
        before = mutations(h)
        await pilot.press(KEYS[action])
        await settle(pilot)
        assert isinstance(h.app.screen, InstancesScreen)  # no confirmation opened
        assert reason in screen.query_one("#fleet-row-info").render().plain
        assert any(reason in n.message for n in h.app._notifications)
        assert mutations(h) == before


async def test_stop_shows_stopping_at_once_then_shutoff_with_a_notification() -> None:
    h = make_harness(initial_mode="instances")
    instance_id = h.instance_named("inference-a100").id
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "inference-a100")
        await pilot.press(KEYS["stop"])
        await settle(pilot)
        body = " ".join(line.render().plain for line in h.app.screen.query(".confirm-line"))
        assert "still bills its full hourly rate" in body
        await pilot.press("enter")
        await until(pilot, lambda: row_status(screen, instance_id) == "STOPPING")
        assert "⟳ STOPPING" in screen.query_one(FleetTable).render_line(1 + screen.model.position[instance_id]).text
        h.advance(h.state.durations.stop + 1)
        await h.poll("instances")
        await settle(pilot)
        assert row_status(screen, instance_id) == "SHUTOFF"
        assert any("inference-a100 is SHUTOFF" in n.message for n in h.app._notifications)


async def test_delete_needs_the_exact_name_typed_into_the_focused_box() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_on(h, pilot, "batch-l40")
        await pilot.press(KEYS["delete"])
        await settle(pilot)
        modal = h.app.screen
        assert isinstance(modal, DeleteInstanceModal)
        assert h.app.focused.id == "confirm-name"
        await pilot.press(*"batch-l4", "enter")
        await settle(pilot)
        assert h.app.screen is modal and modal.query_one("#confirm-ok").disabled
        assert "type batch-l40 to confirm" in modal.query_one("#confirm-hint").render().plain
        await pilot.press(*"0 ")  # trailing space: not the name either (no trimming)
        assert modal.query_one("#confirm-ok").disabled
        await pilot.press("backspace")
        assert not modal.query_one("#confirm-ok").disabled
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(h.app.screen, InstancesScreen) and mutations(h) == 0


async def test_hibernate_a_shutoff_instance_shows_the_saving() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "batch-l40")
        note = screen.query_one("#fleet-row-info").render().plain
        assert "batch-l40 SHUTOFF still bills 28.56 USD/day: H hibernates it, saving 28.32 USD/day" in note
        await pilot.press(KEYS["hibernate"])
        await settle(pilot)
        body = " ".join(line.render().plain for line in h.app.screen.query(".confirm-line"))
        assert "1.19 USD/h (28.56 USD/day)" in body and "saves 1.18 USD/h, 28.32 USD/day" in body
        await pilot.press("escape")
        await settle(pilot)
        assert mutations(h) == 0


async def test_public_ip_on_shows_the_warning_off_asks_too() -> None:
    h = make_harness(initial_mode="instances")
    instance_id = h.instance_named("eval-a100").id
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "eval-a100")
        await pilot.press("p")
        await settle(pilot)
        assert PUBLIC_IP_WARNING in h.app.screen.query_one("#confirm-warning").render().plain
        await pilot.press("enter")
        await until(pilot, lambda: screen.model.rows[instance_id].public_ip is not None)
        assert h.state.instances[instance_id].public_ip == screen.model.rows[instance_id].public_ip
        await pilot.press("p")
        await settle(pilot)
        assert "public IP: no cost change" in h.app.screen.query_one("#confirm-cost").render().plain
        await pilot.press("escape")  # Esc cancels: the address stays
        await settle(pilot)
        assert h.state.instances[instance_id].public_ip is not None
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")  # Enter confirms
        await until(pilot, lambda: h.state.instances[instance_id].public_ip is None)


async def test_public_ip_refused_while_hibernated() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "notebook-a6000")
        await pilot.press("p")
        await settle(pilot)
        assert "Instance must be ACTIVE or SHUTOFF to change its public IP" in screen.query_one("#fleet-row-info").render().plain


async def test_add_rule_validates_live_then_remove_it() -> None:
    h = make_harness(initial_mode="instances")
    record = h.instance_named("gpu-train-1")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_on(h, pilot, "gpu-train-1")
        await pilot.press("plus")
        await settle(pilot)
        modal = h.app.screen
        await pilot.press(*"10.0.0.300/24")
        await settle(pilot)
        assert MSG_IPV4_OCTET_RANGE.format(octet="300") in modal.query_one("#rule-errors").render().plain
        await pilot.press("enter")
        await settle(pilot)
        assert h.app.screen is modal and not record.security_rules
        await pilot.press(*(["backspace"] * 6), *"0/24")
        modal.query_one("#rule-port-min").value = "22"
        modal.query_one("#rule-port-max").value = "22"
        await settle(pilot)
        assert modal.query_one("#rule-errors").render().plain == ""
        await pilot.click("#add-rule-ok")
        await settle(pilot)
        assert isinstance(h.app.screen, ConfirmModal) and not record.security_rules
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is not modal and not isinstance(h.app.screen, ConfirmModal))
        assert [(r.remote_ip_prefix, r.port_range_min) for r in record.security_rules] == [("10.0.0.0/24", 22)]
        await pilot.press("minus")
        await until(pilot, lambda: not h.app.screen.query_one("#remove-rule-ok").disabled)
        assert h.app.focused.id == "remove-rule-list"
        await pilot.click("#remove-rule-ok")
        await settle(pilot)
        assert isinstance(h.app.screen, ConfirmModal) and record.security_rules
        await pilot.press("enter")
        await until(pilot, lambda: not record.security_rules)


async def test_remove_rule_refused_by_the_server_says_why_and_stays_open() -> None:
    """The rule went away while the list was open: the server's words on the status line, Remove rule again."""
    h = make_harness(initial_mode="instances")
    record = h.instance_named("gpu-train-1")
    rule = VMSecurityRuleRequest(direction="ingress", protocol="tcp", ethertype="IPv4", remote_ip_prefix="10.0.0.0/24",
                                 port_range_min=22, port_range_max=22)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.app.client.add_instance_security_rule(record.id, rule)
        await open_on(h, pilot, "gpu-train-1")
        await pilot.press("minus")
        await until(pilot, lambda: not h.app.screen.query_one("#remove-rule-ok").disabled)
        modal = h.app.screen
        record.security_rules = []
        await pilot.press("enter")  # picks the highlighted rule
        await settle(pilot)
        assert isinstance(h.app.screen, ConfirmModal)
        await pilot.press("enter")
        status = modal.query_one("#remove-rule-status")
        await until(pilot, lambda: "not found" in status.render().plain.lower())
        assert h.app.screen is modal
        assert not modal.query_one("#remove-rule-ok").disabled


async def test_ssh_suspends_runs_ssh_and_returns_to_the_row(monkeypatch) -> None:
    from textual.app import App

    from barrack_tui.tui.areas.instances import actions as instance_actions
    runs: list[list[str]] = []
    monkeypatch.setattr(instance_actions, "run_ssh", lambda argv: runs.append(argv) or 0)
    monkeypatch.setattr(App, "suspend", lambda self: contextlib.nullcontext())
    h = make_harness(initial_mode="instances")
    h.app.settings.ssh_options = ["-o", "ServerAliveInterval=30"]
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "gpu-train-1")
        table = screen.query_one(FleetTable)
        await pilot.press("s")
        await settle(pilot)
        assert runs == [["ssh", "-o", "ServerAliveInterval=30", "ubuntu@203.0.113.10"]]
        assert table.cursor_id == h.instance_named("gpu-train-1").id and h.app.focused is table
        table.select_id(h.instance_named("batch-l40").id)
        await pilot.press("s")
        await settle(pilot)
        assert len(runs) == 1
        assert "batch-l40 is SHUTOFF: start it first" in screen.query_one("#fleet-row-info").render().plain


async def test_actions_are_in_the_command_palette() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "gpu-train-1")
        titles = {command.title: command for command in h.app.get_system_commands(screen)}
        for title in ("Instance: Start", "Instance: Stop", "Instance: Reboot", "Instance: Hibernate", "Instance: Restore",
                      "Instance: Delete", "Instance: Toggle public IP", "Instance: Add security rule",
                      "Instance: Remove security rule", "Instance: SSH", "Instances: Deploy", "Instances: Filter"):
            assert title in titles
        titles["Instance: Stop"].callback()
        await settle(pilot)
        assert isinstance(h.app.screen, ConfirmModal)


async def test_write_ssh_config_from_the_tui_asks_before_the_include(tmp_path, monkeypatch) -> None:
    from barrack_tui.account import ssh_config
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    user_config = tmp_path / "home" / ".ssh" / "config"
    user_config.parent.mkdir(parents=True)
    user_config.write_text("Host *\n    User root\n")
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_on(h, pilot, "gpu-train-1")
        await pilot.press("W")
        await settle(pilot)
        managed = ssh_config.managed_config_path().read_text()
        assert "Host barrack-gpu-train-1" in managed and "HostName 203.0.113.10" in managed
        assert isinstance(h.app.screen, ConfirmInstanceAction)
        await pilot.click("#confirm-cancel")
        await settle(pilot)
        assert user_config.read_text() == "Host *\n    User root\n"
        await pilot.press("W")
        await settle(pilot)
        await pilot.click("#confirm-ok")
        await settle(pilot)
        assert user_config.read_text().endswith("Host *\n    User root\n")
        assert ssh_config.has_include(ssh_config.managed_config_path(), config=user_config)
        await pilot.press("W")  # already included: no question, nothing added
        await settle(pilot)
        assert not isinstance(h.app.screen, ConfirmInstanceAction)
        assert user_config.read_text().count("Include ") == 1
