"""Retries as a user experiences them: transient failures absorbed, mutations never sent twice by accident."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime

import httpx
import pytest

from barrack_tui.api.errors import NetworkError, NotFoundError, RateLimitedError, RuleRefusedError, ServerError
from barrack_tui.api.retry import backoff_delay, may_retry_exception, may_retry_status, parse_retry_after
from tests.api.scripted import (
    BALANCE,
    FakeSleep,
    ScriptedTransport,
    error_body,
    fail,
    instance_wire,
    make_client,
    reply,
)

UNAVAILABLE = reply(503, json=error_body("UNAVAILABLE", "Service Unavailable"))
DEPLOYED = reply(201, json={"deployment_id": "DEP0000001", "instance": instance_wire(status="CREATING")})
SCRIPT = {"id": "scr-0001", "name": "setup", "content": "echo hi\n", "created_at": "2026-11-18T08:00:00Z",
          "updated_at": "2026-11-18T08:00:00Z"}


def deployment() -> dict:
    return {
        "name": "gpu-train-9",
        "region": "NORWAY-1",
        "gpu_model": "H100-SXM5-80GB",
        "gpu_count": 1,
        "boot_source": {"type": "os_image", "id": "img-ubuntu-22"},
        "ssh_key_ids": ["key-0001"],
    }


async def test_get_recovers_after_three_503s():
    transport = ScriptedTransport(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, reply(200, json=BALANCE))
    sleep = FakeSleep()
    async with make_client(transport, sleep=sleep) as client:
        balance = await client.get_balance()
    assert balance.balances[0].amount == Decimal("500.00")
    assert len(transport.requests) == 4
    assert sleep.delays == [0.5, 1.0, 2.0]  # random() == 1.0: the top of each jitter band
    assert transport.open_streams == []


async def test_four_503s_raise_server_error_naming_503_and_leave_no_connection_open():
    transport = ScriptedTransport(UNAVAILABLE)
    async with make_client(transport) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_balance()
    assert len(transport.requests) == 4
    assert caught.value.status == 503
    assert "503" in str(caught.value)
    assert len(transport.streams) == 4 and transport.open_streams == []


async def test_retry_after_seconds_is_waited_exactly_once():
    transport = ScriptedTransport(
        reply(429, json=error_body("RATE_LIMITED", "Too many requests"), headers={"Retry-After": "7"}),
        reply(200, json=BALANCE),
    )
    sleep = FakeSleep()
    async with make_client(transport, sleep=sleep) as client:
        await client.get_balance()
    assert sleep.delays == [7.0]
    assert len(transport.requests) == 2


async def test_retry_after_over_a_minute_is_not_waited_and_says_when():
    transport = ScriptedTransport(reply(429, json=error_body("RATE_LIMITED", "Slow down"), headers={"Retry-After": "3600"}))
    sleep = FakeSleep()
    async with make_client(transport, sleep=sleep) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.list_regions()
    assert len(transport.requests) == 1
    assert sleep.delays == []
    assert caught.value.retry_after == 3600
    assert str(caught.value) == "Rate limited; retry in 60 min"
    assert transport.open_streams == []


async def test_retry_after_as_http_date_is_honoured():
    now = 1_795_000_000.0
    when = format_datetime(datetime.fromtimestamp(now + 12, UTC), usegmt=True)
    transport = ScriptedTransport(reply(503, headers={"Retry-After": when}), reply(200, json=BALANCE))
    sleep = FakeSleep()
    async with make_client(transport, sleep=sleep, now=lambda: now) as client:
        await client.get_balance()
    assert sleep.delays == [12.0]


async def test_503_asking_for_an_hour_is_not_retried_and_names_the_wait():
    transport = ScriptedTransport(reply(503, json=error_body("MAINTENANCE", "Down for maintenance"),
                                        headers={"Retry-After": "7200"}))
    async with make_client(transport) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_balance()
    assert len(transport.requests) == 1
    assert caught.value.retry_after == 7200
    assert "Try again in 120 min" in str(caught.value)


async def test_post_is_not_retried_after_a_503():
    transport = ScriptedTransport(UNAVAILABLE, DEPLOYED)
    sleep = FakeSleep()
    async with make_client(transport, sleep=sleep) as client:
        with pytest.raises(ServerError):
            await client.deploy_instance(deployment())
    assert len(transport.requests) == 1
    assert sleep.delays == []


async def test_post_is_retried_when_the_connection_was_never_made():
    transport = ScriptedTransport(fail(httpx.ConnectError, "[Errno 111] Connection refused"), DEPLOYED)
    async with make_client(transport) as client:
        result = await client.deploy_instance(deployment())
    assert len(transport.requests) == 2
    assert result.deployment_id == "DEP0000001"
    assert transport.bodies()[0] == transport.bodies()[1]


async def test_post_is_retried_after_a_connect_timeout():
    transport = ScriptedTransport(fail(httpx.ConnectTimeout), DEPLOYED)
    async with make_client(transport) as client:
        await client.deploy_instance(deployment())
    assert len(transport.requests) == 2


async def test_post_is_not_retried_after_a_read_timeout_and_warns_it_may_have_happened():
    transport = ScriptedTransport(fail(httpx.ReadTimeout), DEPLOYED)
    async with make_client(transport) as client:
        with pytest.raises(NetworkError) as caught:
            await client.deploy_instance(deployment())
    assert len(transport.requests) == 1
    assert caught.value.maybe_applied
    assert "no answer within 30 s" in str(caught.value)
    assert "may have reached the server" in str(caught.value)


@pytest.mark.parametrize("exc_type", [httpx.RemoteProtocolError, httpx.ReadError])
async def test_post_is_not_retried_after_the_connection_dropped(exc_type):
    transport = ScriptedTransport(fail(exc_type), DEPLOYED)
    async with make_client(transport) as client:
        with pytest.raises(NetworkError):
            await client.deploy_instance(deployment())
    assert len(transport.requests) == 1


async def test_post_is_not_retried_on_429():
    transport = ScriptedTransport(reply(429, headers={"Retry-After": "2"}), DEPLOYED)
    async with make_client(transport) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.deploy_instance(deployment())
    assert len(transport.requests) == 1
    assert caught.value.retry_after == 2


@pytest.mark.parametrize(
    "exc_type", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError]
)
async def test_get_is_retried_after_transport_failures(exc_type):
    transport = ScriptedTransport(fail(exc_type), fail(exc_type), reply(200, json=BALANCE))
    async with make_client(transport) as client:
        await client.get_balance()
    assert len(transport.requests) == 3


async def test_get_that_never_connects_names_the_host_after_four_attempts():
    transport = ScriptedTransport(fail(httpx.ConnectError, "[Errno 111] Connection refused"))
    sleep = FakeSleep()
    async with make_client(transport, sleep=sleep) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_instances()
    assert len(transport.requests) == 4
    assert str(caught.value) == "Could not reach http://sim.test: connection refused"
    assert caught.value.status == 0
    assert not caught.value.maybe_applied


async def test_put_is_not_sent_again_after_a_gateway_error():
    # DESIGN.md: no automatic retry of POST/PUT unless the request provably never reached the server.
    transport = ScriptedTransport(reply(502), reply(200, json=SCRIPT))
    async with make_client(transport) as client:
        with pytest.raises(ServerError):
            await client.update_script("scr-0001", content="echo hi\n")
    assert [r.method for r in transport.requests] == ["PUT"]


def test_put_is_retried_when_the_connection_was_never_made():
    request = httpx.Request("PUT", "http://sim.test/api/v1/scripts/scr-0001")
    assert may_retry_exception("PUT", httpx.ConnectError("x", request=request))
    assert not may_retry_exception("PUT", httpx.RemoteProtocolError("x", request=request))


async def test_delete_answered_404_after_a_lost_first_answer_counts_as_done():
    transport = ScriptedTransport(
        reply(504), reply(404, json=error_body("NOT_FOUND", "Volume vol-0001 not found"))
    )
    async with make_client(transport) as client:
        result = await client.delete_volume("vol-0001")
    assert result.message == "Already deleted"
    assert len(transport.requests) == 2


async def test_delete_of_an_unknown_id_is_still_not_found():
    transport = ScriptedTransport(reply(404, json=error_body("NOT_FOUND", "Volume vol-9 not found")))
    async with make_client(transport) as client:
        with pytest.raises(NotFoundError):
            await client.delete_volume("vol-9")
    assert len(transport.requests) == 1


async def test_a_rule_refusal_is_not_retried():
    transport = ScriptedTransport(reply(400, json=error_body("V7", "Detach the volume before deleting it")))
    async with make_client(transport) as client:
        with pytest.raises(RuleRefusedError):
            await client.delete_volume("vol-0001")
    assert len(transport.requests) == 1


async def test_max_retries_zero_sends_once():
    transport = ScriptedTransport(UNAVAILABLE)
    async with make_client(transport, max_retries=0) as client:
        with pytest.raises(ServerError):
            await client.get_balance()
    assert len(transport.requests) == 1


async def test_the_observer_sees_every_attempt_without_headers_or_bodies():
    seen: list[tuple] = []
    transport = ScriptedTransport(fail(httpx.ConnectError), UNAVAILABLE, reply(200, json={"instance": instance_wire()}))
    async with make_client(transport, on_response=lambda *args: seen.append(args)) as client:
        await client.get_instance("ins-0001")
    assert [(m, p, s) for m, p, s, _ in seen] == [
        ("GET", "/instances/{id}", 0),
        ("GET", "/instances/{id}", 503),
        ("GET", "/instances/{id}", 200),
    ]
    assert all(isinstance(elapsed, float) and elapsed >= 0 for *_, elapsed in seen)


async def test_a_failing_observer_does_not_fail_the_request():
    def broken(*_args):
        raise RuntimeError("observer bug")

    async with make_client(ScriptedTransport(reply(200, json=BALANCE)), on_response=broken) as client:
        assert (await client.get_balance()).currency == "USD"


def test_backoff_schedule_is_capped_and_jittered_with_the_injected_random():
    assert [backoff_delay(n, lambda: 1.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert [backoff_delay(n, lambda: 0.0) for n in range(3)] == [0.25, 0.5, 1.0]
    assert backoff_delay(10, lambda: 0.5) == 6.0


def test_retry_after_parsing():
    assert parse_retry_after("7", now=0) == 7.0
    assert parse_retry_after(None, now=0) is None
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=30) == 30.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=90) == 0.0


@pytest.mark.parametrize("method", ["GET", "DELETE"])
@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_idempotent_methods_retry_transient_statuses(method, status):
    assert may_retry_status(method, status)
    assert not may_retry_status("POST", status)
    assert not may_retry_status("PUT", status)


@pytest.mark.parametrize("status", [400, 401, 402, 404, 409, 422, 501])
def test_client_errors_are_never_retried(status):
    assert not may_retry_status("GET", status)


def test_post_retries_only_when_the_request_never_left():
    request = httpx.Request("POST", "http://sim.test/api/v1/instances")
    assert may_retry_exception("POST", httpx.ConnectError("x", request=request))
    assert may_retry_exception("POST", httpx.ConnectTimeout("x", request=request))
    for exc_type in (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout, httpx.RemoteProtocolError, httpx.ReadError):
        assert not may_retry_exception("POST", exc_type("x", request=request))
    assert not may_retry_exception("GET", httpx.LocalProtocolError("x", request=request))
