"""Chat test worlds: the app against a simulator on a real loopback socket, and waits on what the user sees.

httpx.ASGITransport hands the app a whole response at once, so a streamed
answer would arrive in one piece; streaming and Escape-mid-stream tests run
the simulator with `sim.server.start_background` instead and talk to it over
TCP with the default transport. The simulator's pause between streamed
pieces (`CHAT_SETTINGS.token_delay`) is set per test.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from barrack_tui import auth
from barrack_tui.config import Settings
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.routes.chat import CHAT_SETTINGS
from barrack_tui.sim.server import RunningSim, start_background
from barrack_tui.sim.state import SimState
from barrack_tui.tui.app import BarrackApp

WAIT_LIMIT = 20.0  # seconds of real time a socket test may wait for the simulator before failing


@dataclass
class SocketHarness:
    running: RunningSim
    state: SimState
    faults: FaultConfig
    clock: FakeClock
    app: BarrackApp

    def new_app(self, *, initial_mode: str = "chat") -> BarrackApp:
        """Another app process (a restart) against the same simulator."""
        self.app = _app(self.running, self.clock, initial_mode)
        return self.app


def _app(running: RunningSim, clock: FakeClock, initial_mode: str) -> BarrackApp:
    settings = Settings()
    settings.base_url = running.url
    return BarrackApp(
        settings,
        api_key=auth.ResolvedKey(running.api_key, auth.KeySource.ENV),
        clock=clock.now,
        wall_clock=clock.now,
        look_up_stored_key=False,
        initial_mode=initial_mode,
    )


@contextmanager
def make_socket_harness(
    *, state: SimState | None = None, token_delay: float = 0.0, initial_mode: str = "chat"
) -> Iterator[SocketHarness]:
    """A running simulator (stopped on exit) and an app pointed at it."""
    from barrack_tui.sim.seed import seed_demo

    clock = state.clock if state is not None and isinstance(state.clock, FakeClock) else FakeClock()
    state = state or seed_demo(clock)
    previous_delay = CHAT_SETTINGS.token_delay
    CHAT_SETTINGS.token_delay = token_delay
    running = start_background(state=state)
    try:
        yield SocketHarness(running, running.state, running.faults, clock, _app(running, clock, initial_mode))
    finally:
        running.stop()
        CHAT_SETTINGS.token_delay = previous_delay


async def wait_until(pilot: Any, condition: Callable[[], bool], *, what: str, limit: float = WAIT_LIMIT) -> None:
    """Let the app run until `condition()` holds (the network is real here, so this is real time)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def wait_for_reply_end(pilot: Any) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: not screen.streaming and screen.reply_worker is None, what="the reply to end")
    await pilot.pause()


async def type_and_send(pilot: Any, text: str) -> None:
    chat_input = pilot.app.screen.chat_input
    chat_input.focus()
    chat_input.insert(text)
    await pilot.press("enter")
    await asyncio.sleep(0)


def screen_lines(app: Any) -> list[str]:
    """What the terminal would show now, line by line (from the compositor, not from widget state)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def screen_click_actions(app: Any) -> list[str]:
    """Every `@click` action attached to text on screen (what a mouse click would run)."""
    actions = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            if "@click" in meta:
                actions.append(str(meta["@click"]))
    return actions
