"""The first look: what the first screen shows, read from the first answers before pydantic has loaded.

The first answers arrive ~0.1 s before the client that validates them has loaded (api/early.py). The
Regions screen and the header can paint them meanwhile from this reading, which takes only the fields
they show and holds every one to the models' rules: strings sanitised (control characters escaped),
enum values known or kept as `Unknown`, numbers within the models' bounds. It is all or nothing: an
answer that is not a plain 200, or any item with a field these rules refuse, gives no first look at
all, and the screen waits for the validated data as before. Nothing acts on a first look: the screen
that shows it refuses its actions until the validated data has replaced it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

import msgspec

from barrack_tui.api.enums import (
    CurrencyEnum,
    GpuModelEnum,
    RegionEnum,
    ResourceStatus,
    ResourceTypeEnum,
    TierEnum,
    VMStatus,
    VolumeStatus,
)
from barrack_tui.api.envelope import unwrap
from barrack_tui.api.numbers import MAX_COUNT, MAX_SIZE_GB, MAX_UNKNOWN_LENGTH, decode_json, non_negative, to_decimal
from barrack_tui.api.sanitize import sanitize_line
from barrack_tui.api.unknown import Unknown

__all__ = ["FIRST_LOOK_KINDS", "FirstLook", "read_first_look"]

# The store's kinds the Regions screen and the header show, each read from its own answer.
FIRST_LOOK_KINDS = ("instances", "balance", "volumes", "snapshots", "regions", "stocks", "prices")

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class Unreadable(ValueError):
    """A field these rules refuse: the whole first look is given up."""


# --- fields ------------------------------------------------------------------------------------------


def _text(item: Mapping[str, Any], key: str) -> str:
    return _text_of(item.get(key), key)


def _text_of(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise Unreadable(key)
    return sanitize_line(value)


def _enum(item: Mapping[str, Any], key: str, enum: type[E]) -> E | Unknown:
    return _enum_of(item.get(key), key, enum)


@functools.cache
def _members(enum: type[E]) -> dict[str, E]:
    return {member.value: member for member in enum}


def _enum_of(value: Any, key: str, enum: type[E]) -> E | Unknown:
    # A dict lookup, not enum(value): a fleet of 10,000 has 30,000 of these, ~3x faster so.
    members: dict[str, E] = _members(enum)
    member = members.get(value) if isinstance(value, str) else None
    if member is not None:
        return member
    if isinstance(value, str) and 0 < len(value) <= MAX_UNKNOWN_LENGTH and value.strip():
        return Unknown(sanitize_line(value))
    raise Unreadable(key)


def _whole(item: Mapping[str, Any], key: str, limit: int, default: int | None = None) -> int:
    return _whole_of(item.get(key, default), key, limit)


def _whole_of(value: Any, key: str, limit: int) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise Unreadable(key)
    return value


def _money(item: Mapping[str, Any], key: str) -> Decimal:
    return _money_of(item.get(key), key)


# Amounts already read: a fleet's prices repeat (a few distinct values for 10,000 instances). Bounded, as
# a server could send every amount different.
_AMOUNTS: dict[Any, Decimal] = {}
_MAX_AMOUNTS = 4096


def _money_of(value: Any, key: str) -> Decimal:
    if isinstance(value, (Decimal, str)) and (known := _AMOUNTS.get(value)) is not None:
        return known
    try:
        amount = non_negative(to_decimal(value))
    except ValueError:
        raise Unreadable(key) from None
    if isinstance(value, (Decimal, str)):
        if len(_AMOUNTS) >= _MAX_AMOUNTS:
            _AMOUNTS.clear()
        _AMOUNTS[value] = amount
    return amount


def _one_page(payload: Any) -> Any:
    # A list on more than one page would be counted wrong until the client has walked them all.
    pagination = payload.get("pagination") if isinstance(payload, dict) else None
    if isinstance(pagination, dict) and pagination.get("total_pages", 1) not in (0, 1):
        raise Unreadable("pagination")
    return payload


def _items(payload: Any, key: str, read: Callable[[Mapping[str, Any]], T]) -> list[T]:
    items = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise Unreadable(key)
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise Unreadable(key)
        out.append(read(item))
    return out


# --- what the first screen reads of each item ----------------------------------------------------------
# (Not frozen: a frozen dataclass's __init__ goes through object.__setattr__, ~2x slower for 10,000 of them.
# Nothing holds a look but the screen that paints it.)


@dataclass(slots=True)
class LookRegion:
    name: RegionEnum | Unknown
    location: str
    tier: TierEnum | Unknown
    available_gpus: tuple[GpuModelEnum | Unknown, ...]


@dataclass(slots=True)
class LookConfiguration:
    gpu_count: int
    available: int


@dataclass(slots=True)
class LookStock:
    gpu_model: GpuModelEnum | Unknown
    region: RegionEnum | Unknown
    configurations: tuple[LookConfiguration, ...]


@dataclass(slots=True)
class LookPrice:
    resource_type: ResourceTypeEnum | Unknown
    gpu_model: GpuModelEnum | Unknown | None
    gpu_count: int | None
    currency: CurrencyEnum | Unknown
    hourly: Decimal


@dataclass(slots=True)
class LookInstance:
    id: str
    name: str
    status: VMStatus | Unknown
    region: RegionEnum | Unknown
    currency: CurrencyEnum | Unknown
    hourly_price: Decimal


@dataclass(slots=True)
class LookVolume:
    id: str
    name: str
    status: VolumeStatus | Unknown
    size_gb: int
    region: RegionEnum | Unknown


@dataclass(slots=True)
class LookSnapshot:
    id: str
    status: ResourceStatus | Unknown
    size_gb: int


def _region(item: Mapping[str, Any]) -> LookRegion:
    gpus = item.get("available_gpus")
    if not isinstance(gpus, list):
        raise Unreadable("available_gpus")
    return LookRegion(
        _enum(item, "name", RegionEnum),
        _text(item, "location"),
        _enum(item, "tier", TierEnum),
        tuple(_enum({"gpu": gpu}, "gpu", GpuModelEnum) for gpu in gpus),
    )


def _configuration(item: Mapping[str, Any]) -> LookConfiguration:
    return LookConfiguration(_whole(item, "gpu_count", MAX_COUNT), _whole(item, "available", MAX_COUNT))


def _stock(item: Mapping[str, Any]) -> LookStock:
    return LookStock(
        _enum(item, "gpu_model", GpuModelEnum),
        _enum(item, "region", RegionEnum),
        tuple(_items(item, "configurations", _configuration)),
    )


def _price(item: Mapping[str, Any]) -> LookPrice:
    model = None if item.get("gpu_model") is None else _enum(item, "gpu_model", GpuModelEnum)
    count = None if item.get("gpu_count") is None else _whole(item, "gpu_count", MAX_COUNT)
    return LookPrice(
        _enum(item, "resource_type", ResourceTypeEnum), model, count, _enum(item, "currency", CurrencyEnum),
        _money(item, "hourly"),
    )


def _instance(item: Mapping[str, Any]) -> LookInstance:
    return _instance_of(
        item.get("id"), item.get("name"), item.get("status"), item.get("region"), item.get("currency"),
        item.get("hourly_price"),
    )


def _instance_of(id: Any, name: Any, status: Any, region: Any, currency: Any, hourly_price: Any) -> LookInstance:
    return LookInstance(
        _text_of(id, "id"), _text_of(name, "name"), _enum_of(status, "status", VMStatus),
        _enum_of(region, "region", RegionEnum), _enum_of(currency, "currency", CurrencyEnum),
        _money_of(hourly_price, "hourly_price"),
    )


class _WireInstance(msgspec.Struct):
    # Only the fields the first look shows: msgspec skips the rest of each item without building it.
    id: Any = None
    name: Any = None
    status: Any = None
    region: Any = None
    currency: Any = None
    hourly_price: Any = None


class _InstancesAnswer(msgspec.Struct):
    instances: list[_WireInstance] | None = None
    pagination: Any = None
    success: Any = None


_INSTANCES = msgspec.json.Decoder(_InstancesAnswer, float_hook=Decimal)


def _instances(body: bytes) -> list[LookInstance]:
    # A fleet of 10,000 read as dicts took ~90 ms here; read straight into the fields shown, ~4x less. An
    # answer of any other shape (wrapped under another key, refused) is read the general way.
    try:
        answer = _INSTANCES.decode(body)
    except msgspec.DecodeError:
        answer = None
    if answer is None or answer.instances is None or answer.success is False:
        return _items(_one_page(_payload(body, frozenset({"instances", "pagination"}))), "instances", _instance)
    _one_page({"pagination": answer.pagination})
    return [_instance_of(i.id, i.name, i.status, i.region, i.currency, i.hourly_price) for i in answer.instances]


def _volume(item: Mapping[str, Any]) -> LookVolume:
    return LookVolume(
        _text(item, "id"), _text(item, "name"), _enum(item, "status", VolumeStatus),
        _whole(item, "size_gb", MAX_SIZE_GB), _enum(item, "region", RegionEnum),
    )


def _snapshot(item: Mapping[str, Any]) -> LookSnapshot:
    return LookSnapshot(_text(item, "id"), _enum(item, "status", ResourceStatus), _whole(item, "size_gb", MAX_SIZE_GB, 0))


_Keyed = TypeVar("_Keyed", LookInstance, LookVolume, LookSnapshot)


def _by_id(items: Iterable[_Keyed]) -> dict[str, _Keyed]:
    out: dict[str, _Keyed] = {}
    for item in items:
        out.setdefault(item.id, item)  # the first sighting of an id wins, as the client's does
    return out


# --- the first look --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstLook:
    """The first screen's data as read ahead of validation; the store's names, for what the first screen reads."""

    regions: list[LookRegion]
    stocks: list[LookStock]
    prices: list[LookPrice]
    instances: dict[str, LookInstance]
    volumes: dict[str, LookVolume]
    snapshots: dict[str, LookSnapshot]
    currency: str
    balance_amount: Decimal | None
    loaded: frozenset[str] = frozenset(FIRST_LOOK_KINDS)


def _balance(payload: Any) -> tuple[str, Decimal | None]:
    if not isinstance(payload, dict):
        raise Unreadable("balance")
    currency = _enum(payload, "currency", CurrencyEnum)
    amount = None
    for entry in _items(payload, "balances", lambda item: (_enum(item, "currency", CurrencyEnum), item)):
        if entry[0] == currency:
            try:
                amount = to_decimal(entry[1].get("amount"))
            except ValueError:
                raise Unreadable("amount") from None
            break
    return str(currency), amount


def _payload(body: bytes, fields: frozenset[str]) -> Any:
    try:
        data = decode_json(body)
    except ValueError:
        raise Unreadable("json") from None
    unwrapped = unwrap(data, fields)
    if not unwrapped.success:
        raise Unreadable("success")
    return unwrapped.payload


def read_first_look(answers: Mapping[str, bytes]) -> FirstLook | None:
    """The first look from each kind's 200 answer body (FIRST_LOOK_KINDS, keyed by kind), or None.

    None when a kind is missing or any field of any item is refused by the rules above: the first
    screen then waits for the validated data.
    """
    if any(kind not in answers for kind in FIRST_LOOK_KINDS):
        return None
    try:
        currency, amount = _balance(_payload(answers["balance"], frozenset({"balances", "currency"})))
        instances = _instances(answers["instances"])
        volumes = _items(
            _one_page(_payload(answers["volumes"], frozenset({"volumes", "next_name", "pagination"}))), "volumes", _volume
        )
        snapshots = _items(_payload(answers["snapshots"], frozenset({"snapshots"})), "snapshots", _snapshot)
        regions = _items(_payload(answers["regions"], frozenset({"regions"})), "regions", _region)
        stocks = _items(_payload(answers["stocks"], frozenset({"items"})), "items", _stock)
        prices = _items(_payload(answers["prices"], frozenset({"prices"})), "prices", _price)
    except Unreadable:
        return None
    return FirstLook(regions, stocks, prices, _by_id(instances), _by_id(volumes), _by_id(snapshots), currency, amount)
