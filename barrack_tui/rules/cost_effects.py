"""What a mutation does to the bill, in the words a confirmation shows ("restoring resumes 2.29 USD/h").

One function, `cost_effect`, so every confirmation states its cost the same
way and from the same price functions (`rules/pricing.py`): an instance's rate
in each state is I3's `instance_billing_rate`, the hibernation saving is
`hibernation_saving_per_hour`, storage is `storage_hourly`. Pure: no I/O, no
widgets.
"""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.api.enums import VMStatus
from barrack_tui.rules.pricing import (
    hibernation_saving_per_hour,
    instance_billing_rate,
    money,
    per_minute,
    storage_hourly,
)

# Where each instance action leads (the stable state after its transition).
_TARGET = {
    "start": VMStatus.ACTIVE,
    "stop": VMStatus.SHUTOFF,
    "reboot": VMStatus.ACTIVE,
    "hibernate": VMStatus.HIBERNATED,
    "restore": VMStatus.ACTIVE,
}
_GERUND = {
    "start": "starting",
    "stop": "stopping",
    "reboot": "rebooting",
    "hibernate": "hibernating",
    "restore": "restoring",
    "delete": "deleting",
}
# Mutations that change nothing on the bill, and how their confirmation says so.
NO_COST = {
    "public_ip": "public IP: no cost change",
    "volume_attach": "attaching does not change billing",
    "volume_detach": "detaching does not change billing",
    "rule_add": "adding a rule does not change billing",
    "rule_remove": "removing a rule does not change billing",
    "firewall_attach": "attaching a firewall does not change billing",
    "firewall_detach": "detaching a firewall does not change billing",
    "firewall_delete": "deleting a firewall does not change billing",
    "image_delete": "deleting an image does not change billing",
    "key_delete": "deleting a key does not change billing",
    "script_delete": "deleting scripts does not change billing",
    "chat_delete": "deleting a conversation does not change billing (usage already billed stays billed)",
}


def rate_text(hourly: Decimal, currency: str) -> str:
    """`2.29 USD/h`; a storage rate below a cent keeps four decimals rather than round to 0.00."""
    shown = money(hourly)
    amount = f"{shown:,}" if shown == hourly or hourly >= 1 else f"{hourly:,.4f}"
    return f"{amount} {currency}/h".replace(" /h", "/h")


def _minute(hourly: Decimal, currency: str) -> str:
    return f"{per_minute(hourly)} {currency}/min".replace(" /min", "/min")


def cost_effect(
    action: str,
    *,
    currency: str,
    status: str | None = None,
    hourly_price: Decimal | None = None,
    size_gb: int | None = None,
) -> str:
    """The confirmation's cost sentence for `action`.

    Instance actions (`start`, `stop`, `reboot`, `hibernate`, `restore`,
    `delete`) need the instance's `status` and list `hourly_price`; `deploy`
    needs the new instance's `hourly_price`; `volume_delete`,
    `snapshot_delete` and the volume attach/detach need `size_gb`. The others
    are in `NO_COST`.
    """
    currency = str(currency)
    if action in NO_COST:
        text = NO_COST[action]
        if action in ("volume_attach", "volume_detach") and size_gb is not None:
            text += f": its storage ({rate_text(storage_hourly(size_gb, currency), currency)}) bills either way"
        return text
    if action in ("volume_delete", "snapshot_delete"):
        stored = storage_hourly(size_gb or 0, currency)
        return f"deleting stops {rate_text(stored, currency)} of storage"
    price = hourly_price if hourly_price is not None else Decimal(0)
    if action == "deploy":
        return f"deploying starts {rate_text(price, currency)} ({_minute(price, currency)}), billed per minute"
    if status is None or action not in _GERUND:
        raise ValueError(f"no cost effect for {action!r}")
    now = instance_billing_rate(status, price, currency)
    gerund = _GERUND[action]
    if action == "delete":
        return f"{gerund} stops {rate_text(now, currency)}" if now else f"{gerund} changes nothing: it bills nothing now"
    after = instance_billing_rate(_TARGET[action], price, currency)
    if action == "hibernate":
        saving = hibernation_saving_per_hour(price, currency) if now else Decimal(0)
        return f"{gerund} drops to {rate_text(after, currency)} (saves {rate_text(saving, currency)})"
    if action == "stop":
        return f"{gerund} keeps billing {rate_text(after, currency)} (SHUTOFF bills the full rate)"
    if after == now:
        why = " (SHUTOFF already bills the full rate)" if action == "start" else ""
        return f"{gerund} keeps billing {rate_text(after, currency)}{why}"
    return f"{gerund} resumes {rate_text(after, currency)} ({_minute(after, currency)}) from {rate_text(now, currency)}"
