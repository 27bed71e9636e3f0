"""The live service's response wrapper: `{success, message, <payload>, request_id}`.

The one response the live service has shown in full (the pricing quote) comes
wrapped this way, so any response may: the client unwraps it wherever it
appears and still accepts a bare payload. `success: false` is an error that
carries the server's `message`; `request_id` is kept for every error and log
line, so a user can quote it to support.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from barrack_tui.api.sanitize import sanitize_line

META_KEYS = frozenset({"success", "message", "request_id"})
# A request id longer than this is not an id; it is cut rather than shown whole.
MAX_REQUEST_ID = 80


@dataclass(frozen=True)
class Unwrapped:
    payload: Any
    wrapped: bool
    success: bool = True
    message: str = ""
    request_id: str | None = None


def clean_request_id(value: object) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = sanitize_line(str(value)).strip()[:MAX_REQUEST_ID]
        return text or None
    return None


def is_envelope(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("success"), bool) and bool(META_KEYS & (data.keys() - {"success"}))


def unwrap(data: Any, fields: frozenset[str] = frozenset()) -> Unwrapped:
    """The payload inside an envelope (or `data` itself when it is bare).

    `fields` are the expected model's field names: when the envelope's one
    other key is not one of them (`pricing_data`, `data`), that key's value is
    the payload; otherwise the envelope minus its meta keys is (a list answer
    `{success, instances, pagination, request_id}` reads as `{instances, pagination}`).
    A `message` the model itself expects (a delete's confirmation) stays in:
    beside the other keys, or lent to a payload that has none of its own.
    """
    if not is_envelope(data):
        return Unwrapped(data, wrapped=False)
    message = data.get("message")
    text = sanitize_line(message)[:400] if isinstance(message, str) else ""
    request_id = clean_request_id(data.get("request_id"))
    rest = {key: value for key, value in data.items() if key not in META_KEYS}
    payload: Any = None
    if len(rest) == 1:
        (key, value), = rest.items()
        if key not in fields and isinstance(value, (dict, list)):
            payload = value
            if "message" in fields and isinstance(value, dict) and "message" not in value and isinstance(message, str):
                payload = {**value, "message": message}
    if payload is None:
        payload = {**rest, "message": message} if "message" in fields and "message" in data else rest
    return Unwrapped(payload, wrapped=True, success=bool(data["success"]), message=text, request_id=request_id)


def request_id_of(headers: Any, body: Any = None) -> str | None:
    """The request id from the body's envelope, else from an `X-Request-Id` header."""
    if isinstance(body, dict):
        found = clean_request_id(body.get("request_id"))
        if found:
            return found
    return clean_request_id(headers.get("x-request-id")) if headers is not None else None
