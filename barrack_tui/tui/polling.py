"""When each resource kind is polled next: fast while something moves, slow when calm, backing off on errors.

Pure bookkeeping over an injected "now", so tests drive it with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from barrack_tui.config import PollSettings


@dataclass
class KindStatus:
    next_due: float = 0.0
    failures: int = 0
    last_success: float | None = None
    last_error: str | None = None


class PollSchedule:
    def __init__(self, settings: PollSettings) -> None:
        self.settings = settings
        self.kinds: dict[str, KindStatus] = {}
        self.paused_until = 0.0

    def status(self, kind: str) -> KindStatus:
        return self.kinds.setdefault(kind, KindStatus())

    def interval(self, busy: bool) -> float:
        """About 2 s while anything is transitional, about 15 s when all is stable."""
        return self.settings.fast_seconds if busy else self.settings.slow_seconds

    def backoff(self, failures: int) -> float:
        return min(self.settings.fast_seconds * (2 ** max(0, failures - 1)), self.settings.max_backoff_seconds)

    def due(self, now: float, kinds: list[str]) -> list[str]:
        if now < self.paused_until:
            return []
        return [kind for kind in kinds if self.status(kind).next_due <= now]

    def seconds_until_next(self, now: float, kinds: list[str]) -> float:
        if not kinds:
            return self.settings.slow_seconds
        soonest = min(self.status(kind).next_due for kind in kinds)
        return max(0.0, max(soonest, self.paused_until) - now)

    def record_success(self, kind: str, now: float, *, busy: bool) -> None:
        status = self.status(kind)
        status.failures = 0
        status.last_error = None
        status.last_success = now
        status.next_due = now + self.interval(busy)

    def record_failure(self, kind: str, now: float, error: str) -> float:
        status = self.status(kind)
        status.failures += 1
        status.last_error = error
        delay = self.backoff(status.failures)
        status.next_due = now + delay
        return delay

    def record_rate_limit(self, now: float, retry_after: float) -> None:
        """A 429 pauses every poller, not just the one that hit it."""
        self.paused_until = max(self.paused_until, now + max(retry_after, 0.0))

    def reschedule(self, kind: str, now: float, *, busy: bool) -> None:
        """Pull a calm poller forward when something starts moving (an action was just taken)."""
        status = self.status(kind)
        if status.failures == 0:
            status.next_due = min(status.next_due, now + self.interval(busy))

    def request_now(self, kind: str, now: float) -> None:
        self.status(kind).next_due = now
