"""Shared fixtures of the resource-route suites (firewalls, keys, scripts, snapshots, images, chat).

Every test gets the seeded demo account on a FakeClock, served in-process by
the real app (`create_app`) through httpx's ASGI transport, with the demo
key, and with the chat's token delay at zero.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from barrack_tui.api.models.common import VMStatus
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.state import DEMO_API_KEY, InstanceRecord, SimState

BASE = "http://sim"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock: FakeClock) -> SimState:
    return seed_demo(clock)


@pytest.fixture
async def client(state: SimState) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(state)
    app.state.chat_token_delay = 0
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=BASE,
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    ) as http:
        yield http


def instance_named(state: SimState, name: str) -> InstanceRecord:
    return next(i for i in state.instances.values() if i.name == name)


def by_name(records: dict[str, Any], name: str) -> Any:
    return next(r for r in records.values() if r.name == name)


def active_instances(state: SimState, region: str | None = None) -> list[InstanceRecord]:
    return [
        i
        for i in state.instances.values()
        if i.status == VMStatus.ACTIVE and i.server_uuid and (region is None or i.region == region)
    ]


def error_of(response: httpx.Response) -> dict[str, Any]:
    return response.json()["error"]


def field_messages(response: httpx.Response) -> dict[str, str]:
    """The 422 body's per-field messages, as the forms show them."""
    assert response.status_code == 422, response.text
    return {f["field"]: f["message"] for f in response.json()["error"]["details"]["fields"]}
