"""A session's first reads, sent while the client that reads their answers is still loading.

Loading the client takes ~0.2 s (httpx, pydantic, the models, their validators) after the first frame,
and the first requests used to wait for it: their round trip, the server's work and, on a real network,
the TLS handshakes came after it. A GET needs none of that: `EarlyReads` sends the first screen's reads
at once, each on a connection of its own (`early_fetch`: asyncio and h11), and the client, once loaded,
is given for each of those requests the answer already on its way instead of sending it again. Each
request still goes out once. The first screen may paint the answers meanwhile (`peek`, api/first_look.py).

An early answer is only ever given to the same request (method, path and query), once, and only within
`MAX_AGE` of being sent: a later poll reads afresh. A request that failed early (no connection, a
timeout, anything unexpected) gives no answer: the client sends it itself and meets the failure with its
usual retries and messages. Only GETs are sent early; nothing that changes the account is ever sent
ahead. Where the client would go through a proxy (a proxy variable set, the server not on this
machine), nothing is sent early: the client alone speaks to proxies. With an injected httpx transport
(the tests' in-process simulator) the reads go through it instead.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from barrack_tui.api.headers import client_headers, origin_of
from barrack_tui.api.routes import ROUTES
from barrack_tui.api.transport import check_base_url, is_loopback_host, tls_for

if TYPE_CHECKING:
    from barrack_tui.api._httpx import httpx

__all__ = ["MAX_AGE", "Answer", "EarlyReads"]

# Past this (seconds from sending), an answer nobody took is stale: the client reads afresh.
MAX_AGE = 10.0
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")

_Key = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Answer:
    """An early read's answer as it came: status, headers, body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _key(path: str, query: Iterable[tuple[str, str]]) -> _Key:
    # The query in any order: the client and the early reads build the same parameters, not always in
    # the same order.
    return path, tuple(sorted(query))


def _query(params: Mapping[str, Any] | None) -> dict[str, str]:
    return {name: str(value) for name, value in (params or {}).items() if value is not None}


def _through_a_proxy(base_url: str) -> bool:
    parts = urlsplit(base_url)
    if parts.scheme == "http" and is_loopback_host(parts.hostname or ""):
        return False  # the client turns proxies off for plain http on this machine (api/transport.py)
    return any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES)


class EarlyReads:
    """GETs sent now (needs a running event loop); each answer is kept for the same request, once.

    `requests` are (operation, query parameters) pairs: the operation a ROUTES key of a GET without
    path parameters, a parameter of None left out as the client leaves it out. Raises what the client
    would raise for the same base URL and key (`ValueError`, `TransportSetupError`), before sending.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        requests: Iterable[tuple[str, Mapping[str, Any] | None]],
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url, _ = origin_of(base_url)
        headers = client_headers(api_key)
        self._clock = clock
        self._sent_at = clock()
        self._pending: dict[_Key, asyncio.Task[Answer | None]] = {}
        self._http: Any = None
        if transport is None:
            check_base_url(self.base_url, allow_insecure_http=allow_insecure_http)
            if _through_a_proxy(self.base_url):
                return
            tls = tls_for(self.base_url) if self.base_url.startswith("https:") else None
        else:
            from barrack_tui.api.wire import Timeouts, open_wire

            timeouts = Timeouts(connect=connect_timeout, read=read_timeout)
            self._http = open_wire(self.base_url, api_key, timeouts=timeouts, transport=transport).http
        for op, params in requests:
            route = ROUTES[op]
            if route.method != "GET":
                raise ValueError(f"{op} is {route.method}: only reads are sent early")
            query = _query(params)
            key = _key(self._path(op), query.items())
            if self._http is not None:
                read = self._read_through(route.url(), query)
            else:
                url = self.base_url.removesuffix(urlsplit(self.base_url).path) + self._path(op)
                url += f"?{urlencode(query)}" if query else ""
                read = self._fetch(url, list(headers.items()), tls, connect_timeout, read_timeout)
            if key in self._pending:
                read.close()
            else:
                self._pending[key] = asyncio.ensure_future(read)

    def _path(self, op: str) -> str:
        # As httpx joins the client's base URL and a route: the base URL's own path first.
        return urlsplit(self.base_url).path.rstrip("/") + ROUTES[op].url()

    @property
    def waiting(self) -> int:
        """How many early answers no request has taken yet."""
        return len(self._pending)

    async def _fetch(self, url: str, headers: list[tuple[str, str]], tls: Any, connect: float, read: float) -> Answer | None:
        from barrack_tui.api.early_fetch import fetch

        try:
            raw = await fetch(url, headers, tls=tls, connect_timeout=connect, read_timeout=read)
        except Exception:  # the client sends it again and reports what fails then, as it always does
            return None
        return Answer(raw.status, raw.headers, raw.body)

    async def _read_through(self, url: str, query: dict[str, str]) -> Answer | None:
        try:
            response = await self._http.get(url, params=query or None)
        except Exception:  # as above
            return None
        return Answer(response.status_code, list(response.headers.raw), response.content)

    async def peek(self, op: str, params: Mapping[str, Any] | None = None) -> Answer | None:
        """The early answer to `op` with `params` once it is in, left for its request to take; None if none."""
        task = self._pending.get(_key(self._path(op), _query(params).items()))
        return None if task is None else await asyncio.shield(task)

    async def answer(self, request: httpx.Request) -> httpx.Response | None:
        """The early answer to `request` (waiting for it if it is still on its way), or None: send it."""
        from barrack_tui.api._httpx import httpx

        if request.method != "GET":
            return None
        task = self._pending.pop(_key(request.url.path, request.url.params.multi_items()), None)
        if task is None:
            return None
        if self._clock() - self._sent_at > MAX_AGE:
            task.cancel()
            answer = None
        else:
            answer = await task
        if not self._pending:
            self._close_http()
        if answer is None:
            return None
        # The body as it came (never compressed: early_fetch refuses that), so its framing headers go.
        headers = [(n, v) for n, v in answer.headers if n.lower() not in (b"transfer-encoding", b"content-length")]
        return httpx.Response(answer.status, headers=headers, content=answer.body, request=request)

    def _close_http(self) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            asyncio.ensure_future(http.aclose())

    def drop(self) -> None:
        """Forget every answer not taken (its request is cancelled if still on its way)."""
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()
        self._close_http()
