"""The account summary the chat can attach to a question (plain text, no Textual).

Built from the store's models (instances, volumes, balance), priced and
judged by `barrack_tui.rules`, so it says what the dashboard says: the
cost per hour from the one cost model (`rules.pricing.cost_breakdown`, storage
its own part, as the header shows it), each
instance with its status, list price and what it bills right now; each
volume with its attachment and, when attached, whether it can be detached
and why not. The text starts with the "Account context:" prefix the API's
assistant recognises. It is information for the model, never instructions
to the app: nothing the assistant answers is executed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from barrack_tui.api.models.catalogue import CreditBalanceResponse
from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.volumes import VolumeResponse
from barrack_tui.rules.pricing import cost_breakdown, instance_billing_rate, money, volume_storage_rate
from barrack_tui.rules.volumes import can_detach

CONTEXT_PREFIX = "Account context:"
MAX_LISTED = 50  # beyond this a summary stops being short; the rest is counted, not listed


def _amount(value: Decimal, currency: str) -> str:
    return f"{money(value)} {currency}"


def _balance_line(balance: CreditBalanceResponse | None) -> tuple[str, str]:
    if balance is None:
        return "Balance: unknown (not loaded yet)", "USD"
    currency = str(balance.currency)
    amount = next((b.amount for b in balance.balances if b.currency == balance.currency), None)
    shown = _amount(amount, currency) if amount is not None else "unknown"
    others = [f"{money(b.amount)} {b.currency}" for b in balance.balances if b.currency != balance.currency]
    extra = f" (other balances: {', '.join(others)})" if others else ""
    return f"Balance: {shown}{extra}", currency


def _instance_line(instance: VMInstance) -> str:
    billed = instance_billing_rate(instance.status, instance.hourly_price, instance.currency)
    flavor = instance.flavor
    address = f", public IP {instance.public_ip}" if instance.public_ip else ""
    return (
        f"- {instance.name} [{instance.status}] {instance.region}, {flavor.gpu_count}x {flavor.gpu_model}{address}; "
        f"list price {_amount(instance.hourly_price, str(instance.currency))}/h, "
        f"billed now {_amount(billed, str(instance.currency))}/h"
    )


def _volume_line(volume: VolumeResponse, instances: Mapping[str, VMInstance], currency: str) -> str:
    kind = "bootable" if volume.bootable else "data"
    head = f"- {volume.name} ({volume.size_gb} GB {kind}, {volume.status}, {volume.region})"
    billed = volume_storage_rate(volume, currency)
    storage = f"; storage {_amount(billed, currency)}/h" if billed else "; storage not billed yet"
    if not volume.instance_id:
        return f"{head}: not attached{storage}"
    instance = instances.get(volume.instance_id)
    status = instance.status if instance is not None else volume.instance_status
    name = instance.name if instance is not None else (volume.instance_name or volume.instance_id)
    verdict = can_detach(volume, instance, currency)
    if verdict.allowed:
        detach = "can be detached now"
    else:
        detach = f"detach refused ({verdict.code}): {verdict.message}"
    return f"{head}: attached to {name} [{status or 'unknown status'}]; {detach}{storage}"


def _cost_line(
    instances: list[VMInstance] | None, volumes: list[VolumeResponse] | None, snapshots: list[Any] | None, currency: str
) -> str:
    """The account's cost per hour as the header shows it: instances, then storage as its own labelled parts."""
    costs = cost_breakdown(instances or (), volumes or (), snapshots or (), currency)
    head = "unknown" if instances is None else f"{_amount(costs.instances_per_hour, currency)}/h"
    parts = []
    for part, items in ((costs.volumes, volumes), (costs.snapshots, snapshots)):
        known = items is not None
        parts.append(f"{part.label} {_amount(part.per_hour, currency) + '/h' if known else 'unknown'}")
    storage = f"{_amount(costs.storage_per_hour, currency)}/h"
    if volumes is None or snapshots is None:
        storage = f"at least {storage}"
    line = f"Cost per hour now: instances {head} + storage {storage} ({', '.join(parts)})"
    if instances is not None and volumes is not None and snapshots is not None:
        line += f" = {_amount(costs.total_per_hour, currency)}/h in all"
    else:
        line += "; the total is not known while a list is unknown"
    return line


def account_summary(
    instances: Iterable[VMInstance] | None,
    volumes: Iterable[VolumeResponse] | None,
    balance: CreditBalanceResponse | None,
    snapshots: Iterable[Any] | None = None,
) -> str:
    """The plain-text summary, starting with `CONTEXT_PREFIX`; None for a list that could not be loaded."""
    balance_text, currency = _balance_line(balance)
    lines = [CONTEXT_PREFIX, balance_text]
    live = (
        None
        if instances is None
        else sorted((i for i in instances if i.status != VMStatus.DELETED), key=lambda i: (str(i.region), i.name, i.id))
    )
    vols = None if volumes is None else sorted(volumes, key=lambda v: (str(v.region), v.name, v.id))
    lines.append(_cost_line(live, vols, None if snapshots is None else list(snapshots), currency))
    if live is None:
        lines.append("Instances: unknown (the list could not be loaded)")
        live = []
    else:
        lines.append(f"Instances ({len(live)}):" if live else "Instances: none")
        lines += [_instance_line(i) for i in live[:MAX_LISTED]]
        if len(live) > MAX_LISTED:
            lines.append(f"- … and {len(live) - MAX_LISTED} more")
    if vols is None:
        lines.append("Volumes: unknown (the list could not be loaded)")
        return "\n".join(lines)
    by_id = {i.id: i for i in live}
    lines.append(f"Volumes ({len(vols)}):" if vols else "Volumes: none")
    lines += [_volume_line(v, by_id, currency) for v in vols[:MAX_LISTED]]
    if len(vols) > MAX_LISTED:
        lines.append(f"- … and {len(vols) - MAX_LISTED} more")
    return "\n".join(lines)
