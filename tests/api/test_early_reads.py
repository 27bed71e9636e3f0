"""A session's first reads, sent before the client loaded: each answer serves the same request once, and
each request still reaches the server once."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from barrack_tui.api import early as early_module
from barrack_tui.api.client import BarrackClient
from barrack_tui.api.early import EarlyReads
from barrack_tui.api.errors import NetworkError
from barrack_tui.api.pages import DEFAULT_PER_PAGE
from barrack_tui.api.transport import TransportSetupError
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.state import DEMO_API_KEY
from tests.api.loopback_servers import connect_proxy, http_server, make_ca

KEY = "early-reads-KEY-0042"

SIM_URL = "http://sim.test"
FIRST = [
    ("list_instances", {"page": 1, "per_page": DEFAULT_PER_PAGE}),
    ("get_balance", None),
    ("list_regions", None),
    ("get_pricing", {"currency": "USD"}),
]


class Counting(httpx.AsyncBaseTransport):
    """The simulator, counting what reaches it; the first `refuse` requests find no connection."""

    def __init__(self, refuse: int = 0) -> None:
        self.inner = httpx.ASGITransport(app=create_app(seed_demo(FakeClock()), FaultConfig()))
        self.seen: Counter[str] = Counter()
        self.refuse = refuse

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.refuse:
            self.refuse -= 1
            raise httpx.ConnectError("connection refused", request=request)
        self.seen[f"{request.url.path}?{request.url.query.decode()}"] += 1
        return await self.inner.handle_async_request(request)


def session(transport: Counting, requests=FIRST, **kwargs) -> tuple[EarlyReads, BarrackClient]:
    reads = EarlyReads(SIM_URL, DEMO_API_KEY, requests, transport=transport, **kwargs)
    return reads, BarrackClient(SIM_URL, DEMO_API_KEY, transport=transport, early=reads, max_retries=0)


async def answered(transport: Counting) -> None:
    for _ in range(200):
        if sum(transport.seen.values()) == len(FIRST):
            return
        await asyncio.sleep(0)
    raise AssertionError(f"the early reads did not all arrive: {transport.seen}")


async def test_the_first_reads_go_out_before_the_client_exists_and_the_client_is_served_their_answers():
    transport = Counting()
    reads = EarlyReads(SIM_URL, DEMO_API_KEY, FIRST, transport=transport)
    await answered(transport)  # sent, and answered, with no client to read them yet
    client = BarrackClient(SIM_URL, DEMO_API_KEY, transport=transport, early=reads, max_retries=0)
    instances = await client.list_instances_incremental(None)
    balance = await client.get_balance()
    regions = await client.list_regions()
    pricing = await client.get_pricing("USD")
    assert len(instances.instances) == 8 and balance.balances and regions and pricing.prices
    assert all(count == 1 for count in transport.seen.values()), transport.seen
    assert reads.waiting == 0
    # Each answer serves its request once: the next read of the balance is a new request.
    await client.get_balance()
    assert transport.seen["/api/v1/balance?"] == 2
    await client.aclose()


async def test_a_request_that_differs_in_its_query_is_sent_not_served_an_early_answer():
    transport = Counting()
    reads, client = session(transport)
    await client.get_pricing("EUR")
    assert transport.seen["/api/v1/pricing?currency=EUR"] == 1
    await client.get_pricing("USD")  # the early one, still kept for its own request
    assert transport.seen["/api/v1/pricing?currency=USD"] == 1
    reads.drop()
    await client.aclose()


async def test_a_first_read_that_failed_early_is_sent_again_by_the_client():
    transport = Counting(refuse=4)  # every early read finds no connection
    reads, client = session(transport)
    balance = await client.get_balance()
    assert balance.balances
    assert transport.seen["/api/v1/balance?"] == 1
    reads.drop()
    await client.aclose()


async def test_an_answer_nobody_took_in_time_is_not_given_to_a_later_request():
    now = [100.0]
    transport = Counting()
    reads, client = session(transport, clock=lambda: now[0])
    await answered(transport)
    now[0] += early_module.MAX_AGE + 1
    await client.get_balance()
    assert transport.seen["/api/v1/balance?"] == 2  # the stale early answer was dropped, a fresh read sent
    reads.drop()
    await client.aclose()


async def test_nothing_that_changes_the_account_is_sent_early():
    with pytest.raises(ValueError, match="only reads are sent early"):
        EarlyReads(SIM_URL, DEMO_API_KEY, [("create_volume", None)], transport=Counting())


async def test_a_client_refuses_first_reads_sent_to_another_server():
    reads = EarlyReads("http://other.test", DEMO_API_KEY, FIRST, transport=Counting())
    with pytest.raises(ValueError, match="another server"):
        BarrackClient(SIM_URL, DEMO_API_KEY, transport=Counting(), early=reads)
    reads.drop()


# --- over a real socket: asyncio and h11, before httpx has loaded ----------------------------------------------


async def test_over_the_network_the_first_reads_carry_the_clients_headers_over_verified_tls(monkeypatch, tmp_path):
    ca = make_ca(tmp_path)
    monkeypatch.setenv("BARRACK_CA_BUNDLE", str(ca.ca_pem))
    with http_server(tls=ca.server_context) as api:
        reads = EarlyReads(api.url, KEY, [("get_balance", None)])
        assert (await reads.peek("get_balance")).status == 200
        async with BarrackClient(api.url, KEY, early=reads, max_retries=0) as client:
            assert (await client.get_balance()).balances[0].amount == 42
            assert len(api.seen) == 1  # the client was given the early answer
            await client.get_balance()
    early, sent = api.seen
    assert early.path == sent.path == "/api/v1/balance"
    for header in ("authorization", "user-agent", "accept"):
        assert early.headers[header] == sent.headers[header]
    assert early.headers["authorization"] == f"Bearer {KEY}"


async def test_a_server_the_trust_anchors_do_not_vouch_for_gets_nothing_early(monkeypatch, tmp_path):
    ca = make_ca(tmp_path)
    with http_server(tls=ca.server_context) as api:
        reads = EarlyReads(api.url, KEY, [("get_balance", None)])
        assert await reads.peek("get_balance") is None
        async with BarrackClient(api.url, KEY, early=reads, max_retries=0) as client:
            with pytest.raises(NetworkError, match="secure connection failed"):
                await client.get_balance()
    assert api.seen == []


async def test_where_the_client_would_use_a_proxy_nothing_is_sent_early(monkeypatch, tmp_path):
    ca = make_ca(tmp_path)
    monkeypatch.setenv("BARRACK_CA_BUNDLE", str(ca.ca_pem))
    with http_server(tls=ca.server_context) as api, connect_proxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        reads = EarlyReads(api.url, KEY, [("get_balance", None)])
        assert reads.waiting == 0
        async with BarrackClient(api.url, KEY, early=reads, max_retries=0) as client:
            await client.get_balance()
        assert proxy.tunnels == [f"localhost:{api.port}"] and len(api.seen) == 1  # the client's, through it


async def test_plain_http_to_another_machine_is_refused_before_anything_is_sent():
    with pytest.raises(TransportSetupError):
        EarlyReads("http://api.example.com", KEY, [("get_balance", None)])
