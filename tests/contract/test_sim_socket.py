"""The client against the simulator over a real loopback socket: HTTP/1.1, SSE, faults, and no leaked connections.

Each test gets its own server on a free port (uvicorn in a thread) and a
client limited to ONE pooled connection with a 1 s pool timeout: a response
left open after a failure would make the next request fail with a pool
timeout, so "the next request works" proves nothing leaked.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.client_base import Timeouts
from barrack_tui.api.errors import BadResponseError, NetworkError, RateLimitedError, ServerError
from barrack_tui.api.models import VMStatus
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import start_background
from tests.contract.conftest import NoSleep

DEPLOY_TEMPLATE = "POST /api/v1/instances"


@pytest.fixture(params=["bare", "envelope"])
def running(request):
    sim = start_background(port=0, state=seed_demo(FakeClock()), envelope=request.param == "envelope")
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def sleep() -> NoSleep:
    return NoSleep()


@pytest.fixture
async def client(running, sleep):
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1))
    api = BarrackClient(running.url, running.api_key, transport=transport, sleep=sleep, timeouts=Timeouts(pool=1, read=10))
    async with api:
        yield api


async def test_reads_over_a_socket(client, running):
    assert running.url.startswith("http://127.0.0.1:")
    assert (await client.get_balance()).currency == "USD"
    instances = await client.list_instances()
    assert len(instances) == len(running.state.instances)
    volumes = await client.list_volumes()
    assert {v.name for v in volumes.volumes} >= {"data-1", "datasets"}
    details = await client.get_instance("ins-0002")
    assert details.instance.name == "inference-a100"


async def test_a_mutation_over_a_socket(client, running):
    result = await client.stop_instance("ins-0001")
    assert result.instance.status is VMStatus.STOPPING
    assert running.state.instances["ins-0001"].status == VMStatus.STOPPING


async def test_streamed_chat_over_a_socket_arrives_in_pieces(client):
    request = {"model": "barrack-assist", "messages": [{"role": "user", "content": "what runs where?"}]}
    stream = client.stream_chat_completion(request)
    parts = [text async for text in stream]
    assert len(parts) > 3
    assert stream.finish_reason == "stop" and stream.usage.total_tokens > 0
    plain = await client.chat_completion(request)
    assert "".join(parts) == plain.choices[0].message.content


async def test_cancelled_stream_frees_its_connection(client):
    request = {"model": "barrack-assist", "messages": [{"role": "user", "content": "what am I paying for?"}]}
    first = asyncio.Event()

    async def read():
        async for _ in client.stream_chat_completion(request):
            first.set()

    task = asyncio.create_task(read())
    await asyncio.wait_for(first.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await client.get_balance()).currency == "USD"


async def test_leaving_a_stream_early_frees_its_connection(client):
    request = {"model": "barrack-assist", "messages": [{"role": "user", "content": "what am I paying for?"}]}
    async with client.stream_chat_completion(request) as stream:
        async for _ in stream:
            break
    assert (await client.get_balance()).currency == "USD"


async def test_a_rate_limit_burst_is_waited_out(client, running, sleep):
    running.faults.rate_limit_burst = 2
    running.faults.retry_after = 3
    assert (await client.get_balance()).currency == "USD"
    assert sleep.delays == [3.0, 3.0]


async def test_a_long_rate_limit_is_reported_not_waited(client, running, sleep):
    running.faults.rate_limit_burst = 1
    running.faults.retry_after = 600
    with pytest.raises(RateLimitedError) as caught:
        await client.get_balance()
    assert caught.value.retry_after == 600 and sleep.delays == []
    assert str(caught.value) == f"Rate limited; retry in 10 min (request id {caught.value.request_id})"
    assert caught.value.request_id


async def test_persistent_html_502_after_retries_then_recovery(client, running, sleep):
    running.faults.html_502_rate = 1.0
    with pytest.raises(BadResponseError) as caught:
        await client.list_instances()
    assert caught.value.status == 502 and len(sleep.delays) == 3
    running.faults.clear()
    assert await client.list_instances()


async def test_server_errors_are_retried_then_reported(client, running, sleep):
    running.faults.error_rate = 1.0
    with pytest.raises(ServerError) as caught:
        await client.get_balance()
    assert caught.value.status == 500 and len(sleep.delays) == 3
    running.faults.clear()
    assert (await client.get_balance()).currency == "USD"


async def test_dropped_connections_on_reads_are_retried_and_leak_nothing(client, running, sleep):
    running.faults.drop_rate = 1.0
    with pytest.raises(NetworkError) as caught:
        await client.get_balance()
    assert "without a complete answer" in str(caught.value)
    assert len(sleep.delays) == 3
    running.faults.clear()
    assert (await client.get_balance()).currency == "USD"


async def test_truncated_json_is_a_bad_response(client, running):
    running.faults.truncate_rate = 1.0
    with pytest.raises(BadResponseError) as caught:
        await client.get_balance()
    assert caught.value.status == 200 and caught.value.model == "CreditBalanceResponse"


async def test_a_lost_deploy_answer_is_sent_once_and_flagged(client, running, sleep):
    running.faults.lose_answer = 1
    before = running.state.mutation_counts.copy()
    with pytest.raises(NetworkError) as caught:
        await client.deploy_instance(
            {"name": "lost-answer-1", "region": "NORWAY-1", "gpu_model": "L40", "gpu_count": 1,
             "boot_source": {"type": "os_image", "id": "os-no1-ubuntu-2204-r550-cuda124"}, "ssh_key_ids": ["key-0001"]}
        )
    assert caught.value.maybe_applied
    assert "refresh before trying again" in str(caught.value)
    assert sleep.delays == []
    sent = running.state.mutation_counts - before
    assert sum(sent.values()) == 1
    # It did happen: the refresh the message asks for shows the instance.
    assert "lost-answer-1" in {i.name for i in await client.list_instances()}
