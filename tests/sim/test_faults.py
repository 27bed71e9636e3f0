"""Fault injection: each option of FaultConfig is observable through the in-process transport."""

from __future__ import annotations

import json

import httpx
import pytest

from barrack_tui.api.routes import ROUTES
from barrack_tui.sim import faults as faults_module
from barrack_tui.sim.faults import FaultConfig
from tests.sim.core_world import client, clock, error_of, faults, instance_named, state  # noqa: F401


async def test_latency_is_added_before_the_request(client, faults, monkeypatch):
    waited: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(faults_module, "_sleep", fake_sleep)
    faults.latency = 0.75
    assert (await client.get(ROUTES["get_balance"].url())).status_code == 200
    faults.latency = 9  # capped at 2 seconds
    await client.get(ROUTES["get_balance"].url())
    assert waited == [0.75, 2.0]


async def test_error_rate_answers_500_json_without_running_the_handler(client, faults, state):
    faults.error_rate = 1.0
    instance = instance_named(state, "gpu-train-1")
    response = await client.post(ROUTES["stop_instance"].url(id=instance.id))
    assert response.status_code == 500 and error_of(response)["code"] == "INTERNAL_ERROR"
    assert instance.status == "ACTIVE" and not state.mutation_counts


async def test_rate_limit_burst_then_normal(client, faults):
    faults.rate_limit_burst, faults.retry_after = 2, 7
    first, second, third = [await client.get(ROUTES["list_regions"].url()) for _ in range(3)]
    for limited in (first, second):
        assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
        assert error_of(limited)["code"] == "RATE_LIMITED"
    assert third.status_code == 200 and faults.rate_limit_burst == 0


async def test_drop_raises_a_transport_error_mid_body(client, faults):
    faults.drop_rate = 1.0
    with pytest.raises(httpx.TransportError):
        await client.get(ROUTES["list_instances"].url())
    faults.drop_rate = 0.0
    assert (await client.get(ROUTES["list_instances"].url())).status_code == 200


async def test_truncate_gives_200_with_broken_json(client, faults):
    faults.truncate_rate = 1.0
    response = await client.get(ROUTES["list_instances"].url())
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


async def test_html_502_page(client, faults):
    faults.html_502_rate = 1.0
    response = await client.get(ROUTES["list_volumes"].url())
    assert response.status_code == 502 and response.headers["content-type"].startswith("text/html")
    assert b"502 Bad Gateway" in response.content


async def test_lose_answer_runs_the_mutation_but_the_answer_is_lost(client, faults, state):
    faults.lose_answer = 1
    instance = instance_named(state, "gpu-train-1")
    assert (await client.get(ROUTES["get_balance"].url())).status_code == 200  # reads are not affected
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(ROUTES["stop_instance"].url(id=instance.id))
    assert instance.status == "STOPPING"  # it happened
    assert faults.lose_answer == 0
    again = await client.post(ROUTES["stop_instance"].url(id=instance.id))
    assert again.status_code == 400 and error_of(again)["message"] == "An operation is already in progress"


async def test_lose_answer_rate_covers_deploys(client, faults, state):
    faults.lose_answer_rate = 1.0
    body = {
        "name": "lost-answer", "region": "NORWAY-1", "gpu_model": "L40", "gpu_count": 1,
        "boot_source": {"type": "os_image", "id": "os-no1-ubuntu-2204-r550-cuda124"},
        "ssh_key_ids": [next(iter(state.ssh_keys))],
    }
    with pytest.raises(httpx.TransportError):
        await client.post(ROUTES["deploy_instance"].url(), json=body)
    assert "lost-answer" in state.names_in_use("instances")


async def test_openapi_is_never_faulted(state, faults):
    from barrack_tui.sim.app import create_app

    faults.error_rate = faults.html_502_rate = faults.drop_rate = 1.0
    faults.rate_limit_burst = 5
    transport = httpx.ASGITransport(app=create_app(state, faults))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as raw:
        response = await raw.get("/openapi.json")
    assert response.status_code == 200 and ROUTES["list_instances"].template in response.json()["paths"]
    assert faults.rate_limit_burst == 5


async def test_random_faults_are_reproducible_with_a_seed(client, faults):
    async def statuses() -> list[int]:
        return [(await client.get(ROUTES["list_regions"].url())).status_code for _ in range(20)]

    faults.error_rate, faults.seed = 0.5, 7
    first = await statuses()
    faults.seed = 7  # setting the seed restarts the sequence
    second = await statuses()
    assert first == second and set(first) == {200, 500}


def test_clear_restores_a_healthy_server():
    config = FaultConfig(latency=1, error_rate=1, rate_limit_burst=3, drop_rate=1, truncate_rate=1, html_502_rate=1,
                         lose_answer=2, lose_answer_rate=1)
    config.clear()
    assert config == FaultConfig(seed=config.seed, retry_after=config.retry_after)
