"""Envelope mode and request ids: what a user sees when the server says `success: false`, and the id to quote.

Runs in both modes (the `mode` fixture): in bare mode the id comes from the
`X-Request-Id` header alone, in envelope mode from the body too, and they agree.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import NotFoundError, RuleRefusedError, UnsuccessfulError
from barrack_tui.api.routes import ROUTES
from barrack_tui.sim.state import DEMO_API_KEY
from tests.contract.conftest import NoSleep


class HeaderTap:
    """ASGI: remembers the X-Request-Id of each answer sent, and the body's `request_id` when it has one."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers: list[str] = []
        self.bodies: list[Any] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def tap(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.headers.append(dict(message["headers"]).get(b"x-request-id", b"").decode())
            elif message["type"] == "http.response.body" and message.get("body"):
                try:
                    self.bodies.append(json.loads(message["body"]).get("request_id"))
                except (ValueError, AttributeError):
                    self.bodies.append(None)
            await send(message)

        await self.app(scope, receive, tap)


@pytest.fixture
async def tapped(sim_app):
    tap = HeaderTap(sim_app)
    async with BarrackClient("http://sim.test", DEMO_API_KEY, transport=httpx.ASGITransport(app=tap), sleep=NoSleep()) as api:
        yield api, tap


async def test_every_answer_has_a_request_id_and_a_wrapped_body_quotes_the_same(tapped, mode):
    client, tap = tapped
    await client.get_balance()
    await client.list_volumes()
    assert len(tap.headers) == 2 and all(len(rid) == 8 for rid in tap.headers) and len(set(tap.headers)) == 2
    expected = tap.headers if mode == "envelope" else [None, None]
    assert tap.bodies == expected


async def test_a_refusal_shows_the_servers_message_and_the_request_id(tapped, mode):
    client, tap = tapped
    with pytest.raises(RuleRefusedError) as caught:
        await client.start_instance("ins-0001")  # ACTIVE already
    error = caught.value
    assert error.message == "Instance must be SHUTOFF to start" and error.code == "INSTANCE_STATE"
    assert error.request_id == tap.headers[-1]
    assert str(error).endswith(f"(request id {tap.headers[-1]})")
    if mode == "envelope":
        assert tap.bodies[-1] == tap.headers[-1]


async def test_not_found_carries_the_id_too(tapped):
    client, tap = tapped
    with pytest.raises(NotFoundError) as caught:
        await client.get_volume("vol-9999")
    assert "vol-9999 not found" in str(caught.value) and caught.value.request_id == tap.headers[-1]


def unsuccessful(app: Any, *, status: int, body: dict[str, Any], header_id: str = "hdr00001") -> Any:
    """The simulator, except that the balance answers `body` with `status` (a server saying no its own way)."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == ROUTES["get_balance"].template:
            payload = json.dumps(body).encode()
            headers = [(b"content-type", b"application/json"), (b"x-request-id", header_id.encode())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
            return
        await app(scope, receive, send)

    return wrapped


@pytest.mark.parametrize("status", [200, 403])
async def test_success_false_is_an_error_with_the_servers_message(sim_app, status):
    body = {"success": False, "message": "Account suspended: contact billing", "request_id": "body0001"}
    app = unsuccessful(sim_app, status=status, body=body)
    async with BarrackClient("http://sim.test", DEMO_API_KEY, transport=httpx.ASGITransport(app=app), sleep=NoSleep()) as client:
        with pytest.raises(Exception) as caught:
            await client.get_balance()
        assert (await client.list_regions())  # the rest of the API still answers
    error = caught.value
    if status == 200:
        assert isinstance(error, UnsuccessfulError)
    assert error.message == "Account suspended: contact billing"
    # The body's id wins over the header's: it is the one the server logged with the message.
    assert error.request_id == "body0001"
    assert "Account suspended: contact billing" in str(error) and str(error).endswith("(request id body0001)")


async def test_a_bare_error_takes_the_id_from_the_header(sim_app):
    body = {"error": {"code": "FORBIDDEN", "message": "Key lacks the billing scope", "details": None}}
    app = unsuccessful(sim_app, status=403, body=body, header_id="hdr00042")
    async with BarrackClient("http://sim.test", DEMO_API_KEY, transport=httpx.ASGITransport(app=app), sleep=NoSleep()) as client:
        with pytest.raises(Exception) as caught:
            await client.get_balance()
    assert caught.value.message == "Key lacks the billing scope"
    assert str(caught.value).endswith("(request id hdr00042)")


async def test_a_server_message_is_sanitised_before_it_is_shown(sim_app):
    body = {"success": False, "message": "bad\x1b[31m red\nline two", "request_id": "id\x07x"}
    app = unsuccessful(sim_app, status=200, body=body)
    async with BarrackClient("http://sim.test", DEMO_API_KEY, transport=httpx.ASGITransport(app=app), sleep=NoSleep()) as client:
        with pytest.raises(UnsuccessfulError) as caught:
            await client.get_balance()
    shown = str(caught.value)
    assert "\x1b" not in shown and "\n" not in shown and "\x07" not in shown
    assert "bad" in shown and "line two" in shown
