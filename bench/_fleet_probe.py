"""Run by bench/fleet.py: one fleet size in a fresh interpreter, printing one JSON line of timings.

The simulator runs in a child process (so peak RSS is the app's alone) and
is reached over loopback, as in production. Timings are from the moment the
data is in hand to the moment the frame is painted, measured inside the real
app on the Instances screen: `frame()` lets the screen and its widgets handle
every pending message, then paints (what `pilot.pause()` does, without the
~20 ms idle sleep it adds before painting, which would swamp the differences).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


class _Pages(msgspec.Struct):
    total_pages: int


class _Listing(msgspec.Struct):
    pagination: _Pages


PAGINATION = msgspec.json.Decoder(_Listing)


def _serve(fleet: int, queue, stop) -> None:  # noqa: ANN001 - multiprocessing primitives
    from barrack_tui.sim.clock import FakeClock
    from barrack_tui.sim.seed import seed_demo, seed_fleet
    from barrack_tui.sim.server import start_background

    state = seed_demo(FakeClock())
    seed_fleet(state, fleet)
    running = start_background(state=state)
    queue.put((running.url, running.api_key, [i.id for i in state.instances.values() if i.status == "ACTIVE"]))
    stop.wait(600)
    running.stop()


async def frame(pilot) -> None:  # noqa: ANN001
    """Handle what is pending (twice: handlers post follow-ups), then paint the screen's frame now."""
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()


async def probe(url: str, key: str, active_ids: list[str], fleet: int) -> dict[str, float]:
    import httpx

    from barrack_tui.account import auth
    from barrack_tui.account.config import Settings
    from barrack_tui.tui.shell.app import BarrackApp
    from barrack_tui.tui.shell.store import ChangeSet

    settings = Settings(base_url=url)
    app = BarrackApp(settings, api_key=auth.ResolvedKey(key, auth.KeySource.ENV), initial_mode="instances")
    result: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        # Measure our own updates, not whatever the background pollers are doing. They start once the
        # client is loaded (after the first frame), and their first fetch may still be in flight then: wait
        # for both, so that fetch cannot refill the store after the reset (the load below would then reuse
        # its models and time a calm poll, not a first load).
        store = app.store
        while not any(w.group == "pollers" for w in app.workers):
            await pilot.pause()
        app.workers.cancel_group(app, "pollers")
        await asyncio.gather(*(task for task in store._tasks.values() if not task.done()), return_exceptions=True)
        store.instances = {}
        store.publish(ChangeSet("instances", removed=frozenset(store._instance_rates)))
        store._instance_listing, store._instance_rates, store._burn = None, {}, Decimal("0")
        await pilot.pause()
        if store.instances or store._instance_listing is not None:
            raise RuntimeError("the store was refilled after the reset: the first load would not be one")
        client = app.poll_client

        async def poll_from(pages: dict[int, bytes]) -> float:
            """Seconds from the answer's bytes in hand to the repainted frame: parse, diff, apply, render."""
            started = time.perf_counter()

            async def canned(op, *, params=None):  # noqa: ANN001, ANN202 - the client's own signature
                return httpx.Response(200, content=pages[(params or {}).get("page", 1)])

            client._call_raw = canned
            await store.refresh("instances")
            await frame(pilot)
            return time.perf_counter() - started

        async def first_load_from(pages: dict[int, bytes]) -> tuple[float, float]:
            """Seconds from the answer's bytes in hand to the first frame with rows, and to the whole fleet's.

            A big first load paints a look at the table's fields first and validates the fleet after
            (api/fleet_look.py): the frames are painted as the app would, while the load runs.
            """
            started = time.perf_counter()

            async def canned(op, *, params=None):  # noqa: ANN001, ANN202 - the client's own signature
                return httpx.Response(200, content=pages[(params or {}).get("page", 1)])

            client._call_raw = canned
            load = asyncio.create_task(store.refresh("instances"))
            first = None
            while not load.done() and first is None:
                await frame(pilot)
                if app.screen.model.view:
                    first = time.perf_counter() - started
            await load  # nothing on screen changes meanwhile: the app paints nothing until the fleet is in
            await frame(pilot)
            whole = time.perf_counter() - started
            return whole if first is None else first, whole

        async def fetch_pages(http) -> dict[int, bytes]:  # noqa: ANN001
            pages, page = {}, 1
            while True:
                answer = await http.get("/api/v1/instances", params={"per_page": 10000, "page": page})
                pages[page] = answer.content
                # Only the page count: parsing the whole 5 MB page into dicts would add the probe's own
                # ~50 MB to the peak RSS the probe reports as the app's.
                if page >= PAGINATION.decode(answer.content).pagination.total_pages:
                    return pages
                page += 1

        async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
            result["first_frame_s"], result["validated_frame_s"] = await first_load_from(await fetch_pages(http))
            if len(app.screen.model.view) != len(store.instances):
                raise RuntimeError("the frame was painted before the table had the fleet: the measure is wrong")

            idle = []
            for _ in range(5):
                started = time.perf_counter()
                await frame(pilot)
                idle.append((time.perf_counter() - started) * 1000)
            result["idle_frame_ms"] = sorted(idle)[2]

            for instance_id in active_ids[: max(1, fleet // 100)]:
                await http.post(f"/api/v1/instances/{instance_id}/stop")
            pages = await fetch_pages(http)
            before = dict(store.instances)
            result["poll_update_ms"] = await poll_from(pages) * 1000
            result["rows_changed"] = sum(1 for k, v in store.instances.items() if before.get(k) is not v)

        # A keystroke in the filter box changes the Input's value; time that to the repainted frame.
        # (Pilot.press is not used: it waits on every widget's queue, an ~85 ms floor of its own.)
        await pilot.press("slash")
        await pilot.pause()
        box = app.screen.query_one("#fleet-filter")
        keystrokes = []
        for char in "gpu-":
            started = time.perf_counter()
            box.value += char
            await frame(pilot)
            if app.screen.model.filter.text != box.value:
                raise RuntimeError("the frame was painted before the filter applied: the measure is wrong")
            keystrokes.append((time.perf_counter() - started) * 1000)
        result["filter_keystroke_ms"] = sorted(keystrokes)[len(keystrokes) // 2]
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main(fleet: int) -> None:
    ctx = mp.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve, args=(fleet, queue, stop), daemon=True)
    server.start()
    try:
        url, key, active_ids = queue.get(timeout=300)
        result = asyncio.run(probe(url, key, active_ids, fleet))
    finally:
        stop.set()
        server.join(10)
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
