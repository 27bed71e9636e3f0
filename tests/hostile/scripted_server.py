"""A server we did not write, for Pilot tests: the simulator behind a wrapper whose answers a test scripts per path.

    h = make_hostile_harness(initial_mode="volumes")
    h.server.rewrite("/volumes", lambda body: {**body, "volumes": body["volumes"][:1]})
    h.server.respond("/instances", 500, {"error": {"code": "X", "message": "boom"}})
    h.server.respond("/volumes", 503, b"", headers={"Retry-After": "7"})
    h.server.hang("/volumes")          # no answer until h.server.release("/volumes")
    h.server.refuse("/balance")        # the connection is refused, as by a machine with nothing listening

A path matches when it is the path (without the /api/v1 prefix) or lies under
it ("/volumes" matches "/volumes/vol-1/billing", not "/volume-types"). Scripts
apply to GET unless `method=` says otherwise, in the order added (the last
one added for a path wins), and `times=` limits how many requests one serves.

The app's transport ends a request at its read timeout as a socket would
(httpx's in-process ASGI transport never times out), so a hung endpoint here
behaves as a hung server does for a real user.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from barrack_tui.account import auth
from barrack_tui.account.config import Settings
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.state import DEMO_API_KEY, SimState
from barrack_tui.tui.shell.app import BarrackApp
from tests.harness import SIM_URL, Harness

API_PREFIX = "/api/v1"
Rewrite = Callable[[Any], Any]


@dataclass
class _Script:
    path: str
    method: str | None
    action: str  # "rewrite" | "respond" | "hang" | "refuse"
    rewrite: Rewrite | None = None
    status: int = 200
    body: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    times: int | None = None
    released: asyncio.Event | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and method != self.method:
            return False
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")


def _encode(body: Any) -> tuple[bytes, bytes]:
    """(body bytes, content type) for a dict/list (JSON), str or bytes."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body), b"application/octet-stream"
    if isinstance(body, str):
        return body.encode(), b"text/plain"
    return json.dumps(body).encode(), b"application/json"


class ScriptedServer:
    """Pure ASGI: scripted answers for chosen paths, the wrapped app for everything else."""

    def __init__(self, sim_app: Any) -> None:
        self.app = sim_app
        self._scripts: list[_Script] = []
        # (method, path) of every request that reached the wrapper, scripted or not.
        self.requests: list[tuple[str, str]] = []

    # --- scripting ----------------------------------------------------------------------------------

    def rewrite(self, path: str, fn: Rewrite, *, method: str | None = "GET", times: int | None = None) -> None:
        """Let the simulator answer, then pass its JSON body through `fn` (which returns the body to send)."""
        self._scripts.append(_Script(path, method, "rewrite", rewrite=fn, times=times))

    def respond(
        self,
        path: str,
        status: int,
        body: Any = b"",
        headers: dict[str, str] | None = None,
        *,
        method: str | None = "GET",
        times: int | None = None,
    ) -> None:
        """Answer with this status, body (JSON for a dict or list) and headers; the simulator is not asked."""
        payload, content_type = _encode(body)
        raw_headers = [(b"content-type", content_type)] if payload else []
        raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        self._scripts.append(_Script(path, method, "respond", status=status, body=payload, headers=raw_headers, times=times))

    def hang(self, path: str, *, method: str | None = "GET") -> None:
        """Never answer (until `release`): the client's read timeout is what ends the request."""
        self._scripts.append(_Script(path, method, "hang", released=asyncio.Event()))

    def refuse(self, path: str, *, method: str | None = "GET", times: int | None = None) -> None:
        """No HTTP answer at all: the client sees the connection refused."""
        self._scripts.append(_Script(path, method, "refuse", times=times))

    def release(self, path: str | None = None) -> None:
        """Stop hanging (`path`, or every path): waiting requests get what the scripts say now (or the simulator's answer)."""
        for script in list(self._scripts):
            if script.action == "hang" and (path is None or script.path == path):
                assert script.released is not None
                script.released.set()
                self._scripts.remove(script)

    def clear(self) -> None:
        """Back to the plain simulator."""
        self.release()
        self._scripts.clear()

    def count(self, path: str, method: str = "GET") -> int:
        """Requests so far for this path (or under it)."""
        probe = _Script(path, method, "respond")
        return sum(1 for m, p in self.requests if probe.matches(m, p))

    # --- ASGI ---------------------------------------------------------------------------------------

    def _script_for(self, method: str, path: str) -> _Script | None:
        for script in reversed(self._scripts):
            if script.matches(method, path):
                if script.times is not None:
                    script.times -= 1
                    if script.times <= 0:
                        self._scripts.remove(script)
                return script
        return None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"].removeprefix(API_PREFIX)
        self.requests.append((method, path))
        await self._dispatch(method, path, scope, receive, send)

    async def _dispatch(self, method: str, path: str, scope: dict[str, Any], receive: Any, send: Any) -> None:
        script = self._script_for(method, path)
        if script is None:
            await self.app(scope, receive, send)
        elif script.action == "respond":
            await _send(send, script.status, script.headers, script.body)
        elif script.action == "refuse":
            raise httpx.ConnectError("[Errno 111] Connect call failed: Connection refused")
        elif script.action == "hang":
            assert script.released is not None
            await script.released.wait()
            await self._dispatch(method, path, scope, receive, send)
        else:
            await self._rewritten(script, scope, receive, send)

    async def _rewritten(self, script: _Script, scope: dict[str, Any], receive: Any, send: Any) -> None:
        messages: list[dict[str, Any]] = []

        async def capture(message: dict[str, Any]) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        assert script.rewrite is not None
        payload = json.dumps(script.rewrite(json.loads(body))).encode()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await _send(send, start["status"], headers, payload)


async def _send(send: Any, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class SocketLikeTransport(httpx.ASGITransport):
    """The in-process transport, with the read timeout a socket would enforce."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        read = (request.extensions.get("timeout") or {}).get("read")
        try:
            return await asyncio.wait_for(super().handle_async_request(request), timeout=read)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out", request=request) from None


@dataclass
class HostileHarness(Harness):
    server: ScriptedServer = field(repr=False, default=None)  # type: ignore[assignment]


def make_hostile_harness(
    *,
    state: SimState | None = None,
    settings: Settings | None = None,
    initial_mode: str = "regions",
    faults: FaultConfig | None = None,
    read_timeout: float = 30.0,
    key: str = DEMO_API_KEY,
    envelope: bool = False,
) -> HostileHarness:
    """The real app against the simulator (wrapping its answers as the live service does with `envelope`)
    behind a `ScriptedServer` (`h.server`), on a fake clock like make_harness."""
    from barrack_tui.sim.seed import seed_demo

    clock = state.clock if state is not None and isinstance(state.clock, FakeClock) else FakeClock()
    state = state or seed_demo(clock)
    faults = faults or FaultConfig()
    sim_app = create_app(state, faults, envelope=envelope)
    server = ScriptedServer(sim_app)
    settings = settings or Settings()
    settings.base_url = SIM_URL
    settings.timeout_read = read_timeout
    app = BarrackApp(
        settings,
        api_key=auth.ResolvedKey(key, auth.KeySource.ENV),
        transport=SocketLikeTransport(app=server),
        clock=clock.now,
        wall_clock=clock.now,
        look_up_stored_key=False,
        initial_mode=initial_mode,
    )
    return HostileHarness(state=state, faults=faults, clock=clock, app=app, sim_app=sim_app, server=server)
