"""The session's activity log: every entry goes to the account's journal on disk and to the open screens.

Areas, the store and the alerts call `record`; the Activity area subscribes to
see entries as they come. The journal (SQLite) is opened when a session starts
and imported only then, so the first frame loads no database code. A journal
that cannot be opened or written (a full disk, a read-only home) costs the
log its persistence, never the action that was being recorded: the entries
stay in memory for the session and `problem` says why.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from barrack_tui.activity.entry import ACCEPTED, Activity

log = logging.getLogger(__name__)

MAX_IN_MEMORY = 5_000


class ActivityRecorded(Message):
    """A new entry is in the log."""

    def __init__(self, entry: Activity) -> None:
        super().__init__()
        self.entry = entry


class ActivityOpened(Message):
    """The account's journal was read back: every entry may be new to a screen that listed the log before."""


class ActivityLog:
    def __init__(self, wall_clock: Callable[[], float]) -> None:
        self._wall_clock = wall_clock
        self._journal: Any = None
        self._entries: deque[Activity] = deque(maxlen=MAX_IN_MEMORY)
        self._subscribers: list[MessagePump] = []
        self.problem = ""  # why entries are not being kept on disk, if they are not

    def open(self, path: Path) -> None:
        """Use the journal at `path` (the account's), reading back what it kept; the session's entries so far
        are written to it."""
        from barrack_tui.activity.journal import Journal

        self.close()
        try:
            journal = Journal(path, now=self._wall_clock())
            kept = journal.entries()
        except Exception as exc:  # sqlite3.Error or OSError: keep logging in memory, say why
            self.problem = f"the activity log is not being saved ({type(exc).__name__}: {exc})"
            log.warning("%s", self.problem)
            return
        unsaved = list(self._entries)
        self._journal, self.problem = journal, ""
        self._entries = deque(reversed(kept), maxlen=MAX_IN_MEMORY)
        for entry in unsaved:
            self._entries.append(self._save(entry))
        for node in list(self._subscribers):
            node.post_message(ActivityOpened())

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def record(
        self,
        verb: str,
        *,
        target_kind: str = "",
        target_name: str = "",
        target_id: str = "",
        result: str = ACCEPTED,
        message: str = "",
        status: int | None = None,
        request_id: str | None = None,
        cost_effect: str = "",
    ) -> Activity:
        """Add an entry stamped now; every subscriber hears of it."""
        entry = Activity(
            at=self._wall_clock(), verb=verb, target_kind=target_kind, target_name=target_name,
            target_id=target_id, result=result, message=message, status=status, request_id=request_id,
            cost_effect=cost_effect,
        )
        entry = self._save(entry)
        self._entries.append(entry)
        for node in list(self._subscribers):
            node.post_message(ActivityRecorded(entry))
        return entry

    def _save(self, entry: Activity) -> Activity:
        if self._journal is None:
            return entry
        try:
            saved: Activity = self._journal.add(entry)
        except Exception as exc:  # as in `open`: the entry stays in memory
            self.problem = f"the activity log is not being saved ({type(exc).__name__}: {exc})"
            log.warning("%s", self.problem)
            return entry
        return saved

    def entries(self) -> list[Activity]:
        """Every entry this session knows, newest first."""
        return list(reversed(self._entries))

    def subscribe(self, node: MessagePump) -> None:
        if node not in self._subscribers:
            self._subscribers.append(node)

    def unsubscribe(self, node: MessagePump) -> None:
        if node in self._subscribers:
            self._subscribers.remove(node)
