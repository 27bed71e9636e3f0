"""Polling: HTTP requests per simulated minute for 10 and 10,000 instances, calm and moving.

Target: identical counts for both fleet sizes — one list request per
kind per cycle, never one per resource. Runs the real store against the
in-process simulator on a fake clock, so a "minute" takes well under a second.
"""

from __future__ import annotations

import asyncio

import httpx
from common import SMOKE, print_table

from barrack_tui.account.config import PollSettings
from barrack_tui.api.client import BarrackClient
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.sim.state import Pending
from barrack_tui.tui.shell.store import Store


async def requests_per_minute(fleet: int, moving: bool, visible: tuple[str, ...]) -> int:
    clock = FakeClock()
    state = seed_demo(clock)
    # Settle the demo's own transitional instance so "calm" is calm.
    clock.advance(120)
    # Exactly `fleet` instances in all (the demo account brings a few): 10,000 is one page, as the contract allows.
    seed_fleet(state, fleet - len(state.instances))
    if moving:
        record = next(iter(state.instances.values()))
        record.status = "STARTING"
        record.pending = Pending("ACTIVE", clock.now() + 10_000)
    client = BarrackClient("http://sim.bench", state.api_key, transport=httpx.ASGITransport(app=create_app(state)), max_retries=0)
    store = Store(client_getter=lambda: client, settings=PollSettings(), clock=clock.now)
    store.set_visible(visible)
    await store.poll_cycle()  # first load, not counted
    before = sum(state.request_counts.values())
    start = clock.now()
    while clock.now() - start < 60:
        delay = await store.poll_cycle()
        clock.advance(max(delay, 0.001))
    await client.aclose()
    return sum(state.request_counts.values()) - before


def main() -> None:
    sizes = (10, 1_000) if SMOKE else (10, 10_000)
    rows = []
    for visible, label in (((), "Instances screen"), (("volumes",), "Volumes screen")):
        for moving in (False, True):
            counts = [asyncio.run(requests_per_minute(n, moving, visible)) for n in sizes]
            rows.append([label, "transitional" if moving else "stable", *counts, "yes" if len(set(counts)) == 1 else "NO"])
    print_table(
        "polling: HTTP requests per minute",
        ["screen", "fleet state", *(f"{n} instances" for n in sizes), "identical"],
        rows,
    )


if __name__ == "__main__":
    main()
