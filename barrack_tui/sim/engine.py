"""Time for instances and volumes: due transitions, billing by state, I6.

`tick(state)` runs on every request. It replays, in time order, everything
that fell due since the last tick: each transition is applied AT its due time
(its billing period starts then, not at the moment someone looked), and each
whole billing minute is settled between them, so the result is the same
whether the clock moved one second or one month.

Cost: a heap holds one entry per pending transition and the `Ledger` keeps
the account's burn rate, so a tick with nothing due is O(1) whatever the
fleet size; each transition or minute is O(log n). Both live in the engine's
book (`engine_book`), which the account operations write to; the engine only
reads it as time passes and calls the operations back, so it sits above them.

Transitions:
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

from barrack_tui.api.enums import VMStatus, VolumeStatus
from barrack_tui.sim import instances_ops
from barrack_tui.sim.engine_book import (
    INSTANCE,
    VOLUME,
    EngineBook,
    book,
    invalidate,
    schedule,
    set_instance_status,
    start_volume_billing,
)
from barrack_tui.sim.ledger import Ledger, open_period
from barrack_tui.sim.state import InstanceRecord, SimState

# The engine's calls for the rest of the simulator; `invalidate` belongs to the book but pairs with `reindex`.
__all__ = ["invalidate", "reindex", "tick"]


def reindex(state: SimState) -> None:
    """Records were added in bulk: bill everything up to now, then rebuild the index from the records."""
    if state.engine is not None:
        tick(state)
        state.engine.ledger.settle(state.now(), state.balances)
    state.engine = None


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
    for instance_id in sorted(engine.full_rate):
        instance = state.instances.get(instance_id)
        if instance is not None and instance.pending is None and instance.currency in exhausted:
            instances_ops.begin_action(state, instance, "hibernate", at=at)


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
    if target == VMStatus.BUILD:
        set_instance_status(state, instance, VMStatus.BUILD, at)
        schedule(state, INSTANCE, instance, VMStatus.ACTIVE, at + state.durations.deploy / 2)
    elif target == VMStatus.DELETED:
        instances_ops.remove_instance(state, instance, at)
    else:
        if target == VMStatus.ACTIVE:
            instances_ops.assign_addresses(state, instance)
        set_instance_status(state, instance, target, at)
