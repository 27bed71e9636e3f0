"""The `--demo` child's first answers are the full app's answers, byte for byte, for every read they serve.

Each request goes over a real socket to the first answers (sim/first_answers.py)
and to the full app (FastAPI on uvicorn), each serving its own copy of the same
seeded account on a clock that does not move: the answers on the wire must be
the same bytes (status line, headers in order, body), apart from the Date and
the request id, and each account must count the request the same. A request
the first answers do not serve is left for the full app (test_first_answers_handover.py).
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate

import pytest
from annotated_types import Ge, Le

from barrack_tui.api.routes import ROUTES
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.demo_key import DEMO_API_KEY
from barrack_tui.sim.first_answers import FAST_READS, FirstAnswers, Refused, fast_answer, http_date
from barrack_tui.sim.listener import listening_socket, url_of
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import start_background
from barrack_tui.sim.state import SimState
from tests.sim.raw_http import RawClient, Reply

KEY = [("Authorization", f"Bearer {DEMO_API_KEY}")]
# As the app sends its first reads (api/headers.py, api/early_fetch.py).
APP_HEADERS = [("User-Agent", "barrack-tui/0.1.0"), ("Accept", "application/json"), *KEY]


@dataclass
class Pair:
    fast_url: str
    full_url: str
    fast_state: SimState
    full_state: SimState


@contextmanager
def fast_and_full(envelope: bool) -> Iterator[Pair]:
    fast_state, full_state = seed_demo(FakeClock()), seed_demo(FakeClock())
    sock = listening_socket("127.0.0.1", 0)
    first = FirstAnswers(fast_state, envelope=envelope)
    first.start(sock)
    full = start_background(state=full_state, envelope=envelope)
    try:
        yield Pair(url_of("127.0.0.1", sock.getsockname()[1]), full.url, fast_state, full_state)
    finally:
        full.stop()
        first.stop()
        sock.close()


def normalised(reply: Reply) -> bytes:
    """The answer's bytes with its Date and request id (in the header, and in an envelope's body) made constant."""
    raw = re.sub(rb"(?im)^date: [^\r]*\r$", b"date: -\r", reply.raw)
    request_id = reply.header(b"x-request-id")
    assert request_id is not None and len(request_id) == 8
    return raw.replace(request_id, b"00000000")


def path(operation: str) -> str:
    return ROUTES[operation].url()


# What the app asks first (Store.first_requests, api/pages.py DEFAULT_PER_PAGE), then other queries the reads take.
FIRST_REQUESTS = [
    path("list_instances") + "?page=1&per_page=10000",
    path("get_balance"),
    path("list_volumes") + "?page=1&per_page=10000",
    path("list_snapshots"),
    path("list_regions"),
    path("get_gpu_stocks"),
    path("get_pricing") + "?currency=USD",
]
OTHER_QUERIES = [
    path("list_instances"),
    path("list_instances") + "?region=NORWAY-1&status=ACTIVE",
    path("list_instances") + "?status=HIBERNATED&per_page=1&page=2",
    path("list_instances") + "?page=1000000000&per_page=10000",
    path("list_instances") + "?region=US%2D1",
    path("list_volumes") + "?region=CANADA-1&per_page=2",
    path("list_snapshots") + "?region=NORWAY-1",
    path("get_gpu_stocks") + "?region=US-1",
    path("get_pricing"),
    path("get_pricing") + "?currency=EUR",
    path("get_pricing") + "?currency=INR",
    path("get_balance") + "?",
]


@pytest.mark.parametrize("envelope", [False, True], ids=["plain", "envelope"])
def test_every_first_read_is_answered_as_the_full_app_answers_it(envelope):
    with fast_and_full(envelope) as pair:
        fast, full = RawClient(pair.fast_url), RawClient(pair.full_url)
        try:
            for target in FIRST_REQUESTS + OTHER_QUERIES:
                fast_reply, full_reply = fast.send("GET", target, APP_HEADERS), full.send("GET", target, APP_HEADERS)
                assert fast_reply.status == 200, (target, fast_reply.body)
                assert normalised(fast_reply) == normalised(full_reply), target
        finally:
            fast.close()
            full.close()
        assert pair.fast_state.request_counts == pair.full_state.request_counts


@pytest.mark.parametrize("envelope", [False, True], ids=["plain", "envelope"])
@pytest.mark.parametrize(
    "headers",
    [[], [("Authorization", "Bearer wrong-key")], [("Authorization", DEMO_API_KEY)], [("Authorization", "Basic x")]],
    ids=["no key", "wrong key", "no scheme", "other scheme"],
)
def test_a_bad_key_gets_the_full_apps_401(envelope, headers):
    with fast_and_full(envelope) as pair:
        fast, full = RawClient(pair.fast_url), RawClient(pair.full_url)
        try:
            for target in (path("get_balance"), path("list_instances") + "?page=1&per_page=10000"):
                fast_reply, full_reply = fast.send("GET", target, headers), full.send("GET", target, headers)
                assert fast_reply.status == 401
                assert normalised(fast_reply) == normalised(full_reply)
        finally:
            fast.close()
            full.close()
        assert pair.fast_state.request_counts == pair.full_state.request_counts == {}


def test_a_request_that_asks_to_close_is_answered_and_closed_as_uvicorn_does():
    # The app's early reads each ask for `Connection: close` (api/early_fetch.py).
    with fast_and_full(envelope=False) as pair:
        fast, full = RawClient(pair.fast_url), RawClient(pair.full_url)
        try:
            headers = [*APP_HEADERS, ("Connection", "close")]
            fast_reply, full_reply = fast.send("GET", path("get_balance"), headers), full.send("GET", path("get_balance"), headers)
            assert normalised(fast_reply) == normalised(full_reply)
            assert fast.closed and full.closed
        finally:
            fast.close()
            full.close()


def test_one_connection_is_answered_again_and_again():
    with fast_and_full(envelope=False) as pair:
        client = RawClient(pair.fast_url)
        try:
            replies = [client.send("GET", target, APP_HEADERS) for target in FIRST_REQUESTS * 3]
            assert [reply.status for reply in replies] == [200] * len(replies)
            assert not client.closed
        finally:
            client.close()


# --- what the first answers leave to the full app -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "target", "headers"),
    [
        ("POST", path("list_instances"), []),
        ("HEAD", path("get_balance"), []),
        ("GET", path("list_ssh_keys"), []),
        ("GET", path("get_balance") + "/", []),
        ("GET", path("get_balance") + "?verbose=1", []),
        ("GET", path("list_instances") + "?page=0", []),
        ("GET", path("list_instances") + "?page=01", []),
        ("GET", path("list_instances") + "?page=%2B1", []),
        ("GET", path("list_instances") + "?page=1_0", []),
        ("GET", path("list_instances") + "?page=", []),
        ("GET", path("list_instances") + "?per_page=10001", []),
        ("GET", path("list_instances") + "?page=1&page=2", []),
        ("GET", path("list_instances") + "?region=MARS-1", []),
        ("GET", path("list_instances") + "?region=norway-1", []),
        ("GET", path("list_instances") + "?status=active", []),
        ("GET", path("get_pricing") + "?currency=GBP", []),
        ("GET", path("list_snapshots") + "?page=1", []),
        ("GET", path("get_balance"), [(b"content-length", b"2")]),
        ("GET", path("get_balance"), [(b"transfer-encoding", b"chunked")]),
        ("GET", path("get_balance"), [(b"expect", b"100-continue")]),
        ("GET", path("get_balance"), [(b"upgrade", b"websocket"), (b"connection", b"upgrade")]),
        ("GET", "*", []),
        ("GET", "http://127.0.0.1" + path("get_balance"), []),
    ],
)
def test_what_only_the_full_app_can_answer_is_left_to_it(method, target, headers):
    state = seed_demo(FakeClock())
    key = [(b"authorization", f"Bearer {DEMO_API_KEY}".encode())]
    assert fast_answer(state, method.encode(), target.encode(), key + headers, envelope=False) is None
    assert state.request_counts == {}  # not counted either: the full app counts it when it answers


def test_a_wrong_key_on_a_request_left_to_the_full_app_is_left_to_it_too():
    # The full app checks the query of a request with a bad key after the key: its 401 or 422 is its own to give.
    state = seed_demo(FakeClock())
    assert fast_answer(state, b"GET", (path("list_instances") + "?page=0").encode(), [], envelope=False) is None


# --- the first answers' parameters are the routes' -------------------------------------------------


def _route(operation: str):
    app = create_app(seed_demo(FakeClock()))
    return next(route for route in app.router.routes if getattr(route, "name", None) == operation)


@pytest.mark.parametrize("read", FAST_READS, ids=lambda read: read.operation)
def test_each_read_takes_the_query_its_route_takes(read):
    route = _route(read.operation)
    assert route.methods == {"GET"} and not route.dependant.path_params and not route.dependant.body_params
    fields = {field.name: field for field in route.dependant.query_params}
    assert fields.keys() == read.params.keys()
    for name, (parse, default) in read.params.items():
        info = fields[name].field_info
        assert default == info.default, name
        kinds = [kind for kind in typing.get_args(info.annotation) or (info.annotation,) if kind is not type(None)]
        assert len(kinds) == 1, name
        (kind,) = kinds
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            assert {parse(member.value) for member in kind} == {member.value for member in kind}
            assert isinstance(info.annotation, types.UnionType) and default is None
            with pytest.raises(Refused):
                parse("NOT-A-MEMBER")
        else:
            assert kind is int
            low = next(rule.ge for rule in info.metadata if isinstance(rule, Ge))
            high = next(rule.le for rule in info.metadata if isinstance(rule, Le))
            assert parse(str(low)) == low and parse(str(high)) == high
            for outside in (low - 1, high + 1):
                with pytest.raises(Refused):
                    parse(str(outside))


def test_the_date_header_is_written_as_uvicorn_writes_it():
    for moment in (0.0, 951_782_400.5, 1_795_000_000.0, 4_102_444_799.0):
        assert http_date(moment) == formatdate(moment, usegmt=True).encode()
