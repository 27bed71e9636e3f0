"""The simulator's routes are built on first use (LazyAPIRoute), and built they are what FastAPI would have built.

The `--demo` child serves sooner for it; nothing a client sees may differ.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from fastapi.routing import APIRoute

from barrack_tui.sim.routes import ALL_ROUTERS
from barrack_tui.sim.routes.common import LazyAPIRoute

REPO = Path(__file__).resolve().parents[2]
OWN = {"_arguments", "_built"}  # the lazy route's bookkeeping, beside what APIRoute sets


def every_route() -> list[LazyAPIRoute]:
    routes = [route for router in ALL_ROUTERS for route in router.routes]
    assert routes and all(isinstance(route, LazyAPIRoute) for route in routes)
    return routes  # type: ignore[return-value]


def eager_and_lazy(route: LazyAPIRoute) -> tuple[APIRoute, LazyAPIRoute]:
    path, endpoint, kwargs = route._arguments
    return APIRoute(path, endpoint, **kwargs), LazyAPIRoute(path, endpoint, **kwargs)


def test_a_built_route_holds_what_an_eager_apiroute_holds():
    for route in every_route():
        eager, lazy = eager_and_lazy(route)
        assert not lazy._built
        lazy.dependant  # noqa: B018 - reading an attribute the constructor sets builds the route
        assert lazy._built
        assert set(vars(lazy)) - OWN == set(vars(eager)), route.path
        for name in ("path", "name", "methods", "unique_id", "status_code", "response_model", "include_in_schema",
                     "path_format", "responses", "response_class", "description", "_embed_body_fields"):
            assert getattr(lazy, name) == getattr(eager, name), (route.path, name)
        for name in ("body_field", "response_field"):  # fields compare by identity: compare what they hold
            built, reference = getattr(lazy, name), getattr(eager, name)
            assert (built is None) == (reference is None), (route.path, name)
            if built is not None:
                assert (built.name, built.mode, built.field_info.annotation) == (
                    reference.name, reference.mode, reference.field_info.annotation), (route.path, name)
        assert sorted(lazy.response_fields) == sorted(eager.response_fields), route.path
        assert lazy.dependant.call is eager.dependant.call
        for kind in ("path_params", "query_params", "header_params", "body_params", "dependencies"):
            assert len(getattr(lazy.dependant, kind)) == len(getattr(eager.dependant, kind)), (route.path, kind)


def test_no_attribute_the_build_sets_has_a_class_default_that_would_hide_it():
    # __getattr__ only runs for a missing attribute: a class-level default would be read in place of the build.
    eager, lazy = eager_and_lazy(every_route()[0])
    set_at_once = set(vars(lazy))
    hidden = [name for name in vars(eager) if name not in set_at_once and hasattr(LazyAPIRoute, name)]
    assert hidden == []


def test_threads_reading_an_unbuilt_route_at_once_all_see_it_built():
    _, lazy = eager_and_lazy(every_route()[0])
    seen: list[object] = []
    start = threading.Barrier(4)

    def read() -> None:
        start.wait()
        seen.append(lazy.app)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(app is seen[0] for app in seen)


def test_creating_the_app_builds_no_route_and_a_request_builds_only_its_own():
    # In a fresh interpreter: in this one, other tests have built the shared routes already.
    script = """
import asyncio, httpx
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.routes.common import LazyAPIRoute
from barrack_tui.sim.seed import seed_demo
state = seed_demo(FakeClock())
app = create_app(state)
routes = [r for r in app.routes if isinstance(r, LazyAPIRoute)]
def built():
    return [r.path for r in routes if r._built]
print(len(routes), built())
async def main():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        answer = await client.get("/api/v1/regions", headers={"Authorization": "Bearer " + state.api_key})
        assert answer.status_code == 200
asyncio.run(main())
print(built())
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()[:2]
    count, before = first.split(" ", 1)
    assert int(count) > 50 and before == "[]"
    assert second == "['/api/v1/regions']"


def test_a_serving_simulator_builds_its_routes_while_idle():
    # In a fresh interpreter, as above. Its routes are built in the server's idle time, so a client's first
    # requests find them built.
    script = """
import time
from barrack_tui.sim.routes import ALL_ROUTERS
from barrack_tui.sim.routes.common import unbuilt_routes
from barrack_tui.sim.server import start_background
running = start_background()
deadline = time.monotonic() + 20
while unbuilt_routes(ALL_ROUTERS) and time.monotonic() < deadline:
    time.sleep(0.01)
print(len(unbuilt_routes(ALL_ROUTERS)))
running.stop()
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0"]
