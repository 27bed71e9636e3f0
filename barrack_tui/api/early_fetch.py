"""One GET on a connection of its own, with asyncio and h11 only: how the first reads go out before httpx loads.

httpx, httpcore and anyio take ~70 ms to import; asyncio, ssl and h11 (httpx's own HTTP/1.1 parser, ~10 ms)
are all a GET needs. Only what the client would send is sent: the same headers, over TLS verified with the
client's trust anchors, or plain http where the client allows it. Anything unexpected (a protocol error, a
compressed body, an answer over `MAX_BODY`, a timeout) raises, and the client sends that read itself.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import h11

__all__ = ["MAX_BODY", "RawAnswer", "fetch"]

# Bigger than any first page a server sends (10,000 instances are ~5 MB).
MAX_BODY = 256 * 1024 * 1024
# Read in big pieces: a 5 MB answer read 64 KB at a time took twice as long to come in.
_CHUNK = 1 << 20


class FetchError(Exception):
    """The answer cannot be used as it came: the client asks again."""


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


async def fetch(
    url: str,
    headers: Sequence[tuple[str, str]],
    *,
    tls: ssl.SSLContext | None,
    connect_timeout: float,
    read_timeout: float,
) -> RawAnswer:
    """GET `url` (http, or https with `tls`) with `headers`; the whole answer, or an exception."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    if secure and tls is None:
        raise FetchError("https needs a TLS context")
    port = parts.port or (443 if secure else 80)
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            host, port, ssl=tls if secure else None, server_hostname=host if secure else None, limit=_CHUNK
        ),
        connect_timeout,
    )
    try:
        connection = h11.Connection(h11.CLIENT)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        authority = f"[{host}]" if ":" in host else host
        if parts.port:
            authority += f":{parts.port}"
        request = h11.Request(
            method="GET", target=target or "/", headers=[("Host", authority), *headers, ("Connection", "close")]
        )
        writer.write(connection.send(request) + connection.send(h11.EndOfMessage()))
        await asyncio.wait_for(writer.drain(), read_timeout)
        return await _read(connection, reader, read_timeout)
    finally:
        writer.close()


async def _read(connection: h11.Connection, reader: asyncio.StreamReader, read_timeout: float) -> RawAnswer:
    status, headers, body = 0, [], bytearray()
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            connection.receive_data(await asyncio.wait_for(reader.read(_CHUNK), read_timeout))
        elif isinstance(event, h11.Response):
            status, headers = event.status_code, list(event.headers)
            if any(name == b"content-encoding" and value.lower() != b"identity" for name, value in headers):
                raise FetchError("a compressed answer was not asked for")
        elif isinstance(event, h11.Data):
            body += event.data
            if len(body) > MAX_BODY:
                raise FetchError("the answer is too big")
        elif isinstance(event, h11.EndOfMessage):
            return RawAnswer(status, headers, bytes(body))
        elif isinstance(event, h11.ConnectionClosed):
            raise FetchError("the connection closed before the answer was complete")
        # An informational (1xx) answer: the real one follows.
