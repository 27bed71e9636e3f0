"""The account's cost per hour is priced again only when something priced changed, and then at once."""

from __future__ import annotations

import httpx

from barrack_tui.account.config import PollSettings
from barrack_tui.api.client import BarrackClient
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import seed_demo


async def test_a_calm_poll_keeps_the_costs_and_a_change_prices_them_again():
    from barrack_tui.tui.shell.store import Store

    clock = FakeClock()
    state = seed_demo(clock)
    client = BarrackClient("http://sim.test", state.api_key, transport=httpx.ASGITransport(app=create_app(state, FaultConfig())))
    store = Store(client_getter=lambda: client, settings=PollSettings(), clock=clock.now)
    kinds = ("instances", "balance", "volumes", "snapshots")
    await store.refresh(*kinds)
    before = store.costs()
    await store.refresh(*kinds)  # nothing changed on the server
    assert store.costs() is before  # the header reads it every second: a 10,000-instance fleet took ~7 ms
    volume = next(v for v in state.volumes.values() if v.status == "available")
    volume.size_gb += 100
    await store.refresh("volumes")
    after = store.costs()
    assert after is not before and after.volumes.size_gb == before.volumes.size_gb + 100
    await client.aclose()
