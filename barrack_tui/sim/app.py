"""The simulator's ASGI app: the whole contract under /api/v1, OpenAPI at /openapi.json.

Every answer carries an `X-Request-Id`; in envelope mode every JSON answer is
also wrapped as the live service wraps its answers (see `sim/envelope.py`).
"""

from __future__ import annotations

import warnings

from fastapi import FastAPI

from barrack_tui.sim.envelope import EnvelopeMiddleware, RequestIdMiddleware
from barrack_tui.sim.errors import install_error_handlers
from barrack_tui.sim.faults import FaultConfig, FaultMiddleware
from barrack_tui.sim.state import SimState

# FastAPI (0.16x) hands pydantic 2.14 a `Field(alias="body")` for every JSON body parameter, which pydantic
# flags as having no effect. It is FastAPI's internals, harmless, and would otherwise print on every new body model.
warnings.filterwarnings("ignore", message="The 'alias' attribute with value 'body'", category=UserWarning)


def create_app(state: SimState | None = None, faults: FaultConfig | None = None, *, envelope: bool = False) -> FastAPI:
    """Build the app around `state` (a fresh seeded demo account when None).

    `faults` is live: tests flip its fields while the app runs. `envelope`
    wraps every JSON answer in `{success, message, <payload>, request_id}`.
    """
    from barrack_tui.sim import routes
    from barrack_tui.sim.seed import seed_demo

    if state is None:
        state = seed_demo()
    app = FastAPI(title="Barrack API (barrack-tui simulator)", version="1", docs_url=None, redoc_url=None)
    app.state.sim = state
    app.state.faults = faults or FaultConfig()
    install_error_handlers(app)
    # The routers' routes already carry the API prefix; they join the app's own list in the routers' order,
    # which is the order they match in. include_router would build each of them again, lazily, per app.
    app.router.routes.extend(route for router in routes.ALL_ROUTERS for route in router.routes)
    app.state.envelope = envelope
    # The last added runs first. The envelope sits inside the faults, so a truncated or dropped answer is the
    # wrapped one, as it would be on the wire; the request id is outermost, so even a fault's answer has one.
    if envelope:
        app.add_middleware(EnvelopeMiddleware)
    app.add_middleware(FaultMiddleware, config=app.state.faults)
    app.add_middleware(RequestIdMiddleware)
    return app
