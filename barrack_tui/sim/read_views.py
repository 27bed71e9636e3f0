"""The JSON bodies of the simulator's plain reads (balance, catalogue, pricing, the instance, volume and snapshot lists).

Each function takes the state and the request's already valid parameters and
returns the exact bytes the answer carries. The FastAPI routes send these
bytes, and so does the `--demo` child's first-answers path (`sim/first_answers.py`),
which answers the app's first screen before FastAPI is loaded: one body for
both, so the two can never give different answers to the same request.

Nothing here imports FastAPI, Starlette or pydantic.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson

from barrack_tui.api.enums import ResourceTypeEnum
from barrack_tui.rules.pricing import gpu_hourly, per_minute, storage_hourly
from barrack_tui.sim.catalogue import GPU_COUNTS, GPUS, REGIONS
from barrack_tui.sim.clock import iso
from barrack_tui.sim.state import SimState, SnapshotRecord
from barrack_tui.sim.volumes_ops import next_volume_name
from barrack_tui.sim.wire import amount_str, money_str, paginate, volume_list_wire

# Storage prices are listed for one TB, the unit the price list uses.
LISTED_STORAGE_GB = 1000


def json_bytes(content: Any) -> bytes:
    """`content` encoded as Starlette's JSONResponse encodes it (compact, UTF-8, no NaN)."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")


def balance(state: SimState) -> bytes:
    balances = [{"currency": currency, "amount": money_str(amount)} for currency, amount in state.balances.items()]
    return json_bytes({"balances": balances, "currency": state.currency})


def gpu_stocks(state: SimState, region: str | None) -> bytes:
    items = [
        {
            "gpu_model": model,
            "region": info.name,
            "configurations": [
                {"gpu_count": count, "available": state.stock.get((str(info.name), str(model), count), 0)}
                for count in GPU_COUNTS
            ],
        }
        for info in REGIONS.values()
        if region is None or info.name == region
        for model in info.available_gpus
    ]
    return json_bytes({"items": items})


def regions() -> bytes:
    listed = [
        {"name": info.name, "location": info.location, "tier": info.tier, "available_gpus": list(info.available_gpus)}
        for info in REGIONS.values()
    ]
    return json_bytes({"regions": listed})


def _price(
    resource_type: str,
    currency: str,
    hourly: Decimal,
    *,
    gpu_model: str | None = None,
    gpu_count: int | None = None,
    size_gb: int | None = None,
) -> dict[str, Any]:
    return {
        "resource_type": resource_type,
        "gpu_model": gpu_model,
        "gpu_count": gpu_count,
        "size_gb": size_gb,
        "currency": currency,
        "hourly": amount_str(hourly),
        "per_minute": amount_str(per_minute(hourly)),
    }


def pricing(state: SimState, currency: str | None) -> bytes:
    chosen = str(currency or state.currency)
    prices = [
        _price(ResourceTypeEnum.VM, chosen, gpu_hourly(model, count, chosen), gpu_model=model, gpu_count=count)
        for model in GPUS
        for count in GPU_COUNTS
    ]
    storage = storage_hourly(LISTED_STORAGE_GB, chosen)
    for kind in (ResourceTypeEnum.VOLUME, ResourceTypeEnum.SNAPSHOT):
        prices.append(_price(kind, chosen, storage, size_gb=LISTED_STORAGE_GB))
    return json_bytes({"prices": prices})


def instances_page(state: SimState, region: str | None, status: str | None, page: int, per_page: int) -> bytes:
    chosen = [
        i
        for i in state.instances.values()
        if (region is None or i.region == region) and (status is None or i.status == status)
    ]
    shown, pagination = paginate(chosen, page, per_page)
    # orjson: a 10,000-instance page is ~5 MB, which the standard library's encoder takes ~10x longer over.
    return orjson.dumps({"instances": [i.wire() for i in shown], "pagination": pagination})


def volumes_page(state: SimState, region: str | None, page: int, per_page: int) -> bytes:
    chosen = [v for v in state.volumes.values() if region is None or v.region == region]
    shown, pagination = paginate(chosen, page, per_page)
    return json_bytes(
        {"volumes": volume_list_wire(state, shown), "next_name": next_volume_name(state), "pagination": pagination}
    )


def snapshot_wire(snapshot: SnapshotRecord) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "name": snapshot.name,
        "description": snapshot.description,
        "instance_id": snapshot.instance_id,
        "instance_name": snapshot.instance_name,
        "region": snapshot.region,
        "size_gb": snapshot.size_gb,
        "status": snapshot.status,
        "is_image": snapshot.is_image,
        "created_at": iso(snapshot.created_at),
        "vm_config": dict(snapshot.vm_config),
    }


def snapshots(state: SimState, region: str | None) -> bytes:
    ordered = sorted(state.snapshots.values(), key=lambda s: (s.created_at, s.id))
    return json_bytes({"snapshots": [snapshot_wire(s) for s in ordered if region is None or s.region == region]})
