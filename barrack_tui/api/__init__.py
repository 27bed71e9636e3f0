"""The wire: pydantic models, the routes table, typed errors and the async `BarrackClient`.

Imports only httpx and pydantic (never Textual). The names below are loaded on
first use: importing a light submodule (`api.errors`, `api.routes`) must not
load the client, httpx and every model with it, since the app's first frame
needs the errors but no client. `preload()` loads the client, and what its first
requests would load, in the worker thread the app starts its session from.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from barrack_tui.api import errors
    from barrack_tui.api.client import BarrackClient, ChatStream, Timeouts
    from barrack_tui.api.errors import (
        ApiError,
        AuthError,
        BadResponseError,
        ConflictError,
        InsufficientCreditsError,
        InvalidRequestError,
        NetworkError,
        NotFoundError,
        RateLimitedError,
        RuleRefusedError,
        ServerError,
    )
    from barrack_tui.api.warm import preload

__all__ = [
    "ApiError",
    "AuthError",
    "BadResponseError",
    "BarrackClient",
    "ChatStream",
    "ConflictError",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "NetworkError",
    "NotFoundError",
    "RateLimitedError",
    "RuleRefusedError",
    "ServerError",
    "Timeouts",
    "errors",
    "preload",
]

# Where each offered name lives; `None`: the name is that submodule itself.
_HOMES = {
    "BarrackClient": "client",
    "ChatStream": "client",
    "Timeouts": "client",
    "errors": None,
    "preload": "warm",
    **{name: "errors" for name in __all__ if name.endswith("Error")},
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = _HOMES[name]
    module = importlib.import_module(f"{__name__}.{home or name}")
    value = module if home is None else getattr(module, name)
    globals()[name] = value  # the next lookup finds it without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
