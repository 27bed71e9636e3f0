"""What every request to the simulator passes before its route: the key check, the request counts, the clock's tick.

The FastAPI dependency (`sim/context.py`) and the `--demo` child's first
answers (`sim/first_answers.py`, before FastAPI is loaded) both admit a request
here, so a request counts, ticks and is refused the same whichever answers it.
"""

from __future__ import annotations

import hmac

from barrack_tui.api.routes import API_PREFIX
from barrack_tui.sim import engine, engine_resources
from barrack_tui.sim.errors import SimError
from barrack_tui.sim.state import SimState

MUTATING_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
KEY_REFUSED = "Invalid or missing API key. Check the key in your Barrack account settings."


def template_of(method: str, route_path: str) -> str:
    """The key a request is counted under: the contract's own template ("GET /instances/{id}"), without the prefix."""
    return f"{method} {route_path.removeprefix(API_PREFIX)}"


def check_key(state: SimState, authorization: str) -> None:
    """Refuse (401) unless `authorization` is a Bearer header carrying the account's key."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), state.api_key.encode()):
        raise SimError(401, "UNAUTHORIZED", KEY_REFUSED)


def admit(state: SimState, authorization: str, method: str, template: str) -> SimState:
    """Check the key, count the request, move the account's time forward; the state, ready for the route."""
    check_key(state, authorization)
    state.request_counts[template] += 1
    if method in MUTATING_METHODS:
        state.mutation_counts[template] += 1
    engine.tick(state)
    engine_resources.tick(state)
    return state
