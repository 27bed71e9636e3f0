"""Spend over time: what each resource accrued when, and the account's burn per bucket of hours or days.

Two sources, each used where it is the better witness. The billing endpoints
say what a resource accrued in each period, long before this session started,
but they are read for a few resources only (a fleet of 10,000 is not read one
by one). The pollers' samples see the whole account's burn, but only since the
session began. A bucket is priced from the samples where they cover it, and
from the billing records before that.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

HOUR = 3600.0
DAY = 24 * HOUR
ZERO = Decimal("0")
# Samples kept: one per change of the burn; a day of polls every few seconds with a busy fleet stays well under.
MAX_SAMPLES = 20_000


@dataclass(frozen=True, slots=True)
class Charge:
    """An amount accrued evenly over [start, end) (epoch seconds)."""

    start: float
    end: float
    amount: Decimal


def instance_charges(records: Iterable[Any], now: float) -> list[Charge]:
    """An instance's billing records (`BillingRecord`: start, end or None while open, amount) as charges."""
    charges = []
    for record in records:
        start = record.start.timestamp()
        end = record.end.timestamp() if record.end is not None else now
        if end > start and record.amount > 0:
            charges.append(Charge(start, end, record.amount))
    return charges


def volume_charges(records: Iterable[Any], now: float) -> list[Charge]:
    """A volume's hourly bill (`VolumeBillingRecord`: the hour it starts, amount) as charges."""
    charges = []
    for record in records:
        start = record.hour.timestamp()
        end = min(start + HOUR, now)
        if end > start and record.amount > 0:
            charges.append(Charge(start, end, record.amount))
    return charges


def accrued(charges: Iterable[Charge], start: float, end: float) -> Decimal:
    """What `charges` accrued between `start` and `end`."""
    total = ZERO
    for charge in charges:
        overlap = min(end, charge.end) - max(start, charge.start)
        if overlap > 0:
            total += _share(charge, overlap)
    return total


def _share(charge: Charge, overlap: float) -> Decimal:
    duration = charge.end - charge.start
    if overlap >= duration:
        return charge.amount
    return charge.amount * Decimal(overlap) / Decimal(duration)


@dataclass(frozen=True, slots=True)
class Sample:
    """The account's burn per hour as the pollers saw it from `at` until the next sample."""

    at: float
    per_hour: Decimal


class BurnLog:
    """The burn the pollers observed, as a step function: one sample per change."""

    def __init__(self, max_samples: int = MAX_SAMPLES) -> None:
        self._samples: deque[Sample] = deque(maxlen=max_samples)

    def add(self, at: float, per_hour: Decimal) -> bool:
        """Note the burn at `at`; True when it differs from the last sample (so one was kept)."""
        samples = self._samples
        if samples and samples[-1].per_hour == per_hour:
            return False
        if samples and at < samples[-1].at:
            at = samples[-1].at  # a clock that stepped back must not make the function go back in time
        samples.append(Sample(at, per_hour))
        return True

    @property
    def since(self) -> float | None:
        """From when the samples cover the account (None: nothing observed yet)."""
        return self._samples[0].at if self._samples else None

    @property
    def latest(self) -> Sample | None:
        return self._samples[-1] if self._samples else None

    def samples(self) -> list[Sample]:
        return list(self._samples)

    def cost_between(self, start: float, end: float) -> Decimal:
        """What the observed burn spent between `start` and `end` (nothing before the first sample)."""
        total = ZERO
        samples = self._samples
        for index, sample in enumerate(samples):
            until = samples[index + 1].at if index + 1 < len(samples) else end
            overlap = min(end, until) - max(start, sample.at)
            if overlap > 0:
                total += sample.per_hour * Decimal(overlap) / Decimal(HOUR)
        return total


@dataclass(frozen=True)
class Span:
    """A chart's range: `buckets` buckets of `bucket_seconds`, the last one ending now."""

    name: str
    bucket_seconds: float
    buckets: int
    label: str
    unit: str

    @property
    def seconds(self) -> float:
        return self.bucket_seconds * self.buckets


HOURS = Span("hours", HOUR, 48, "last 48 h", "/h")
DAYS = Span("days", DAY, 30, "last 30 days", "/day")
SPANS = (HOURS, DAYS)


def bucket_bounds(span: Span, now: float) -> list[tuple[float, float]]:
    """Each bucket's [start, end), oldest first, aligned to whole hours or UTC days; the last ends now."""
    size = span.bucket_seconds
    last = now - now % size
    if last == now:
        last -= size  # exactly on a boundary: the bucket that just ended is the current one, not an empty one
    starts = [last - size * back for back in range(span.buckets - 1, -1, -1)]
    return [(start, min(start + size, now)) for start in starts]


def period_start(span: Span, now: float) -> float:
    return bucket_bounds(span, now)[0][0]


def burn_series(span: Span, now: float, charges: Iterable[Charge], log: BurnLog) -> list[Decimal]:
    """The burn in each bucket of `span`, per bucket length (per hour or per day), oldest first.

    The current bucket is still filling: its spend so far is scaled to a whole
    bucket, so the last bar reads as a rate, not as a dip.
    """
    bounds = bucket_bounds(span, now)
    observed_from = log.since if log.since is not None else float("inf")
    first = bounds[0][0]
    size = span.bucket_seconds
    # Each charge is spread over the buckets it overlaps (most overlap one), before the samples took over.
    from_billing = [ZERO] * len(bounds)
    for charge in charges:
        start, end = max(charge.start, first), min(charge.end, now, observed_from)
        if end <= start:
            continue
        index = int((start - first) // size)
        while index < len(bounds) and bounds[index][0] < end:
            lo, hi = bounds[index]
            overlap = min(end, hi) - max(start, lo)
            if overlap > 0:
                from_billing[index] += _share(charge, overlap)
            index += 1
    series = []
    for index, (lo, hi) in enumerate(bounds):
        cost = from_billing[index]
        if hi > observed_from:
            cost += log.cost_between(max(lo, observed_from), hi)
        elapsed = hi - lo
        series.append(cost * Decimal(size) / Decimal(elapsed) if elapsed > 0 else ZERO)
    return series
