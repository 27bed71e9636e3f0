"""A look at a big fleet before it is validated: the fields the Instances table draws, read in one pass.

Validating 50,000 instances takes most of a second; reading only the table's columns out of the same
bytes takes a fraction of that. The store hands this look to the Instances table on a fleet's first
load, so the rows show while the models are still being validated. Each field is held to the models'
rules (strings sanitised, enum values known or kept as `Unknown`, numbers within the models' bounds,
times as ISO 8601), and it is all or nothing: any item it cannot read gives no look, and the table waits
for the validated fleet as before. Nothing acts on a look: the table refuses its actions until the
validated fleet has replaced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from barrack_tui.api.enums import CurrencyEnum, GpuModelEnum, RegionEnum, VMStatus
from barrack_tui.api.first_look import LookInstance, Unreadable, _enum_of, _members, _money_of, _text_of, _whole_of
from barrack_tui.api.first_look import _WireInstance as _FirstLookInstance
from barrack_tui.api.numbers import MAX_COUNT
from barrack_tui.api.unknown import Unknown

__all__ = ["LookFlavor", "LookFleetInstance", "read_fleet_look"]


@dataclass(slots=True)
class LookFlavor:
    gpu_model: GpuModelEnum | Unknown
    gpu_count: int


@dataclass(slots=True)
class LookFleetInstance(LookInstance):
    """What the table reads of an instance (the first look's and more), by the models' names (a row is built from either)."""

    flavor: LookFlavor
    public_ip: str | None
    private_ip: str | None
    created_at: datetime
    updated_at: datetime


class _WireFlavor(msgspec.Struct):
    gpu_model: Any = None
    gpu_count: Any = None


class _WireInstance(_FirstLookInstance):
    # The first look's fields and the rest of the table's: msgspec skips the others without building them.
    flavor: _WireFlavor | None = None
    public_ip: Any = None
    private_ip: Any = None
    created_at: Any = None
    updated_at: Any = None


class _WirePage(msgspec.Struct):
    instances: list[_WireInstance] = []


_PAGE = msgspec.json.Decoder(_WirePage, float_hook=Decimal)


# A fleet's times repeat (instances made together, polled on the same second): parsed once each. Bounded,
# as a server could send every time different.
_TIMES: dict[str, datetime] = {}
_MAX_TIMES = 4096


def _time_of(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise Unreadable(key)  # the models take numbers as epoch seconds too: those wait for them
    known = _TIMES.get(value)
    if known is not None:
        return known
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Unreadable(key) from None
    if len(_TIMES) >= _MAX_TIMES:
        _TIMES.clear()
    _TIMES[value] = parsed
    return parsed


def _text(value: Any, key: str) -> str:
    # Nearly every server string is printable ASCII, which has nothing to escape: two C calls, not a regex.
    if type(value) is str and value.isascii() and value.isprintable():
        return value
    return _text_of(value, key)


def _optional_text(value: Any, key: str) -> str | None:
    return None if value is None else _text(value, key)


_STATUSES = _members(VMStatus)
_REGIONS = _members(RegionEnum)
_CURRENCIES = _members(CurrencyEnum)
_GPUS = _members(GpuModelEnum)


def _instance(item: _WireInstance) -> LookFleetInstance:
    flavor = item.flavor
    if flavor is None:
        raise Unreadable("flavor")
    # A known enum value is one dict lookup (a str key; anything else misses and is read the general way).
    status = _STATUSES.get(item.status) if type(item.status) is str else None
    region = _REGIONS.get(item.region) if type(item.region) is str else None
    currency = _CURRENCIES.get(item.currency) if type(item.currency) is str else None
    gpu = _GPUS.get(flavor.gpu_model) if type(flavor.gpu_model) is str else None
    return LookFleetInstance(
        _text(item.id, "id"),
        _text(item.name, "name"),
        status or _enum_of(item.status, "status", VMStatus),
        region or _enum_of(item.region, "region", RegionEnum),
        currency or _enum_of(item.currency, "currency", CurrencyEnum),
        _money_of(item.hourly_price, "hourly_price"),
        LookFlavor(gpu or _enum_of(flavor.gpu_model, "gpu_model", GpuModelEnum), _whole_of(flavor.gpu_count, "gpu_count", MAX_COUNT)),
        _optional_text(item.public_ip, "public_ip"),
        _optional_text(item.private_ip, "private_ip"),
        _time_of(item.created_at, "created_at"),
        _time_of(item.updated_at, "updated_at"),
    )


def read_fleet_look(pages: list[bytes]) -> dict[str, LookFleetInstance] | None:
    """The table's fields of every item on the pages (each a list answer, unwrapped), by id, or None.

    None when any item is not an object or has a field the rules above refuse. The first sighting of
    an id wins, as the client's does.
    """
    looks: dict[str, LookFleetInstance] = {}
    try:
        for page in pages:
            for item in _PAGE.decode(page).instances:
                look = _instance(item)
                looks.setdefault(look.id, look)
    except (msgspec.DecodeError, msgspec.ValidationError, Unreadable):
        return None
    return looks
