"""The `--demo` child's first answers: its port served with asyncio and h11 while FastAPI and uvicorn load.

The app sends its first screen's reads ~0.25 s after it starts; the full
simulator (FastAPI, pydantic's schemas, uvicorn) takes ~0.3 s to load in the
child. `FirstAnswers` serves the port from the moment the state is seeded
(~0.1 s): a plain read it knows (`FAST_READS`: the balance, the catalogue, the
prices and the first pages of instances, volumes and snapshots) is answered at
once, from the same state and with the same bytes and headers as the full app
would give it (`read_views`, `admission`, `envelope`: one source for both).

Any other request (another path or method, a query it does not know, a value
the app would refuse with 422, a body) waits on its connection for the full
app. When the app is up (`hand_over`, called on this loop as uvicorn starts),
every connection, idle or waiting, becomes one of uvicorn's: its protocol is
replaced by uvicorn's and the bytes of the request in progress are replayed
to it, as uvicorn itself hands a connection to its WebSocket protocol. From
then on uvicorn answers everything, on the same loop, so the state is only
ever touched from this one thread. Each request is thus answered once, by
one of the two, and keep-alive connections go on across the change.

Should the full app fail to start (`fail`), the known reads are still
answered from the state and every other request gets a 503 saying why.

Nothing here imports FastAPI, Starlette, pydantic or uvicorn.
"""

from __future__ import annotations

import asyncio
import http
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

import h11

from barrack_tui.api.enums import CurrencyEnum, RegionEnum, VMStatus
from barrack_tui.api.routes import API_PREFIX, ROUTES
from barrack_tui.sim import read_views
from barrack_tui.sim.admission import admit, template_of
from barrack_tui.sim.envelope import WRAPPED_PREFIX, new_request_id, wrapped_body, wrapped_headers
from barrack_tui.sim.errors import SimError, error_body
from barrack_tui.sim.state import SimState
from barrack_tui.sim.wire import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE

Headers = list[tuple[bytes, bytes]]

# uvicorn's own: every answer starts with these, then the app's headers (uvicorn/server.py, h11_impl.py).
SERVER_HEADER = (b"server", b"uvicorn")
CLOSE_HEADER = (b"connection", b"close")
JSON_TYPE = b"application/json"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Longer than any page number the reads accept (MAX_PAGE has 10 digits): a longer one is not parsed at all.
_MAX_DIGITS = 12


class Refused(ValueError):
    """A query value the full app would not take as it is (a 422, or a spelling it reads differently)."""


def http_date(now: float) -> bytes:
    """`now` as the Date header gives it (as email.utils.formatdate(usegmt=True), without loading the email package)."""
    t = time.gmtime(now)
    day, month = _DAYS[t.tm_wday], _MONTHS[t.tm_mon - 1]
    return f"{day}, {t.tm_mday:02d} {month} {t.tm_year:04d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT".encode()


def _choice(values: Iterable[str]) -> Callable[[str], str]:
    known = frozenset(values)

    def parse(text: str) -> str:
        if text not in known:
            raise Refused(text)
        return text

    return parse


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        # Plain digits only: the app's validator also reads signs, spaces and underscores, which are left to it.
        if not (text.isascii() and text.isdigit()) or text.startswith("0") or len(text) > _MAX_DIGITS:
            raise Refused(text)
        number = int(text)
        if not low <= number <= high:
            raise Refused(text)
        return number

    return parse


_REGION = _choice(RegionEnum)
_PAGE = _count(1, MAX_PAGE)
_PER_PAGE = _count(1, MAX_PER_PAGE)


@dataclass(frozen=True)
class FastRead:
    """A read answered before the full app: its query parameters (parser, default) and the body they give."""

    operation: str
    params: dict[str, tuple[Callable[[str], Any], Any]]
    body: Callable[..., bytes]


# tests/sim/test_first_answers.py holds these parameters equal to the routes' own (names, defaults, bounds, enums).
FAST_READS: tuple[FastRead, ...] = (
    FastRead(
        "list_instances",
        {
            "region": (_REGION, None),
            "status": (_choice(VMStatus), None),
            "page": (_PAGE, 1),
            "per_page": (_PER_PAGE, DEFAULT_PER_PAGE),
        },
        read_views.instances_page,
    ),
    FastRead("get_balance", {}, read_views.balance),
    FastRead(
        "list_volumes",
        {"region": (_REGION, None), "page": (_PAGE, 1), "per_page": (_PER_PAGE, DEFAULT_PER_PAGE)},
        read_views.volumes_page,
    ),
    FastRead("list_snapshots", {"region": (_REGION, None)}, read_views.snapshots),
    FastRead("list_regions", {}, lambda state: read_views.regions()),
    FastRead("get_gpu_stocks", {"region": (_REGION, None)}, read_views.gpu_stocks),
    FastRead("get_pricing", {"currency": (_choice(CurrencyEnum), None)}, read_views.pricing),
)
# By the full path the app routes (the table's path and its aliases), each with the path it counts a request under.
_BY_PATH: dict[str, tuple[FastRead, str]] = {
    API_PREFIX + path: (read, API_PREFIX + path)
    for read in FAST_READS
    for path in (ROUTES[read.operation].path, *ROUTES[read.operation].aliases)
}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Headers
    body: bytes


def _query(query_string: bytes, read: FastRead) -> dict[str, Any] | None:
    """The read's arguments from the query, as the app would take them; None if the app must judge it."""
    # As Starlette reads a query string (latin-1, blank values kept), so each name and value is the one the app sees.
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names) or not set(names) <= read.params.keys():
        return None
    given = dict(pairs)
    arguments: dict[str, Any] = {}
    try:
        for name, (parse, default) in read.params.items():
            arguments[name] = parse(given[name]) if name in given else default
    except Refused:
        return None
    return arguments


def fast_answer(
    state: SimState, method: bytes, target: bytes, headers: Headers, *, envelope: bool, now: float | None = None
) -> Answer | None:
    """The full app's answer to this request, made here; None for a request only the full app can answer.

    `headers` as h11 gives them (names lower-case). Only a GET without a body, at a path of `FAST_READS`,
    with a query the read takes as it is, is answered: with the read's body, or the app's 401 for a bad key.
    """
    if method != b"GET" or not target.startswith(b"/"):
        return None
    names = {name for name, _ in headers}
    if names & {b"transfer-encoding", b"expect", b"upgrade"}:
        return None
    if any(name == b"content-length" and value.strip() != b"0" for name, value in headers):
        return None
    raw_path, _, query_string = target.partition(b"?")
    try:
        path = unquote(raw_path.decode("ascii"))  # as uvicorn gives the app the path
    except UnicodeDecodeError:
        return None
    found = _BY_PATH.get(path)
    if found is None:
        return None
    read, route_path = found
    arguments = _query(query_string, read)
    if arguments is None:
        return None
    authorization = next((value for name, value in headers if name == b"authorization"), b"").decode("latin-1")
    request_id = new_request_id()
    try:
        admit(state, authorization, "GET", template_of("GET", route_path))
    except SimError as refused:
        status, body = refused.status, read_views.json_bytes(error_body(refused.code, refused.message, refused.details))
    else:
        status, body = 200, read.body(state, **arguments)
    app_headers: Headers = [(b"content-length", str(len(body)).encode()), (b"content-type", JSON_TYPE)]
    if envelope and path.startswith(WRAPPED_PREFIX):
        body = wrapped_body(body, status, method="GET", path=path, request_id=request_id)
        app_headers = wrapped_headers(app_headers, body)
    app_headers.append((b"x-request-id", request_id.encode()))
    answer_headers = [(b"date", http_date(time.time() if now is None else now)), SERVER_HEADER, *app_headers]
    if CLOSE_HEADER in headers and CLOSE_HEADER not in answer_headers:
        answer_headers.append(CLOSE_HEADER)
    return Answer(status, answer_headers, body)


def failure_answer(message: str) -> Answer:
    """What every request the first answers cannot answer gets once the full app has failed to start."""
    body = json.dumps(error_body("SIMULATOR_FAILED", message)).encode()
    headers = [(b"content-type", JSON_TYPE), (b"content-length", str(len(body)).encode())]
    return Answer(503, headers, body)


class FirstAnswers:
    """Serves a listening socket from a loop of its own until `hand_over` (or for good after `fail`).

    `state` is read and its counts moved only on that loop's thread: the full app, once handed the
    connections, must run on the same loop (`loop`).
    """

    def __init__(self, state: SimState | None, *, envelope: bool) -> None:
        self.state = state
        self.envelope = envelope
        self.loop = asyncio.new_event_loop()
        self.connections: set[_Connection] = set()
        self.handed_over: Callable[[], asyncio.Protocol] | None = None
        self.failed: Answer | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None

    def start(self, sock: socket.socket) -> None:
        """Serve `sock` from a daemon thread; returns once it accepts. `sock` stays open for the full app."""
        listening = threading.Event()
        problem: list[BaseException] = []

        async def open_server() -> None:
            try:
                # A duplicate: closing this server at the hand-over closes only it, the port goes on listening.
                self._server = await self.loop.create_server(lambda: _Connection(self), sock=sock.dup())
            except BaseException as error:
                problem.append(error)
            finally:
                listening.set()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.create_task(open_server())
            self.loop.run_forever()

        self._thread = threading.Thread(target=run, name="barrack-sim", daemon=True)
        self._thread.start()
        listening.wait()
        if problem:
            raise problem[0]

    def stop(self) -> None:
        """From another thread: stop accepting, close the connections still held, end the loop (the child just exits)."""

        def close() -> None:
            if self._server is not None:
                self._server.close()
            for connection in list(self.connections):
                connection.close()
            self.loop.stop()

        self.loop.call_soon_threadsafe(close)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def hand_over(self, new_protocol: Callable[[], asyncio.Protocol]) -> None:
        """On the loop, as the full app starts serving: stop accepting, give it every connection."""
        self.handed_over = new_protocol
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections):
            connection.hand_over(new_protocol)

    def fail(self, message: str) -> None:
        """From any thread: the full app will not come; answer what waits for it (and all that follows) with a 503."""
        self.loop.call_soon_threadsafe(self._fail, failure_answer(message))

    def _fail(self, answer: Answer) -> None:
        self.failed = answer
        for connection in list(self.connections):
            connection.resume()

    def answer(self, method: bytes, target: bytes, headers: Headers) -> Answer | None:
        if self.state is None:
            return None
        return fast_answer(self.state, method, target, headers, envelope=self.envelope)


class _Connection(asyncio.Protocol):
    """One client connection until the full app takes it over."""

    def __init__(self, server: FirstAnswers) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.conn = h11.Connection(h11.SERVER)
        # Every byte received since the request in progress began: what the full app is given at the hand-over.
        self.unanswered = bytearray()
        self.waiting = False
        self.pending: Answer | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if self.server.handed_over is not None:  # accepted just before the hand-over closed the listener
            self.hand_over(self.server.handed_over)
            return
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)

    def data_received(self, data: bytes) -> None:
        self.unanswered += data
        self.conn.receive_data(data)
        if not self.waiting:
            self._handle_events()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def eof_received(self) -> bool | None:
        return None  # closed, as uvicorn does when a client stops sending: a half-closed client is not answered

    def hand_over(self, new_protocol: Callable[[], asyncio.Protocol]) -> None:
        self.server.connections.discard(self)
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        protocol = new_protocol()
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        if self.unanswered:
            protocol.data_received(bytes(self.unanswered))
        if not transport.is_reading():  # the rest of a request that waited comes to the new protocol
            transport.resume_reading()

    def resume(self) -> None:
        """Go on after the full app failed: what was waiting for it is answered now."""
        if self.waiting and self.transport is not None:
            self.waiting = False
            self.pending = self.server.failed
            if self.conn.they_are_waiting_for_100_continue:
                self._send(self.pending, close=True)
                return
            self.transport.resume_reading()
            self._handle_events()

    def _handle_events(self) -> None:
        transport = self.transport
        assert transport is not None
        while not transport.is_closing():
            try:
                event = self.conn.next_event()
            except h11.RemoteProtocolError:
                self._send_400()
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self.pending = self.server.answer(event.method, event.target, list(event.headers))
                if self.pending is None:
                    if self.server.failed is None:
                        # For the full app: the bytes so far are kept for it, the rest left unread until it comes.
                        self.waiting = True
                        transport.pause_reading()
                        return
                    self.pending = self.server.failed
                    if self.conn.they_are_waiting_for_100_continue:
                        self._send(self.pending, close=True)  # its body will not come: answered, and closed
                        return
            elif isinstance(event, h11.EndOfMessage):
                assert self.pending is not None
                self._send(self.pending)
                if self.conn.our_state is h11.MUST_CLOSE:
                    transport.close()
                    return
                self.conn.start_next_cycle()
                self.unanswered = bytearray(self.conn.trailing_data[0])
            elif isinstance(event, h11.ConnectionClosed):
                transport.close()
                return
            # h11.Data: a body the answer does not read

    def _send(self, answer: Answer | None, *, close: bool = False) -> None:
        assert answer is not None and self.transport is not None
        headers = [*answer.headers, CLOSE_HEADER] if close else answer.headers
        reason = http.HTTPStatus(answer.status).phrase.encode()
        try:
            out = self.conn.send(h11.Response(status_code=answer.status, headers=headers, reason=reason))
            out += self.conn.send(h11.Data(data=answer.body)) + self.conn.send(h11.EndOfMessage())
        except h11.LocalProtocolError:
            self.transport.close()
            return
        self.transport.write(out)
        self.pending = None
        if close:
            self.transport.close()

    def _send_400(self) -> None:
        # As uvicorn answers bytes that are not HTTP, so a client sees the same whichever server read them.
        assert self.transport is not None
        headers = [(b"content-type", b"text/plain; charset=utf-8"), CLOSE_HEADER]
        try:
            out = self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request"))
            out += self.conn.send(h11.Data(data=b"Invalid HTTP request received.")) + self.conn.send(h11.EndOfMessage())
            self.transport.write(out)
        except h11.LocalProtocolError:
            pass
        self.transport.close()
