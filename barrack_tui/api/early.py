"""A session's first reads, sent while the client that reads their answers is still loading.

Loading the client takes ~0.15 s (pydantic, the models, their validators) after the first frame, and the
first requests used to wait for it: their round trip, the server's work and, on a real network, the TLS
handshakes came after it. The wire (httpx and the connection) loads in about half that, so the session
opens it first and sends the first screen's reads on it (`EarlyReads`); the client, once loaded, takes
the wire over and, for each of those requests, the answer already on its way instead of sending it
again. Each request still goes out once.

An early answer is only ever given to the same request (method, path and query), once, and only within
`MAX_AGE` of being sent: a later poll reads afresh. A request that failed early (no connection, a
timeout) gives no answer: the client sends it itself and meets the failure with its usual retries and
messages. Only GETs are sent early; nothing that changes the account is ever sent ahead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from barrack_tui.api._httpx import httpx
from barrack_tui.api.routes import ROUTES
from barrack_tui.api.wire import Wire

__all__ = ["MAX_AGE", "EarlyReads"]

# Past this (seconds from sending), an answer nobody took is stale: the client reads afresh.
MAX_AGE = 10.0

_Key = tuple[str, str, tuple[tuple[str, str], ...]]


def _key(request: httpx.Request) -> _Key:
    # The query in any order: the client and the early reads build the same parameters, not always in
    # the same order.
    return request.method, request.url.path, tuple(sorted(request.url.params.multi_items()))


class EarlyReads:
    """GETs sent on `wire` now (needs a running event loop); each answer is kept for the same request once.

    `requests` are (operation, query parameters) pairs: the operation a ROUTES key of a GET without
    path parameters, a parameter of None left out as the client leaves it out.
    """

    def __init__(
        self,
        wire: Wire,
        requests: Iterable[tuple[str, Mapping[str, Any] | None]],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.wire = wire
        self._clock = clock
        self._sent_at = clock()
        self._pending: dict[_Key, asyncio.Task[httpx.Response | None]] = {}
        for op, params in requests:
            route = ROUTES[op]
            if route.method != "GET":
                raise ValueError(f"{op} is {route.method}: only reads are sent early")
            query = {name: value for name, value in (params or {}).items() if value is not None}
            request = wire.http.build_request("GET", route.url(), params=query or None)
            key = _key(request)
            if key not in self._pending:
                self._pending[key] = asyncio.ensure_future(self._read(request))

    @property
    def waiting(self) -> int:
        """How many early answers no request has taken yet."""
        return len(self._pending)

    async def _read(self, request: httpx.Request) -> httpx.Response | None:
        try:
            response = await self.wire.http.send(request, stream=True)
            try:
                await response.aread()
            finally:
                await response.aclose()
        except Exception:  # the client sends it again and reports what fails then, as it always does
            return None
        return response

    async def peek(self, op: str, params: Mapping[str, Any] | None = None) -> httpx.Response | None:
        """The early answer to `op` with `params` once it is in, left for its request to take; None if none."""
        query = {name: value for name, value in (params or {}).items() if value is not None}
        task = self._pending.get(_key(self.wire.http.build_request("GET", ROUTES[op].url(), params=query or None)))
        return None if task is None else await asyncio.shield(task)

    async def answer(self, request: httpx.Request) -> httpx.Response | None:
        """The early answer to `request` (waiting for it if it is still on its way), or None: send it."""
        task = self._pending.pop(_key(request), None)
        if task is None:
            return None
        if self._clock() - self._sent_at > MAX_AGE:
            task.cancel()
            return None
        return await task

    def drop(self) -> None:
        """Forget every answer not taken (its request is cancelled if still on its way)."""
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()

    async def aclose(self) -> None:
        """Drop what is left and close the wire: for a session that never took it over."""
        self.drop()
        await self.wire.http.aclose()
