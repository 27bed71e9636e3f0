"""What every fault test measures: keypress-to-frame time, the app's health, the header's words, fresh data.

`FrameClock` wraps the app's `_display` (the one call that hands a finished
frame to the terminal driver; it runs in headless tests too) so a keypress
is timed to the first frame painted *after* the UI reflects it, not to the
moment a handler returned.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from typing import Any

from textual import events
from textual.worker import WorkerState

from barrack_tui.api.errors import ApiError
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.shell.header import AppHeader

KEYPRESS_BUDGET = 0.100  # seconds: "the UI answers a keypress within 100 ms throughout"


@contextlib.contextmanager
def steady_heap() -> Iterator[None]:
    """Keep the test runner's own heap out of the timings.

    The pytest process holds every module and object of the suite; one full
    (generation 2) collection of that heap takes ~200 ms here and lands on
    whichever keypress is running. Freezing what exists before the measured
    phase leaves the collector the objects the app creates from then on, as
    in a real session whose long-lived start-up objects are rarely rescanned.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class FrameClock:
    """Records when the first frame showing a change was painted."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._shows: Callable[[], bool] | None = None
        self._painted_at: float | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None and self._shows is not None and self._painted_at is None and self._shows():
                self._painted_at = time.perf_counter()
            original(screen, renderable)

        app._display = display

    async def time_key(self, key: str, shows: Callable[[], bool], *, give_up: float = 5.0) -> float:
        """Seconds from delivering `key` to the first frame painted once `shows()` holds."""
        assert not shows(), "the change is already on screen before the key was pressed"
        self._shows, self._painted_at = shows, None
        started = time.perf_counter()
        char = key if len(key) == 1 else None
        # The driver's queue is where a real terminal's keypress arrives; Pilot.press would also wait for idle.
        self.app._driver.send_message(events.Key(key, char))
        try:
            while self._painted_at is None:
                if time.perf_counter() - started > give_up:
                    raise AssertionError(f"no frame showed the effect of {key!r} within {give_up} s")
                await asyncio.sleep(0.001)
            return self._painted_at - started
        finally:
            self._shows = None


async def time_cursor_move(clock: FrameClock, table: FleetTable) -> float:
    """Move the fleet table's cursor one row (down, or up at the bottom) and time it to the frame showing it."""
    last = len(table.model.view) - 1
    key = "down" if table.cursor_index < last else "up"
    # By id, not index: a poll landing meanwhile may re-sort the rows, and the cursor follows its instance.
    start = table.cursor_id
    return await clock.time_key(key, lambda: table.cursor_id != start)


async def time_keys_while(clock: FrameClock, table: FleetTable, busy: asyncio.Task[Any], *, presses: int = 3) -> list[float]:
    """Time cursor moves while `busy` (a poll or an action under a fault) is in flight, then let it finish."""
    timings = [await time_cursor_move(clock, table) for _ in range(presses)]
    await busy
    return timings


def shown_header(app: Any) -> str:
    """The header line as last drawn (not recomputed): what the user is looking at."""
    return app.screen.query_one(AppHeader).render().plain


def assert_app_healthy(app: Any) -> None:
    """No unhandled exception, the app still running, no worker died of a bug, the pollers alive."""
    assert app._exception is None, f"unhandled exception: {app._exception!r}"
    assert app.is_running and app.return_code is None
    crashed = [
        (worker.name, repr(worker.error))
        for worker in app.workers
        if worker.state == WorkerState.ERROR and not isinstance(worker.error, ApiError)
    ]
    assert not crashed, f"workers crashed: {crashed}"
    pollers = [worker for worker in app.workers if worker.group == "pollers"]
    assert pollers and all(worker.state == WorkerState.RUNNING for worker in pollers), "the pollers stopped"


def store_matches_simulator(app: Any, state: Any) -> None:
    """The app shows what the simulator holds now: every instance, with its current name and status."""
    live = {record.id: record for record in state.instances.values() if record.status != "DELETED"}
    shown = app.store.instances
    assert set(shown) == set(live)
    stale = [(i, shown[i].name, shown[i].status) for i in live if (shown[i].name, shown[i].status) != (live[i].name, live[i].status)]
    assert not stale, f"stale rows: {stale}"
