"""Account balance and the catalogue: stock, specs, regions, the price list, OS images.

The pricing quote (`POST /pricing/`) has its own module, `pricing_quote`.
"""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from barrack_tui.api.models.common import (
    CurrencyEnum,
    GpuModelEnum,
    RegionEnum,
    ResourceTypeEnum,
    TierEnum,
    WireModel,
)
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Count, ItemsOf, Money, SignedMoney, Size, Tolerant


class Balance(WireModel):
    currency: Tolerant[CurrencyEnum]
    amount: SignedMoney


class CreditBalanceResponse(WireModel):
    balances: ItemsOf[Balance]
    currency: Tolerant[CurrencyEnum]


class GPUStockConfiguration(WireModel):
    gpu_count: Count
    available: Count


class GPUStockItem(WireModel):
    gpu_model: Tolerant[GpuModelEnum]
    region: Tolerant[RegionEnum]
    configurations: ItemsOf[GPUStockConfiguration]


class GPUStocksResponse(WireModel):
    items: ItemsOf[GPUStockItem]


class Specs(WireModel):
    vcpus: Count
    ram_gb: Size
    storage_gb: Size


class SpecsMetadata(WireModel):
    nvlink: bool = False
    interface: SafeStr = ""


class GPUSpec(WireModel):
    gpu_model: Tolerant[GpuModelEnum]
    vram_gb: Size
    specs: Specs
    metadata: SpecsMetadata


class GPUSpecsResponse(WireModel):
    specs: ItemsOf[GPUSpec]


class Region(WireModel):
    name: Tolerant[RegionEnum]
    location: SafeStr
    tier: Tolerant[TierEnum]
    available_gpus: list[Tolerant[GpuModelEnum]]


class RegionsResponse(WireModel):
    regions: ItemsOf[Region]


class Price(WireModel):
    resource_type: Tolerant[ResourceTypeEnum]
    gpu_model: Tolerant[GpuModelEnum] | None = None
    gpu_count: Count | None = None
    size_gb: Size | None = None
    currency: Tolerant[CurrencyEnum]
    hourly: Money
    per_minute: Money
    total: SignedMoney | None = None


class PricingResponse(WireModel):
    prices: ItemsOf[Price]


class OSImage(WireModel):
    id: SafeStr
    name: SafeStr
    region: Tolerant[RegionEnum]


class OSImagesResponse(WireModel):
    images: ItemsOf[OSImage]
