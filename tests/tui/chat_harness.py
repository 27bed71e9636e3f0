"""Chat test worlds and waits on what the user sees.

`make_socket_harness`: the app against a simulator on a real loopback socket.
`chat_world`: the in-process harness (tests/harness.py) opened on the chat
screen, for everything that does not depend on how a stream is paced.

httpx.ASGITransport hands the app a whole response at once, so a streamed
answer would arrive in one piece; streaming and Escape-mid-stream tests run
the simulator with `sim.server.start_background` instead and talk to it over
TCP with the default transport. The simulator's pause between streamed
pieces (`CHAT_SETTINGS.token_delay`) is set per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual import events

from barrack_tui.account import auth
from barrack_tui.account.config import Settings
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.routes.chat import CHAT_SETTINGS
from barrack_tui.sim.server import RunningSim, start_background
from barrack_tui.sim.state import SimState
from barrack_tui.tui.areas.chat.message import MessageView
from barrack_tui.tui.shell.app import BarrackApp
from tests import harness
from tests.harness import Harness, make_harness

WAIT_LIMIT = 20.0  # seconds of real time a socket test may wait for the simulator before failing
# The network is real here, so waits are real time from the start, with no idle rounds before or after
# (while a reply streams, an idle wait can last most of the stream).
wait_until = partial(harness.wait_until, timeout=WAIT_LIMIT, idle_rounds=0, settle_after=False)


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


async def wait_for_reply_end(pilot: Any) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: not screen.streaming and screen.reply_worker is None, what="the reply to end")
    await pilot.pause()


_KEY_CHARACTERS = {"enter": "\r", "escape": "\x1b"}


async def press_now(pilot: Any, key: str) -> None:
    """A key press delivered like the terminal's, without `pilot.press`'s wait for the app to go idle
    (which, while a reply streams, can wait out most of the stream)."""
    pilot.app.post_message(events.Key(key, _KEY_CHARACTERS.get(key, key)))
    await pilot.pause(0)
    await pilot.pause(0)


async def type_and_send(pilot: Any, text: str) -> None:
    chat_input = pilot.app.screen.chat_input
    chat_input.focus()
    chat_input.insert(text)
    await press_now(pilot, "enter")


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


# --- the in-process world -------------------------------------------------------------------------


def chat_world(**kwargs: Any) -> Harness:
    """The in-process world (ASGI transport) on the chat screen; a stream arrives in one piece."""
    h = make_harness(initial_mode="chat", **kwargs)
    h.sim_app.state.chat_token_delay = 0  # the ASGI transport delivers a stream in one piece anyway
    return h


async def ready(pilot: Any) -> None:
    """Wait (a few idle cycles, no real time) until the model list is loaded."""
    screen = pilot.app.screen
    for _ in range(20):
        if screen.models:
            return
        await pilot.pause()
    raise AssertionError("the model list never arrived")


def answers(app: Any) -> int:
    return sum(1 for v in app.screen.query(MessageView) if v.message.role == "assistant")


async def wait_for_answers(pilot: Any, count: int) -> None:
    screen = pilot.app.screen
    for _ in range(100):
        if answers(pilot.app) == count and not screen.streaming:
            await pilot.pause()
            return
        await pilot.pause()
    raise AssertionError(f"no reply: {screen.query_one('#chat-status').content}")


async def ask(pilot: Any, text: str) -> None:
    """Type a question, press Enter, wait for the reply (in-process worlds only: no real time)."""
    screen = pilot.app.screen
    before = answers(pilot.app)
    screen.chat_input.focus()
    screen.chat_input.insert(text)
    await pilot.press("enter")
    await wait_for_answers(pilot, before + 1)
