"""How each kind's last poll went, in words a screen can show: loading, ok, or failed (and why, and what is stale).

The store records; this module names. A failure's category is what the user
should conclude: "offline" only when no HTTP answer came (check your network),
"server error" for a 5xx or a proxy's error page (the service is failing, not
you), "rate limited" for a 429, "unreadable answer" for a 2xx this version
cannot read. Reasons are short and come from the typed errors, whose server
text is already sanitized and cleared of the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from barrack_tui.api.errors import (
    ApiError,
    AuthError,
    BadResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
    UnsuccessfulError,
)
from barrack_tui.api.sanitize import sanitize_line

if TYPE_CHECKING:  # an annotation only: api.tolerant loads pydantic, which the first frame does without
    from barrack_tui.api.tolerant import ItemProblem

OFFLINE = "offline"
SERVER_ERROR = "server error"
RATE_LIMITED = "rate limited"
UNREADABLE = "unreadable answer"
KEY_REFUSED = "key refused"
REFUSED = "request refused"
CLIENT_FAULT = "client error"

_MAX_REASON = 160

# kind -> the plural noun a status line counts in ("2 of 40 volumes could not be read").
NOUNS: dict[str, str] = {
    "instances": "instances",
    "volumes": "volumes",
    "firewalls": "firewalls",
    "ssh_keys": "SSH keys",
    "scripts": "startup scripts",
    "snapshots": "snapshots",
    "images": "images",
    "regions": "regions",
    "stocks": "GPU stock entries",
    "prices": "prices",
    "balance": "balances",
}


def noun(kind: str) -> str:
    return NOUNS.get(kind, kind.replace("_", " "))


def failure_category(exc: BaseException) -> str:
    if isinstance(exc, RateLimitedError):
        return RATE_LIMITED
    if isinstance(exc, NetworkError):
        return OFFLINE
    if isinstance(exc, ServerError):
        return SERVER_ERROR
    if isinstance(exc, BadResponseError):
        # A proxy's HTML 502 page is the service failing, not an answer we misread.
        return SERVER_ERROR if exc.status >= 500 else UNREADABLE
    if isinstance(exc, UnsuccessfulError):
        return UNREADABLE
    if isinstance(exc, AuthError):
        return KEY_REFUSED
    if isinstance(exc, ApiError):
        return REFUSED
    return CLIENT_FAULT


def failure_reason(exc: BaseException) -> str:
    """A few words on what happened (the category says what it means), with the request id when known."""
    if isinstance(exc, NetworkError):
        text = exc.reason or "no answer"
    elif isinstance(exc, RateLimitedError):
        text = f"HTTP 429{': ' + exc.message if exc.message else ''}"
    elif isinstance(exc, (ServerError, BadResponseError)) and exc.status >= 500:
        text = f"HTTP {exc.status}{': ' + exc.message if exc.message else ''}"
    elif isinstance(exc, BadResponseError):
        text = exc.message
    elif isinstance(exc, UnsuccessfulError):
        text = f"the server reported a failure: {exc.message or 'no reason given'}"
    elif isinstance(exc, ApiError):
        text = exc.describe()
    else:
        # A bug of ours: the type names it for a bug report; str() of a non-API error may quote anything.
        text = f"{type(exc).__name__}: {sanitize_line(str(exc))}"
    request_id = getattr(exc, "request_id", None)
    if request_id:
        text += f" (request id {sanitize_line(str(request_id))})"
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


@dataclass(frozen=True)
class KindHealth:
    """One kind's poll state. `stale` when the last poll failed but older data is still shown.

    `retry_in`: seconds until the kind is asked for again (after a failure, the retry's countdown).
    """

    state: str  # "loading" (never read, no failure yet) | "ok" | "failed"
    last_success: float | None = None
    category: str | None = None
    reason: str | None = None
    retry_in: float = 0.0
    in_flight: bool = False

    @property
    def stale(self) -> bool:
        return self.state == "failed" and self.last_success is not None

    @property
    def has_data(self) -> bool:
        return self.last_success is not None


@dataclass(frozen=True)
class KindItems:
    """What the server sent for a list kind at the last good read: how many, which were refused, the cut."""

    sent: int = 0
    refused: tuple[ItemProblem, ...] = ()
    cut: str | None = None
    request_id: str | None = None

    @classmethod
    def of(cls, items: Any, *, request_id: str | None = None) -> KindItems:
        """From an `ItemList` (or an instance listing's `.refused`/`.cut`); a plain list has nothing refused."""
        refused = tuple(getattr(items, "refused", ()) or ())
        cut = getattr(items, "cut", None)
        return cls(len(items) + len(refused), refused, cut, request_id or getattr(items, "request_id", None))
