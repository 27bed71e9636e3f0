"""Shared fixtures of the simulator-core suites (engine, instances, volumes, account, faults, seed).

The demo account on a FakeClock served in-process by the real app through
httpx's ASGI transport with the demo key; plus a tiny hand-built account
for engine tests whose numbers are easy to check by hand.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from barrack_tui.api.models.common import VMStatus
from barrack_tui.sim import engine, instances_ops
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import demo_stock, seed_demo
from barrack_tui.sim.state import DEMO_API_KEY, InstanceRecord, SimState, SSHKeyRecord, VolumeRecord

BASE = "http://sim"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock: FakeClock) -> SimState:
    return seed_demo(clock)


@pytest.fixture
def faults() -> FaultConfig:
    return FaultConfig()


@pytest.fixture
async def client(state: SimState, faults: FaultConfig) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(state, faults)
    app.state.chat_token_delay = 0
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=BASE,
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
    ) as http:
        yield http


def small_state(clock: FakeClock, balance: str = "100.00") -> SimState:
    """An account with nothing but stock, one SSH key and `balance` USD."""
    state = SimState(clock=clock, balances={"USD": Decimal(balance)})
    state.stock = demo_stock()
    state.ssh_keys["key-test"] = SSHKeyRecord("key-test", "laptop", "SHA256:x", "ssh-ed25519 AAAA", clock.now())
    return state


def deploy(state: SimState, name: str = "box", *, region: str = "NORWAY-1", gpu_model: str = "H100-SXM5-80GB",
           gpu_count: int = 1, public_ip: bool = False, boot_volume_id: str | None = None) -> InstanceRecord:
    return instances_ops.create_instance(
        state, name=name, region=region, gpu_model=gpu_model, gpu_count=gpu_count, image_id="os-no1-ubuntu-2204-r550-cuda124",
        image_name="Ubuntu", ssh_key_ids=["key-test"], public_ip=public_ip, boot_volume_id=boot_volume_id,
    )


def active_instance(state: SimState, clock: FakeClock, name: str = "box", **kwargs: Any) -> InstanceRecord:
    """A freshly deployed instance, already ACTIVE (the deploy's time is not billed)."""
    instance = deploy(state, name, **kwargs)
    clock.advance(state.durations.deploy)
    engine.tick(state)
    assert instance.status == VMStatus.ACTIVE
    return instance


def advance(state: SimState, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    engine.tick(state)


def instance_named(state: SimState, name: str) -> InstanceRecord:
    return next(i for i in state.instances.values() if i.name == name)


def volume_named(state: SimState, name: str) -> VolumeRecord:
    return next(v for v in state.volumes.values() if v.name == name)


def error_of(response: httpx.Response) -> dict[str, Any]:
    return response.json()["error"]


def field_messages(response: httpx.Response) -> dict[str, str]:
    """The 422 body's per-field messages, as the forms show them."""
    assert response.status_code == 422, response.text
    return {f["field"]: f["message"] for f in response.json()["error"]["details"]["fields"]}
