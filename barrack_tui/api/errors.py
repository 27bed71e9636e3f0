"""Typed API errors, and turning a failed HTTP exchange into one.

Every error's `str()` is a sentence a person can act on; the fields
(`status`, `code`, `message`, `details`) are for code. Server text passes
the sanitizer and a redaction of the API key before it is stored, so neither
an error message, a repr nor a log line built from an error can carry the key
or a terminal control sequence. Pydantic and JSON decoding failures are
summarised (model name, error count, field paths), never chained, so no input
value and no trace dump reaches the user.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from barrack_tui.api.envelope import is_envelope, request_id_of
from barrack_tui.api.sanitize import sanitize_line

if TYPE_CHECKING:  # only an annotation here: whoever holds a ValidationError has loaded pydantic
    import pydantic

REDACTED = "[redacted]"
_MAX_TEXT = 400


class ApiError(Exception):
    """A request the API (or the way to it) did not complete. `status` is 0 when no HTTP answer came."""

    default_status = 0

    def __init__(self, status: int | None, code: str = "", message: str = "", details: Any = None) -> None:
        self.status = self.default_status if status is None else status
        self.code = code
        self.message = message
        self.details = details
        # The server's id for this request (envelope or X-Request-Id), for the user to quote to support.
        self.request_id: str | None = None
        super().__init__(self.describe())

    def describe(self) -> str:
        phrase = _phrase(self.status)
        said = f": {self.message}" if self.message else ""
        return f"The API refused the request ({self.status}{phrase}){said}."

    def with_request_id(self, request_id: str | None) -> ApiError:
        if request_id:
            self.request_id = request_id
        return self

    def __str__(self) -> str:
        text = self.describe()
        return f"{text} (request id {self.request_id})" if self.request_id else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, message={self.message!r})"


class AuthError(ApiError):
    default_status = 401

    def describe(self) -> str:
        said = f": {self.message}" if self.message else ""
        return (
            f"The API refused the key ({self.status}){said}. Run `barrack-tui auth login` to store a valid key "
            "(or set BARRACK_API_KEY), and check that the key is still active in your Barrack account."
        )


class RuleRefusedError(ApiError):
    """A dashboard rule refused the operation; `message` is the rule's own words."""

    default_status = 400

    def describe(self) -> str:
        return self.message or f"The API refused the operation ({self.status} {self.code or 'rule'})."


class InsufficientCreditsError(ApiError):
    default_status = 402

    def describe(self) -> str:
        return f"{self.message or 'Insufficient Credits'}: add credits to your Barrack balance, then try again."


class NotFoundError(ApiError):
    default_status = 404

    def describe(self) -> str:
        return f"{self.message or 'Not found'} (404). It may have been deleted; refresh the list."


class ConflictError(ApiError):
    default_status = 409

    def describe(self) -> str:
        return f"{self.message or 'The resource is busy or the name is taken'} (409). Refresh and try again."


class InvalidRequestError(ApiError):
    """422: the body failed validation. `fields` maps each failing field to what to fix."""

    default_status = 422

    def __init__(self, status: int | None, code: str = "", message: str = "", details: Any = None) -> None:
        self.fields = _field_messages(details)
        super().__init__(status, code, message, details)

    def describe(self) -> str:
        if self.fields:
            listed = "; ".join(f"{name}: {text}" for name, text in self.fields.items())
            return f"The API rejected the input (422). {listed}"
        return f"The API rejected the input (422): {self.message or 'invalid request'}."


class _WaitAdvisedError(ApiError):
    """An error whose answer may say how long to wait (`Retry-After`), in seconds."""

    def __init__(
        self, status: int | None = None, code: str = "", message: str = "", details: Any = None, *,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status, code, message, details)


class RateLimitedError(_WaitAdvisedError):
    """429. `retry_after` is the server's wait in seconds (None when it gave none)."""

    default_status = 429

    def describe(self) -> str:
        if self.retry_after is None:
            return "Rate limited; retry in a few seconds."
        return f"Rate limited; retry in {format_wait(self.retry_after)}"


class ServerError(_WaitAdvisedError):
    """5xx: the service failed. `retry_after` is set when it said how long to wait."""

    default_status = 500

    def describe(self) -> str:
        said = f": {self.message}" if self.message else ""
        wait = format_wait(self.retry_after) if self.retry_after is not None else "a minute"
        return f"The Barrack API failed ({self.status}{_phrase(self.status)}){said}. Try again in {wait}."


class NetworkError(ApiError):
    """No usable HTTP answer: connection refused, DNS, TLS, timeout, dropped connection. `message` is the reason."""

    default_status = 0

    def __init__(
        self, status: int | None = 0, code: str = "NETWORK", message: str = "", details: Any = None, *,
        target: str = "the Barrack API", maybe_applied: bool = False,
    ) -> None:
        self.target = target
        self.maybe_applied = maybe_applied
        super().__init__(status, code, message or "no answer", details)

    @property
    def reason(self) -> str:
        return self.message

    def describe(self) -> str:
        text = f"Could not reach {self.target}: {self.message or 'no answer'}"
        if self.maybe_applied:
            text += ". The request may have reached the server: refresh before trying again"
        return text


class BadResponseError(ApiError):
    """A body that is not the expected JSON (HTML error page, truncated JSON, wrong shape). `message` says what it was."""

    def __init__(
        self, status: int | None, code: str = "BAD_RESPONSE", message: str = "", details: Any = None, *,
        model: str | None = None, error_count: int = 0, locations: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.error_count = error_count
        self.locations = locations
        super().__init__(status, code, message or "an unreadable body", details)

    @property
    def problem(self) -> str:
        return self.message

    def describe(self) -> str:
        text = f"The API sent a response the client cannot read ({self.status}{_phrase(self.status)}): {self.message}"
        if self.status >= 500:
            return text + ". The service or a proxy in front of it is failing; try again in a minute."
        if self.error_count:
            return text + ". The API may be newer than this client; check for an update."
        if "truncated" in self.message:
            return text + ". The answer was cut off; try again."
        if 200 <= self.status < 300:
            return text + ". Check that the base URL points at the Barrack API."
        return text + "."


class UnsuccessfulError(ApiError):
    """An answer wrapped as `{success: false, message}`: the server says the operation failed, whatever the status."""

    def describe(self) -> str:
        return f"The Barrack API reported a failure: {self.message or 'no reason given'}."


_BY_STATUS: dict[int, type[ApiError]] = {
    400: RuleRefusedError,
    401: AuthError,
    402: InsufficientCreditsError,
    404: NotFoundError,
    409: ConflictError,
    422: InvalidRequestError,
}


def format_wait(seconds: float) -> str:
    """A wait a person reads at a glance: `7 s`, `15 min`, `4 h`."""
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{math.ceil(seconds)} s"
    if seconds < 3 * 3600:
        return f"{math.ceil(seconds / 60)} min"
    return f"{math.ceil(seconds / 3600)} h"


def clean_text(value: object, secrets: Iterable[str] = ()) -> str:
    """Server text fit for a message: one line, no control bytes, the key removed, bounded length."""
    text = redact(sanitize_line(str(value)), secrets)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def _redact_tree(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return clean_text(value, secrets)
    if isinstance(value, dict):
        return {clean_text(k, secrets): _redact_tree(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_tree(v, secrets) for v in value]
    return value


def _field_messages(details: Any) -> dict[str, str]:
    fields: dict[str, str] = {}
    entries = details.get("fields") if isinstance(details, dict) else None
    if not isinstance(entries, list):
        return fields
    for entry in entries:
        if isinstance(entry, dict) and "field" in entry:
            fields.setdefault(str(entry["field"]), str(entry.get("message") or entry.get("code") or "invalid"))
    return fields


def _phrase(status: int) -> str:
    try:
        return " " + HTTPStatus(status).phrase
    except ValueError:
        return ""


def describe_body(content_type: str, body: bytes) -> str:
    """What a non-JSON body looks like, without quoting it (it may be anything)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return "an empty body"
    if "html" in kind or body.lstrip()[:1] == b"<":
        return "an HTML page instead of JSON"
    try:
        json.loads(body)
    except ValueError:
        return "truncated or invalid JSON" if body.lstrip()[:1] in (b"{", b"[") else f"{kind or 'text'} instead of JSON"
    return "JSON of an unexpected shape"


def error_from_response(
    status: int,
    body: bytes,
    content_type: str = "",
    *,
    retry_after: float | None = None,
    secrets: Iterable[str] = (),
) -> ApiError:
    """The typed error for a non-2xx answer (the request id from its body attached, when it has one)."""
    error = _error_from_body(status, body, content_type, retry_after, tuple(secrets))
    try:
        data = json.loads(body) if body.strip()[:1] == b"{" else None
    except ValueError:
        data = None
    return error.with_request_id(request_id_of(None, data))


def _error_from_body(
    status: int, body: bytes, content_type: str, retry_after: float | None, secret_list: tuple[str, ...]
) -> ApiError:
    import pydantic

    from barrack_tui.api.models.common import ErrorResponse

    if status == 429:
        # The status and Retry-After carry the meaning; gateways often send HTML here.
        code, message = _error_fields(body, secret_list)
        return RateLimitedError(429, code, message, retry_after=retry_after)
    if not body.strip():
        # An empty body (common from proxies) still says everything through the status.
        return _typed(status, "", "", None, retry_after)
    try:
        parsed = ErrorResponse.model_validate_json(body)
    except (pydantic.ValidationError, ValueError):
        said = _envelope_message(body, secret_list)
        if said is not None:
            return _typed(status, "", said, None, retry_after)
        return BadResponseError(status, message=describe_body(content_type, body))
    error = parsed.error
    return _typed(
        status,
        clean_text(error.code, secret_list),
        clean_text(error.message, secret_list),
        _redact_tree(error.details, secret_list),
        retry_after,
    )


def _envelope_message(body: bytes, secrets: tuple[str, ...]) -> str | None:
    """The `message` of a `{success: false, message, request_id}` error body; None for any other body."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if is_envelope(data) and not data["success"]:
        message = data.get("message")
        return clean_text(message, secrets) if isinstance(message, str) else ""
    return None


def _error_fields(body: bytes, secrets: tuple[str, ...]) -> tuple[str, str]:
    try:
        error = json.loads(body).get("error", {})
        return clean_text(error.get("code", ""), secrets), clean_text(error.get("message", ""), secrets)
    except (ValueError, AttributeError, TypeError):
        return "", ""


def _typed(status: int, code: str, message: str, details: Any, retry_after: float | None) -> ApiError:
    if status >= 500:
        return ServerError(status, code, message, details, retry_after=retry_after)
    return _BY_STATUS.get(status, ApiError)(status, code, message, details)


def error_from_event(error: object, secrets: Iterable[str] = ()) -> ApiError:
    """The typed error for an SSE `{"error": {...}}` event that ended a stream mid-answer."""
    secret_list = tuple(secrets)
    fields = error if isinstance(error, dict) else {"message": error}
    raw_status = fields.get("status")
    status = raw_status if isinstance(raw_status, int) and 400 <= raw_status <= 599 else 500
    code = clean_text(fields.get("code") or "STREAM_ERROR", secret_list)
    message = clean_text(fields.get("message") or "the answer stopped mid-stream", secret_list)
    if status == 429:
        return RateLimitedError(429, code, message)
    return _typed(status, code, message, _redact_tree(fields.get("details"), secret_list), None)


def bad_model_error(status: int, model: type, exc: pydantic.ValidationError) -> BadResponseError:
    """A 2xx body that failed its model: model name, error count, where; never the values."""
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    locations = tuple(
        dict.fromkeys(clean_text(".".join(str(part) for part in err.get("loc", ())) or "(root)") for err in errors)
    )[:3]
    count = exc.error_count()
    where = f" at {', '.join(locations)}" if locations else ""
    noun = "error" if count == 1 else "errors"
    return BadResponseError(
        status,
        message=f"the body does not match {model.__name__} ({count} validation {noun}{where})",
        model=model.__name__,
        error_count=count,
        locations=locations,
    )
