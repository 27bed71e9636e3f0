"""Client methods for the account balance and the catalogue (stock, specs, regions, pricing, OS images)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from barrack_tui.api.client_base import ClientBase, dump_request
from barrack_tui.api.models import (
    CreditBalanceResponse,
    GPUSpecsResponse,
    GPUStocksResponse,
    OSImage,
    OSImagesResponse,
    PricingQuote,
    PricingRequest,
    PricingResponse,
    Region,
    RegionsResponse,
)


class CatalogueMixin(ClientBase):
    async def get_balance(self) -> CreditBalanceResponse:
        return await self._call("get_balance", CreditBalanceResponse)

    async def get_gpu_stocks(self, region: str | None = None) -> GPUStocksResponse:
        return await self._call("get_gpu_stocks", GPUStocksResponse, params={"region": region})

    async def get_gpu_specs(self) -> GPUSpecsResponse:
        return await self._call("get_gpu_specs", GPUSpecsResponse)

    async def list_regions(self) -> list[Region]:
        return (await self._call("list_regions", RegionsResponse)).regions

    async def get_pricing(self, currency: str | None = None) -> PricingResponse:
        return await self._call("get_pricing", PricingResponse, params={"currency": currency})

    async def quote_price(self, request: PricingRequest | Mapping[str, Any]) -> PricingQuote:
        """The price list by tier and the limits the server states, as `pricing_data` of the live service's quote."""
        return await self._call("quote_price", PricingQuote, body=dump_request(request, PricingRequest))

    async def list_os_images(self, region: str | None = None) -> list[OSImage]:
        return (await self._call("list_os_images", OSImagesResponse, params={"region": region})).images
