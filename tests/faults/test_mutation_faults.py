"""No mutation is sent twice under faults: counted on the wire (what left the client) and at the handler.

`WireCounter` sits between the client and the simulator (in front of the
fault middleware), so it sees every attempt the client made, including those
a fault answered before the handler ran; `state.mutation_counts` counts the
ones that reached the handler. A stop from the Instances screen, and POST/PUT
calls through the app's own client, are each sent once whatever the fault.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

from barrack_tui.api.errors import ApiError, NetworkError
from barrack_tui.api.models import CreateVolumeRequest
from barrack_tui.api.routes import ROUTES
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.key_scheme import INSTANCE_ACTION_KEYS
from tests.faults.support import assert_app_healthy, store_matches_simulator
from tests.harness import make_harness, wait_until

STOP = f"POST {ROUTES['stop_instance'].path}"  # the simulator counts requests by route template


class WireCounter:
    """ASGI wrapper: counts every request that arrives, by method and concrete path."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.sent: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.sent[f"{scope['method']} {scope['path']}"] += 1
        await self.app(scope, receive, send)


def counted_harness(**kwargs: Any) -> tuple[Any, WireCounter]:
    h = make_harness(**kwargs)
    wire = WireCounter(h.sim_app)
    # The app builds its clients from this transport when the session starts (on mount).
    h.app._transport = httpx.ASGITransport(app=wire)
    return h, wire


# fault -> (switches, does the handler run, words the user is shown)
STOP_FAULTS: dict[str, tuple[dict[str, Any], bool | None, str]] = {
    "5xx-20-percent": ({"error_rate": 0.2, "seed": 3}, None, ""),
    "5xx": ({"error_rate": 1.0}, False, "The Barrack API failed (500"),
    "429": ({"rate_limit_burst": 1, "retry_after": 3}, False, "Rate limited"),
    "dropped-connection": ({"drop_rate": 1.0}, True, "may have reached the server: refresh before trying again"),
    "lost-answer": ({"lose_answer": 1}, True, "may have reached the server: refresh before trying again"),
    "truncated-json": ({"truncate_rate": 1.0}, True, "cannot read"),
    "html-502-page": ({"html_502_rate": 1.0}, False, "HTML page instead of JSON"),
}


@pytest.mark.parametrize("name", list(STOP_FAULTS))
async def test_stop_from_the_screen_is_sent_once_whatever_the_fault(name: str) -> None:
    switches, handled, shown = STOP_FAULTS[name]
    h, wire = counted_harness(initial_mode="instances")
    target = h.instance_named("gpu-train-1")
    stop_path = f"POST /api/v1/instances/{target.id}/stop"
    async with h.app.run_test(size=(120, 40)) as pilot:
        app = h.app
        await h.poll()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InstancesScreen)
        assert screen.query_one(FleetTable).select_id(target.id)
        await pilot.pause()
        for field, value in switches.items():
            setattr(h.faults, field, value)
        await pilot.press(INSTANCE_ACTION_KEYS["stop"][0])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="stop confirmation")
        await pilot.press("enter")
        await wait_until(pilot, lambda: wire.sent[stop_path] >= 1, what="the stop request")
        await wait_until(pilot, lambda: not any(w.group == "instance-action" and not w.is_finished for w in app.workers),
                         what="the stop worker to finish")
        await pilot.pause()

        assert wire.sent[stop_path] == 1, f"the client sent the stop {wire.sent[stop_path]} times"
        assert h.state.mutation_counts[STOP] <= 1
        if handled is not None:
            assert h.state.mutation_counts[STOP] == int(handled)
        if shown:
            assert any(shown in str(n.message) for n in app._notifications), [n.message for n in app._notifications]
        assert_app_healthy(app)

        # When the fault is gone the screen shows what really happened, without sending anything again.
        h.faults.clear()
        await h.poll("instances")
        await pilot.pause()
        store_matches_simulator(app, h.state)
        expected = "STOPPING" if h.state.mutation_counts[STOP] else "ACTIVE"
        assert app.store.instances[target.id].status == expected
        assert wire.sent[stop_path] == 1


@pytest.mark.parametrize("fault", [{"drop_rate": 1.0}, {"lose_answer": 1}, {"error_rate": 1.0}, {"truncate_rate": 1.0}])
async def test_post_and_put_through_the_apps_client_are_never_repeated(fault: dict[str, Any]) -> None:
    h, wire = counted_harness(initial_mode="volumes")
    script = next(iter(h.state.scripts.values()))
    async with h.app.run_test(size=(120, 40)):
        client = h.app.client
        calls = {
            "POST /api/v1/volumes": lambda: client.create_volume(
                CreateVolumeRequest(name="fault-vol", region="NORWAY-1", size_gb=20, volume_type="Cloud-SSD")
            ),
            f"PUT /api/v1/scripts/{script.id}": lambda: client.update_script(script.id, content="echo changed\n"),
        }
        for path, call in calls.items():
            h.faults.clear()
            for field, value in fault.items():
                setattr(h.faults, field, value)
            with pytest.raises(ApiError) as failed:
                await call()
            if isinstance(failed.value, NetworkError):
                assert failed.value.maybe_applied  # the user is told to look before trying again
            assert wire.sent[path] == 1, f"{path} was sent {wire.sent[path]} times under {fault}"
        h.faults.clear()
        created = [v for v in h.state.volumes.values() if v.name == "fault-vol"]
        assert len(created) == h.state.mutation_counts["POST /volumes"] <= 1
        assert_app_healthy(h.app)


async def test_delete_whose_answer_was_lost_is_repeated_once_and_deletes_once() -> None:
    """DELETE is the one mutation the client repeats (DESIGN.md limits the rule to POST/PUT):
    the repeat is answered 404, which the client reports as done, and the volume is gone exactly once."""
    h, wire = counted_harness(initial_mode="volumes")
    volume = next(v for v in h.state.volumes.values() if v.status == "available" and not v.bootable)
    path = f"DELETE /api/v1/volumes/{volume.id}"
    async with h.app.run_test(size=(120, 40)):
        waits: list[float] = []

        async def no_wait(seconds: float) -> None:
            waits.append(seconds)  # the repeat's backoff is counted, not slept

        h.app.client._sleep = no_wait
        h.faults.lose_answer = 1
        answer = await h.app.client.delete_volume(volume.id)
        assert "deleted" in answer.message.lower()
        assert wire.sent[path] == 2 and len(waits) == 1
        assert volume.id not in h.state.volumes or h.state.volumes[volume.id].status == "deleted"
        assert_app_healthy(h.app)
