"""One line of the activity log: a mutation the app sent, or a change the pollers saw, or an alert.

Every field is plain text (server strings pass the sanitiser before they get
here), so the log, its export and its table never need to escape anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# What happened to a mutation, or what kind of line it is when nothing was sent.
ACCEPTED = "accepted"  # the server took the request
REFUSED = "refused"  # the rules (ours or the server's) said no; `message` holds their words
FAILED = "failed"  # no answer, or the server failed (`status` 0 or 5xx)
OBSERVED = "observed"  # a change the pollers saw (ACTIVE -> SHUTOFF, a volume detached)
ALERT = "alert"  # a budget alert crossed its threshold
WATCH = "watch"  # a watch the user set came true

RESULTS = (ACCEPTED, REFUSED, FAILED, OBSERVED, ALERT, WATCH)

FIELDS = ("at", "verb", "target_kind", "target_name", "target_id", "result", "message", "status", "request_id",
          "cost_effect")


@dataclass(frozen=True)
class Activity:
    """What was done (`verb`: "stop", "delete volume"), to what, and how it ended.

    `at` is wall-clock epoch seconds. `status` is the HTTP status (0: no
    answer, None: nothing was sent). `cost_effect` is what the change does to
    the bill in the confirmation's words ("stopping saves 2.29 USD/h"), or "".
    """

    at: float
    verb: str
    target_kind: str = ""
    target_name: str = ""
    target_id: str = ""
    result: str = ACCEPTED
    message: str = ""
    status: int | None = None
    request_id: str | None = None
    cost_effect: str = ""
    row_id: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The exported fields, in `FIELDS` order."""
        data = asdict(self)
        return {name: data[name] for name in FIELDS}

    def text(self) -> str:
        """Everything a `/` filter matches against, lower-cased."""
        parts = [self.verb, self.target_kind, self.target_name, self.target_id, self.result, self.message,
                 self.request_id or "", self.cost_effect]
        if self.status is not None:
            parts.append(str(self.status))
        return "\0".join(parts).lower()
