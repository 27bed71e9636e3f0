"""The pricing quote in the live service's documented shape: `POST /pricing/` -> `pricing_data`.

The quote is the one answer whose wire format the live service has shown in
full. It is read tolerantly, entry by entry: a tier, volume type, GPU model or
currency this version does not know is kept (as an `Unknown` key), an entry
that cannot be read is left out and listed on its map's `.refused`, and a
section that cannot be read at all is left empty and named in `unreadable`,
so one odd price never costs the limits the rest of the quote states.
Prices are `Money` read from the JSON numbers' own text.
"""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

import functools
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias, TypeVar

from pydantic import Field, TypeAdapter, ValidationError, WrapValidator, field_validator, model_validator

from barrack_tui.api.models.common import CurrencyEnum, GpuModelEnum, RequestModel, TierEnum, VolumeTypeEnum, WireModel
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import (
    Count,
    ItemList,
    ItemProblem,
    ItemsOf,
    Money,
    Size,
    Tolerant,
    describe_errors,
    problem_for,
    tolerant_type,
)


class QuoteResourceEnum(StrEnum):
    VOLUMES = "volumes"
    SNAPSHOTS = "snapshots"
    GPUS = "gpus"


class PricingRequest(RequestModel):
    """What a quote asks about; only `resource_type` is required. Strings stay raw: the server's rules judge them."""

    resource_type: QuoteResourceEnum
    tier: str | None = None
    currency: str | None = None
    volume_size_gb: int | None = None
    volume_type: str | None = None
    gpu_model: str | None = None
    gpu_count: int | None = None


K = TypeVar("K", bound=StrEnum)
V = TypeVar("V")


class EntryMap(dict[str, V], Generic[K, V]):
    """A JSON object read entry by entry: what could be read, and what could not (`refused`).

    `K` names the key enum. Each key is that enum's member or an `Unknown`, both strings, so the
    map is keyed by `str`: a plain string such as "USD" finds the member's entry.
    """

    refused: list[ItemProblem]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused = []


@functools.cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


class _MapFactory:
    """`MapOf[KeyEnum, Value]`: keys kept as the enum member or an `Unknown`, bad entries refused one by one."""

    def __getitem__(self, params: tuple[type[StrEnum], Any]) -> Any:
        key_enum, value_type = params
        name = getattr(value_type, "__name__", "entry")

        # Built at the first quote read, not when the models are defined: the eight adapters took ~10 ms of
        # loading the client, which every session waits on, while a quote is asked for only by some dialogs.
        @functools.cache
        def adapters() -> tuple[TypeAdapter[Any], TypeAdapter[Any]]:
            return _adapter(tolerant_type(key_enum)), _adapter(value_type)

        def per_entry(value: Any, _handler: Any) -> EntryMap[Any, Any]:
            if not isinstance(value, dict):
                raise ValueError("must be an object")
            keys, values = adapters()
            out: EntryMap[Any, Any] = EntryMap()
            for index, (raw_key, raw_value) in enumerate(value.items()):
                try:
                    key = keys.validate_python(raw_key)  # an over-long or blank name is refused here
                except ValidationError:
                    out.refused.append(ItemProblem(name, index, None, None, ("the name is not readable",)))
                    continue
                try:
                    out[key] = values.validate_python(raw_value)
                except ValidationError as exc:
                    out.refused.append(problem_for(name, index, {"name": str(key)}, exc))
            return out

        return Annotated[dict[str, Any], WrapValidator(per_entry)]


if TYPE_CHECKING:
    MapOf: TypeAlias = EntryMap[K, V]
else:
    # A factory, not an alias: the per-entry validator needs the key enum and value type themselves.
    MapOf = _MapFactory()


class QuotePrice(WireModel):
    """One priced thing: its price in each currency, and what the price is for ("per GPU per hour")."""

    prices: MapOf[CurrencyEnum, Money] = Field(default_factory=EntryMap)
    unit: SafeStr = ""
    max_count: Count | None = None
    fixed_size_gb: Size | None = None

    def price(self, currency: str) -> Decimal | None:
        return self.prices.get(currency)


class VolumeQuote(WireModel):
    pricing: MapOf[TierEnum, MapOf[VolumeTypeEnum, QuotePrice]] = Field(default_factory=EntryMap)
    minimum_size_gb: Size | None = None
    description: SafeStr = ""


class SnapshotQuote(WireModel):
    pricing: MapOf[TierEnum, QuotePrice] = Field(default_factory=EntryMap)
    description: SafeStr = ""


class GpuQuote(WireModel):
    pricing: MapOf[TierEnum, MapOf[GpuModelEnum, QuotePrice]] = Field(default_factory=EntryMap)
    description: SafeStr = ""


class QuoteMetadata(WireModel):
    supported_currencies: ItemsOf[Tolerant[CurrencyEnum]] = Field(default_factory=ItemList)
    supported_tiers: ItemsOf[Tolerant[TierEnum]] = Field(default_factory=ItemList)
    volume_minimum_size_gb: Size | None = None
    authenticated_user: SafeStr = ""
    authentication_type: SafeStr = ""
    timestamp: float | None = None

    @field_validator("timestamp", mode="before")
    @classmethod
    def _any_time(cls, value: Any) -> float | None:
        # Shown at most, never decided on: a timestamp that is not a sane number is dropped, not fatal.
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return None
        return number if 0 <= number < 1e14 else None


_SECTIONS: dict[str, type[WireModel]] = {
    "volumes": VolumeQuote,
    "snapshots": SnapshotQuote,
    "gpus": GpuQuote,
    "metadata": QuoteMetadata,
}
# Our regions call the basic tier `standard`; the quote calls it `legacy`.
_SAME_TIER = {TierEnum.STANDARD.value: TierEnum.LEGACY.value, TierEnum.LEGACY.value: TierEnum.STANDARD.value}


class PricingQuote(WireModel):
    """`pricing_data`: prices by tier, and the limits the server states (minimum volume size, GPUs per instance)."""

    volumes: VolumeQuote | None = None
    snapshots: SnapshotQuote | None = None
    gpus: GpuQuote | None = None
    metadata: QuoteMetadata = Field(default_factory=QuoteMetadata)
    # Sections that could not be read, each with why (sanitized field paths, never values).
    unreadable: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _by_section(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("pricing_data"), dict):
            data = data["pricing_data"]  # a wrapper without the envelope's `success`
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {"unreadable": ()}
        problems: list[str] = []
        for name, model in _SECTIONS.items():
            raw = data.get(name)
            if raw is None:
                continue
            try:
                out[name] = model.model_validate(raw)
            except ValidationError as exc:
                problems.extend(f"{name}.{error}" for error in describe_errors(exc))
        out["unreadable"] = tuple(problems)
        return out

    # --- the limits the server states ---------------------------------------------------------------

    @property
    def volume_minimum_gb(self) -> int | None:
        if self.metadata.volume_minimum_size_gb is not None:
            return self.metadata.volume_minimum_size_gb
        return self.volumes.minimum_size_gb if self.volumes is not None else None

    @property
    def supported_currencies(self) -> tuple[str, ...]:
        return tuple(str(currency) for currency in self.metadata.supported_currencies)

    def gpu_max_count(self, gpu_model: str, tier: str | None = None) -> int | None:
        """The most GPUs of `gpu_model` per instance: on `tier` when it lists the model, else the least any tier allows."""
        if self.gpus is None:
            return None
        by_tier = self.gpus.pricing
        for name in (tier, _SAME_TIER.get(str(tier))) if tier else ():
            by_model = by_tier.get(name) if name else None
            entry = by_model.get(gpu_model) if by_model is not None else None
            if entry is not None and entry.max_count is not None:
                return entry.max_count
        counts = [models[gpu_model].max_count for models in by_tier.values() if gpu_model in models]
        stated = [count for count in counts if count is not None]
        return min(stated) if stated else None

    def gpu_max_counts(self) -> dict[str, int]:
        """Every model's stated maximum (the least across tiers when tiers differ)."""
        out: dict[str, int] = {}
        for models in (self.gpus.pricing.values() if self.gpus is not None else ()):
            for model, entry in models.items():
                if entry.max_count is not None:
                    out[str(model)] = min(entry.max_count, out.get(str(model), entry.max_count))
        return out
