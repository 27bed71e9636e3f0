"""Which resources' billing the spend view reads, and reading it a few requests at a time.

A small account is read whole, so its history before this session is complete.
A big one (10,000 instances) is not read one by one: the view ranks resources
by an estimate from the store (rate now times the hours of the period they
existed) and reads only the ones its bars show, at most `CONCURRENCY` at once,
each again only when its last read is older than `FRESH_SECONDS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from barrack_tui.api.errors import ApiError, NotFoundError
from barrack_tui.spend.series import HOUR, Charge, Span, accrued, instance_charges, period_start, volume_charges

CONCURRENCY = 4
# Bars per chart.
SHOWN = 8
# Up to this many instances and volumes together, every one is read.
ALL_UP_TO = 40
FRESH_SECONDS = 300.0
# Ranking candidates read beyond the bars shown: an estimate can be wrong about which cost most.
SPARE = 4


@dataclass
class BillingRead:
    charges: list[Charge]
    at: float


@dataclass
class Bar:
    resource_id: str
    name: str
    amount: Decimal


@dataclass
class BillingBook:
    """The billing read so far, by kind ("instances", "volumes") and id."""

    reads: dict[str, dict[str, BillingRead]] = field(default_factory=lambda: {"instances": {}, "volumes": {}})
    failures: int = 0
    # Whether the last choice covered every resource (the history before the session is then complete).
    complete: bool = True

    def choose(self, store: Any, span: Span, now: float) -> dict[str, list[str]]:
        """The ids worth reading for this span: every one for a small account, else the likely costliest."""
        start = period_start(span, now)
        per_instance = store.costs().per_instance
        total = len(store.instances) + len(store.volumes)
        self.complete = total <= ALL_UP_TO
        if self.complete:
            return {"instances": list(store.instances), "volumes": list(store.volumes)}

        def hours_in_period(item: Any) -> float:
            return max(0.0, now - max(start, item.created_at.timestamp())) / HOUR

        def top(items: Iterable[Any], estimate: Callable[[Any], float]) -> list[str]:
            ranked = sorted(items, key=estimate, reverse=True)
            return [item.id for item in ranked[: SHOWN + SPARE]]

        return {
            "instances": top(store.instances.values(), lambda i: float(per_instance.get(i.id, 0)) * hours_in_period(i)),
            "volumes": top(store.volumes.values(), lambda v: v.size_gb * hours_in_period(v)),
        }

    def stale(self, chosen: dict[str, list[str]], now: float) -> dict[str, list[str]]:
        return {
            kind: [i for i in ids if (read := self.reads[kind].get(i)) is None or now - read.at > FRESH_SECONDS]
            for kind, ids in chosen.items()
        }

    async def read(self, store: Any, wanted: dict[str, list[str]], now: Callable[[], float]) -> None:
        """Read each wanted resource's billing, `CONCURRENCY` requests at a time; a failure costs only its own."""
        gate = asyncio.Semaphore(CONCURRENCY)
        self.failures = 0

        async def one(kind: str, resource_id: str) -> None:
            async with gate:
                try:
                    if kind == "instances":
                        answer = await store.send(lambda api: api.get_instance_billing(resource_id))
                        charges = instance_charges(answer.records, now())
                    else:
                        answer = await store.send(lambda api: api.get_volume_billing(resource_id))
                        charges = volume_charges(answer.records, now())
                except NotFoundError:
                    self.reads[kind].pop(resource_id, None)
                    return
                except ApiError:
                    self.failures += 1
                    return
                self.reads[kind][resource_id] = BillingRead(charges, now())

        await asyncio.gather(*(one(kind, i) for kind, ids in wanted.items() for i in ids))

    def forget_gone(self, store: Any) -> None:
        for kind in self.reads:
            held = getattr(store, kind)
            for resource_id in [i for i in self.reads[kind] if i not in held]:
                del self.reads[kind][resource_id]

    def charges(self) -> list[Charge]:
        return [charge for reads in self.reads.values() for read in reads.values() for charge in read.charges]

    def bars(self, kind: str, names: dict[str, Any], start: float, end: float) -> list[Bar]:
        """The costliest `SHOWN` resources of `kind` in [start, end), by what their billing says."""
        bars = []
        for resource_id, read in self.reads[kind].items():
            item = names.get(resource_id)
            amount = accrued(read.charges, start, end)
            if item is not None and amount > 0:
                bars.append(Bar(resource_id, str(item.name), amount))
        bars.sort(key=lambda bar: (-bar.amount, bar.name))
        return bars[:SHOWN]
