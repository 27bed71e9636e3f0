"""A session's first reads go out while the client is still loading, and each reaches the server once."""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest

from barrack_tui.tui.shell import app as app_module
from tests.harness import make_harness, wait_until


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen[f"{request.method} {request.url.path}?{request.url.query.decode()}"] += 1
        return await self.inner.handle_async_request(request)


def fresh_start(monkeypatch, **harness_options):
    """The app as a fresh process starts it (the client not loaded at Ready), its server's requests counted."""
    harness = make_harness(**harness_options)
    counting = Counting(harness.app._transport)
    harness.app._transport = counting
    monkeypatch.setattr(app_module, "_client_loaded", lambda: False)
    return harness, counting


def all_taken_once(app, counting: Counting) -> None:
    """No request reached the server twice, and the client took every early answer."""
    assert all(count == 1 for count in counting.seen.values()), counting.seen
    assert app.poll_client._early is None or app.poll_client._early.waiting == 0


def record_reads_on_their_way(monkeypatch, app) -> list[int]:
    """How many first reads had been sent, and not yet taken, each time the client (models, validators) had loaded.

    Loading the client is instant here (this process has it already); it takes ~0.15 s in a fresh one,
    longer than a key lookup: the stand-in ends only once the first reads were sent (or 5 s passed).
    """
    from barrack_tui.api import warm

    on_their_way: list[int] = []
    real_preload, real_send = warm.preload, app._send_first_reads
    sent = threading.Event()

    def send_first_reads(key):
        real_send(key)
        sent.set()

    def preload(base_url=None):
        real_preload(base_url)
        sent.wait(5)
        on_their_way.append(app._early[1].waiting if app._early else 0)

    monkeypatch.setattr(app, "_send_first_reads", send_first_reads)

    monkeypatch.setattr(warm, "preload", preload)
    return on_their_way


async def test_the_first_screens_reads_are_sent_while_the_client_loads_and_each_reaches_the_server_once(monkeypatch):
    harness, counting = fresh_start(monkeypatch)
    app = harness.app
    sent_while_loading = record_reads_on_their_way(monkeypatch, app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.store.visible and app.store.visible <= app.store.loaded)
        first = app.store.first_requests()
        # Sent before the client (models, validators) had loaded, which then took their answers.
        assert sent_while_loading == [len(first)]
        assert "GET /api/v1/instances?page=1&per_page=10000" in counting.seen
        assert {"GET /api/v1/balance?", "GET /api/v1/regions?", "GET /api/v1/gpu/stocks?"} <= set(counting.seen)
        # ...and the client read their answers rather than sending them again.
        all_taken_once(app, counting)
        regions = app.screen
        await wait_until(pilot, lambda: "Instances 3" in regions.panel("NORWAY-1").render().plain)


@pytest.mark.parametrize("mode", ["instances", "volumes", "firewalls", "snapshots", "keys", "spend"])
async def test_every_area_opened_first_is_served_its_first_reads_without_asking_twice(monkeypatch, mode):
    # The early requests are written apart from the reads they stand for: an early request that differs
    # from its read (a parameter, a path) would be sent, never taken, and the read sent again.
    harness, counting = fresh_start(monkeypatch, initial_mode=mode)
    app = harness.app
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.store.visible <= app.store.loaded and app.poll_client is not None)
        await wait_until(pilot, lambda: {"instances", "balance"} <= app.store.loaded)
        assert len(app.store.first_requests()) >= 3
        all_taken_once(app, counting)


async def test_a_key_kept_in_the_key_file_is_looked_up_while_the_client_loads_and_its_reads_go_out_early(
    monkeypatch,
):
    import keyring

    from barrack_tui.account import auth
    from tests.shell.fake_keyrings import NoCryptoKeyring

    harness, counting = fresh_start(monkeypatch, key=None, look_up_stored_key=True)
    app = harness.app
    auth.store_key(app.settings.base_url, harness.state.api_key, insecure_storage=True, timeout=2)
    keyring.set_keyring(NoCryptoKeyring())
    sent_while_loading = record_reads_on_their_way(monkeypatch, app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.store.visible and app.store.visible <= app.store.loaded)
        assert app.masked_key != "none"
        assert sent_while_loading == [len(app.store.first_requests())]
        all_taken_once(app, counting)
        assert "GET /api/v1/balance?" in counting.seen
