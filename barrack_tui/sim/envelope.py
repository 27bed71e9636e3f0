"""Request ids on every answer, and envelope mode: the live service's `{success, message, <payload>, request_id}`.

The one response the live service has shown in full comes wrapped, with a
request id a user can quote to support. `RequestIdMiddleware` gives every
answer an `X-Request-Id` header (in both modes) and leaves the id in the ASGI
scope, so a route that writes its own envelope (the pricing quote) quotes the
same id. `EnvelopeMiddleware` (envelope mode only) wraps each JSON answer under
`/api/v1`: a 2xx as `{success: true, message, <payload key>: <answer>,
request_id}`, an error as `{success: false, message: <the error's message>,
error: <the usual error object>, request_id}`, with the status unchanged.
Streamed chat (`text/event-stream`) and anything that is not JSON pass through
as they are, and an answer that is already an envelope is not wrapped twice.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from barrack_tui.api.routes import API_PREFIX, ROUTES

Scope = dict[str, Any]
Message = dict[str, Any]

# Only the API is wrapped; the trailing slash keeps a sibling such as `/api/v10` out.
WRAPPED_PREFIX = API_PREFIX + "/"
# Where the request id waits in the ASGI scope for the envelope and for routes that write their own.
REQUEST_ID_SCOPE_KEY = "barrack.request_id"
DEFAULT_PAYLOAD_KEY = "data"
# The payload key where the live service is known to use another, by operation: (method, path under the prefix).
_OWN_PAYLOAD_KEYS = {"quote_price": "pricing_data"}
PAYLOAD_KEYS: dict[tuple[str, str], str] = {
    (ROUTES[op].method, path): key
    for op, key in _OWN_PAYLOAD_KEYS.items()
    for path in (ROUTES[op].path, *ROUTES[op].aliases)
}
SUCCESS_MESSAGES = {
    "GET": "Retrieved successfully",
    "POST": "Request completed successfully",
    "PUT": "Updated successfully",
    "DELETE": "Deleted successfully",
}


def new_request_id() -> str:
    """Eight hex digits, the form the live service's ids take."""
    return secrets.token_hex(4)


def request_id_in(scope: Mapping[str, Any]) -> str | None:
    """The id `RequestIdMiddleware` gave this request (None outside it, e.g. an app built without it)."""
    value = scope.get(REQUEST_ID_SCOPE_KEY)
    return value if isinstance(value, str) else None


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((value for key, value in headers if key.lower() == name), b"")


class RequestIdMiddleware:
    """Pure ASGI: a fresh request id per request, sent back as `X-Request-Id` on the answer's headers."""

    def __init__(self, app: Any, ids: Callable[[], str] = new_request_id) -> None:
        self.app = app
        self.ids = ids

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self.ids()
        scope[REQUEST_ID_SCOPE_KEY] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_id)


def payload_key(method: str, path: str) -> str:
    relative = path.removeprefix(API_PREFIX) if path.startswith(WRAPPED_PREFIX) else path
    return PAYLOAD_KEYS.get((method, relative), DEFAULT_PAYLOAD_KEY)


def wrap(body: Any, status: int, *, method: str, path: str, request_id: str | None) -> dict[str, Any]:
    """The envelope for one answer (`body` already parsed from the route's JSON)."""
    if isinstance(body, dict) and isinstance(body.get("success"), bool):
        # The route wrote its own envelope (the pricing quote): keep it, and make its id the header's.
        return {**body, "request_id": request_id} if request_id else body
    if status >= 400:
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        wrapped: dict[str, Any] = {
            "success": False,
            "message": message if isinstance(message, str) else "The request failed",
            "error": error if isinstance(error, dict) else body,
        }
    else:
        said = body.get("message") if isinstance(body, dict) else None
        wrapped = {
            "success": True,
            "message": said if isinstance(said, str) and said else SUCCESS_MESSAGES.get(method, "OK"),
            payload_key(method, path): body,
        }
    wrapped["request_id"] = request_id
    return wrapped


class EnvelopeMiddleware:
    """Pure ASGI: buffers each JSON answer under /api/v1 and sends it wrapped; streams pass untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(WRAPPED_PREFIX):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = _header(message.get("headers", []), b"content-type").lower()
                if content_type.startswith(b"application/json"):
                    start = message
                    return
                await send(message)  # an event stream, HTML, anything not JSON: as it is
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_wrapped(scope, start, b"".join(chunks), send)
            else:
                await send(message)

        await self.app(scope, receive, capture)

    async def _send_wrapped(self, scope: Scope, start: Message, body: bytes, send: Any) -> None:
        payload = wrapped_body(
            body,
            int(start["status"]),
            method=scope.get("method", ""),
            path=scope.get("path", ""),
            request_id=request_id_in(scope),
        )
        await send({**start, "headers": wrapped_headers(start.get("headers", []), payload)})
        await send({"type": "http.response.body", "body": payload, "more_body": False})


def wrapped_body(body: bytes, status: int, *, method: str, path: str, request_id: str | None) -> bytes:
    """The wrapped bytes of one JSON answer's `body` (as they came, if they are not JSON after all)."""
    try:
        parsed = json.loads(body) if body.strip() else {}
    except ValueError:
        return body  # not JSON after all: send what the route sent
    wrapped = wrap(parsed, status, method=method, path=path, request_id=request_id)
    return json.dumps(wrapped, separators=(",", ":")).encode()


def wrapped_headers(headers: list[tuple[bytes, bytes]], payload: bytes) -> list[tuple[bytes, bytes]]:
    """The answer's headers for its wrapped `payload`: the same, with the payload's length last."""
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return [*kept, (b"content-length", str(len(payload)).encode())]
