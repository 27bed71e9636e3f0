"""Billing: per-resource billing periods and the account's per-minute deductions.

How money moves (I3):
- Each billed resource holds `BillingPeriod`s; exactly one is open while it
  bills (its `rate` is the hourly price of its current state). A state change
  closes the open period and opens the next one, so a period's amount is
  pro rata by the second: `rate * seconds / 3600`.
- The account does not walk its resources to charge them: the `Ledger` keeps
  the sum of the open periods' rates (the burn rate) per currency, accrues
  `burn * seconds / 3600` whenever a rate changes, and deducts what accrued
  from `state.balances` at every whole minute counted from `epoch` (the
  moment the simulator started billing this state). Every operation is O(1),
  so a fleet of 10,000 instances costs nothing per tick.

Zero-rate periods (transitional states) are not recorded: they bill nothing.
Amounts keep full Decimal precision internally; the wire rounds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from barrack_tui.sim.state import BillingPeriod

ZERO = Decimal("0")
SECONDS_PER_HOUR = Decimal(3600)


def seconds(span: float) -> Decimal:
    # str() keeps the float's shortest repr, so 60.0 stays exactly 60.
    return Decimal(str(span))


def cost(rate: Decimal, span: float) -> Decimal:
    """What `rate` per hour costs over `span` seconds."""
    if span <= 0 or not rate:
        return ZERO
    return rate * seconds(span) / SECONDS_PER_HOUR


def period_amount(period: BillingPeriod, now: float) -> Decimal:
    """A closed period's amount, or what an open one has cost up to `now`."""
    if period.end is not None:
        return period.amount
    return cost(period.rate, now - period.start)


def period_seconds(period: BillingPeriod, now: float) -> float:
    return max(0.0, (period.end if period.end is not None else now) - period.start)


def open_period(periods: list[BillingPeriod]) -> BillingPeriod | None:
    if periods and periods[-1].end is None:
        return periods[-1]
    return None


@dataclass
class Ledger:
    """The account side of billing: burn rate, accrued-but-not-deducted money, minute boundaries."""

    epoch: float
    settled_at: float
    accrued_at: float
    burn: dict[str, Decimal] = field(default_factory=dict)
    accrued: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def starting_at(cls, now: float) -> Ledger:
        return cls(epoch=now, settled_at=now, accrued_at=now)

    def accrue(self, at: float) -> None:
        """Bring `accrued` up to `at` at the current burn rate."""
        if at <= self.accrued_at:
            return
        span = at - self.accrued_at
        for currency, rate in self.burn.items():
            if rate:
                self.accrued[currency] = self.accrued.get(currency, ZERO) + cost(rate, span)
        self.accrued_at = at

    def add_rate(self, currency: str, rate: Decimal, at: float) -> None:
        self.accrue(at)
        self.burn[currency] = self.burn.get(currency, ZERO) + rate

    def next_minute(self) -> float:
        return self.settled_at + 60.0

    def settle(self, at: float, balances: dict[str, Decimal]) -> None:
        """Deduct everything accrued up to the minute boundary `at`."""
        self.accrue(at)
        for currency, amount in self.accrued.items():
            if amount:
                balances[currency] = balances.get(currency, ZERO) - amount
        self.accrued = {}
        self.settled_at = at

    def projected(self, currency: str, at: float, balances: dict[str, Decimal]) -> Decimal:
        """The balance of `currency` if everything up to `at` were deducted now."""
        pending = self.accrued.get(currency, ZERO) + cost(self.burn.get(currency, ZERO), at - self.accrued_at)
        return balances.get(currency, ZERO) - pending

    def first_minute_at_or_below_zero(self, balances: dict[str, Decimal], limit: float) -> float | None:
        """The earliest minute boundary <= `limit` at which some balance would be <= 0, if any.

        Lets the engine settle many quiet minutes in one step yet still stop
        at the exact minute credits run out (I6).
        """
        first: float | None = None
        for currency, rate in self.burn.items():
            if rate <= 0:
                continue
            if self.projected(currency, limit, balances) > 0:
                continue
            # Seconds after accrued_at at which this balance reaches zero.
            remaining = balances.get(currency, ZERO) - self.accrued.get(currency, ZERO)
            zero_after = float(remaining * SECONDS_PER_HOUR / rate) if remaining > 0 else 0.0
            crossing = self.accrued_at + zero_after
            minutes = max(1, -int(-(crossing - self.settled_at) // 60))  # ceil, at least the next minute
            boundary = self.settled_at + 60.0 * minutes
            # Float rounding may put the ceil one minute early: step until the projection agrees.
            while boundary < limit and self.projected(currency, boundary, balances) > 0:
                boundary += 60.0
            boundary = min(boundary, limit)
            first = boundary if first is None else min(first, boundary)
        return first


def start_billing(
    ledger: Ledger | None,
    periods: list[BillingPeriod],
    *,
    status: str,
    rate: Decimal,
    currency: str,
    at: float,
    size_gb: int | None = None,
) -> None:
    """Open a period at `rate` (nothing is recorded for a zero rate)."""
    if not rate:
        return
    periods.append(BillingPeriod(start=at, status=status, rate=rate, size_gb=size_gb))
    if ledger is not None:
        ledger.add_rate(currency, rate, at)


def stop_billing(ledger: Ledger | None, periods: list[BillingPeriod], *, currency: str, at: float) -> None:
    """Close the open period, if any, at `at` with its final amount."""
    current = open_period(periods)
    if current is None:
        return
    end = max(at, current.start)
    current.end = end
    current.amount = cost(current.rate, end - current.start)
    if ledger is not None:
        ledger.add_rate(currency, -current.rate, at)
