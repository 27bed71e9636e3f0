"""The app shell against the simulator: sign-in, modes, header, pollers, read-only."""

from __future__ import annotations

import logging
from decimal import Decimal

import keyring
import pytest
from textual.widgets import Input, Static

from barrack_tui.api.models import VMStatus
from barrack_tui.rules.pricing import HIBERNATED_HOURLY
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.tui.shell.guard import ReadOnlyError
from barrack_tui.tui.shell.header import AppHeader
from barrack_tui.tui.shell.login import LoginScreen
from tests.harness import make_harness, wait_until
from tests.shell.fake_keyrings import HangingKeyring

CANARY = "canary-SECRET-0042-key"


def header_text(app) -> str:
    return app.screen.query_one(AppHeader).header_text().plain


async def test_launch_with_key_from_environment_loads_the_account(monkeypatch):
    h = make_harness(key=None)
    monkeypatch.setenv("BARRACK_API_KEY", h.state.api_key)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        assert not isinstance(h.app.screen, LoginScreen)
        assert len(h.app.store.instances) == len([i for i in h.state.instances.values()])
        assert "key ••••" + h.state.api_key[-4:] in header_text(h.app)


async def test_launch_without_key_shows_login_and_wrong_key_gets_the_servers_message():
    h = make_harness(key=None)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(h.app.screen, LoginScreen) and bool(h.app.screen.query("#login-key")))
        h.app.screen.query_one("#login-key", Input).value = "not-the-key"
        await pilot.press("enter")
        login = h.app.screen
        await wait_until(pilot, lambda: "401" in str(login.query_one("#login-error", Static).render()), what="401 shown")
        error = str(login.query_one("#login-error", Static).render())
        assert "401" in error and "Invalid or missing API key" in error
        assert isinstance(h.app.screen, LoginScreen)
        h.app.screen.query_one("#login-key", Input).value = h.state.api_key
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(h.app.screen, LoginScreen), what="login to close")
        await h.poll()
        assert h.app.store.balance is not None


async def test_every_mode_switches_with_its_number_key():
    h = make_harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        seen = []
        for key, mode in zip("1234567", ["regions", "instances", "volumes", "firewalls", "snapshots", "keys", "chat"]):
            await pilot.press(key)
            await pilot.pause()
            seen.append((h.app.current_mode, mode))
        assert all(actual == expected for actual, expected in seen)


async def test_header_burn_rate_is_the_sum_of_billing_rates():
    h = make_harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        expected = Decimal("0")
        for record in h.state.instances.values():
            if record.status in (VMStatus.ACTIVE, VMStatus.SHUTOFF):
                expected += record.hourly_price
            elif record.status == VMStatus.HIBERNATED:
                expected += HIBERNATED_HOURLY[record.currency]
        assert h.app.store.burn_rate_per_hour() == expected
        assert f"burn {expected:,.2f}/h" in header_text(h.app)


async def test_hanging_keyring_gives_login_with_reason_while_keys_still_work():
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    h = make_harness(key=None, look_up_stored_key=True, keyring_timeout=0.5)
    try:
        async with h.app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")  # handled while the keyring thread hangs
            await pilot.pause()
            assert h.app.current_mode == "volumes"
            await wait_until(
                pilot,
                lambda: isinstance(h.app.screen, LoginScreen) and bool(h.app.screen.query("#login-reason")),
                what="login screen with its reason",
            )
            reason = str(h.app.screen.query_one("#login-reason", Static).render())
            assert "did not answer within" in reason
    finally:
        backend.release.set()


async def test_canary_key_never_reaches_logs_errors_or_screenshots(caplog):
    caplog.set_level(logging.DEBUG)
    state = seed_demo(FakeClock())
    state.api_key = CANARY
    h = make_harness(state=state, key=CANARY)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        svg = h.app.export_screenshot()
        h.faults.error_rate = 1.0
        await h.poll("instances")
        errors = [s.last_error or "" for s in h.app.store.schedule.kinds.values()]
        h.faults.error_rate = 0.0
    assert CANARY not in svg
    assert all(CANARY not in e for e in errors)
    assert CANARY not in caplog.text


@pytest.mark.parametrize("fleet", [10, 1000])
async def test_requests_per_poll_cycle_do_not_grow_with_the_fleet(fleet):
    state = seed_demo(FakeClock())
    seed_fleet(state, fleet)
    h = make_harness(state=state, initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await h.poll()
        before = sum(h.state.request_counts.values())
        await h.poll()
        assert sum(h.state.request_counts.values()) - before == len(h.app.store.active_kinds)


async def test_poll_interval_fast_while_transitional_then_slow():
    h = make_harness()
    async with h.app.run_test(size=(120, 40)):
        await h.poll()
        store = h.app.store
        record = next(r for r in h.state.instances.values() if r.status == VMStatus.ACTIVE)
        await h.app.client.stop_instance(record.id)
        await h.poll("instances")
        assert store.is_busy("instances")
        assert store.schedule.seconds_until_next(store.clock(), ["instances"]) == pytest.approx(2.0)
        h.advance(h.state.durations.stop + 1)
        await h.poll("instances")
        assert store.instances[record.id].status == VMStatus.SHUTOFF
        # Once nothing moves (the seed's STARTING instance and CREATING volume have settled by now too,
        # and this poll shows it), the instances poller slows down.
        await h.poll()
        assert not store.is_busy("instances")
        assert store.schedule.seconds_until_next(store.clock(), ["instances"]) == pytest.approx(15.0)


async def test_backoff_shows_server_error_then_recovers_within_one_interval():
    h = make_harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        h.faults.error_rate = 1.0
        h.advance(15)
        await h.app.store.poll_cycle()
        await pilot.pause()
        # The server answered (500): it is failing, the user is not offline.
        assert "server error — retrying in" in header_text(h.app)
        assert "offline" not in header_text(h.app)
        h.faults.error_rate = 0.0
        h.advance(h.app.store.schedule.backoff(1))
        await h.app.store.poll_cycle()
        await pilot.pause()
        assert "● updated 0 s ago" in header_text(h.app)


async def test_rate_limit_pauses_every_poller_until_retry_after():
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        h.faults.retry_after = 7
        h.faults.rate_limit_burst = 1
        h.advance(15)
        await h.app.store.poll_cycle()
        assert h.app.store.health().state == "rate_limited"
        counted = sum(h.state.request_counts.values())
        h.advance(6)
        await h.app.store.poll_cycle()
        assert sum(h.state.request_counts.values()) == counted  # nothing polled while paused
        h.advance(1.5)
        await h.app.store.poll_cycle()
        assert sum(h.state.request_counts.values()) > counted
        await pilot.pause()
        assert "rate limited" not in header_text(h.app)


@pytest.mark.parametrize("operation", ["stop_instance", "detach_volumes", "delete_volume"])
async def test_read_only_blocks_mutations_before_any_request(operation):
    h = make_harness(read_only=True)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        assert "READ-ONLY" in header_text(h.app)
        args = {"stop_instance": ("ins-0001",), "detach_volumes": ("ins-0001", ["vol-0001"]), "delete_volume": ("vol-0001",)}
        with pytest.raises(ReadOnlyError) as refused:
            await getattr(h.app.client, operation)(*args[operation])
        assert "Read-only mode" in str(refused.value)
        assert sum(h.state.mutation_counts.values()) == 0
        h.app.report_error(refused.value)
        await pilot.pause()
        assert any("Read-only mode" in str(n.message) for n in h.app._notifications)


async def test_header_shows_a_new_region_context_at_once():
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        h.app.region = "CANADA-1"
        await pilot.pause()
        await pilot.pause()
        assert "region CANADA-1" in header_text(h.app)


async def test_toasts_quote_server_strings_literally():
    h = make_harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        record = next(r for r in h.state.instances.values() if r.status == VMStatus.ACTIVE)
        record.name = "gpu [/bold] box [@click=app.quit]x[/]"
        await h.app.client.stop_instance(record.id)
        await h.poll("instances")
        h.advance(h.state.durations.stop + 1)
        await h.poll("instances")
        await pilot.pause()
        texts = [str(n.message) for n in h.app._notifications]
        assert any("gpu [/bold] box [@click=app.quit]x[/] is SHUTOFF" in t for t in texts)
        assert h.app.is_running


async def test_running_burn_rate_equals_a_fresh_sum_through_actions_polls_and_deletes():
    from barrack_tui.rules.pricing import instance_billing_rate

    h = make_harness()
    async with h.app.run_test(size=(120, 40)):
        await h.poll()
        store = h.app.store

        def fresh() -> Decimal:
            return sum(
                (instance_billing_rate(i.status, i.hourly_price, i.currency) for i in store.instances.values()),
                Decimal("0"),
            )

        active = [r for r in h.state.instances.values() if r.status == VMStatus.ACTIVE]
        answer = await h.app.client.stop_instance(active[0].id)
        store.upsert("instances", answer.instance)
        assert store.burn_rate_per_hour() == fresh()
        h.advance(h.state.durations.stop + 1)
        await h.poll("instances")
        assert store.burn_rate_per_hour() == fresh()
        await h.app.client.delete_instance(active[1].id)
        h.advance(h.state.durations.delete + 1)
        await h.poll("instances")
        assert active[1].id not in store.instances
        assert store.burn_rate_per_hour() == fresh()
        store.remove("instances", active[0].id)
        assert store.burn_rate_per_hour() == fresh()


@pytest.mark.parametrize("mode", ["regions", "volumes", "firewalls"])
async def test_the_first_poll_cycle_already_includes_the_first_screens_kinds(mode, monkeypatch):
    from barrack_tui.tui.shell.store import Store

    seen = []
    original = Store.run

    async def run(self):
        seen.append(set(self.visible))
        await original(self)

    monkeypatch.setattr(Store, "run", run)
    h = make_harness(initial_mode=mode)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert seen and seen[0] == set(type(h.app.screen).POLL_KINDS) and seen[0]


@pytest.mark.parametrize("key", ["ctrl+p", "colon"])
async def test_the_command_palette_opens_with_ctrl_p_and_colon(key):
    from textual.command import CommandPalette

    h = make_harness(initial_mode="regions")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(h.app.screen, CommandPalette)


async def test_ctrl_p_opens_the_palette_even_from_a_text_box():
    from textual.command import CommandPalette

    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await pilot.press("slash")  # the filter box has focus: ":" would be typed, ctrl+p still opens
        await pilot.press("colon")
        await pilot.pause()
        assert h.app.screen.query_one("#fleet-filter").value == ":"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(h.app.screen, CommandPalette)
