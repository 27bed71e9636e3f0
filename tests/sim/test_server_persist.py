"""The simulator over a real loopback socket (start_background) and the state file (save/load)."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import httpx
import pytest

from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.routes import ROUTES
from barrack_tui.sim import engine
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.persist import load_state, save_state
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.server import is_loopback, start_background
from tests.sim.core_world import instance_named


@pytest.fixture
def running():
    sim = start_background(state=seed_demo(FakeClock()))
    yield sim
    sim.stop()


def test_serves_on_loopback_with_the_key(running):
    assert running.url.startswith("http://127.0.0.1:")
    headers = {"Authorization": f"Bearer {running.api_key}"}
    response = httpx.get(running.url + ROUTES["list_instances"].url(), headers=headers)
    assert response.status_code == 200 and len(response.json()["instances"]) == len(running.state.instances)
    assert httpx.get(running.url + ROUTES["list_instances"].url()).status_code == 401
    assert running.api_key not in repr(running) and running.api_key not in repr(running.state)


def test_a_dropped_connection_over_a_socket_is_a_protocol_error(running):
    running.faults.drop_rate = 1.0
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(running.url + ROUTES["list_instances"].url(), headers={"Authorization": f"Bearer {running.api_key}"})
    running.faults.drop_rate = 0.0
    running.faults.lose_answer = 1
    instance = instance_named(running.state, "gpu-train-1")
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(running.url + ROUTES["stop_instance"].url(id=instance.id), headers={"Authorization": f"Bearer {running.api_key}"})
    assert instance.status == VMStatus.STOPPING


def test_stop_closes_the_port():
    sim = start_background(state=seed_demo(FakeClock()))
    sim.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(sim.url + ROUTES["list_regions"].url())


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_refuses_a_non_loopback_host(host):
    assert not is_loopback(host)
    with pytest.raises(ValueError, match="allow_remote"):
        start_background(host=host, state=seed_demo(FakeClock()))


def test_a_given_api_key_replaces_the_demo_key():
    sim = start_background(state=seed_demo(FakeClock()), api_key="s3cret-test-key")
    try:
        assert sim.api_key == "s3cret-test-key" and "s3cret" not in repr(sim)
        ok = httpx.get(sim.url + ROUTES["list_regions"].url(), headers={"Authorization": "Bearer s3cret-test-key"})
        assert ok.status_code == 200
    finally:
        sim.stop()


def test_state_file_is_written_before_a_mutation_is_answered(tmp_path):
    path = tmp_path / "sim.json"
    sim = start_background(state=seed_demo(FakeClock()), state_file=str(path))
    try:
        instance = instance_named(sim.state, "gpu-train-1")
        response = httpx.post(sim.url + ROUTES["stop_instance"].url(id=instance.id), headers={"Authorization": f"Bearer {sim.api_key}"})
        assert response.status_code == 202
        saved = json.loads(path.read_text())
        assert saved["instances"][instance.id]["status"] == "STOPPING"
        assert "api_key" not in saved and sim.api_key not in path.read_text()
    finally:
        sim.stop()
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["sim.json"]  # no temporary file left behind


def test_save_and_load_round_trip(tmp_path):
    clock = FakeClock()
    state = seed_demo(clock)
    engine.tick(state)
    path = tmp_path / "state.json"
    save_state(state, path)
    loaded = load_state(path, FakeClock())
    assert [i.wire() for i in loaded.instances.values()] == [i.wire() for i in state.instances.values()]
    assert [v.wire(loaded.instances) for v in loaded.volumes.values()] == [v.wire(state.instances) for v in state.volumes.values()]
    assert loaded.stock == state.stock and loaded.balances == state.balances
    assert loaded.instances["ins-0001"].billing == state.instances["ins-0001"].billing
    assert set(loaded.firewalls) == set(state.firewalls) and set(loaded.ssh_keys) == set(state.ssh_keys)
    assert loaded.new_id("ins") == state.new_id("ins")  # counters survive


def test_time_stands_still_while_the_simulator_is_off(tmp_path):
    state = seed_demo(FakeClock())
    engine.tick(state)
    path = tmp_path / "state.json"
    save_state(state, path)
    later = FakeClock(start=state.now() + 86_400)
    loaded = load_state(path, later)
    starting = instance_named(loaded, "dev-a6000")
    assert starting.status == VMStatus.STARTING  # its transition resumes, not skipped
    engine.tick(loaded)
    assert loaded.balances == state.balances  # the day on disk is not billed
    later.advance(loaded.durations.start)
    engine.tick(loaded)
    assert starting.status == VMStatus.ACTIVE
    running = instance_named(loaded, "gpu-train-1").billing
    assert running[-2].end == state.now() and running[-1].start == state.now() + 86_400
    assert running[-2].amount > Decimal("0")
