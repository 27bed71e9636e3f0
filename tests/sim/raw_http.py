"""A blocking HTTP/1.1 client on one real socket (h11), keeping each answer's bytes exactly as they came."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import h11


@dataclass
class Reply:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    raw: bytes  # the whole answer on the wire: status line, headers, body

    def header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.headers if key == name), None)


def request_bytes(host: str, method: str, target: str, headers: list[tuple[str, str]] = ()) -> bytes:
    conn = h11.Connection(h11.CLIENT)
    return conn.send(h11.Request(method=method, target=target, headers=[("Host", host), *headers])) + conn.send(
        h11.EndOfMessage()
    )


class RawClient:
    """One connection; `send` writes a request and reads its whole answer. `closed`: the server ended it."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self.host = f"{parts.hostname}:{parts.port}"
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        self.conn = h11.Connection(h11.CLIENT)
        self._ahead: list[tuple[str, str]] = []

    def write(self, method: str, target: str, headers: list[tuple[str, str]] = (), body: bytes = b"") -> None:
        self.sock.sendall(self._request(method, target, headers, body))

    def write_ahead(self, requests: list[tuple[str, str]], headers: list[tuple[str, str]] = ()) -> None:
        """Write several bodiless requests at once (pipelined); `read()` then reads their answers in order."""
        self.sock.sendall(b"".join(request_bytes(self.host, method, target, headers) for method, target in requests))
        self._ahead = list(requests)

    def expect(self, method: str, target: str, body: bytes = b"") -> None:
        """A request the test wrote by hand on `sock`: `read()` then reads its answer."""
        self._request(method, target, [], body)

    def _request(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        sent = [("Host", self.host), *headers]
        if body:
            sent.append(("Content-Length", str(len(body))))
        data = self.conn.send(h11.Request(method=method, target=target, headers=sent))
        if body:
            data += self.conn.send(h11.Data(data=body))
        return data + self.conn.send(h11.EndOfMessage())

    def read(self) -> Reply:
        if self._ahead:  # a request written ahead: the parser is told of it now, to read its answer
            method, target = self._ahead.pop(0)
            self._request(method, target, [], b"")
        raw = bytearray()
        status, headers, body = 0, [], bytearray()
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                chunk = self.sock.recv(1 << 16)
                raw += chunk
                self.conn.receive_data(chunk)
            elif isinstance(event, h11.Response):
                status, headers = event.status_code, list(event.headers)
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                return Reply(status, headers, bytes(body), bytes(raw))
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("the server closed the connection without an answer")

    def send(self, method: str, target: str, headers: list[tuple[str, str]] = (), body: bytes = b"") -> Reply:
        self.write(method, target, headers, body)
        return self.read()

    @property
    def closed(self) -> bool:
        """The server closed the connection after its last answer (as it said it would, or at EOF)."""
        if self.conn.their_state is h11.MUST_CLOSE or self.conn.our_state is h11.MUST_CLOSE:
            return True
        timeout = self.sock.gettimeout()
        self.sock.setblocking(False)
        try:
            return self.sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        finally:
            self.sock.settimeout(timeout)

    def close(self) -> None:
        self.sock.close()
