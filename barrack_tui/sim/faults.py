"""Fault injection: the ways a real API misbehaves, switchable while the simulator runs.

`FaultConfig` is a plain mutable dataclass (a test or the demo's chaos
toggle flips its fields between requests); `FaultMiddleware` is a pure ASGI
middleware, so streamed responses (AI chat) pass through untouched when no
fault fires. `/openapi.json` is never faulted.

Per request, in this order:
1. `rate_limit_burst` > 0: answer 429 with `Retry-After: retry_after` (and count down).
2. `latency` seconds of delay.
3. `error_rate`: a 500 JSON `ErrorResponse`; `html_502_rate`: a proxy's HTML 502 page.
   Neither reaches the handler.
4. The handler runs. Then, for the answer:
   `lose_answer` (next N mutations) / `lose_answer_rate`: the mutation happened, the
   answer is lost (headers, then the connection drops before any body);
   `drop_rate`: the connection drops mid-body;
   `truncate_rate`: 200 with the JSON cut in half.
A dropped connection is a declared Content-Length that is never fulfilled:
over a socket httpx raises RemoteProtocolError; through httpx.ASGITransport
the middleware raises `ConnectionDropped`, itself an httpx.RemoteProtocolError,
so client code sees the same transport error either way.

httpx is imported only when a connection is first dropped: with its command
line (rich, pygments, click) it costs ~60 ms, which the `--demo` simulator
would otherwise pay before it serves, for a class it rarely raises.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import random
from dataclasses import dataclass
from typing import Any

from barrack_tui.sim.errors import error_body

Scope = dict[str, Any]
Message = dict[str, Any]

NEVER_FAULTED = frozenset({"/openapi.json"})
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

# Looked up at call time so tests can replace it and never really wait.
_sleep = asyncio.sleep


@functools.cache
def connection_dropped() -> type[Exception]:
    """`ConnectionDropped`, the httpx.RemoteProtocolError the middleware raises when it hangs up."""
    import httpx

    class ConnectionDropped(httpx.RemoteProtocolError):
        """The simulated server hung up mid-response."""

        def __init__(self) -> None:
            super().__init__("peer closed connection without sending complete message body (simulated fault)")

    return ConnectionDropped


def __getattr__(name: str) -> Any:
    if name == "ConnectionDropped":
        return connection_dropped()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _QuietDroppedConnections(logging.Filter):
    """uvicorn logs an app exception as an error; a simulated hang-up is not one."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        # Until the class exists no connection has been dropped: nothing to look up (or import) for other errors.
        if exc is None or connection_dropped.cache_info().currsize == 0:
            return True
        return not isinstance(exc, connection_dropped())


logging.getLogger("uvicorn.error").addFilter(_QuietDroppedConnections())


@dataclass
class FaultConfig:
    latency: float = 0.0
    error_rate: float = 0.0
    rate_limit_burst: int = 0
    retry_after: int = 1
    drop_rate: float = 0.0
    truncate_rate: float = 0.0
    html_502_rate: float = 0.0
    lose_answer: int = 0
    lose_answer_rate: float = 0.0
    seed: int = 0

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name == "seed":
            # Setting the seed (even to the same value) restarts the sequence: a test can replay it.
            self.__dict__["_rng"] = random.Random(value)

    def roll(self, rate: float) -> bool:
        """True with probability `rate`, drawn from the generator seeded by `seed`."""
        if rate <= 0:
            return False
        if rate >= 1:
            return True
        rng: random.Random = self.__dict__["_rng"]
        return rng.random() < rate

    def clear(self) -> None:
        """Back to a well-behaved server."""
        self.latency = self.error_rate = self.drop_rate = self.truncate_rate = 0.0
        self.html_502_rate = self.lose_answer_rate = 0.0
        self.rate_limit_burst = self.lose_answer = 0


def _json_response(status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> list[Message]:
    payload = json.dumps(body).encode()
    start_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    return [
        {"type": "http.response.start", "status": status, "headers": start_headers + (headers or [])},
        {"type": "http.response.body", "body": payload, "more_body": False},
    ]


class FaultMiddleware:
    """Pure ASGI: decides per request which fault (if any) to inject."""

    def __init__(self, app: Any, config: FaultConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in NEVER_FAULTED:
            await self.app(scope, receive, send)
            return
        config = self.config
        if config.rate_limit_burst > 0:
            config.rate_limit_burst -= 1
            body = error_body("RATE_LIMITED", "Too many requests. Slow down and retry after the indicated delay.")
            for message in _json_response(429, body, [(b"retry-after", str(config.retry_after).encode())]):
                await send(message)
            return
        if config.latency > 0:
            await _sleep(min(config.latency, 2.0))
        if config.roll(config.error_rate):
            for message in _json_response(500, error_body("INTERNAL_ERROR", "Simulated server error")):
                await send(message)
            return
        if config.roll(config.html_502_rate):
            await send({"type": "http.response.start", "status": 502, "headers": [
                (b"content-type", b"text/html"), (b"content-length", str(len(HTML_502)).encode())]})
            await send({"type": "http.response.body", "body": HTML_502, "more_body": False})
            return

        fault = self._answer_fault(scope)
        if fault is None:
            await self.app(scope, receive, send)
            return
        messages = await self._run_buffered(scope, receive)
        start = next(m for m in messages if m["type"] == "http.response.start")
        content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if fault == "truncate":
            cut = content[: max(1, len(content) // 2)]
            headers.append((b"content-length", str(len(cut)).encode()))
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": cut, "more_body": False})
            return
        # "drop" and "lose": promise the whole body, deliver part (or none) of it, hang up.
        headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        if fault == "drop" and len(content) > 1:
            await send({"type": "http.response.body", "body": content[: len(content) // 2], "more_body": True})
        raise connection_dropped()()

    def _answer_fault(self, scope: Scope) -> str | None:
        config = self.config
        if scope.get("method") in MUTATING_METHODS:
            if config.lose_answer > 0:
                config.lose_answer -= 1
                return "lose"
            if config.roll(config.lose_answer_rate):
                return "lose"
        if config.roll(config.drop_rate):
            return "drop"
        if config.roll(config.truncate_rate):
            return "truncate"
        return None

    async def _run_buffered(self, scope: Scope, receive: Any) -> list[Message]:
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)
        return messages
