"""The pollers' loop: each due kind fetched as a task of its own, failures recorded per kind, health in words.

A list endpoint that hangs until its timeout delays only its own area: the
loop starts what is due and goes back to sleep, and a fetch that ends wakes it.
`poll_cycle()` (tests) and `refresh()` (ctrl+r, after a mutation) wait for the
fetches they ask for; `run()` never does.

`Store` mixes this in; it provides the data side (`_fetchers`, `publish`,
`is_busy`, `loaded`...).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from barrack_tui.account.config import PollSettings
from barrack_tui.api.errors import AuthError, NetworkError, RateLimitedError, ServerError
from barrack_tui.api.pages import MAX_SECONDS as PAGE_WALK_SECONDS
from barrack_tui.tui.shell.poll_health import CLIENT_FAULT, KindHealth, KindItems, failure_category, failure_reason
from barrack_tui.tui.shell.polling import PollSchedule

log = logging.getLogger("barrack_tui.tui.shell.store")


@dataclass
class Health:
    """The header's one word on the connection, from the instances poller (the one always running)."""

    state: str  # "loading" | "ok" | "rate_limited" | "failed"
    last_success: float | None = None
    retry_in: float = 0.0
    error: str | None = None
    # When failed: "offline", "server error", "unreadable answer"... (tui/shell/poll_health.py).
    category: str | None = None


class PollLoop:
    """The scheduling half of the store. `_init_loop` must run in the subclass's `__post_init__`."""

    client_getter: Callable[[], Any]
    settings: PollSettings
    clock: Callable[[], float]
    on_auth_error: Callable[[AuthError], None] | None
    loaded: set[str]
    _fetchers: dict[str, Callable[[Any], Awaitable[Any]]]

    def _init_loop(self, random: Callable[[], float] | None) -> None:
        self.schedule = PollSchedule(self.settings) if random is None else PollSchedule(self.settings, random)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._items: dict[str, KindItems] = {}
        self._wake = asyncio.Event()

    if TYPE_CHECKING:  # provided by the store

        @property
        def active_kinds(self) -> list[str]: ...

        def is_busy(self, kind: str) -> bool: ...

        def publish(self, change: Any) -> None: ...

        def _publish_health(self) -> None: ...

    # --- the loop ---------------------------------------------------------------------------------

    async def run(self) -> None:
        """The pollers' worker: start what is due, sleep until the next due time, a finished fetch or a refresh."""
        try:
            while True:
                # Cleared before starting, not after: a refresh, a newly visible screen or a fetch that
                # ends meanwhile must wake the next wait, not be lost for a whole interval.
                self._wake.clear()
                self.start_due()
                # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that arrives as the
                # event is set, and the pollers would outlive their session.
                try:
                    async with asyncio.timeout(self._seconds_until_next()):
                        await self._wake.wait()
                except TimeoutError:
                    pass
        finally:
            self.stop()

    def stop(self) -> None:
        """Cancel every fetch in flight (the session ended or the app quits)."""
        for task in list(self._tasks.values()):
            task.cancel()

    def wake(self) -> None:
        """Have the loop look at the schedule now (the clock moved, or something became due)."""
        self._wake.set()

    def in_flight(self, kind: str) -> bool:
        task = self._tasks.get(kind)
        return task is not None and not task.done()

    def start_due(self) -> dict[str, asyncio.Task[None]]:
        """Start a fetch for every due kind that has none in flight; return those started (never waits)."""
        due = self.schedule.due(self.clock(), self.active_kinds)
        return {kind: self._start(kind) for kind in due if not self.in_flight(kind)}

    async def poll_cycle(self) -> float:
        """Start every due kind and wait for those fetches (tests; the loop itself never waits for them).

        A due kind already in flight is waited for, not fetched twice. Returns seconds until the next is due.
        """
        due = self.schedule.due(self.clock(), self.active_kinds)
        tasks = [self._tasks[kind] if self.in_flight(kind) else self._start(kind) for kind in due]
        if tasks:
            await asyncio.wait(tasks)
        return self._seconds_until_next()

    async def refresh(self, *kinds: str) -> None:
        """Fetch now (ctrl+r, or right after a mutation), whatever the schedule says.

        A fetch already in flight may predate the mutation, so it is waited for and a new one follows.
        """
        targets = [kind for kind in (kinds or tuple(self.active_kinds)) if kind in self._fetchers]
        if targets:
            await asyncio.gather(*(self._fetch_again(kind) for kind in targets))
        self._wake.set()

    async def _fetch_again(self, kind: str) -> None:
        if self.in_flight(kind):
            await asyncio.wait([self._tasks[kind]])
        # Another refresh may have started one meanwhile: it began after this request, so it will do.
        task = self._tasks[kind] if self.in_flight(kind) else self._start(kind)
        await asyncio.wait([task])

    def _start(self, kind: str) -> asyncio.Task[None]:
        task = asyncio.create_task(self._poll(kind), name=f"poll {kind}")
        self._tasks[kind] = task
        task.add_done_callback(lambda _: self._wake.set())
        return task

    def _seconds_until_next(self) -> float:
        # A kind in flight is due already; counting it would spin the loop until its answer comes.
        waiting = [kind for kind in self.active_kinds if not self.in_flight(kind)]
        return self.schedule.seconds_until_next(self.clock(), waiting)

    def _deadline(self, client: Any) -> float | None:
        """How long one kind's fetch may take in all: a page walk's time budget plus one request's timeouts.

        Each request already ends at the client's read timeout; this bounds a transport that does not
        enforce one, or a server that drips a byte just often enough to keep a read alive.
        """
        timeouts = getattr(client, "timeouts", None)
        if timeouts is None:
            return None
        return PAGE_WALK_SECONDS + float(timeouts.connect) + float(timeouts.read)

    async def _poll(self, kind: str) -> None:
        client = self.client_getter()
        if client is None:
            return
        deadline = self._deadline(client)
        limit = asyncio.timeout(deadline)
        try:
            async with limit:
                change = await self._fetchers[kind](client)
        except Exception as exc:  # a poller must never die; its area and the header show the failure
            if isinstance(exc, TimeoutError) and limit.expired():
                origin = getattr(client, "origin", "the Barrack API")
                exc = NetworkError(message=f"no complete answer within {deadline:g} s", target=origin)
            self._record_failure(kind, exc)
        else:
            self.loaded.add(kind)
            self.schedule.record_success(kind, self.clock(), busy=self.is_busy(kind))
            if kind in ("volumes",) and self.is_busy("instances"):
                self.schedule.reschedule("instances", self.clock(), busy=True)
            self.publish(change)
        self._publish_health()

    def _record_failure(self, kind: str, exc: Exception) -> None:
        now = self.clock()
        category, reason = failure_category(exc), failure_reason(exc)
        retry_after = None
        if isinstance(exc, RateLimitedError):
            self.schedule.record_rate_limit(now, exc.retry_after if exc.retry_after is not None else self.settings.fast_seconds)
            retry_after = exc.retry_after
        elif isinstance(exc, ServerError):
            retry_after = exc.retry_after  # a 503's wait delays only this kind: other endpoints may be well
        elif category == CLIENT_FAULT:
            log.error("poll of %s failed", kind, exc_info=exc)
        self.schedule.record_failure(kind, now, str(exc), category=category, reason=reason, retry_after=retry_after)
        if isinstance(exc, AuthError) and self.on_auth_error:
            self.on_auth_error(exc)

    # --- health -----------------------------------------------------------------------------------

    def kind_health(self, kind: str) -> KindHealth:
        """How `kind`'s polls went: loading, ok (since when), or failed (why, when it is tried again)."""
        status = self.schedule.status(kind)
        in_flight = self.in_flight(kind)
        next_in = self.schedule.retry_in(kind, self.clock())
        if status.failures:
            return KindHealth("failed", status.last_success, status.category, status.reason, next_in, in_flight)
        if status.last_success is None:
            return KindHealth("loading", retry_in=next_in, in_flight=in_flight)
        return KindHealth("ok", status.last_success, retry_in=next_in, in_flight=in_flight)

    def kind_items(self, kind: str) -> KindItems:
        """What the last good read of a list kind held besides its items (nothing known yet: all zero)."""
        return self._items.get(kind, KindItems())

    def health(self) -> Health:
        now = self.clock()
        status = self.schedule.status("instances")
        if now < self.schedule.paused_until:
            return Health("rate_limited", status.last_success, self.schedule.paused_until - now, status.last_error, "rate limited")
        if status.failures:
            return Health("failed", status.last_success, self.schedule.retry_in("instances", now), status.last_error, status.category)
        if status.last_success is None:
            return Health("loading")
        return Health("ok", status.last_success)
