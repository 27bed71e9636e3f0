"""The client's connection: one configured httpx client, built without the models.

`BarrackClient` sends every request through the client `open_wire` builds. It lives apart from the
client so that a session can open it, and send its first reads (`api/early.py`), while pydantic and the
models are still loading: nothing here imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from barrack_tui.api._httpx import httpx
from barrack_tui.api.headers import client_headers, origin_of
from barrack_tui.api.transport import connection_options

__all__ = ["Timeouts", "Wire", "open_wire"]


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for each phase of a request."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class Wire:
    """An open connection to one server with one key: what a client sends through."""

    base_url: str
    origin: str
    http: httpx.AsyncClient


def open_wire(
    base_url: str,
    api_key: str,
    *,
    timeouts: Timeouts = Timeouts(),
    transport: httpx.AsyncBaseTransport | None = None,
    allow_insecure_http: bool = False,
) -> Wire:
    """The httpx client for `base_url` with `api_key`: headers, timeouts, TLS and proxies (transport.py).

    Raises ValueError for a key that cannot be a header and a base URL that is not http(s), and
    `TransportSetupError` for a connection that cannot be made safely (http to another machine).
    """
    headers = client_headers(api_key)
    url, origin = origin_of(base_url)
    http = httpx.AsyncClient(
        base_url=url,
        headers=headers,
        timeout=timeouts.to_httpx(),
        follow_redirects=False,
        transport=transport,
        # Refuses http to another machine unless opted in; verifying TLS context and proxy use (transport.py).
        **connection_options(url, injected=transport is not None, allow_insecure_http=allow_insecure_http),
    )
    return Wire(url, origin, http)
