"""Notices: every toast kept in a log of the last 200, and each toast tied to the screen it was raised on.

A toast belongs to the area screen in view when it was raised (a dialog's toast
belongs to the screen under the dialog, so the result of a confirmed action is
not lost when the dialog closes). When another screen comes into view (another
area, a details screen, or back from one), the toasts of the screen left behind
are dismissed; the rest leave after their timeout. The log keeps them all, for
the notices log (`tui/shell/notices_log.py`), as plain text: a toast quotes server
strings, so it is never parsed as markup.

The position of the toasts is in app.tcss: top right, under the header, clear
of the area status line and the key bar at the bottom.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from textual.notifications import Notification

from barrack_tui.api.errors import RateLimitedError
from barrack_tui.tui.shell.poll_health import OFFLINE, RATE_LIMITED, SERVER_ERROR, failure_category, failure_reason

MAX_NOTICES = 200
SEVERITIES = {"information": "info", "warning": "warning", "error": "error"}


def error_notice(error: BaseException) -> tuple[str, str, str] | None:
    """(title, text, severity) for the three failures that are nobody's mistake, each in its own words.

    Offline (no answer at all), a server error (the service failed: 5xx) and a
    rate limit (the service asked to wait) call for different waits and mean
    different things, so none reads like another. None for any other error.
    """
    category = failure_category(error)
    reason = failure_reason(error)
    if category == OFFLINE:
        return "Offline", f"No answer from the Barrack API ({reason}). Check the connection; nothing was changed.", "error"
    if category == SERVER_ERROR:
        return (
            "Server error",
            f"The Barrack API failed to answer ({reason}). It is the service, not your request: try again shortly.",
            "error",
        )
    if category == RATE_LIMITED:
        wait = getattr(error, "retry_after", None) if isinstance(error, RateLimitedError) else None
        after = f"wait {wait:g} s" if wait is not None else "wait a moment"
        return "Rate limited", f"Too many requests: the Barrack API asked to {after} before the next one ({reason}).", "warning"
    return None


@dataclass(frozen=True)
class Notice:
    """One toast as it was shown: when (wall clock, epoch seconds), how severe, its title and text."""

    at: float
    severity: str
    title: str
    text: str


def owner_of(stack: Iterable[Any]) -> Any:
    """The screen a toast raised now belongs to: the topmost screen of `stack` that is not a dialog."""
    from textual.screen import ModalScreen

    owner = None
    for screen in stack:
        if not isinstance(screen, ModalScreen):
            owner = screen
    return owner


class Notices:
    """The log of the last `MAX_NOTICES` notices, and which screen each shown toast belongs to."""

    def __init__(self, clock: Callable[[], float], limit: int = MAX_NOTICES) -> None:
        self._clock = clock
        self._log: deque[Notice] = deque(maxlen=limit)
        # Notification identity -> (the notification, the id of the screen it belongs to).
        self._owners: dict[str, tuple[Notification, int]] = {}

    def __len__(self) -> int:
        return len(self._log)

    def __iter__(self) -> Iterator[Notice]:
        return iter(self._log)

    def newest_first(self) -> list[Notice]:
        return list(reversed(self._log))

    def record(self, notification: Notification, owner: Any) -> None:
        """Log a toast about to be shown and remember the screen it belongs to."""
        severity = SEVERITIES.get(str(notification.severity), str(notification.severity))
        self._log.append(Notice(self._clock(), severity, notification.title, notification.message))
        # Expired toasts are gone from the screen already: keep only the ones still showing.
        self._owners = {key: item for key, item in self._owners.items() if not item[0].has_expired}
        if owner is not None:
            self._owners[notification.identity] = (notification, id(owner))

    def left_behind(self, owner: Any) -> list[Notification]:
        """The toasts of every screen but `owner` (the one now in view); they are forgotten here."""
        keep = id(owner) if owner is not None else None
        gone = [item for item in self._owners.values() if item[1] != keep]
        for notification, _ in gone:
            del self._owners[notification.identity]
        return [notification for notification, _ in gone]

    def forget(self, notification: Notification) -> None:
        self._owners.pop(notification.identity, None)
