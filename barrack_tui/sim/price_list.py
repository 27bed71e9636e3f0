"""The simulator's pricing quote in the live service's documented shape, built from `rules/pricing.py`.

`pricing_data` lists volumes, snapshots and GPUs by tier with a price per
currency as JSON numbers, and `metadata` states the limits the simulator
enforces (the volume minimum, each GPU's `max_count`), so a client that
follows the stated limits and the simulator refuse the same input. The
`*Doc` models only document this answer in /openapi.json.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from barrack_tui.api.models.common import CurrencyEnum
from barrack_tui.rules.pricing import (
    GPU_HOURLY,
    GPU_MAX_COUNT,
    GPU_TIERS,
    QUOTE_TIERS,
    SNAPSHOT_PER_TB_HOUR,
    VOLUME_PER_TB_HOUR,
)
from barrack_tui.sim import catalogue

QUOTE_MESSAGE = "Pricing information retrieved successfully"
PER_TB_HOUR = "per TB per hour"
PER_GPU_HOUR = "per GPU per hour"


def json_number(amount: Decimal) -> int | float:
    """A price as the live service sends it: a JSON number (whole prices as integers).

    The float's repr is the shortest text of the same value, so `0.35` goes on the wire as `0.35`.
    """
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _prices(table: dict[CurrencyEnum, Decimal]) -> dict[str, int | float]:
    return {str(currency): json_number(amount) for currency, amount in table.items()}


def pricing_data(*, authenticated_user: str, timestamp: float) -> dict[str, Any]:
    """The whole price list and the stated limits (the live service answers every quote with all of it)."""
    minimum = catalogue.VOLUME_MINIMUM_GB
    return {
        "volumes": {
            "pricing": {
                str(tier): {str(kind): {"prices": _prices(table), "unit": PER_TB_HOUR} for kind, table in types.items()}
                for tier, types in VOLUME_PER_TB_HOUR.items()
            },
            "minimum_size_gb": minimum,
            "description": f"Block storage, billed per TB of provisioned size per hour; at least {minimum} GB.",
        },
        "snapshots": {
            "pricing": {str(tier): {"prices": _prices(table), "unit": PER_TB_HOUR} for tier, table in SNAPSHOT_PER_TB_HOUR.items()},
            "description": "Snapshots and images, billed per TB of their size per hour.",
        },
        "gpus": {
            "pricing": {
                str(tier): {
                    str(model): {"prices": _prices(GPU_HOURLY[model]), "max_count": GPU_MAX_COUNT[model], "unit": PER_GPU_HOUR}
                    for model in models
                }
                for tier, models in GPU_TIERS.items()
            },
            "description": "GPU instances, billed per GPU per hour while ACTIVE or SHUTOFF.",
        },
        "metadata": {
            "supported_currencies": [currency.value for currency in CurrencyEnum],
            "supported_tiers": [tier.value for tier in QUOTE_TIERS],
            "volume_minimum_size_gb": minimum,
            "authenticated_user": authenticated_user,
            "authentication_type": "api_key",
            "timestamp": int(timestamp),
        },
    }


# --- /openapi.json only ----------------------------------------------------------------------------


class PriceDoc(BaseModel):
    prices: dict[str, float]
    unit: str
    max_count: int | None = None
    fixed_size_gb: int | None = None


class VolumePricingDoc(BaseModel):
    pricing: dict[str, dict[str, PriceDoc]]
    minimum_size_gb: int
    description: str


class SnapshotPricingDoc(BaseModel):
    pricing: dict[str, PriceDoc]
    description: str


class GpuPricingDoc(BaseModel):
    pricing: dict[str, dict[str, PriceDoc]]
    description: str


class PricingMetadataDoc(BaseModel):
    supported_currencies: list[str]
    supported_tiers: list[str]
    volume_minimum_size_gb: int
    authenticated_user: str
    authentication_type: str
    timestamp: int


class PricingDataDoc(BaseModel):
    volumes: VolumePricingDoc
    snapshots: SnapshotPricingDoc
    gpus: GpuPricingDoc
    metadata: PricingMetadataDoc


class PricingQuoteResponse(BaseModel):
    """The quote's answer: always wrapped, as the live service sends it."""

    success: bool
    message: str
    pricing_data: PricingDataDoc
    request_id: str
