"""Account balance and the catalogue: stock, specs, regions, pricing, OS images."""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.api.models.common import (
    CurrencyEnum,
    GpuModelEnum,
    RegionEnum,
    RequestModel,
    ResourceTypeEnum,
    TierEnum,
    WireModel,
)
from barrack_tui.api.sanitize import SafeStr


class Balance(WireModel):
    currency: CurrencyEnum
    amount: Decimal


class CreditBalanceResponse(WireModel):
    balances: list[Balance]
    currency: CurrencyEnum


class GPUStockConfiguration(WireModel):
    gpu_count: int
    available: int


class GPUStockItem(WireModel):
    gpu_model: GpuModelEnum
    region: RegionEnum
    configurations: list[GPUStockConfiguration]


class GPUStocksResponse(WireModel):
    items: list[GPUStockItem]


class Specs(WireModel):
    vcpus: int
    ram_gb: int
    storage_gb: int


class SpecsMetadata(WireModel):
    nvlink: bool = False
    interface: SafeStr = ""


class GPUSpec(WireModel):
    gpu_model: GpuModelEnum
    vram_gb: int
    specs: Specs
    metadata: SpecsMetadata


class GPUSpecsResponse(WireModel):
    specs: list[GPUSpec]


class Region(WireModel):
    name: RegionEnum
    location: SafeStr
    tier: TierEnum
    available_gpus: list[GpuModelEnum]


class RegionsResponse(WireModel):
    regions: list[Region]


class Price(WireModel):
    resource_type: ResourceTypeEnum
    gpu_model: GpuModelEnum | None = None
    gpu_count: int | None = None
    size_gb: int | None = None
    currency: CurrencyEnum
    hourly: Decimal
    per_minute: Decimal
    total: Decimal | None = None


class PricingResponse(WireModel):
    prices: list[Price]


class PricingRequest(RequestModel):
    resource_type: ResourceTypeEnum
    gpu_model: GpuModelEnum | None = None
    gpu_count: int | None = None
    size_gb: int | None = None
    currency: CurrencyEnum | None = None
    hours: float | None = None


class OSImage(WireModel):
    id: SafeStr
    name: SafeStr
    region: RegionEnum


class OSImagesResponse(WireModel):
    images: list[OSImage]
