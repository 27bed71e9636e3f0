"""A poll that brings a big fleet asks the app to settle the heap; everyday polls do not."""

from __future__ import annotations

import httpx

from barrack_tui.account.config import PollSettings
from barrack_tui.api.client import BarrackClient
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.tui.shell.heap import BIG_LOAD
from barrack_tui.tui.shell.store import Store


async def test_only_a_poll_adding_a_big_fleet_triggers_the_heap_settle():
    clock = FakeClock()
    state = seed_demo(clock)
    client = BarrackClient("http://sim.test", state.api_key, transport=httpx.ASGITransport(app=create_app(state, FaultConfig())))
    calls = []
    store = Store(client_getter=lambda: client, settings=PollSettings(), clock=clock.now, on_big_load=lambda: calls.append(1))
    await store.refresh("instances")
    assert store.instances and calls == []  # the demo account is small

    seed_fleet(state, BIG_LOAD)
    await store.refresh("instances")
    assert len(store.instances) >= BIG_LOAD and calls == [1]

    await store.refresh("instances")  # the same fleet again: nothing added
    assert calls == [1]
    await client.aclose()


async def test_the_app_freezes_the_heap_as_soon_as_a_big_fleet_arrives():
    import gc

    from tests.harness import make_harness

    state = seed_demo(FakeClock())
    seed_fleet(state, BIG_LOAD)
    h = make_harness(state=state, initial_mode="regions")
    frozen_before = gc.get_freeze_count()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.poll()
        await pilot.pause()
        assert len(h.app.store.instances) >= BIG_LOAD
        # Right after the refresh, not after the settle timer: the next keystroke must not pay for a full
        # collection; and the collector paused for the load runs again.
        assert gc.get_freeze_count() > frozen_before
        assert gc.isenabled()
