"""When each resource kind is polled next: fast while something moves, slow when calm, backing off on errors.

Pure bookkeeping over an injected "now" (and an injected random source for the
jitter), so tests drive it with a fake clock and get the same waits every run.

A server's own wait (Retry-After on a 429 or a 5xx) is honoured but capped at
`MAX_SERVER_WAIT`: a server that asks for an hour must not leave the screens
frozen for an hour. A 429 pauses every kind (the limit is the account's); a 5xx
delays only the kind that failed (another endpoint may be healthy).
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from dataclasses import dataclass

from barrack_tui.account.config import PollSettings

MAX_SERVER_WAIT = 60.0
# Failed polls wait between (1 - JITTER) and 1 times the backoff, so clients that failed together
# (a whole office behind one proxy) do not all come back in the same second.
JITTER = 0.25


@dataclass
class KindStatus:
    next_due: float = 0.0
    failures: int = 0
    last_success: float | None = None
    # The full sentence of the last failure (logs, tests) and, for the screens, its category and short reason.
    last_error: str | None = None
    category: str | None = None
    reason: str | None = None


def server_wait(retry_after: float) -> float:
    """A server's Retry-After as the pollers use it: never negative, never above `MAX_SERVER_WAIT`."""
    return min(max(retry_after, 0.0), MAX_SERVER_WAIT)


class PollSchedule:
    def __init__(self, settings: PollSettings, random: Callable[[], float] = _random.random) -> None:
        self.settings = settings
        self.random = random
        self.kinds: dict[str, KindStatus] = {}
        self.paused_until = 0.0

    def status(self, kind: str) -> KindStatus:
        return self.kinds.setdefault(kind, KindStatus())

    def interval(self, busy: bool) -> float:
        """About 2 s while anything is transitional, about 15 s when all is stable."""
        return self.settings.fast_seconds if busy else self.settings.slow_seconds

    def backoff(self, failures: int) -> float:
        """The longest wait after `failures` failures in a row: doubling from the fast interval up to the cap."""
        return min(self.settings.fast_seconds * (2 ** max(0, failures - 1)), self.settings.max_backoff_seconds)

    def jittered_backoff(self, failures: int) -> float:
        draw = min(max(self.random(), 0.0), 1.0)
        return self.backoff(failures) * (1.0 - JITTER * draw)

    def due(self, now: float, kinds: list[str]) -> list[str]:
        if now < self.paused_until:
            return []
        return [kind for kind in kinds if self.status(kind).next_due <= now]

    def seconds_until_next(self, now: float, kinds: list[str]) -> float:
        if not kinds:
            return self.settings.slow_seconds
        soonest = min(self.status(kind).next_due for kind in kinds)
        return max(0.0, max(soonest, self.paused_until) - now)

    def retry_in(self, kind: str, now: float) -> float:
        """Seconds until this kind is asked for again (a 429's pause included)."""
        return max(0.0, max(self.status(kind).next_due, self.paused_until) - now)

    def record_success(self, kind: str, now: float, *, busy: bool) -> None:
        status = self.status(kind)
        status.failures = 0
        status.last_error = status.category = status.reason = None
        status.last_success = now
        status.next_due = now + self.interval(busy)

    def record_failure(
        self,
        kind: str,
        now: float,
        error: str,
        *,
        category: str = "failed",
        reason: str | None = None,
        retry_after: float | None = None,
    ) -> float:
        """Back off (jittered); a server's Retry-After, capped, is a floor on the wait. Returns the wait."""
        status = self.status(kind)
        status.failures += 1
        status.last_error = error
        status.category = category
        status.reason = reason if reason is not None else error
        delay = self.jittered_backoff(status.failures)
        if retry_after is not None:
            delay = max(delay, server_wait(retry_after))
        status.next_due = now + delay
        return delay

    def record_rate_limit(self, now: float, retry_after: float) -> None:
        """A 429 pauses every poller, not just the one that hit it."""
        self.paused_until = max(self.paused_until, now + server_wait(retry_after))

    def reschedule(self, kind: str, now: float, *, busy: bool) -> None:
        """Pull a calm poller forward when something starts moving (an action was just taken)."""
        status = self.status(kind)
        if status.failures == 0:
            status.next_due = min(status.next_due, now + self.interval(busy))

    def request_now(self, kind: str, now: float) -> None:
        self.status(kind).next_due = now
