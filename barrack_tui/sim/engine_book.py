"""The engine's book: which transitions are pending, what is billed at what rate, and the changes that keep both true.

Operations on the account (instances_ops, volumes_ops) schedule transitions
and open or close billing here; the engine (`engine.tick`) consumes the book
as time passes and calls those operations back when a transition arrives.
Keeping the book below both is what lets the engine call the operations
without the operations calling the engine.

The index (`EngineBook`) lives in `state.engine` and is rebuilt from the
records when missing (a fresh, loaded or hand-built state).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

from barrack_tui.api.enums import VMStatus
from barrack_tui.rules.pricing import instance_billing_rate, storage_hourly
from barrack_tui.sim.ledger import Ledger, open_period, start_billing, stop_billing
from barrack_tui.sim.state import InstanceRecord, Pending, SimState, VolumeRecord

INSTANCE = "instance"
VOLUME = "volume"

FULL_RATE_STATUSES = frozenset({VMStatus.ACTIVE, VMStatus.SHUTOFF})


@dataclass
class EngineBook:
    ledger: Ledger
    # (due, sequence, kind, id): sequence keeps equal due times in scheduling order.
    heap: list[tuple[float, int, str, str]] = field(default_factory=list)
    sequence: itertools.count[int] = field(default_factory=itertools.count)
    # Instances billed at their full rate: the ones I6 hibernates.
    full_rate: set[str] = field(default_factory=set)

    def push(self, due: float, kind: str, resource_id: str) -> None:
        heapq.heappush(self.heap, (due, next(self.sequence), kind, resource_id))


def book(state: SimState) -> EngineBook:
    """The engine's index for `state`, built from the records the first time."""
    if not isinstance(state.engine, EngineBook):
        state.engine = _rebuild(state)
    return state.engine


def invalidate(state: SimState) -> None:
    """Forget the index: records were added or changed behind the engine's back (seed, load)."""
    state.engine = None


def _rebuild(state: SimState) -> EngineBook:
    now = state.now()
    built = EngineBook(ledger=Ledger.starting_at(now))
    for instance in state.instances.values():
        if instance.pending is not None:
            built.push(instance.pending.due, INSTANCE, instance.id)
        if instance.status in FULL_RATE_STATUSES:
            built.full_rate.add(instance.id)
        current = open_period(instance.billing)
        if current is not None:
            # History before `now` is already in the balance; only the rate matters from here.
            built.ledger.burn[instance.currency] = built.ledger.burn.get(instance.currency, 0) + current.rate
    for volume in state.volumes.values():
        if volume.pending is not None:
            built.push(volume.pending.due, VOLUME, volume.id)
        current = open_period(volume.billing)
        if current is not None:
            built.ledger.burn[state.currency] = built.ledger.burn.get(state.currency, 0) + current.rate
    return built


def schedule(state: SimState, kind: str, record: InstanceRecord | VolumeRecord, target: str, due: float) -> None:
    """`record` becomes `target` at `due` (replacing any transition it had)."""
    record.pending = Pending(target=target, due=due)
    book(state).push(due, kind, record.id)


# ---- billing by state ----


def set_instance_status(state: SimState, instance: InstanceRecord, status: str, at: float) -> None:
    """Change an instance's status at time `at`, closing and opening its billing periods (I3)."""
    engine = book(state)
    if status != instance.status:
        # Every billed state gets its own record (ACTIVE and SHUTOFF share a rate but not a meaning).
        stop_billing(engine.ledger, instance.billing, currency=instance.currency, at=at)
        rate = instance_billing_rate(status, instance.hourly_price, instance.currency)
        start_billing(engine.ledger, instance.billing, status=status, rate=rate, currency=instance.currency, at=at)
    instance.status = status
    instance.updated_at = at
    if status in FULL_RATE_STATUSES:
        engine.full_rate.add(instance.id)
    else:
        engine.full_rate.discard(instance.id)


def close_instance_billing(state: SimState, instance: InstanceRecord, at: float) -> None:
    stop_billing(book(state).ledger, instance.billing, currency=instance.currency, at=at)
    book(state).full_rate.discard(instance.id)


def start_volume_billing(state: SimState, volume: VolumeRecord, at: float) -> None:
    rate = storage_hourly(volume.size_gb, state.currency)
    start_billing(
        book(state).ledger,
        volume.billing,
        status="storage",
        rate=rate,
        currency=state.currency,
        at=at,
        size_gb=volume.size_gb,
    )


def close_volume_billing(state: SimState, volume: VolumeRecord, at: float) -> None:
    stop_billing(book(state).ledger, volume.billing, currency=state.currency, at=at)


def rebill_volume(state: SimState, volume: VolumeRecord, at: float) -> None:
    """The size changed: the old size is billed up to `at`, the new one from `at`."""
    if open_period(volume.billing) is not None:
        close_volume_billing(state, volume, at)
        start_volume_billing(state, volume, at)
