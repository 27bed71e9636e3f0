"""Time for instances and volumes: due transitions, billing by state, I6.

`tick(state)` runs on every request. It replays, in time order, everything
that fell due since the last tick: each transition is applied AT its due time
(its billing period starts then, not at the moment someone looked), and each
whole billing minute is settled between them, so the result is the same
whether the clock moved one second or one month.

Cost: a heap holds one entry per pending transition and the `Ledger` keeps
the account's burn rate, so a tick with nothing due is O(1) whatever the
fleet size; each transition or minute is O(log n). The index (`EngineBook`)
lives in `state.engine` and is rebuilt from the records when missing (a
fresh, loaded or hand-built state).

Transitions (dashboard-rules.md, Instances):
  deploy  CREATING -> BUILD (half of Durations.deploy) -> ACTIVE (server_uuid, private IP, public IP if asked)
  stop    STOPPING -> SHUTOFF          start    STARTING -> ACTIVE
  reboot  REBOOTING -> ACTIVE          hibernate HIBERNATING -> HIBERNATED
  restore RESTORING -> ACTIVE          delete   DELETING -> removed (see instances_ops.remove_instance)
  volume  creating -> available
I6: at a minute boundary where the balance is <= 0, every ACTIVE and SHUTOFF
instance starts hibernating.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

from barrack_tui.api.models.common import VMStatus, VolumeStatus
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
    sequence: itertools.count = field(default_factory=itertools.count)
    # Instances billed at their full rate: the ones I6 hibernates.
    full_rate: set[str] = field(default_factory=set)

    def push(self, due: float, kind: str, resource_id: str) -> None:
        heapq.heappush(self.heap, (due, next(self.sequence), kind, resource_id))


def book(state: SimState) -> EngineBook:
    """The engine's index for `state`, built from the records the first time."""
    if state.engine is None:
        state.engine = _rebuild(state)
    return state.engine


def invalidate(state: SimState) -> None:
    """Forget the index: records were added or changed behind the engine's back (seed, load)."""
    state.engine = None


def reindex(state: SimState) -> None:
    """Records were added in bulk: bill everything up to now, then rebuild the index from the records."""
    if state.engine is not None:
        tick(state)
        state.engine.ledger.settle(state.now(), state.balances)
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
    start_billing(book(state).ledger, volume.billing, status="storage", rate=rate, currency=state.currency, at=at, size_gb=volume.size_gb)


def close_volume_billing(state: SimState, volume: VolumeRecord, at: float) -> None:
    stop_billing(book(state).ledger, volume.billing, currency=state.currency, at=at)


def rebill_volume(state: SimState, volume: VolumeRecord, at: float) -> None:
    """The size changed: the old size is billed up to `at`, the new one from `at`."""
    if open_period(volume.billing) is not None:
        close_volume_billing(state, volume, at)
        start_volume_billing(state, volume, at)


# ---- the clock ----


def tick(state: SimState) -> None:
    """Apply every transition and billing minute due up to now, in time order."""
    now = state.now()
    engine = book(state)
    ledger = engine.ledger
    while True:
        next_event = engine.heap[0][0] if engine.heap else float("inf")
        next_minute = ledger.next_minute()
        if min(next_event, next_minute) > now:
            return
        if next_minute <= next_event:
            _settle_minutes(state, engine, min(next_event, now))
        else:
            _, _, kind, resource_id = heapq.heappop(engine.heap)
            _fire(state, kind, resource_id, next_event)


def _exhausted(state: SimState, ledger: Ledger) -> set[str]:
    """Currencies that something bills in and whose balance is used up."""
    return {currency for currency, rate in ledger.burn.items() if rate > 0 and state.balances.get(currency, 0) <= 0}


def _settle_minutes(state: SimState, engine: EngineBook, limit: float) -> None:
    """Deduct all whole minutes up to `limit` in one step, stopping at the minute credits run out."""
    ledger = engine.ledger
    last = ledger.settled_at + 60.0 * ((limit - ledger.settled_at) // 60)
    if engine.full_rate and _exhausted(state, ledger):
        # Out of credits with billable instances left (one just turned ACTIVE): act at the next minute.
        last = ledger.next_minute()
    else:
        crossing = ledger.first_minute_at_or_below_zero(state.balances, last)
        if crossing is not None:
            last = crossing
    ledger.settle(last, state.balances)
    if engine.full_rate:
        exhausted = _exhausted(state, ledger)
        if exhausted:
            _hibernate_for_credits(state, engine, exhausted, last)


def _hibernate_for_credits(state: SimState, engine: EngineBook, exhausted: set[str], at: float) -> None:
    """I6: out of credits, every ACTIVE and SHUTOFF instance billed in an exhausted currency hibernates."""
    from barrack_tui.sim.instances_ops import begin_action

    for instance_id in sorted(engine.full_rate):
        instance = state.instances.get(instance_id)
        if instance is not None and instance.pending is None and instance.currency in exhausted:
            begin_action(state, instance, "hibernate", at=at)


def _fire(state: SimState, kind: str, resource_id: str, at: float) -> None:
    if kind == INSTANCE:
        instance = state.instances.get(resource_id)
        if instance is None or instance.pending is None or instance.pending.due > at:
            return  # stale entry: removed, or rescheduled later (its own entry will come)
        target = instance.pending.target
        instance.pending = None
        _arrive_instance(state, instance, target, at)
    elif kind == VOLUME:
        volume = state.volumes.get(resource_id)
        if volume is None or volume.pending is None or volume.pending.due > at:
            return
        target = volume.pending.target
        volume.pending = None
        volume.status = target
        if target == VolumeStatus.AVAILABLE and open_period(volume.billing) is None:
            start_volume_billing(state, volume, at)


def _arrive_instance(state: SimState, instance: InstanceRecord, target: str, at: float) -> None:
    from barrack_tui.sim import instances_ops

    if target == VMStatus.BUILD:
        set_instance_status(state, instance, VMStatus.BUILD, at)
        schedule(state, INSTANCE, instance, VMStatus.ACTIVE, at + state.durations.deploy / 2)
    elif target == VMStatus.DELETED:
        instances_ops.remove_instance(state, instance, at)
    else:
        if target == VMStatus.ACTIVE:
            instances_ops.assign_addresses(state, instance)
        set_instance_status(state, instance, target, at)
