"""The rule for a resource in a state this version does not know: every action on it waits, and says why.

A live service adds states (a `PAUSED` instance, a `resizing` volume) before
this client learns them. Guessing what such a state allows could send a stop
to a machine mid-migration, so each rule family asks `unknown_state` first
and refuses with one sentence in the dashboard's style that names the value
as it came.
"""

from __future__ import annotations

from barrack_tui.api.unknown import is_unknown
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

CODE_UNKNOWN_STATE = "UNKNOWN_STATE"
MSG_UNKNOWN_STATE = (
    "Cannot act: {thing} status is {value}, which this version of barrack-tui does not know. "
    "Its actions stay disabled until it shows a known status; the Barrack dashboard can still manage it."
)


def refuse_unknown(thing: str, status: object) -> Verdict:
    """The refusal for a status that is not one of this version's (`status` shown as it came)."""
    shown = status if isinstance(status, str) and status else "missing"
    return refuse(CODE_UNKNOWN_STATE, MSG_UNKNOWN_STATE.format(thing=thing, value=shown))


def unknown_state(thing: str, status: object) -> Verdict:
    """Refuses when `status` is a value the client kept as unknown (or is missing); allows otherwise."""
    if is_unknown(status) or status is None:
        return refuse_unknown(thing, status)
    return ALLOWED
