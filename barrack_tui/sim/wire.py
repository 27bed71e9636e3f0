"""Helpers route handlers share: lookups that 404, pagination, decimal strings, rule-model views.

Handlers send records' raw strings as JSON; the rules, however, take the
contract models, so `volume_view`/`instance_view` validate a record's wire
dict into the model a rule expects (the sanitizer only matters for names,
which no rule reads).

The state layer (engine, seed, billing) imports this module too, and so does
the `--demo` child's first-answers path, which serves before pydantic and
FastAPI are loaded: the models are imported only when a view is first asked for.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from barrack_tui.sim.errors import not_found
from barrack_tui.sim.state import InstanceRecord, SimState, VolumeRecord

if TYPE_CHECKING:
    from barrack_tui.api.models.instances import VMInstance
    from barrack_tui.api.models.volumes import VolumeResponse

T = TypeVar("T")

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 10_000
# Echoed back in `pagination.page`; unbounded, a huge page number overflowed orjson (a 500).
MAX_PAGE = 1_000_000_000  # the client reads page numbers up to this (api/numbers.py MAX_COUNT)

_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")


def money_str(amount: Decimal) -> str:
    """A balance on the wire: cents."""
    return str(amount.quantize(_CENT, rounding=ROUND_HALF_UP))


def amount_str(amount: Decimal) -> str:
    """A billed amount or rate on the wire: six decimals, so per-minute costs stay visible."""
    exact = amount.quantize(_MICRO, rounding=ROUND_HALF_UP).normalize()
    exponent = exact.as_tuple().exponent  # an int: only NaN and infinities have a letter here
    if isinstance(exponent, int) and exponent > -2:
        exact = exact.quantize(_CENT)  # at least cents: "217.00", not "217" or "2.2E+2"
    return format(exact, "f")


def paginate(items: list[T], page: int, per_page: int) -> tuple[list[T], dict[str, int]]:
    """One page of `items` (1-based) and the contract's `Pagination` dict."""
    total = len(items)
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    return items[start : start + per_page], {
        "page": page,
        "per_page": per_page,
        "total": total,
        "total_pages": total_pages,
    }


def get_instance(state: SimState, instance_id: str) -> InstanceRecord:
    instance = state.instances.get(instance_id)
    if instance is None:
        raise not_found("Instance", instance_id)
    return instance


def get_volume(state: SimState, volume_id: str) -> VolumeRecord:
    volume = state.volumes.get(volume_id)
    if volume is None:
        raise not_found("Volume", volume_id)
    return volume


def instance_view(instance: InstanceRecord | None) -> VMInstance | None:
    from barrack_tui.api.models.instances import VMInstance

    return None if instance is None else VMInstance.model_validate(instance.wire())


def volume_view(state: SimState, volume: VolumeRecord) -> VolumeResponse:
    from barrack_tui.api.models.volumes import VolumeResponse

    return VolumeResponse.model_validate(volume.wire(state.instances))


def volume_list_wire(state: SimState, volumes: list[VolumeRecord]) -> list[dict[str, Any]]:
    return [volume.wire(state.instances) for volume in volumes]
