"""`s` (ssh) from the fleet table: what the user reads while it connects, Ctrl+C, stopped and private-only instances.

`run_ssh` (the one place ssh is started) and `App.suspend` are replaced, as
in the other instance tests; the hand-over around them (the "connecting to"
line, the SIGINT handling) is the real code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import pytest
from textual.app import App

from barrack_tui.account.config import load_settings
from barrack_tui.rules.instances import can_instance_action
from barrack_tui.tui.areas.instances import actions as instance_actions
from barrack_tui.tui.areas.instances import ssh_session
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.shell.keymap import key_for
from tests.harness import make_harness, settle


async def open_on(h, pilot, name: str) -> InstancesScreen:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    assert isinstance(screen, InstancesScreen)
    assert screen.query_one(FleetTable).select_id(h.instance_named(name).id)
    await settle(pilot, 2)
    return screen


def reason(screen: InstancesScreen) -> str:
    return screen.query_one("#fleet-row-info").render().plain


@pytest.fixture
def hand_over(monkeypatch):
    """Records, in order, what reached the terminal and which ssh command ran; `ssh` is what run_ssh does."""
    events: list[tuple[str, object]] = []
    monkeypatch.setattr(App, "suspend", lambda self: contextlib.nullcontext())
    monkeypatch.setattr(ssh_session, "announce", lambda text: events.append(("terminal", text)))

    class HandOver:
        log = events
        ssh = staticmethod(lambda argv: 0)

    def fake_run(argv: list[str]) -> int:
        events.append(("ssh", list(argv)))
        return HandOver.ssh(argv)

    monkeypatch.setattr(instance_actions, "run_ssh", fake_run)
    return HandOver


async def test_the_screen_says_connecting_before_ssh_runs_and_returns_to_the_row(hand_over) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "gpu-train-1")
        table = screen.query_one(FleetTable)
        await pilot.press("s")
        await settle(pilot)
        assert hand_over.log == [
            ("terminal", "connecting to gpu-train-1 (203.0.113.10)…"),
            ("ssh", ["ssh", "ubuntu@203.0.113.10"]),
        ]
        assert table.cursor_id == h.instance_named("gpu-train-1").id and h.app.focused is table
        assert reason(screen) == "ssh to gpu-train-1 ended (exit code 0)"


def test_the_connecting_line_cannot_carry_terminal_controls(monkeypatch) -> None:
    written: list[str] = []

    class Stream:
        def write(self, text: str) -> None:
            written.append(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.__stdout__", Stream())
    ssh_session.announce(ssh_session.connecting_text("evil\x1b]0;owned\x07", "203.0.113.10"))
    assert written == ["connecting to evil\\x1b]0;owned\\x07 (203.0.113.10)…\r\n"]


async def test_ctrl_c_during_ssh_reaches_ssh_and_the_app_keeps_running(hand_over) -> None:
    """Ctrl+C in a suspended app is SIGINT to the app and to ssh: ssh gets the default action, the app none."""
    before = signal.getsignal(signal.SIGINT)

    def ssh_interrupted(argv: list[str]) -> int:
        # What the terminal does on Ctrl+C: SIGINT to the whole foreground group, the app and its child.
        child = subprocess.Popen(["sleep", "30"])
        os.kill(os.getpid(), signal.SIGINT)
        child.send_signal(signal.SIGINT)
        return child.wait(timeout=10)

    hand_over.ssh = ssh_interrupted
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "inference-a100")
        table = screen.query_one(FleetTable)
        await pilot.press("s")
        await settle(pilot)
        # The child died of its SIGINT (it was not ignored for it); the app did not.
        assert reason(screen) == f"ssh to inference-a100 ended (exit code {-signal.SIGINT})"
        assert h.app.is_running and h.app.return_code is None
        assert table.cursor_id == h.instance_named("inference-a100").id and h.app.focused is table
        assert signal.getsignal(signal.SIGINT) is before
        await pilot.press("down")  # still answering keys
        await settle(pilot)
        assert h.app.is_running


@pytest.mark.parametrize(
    ("name", "action"),
    [("notebook-a6000", "restore"), ("batch-l40", "start")],
)
async def test_a_stopped_instance_offers_the_action_that_works(hand_over, name: str, action: str) -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, name)
        status = h.instance_named(name).status
        await pilot.press("s")
        await settle(pilot)
        key = key_for(screen, f"instances.{action}")
        assert reason(screen) == f"{name} is {status}: {action} it first ({key})"
        assert hand_over.log == []
        # The suggestion is one the rules accept from that state (not a public IP, refused while HIBERNATED).
        assert can_instance_action(action, status)


async def test_the_suggestion_names_a_rebound_key(hand_over) -> None:
    h = make_harness(initial_mode="instances")
    h.app.settings.keymap = {"instances.restore": "z"}
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "notebook-a6000")
        await pilot.press("s")
        await settle(pilot)
        assert reason(screen) == "notebook-a6000 is HIBERNATED: restore it first (z)"


async def test_a_private_only_instance_says_how_to_reach_it(hand_over) -> None:
    h = make_harness(initial_mode="instances")
    h.instance_named("inference-a100").public_ip = None
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await open_on(h, pilot, "inference-a100")
        await pilot.press("s")
        await settle(pilot)
        key = key_for(screen, "instances.public_ip")
        assert reason(screen) == (
            f"inference-a100 has no public IP: turn one on with {key}, or set [ssh] jump_host in the config"
        )
        assert hand_over.log == []


async def test_a_private_only_instance_is_reached_through_the_jump_host(hand_over) -> None:
    h = make_harness(initial_mode="instances")
    h.app.settings.ssh_jump_host = "ops@bastion.example"
    h.app.settings.ssh_options = ["-o", "ServerAliveInterval=30"]
    record = h.instance_named("inference-a100")
    record.public_ip = None
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_on(h, pilot, "inference-a100")
        await pilot.press("s")
        await settle(pilot)
        assert hand_over.log == [
            ("terminal", f"connecting to inference-a100 ({record.private_ip} via ops@bastion.example)…"),
            ("ssh", ["ssh", "-o", "ServerAliveInterval=30", "-J", "ops@bastion.example", f"ubuntu@{record.private_ip}"]),
        ]


def test_jump_host_is_read_from_the_config_and_an_option_in_disguise_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[ssh]\njump_host = "ops@bastion.example"\n')
    assert load_settings(good).settings.ssh_jump_host == "ops@bastion.example"
    bad = tmp_path / "bad.toml"
    bad.write_text('[ssh]\njump_host = "-oProxyCommand=touch /tmp/x"\n')
    result = load_settings(bad)
    assert result.settings.ssh_jump_host is None
    assert any("ssh.jump_host" in warning for warning in result.warnings)
