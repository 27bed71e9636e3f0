"""The dependency every route takes: checks the key, moves time forward, hands over the state (`sim/admission.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from barrack_tui.sim.admission import admit, template_of
from barrack_tui.sim.state import SimState


async def get_state(request: Request) -> SimState:
    route = request.scope.get("route")
    template = template_of(request.method, getattr(route, "path", request.url.path))
    return admit(request.app.state.sim, request.headers.get("authorization", ""), request.method, template)


Sim = Annotated[SimState, Depends(get_state)]
"""Type of a route parameter that receives the authenticated, up-to-date state."""
