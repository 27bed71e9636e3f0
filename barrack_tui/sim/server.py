"""Serving the simulator: `serve` (blocking, `barrack-tui sim`) and `start_background` (tests, `--demo`).

Loopback only unless `allow_remote=True`: the simulator has one well-known
demo key. uvicorn runs with log level "warning" and no access log, so no
request line (query strings included) is ever printed. With a state file the
account is saved after every mutation and on shutdown.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from barrack_tui.api.routes import API_PREFIX
from barrack_tui.sim.admission import MUTATING_METHODS
from barrack_tui.sim.app import create_app
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.listener import listening_socket, url_of
from barrack_tui.sim.persist import load_state, save_state
from barrack_tui.sim.state import Durations, SimState

if TYPE_CHECKING:
    from barrack_tui.sim.routes.common import LazyAPIRoute

def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_host(host: str, allow_remote: bool) -> None:
    if not allow_remote and not is_loopback(host):
        raise ValueError(
            f"Refusing to serve the simulator on {host}: it accepts a well-known demo key. "
            "Use 127.0.0.1, or pass allow_remote=True if you really mean it."
        )


class SaveAfterMutations:
    """ASGI wrapper: each mutating request under /api/ is saved to the state file before its answer ends.

    Saving before the last body chunk means a client that got its answer
    can rely on the file holding the change.
    """

    def __init__(self, app: Any, state: SimState, path: Path) -> None:
        self.app = app
        self.state = state
        self.path = path

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        mutating = (
            scope["type"] == "http"
            and scope.get("method") in MUTATING_METHODS
            and scope.get("path", "").startswith(API_PREFIX + "/")
        )
        if not mutating:
            await self.app(scope, receive, send)
            return
        saved = False

        async def send_after_saving(message: dict[str, Any]) -> None:
            nonlocal saved
            if message["type"] == "http.response.body" and not message.get("more_body", False) and not saved:
                save_state(self.state, self.path)
                saved = True
            await send(message)

        try:
            await self.app(scope, receive, send_after_saving)
        finally:
            if not saved:  # the answer was lost or failed: the change may still have happened
                save_state(self.state, self.path)


def _prepare(
    state: SimState | None,
    state_file: str | None,
    api_key: str | None,
    durations: Durations | None,
    faults: FaultConfig | None,
    envelope: bool = False,
) -> tuple[SimState, FaultConfig, Any]:
    from barrack_tui.sim.seed import seed_demo

    if state is None:
        if state_file and Path(state_file).exists():
            from barrack_tui.sim.clock import SystemClock

            state = load_state(state_file, SystemClock())
        else:
            state = seed_demo()
    if api_key:
        state.api_key = api_key
    if durations is not None:
        state.durations = durations
    faults = faults or FaultConfig()
    app: Any = create_app(state, faults, envelope=envelope)
    if state_file:
        app = SaveAfterMutations(app, state, Path(state_file))
    return state, faults, app


def _config(app: Any, host: str, port: int) -> uvicorn.Config:
    # The protocols uvicorn would pick anyway ("auto" tries uvloop, httptools, websockets and wsproto first, and
    # finds none of them installed): named, it does not look. The simulator serves plain HTTP only.
    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
        loop="asyncio", http="h11", ws="none",
    )


class _Server(uvicorn.Server):
    """A uvicorn server that says the moment it accepts connections, then builds its routes while idle.

    Polling `started` every 10 ms cost the `--demo` child ~5 ms on average before READY. `on_up`, if given,
    is called on the server's loop as it starts accepting, with `connection_protocol`: how the `--demo`
    child's first answers hand it the connections they hold (sim/first_answers.py).
    """

    def __init__(self, config: uvicorn.Config, on_up: Callable[[Callable[[], asyncio.Protocol]], None] | None = None) -> None:
        super().__init__(config)
        self.up = threading.Event()
        self.on_up = on_up

    def connection_protocol(self) -> asyncio.Protocol:
        """A protocol for one more connection, as the server makes one for each it accepts (uvicorn's startup)."""
        protocol: asyncio.Protocol = self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )
        return protocol

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            if self.on_up is not None:
                self.on_up(self.connection_protocol)
            self.up.set()
            from barrack_tui.sim.routes import ALL_ROUTERS
            from barrack_tui.sim.routes.common import unbuilt_routes

            asyncio.get_running_loop().call_soon(self._build_next_route, iter(unbuilt_routes(ALL_ROUTERS)))

    def _build_next_route(self, pending: Iterator[LazyAPIRoute]) -> None:
        """Build one route not built yet, and come back for the next, only while no request is being answered.

        The routes are built on first use (LazyAPIRoute); the first one also imports pydantic.v1. The `--demo`
        app's first requests reach the server ~50 ms after it is up: built in that idle time, its first seven
        answers no longer pay for them (~25 ms). A request that comes meanwhile waits for one route at most.
        """
        if self.should_exit:
            return
        loop = asyncio.get_running_loop()
        if self.server_state.tasks:  # answering: the routes wait
            loop.call_later(0.005, self._build_next_route, pending)
            return
        route = next(pending, None)
        if route is not None:
            route.build()
            loop.call_soon(self._build_next_route, pending)


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    api_key: str | None = None,
    state_file: str | None = None,
    faults: FaultConfig | None = None,
    durations: Durations | None = None,
    *,
    allow_remote: bool = False,
    envelope: bool = False,
) -> None:
    """Run the simulator in the foreground until interrupted (Ctrl+C); `envelope` wraps every answer."""
    _check_host(host, allow_remote)
    state, _, app = _prepare(None, state_file, api_key, durations, faults, envelope)
    try:
        _Server(_config(app, host, port)).run()
    finally:
        if state_file:
            save_state(state, state_file)


@dataclass
class RunningSim:
    """A simulator serving in a background thread. `api_key` is kept out of the repr."""

    url: str
    api_key: str = field(repr=False)
    state: SimState = field(repr=False)
    faults: FaultConfig
    _stop: Callable[[], None] = field(repr=False)

    def stop(self) -> None:
        self._stop()

    def __enter__(self) -> RunningSim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_background(
    host: str = "127.0.0.1",
    port: int = 0,
    state: SimState | None = None,
    api_key: str | None = None,
    state_file: str | None = None,
    faults: FaultConfig | None = None,
    durations: Durations | None = None,
    *,
    allow_remote: bool = False,
    startup_timeout: float = 10.0,
    envelope: bool = False,
    sock: socket.socket | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
    on_up: Callable[[Callable[[], asyncio.Protocol]], None] | None = None,
) -> RunningSim:
    """Serve in a daemon thread on `port` (0: a free one); returns once it accepts connections.

    `sock`, a socket from `listener.listening_socket`, is served instead of `host` and `port`; it is the
    caller's to close if this raises. `loop`, an event loop running in another thread, is served on
    instead of a thread of the server's own; `on_up` is called on it as the server starts (see `_Server`).
    """
    if sock is not None:
        host = sock.getsockname()[0]
    _check_host(host, allow_remote)
    state, faults, app = _prepare(state, state_file, api_key, durations, faults, envelope)
    own_socket = sock is None
    if sock is None:
        sock = listening_socket(host, port)
    bound_port = sock.getsockname()[1]
    server = _Server(_config(app, host, bound_port), on_up)
    # Loaded here rather than on the server's loop, which may be answering requests meanwhile.
    server.config.load()
    # Off the main thread uvicorn leaves signal handlers alone (Server.capture_signals).
    serving: threading.Thread | concurrent.futures.Future[None]
    if loop is None:
        serving = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="barrack-sim", daemon=True)
        serving.start()
    else:
        serving = asyncio.run_coroutine_threadsafe(server.serve(sockets=[sock]), loop)
    deadline = time.monotonic() + startup_timeout
    while not server.up.wait(0.05):  # a server that died in startup never sets it
        ended = not serving.is_alive() if isinstance(serving, threading.Thread) else serving.done()
        if ended or time.monotonic() > deadline:
            server.should_exit = True
            if own_socket:
                sock.close()
            raise RuntimeError("The simulator did not start")

    def stop() -> None:
        server.should_exit = True
        if isinstance(serving, threading.Thread):
            serving.join(timeout=5)
        else:
            concurrent.futures.wait([serving], timeout=5)
        sock.close()
        if state_file:
            save_state(state, state_file)

    return RunningSim(url=url_of(host, bound_port), api_key=state.api_key, state=state, faults=faults, _stop=stop)
