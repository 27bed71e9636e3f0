"""Slow answers over a real socket: the requests really take seconds while the UI keeps answering keys.

The simulator serves on loopback in its own thread with added latency (up to
2 s, the fault's cap); the app talks to it through a real httpx connection
with a 1.5 s read timeout. The store's schedule still runs on a fake clock,
so "one poll interval" is a clock move, not a 15 s wait; only the latency and
the timeout are real. About six seconds of wall time in all.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from barrack_tui.account import auth
from barrack_tui.account.config import Settings
from barrack_tui.api.errors import NetworkError
from barrack_tui.api.routes import ROUTES
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import start_background
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.shell.app import BarrackApp
from tests.faults.support import (
    KEYPRESS_BUDGET,
    FrameClock,
    assert_app_healthy,
    shown_header,
    steady_heap,
    store_matches_simulator,
    time_cursor_move,
)

pytestmark = pytest.mark.keypress_timing

READ_TIMEOUT = 1.5
STOP = f"POST {ROUTES['stop_instance'].path}"  # the simulator counts requests by route template


@pytest.fixture
async def world() -> AsyncIterator[tuple[Any, BarrackApp, FakeClock]]:
    clock = FakeClock()
    running = start_background(state=seed_demo(clock))
    settings = Settings()
    settings.base_url = running.url
    settings.timeout_read = READ_TIMEOUT
    app = BarrackApp(
        settings,
        api_key=auth.ResolvedKey(running.api_key, auth.KeySource.ENV),
        clock=clock.now,
        wall_clock=clock.now,
        look_up_stored_key=False,
        initial_mode="instances",
    )
    try:
        yield running, app, clock
    finally:
        running.stop()


async def keys_while_in_flight(frames: FrameClock, table: FleetTable, busy: asyncio.Task[Any]) -> list[float]:
    """Time cursor moves every ~50 ms until `busy` ends."""
    timings: list[float] = []
    while not busy.done():
        timings.append(await time_cursor_move(frames, table))
        await asyncio.sleep(0.05)
    await busy
    return timings


async def test_slow_answers_never_freeze_the_ui_and_timeouts_show_offline(world) -> None:
    running, app, clock = world
    state, faults = running.state, running.faults
    async with app.run_test(size=(120, 40)) as pilot:
        await app.store.refresh()
        await pilot.pause()
        table = app.screen.query_one(FleetTable)
        frames = FrameClock(app)
        target = next(r for r in state.instances.values() if r.name == "gpu-train-1")

        with steady_heap():
            # 1. Slow but within the timeout: a refresh (what ctrl+r runs), keys answered while it takes a second.
            faults.latency = 1.0
            target.name = "renamed-while-slow"
            started = time.perf_counter()
            refresh = asyncio.create_task(app.store.refresh())
            slow_keys = await keys_while_in_flight(frames, table, refresh)
            took = time.perf_counter() - started
            await pilot.pause()
            assert took >= 0.9, "the requests were not actually slow"
            assert len(slow_keys) >= 5
            assert app.store.instances[target.id].name == "renamed-while-slow"
            assert "● updated" in shown_header(app)

            # 2. Slower than the read timeout (2 s, the fault's maximum): a poll and a stop both time out.
            faults.latency = 2.0
            clock.advance(app.settings.poll.slow_seconds)
            started = time.perf_counter()
            poll = asyncio.create_task(app.store.poll_cycle())
            stop = asyncio.create_task(app.client.stop_instance(target.id))
            # Mode keys too: away to Volumes and back while both requests hang. Mode switches are not held
            # to the 100 ms budget (a first visit composes the screen, ~300 ms on this shared 2-core machine,
            # and the way back restyles the fleet screen, 65-90 ms: too close to the budget to assert
            # without flaking); what is asserted is that neither waits for the network.
            instances_screen = app.screen
            await frames.time_key("3", lambda: app.current_mode == "volumes")
            await frames.time_key("2", lambda: app.screen is instances_screen)
            await pilot.pause()  # the key bar's redraw after the switch
            assert not poll.done() and not stop.done(), "the mode switches waited for the network"
            timeout_keys = await keys_while_in_flight(frames, table, poll)
            took = time.perf_counter() - started
            with pytest.raises(NetworkError) as stopped:
                await stop
            await pilot.pause()
        assert took >= READ_TIMEOUT - 0.1, "the poll did not wait for its timeout"
        timings = slow_keys + timeout_keys
        assert max(timings) <= KEYPRESS_BUDGET, f"slowest keypress {max(timings) * 1000:.0f} ms of {len(timings)}"
        assert f"no answer within {READ_TIMEOUT:g} s" in str(stopped.value)
        assert stopped.value.maybe_applied  # the user is told to look before trying again
        assert "▲ offline — retrying in" in shown_header(app)
        assert app.store.schedule.status("instances").last_error.endswith(f"no answer within {READ_TIMEOUT:g} s")
        assert_app_healthy(app)

        # The server finishes the stop it was sent once; the client never sent it again.
        deadline = time.monotonic() + 3
        while state.mutation_counts[STOP] == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        faults.clear()
        await asyncio.sleep(0.3)  # any (wrong) retry would have arrived by now
        assert state.mutation_counts[STOP] == 1

        # 3. The latency goes away: one poll interval later the screen is current.
        clock.advance(app.settings.poll.slow_seconds)
        await app.store.poll_cycle()
        await pilot.pause()
        store_matches_simulator(app, state)
        assert app.store.instances[target.id].status in ("STOPPING", "SHUTOFF")  # the one stop took effect
        assert "● updated 0 s ago" in shown_header(app)
        assert_app_healthy(app)
