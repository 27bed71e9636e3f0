"""Per-kind poll health in the store: what each failure is called, when each kind is tried again, and that one
stalled endpoint holds back nothing but itself. A fake client and a fake clock: no network, no real waits
(except the one test of the store's own deadline, a few milliseconds)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from barrack_tui.account.config import PollSettings
from barrack_tui.api._instances import InstanceListing
from barrack_tui.api.errors import (
    BadResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
    UnsuccessfulError,
)
from barrack_tui.api.tolerant import ItemList, ItemProblem
from barrack_tui.sim.clock import FakeClock
from barrack_tui.tui.shell import poll_loop
from barrack_tui.tui.shell.store import Store

SETTINGS = PollSettings(fast_seconds=2, slow_seconds=15, max_backoff_seconds=60)


def volume(n: int) -> Any:
    return SimpleNamespace(id=f"vol-{n}", status="available")


class FakeClient:
    """Answers like the API; `fail[kind]` raises instead, `hold[kind]` (an Event) makes that list wait."""

    def __init__(self) -> None:
        self.fail: dict[str, BaseException] = {}
        self.hold: dict[str, asyncio.Event] = {}
        self.calls: dict[str, int] = {}
        self.volumes: Any = ItemList([volume(1), volume(2)])

    async def _answer(self, kind: str, value: Any) -> Any:
        self.calls[kind] = self.calls.get(kind, 0) + 1
        if kind in self.hold:
            await self.hold[kind].wait()
        if kind in self.fail:
            raise self.fail[kind]
        return value

    async def list_instances_incremental(self, previous: Any = None) -> InstanceListing:
        return await self._answer("instances", InstanceListing())

    async def get_balance(self) -> None:
        return await self._answer("balance", None)

    async def list_volumes(self) -> Any:
        return await self._answer("volumes", SimpleNamespace(next_name="volume3", volumes=self.volumes))


def make_store(client: FakeClient, clock: FakeClock, *, draw: float = 0.0, visible: tuple[str, ...] = ("volumes",)) -> Store:
    store = Store(client_getter=lambda: client, settings=SETTINGS, clock=clock.now, random=lambda: draw)
    store.set_visible(visible)
    return store


async def test_a_kind_is_loading_then_ok_then_stale_after_a_failure_then_ok_again():
    client, clock = FakeClient(), FakeClock()
    store = make_store(client, clock)
    assert store.kind_health("volumes").state == "loading"
    await store.poll_cycle()
    first = clock.now()
    assert store.kind_health("volumes").state == "ok"
    assert store.kind_health("volumes").last_success == first

    clock.advance(15)
    client.fail["volumes"] = ServerError(500, "INTERNAL", "boom")
    await store.poll_cycle()
    health = store.kind_health("volumes")
    assert (health.state, health.category, health.stale, health.last_success) == ("failed", "server error", True, first)
    assert health.reason == "HTTP 500: boom"
    assert len(store.volumes) == 2  # the older data stays, marked stale
    assert store.kind_health("instances").state == "ok"  # its failure is its own

    del client.fail["volumes"]
    clock.advance(health.retry_in)
    await store.poll_cycle()
    assert store.kind_health("volumes").state == "ok" and not store.kind_health("volumes").stale


async def test_a_kind_that_never_loaded_is_failed_without_being_stale():
    client, clock = FakeClient(), FakeClock()
    client.fail["volumes"] = NetworkError(message="connection refused")
    store = make_store(client, clock)
    await store.poll_cycle()
    health = store.kind_health("volumes")
    assert (health.state, health.category, health.stale, health.has_data) == ("failed", "offline", False, False)
    assert health.reason == "connection refused"


@pytest.mark.parametrize(
    ("error", "category"),
    [
        (NetworkError(message="connection refused"), "offline"),
        (NetworkError(message="no answer within 30 s"), "offline"),
        (ServerError(500, "INTERNAL", "boom"), "server error"),
        (ServerError(503, retry_after=7), "server error"),
        (BadResponseError(502, message="an HTML page instead of JSON"), "server error"),
        (RateLimitedError(429, retry_after=5), "rate limited"),
        (BadResponseError(200, message="truncated or invalid JSON"), "unreadable answer"),
        (UnsuccessfulError(200, "UNSUCCESSFUL", "quota exceeded"), "unreadable answer"),
    ],
)
async def test_each_failure_is_named_for_what_it_means_and_the_header_says_the_same(error, category):
    client, clock = FakeClient(), FakeClock()
    client.fail["instances"] = error
    store = make_store(client, clock)
    await store.poll_cycle()
    assert store.kind_health("instances").category == category
    header = store.health()
    if category == "rate limited":
        assert header.state == "rate_limited"
    else:
        assert (header.state, header.category) == ("failed", category)


async def test_the_request_id_goes_with_the_reason():
    client, clock = FakeClient(), FakeClock()
    client.fail["volumes"] = ServerError(500, "INTERNAL", "boom").with_request_id("a1b2c3d4")
    store = make_store(client, clock)
    await store.poll_cycle()
    assert store.kind_health("volumes").reason == "HTTP 500: boom (request id a1b2c3d4)"


async def test_a_429_pauses_every_kind_for_its_retry_after_capped_at_60_seconds():
    client, clock = FakeClient(), FakeClock()
    client.fail["volumes"] = RateLimitedError(429, retry_after=3600)
    store = make_store(client, clock)
    await store.poll_cycle()
    del client.fail["volumes"]
    assert store.kind_health("instances").retry_in == 60  # an hour asked, a minute waited; every kind
    assert store.kind_health("volumes").retry_in == 60
    calls = dict(client.calls)
    clock.advance(59)
    await store.poll_cycle()
    assert client.calls == calls
    clock.advance(1)
    await store.poll_cycle()
    assert client.calls["instances"] == calls["instances"] + 1 and client.calls["volumes"] == calls["volumes"] + 1


async def test_a_503s_retry_after_delays_only_that_kind_and_is_capped_at_60_seconds():
    client, clock = FakeClient(), FakeClock()
    client.fail["volumes"] = ServerError(503, retry_after=7)
    store = make_store(client, clock)
    await store.poll_cycle()
    assert store.kind_health("volumes").retry_in == 7
    assert store.kind_health("instances").retry_in == 15  # untouched: its own calm interval
    assert store.health().state == "ok"

    client.fail["volumes"] = ServerError(503, retry_after=900)
    clock.advance(7)
    await store.poll_cycle()
    assert store.kind_health("volumes").retry_in == 60


async def test_backoff_without_retry_after_is_jittered_by_the_injected_source():
    clock = FakeClock()
    waits = []
    for draw in (0.0, 1.0):
        client = FakeClient()
        client.fail["volumes"] = ServerError(500)
        store = make_store(client, clock, draw=draw)
        await store.poll_cycle()
        waits.append(store.kind_health("volumes").retry_in)
    assert waits == [2.0, 1.5]


async def test_a_hung_volumes_fetch_does_not_delay_instances():
    client, clock = FakeClient(), FakeClock()
    client.hold["volumes"] = asyncio.Event()  # never set: the volumes list hangs
    store = make_store(client, clock)
    started = store.start_due()
    assert set(started) == {"instances", "balance", "volumes"}
    await asyncio.wait([started["instances"], started["balance"]])
    assert store.kind_health("instances").state == "ok"
    assert store.kind_health("volumes").state == "loading" and store.kind_health("volumes").in_flight

    for cycle in range(2, 5):
        clock.advance(15)
        again = store.start_due()
        assert set(again) == {"instances", "balance"}  # volumes is still in flight: not asked twice
        await asyncio.wait(list(again.values()))
        assert client.calls["instances"] == cycle
    assert client.calls["volumes"] == 1
    store.stop()


async def test_the_running_loop_keeps_polling_instances_while_volumes_hang():
    client, clock = FakeClient(), FakeClock()
    client.hold["volumes"] = asyncio.Event()
    store = make_store(client, clock)
    loop = asyncio.create_task(store.run())
    try:
        for expected in (1, 2, 3):
            for _ in range(200):
                if client.calls.get("instances", 0) >= expected:
                    break
                await asyncio.sleep(0.005)
            assert client.calls.get("instances", 0) == expected
            clock.advance(15)
            store.wake()
        assert client.calls["volumes"] == 1
        assert store.in_flight("volumes")
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
    await asyncio.sleep(0)
    assert not store.in_flight("volumes")  # stopping the loop cancels what it left in flight


async def test_refresh_waits_for_a_fetch_in_flight_then_fetches_again():
    client, clock = FakeClient(), FakeClock()
    client.hold["volumes"] = asyncio.Event()
    store = make_store(client, clock)
    store.start_due()
    refresh = asyncio.create_task(store.refresh("volumes"))
    await asyncio.sleep(0.01)
    assert not refresh.done() and client.calls["volumes"] == 1
    client.hold["volumes"].set()
    await asyncio.wait_for(refresh, 1)
    assert client.calls["volumes"] == 2  # the one in flight may predate a mutation: one more


async def test_a_fetch_that_never_ends_is_ended_by_the_stores_deadline_and_shown_as_no_answer(monkeypatch):
    monkeypatch.setattr(poll_loop, "PAGE_WALK_SECONDS", 0.0)
    client, clock = FakeClient(), FakeClock()
    client.timeouts = SimpleNamespace(connect=0.01, read=0.01)  # a transport that does not enforce them
    client.origin = "http://sim.test"
    client.hold["volumes"] = asyncio.Event()
    store = make_store(client, clock)
    await asyncio.wait_for(store.poll_cycle(), 2)
    health = store.kind_health("volumes")
    assert (health.state, health.category) == ("failed", "offline")
    assert health.reason == "no complete answer within 0.02 s"
    assert store.kind_health("instances").state == "ok"


async def test_the_store_keeps_each_kinds_refused_items_cut_and_count():
    client, clock = FakeClient(), FakeClock()
    problem = ItemProblem("VolumeResponse", 1, "vol-9", "broken", ("size_gb: Input should be greater than or equal to 0",))
    client.volumes = ItemList([volume(1), volume(2)], [problem])
    client.volumes.cut = "showing the first 2 of 9,000: stopped after 20 of 4,500 pages"
    store = make_store(client, clock)
    await store.poll_cycle()
    items = store.kind_items("volumes")
    assert (items.sent, items.refused, items.cut) == (3, (problem,), client.volumes.cut)
    assert len(store.volumes) == 2
    assert store.kind_items("firewalls").sent == 0  # never read: nothing to report
