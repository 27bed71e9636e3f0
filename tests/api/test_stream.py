"""Streamed chat: text as it is written, usage at the end, errors after the text already shown, no leaked responses."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from barrack_tui.api.errors import AuthError, BadResponseError, NetworkError, RateLimitedError, ServerError
from tests.api.scripted import ScriptedTransport, error_body, fail, make_client, reply

REQUEST = {"model": "barrack-assist", "messages": [{"role": "user", "content": "what am I paying for?"}]}
SSE = {"content-type": "text/event-stream; charset=utf-8"}


def event(payload) -> bytes:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n".encode()


def delta(text: str, **extra) -> bytes:
    return event({"id": "c1", "model": "barrack-assist", "choices": [{"index": 0, "delta": {"content": text}, **extra}]})


FINAL = event({"id": "c1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}})


async def collect(stream) -> list[str]:
    return [text async for text in stream]


async def test_deltas_stream_in_order_and_usage_is_set_at_the_end():
    transport = ScriptedTransport(
        reply(200, headers=SSE, parts=[b": keep-alive\n\n", delta("You pay "), delta(""), delta("for 3 GPUs"), FINAL,
                                       event("[DONE]")])
    )
    async with make_client(transport) as client:
        stream = client.stream_chat_completion(REQUEST)
        assert await collect(stream) == ["You pay ", "for 3 GPUs"]
    assert stream.text == "You pay for 3 GPUs"
    assert stream.finish_reason == "stop"
    assert stream.usage.total_tokens == 8
    assert transport.bodies()[0]["stream"] is True
    assert transport.open_streams == []


async def test_events_split_across_network_reads_and_without_blank_lines_still_parse():
    body = delta("Hello") + delta(" world") + FINAL + event("[DONE]")
    compact = body.replace(b"\n\n", b"\n")
    transport = ScriptedTransport(reply(200, headers=SSE, parts=[compact[:7], compact[7:31], compact[31:]]))
    async with make_client(transport) as client:
        assert "".join(await collect(client.stream_chat_completion(REQUEST))) == "Hello world"


async def test_awaiting_the_stream_sends_the_request_and_raises_its_error():
    transport = ScriptedTransport(reply(401, json=error_body("UNAUTHORIZED", "bad key")))
    async with make_client(transport) as client:
        with pytest.raises(AuthError):
            await client.stream_chat_completion(REQUEST)
    assert transport.open_streams == []


async def test_an_error_event_raises_after_the_text_already_yielded():
    transport = ScriptedTransport(
        reply(200, headers=SSE, parts=[delta("Partial "), delta("answer"),
                                       event({"error": {"code": "MODEL_OVERLOADED", "message": "The model is overloaded"}})])
    )
    received: list[str] = []
    async with make_client(transport) as client:
        with pytest.raises(ServerError) as caught:
            async for text in client.stream_chat_completion(REQUEST):
                received.append(text)
    assert received == ["Partial ", "answer"]
    assert caught.value.code == "MODEL_OVERLOADED"
    assert "The model is overloaded" in str(caught.value)
    assert transport.open_streams == []
    assert len(transport.requests) == 1


async def test_a_rate_limit_event_mid_stream_is_a_rate_limit():
    transport = ScriptedTransport(
        reply(200, headers=SSE, parts=[delta("a"), event({"error": {"status": 429, "code": "RATE_LIMITED", "message": "x"}})])
    )
    async with make_client(transport) as client:
        with pytest.raises(RateLimitedError):
            await collect(client.stream_chat_completion(REQUEST))


async def test_a_dropped_connection_raises_after_the_text_and_is_not_retried():
    transport = ScriptedTransport(
        reply(200, headers=SSE, parts=[delta("Half an "), httpx.RemoteProtocolError("peer closed connection")])
    )
    stream = None
    received: list[str] = []
    async with make_client(transport) as client:
        stream = client.stream_chat_completion(REQUEST)
        with pytest.raises(NetworkError) as caught:
            async for text in stream:
                received.append(text)
    assert received == ["Half an "] and stream.text == "Half an "
    assert "dropped mid-answer" in str(caught.value)
    assert len(transport.requests) == 1
    assert transport.open_streams == []


async def test_an_answer_that_ends_without_done_or_finish_is_reported():
    transport = ScriptedTransport(reply(200, headers=SSE, parts=[delta("cut")]))
    async with make_client(transport) as client:
        with pytest.raises(NetworkError, match="stopped before it was complete"):
            await collect(client.stream_chat_completion(REQUEST))


async def test_a_garbled_event_is_a_bad_response():
    transport = ScriptedTransport(reply(200, headers=SSE, parts=[delta("ok"), b"data: {\"choices\": [\n\n"]))
    async with make_client(transport) as client:
        with pytest.raises(BadResponseError):
            await collect(client.stream_chat_completion(REQUEST))
    assert transport.open_streams == []


async def test_a_server_that_ignores_stream_true_still_answers():
    answer = {"id": "c1", "model": "barrack-assist", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "All at once"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 3, "total_tokens": 4}}
    transport = ScriptedTransport(reply(200, json=answer))
    async with make_client(transport) as client:
        stream = client.stream_chat_completion(REQUEST)
        assert await collect(stream) == ["All at once"]
    assert stream.usage.total_tokens == 4 and stream.finish_reason == "stop"


async def test_the_stream_is_retried_only_when_the_connection_was_never_made():
    transport = ScriptedTransport(
        fail(httpx.ConnectError, "refused"), reply(200, headers=SSE, parts=[delta("hi"), FINAL, event("[DONE]")])
    )
    async with make_client(transport) as client:
        assert await collect(client.stream_chat_completion(REQUEST)) == ["hi"]
    assert len(transport.requests) == 2


async def test_breaking_out_inside_async_with_closes_the_response():
    gate = asyncio.Event()
    transport = ScriptedTransport(reply(200, headers=SSE, parts=[delta("first"), b"", delta("never")], gate=gate))
    async with make_client(transport) as client:
        async with client.stream_chat_completion(REQUEST) as stream:
            async for text in stream:
                assert text == "first"
                break
        assert transport.open_streams == []


async def test_cancelling_the_reading_task_closes_the_response():
    gate = asyncio.Event()  # never set: the server "thinks" forever after the first delta
    transport = ScriptedTransport(reply(200, headers=SSE, parts=[delta("first"), b"", delta("never")], gate=gate))
    got_first = asyncio.Event()

    async def read(client):
        async for _ in client.stream_chat_completion(REQUEST):
            got_first.set()

    async with make_client(transport) as client:
        task = asyncio.create_task(read(client))
        await asyncio.wait_for(got_first.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert transport.open_streams == []


async def test_plain_completion_sends_stream_false():
    answer = {"id": "c1", "model": "m", "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}]}
    transport = ScriptedTransport(reply(200, json=answer))
    async with make_client(transport) as client:
        result = await client.chat_completion(dict(REQUEST, stream=True))
    assert result.choices[0].message.content == "hi"
    assert transport.bodies()[0]["stream"] is False
