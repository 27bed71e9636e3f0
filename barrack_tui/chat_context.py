"""The account summary the chat can attach to a question (plain text, no Textual).

Built from the store's models (instances, volumes, balance), priced and
judged by `barrack_tui.rules`, so it says what the dashboard says: each
instance with its status, list price and what it bills right now; each
volume with its attachment and, when attached, whether it can be detached
and why not. The text starts with the "Account context:" prefix the API's
assistant recognises. It is information for the model, never instructions
to the app: nothing the assistant answers is executed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from barrack_tui.api.models.catalogue import CreditBalanceResponse
from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.volumes import VolumeResponse
from barrack_tui.rules.pricing import burn_rate, instance_billing_rate, money, storage_hourly
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
    storage = f"; storage {_amount(storage_hourly(volume.size_gb, currency), currency)}/h"
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


def account_summary(
    instances: Iterable[VMInstance] | None,
    volumes: Iterable[VolumeResponse] | None,
    balance: CreditBalanceResponse | None,
) -> str:
    """The plain-text summary, starting with `CONTEXT_PREFIX`; None for a list that could not be loaded."""
    balance_text, currency = _balance_line(balance)
    lines = [CONTEXT_PREFIX, balance_text]
    if instances is None:
        live: list[VMInstance] = []
        lines.append("Instances: unknown (the list could not be loaded)")
    else:
        live = sorted(
            (i for i in instances if i.status != VMStatus.DELETED), key=lambda i: (str(i.region), i.name, i.id)
        )
        lines.append(f"Burn rate of instances now: {_amount(burn_rate(live, currency), currency)}/h")
        lines.append(f"Instances ({len(live)}):" if live else "Instances: none")
        lines += [_instance_line(i) for i in live[:MAX_LISTED]]
        if len(live) > MAX_LISTED:
            lines.append(f"- … and {len(live) - MAX_LISTED} more")
    if volumes is None:
        lines.append("Volumes: unknown (the list could not be loaded)")
        return "\n".join(lines)
    by_id = {i.id: i for i in live}
    vols = sorted(volumes, key=lambda v: (str(v.region), v.name, v.id))
    lines.append(f"Volumes ({len(vols)}):" if vols else "Volumes: none")
    lines += [_volume_line(v, by_id, currency) for v in vols[:MAX_LISTED]]
    if len(vols) > MAX_LISTED:
        lines.append(f"- … and {len(vols) - MAX_LISTED} more")
    return "\n".join(lines)
