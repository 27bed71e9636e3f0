"""The client's connection: one configured httpx client, built without the models.

`BarrackClient` sends every request through the client `open_wire` builds. It lives apart from the
client so that a session can open it, and send its first reads (`api/early.py`), while pydantic and the
models are still loading: nothing here imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from barrack_tui import __version__
from barrack_tui.api._httpx import httpx
from barrack_tui.api.errors import clean_text
from barrack_tui.api.pages import DEFAULT_PER_PAGE
from barrack_tui.api.routes import API_PREFIX
from barrack_tui.api.transport import connection_options

__all__ = ["DEFAULT_PER_PAGE", "Timeouts", "Wire", "check_key", "open_wire", "origin_of"]


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for each phase of a request."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


def check_key(api_key: str) -> None:
    # A header value with spaces, newlines or non-ASCII makes httpx/h11 raise an
    # error that quotes the header, key included; refuse it before that can happen.
    if any(not ("\x21" <= ch <= "\x7e") for ch in api_key):
        raise ValueError(
            "The API key contains spaces, line breaks or non-ASCII characters; copy it again from your Barrack account."
        )


def origin_of(base_url: str) -> tuple[str, str]:
    """(base URL without the /api/v1 suffix, scheme://host[:port] for messages, never any userinfo)."""
    url = base_url.strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"The base URL must start with https:// or http:// and name a host, not {clean_text(url)!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = f":{parts.port}" if parts.port else ""
    return url, f"{parts.scheme}://{host}{port}"


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
    check_key(api_key)
    url, origin = origin_of(base_url)
    headers = {"User-Agent": f"barrack-tui/{__version__}", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
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
