"""`Unknown`, a server value this version does not know, as plain Python: no pydantic.

The screens and rules that only ask "is this value unknown?" (and the app's
first frame) can then do so without loading pydantic; `api.tolerant`, which
produces these values, offers the same class.
"""

from __future__ import annotations


class Unknown(str):
    """A value this version of barrack-tui does not know (a new status, region, GPU model...), kept as it came."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Unknown({str.__repr__(self)})"


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)
