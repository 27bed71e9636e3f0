"""The billing answers: an instance's billing records, a volume's hourly bill, the hibernation summary.

Built from the records' `BillingPeriod`s (see ledger.py); open periods are
valued up to now, so a summary read mid-hour is exact to the second.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from barrack_tui.api.enums import VMStatus
from barrack_tui.rules.pricing import HIBERNATED_HOURLY, hibernation_saving_per_hour
from barrack_tui.sim.clock import iso
from barrack_tui.sim.ledger import ZERO, cost, open_period, period_amount, period_seconds
from barrack_tui.sim.state import InstanceRecord, SimState, VolumeRecord
from barrack_tui.sim.wire import amount_str

HOUR = 3600.0
# The hourly volume bill lists at most this many hours (30 days); the summary covers everything.
MAX_HOURLY_RECORDS = 720
RECENT_HIBERNATIONS = 5


def instance_billing(state: SimState, instance: InstanceRecord) -> dict[str, Any]:
    """AggregatedBillingResponse: one record per billed period, totals and hours by state."""
    now = state.now()
    hours: dict[str, float] = defaultdict(float)
    total = ZERO
    records = []
    for period in instance.billing:
        amount = period_amount(period, now)
        total += amount
        hours[period.status] += period_seconds(period, now) / HOUR
        records.append(
            {
                "start": iso(period.start),
                "end": iso(period.end) if period.end is not None else None,
                "status": period.status,
                "rate": amount_str(period.rate),
                "amount": amount_str(amount),
            }
        )
    return {
        "instance_id": instance.id,
        "currency": instance.currency,
        "summary": {
            "total": amount_str(total),
            "hours_active": round(hours[VMStatus.ACTIVE], 4),
            "hours_shutoff": round(hours[VMStatus.SHUTOFF], 4),
            "hours_hibernated": round(hours[VMStatus.HIBERNATED], 4),
        },
        "records": records,
    }


def volume_billing(state: SimState, volume: VolumeRecord) -> dict[str, Any]:
    """VolumeHourlyBillingResponse: the bill per clock hour (newest first), size as billed in that hour."""
    now = state.now()
    by_hour: dict[float, list[Any]] = {}
    total = ZERO
    billed_seconds = 0.0
    for period in volume.billing:
        end = period.end if period.end is not None else now
        total += period_amount(period, now)
        billed_seconds += period_seconds(period, now)
        hour = period.start - period.start % HOUR
        # Only the hours that can still be listed: a year-old volume must not cost 8,760 iterations.
        hour = max(hour, now - now % HOUR - HOUR * MAX_HOURLY_RECORDS)
        while hour < end:
            overlap = min(end, hour + HOUR) - max(period.start, hour)
            if overlap > 0:
                slot = by_hour.setdefault(hour, [ZERO, period.size_gb or volume.size_gb])
                slot[0] += cost(period.rate, overlap)
                slot[1] = period.size_gb or volume.size_gb
            hour += HOUR
    hours = sorted(by_hour, reverse=True)[:MAX_HOURLY_RECORDS]
    return {
        "summary": {"total": amount_str(total), "hours": round(billed_seconds / HOUR, 4)},
        "records": [{"hour": iso(h), "size_gb": by_hour[h][1], "amount": amount_str(by_hour[h][0])} for h in hours],
    }


def hibernated_summary(state: SimState) -> dict[str, Any]:
    """GetHibernatedVMsResponse: how many sleep, the latest ones, what they cost and save per hour."""
    hibernated = [i for i in state.instances.values() if i.status == VMStatus.HIBERNATED]

    def since(instance: InstanceRecord) -> float:
        current = open_period(instance.billing)
        return current.start if current is not None and current.status == VMStatus.HIBERNATED else instance.updated_at

    recent = sorted(hibernated, key=since, reverse=True)[:RECENT_HIBERNATIONS]
    hourly = sum((HIBERNATED_HOURLY[i.currency] for i in hibernated), Decimal("0"))
    saved = sum((hibernation_saving_per_hour(i.hourly_price, i.currency) for i in hibernated), Decimal("0"))
    return {
        "count": len(hibernated),
        "recent": [{"instance_id": i.id, "name": i.name, "hibernated_at": iso(since(i))} for i in recent],
        "metrics": {"hourly_rate": amount_str(hourly), "saved_per_hour": amount_str(saved)},
    }
