"""The wire: pydantic models, the routes table, typed errors and the async `BarrackClient`.

Imports only httpx and pydantic (never Textual); the models load with the client.
"""

from __future__ import annotations

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
]
