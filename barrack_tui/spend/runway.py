"""How long the balance lasts at the current burn, and how that is said."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0")


def runway_hours(balance: Decimal | None, per_hour: Decimal) -> Decimal | None:
    """Hours until the balance is used up at `per_hour`; None when unknown or when nothing bills."""
    if balance is None or per_hour <= 0:
        return None
    return max(ZERO, balance / per_hour)


def describe_runway(hours: Decimal | None, *, balance_known: bool = True) -> str:
    """"35 h", "3 d 4 h", "used up", or why there is no figure."""
    if not balance_known:
        return "…"
    if hours is None:
        return "no end (nothing bills)"
    if hours <= 0:
        return "used up"
    whole = int(hours)
    if whole < 1:
        return f"{int(hours * 60)} min"
    if whole < 72:
        return f"{whole} h"
    return f"{whole // 24} d {whole % 24} h"
