"""Prices and billing rates from dashboard-rules.md (I3 and the price list).

One table for the simulator (what it charges and quotes) and the TUI (what
it shows), so a cost preview always equals the bill. The tier tables lay the
same prices out as the pricing quote serves them; `validate_quote` checks a
quote's request. `cost_breakdown` is the one cost model: what the account is
billed per hour right now, instances and storage (volumes, snapshots) as
labelled parts, from which every figure the TUI and the simulator's
assistant show is taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Protocol

from barrack_tui.api.enums import (
    CurrencyEnum,
    GpuModelEnum,
    ResourceStatus,
    TierEnum,
    VMStatus,
    VolumeStatus,
    VolumeTypeEnum,
)
from barrack_tui.rules.instances import MSG_GPU_MODEL_INVALID, validate_gpu_count
from barrack_tui.rules.validators import validate_volume_size
from barrack_tui.rules.verdict import Verdict, refuse

if TYPE_CHECKING:  # annotations only: the rules run on models without loading them
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
    # Listed by the live service on its advanced tier; no simulated region offers it yet.
    GpuModelEnum.B300_262GB: {CurrencyEnum.USD: D("5.79"), CurrencyEnum.EUR: D("5.99"), CurrencyEnum.INR: D("499")},
}

# A hibernated instance is billed this flat rate per hour, whatever its GPUs.
# This table, GPU_MAX_COUNT and MIN_BALANCE are typed by `str`: their keys are enum members, which are
# strings, and they are looked up with the strings a server answer or a form holds ("USD", "L40").
HIBERNATED_HOURLY: dict[str, Decimal] = {
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

# The price list by tier, laid out as the pricing quote serves it. The basic tier is `legacy` there (our
# regions call it `standard`). Which GPUs each tier lists follows the simulator's regions of that tier.
QUOTE_TIERS: tuple[TierEnum, ...] = (TierEnum.LEGACY, TierEnum.ADVANCED)
GPU_TIERS: dict[TierEnum, tuple[GpuModelEnum, ...]] = {
    TierEnum.LEGACY: (
        GpuModelEnum.H100_SXM5_80GB,
        GpuModelEnum.H100_PCIE_80GB,
        GpuModelEnum.A100_SXM4_80GB_NVLINK,
        GpuModelEnum.A100_PCIE_80GB,
        GpuModelEnum.L40,
        GpuModelEnum.RTX_A6000,
        GpuModelEnum.A40,
    ),
    TierEnum.ADVANCED: (
        GpuModelEnum.B300_262GB,
        GpuModelEnum.H100_PCIE_NVLINK_80GB,
        GpuModelEnum.H100_PCIE_80GB,
        GpuModelEnum.A100_PCIE_80GB,
        GpuModelEnum.RTX_A6000,
        GpuModelEnum.A40,
    ),
}
# The most GPUs of one model an instance may have (the largest flavor is 8).
GPU_MAX_COUNT: dict[str, int] = {model: 8 for model in GPU_HOURLY}

# Volume storage per TB per hour by tier and volume type. Legacy SSD is the storage rate above, which is
# what the Cloud-SSD volumes the simulator creates are billed.
VOLUME_PER_TB_HOUR: dict[TierEnum, dict[VolumeTypeEnum, dict[CurrencyEnum, Decimal]]] = {
    TierEnum.LEGACY: {VolumeTypeEnum.SSD: STORAGE_PER_TB_HOUR},
    TierEnum.ADVANCED: {
        VolumeTypeEnum.HDD: {CurrencyEnum.USD: D("0.08"), CurrencyEnum.EUR: D("0.1"), CurrencyEnum.INR: D("8")},
        VolumeTypeEnum.NVME: {CurrencyEnum.USD: D("0.3"), CurrencyEnum.EUR: D("0.35"), CurrencyEnum.INR: D("30")},
    },
}
# Snapshots are billed by size at the storage rate on every tier.
SNAPSHOT_PER_TB_HOUR: dict[TierEnum, dict[CurrencyEnum, Decimal]] = {tier: STORAGE_PER_TB_HOUR for tier in QUOTE_TIERS}

# V10: creating a volume needs at least this balance.
MIN_BALANCE: dict[str, Decimal] = {
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
_HOUR = D(3600)
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
        return HIBERNATED_HOURLY.get(currency, _ZERO)
    if status not in _KNOWN_STATUSES:
        # A state this version does not know may well be billed: count the full rate rather than hide a cost.
        return hourly_price
    return _ZERO


def hibernation_saving_per_hour(hourly_price: Decimal, currency: CurrencyEnum | str) -> Decimal:
    """What hibernating a SHUTOFF (or ACTIVE) instance saves per hour."""
    hibernated = HIBERNATED_HOURLY.get(currency)
    return max(D("0"), hourly_price - hibernated) if hibernated is not None else D("0")


def burn_rate(instances: Iterable[VMInstance], currency: CurrencyEnum | str) -> Decimal:
    """I3: what the account's instances cost per hour right now (storage not included: see `cost_breakdown`).

    Only instances billed in the account's `currency` count: an instance of
    another currency context (V5) is not on this account's bill.
    """
    return cost_breakdown(instances, (), (), currency).instances_per_hour


# ---- one cost model: what the account is billed per hour right now ---------------------------------

_STORED_VOLUME = frozenset({VolumeStatus.AVAILABLE, VolumeStatus.ATTACHED})
_UNBILLED_VOLUME = frozenset({VolumeStatus.CREATING, VolumeStatus.ERROR})


class _Priced(Protocol):
    """An instance as the API model and the simulator's record both have it.

    Read-only, so a field typed narrower than `str` (an enum member or an `Unknown`) still fits.
    """

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def hourly_price(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...


class _Stored(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def size_gb(self) -> int: ...


def volume_storage_rate(volume: _Stored, currency: CurrencyEnum | str) -> Decimal:
    """What a volume's storage costs per hour now: billed from the moment it is available until it is gone.

    A volume still being created (or that failed to be) bills nothing; a state this
    version does not know is counted, as an unknown instance state is, rather than hide a cost.
    """
    status = volume.status
    if status in _STORED_VOLUME or status not in _UNBILLED_VOLUME:
        return storage_hourly(volume.size_gb, currency)
    return _ZERO


def snapshot_storage_rate(snapshot: _Stored, currency: CurrencyEnum | str) -> Decimal:
    """A snapshot bills storage once it is complete (SUCCESS); creating or failed ones bill nothing."""
    return storage_hourly(snapshot.size_gb, currency) if snapshot.status == ResourceStatus.SUCCESS else _ZERO


@dataclass(frozen=True)
class StoragePart:
    """One labelled part of the storage bill: how many items, how many GB, what they cost per hour."""

    label: str
    count: int = 0
    size_gb: int = 0
    per_hour: Decimal = _ZERO


@dataclass(frozen=True)
class CostBreakdown:
    """The account's cost per hour right now, in its own currency, in labelled parts.

    `per_instance` holds the rate each instance on this bill is billed now
    (HIBERNATED: the hibernation rate; transitional: nothing); instances billed
    in another currency context are left out (V5) and named in `other_currencies`.
    """

    currency: str
    instances_per_hour: Decimal = _ZERO
    volumes: StoragePart = StoragePart("volumes")
    snapshots: StoragePart = StoragePart("snapshots")
    per_instance: Mapping[str, Decimal] = field(default_factory=dict)
    other_currencies: tuple[str, ...] = ()

    @property
    def storage_per_hour(self) -> Decimal:
        return self.volumes.per_hour + self.snapshots.per_hour

    @property
    def total_per_hour(self) -> Decimal:
        return self.instances_per_hour + self.storage_per_hour

    @property
    def storage_parts(self) -> tuple[StoragePart, StoragePart]:
        return (self.volumes, self.snapshots)


def storage_part(label: str, items: Iterable[_Stored], rate: Callable[[_Stored, str], Decimal], currency: str) -> StoragePart:
    """The billed items of one storage kind, counted and summed (items billing nothing are not counted)."""
    count, size_gb, per_hour = 0, 0, _ZERO
    for item in items:
        billed = rate(item, currency)
        if billed:
            count, size_gb, per_hour = count + 1, size_gb + item.size_gb, per_hour + billed
    return StoragePart(label, count, size_gb, per_hour)


def cost_breakdown(
    instances: Iterable[_Priced],
    volumes: Iterable[_Stored],
    snapshots: Iterable[_Stored],
    currency: CurrencyEnum | str,
) -> CostBreakdown:
    """I3 for the whole account: instances at the rate each is billed now, storage as its own parts.

    The header, the instance rows and details, the deploy review and the chat's
    account figures all come from here (or from its per-item functions), so
    they cannot disagree. Storage is billed in the account's currency.
    """
    currency = str(currency)
    per_instance: dict[str, Decimal] = {}
    others: set[str] = set()
    for instance in instances:
        if instance.currency != currency:
            others.add(str(instance.currency))
            continue
        per_instance[instance.id] = instance_billing_rate(instance.status, instance.hourly_price, currency)
    return CostBreakdown(
        currency,
        sum(per_instance.values(), _ZERO),
        storage_part("volumes", volumes, volume_storage_rate, currency),
        storage_part("snapshots", snapshots, snapshot_storage_rate, currency),
        per_instance,
        tuple(sorted(others)),
    )


def period_cost(seconds: float, rate_per_hour: Decimal) -> Decimal:
    """What `seconds` at `rate_per_hour` cost (never negative: clocks may disagree by a little)."""
    return Decimal(max(0.0, seconds)) * rate_per_hour / _HOUR


def accrued_cost(periods: Iterable[tuple[float, float | None, Decimal]], now: float) -> Decimal:
    """The cost of billing periods `(start, end or None while open, rate per hour)`, each at its own rate."""
    return sum((period_cost((now if end is None else min(end, now)) - start, rate) for start, end, rate in periods), _ZERO)


# ---- the pricing quote's request --------------------------------------------------------------------

MSG_QUOTE_TIER = "Tier must be one of {tiers}"
MSG_QUOTE_CURRENCY = "Currency must be one of {currencies}"
MSG_QUOTE_VOLUME_TYPE = "Volume type must be one of {types}"
MSG_QUOTE_GPU_TIER = "{gpu_model} is not offered on the {tier} tier"


def _one_of(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values)


def validate_quote(
    *,
    tier: str | None,
    currency: str | None,
    volume_size_gb: int | None,
    volume_type: str | None,
    gpu_model: str | None,
    gpu_count: int | None,
    volume_minimum_gb: int | None = None,
) -> dict[str, Verdict]:
    """A quote's fields, each checked only when given, against the price list above.

    The size and the GPU count are the volume and deploy rules' own checks, with
    the limits the quote states (`volume_minimum_gb`, the model's `GPU_MAX_COUNT`).
    """
    checks: dict[str, Verdict] = {}
    tiers = QUOTE_TIERS if tier is None else tuple(t for t in QUOTE_TIERS if t == tier)
    if not tiers:
        checks["tier"] = refuse("TIER_INVALID", MSG_QUOTE_TIER.format(tiers=_one_of(QUOTE_TIERS)))
        tiers = QUOTE_TIERS
    if currency is not None and currency not in {c.value for c in CurrencyEnum}:
        checks["currency"] = refuse("CURRENCY_INVALID", MSG_QUOTE_CURRENCY.format(currencies=_one_of(CurrencyEnum)))
    if volume_size_gb is not None:
        checks["volume_size_gb"] = validate_volume_size(volume_size_gb, bootable=False, minimum_gb=volume_minimum_gb)
    if volume_type is not None:
        types = [kind for t in tiers for kind in VOLUME_PER_TB_HOUR[t]]
        if volume_type not in types:
            checks["volume_type"] = refuse("VOLUME_TYPE_INVALID", MSG_QUOTE_VOLUME_TYPE.format(types=_one_of(types)))
    if gpu_model is not None:
        if gpu_model not in GPU_HOURLY:
            checks["gpu_model"] = refuse("GPU_MODEL_INVALID", MSG_GPU_MODEL_INVALID)
        elif not any(gpu_model in GPU_TIERS[t] for t in tiers):
            checks["gpu_model"] = refuse("GPU_MODEL_TIER", MSG_QUOTE_GPU_TIER.format(gpu_model=gpu_model, tier=tier))
    if gpu_count is not None:
        limit = GPU_MAX_COUNT.get(gpu_model) if gpu_model is not None else None
        checks["gpu_count"] = validate_gpu_count(gpu_model, gpu_count, limit)
    return checks
