"""Routes: Account and Catalogue — balance, GPU stock and specs, regions, pricing (list and quote), OS images.

Prices come from rules/pricing.py, the same table the TUI's cost previews
use, so a quote always equals what the engine then bills. The quote
(its trailing slash optional) answers in the live service's
documented shape, always wrapped (`sim/price_list.py`).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from barrack_tui.api.models.catalogue import (
    CreditBalanceResponse,
    GPUSpecsResponse,
    GPUStocksResponse,
    OSImagesResponse,
    PricingResponse,
    RegionsResponse,
)
from barrack_tui.api.models.common import CurrencyEnum, RegionEnum
from barrack_tui.api.models.pricing_quote import PricingRequest
from barrack_tui.rules.pricing import validate_quote
from barrack_tui.sim import catalogue, read_views
from barrack_tui.sim.catalogue import GPUS, os_images_in
from barrack_tui.sim.context import Sim
from barrack_tui.sim.envelope import new_request_id, request_id_in
from barrack_tui.sim.errors import require_fields
from barrack_tui.sim.price_list import QUOTE_MESSAGE, PricingQuoteResponse, pricing_data
from barrack_tui.sim.routes.common import JSONBody, contract_route, contract_router, error_responses

router = contract_router(tags=["Account"])

# Who the quote's metadata says is asking: the demo account has no user name, only its key.
_ACCOUNT_USER = "demo@barrack.sim"


@contract_route(router, "get_balance", response_model=CreditBalanceResponse, responses=error_responses())
async def get_balance(state: Sim) -> JSONBody:
    return JSONBody(read_views.balance(state))


@contract_route(router, "get_gpu_stocks", response_model=GPUStocksResponse, responses=error_responses(422))
async def get_gpu_stocks(state: Sim, region: RegionEnum | None = None) -> JSONBody:
    return JSONBody(read_views.gpu_stocks(state, region))


@contract_route(router, "get_gpu_specs", response_model=GPUSpecsResponse, responses=error_responses())
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


@contract_route(router, "list_regions", response_model=RegionsResponse, responses=error_responses())
async def list_regions(state: Sim) -> JSONBody:
    return JSONBody(read_views.regions())


@contract_route(router, "get_pricing", response_model=PricingResponse, responses=error_responses(422))
async def get_pricing(state: Sim, currency: CurrencyEnum | None = None) -> JSONBody:
    return JSONBody(read_views.pricing(state, currency))


# The live path ends in a slash; a client that leaves it off is answered the same (the table's alias), not redirected.
@contract_route(router, "quote_price", response_model=PricingQuoteResponse, responses=error_responses(422))
async def quote_price(body: PricingRequest, request: Request, state: Sim) -> JSONResponse:
    require_fields(
        validate_quote(
            tier=body.tier,
            currency=body.currency,
            volume_size_gb=body.volume_size_gb,
            volume_type=body.volume_type,
            gpu_model=body.gpu_model,
            gpu_count=body.gpu_count,
            volume_minimum_gb=catalogue.VOLUME_MINIMUM_GB,
        )
    )
    request_id = request_id_in(request.scope) or new_request_id()
    data = pricing_data(authenticated_user=_ACCOUNT_USER, timestamp=state.now())
    # Always wrapped, in both modes: this is the live service's one documented answer, and its shape.
    return JSONResponse({"success": True, "message": QUOTE_MESSAGE, "pricing_data": data, "request_id": request_id})


@contract_route(router, "list_os_images", response_model=OSImagesResponse, responses=error_responses(422))
async def list_os_images(state: Sim, region: RegionEnum | None = None) -> JSONResponse:
    images = [{"id": image.id, "name": image.name, "region": image.region} for image in os_images_in(region)]
    return JSONResponse({"images": images})
