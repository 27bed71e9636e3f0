"""The pollers' loop: a screen that becomes visible mid-cycle is fetched at once, not an interval later."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from barrack_tui.account.config import PollSettings
from barrack_tui.api._instances import InstanceListing
from barrack_tui.sim.clock import FakeClock
from barrack_tui.tui.shell.store import Store


class SlowFirstListClient:
    """Answers like the API, but the first instance list waits until the test releases it."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.volume_lists = 0

    async def list_instances_incremental(self, previous=None):
        self.started.set()
        await self.release.wait()
        return InstanceListing()

    async def get_balance(self):
        return None

    async def list_volumes(self):
        self.volume_lists += 1
        return SimpleNamespace(next_name="volume1", volumes=[])


async def test_kinds_made_visible_during_a_cycle_are_fetched_without_waiting_an_interval():
    client = SlowFirstListClient()
    store = Store(client_getter=lambda: client, settings=PollSettings(fast_seconds=2, slow_seconds=15), clock=FakeClock().now)
    loop = asyncio.create_task(store.run())
    try:
        await asyncio.wait_for(client.started.wait(), 1)
        store.set_visible({"volumes"})  # the Volumes screen appears while instances are being fetched
        client.release.set()
        for _ in range(100):
            if client.volume_lists:
                break
            await asyncio.sleep(0.01)
        assert client.volume_lists == 1
    finally:
        loop.cancel()
