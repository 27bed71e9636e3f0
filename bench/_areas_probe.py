"""Run by bench/areas_scale.py: big lists of one kind (or of every kind) in a fresh interpreter, one JSON line out.

The simulator runs in a child process (so peak RSS is the app's alone) with
`n` records of each kind asked for. Each list's answer is fetched once and
kept on disk; during the measures the app's own client gets those bytes from
a replaying transport, so every timing starts with the answer in hand, as in
bench/fleet.py, and includes parsing it.

Per area: "first visit" is switching to the area with its data already in the
store, to its painted frame; "arrive" is the area shown without data (as
while loading), then the answer read into the store and painted; "calm poll"
is the same answer again (nothing changed) to the frame; "next page" is the
`]` key's action to the frame. Then `q`, timed to the app's exit.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# area -> (mode, store kind, tab to show first or None, id of its list widget)
AREAS: dict[str, tuple[str, str, str | None, str]] = {
    "volumes": ("volumes", "volumes", None, "volumes-grid"),
    "firewalls": ("firewalls", "firewalls", None, "fw-table"),
    "snapshots": ("snapshots", "snapshots", "snapshots-tab", "snapshots-table"),
    "images": ("snapshots", "images", "images-tab", "images-table"),
    "ssh_keys": ("keys", "ssh_keys", "keys-tab", "keys-table"),
    "scripts": ("keys", "scripts", "scripts-tab", "scripts-table"),
}
PATHS = {"volumes": "/volumes", "firewalls": "/firewalls", "snapshots": "/snapshots", "images": "/images",
         "ssh_keys": "/ssh-keys", "scripts": "/scripts"}


def _serve(kinds: list[str], n: int, queue, stop) -> None:  # noqa: ANN001 - multiprocessing primitives
    from barrack_tui.sim.clock import FakeClock
    from barrack_tui.sim.seed import seed_demo
    from barrack_tui.sim.seed_scale import seed_many
    from barrack_tui.sim.server import start_background

    state = seed_demo(FakeClock())
    for kind in kinds:
        seed_many(state, kind, n)
    running = start_background(state=state)
    queue.put((running.url, running.api_key))
    stop.wait(900)
    running.stop()


def _replaying_transport(url: str, recorded: dict[tuple[str, str], Path]) -> Any:
    import httpx

    class Replaying(httpx.AsyncBaseTransport):
        """Recorded list answers from disk (read per request, like bytes off the socket); the rest from the simulator."""

        def __init__(self) -> None:
            self.live = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            key = (request.url.path, request.url.params.get("page", "1"))
            if key in recorded:
                return httpx.Response(200, content=recorded[key].read_bytes(), headers={"content-type": "application/json"})
            return await self.live.handle_async_request(request)

        async def aclose(self) -> None:
            await self.live.aclose()

    return Replaying()


async def _record(url: str, key: str, kinds: list[str], folder: Path) -> dict[tuple[str, str], Path]:
    import httpx

    from barrack_tui.api.client import DEFAULT_PER_PAGE

    recorded: dict[tuple[str, str], Path] = {}
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600) as http:
        for kind in kinds:
            path = "/api/v1" + PATHS[kind]
            page = 1
            while True:
                params = {"page": page, "per_page": DEFAULT_PER_PAGE} if kind == "volumes" else {}
                answer = await http.get(path, params=params)
                answer.raise_for_status()
                file = folder / f"{kind}-{page}.json"
                file.write_bytes(answer.content)
                recorded[(path, str(page))] = file
                pagination = answer.json().get("pagination") if kind == "volumes" else None
                if not pagination or page >= pagination["total_pages"]:
                    break
                page += 1
    return recorded


async def frame(pilot) -> None:  # noqa: ANN001
    """Handle what is pending (twice: handlers post follow-ups), then paint the screen's frame now."""
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()


def _rss_now_mb() -> float:
    """Resident memory now (peak RSS is a high-water mark: this shows what stays once the loads are done)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _shows_data(app: Any, area: str) -> bool:
    widget = app.screen.query_one(f"#{AREAS[area][3]}")
    if area == "volumes":
        return any(card.volume is not None for card in widget.children)
    return widget.row_count > 0


async def probe(url: str, key: str, kinds: list[str], folder: Path) -> dict[str, Any]:
    from barrack_tui.account import auth
    from barrack_tui.account.config import Settings
    from barrack_tui.tui.shell.app import BarrackApp
    from barrack_tui.tui.shell.store import ChangeSet

    recorded = await _record(url, key, kinds, folder)
    app = BarrackApp(
        Settings(base_url=url),
        api_key=auth.ResolvedKey(key, auth.KeySource.ENV),
        initial_mode="regions",
        transport=_replaying_transport(url, recorded),
    )
    areas = [area for area in AREAS if AREAS[area][1] in kinds]
    result: dict[str, Any] = {area: {} for area in areas}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.workers.cancel_group(app, "pollers")  # measure our own updates only
        await pilot.pause()
        store = app.store

        def empty(kind: str) -> None:
            """As before the first read: nothing held, and no earlier answer to reuse models from."""
            gone = frozenset(getattr(store, kind))
            setattr(store, kind, {})
            getattr(store, "_listings", {}).pop(kind, None)
            store.loaded.discard(kind)
            store.publish(ChangeSet(kind, removed=gone))

        async def show(area: str) -> None:
            mode, _, tab, _ = AREAS[area]
            app.switch_mode(mode)
            await frame(pilot)
            if tab is not None:
                app.screen.query_one(f"#{tab}").parent.parent.active = tab
                await frame(pilot)

        # Every list read while the Regions screen is shown, then each area's first visit with the data in hand.
        started = time.perf_counter()
        await store.refresh(*kinds)
        await frame(pilot)
        result["load_all_s"] = time.perf_counter() - started
        result["peak_rss_first_load_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for area in areas:
            started = time.perf_counter()
            await show(area)
            result[area]["first_visit_s"] = time.perf_counter() - started
            if not _shows_data(app, area):
                raise RuntimeError(f"{area}: the first visit painted no data: the measure is wrong")

        for area in areas:
            kind = AREAS[area][1]
            await show(area)
            empty(kind)
            await frame(pilot)
            started = time.perf_counter()
            await store.refresh(kind)
            read = time.perf_counter()
            await frame(pilot)
            done = time.perf_counter()
            if not _shows_data(app, area):
                raise RuntimeError(f"{area}: the frame was painted before the data: the measure is wrong")
            result[area]["read_s"] = read - started
            result[area]["paint_s"] = done - read
            result[area]["arrive_s"] = done - started

            started = time.perf_counter()
            await store.refresh(kind)
            await frame(pilot)
            result[area]["calm_poll_ms"] = (time.perf_counter() - started) * 1000

            turn = getattr(app.screen, "action_page", None)
            if turn is not None:
                started = time.perf_counter()
                turn(1)
                await frame(pilot)
                result[area]["next_page_ms"] = (time.perf_counter() - started) * 1000

        result["rss_settled_mb"] = _rss_now_mb()
        quit_started = time.perf_counter()
        await pilot.press("q")
    result["quit_s"] = time.perf_counter() - quit_started
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main(which: str, n: int) -> None:
    kinds = [AREAS[a][1] for a in AREAS] if which == "all" else [which]
    ctx = mp.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve, args=(kinds, n, queue, stop), daemon=True)
    server.start()
    try:
        url, key = queue.get(timeout=600)
        with tempfile.TemporaryDirectory(prefix="barrack-areas-") as folder:
            profile_to = os.environ.get("BENCH_PROFILE")  # a file for cProfile's stats of the app's side
            profiler = cProfile.Profile() if profile_to else None
            if profiler is not None:
                profiler.enable()
            result = asyncio.run(probe(url, key, kinds, Path(folder)))
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(profile_to)
    finally:
        stop.set()
        server.join(10)
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
