"""Read-only mode: every mutation is refused in the action layer, whatever screen it comes from."""

from __future__ import annotations

from typing import Any

from barrack_tui.api.errors import ApiError
from barrack_tui.api.routes import ROUTES
from barrack_tui.tui.shell.read_only import refusal

# POSTs that change nothing in the account's infrastructure.
_NON_MUTATING_POSTS = frozenset({"quote_price", "chat_completion", "stream_chat_completion", "get_snapshot_image_relationships"})

MUTATING_METHODS = frozenset(
    name for name, route in ROUTES.items() if route.method != "GET" and name not in _NON_MUTATING_POSTS
)


class ReadOnlyError(ApiError):
    def __init__(self, operation: str) -> None:
        words = operation.replace("_", " ")
        super().__init__(0, "READ_ONLY", refusal(f"“{words}”"))

    def describe(self) -> str:
        # The refusal is the whole sentence: no HTTP status (none was sent), no second full stop.
        return self.message


class ReadOnlyClient:
    """Forwards reads to the real client; mutations raise ReadOnlyError before any request is made."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name in MUTATING_METHODS:

            async def refused(*_: Any, **__: Any) -> Any:
                raise ReadOnlyError(name)

            return refused
        return getattr(self._client, name)


def guard_client(client: Any) -> ReadOnlyClient:
    return ReadOnlyClient(client)
