"""Every router of the simulator, one module per area of the contract."""

from __future__ import annotations

from barrack_tui.sim.routes import (
    account,
    chat,
    firewalls,
    images,
    instances,
    keys,
    scripts,
    snapshots,
    volumes,
)

ALL_ROUTERS = [
    account.router,
    instances.router,
    volumes.router,
    firewalls.router,
    keys.router,
    scripts.router,
    snapshots.router,
    images.router,
    chat.router,
]
