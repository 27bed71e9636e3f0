"""The simulator, in-process (ASGI) and over a loopback socket, with a frozen demo account.

Every contract test runs twice: against the bare answers of our contract and
against envelope mode, where every answer comes wrapped as the live service
wraps its own (`{success, message, <payload>, request_id}`).
"""

from __future__ import annotations

import httpx
import pytest

from barrack_tui.api.client import BarrackClient
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.state import DEMO_API_KEY


class NoSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock):
    return seed_demo(clock)


@pytest.fixture(params=["bare", "envelope"])
def mode(request) -> str:
    return request.param


@pytest.fixture
def sim_app(state, mode):
    return create_app(state, envelope=mode == "envelope")


@pytest.fixture
async def client(sim_app):
    transport = httpx.ASGITransport(app=sim_app)
    async with BarrackClient("http://sim.test", DEMO_API_KEY, transport=transport, sleep=NoSleep()) as api:
        yield api


@pytest.fixture
async def sim_openapi(sim_app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url="http://sim.test") as raw:
        response = await raw.get("/openapi.json")
    assert response.status_code == 200
    return response.json()
