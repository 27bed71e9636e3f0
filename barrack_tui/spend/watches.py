"""State watches: "tell me when my-train is ACTIVE", and when such a watch ends without coming true."""

from __future__ import annotations

from dataclasses import dataclass

# The statuses a watch may wait for: the stable ones (a transitional state passes too fast to be worth a bell).
WATCHABLE = ("ACTIVE", "SHUTOFF", "HIBERNATED", "DELETED")
GONE = "DELETED"

# Where a moving instance is heading, and for a stable one the likeliest next wish: offered first.
_HEADING = {"STARTING": "ACTIVE", "REBOOTING": "ACTIVE", "RESTORING": "ACTIVE", "CREATING": "ACTIVE",
            "BUILDING": "ACTIVE", "STOPPING": "SHUTOFF", "HIBERNATING": "HIBERNATED", "DELETING": GONE,
            "ACTIVE": "SHUTOFF", "SHUTOFF": "ACTIVE", "HIBERNATED": "ACTIVE"}


def choices(status: str) -> list[str]:
    """The statuses worth waiting for from `status`, the one it is heading to first."""
    first = _HEADING.get(status, "ACTIVE")
    return [first, *(s for s in WATCHABLE if s not in (first, status))]


@dataclass(frozen=True)
class StateWatch:
    instance_id: str
    name: str
    status: str

    @property
    def key(self) -> str:
        return f"{self.instance_id}:{self.status}"

    def describe(self) -> str:
        return f"{self.name} is {self.status}" if self.status != GONE else f"{self.name} is deleted"


@dataclass(frozen=True)
class WatchOutcome:
    came_true: bool
    message: str


def watch_outcome(watch: StateWatch, status: str | None) -> WatchOutcome | None:
    """What ends the watch given the instance's status now (None: it is gone), or None while it waits."""
    if status is None:
        if watch.status == GONE:
            return WatchOutcome(True, f"{watch.name} was deleted.")
        return WatchOutcome(False, f"{watch.name} was deleted before it was {watch.status}; the watch ended.")
    if status == watch.status:
        return WatchOutcome(True, f"{watch.name} is {status}.")
    if status == "ERROR":
        return WatchOutcome(False, f"{watch.name} went into ERROR while you waited for {watch.status}; the watch ended.")
    return None
