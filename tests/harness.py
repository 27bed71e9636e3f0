"""One app factory for Pilot and snapshot tests: the real app against the in-process simulator.

The simulator runs with a FakeClock, the app's store and wall clock read the
same fake time, so data ages, accrued costs and transitions are deterministic
and a test moves time with `h.advance(seconds)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from textual.widgets import Input, TextArea

from barrack_tui.account import auth
from barrack_tui.account.config import Settings
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.state import DEMO_API_KEY, SimState
from barrack_tui.tui.shell.app import BarrackApp

SIM_URL = "http://sim.test"


@dataclass
class Harness:
    """The pieces of one test world: simulator state, its fault switches, its clock, the app."""

    state: SimState
    faults: FaultConfig
    clock: FakeClock
    app: BarrackApp
    sim_app: Any = field(repr=False, default=None)

    def advance(self, seconds: float) -> None:
        """Move simulated time (the simulator's transitions and billing, and the app's data age)."""
        self.clock.advance(seconds)

    async def poll(self, *kinds: str) -> None:
        """What the pollers would do on their next cycle, now."""
        await self.app.store.refresh(*kinds)

    def instance_named(self, name: str) -> Any:
        return next(r for r in self.state.instances.values() if r.name == name)

    def volume_named(self, name: str) -> Any:
        return next(r for r in self.state.volumes.values() if r.name == name)


def make_harness(
    *,
    state: SimState | None = None,
    settings: Settings | None = None,
    key: str | None = DEMO_API_KEY,
    read_only: bool = False,
    initial_mode: str = "regions",
    faults: FaultConfig | None = None,
    look_up_stored_key: bool = False,
    keyring_timeout: float = 2.0,
    demo: bool = False,
    envelope: bool = False,
) -> Harness:
    from barrack_tui.sim.seed import seed_demo

    clock = state.clock if state is not None and isinstance(state.clock, FakeClock) else FakeClock()
    state = state or seed_demo(clock)
    faults = faults or FaultConfig()
    sim_app = create_app(state, faults, envelope=envelope)  # envelope: answers wrapped as the live service's
    settings = settings or Settings()
    settings.base_url = SIM_URL
    settings.read_only = read_only or settings.read_only
    resolved = auth.ResolvedKey(key, auth.KeySource.ENV) if key else None
    app = BarrackApp(
        settings,
        api_key=resolved,
        transport=httpx.ASGITransport(app=sim_app),
        clock=clock.now,
        wall_clock=clock.now,
        look_up_stored_key=look_up_stored_key,
        keyring_timeout=keyring_timeout,
        initial_mode=initial_mode,
        demo=demo,
    )
    return Harness(state=state, faults=faults, clock=clock, app=app, sim_app=sim_app)


def still_cursor(app: BarrackApp) -> None:
    """Stop every text cursor blinking so a snapshot does not depend on when it was taken."""
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for widget in screen.query(TextArea):
            widget.cursor_blink = False


async def settle(pilot: Any, rounds: int = 4, *, polls: Iterable[str] = ()) -> None:
    """Let workers finish and the screen repaint: `rounds` idle waits (no real sleeping beyond Textual's own)."""
    if polls:
        await pilot.app.store.refresh(*polls)
    for _ in range(rounds):
        await pilot.pause()


async def wait_until(
    pilot: Any,
    predicate: Callable[[], object],
    *,
    timeout: float = 10.0,
    what: str = "condition",
    idle_rounds: int = 60,
    settle_after: bool = True,
) -> None:
    """Let the app run until `predicate()` holds, or fail naming `what`.

    In-process requests finish within a few idle rounds, so those come first;
    work that needs real time (a thread saving a file, a real socket) is then
    polled every 10 ms up to `timeout`. A screen is current as soon as it is
    pushed, before it has composed its widgets, so one more idle round follows
    (`settle_after=False` where idling would wait out a streaming reply).
    Don't use `app.workers.wait_for_complete()` without a worker list: it also
    waits for the pollers, which run forever.
    """
    for _ in range(idle_rounds):
        if predicate():
            break
        await pilot.pause()
    else:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            await pilot.pause(0.01)
    if settle_after:
        await pilot.pause()
