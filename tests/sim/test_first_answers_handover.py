"""What the first answers leave to the full app gets the full app's answer, once, even when sent before it exists.

As in the `--demo` child: the first answers serve a listening socket with a
seeded account; requests come in; then the full app is built and started on
the first answers' loop, which hands it every connection (sim/first_answers.py).
Real sockets throughout. A test waits for the server to have seen its bytes
(an event the instrumented server sets), never for time to pass.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from barrack_tui.api.routes import ROUTES
from barrack_tui.sim import first_answers
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.demo_key import DEMO_API_KEY
from barrack_tui.sim.first_answers import FirstAnswers
from barrack_tui.sim.listener import listening_socket, url_of
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import RunningSim, start_background
from barrack_tui.sim.state import SimState
from tests.sim.raw_http import RawClient

KEY = [("Authorization", f"Bearer {DEMO_API_KEY}")]
BALANCE = ROUTES["get_balance"].url()
SSH_KEYS = ROUTES["list_ssh_keys"].url()
INSTANCES = ROUTES["list_instances"].url()


@dataclass
class Child:
    """The first answers on a port, instrumented; `build()` starts the full app as the child does."""

    state: SimState
    first: FirstAnswers
    url: str
    sock: object
    envelope: bool
    # Released once per request the first answers left for the full app, and once per chunk of bytes read.
    left: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    read: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    fast: list[str] = field(default_factory=list)
    full: RunningSim | None = None

    def build(self) -> RunningSim:
        self.full = start_background(
            state=self.state, api_key=DEMO_API_KEY, envelope=self.envelope, sock=self.sock, loop=self.first.loop,
            on_up=self.first.hand_over,
        )
        return self.full

    def wait_left(self, count: int = 1) -> None:
        for _ in range(count):
            assert self.left.acquire(timeout=10), "the request never reached the first answers"


@contextmanager
def child(monkeypatch, *, envelope: bool = False) -> Iterator[Child]:
    state = seed_demo(FakeClock())
    sock = listening_socket("127.0.0.1", 0)
    first = FirstAnswers(state, envelope=envelope)
    made = Child(state, first, url_of("127.0.0.1", sock.getsockname()[1]), sock, envelope)
    answer, data_received = FirstAnswers.answer, first_answers._Connection.data_received

    def answer_and_tell(self, method, target, headers):
        given = answer(self, method, target, headers)
        if given is None:
            made.left.release()
        elif given.status != 503:
            made.fast.append(target.decode())
        return given

    def read_and_tell(self, data):
        data_received(self, data)
        made.read.release()

    monkeypatch.setattr(FirstAnswers, "answer", answer_and_tell)
    monkeypatch.setattr(first_answers._Connection, "data_received", read_and_tell)
    first.start(sock)
    try:
        yield made
    finally:
        if made.full is not None:
            made.full.stop()
        first.stop()
        sock.close()


def test_a_post_sent_before_the_app_exists_is_answered_by_it_once(monkeypatch):
    with child(monkeypatch) as sim:
        instance = next(i for i in sim.state.instances.values() if i.status == "ACTIVE")
        client = RawClient(sim.url)
        stop = ROUTES["stop_instance"].url(id=instance.id)
        client.write("POST", stop, KEY)
        sim.wait_left()
        sim.build()
        reply = client.read()
        assert reply.status == 202 and json.loads(reply.body)["instance"]["id"] == instance.id
        assert sim.state.mutation_counts == {"POST /instances/{id}/stop": 1}
        assert sim.fast == []
        client.close()


def test_a_body_that_comes_in_pieces_while_its_request_waits_reaches_the_app_whole(monkeypatch):
    with child(monkeypatch) as sim:
        client = RawClient(sim.url)
        body = json.dumps({"name": "warm-up", "content": "#!/bin/sh\n" + "echo ready\n" * 1000}).encode()
        head = f"POST {ROUTES['create_script'].url()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DEMO_API_KEY}\r\n"
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        client.sock.sendall(head.encode() + body[:100])
        sim.wait_left()
        client.sock.sendall(body[100:])  # left unread until the app comes
        sim.build()
        client.expect("POST", ROUTES["create_script"].url(), body)
        reply = client.read()
        assert reply.status == 201, reply.body
        script = next(s for s in sim.state.scripts.values() if s.name == "warm-up")
        assert script.content.count("echo ready") == 1000
        client.close()


@pytest.mark.parametrize(
    ("target", "status"),
    [(INSTANCES + "?verbose=1", 200), (INSTANCES + "?page=0", 422), (BALANCE + "/", 307), (SSH_KEYS, 200)],
    ids=["unknown query", "invalid value", "trailing slash", "other path"],
)
def test_a_get_the_first_answers_do_not_serve_gets_the_apps_answer(monkeypatch, target, status):
    with child(monkeypatch) as sim:
        client = RawClient(sim.url)
        client.write("GET", target, KEY)
        sim.wait_left()
        sim.build()
        reply = client.read()
        assert reply.status == status
        if status == 422:
            assert json.loads(reply.body)["error"]["code"] == "VALIDATION_ERROR"
        assert sum(sim.state.request_counts.values()) == (0 if status == 307 else 1)
        client.close()


def test_one_keep_alive_connection_goes_on_across_the_hand_over(monkeypatch):
    with child(monkeypatch) as sim:
        client = RawClient(sim.url)
        assert client.send("GET", BALANCE, KEY).status == 200  # answered at once, before the app exists
        assert client.send("GET", INSTANCES + "?page=1&per_page=10000", KEY).status == 200
        client.write("GET", SSH_KEYS, KEY)
        sim.wait_left()
        sim.build()
        assert json.loads(client.read().body)["keys"]
        # The same connection, now the full app's: fast reads and the rest alike.
        instance = next(i for i in sim.state.instances.values() if i.status == "ACTIVE")
        assert client.send("POST", ROUTES["stop_instance"].url(id=instance.id), KEY).status == 202
        assert client.send("GET", BALANCE, KEY).status == 200
        assert not client.closed
        assert sim.fast == [BALANCE, INSTANCES + "?page=1&per_page=10000"]
        assert sim.state.request_counts == {
            "GET /balance": 2, "GET /instances": 1, "GET /ssh-keys": 1, "POST /instances/{id}/stop": 1
        }
        client.close()


def test_pipelined_requests_are_each_answered_once_in_order(monkeypatch):
    with child(monkeypatch) as sim:
        client = RawClient(sim.url)
        client.write_ahead([("GET", BALANCE), ("GET", SSH_KEYS), ("GET", BALANCE)], KEY)
        sim.wait_left()
        sim.build()
        bodies = [json.loads(client.read().body) for _ in range(3)]
        assert "balances" in bodies[0] and "keys" in bodies[1] and "balances" in bodies[2]
        assert sim.fast == [BALANCE]  # the third came behind the second, and the full app answered both
        assert sim.state.request_counts == {"GET /balance": 2, "GET /ssh-keys": 1}
        client.close()


def test_an_idle_connection_and_a_request_cut_in_two_are_handed_over(monkeypatch):
    with child(monkeypatch) as sim:
        idle, halved = RawClient(sim.url), RawClient(sim.url)
        assert idle.send("GET", BALANCE, KEY).status == 200
        head = f"GET {SSH_KEYS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DEMO_API_KEY}\r\n".encode()
        while sim.read.acquire(blocking=False):  # what the idle connection sent: answered already
            pass
        halved.sock.sendall(head)  # the blank line that ends the request is still to come
        assert sim.read.acquire(timeout=10)
        sim.build()
        assert not sim.first.connections  # both are the full app's now
        halved.sock.sendall(b"\r\n")
        halved.expect("GET", SSH_KEYS)
        assert json.loads(halved.read().body)["keys"]
        assert idle.send("GET", SSH_KEYS, KEY).status == 200
        assert idle.send("GET", BALANCE, KEY).status == 200
        assert sim.fast == [BALANCE]  # everything after the hand-over went to the full app
        idle.close()
        halved.close()


def test_new_connections_after_the_hand_over_reach_the_full_app(monkeypatch):
    with child(monkeypatch) as sim:
        sim.build()
        client = RawClient(sim.url)
        assert client.send("GET", BALANCE, KEY).status == 200
        assert sim.fast == []
        client.close()


def test_in_envelope_mode_what_waited_comes_wrapped_by_the_full_app(monkeypatch):
    with child(monkeypatch, envelope=True) as sim:
        client = RawClient(sim.url)
        fast = client.send("GET", BALANCE, KEY)
        client.write("GET", SSH_KEYS, KEY)
        sim.wait_left()
        sim.build()
        full = client.read()
        for reply in (fast, full):
            body = json.loads(reply.body)
            assert body["success"] is True and body["request_id"] == reply.header(b"x-request-id").decode()
        assert json.loads(fast.body)["data"]["balances"] and json.loads(full.body)["data"]["keys"]
        client.close()


# --- the full app fails to start ------------------------------------------------------------------


def test_when_the_app_fails_what_waited_and_what_follows_get_a_503_and_the_reads_their_answers(monkeypatch):
    with child(monkeypatch) as sim:
        client = RawClient(sim.url)
        client.write("GET", SSH_KEYS, KEY)
        sim.wait_left()
        sim.first.fail("The demo simulator could not start (RuntimeError: the seed is broken).")
        waited = client.read()
        assert waited.status == 503
        error = json.loads(waited.body)["error"]
        assert error["code"] == "SIMULATOR_FAILED" and "RuntimeError: the seed is broken" in error["message"]
        # The same connection goes on: reads the first answers serve are still answered, the rest get the 503.
        assert client.send("GET", BALANCE, KEY).status == 200
        assert client.send("POST", ROUTES["create_script"].url(), KEY, body=b'{"name": "x"}').status == 503
        assert client.send("GET", INSTANCES + "?page=0", KEY).status == 503
        assert not client.closed
        other = RawClient(sim.url)
        assert other.send("DELETE", ROUTES["delete_script"].url(id="s"), KEY).status == 503
        assert sim.state.request_counts == {"GET /balance": 1}
        client.close()
        other.close()


def test_when_the_app_fails_a_client_waiting_to_send_its_body_is_answered_and_closed(monkeypatch):
    with child(monkeypatch) as sim:
        client = RawClient(sim.url)
        head = f"POST {ROUTES['create_script'].url()} HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\nExpect: 100-continue\r\n\r\n"
        client.sock.sendall(head.encode())
        sim.wait_left()
        sim.first.fail("The demo simulator could not start.")
        assert client.read().status == 503
        assert client.closed
        client.close()
