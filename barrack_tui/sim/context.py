"""The dependency every route takes: checks the key, moves time forward, hands over the state."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from barrack_tui.api.routes import API_PREFIX
from barrack_tui.sim import engine, engine_resources
from barrack_tui.sim.errors import SimError
from barrack_tui.sim.state import SimState


def _tick(state: SimState) -> None:
    engine.tick(state)
    engine_resources.tick(state)


async def get_state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), state.api_key.encode()):
        raise SimError(401, "UNAUTHORIZED", "Invalid or missing API key. Check the key in your Barrack account settings.")
    route = request.scope.get("route")
    # Counted by the contract's own template ("GET /instances/{id}"), without the prefix every route carries.
    template = f"{request.method} {getattr(route, 'path', request.url.path).removeprefix(API_PREFIX)}"
    state.request_counts[template] += 1
    if request.method in ("POST", "PUT", "DELETE", "PATCH"):
        state.mutation_counts[template] += 1
    _tick(state)
    return state


Sim = Annotated[SimState, Depends(get_state)]
"""Type of a route parameter that receives the authenticated, up-to-date state."""
