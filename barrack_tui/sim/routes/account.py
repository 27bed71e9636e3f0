"""Routes: Account and Catalogue — balance, GPU stock and specs, regions, pricing (list and quote), OS images.

Prices come from rules/pricing.py, the same table the TUI's cost previews
use, so a quote always equals what the engine then bills.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from barrack_tui.api.models.catalogue import (
    CreditBalanceResponse,
    GPUSpecsResponse,
    GPUStocksResponse,
    OSImagesResponse,
    PricingRequest,
    PricingResponse,
    RegionsResponse,
)
from barrack_tui.api.models.common import CurrencyEnum, RegionEnum, ResourceTypeEnum
from barrack_tui.rules.pricing import gpu_hourly, per_minute, storage_hourly
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.sim.catalogue import GPU_COUNTS, GPUS, REGIONS, os_images_in
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import require_fields
from barrack_tui.sim.wire import amount_str, error_responses, money_str

router = APIRouter(tags=["Account"])

# Storage prices are listed for one TB, the unit the price list uses.
_LISTED_STORAGE_GB = 1000


@router.get("/balance", response_model=CreditBalanceResponse, responses=error_responses())
async def get_balance(state: Sim) -> JSONResponse:
    balances = [{"currency": currency, "amount": money_str(amount)} for currency, amount in state.balances.items()]
    return JSONResponse({"balances": balances, "currency": state.currency})


@router.get("/gpu/stocks", response_model=GPUStocksResponse, responses=error_responses(422))
async def get_gpu_stocks(state: Sim, region: RegionEnum | None = None) -> JSONResponse:
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
    return JSONResponse({"items": items})


@router.get("/gpu/specs", response_model=GPUSpecsResponse, responses=error_responses())
async def get_gpu_specs(state: Sim) -> JSONResponse:
    specs = [
        {
            "gpu_model": gpu.model,
            "vram_gb": gpu.vram_gb,
            "specs": {"vcpus": gpu.vcpus_per_gpu, "ram_gb": gpu.ram_gb_per_gpu, "storage_gb": gpu.storage_gb_per_gpu},
            "metadata": {"nvlink": gpu.nvlink, "interface": gpu.interface},
        }
        for gpu in GPUS.values()
    ]
    return JSONResponse({"specs": specs})


@router.get("/regions", response_model=RegionsResponse, responses=error_responses())
async def list_regions(state: Sim) -> JSONResponse:
    regions = [
        {"name": info.name, "location": info.location, "tier": info.tier, "available_gpus": list(info.available_gpus)}
        for info in REGIONS.values()
    ]
    return JSONResponse({"regions": regions})


def _price(
    resource_type: str,
    currency: str,
    hourly: Decimal,
    *,
    gpu_model: str | None = None,
    gpu_count: int | None = None,
    size_gb: int | None = None,
    hours: float | None = None,
) -> dict[str, Any]:
    price: dict[str, Any] = {
        "resource_type": resource_type,
        "gpu_model": gpu_model,
        "gpu_count": gpu_count,
        "size_gb": size_gb,
        "currency": currency,
        "hourly": amount_str(hourly),
        "per_minute": amount_str(per_minute(hourly)),
    }
    if hours is not None:
        price["total"] = amount_str(hourly * Decimal(str(hours)))
    return price


@router.get("/pricing", response_model=PricingResponse, responses=error_responses(422))
async def get_pricing(state: Sim, currency: CurrencyEnum | None = None) -> JSONResponse:
    chosen = str(currency or state.currency)
    prices = [
        _price(ResourceTypeEnum.VM, chosen, gpu_hourly(model, count, chosen), gpu_model=model, gpu_count=count)
        for model in GPUS
        for count in GPU_COUNTS
    ]
    storage = storage_hourly(_LISTED_STORAGE_GB, chosen)
    for kind in (ResourceTypeEnum.VOLUME, ResourceTypeEnum.SNAPSHOT):
        prices.append(_price(kind, chosen, storage, size_gb=_LISTED_STORAGE_GB))
    return JSONResponse({"prices": prices})


def _quote_fields(body: PricingRequest) -> dict[str, Verdict]:
    """What a quote needs: GPUs for a VM, a size for storage (the form's fields)."""
    needs_gpu = body.resource_type == ResourceTypeEnum.VM
    checks: dict[str, Verdict] = {"gpu_model": ALLOWED, "gpu_count": ALLOWED, "size_gb": ALLOWED, "hours": ALLOWED}
    if needs_gpu and body.gpu_model is None:
        checks["gpu_model"] = refuse("GPU_MODEL_REQUIRED", "Choose a GPU model")
    if needs_gpu and body.gpu_count not in GPU_COUNTS:
        checks["gpu_count"] = refuse("GPU_COUNT_INVALID", "GPU count must be 1, 2, 4 or 8")
    if not needs_gpu and (body.size_gb is None or body.size_gb <= 0):
        checks["size_gb"] = refuse("SIZE_REQUIRED", "Size in GB is required for a storage quote")
    if body.hours is not None and body.hours < 0:
        checks["hours"] = refuse("HOURS_NEGATIVE", "Hours cannot be negative")
    return checks


@router.post("/pricing", response_model=PricingResponse, responses=error_responses(422))
async def quote_price(body: PricingRequest, state: Sim) -> JSONResponse:
    require_fields(_quote_fields(body))
    currency = str(body.currency or state.currency)
    if body.resource_type == ResourceTypeEnum.VM:
        assert body.gpu_model is not None and body.gpu_count is not None
        hourly = gpu_hourly(body.gpu_model, body.gpu_count, currency)
        price = _price(
            body.resource_type, currency, hourly, gpu_model=body.gpu_model, gpu_count=body.gpu_count, hours=body.hours
        )
    else:
        assert body.size_gb is not None
        hourly = storage_hourly(body.size_gb, currency)
        price = _price(body.resource_type, currency, hourly, size_gb=body.size_gb, hours=body.hours)
    return JSONResponse({"prices": [price]})


@router.get("/os-images", response_model=OSImagesResponse, responses=error_responses(422))
async def list_os_images(state: Sim, region: RegionEnum | None = None) -> JSONResponse:
    images = [{"id": image.id, "name": image.name, "region": image.region} for image in os_images_in(region)]
    return JSONResponse({"images": images})
