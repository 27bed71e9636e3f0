"""`ChatStream`: a streamed chat completion, read as text deltas from a text/event-stream answer.

The request is sent when the stream is awaited or first iterated. Text
already yielded stays with the caller when the stream fails later: a dropped
connection or an SSE error event raises an `ApiError` subclass only after
the deltas before it. Whatever ends the iteration (the end of the answer, an
error, `aclose()`, `break` inside `async with`, task cancellation) closes
the HTTP response.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterable
from typing import Any

import pydantic

from barrack_tui.api._httpx import httpx
from barrack_tui.api.errors import BadResponseError, NetworkError, bad_model_error, error_from_event
from barrack_tui.api.models import ChatCompletionChunk, ChatCompletionsResponse, ChatUsage

DONE = "[DONE]"


async def sse_events(lines: AsyncIterator[str]) -> AsyncIterator[tuple[str, str]]:
    """(event type, data) for each server-sent event; comments and id/retry fields are skipped."""
    event_type = "message"
    data: list[str] = []
    async for line in lines:
        if not line:
            if data:
                yield event_type, "\n".join(data)
            event_type, data = "message", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            data.append(value)
        elif field == "event":
            event_type = value or "message"
    if data:
        # A stream cut right after a data line still delivers that line.
        yield event_type, "\n".join(data)


def _payloads(data: str) -> list[str]:
    """The JSON documents of one event: normally one; several when a server omits the blank lines between events."""
    if data == DONE or "\n" not in data:
        return [data]
    try:
        json.loads(data)
    except ValueError:
        return [line for line in data.split("\n") if line.strip()]
    return [data]


class ChatStream:
    """Async-iterates the text deltas of one answer; afterwards `usage`, `finish_reason` and `text` are set."""

    def __init__(self, opener: Callable[[], Awaitable[httpx.Response]], *, target: str, secrets: Iterable[str] = ()) -> None:
        self._opener = opener
        self._target = target
        self._secrets = tuple(secrets)
        self._response: httpx.Response | None = None
        self._deltas: AsyncGenerator[str, None] | None = None
        self._closed = False
        self.usage: ChatUsage | None = None
        self.finish_reason: str | None = None
        self.model: str | None = None
        self._parts: list[str] = []

    @property
    def text(self) -> str:
        """Everything yielded so far."""
        return "".join(self._parts)

    async def open(self) -> ChatStream:
        """Send the request now (raising its error, if any) instead of at the first iteration."""
        if self._closed:
            raise RuntimeError("this chat stream is closed")
        if self._response is None:
            self._response = await self._opener()
        return self

    def __await__(self) -> Generator[Any, None, ChatStream]:
        return self.open().__await__()

    def __aiter__(self) -> ChatStream:
        return self

    async def __anext__(self) -> str:
        if self._deltas is None:
            if self._closed:
                raise StopAsyncIteration
            self._deltas = self._read()
        return await self._deltas.__anext__()

    async def aclose(self) -> None:
        self._closed = True
        if self._deltas is not None:
            try:
                await self._deltas.aclose()
            except RuntimeError:
                # Still running in another task: closing the response below ends it there.
                pass
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> ChatStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _read(self) -> AsyncGenerator[str, None]:
        await self.open()
        response = self._response
        assert response is not None
        try:
            content_type = response.headers.get("content-type", "")
            if "text/event-stream" not in content_type:
                # A server that ignored stream=true answered with one plain completion.
                await response.aread()
                for text in self._whole_answer(response):
                    yield text
                return
            finished = False
            async for event_type, data in sse_events(response.aiter_lines()):
                for payload in _payloads(data):
                    if payload == DONE:
                        finished = True
                        break
                    text = self._apply(payload, response.status_code, is_error=event_type == "error")
                    if text:
                        self._parts.append(text)
                        yield text
                if finished:
                    break
            if not finished and self.finish_reason is None:
                raise NetworkError(message="the answer stopped before it was complete", target=self._target)
        except (httpx.TransportError, httpx.DecodingError):
            raise NetworkError(
                message="the connection dropped mid-answer; the text so far is kept", target=self._target
            ) from None
        finally:
            await response.aclose()

    def _apply(self, payload: str, status: int, *, is_error: bool) -> str:
        try:
            raw = json.loads(payload)
        except ValueError:
            raise BadResponseError(status, message="a stream event that is not JSON") from None
        if is_error or (isinstance(raw, dict) and "error" in raw):
            error = raw.get("error", raw) if isinstance(raw, dict) else raw
            raise error_from_event(error, self._secrets)
        try:
            chunk = ChatCompletionChunk.model_validate(raw)
        except pydantic.ValidationError as exc:
            raise bad_model_error(status, ChatCompletionChunk, exc) from None
        if chunk.usage is not None:
            self.usage = chunk.usage
        if chunk.model:
            self.model = chunk.model
        if not chunk.choices:
            return ""
        choice = chunk.choices[0]
        if choice.finish_reason is not None:
            self.finish_reason = choice.finish_reason
        return choice.delta.content or ""

    def _whole_answer(self, response: httpx.Response) -> list[str]:
        try:
            answer = ChatCompletionsResponse.model_validate_json(response.content)
        except pydantic.ValidationError as exc:
            if any(err["type"] == "json_invalid" for err in exc.errors(include_input=False)):
                raise BadResponseError(response.status_code, message="neither an event stream nor JSON") from None
            raise bad_model_error(response.status_code, ChatCompletionsResponse, exc) from None
        self.usage = answer.usage
        self.model = answer.model
        if not answer.choices:
            return []
        self.finish_reason = answer.choices[0].finish_reason
        text = answer.choices[0].message.content
        self._parts.append(text)
        return [text] if text else []
