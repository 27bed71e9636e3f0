"""When to send a request again, how long to wait first, and the loop that does it.

The policy is pure (status/exception/method in, decision out) so it is tested
without a network. The one rule that matters most: a mutation is never sent
twice by accident. GET and DELETE are retried on transient failures (a
repeated DELETE is answered 404, which the client reads as done); POST and
PUT are retried only when the request provably never left this machine (the
connection was never made), as DESIGN.md requires.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC

from barrack_tui.api._httpx import httpx

log = logging.getLogger("barrack_tui.api")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# PUT is idempotent in HTTP's terms, yet DESIGN.md forbids re-sending it once it may have
# reached the server (the simulator counts each one): it is retried like POST.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
MAX_RETRY_AFTER = 60.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0

# The connection was never established, so the server cannot have seen the request.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout)
# Transient failures worth another try for a request that may be repeated safely.
TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

Sleep = Callable[[float], Awaitable[object]]
Random = Callable[[], float]


def backoff_delay(retry_index: int, random: Random) -> float:
    """Wait before retry number `retry_index` (0-based): min(0.5 * 2^n, 8) s, jittered into its upper half.

    Jitter keeps many clients that failed together from retrying together;
    keeping the upper half keeps the wait close to the documented schedule.
    """
    ceiling = min(BACKOFF_BASE * 2.0**retry_index, BACKOFF_CAP)
    return ceiling * (0.5 + 0.5 * min(max(random(), 0.0), 1.0))


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def may_retry_exception(method: str, exc: BaseException) -> bool:
    if isinstance(exc, NEVER_SENT):
        return True
    return method.upper() in IDEMPOTENT_METHODS and isinstance(exc, TRANSIENT)


def may_retry_status(method: str, status: int) -> bool:
    return method.upper() in IDEMPOTENT_METHODS and status in RETRY_STATUSES


def may_have_been_applied(method: str, exc: BaseException) -> bool:
    """True when a failed mutation might still have been carried out by the server."""
    return method.upper() not in ("GET", "HEAD", "OPTIONS") and not isinstance(exc, NEVER_SENT)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    random: Random | None = None
    now: Callable[[], float] = time.time

    def status_delay(self, response: httpx.Response, retry_index: int) -> float | None:
        """The wait before retrying this response, or None when the server asked for longer than we wait."""
        retry_after = parse_retry_after(response.headers.get("retry-after"), self.now())
        if retry_after is None:
            return backoff_delay(retry_index, self.jitter)
        if retry_after > MAX_RETRY_AFTER:
            return None
        return retry_after

    @property
    def jitter(self) -> Random:
        if self.random is not None:
            return self.random
        import random

        return random.random


@dataclass
class Outcome:
    """The last response of the loop and whether an earlier attempt may have reached the server."""

    response: httpx.Response
    attempts: int
    earlier_attempt_reached_server: bool


async def send_with_retries(
    attempt: Callable[[], Awaitable[httpx.Response]],
    *,
    method: str,
    policy: RetryPolicy,
    sleep: Sleep,
    label: str = "",
) -> Outcome:
    """Run `attempt` until it succeeds, fails for good, or retries run out.

    `attempt` returns a response (body read, or open for streaming); a
    response that is retried is closed here before the wait, so retries never
    hold a pooled connection. The final response is returned open or closed
    as `attempt` left it; the caller owns it. Transport errors that are not
    retried propagate unchanged.
    """
    retry_index = 0
    reached = False
    while True:
        try:
            response = await attempt()
        except httpx.TransportError as exc:
            if retry_index >= policy.max_retries or not may_retry_exception(method, exc):
                raise
            reached = reached or not isinstance(exc, NEVER_SENT)
            delay = backoff_delay(retry_index, policy.jitter)
            log.debug("%s failed with %s; retry %d in %.2f s", label, type(exc).__name__, retry_index + 1, delay)
        else:
            if retry_index >= policy.max_retries or not may_retry_status(method, response.status_code):
                return Outcome(response, retry_index + 1, reached)
            status_delay = policy.status_delay(response, retry_index)
            if status_delay is None:
                return Outcome(response, retry_index + 1, reached)
            delay = status_delay
            reached = True
            await response.aclose()
            log.debug("%s answered %d; retry %d in %.2f s", label, response.status_code, retry_index + 1, delay)
        await sleep(delay)
        retry_index += 1
