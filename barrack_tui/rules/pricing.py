"""Prices and billing rates from dashboard-rules.md (I3 and the price list).

One table for the simulator (what it charges) and the TUI (what it shows),
so a cost preview always equals the bill.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from barrack_tui.api.models.common import CurrencyEnum, GpuModelEnum, VMStatus
from barrack_tui.api.models.instances import VMInstance

D = Decimal

# Per GPU per hour; an instance's price scales with its GPU count.
GPU_HOURLY: dict[GpuModelEnum, dict[CurrencyEnum, Decimal]] = {
    GpuModelEnum.H100_SXM5_80GB: {CurrencyEnum.USD: D("2.69"), CurrencyEnum.EUR: D("2.49"), CurrencyEnum.INR: D("239")},
    GpuModelEnum.H100_PCIE_NVLINK_80GB: {CurrencyEnum.USD: D("2.29"), CurrencyEnum.EUR: D("2.09"), CurrencyEnum.INR: D("199")},
    GpuModelEnum.H100_PCIE_80GB: {CurrencyEnum.USD: D("2.25"), CurrencyEnum.EUR: D("2.05"), CurrencyEnum.INR: D("195")},
    GpuModelEnum.A100_SXM4_80GB_NVLINK: {CurrencyEnum.USD: D("1.59"), CurrencyEnum.EUR: D("1.45"), CurrencyEnum.INR: D("135")},
    GpuModelEnum.A100_PCIE_80GB: {CurrencyEnum.USD: D("1.55"), CurrencyEnum.EUR: D("1.39"), CurrencyEnum.INR: D("135")},
    GpuModelEnum.L40: {CurrencyEnum.USD: D("1.19"), CurrencyEnum.EUR: D("1.09"), CurrencyEnum.INR: D("99")},
    GpuModelEnum.RTX_A6000: {CurrencyEnum.USD: D("0.69"), CurrencyEnum.EUR: D("0.45"), CurrencyEnum.INR: D("49")},
    GpuModelEnum.A40: {CurrencyEnum.USD: D("0.69"), CurrencyEnum.EUR: D("0.45"), CurrencyEnum.INR: D("49")},
}

# A hibernated instance is billed this flat rate per hour, whatever its GPUs.
HIBERNATED_HOURLY: dict[CurrencyEnum, Decimal] = {
    CurrencyEnum.USD: D("0.01"),
    CurrencyEnum.EUR: D("0.01"),
    CurrencyEnum.INR: D("1.00"),
}

# Volume (and snapshot) storage per TB (1,000 GB) per hour.
STORAGE_PER_TB_HOUR: dict[CurrencyEnum, Decimal] = {
    CurrencyEnum.USD: D("0.1"),
    CurrencyEnum.EUR: D("0.1"),
    CurrencyEnum.INR: D("10"),
}

# V10: creating a volume needs at least this balance.
MIN_BALANCE: dict[CurrencyEnum, Decimal] = {
    CurrencyEnum.USD: D("1.00"),
    CurrencyEnum.EUR: D("1.00"),
    CurrencyEnum.INR: D("100.00"),
}

_CENT = D("0.01")
_MICRO = D("0.000001")


def money(amount: Decimal) -> Decimal:
    """Round to cents for display and quotes."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def per_minute(hourly: Decimal) -> Decimal:
    return (hourly / 60).quantize(_MICRO, rounding=ROUND_HALF_UP)


def gpu_hourly(gpu_model: GpuModelEnum | str, gpu_count: int, currency: CurrencyEnum | str) -> Decimal:
    """The list price per hour of an instance with `gpu_count` GPUs of `gpu_model`."""
    return GPU_HOURLY[GpuModelEnum(gpu_model)][CurrencyEnum(currency)] * gpu_count


def storage_hourly(size_gb: int, currency: CurrencyEnum | str) -> Decimal:
    return STORAGE_PER_TB_HOUR[CurrencyEnum(currency)] * D(size_gb) / D(1000)


_ZERO = D("0")
_KNOWN_STATUSES = frozenset(VMStatus)
_FULL_RATE = frozenset({VMStatus.ACTIVE, VMStatus.SHUTOFF})


def instance_billing_rate(status: VMStatus | str, hourly_price: Decimal, currency: CurrencyEnum | str) -> Decimal:
    """I3: what an instance in `status` costs per hour right now.

    ACTIVE and SHUTOFF bill the full rate (a stopped GPU is still reserved);
    HIBERNATED bills the flat hibernation rate; transitional, DELETED and
    ERROR states bill nothing.
    """
    # Set lookups, not VMStatus(status): this runs for every instance of a 10,000-instance first load.
    if status in _FULL_RATE:
        return hourly_price
    if status == VMStatus.HIBERNATED:
        return HIBERNATED_HOURLY.get(currency, _ZERO)  # type: ignore[call-overload]
    if status not in _KNOWN_STATUSES:
        # A state this version does not know may well be billed: count the full rate rather than hide a cost.
        return hourly_price
    return _ZERO


def hibernation_saving_per_hour(hourly_price: Decimal, currency: CurrencyEnum | str) -> Decimal:
    """What hibernating a SHUTOFF (or ACTIVE) instance saves per hour."""
    hibernated = HIBERNATED_HOURLY.get(currency)  # type: ignore[call-overload]
    return max(D("0"), hourly_price - hibernated) if hibernated is not None else D("0")


def burn_rate(instances: Iterable[VMInstance], currency: CurrencyEnum | str) -> Decimal:
    """I3: the account's cost per hour right now — the sum of each instance's billing rate.

    Only instances billed in the account's `currency` count: an instance of
    another currency context (V5) is not on this account's bill.
    """
    return sum(
        (instance_billing_rate(i.status, i.hourly_price, currency) for i in instances if i.currency == currency),
        D("0"),
    )
