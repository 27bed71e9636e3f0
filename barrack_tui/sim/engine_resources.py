"""Transitions and billing of firewall attachments, snapshots and images.

Called on every request (after the instance/volume engine) by
`context.get_state`. The resource tables here stay small (tens of records even
in a 10,000-instance fleet), so a sweep per request is cheap; instances are
only ever looked up by id, never scanned.

Snapshot storage is billed like volumes: the storage rate of
`rules.pricing.storage_hourly`, charged per whole elapsed minute of each open
`BillingPeriod` and deducted from the balance of the account's currency; the
billing answer has the shape and order of a volume's hourly bill. (The
instance/volume `Ledger` does not hold snapshot rates: snapshots settle here,
each request, which is cheap because there are few of them.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from barrack_tui.api.enums import ResourceStatus, VMStatus
from barrack_tui.rules.pricing import storage_hourly
from barrack_tui.sim.clock import iso
from barrack_tui.sim.state import BillingPeriod, ImageRecord, Pending, SimState, SnapshotRecord
from barrack_tui.sim.wire import amount_str

_MICRO = Decimal("0.000001")
_SECONDS_PER_HOUR = 3600
# Enough hourly rows for a month: older hours are folded into the summary only.
MAX_BILLING_RECORDS = 24 * 31


def tick(state: SimState) -> None:
    now = state.now()
    _settle_firewall_attachments(state, now)
    _finish_snapshots(state, now)
    _finish_images(state, now)
    for snapshot in state.snapshots.values():
        accrue(state, snapshot.billing, now)


def instance_gone(state: SimState, instance_id: str) -> bool:
    instance = state.instances.get(instance_id)
    return instance is None or instance.status == VMStatus.DELETED


def _settle_firewall_attachments(state: SimState, now: float) -> None:
    for firewall in state.firewalls.values():
        for instance_id in [i for i in firewall.attachments if instance_gone(state, i)]:
            # A deleted instance takes its attachments with it (F5 counts only live ones).
            del firewall.attachments[instance_id]
            firewall.attach_due.pop(instance_id, None)
        for instance_id, due in list(firewall.attach_due.items()):
            if now >= due:
                firewall.attachments[instance_id] = ResourceStatus.SUCCESS
                del firewall.attach_due[instance_id]


def _finish_snapshots(state: SimState, now: float) -> None:
    for snapshot in state.snapshots.values():
        pending = snapshot.pending
        if pending is not None and now >= pending.due:
            snapshot.status = pending.target
            snapshot.pending = None
            if snapshot.status == ResourceStatus.SUCCESS:
                # Billing starts when the snapshot is complete, not when the request arrived.
                open_storage_billing(state, snapshot, start=pending.due)


def _finish_images(state: SimState, now: float) -> None:
    for image in state.images.values():
        pending = image.pending
        if pending is None or now < pending.due:
            continue
        source = state.snapshots.get(image.snapshot_id) if image.snapshot_id else None
        if source is not None and source.status == ResourceStatus.CREATING:
            continue  # an image made with its snapshot waits for the snapshot
        image.status = pending.target if source is not None else ResourceStatus.ERROR
        image.pending = None


def start_snapshot(state: SimState, snapshot: SnapshotRecord) -> None:
    """Put a new snapshot into CREATING; the tick completes it after Durations.snapshot_create."""
    snapshot.status = ResourceStatus.CREATING
    snapshot.pending = Pending(ResourceStatus.SUCCESS, state.now() + state.durations.snapshot_create)


def start_image(state: SimState, image: ImageRecord, *, after: float | None = None) -> None:
    """Put a new image into CREATING, done Durations.image_create after `after` (default: now)."""
    begin = state.now() if after is None else after
    image.status = ResourceStatus.CREATING
    image.pending = Pending(ResourceStatus.SUCCESS, begin + state.durations.image_create)


def open_storage_billing(state: SimState, snapshot: SnapshotRecord, *, start: float) -> None:
    rate = storage_hourly(snapshot.size_gb, state.currency)
    snapshot.billing.append(BillingPeriod(start=start, status=snapshot.status, rate=rate, size_gb=snapshot.size_gb))


def _billed_amount(period: BillingPeriod, until: float) -> Decimal:
    whole_minutes = max(0, int((until - period.start) // 60))
    return (period.rate * whole_minutes / 60).quantize(_MICRO, rounding=ROUND_HALF_UP)


def accrue(state: SimState, periods: list[BillingPeriod], now: float) -> None:
    """Charge the open period for the whole minutes elapsed since it was last charged."""
    if not periods or periods[-1].end is not None:
        return
    period = periods[-1]
    amount = _billed_amount(period, now)
    delta = amount - period.amount
    if delta:
        period.amount = amount
        # Periods carry their rate, not a currency: the account bills in its current currency context.
        state.balances[state.currency] = state.balances.get(state.currency, Decimal("0")) - delta


def close_billing(state: SimState, periods: list[BillingPeriod]) -> None:
    """Settle and close the open period (the resource is being deleted)."""
    now = state.now()
    accrue(state, periods, now)
    if periods and periods[-1].end is None:
        periods[-1].end = now


@dataclass(frozen=True)
class HourlyRow:
    hour: float
    amount: Decimal


def _minutes_in_hour(period_start: float, whole_minutes: int, hour: float) -> int:
    """How many of the period's billed minutes (slots starting at start + k*60) begin inside `hour`."""
    first = max(0, math.ceil((hour - period_start) / 60))
    last = min(whole_minutes, math.ceil((hour + _SECONDS_PER_HOUR - period_start) / 60))
    return max(0, last - first)


def hourly_rows(periods: list[BillingPeriod], now: float) -> tuple[Decimal, float, list[HourlyRow]]:
    """(total billed, hours billed, per-clock-hour rows newest first, at most MAX_BILLING_RECORDS)."""
    buckets: dict[float, Decimal] = {}
    total = Decimal("0")
    seconds = 0.0
    for period in periods:
        end = period.end if period.end is not None else now
        total += period.amount
        seconds += max(0.0, end - period.start)
        whole_minutes = max(0, int((end - period.start) // 60))
        if whole_minutes == 0:
            continue
        last_minute_start = period.start + (whole_minutes - 1) * 60
        first_hour = period.start - period.start % _SECONDS_PER_HOUR
        last_hour = last_minute_start - last_minute_start % _SECONDS_PER_HOUR
        hour = max(first_hour, last_hour - (MAX_BILLING_RECORDS - 1) * _SECONDS_PER_HOUR)
        while hour <= last_hour:
            minutes = _minutes_in_hour(period.start, whole_minutes, hour)
            if minutes:
                buckets[hour] = buckets.get(hour, Decimal("0")) + period.rate * minutes / 60
            hour += _SECONDS_PER_HOUR
    newest_first = sorted(buckets.items(), reverse=True)[:MAX_BILLING_RECORDS]
    rows = [HourlyRow(hour, amount.quantize(_MICRO, rounding=ROUND_HALF_UP)) for hour, amount in newest_first]
    return total, round(seconds / _SECONDS_PER_HOUR, 4), rows


def billing_wire(periods: list[BillingPeriod], size_gb: int, now: float) -> dict[str, object]:
    """The `SnapshotBillingResponse` body: the shape and order of a volume's hourly bill (newest hour first)."""
    total, hours, rows = hourly_rows(periods, now)
    return {
        "summary": {"total": amount_str(total), "hours": hours},
        "records": [{"hour": iso(row.hour), "size_gb": size_gb, "amount": amount_str(row.amount)} for row in rows],
    }
