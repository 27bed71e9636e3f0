"""Enums, base classes and shapes shared by every area of the contract."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from typing import Any

from pydantic import BaseModel, ConfigDict

from barrack_tui.api.enums import (  # the models' enums, re-exported where they always were
    TRANSITIONAL_VM_STATUSES,
    CurrencyEnum,
    DirectionEnum,
    EthertypeEnum,
    GpuCountEnum,
    GpuModelEnum,
    ProtocolEnum,
    RegionEnum,
    ResourceStatus,
    ResourceTypeEnum,
    TierEnum,
    VMStatus,
    VolumeStatus,
    VolumeTypeEnum,
)
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Count, Tolerant

__all__ = [
    "TRANSITIONAL_VM_STATUSES",
    "CurrencyEnum",
    "DirectionEnum",
    "EthertypeEnum",
    "ErrorBody",
    "ErrorResponse",
    "GpuCountEnum",
    "GpuModelEnum",
    "MessageResponse",
    "Pagination",
    "ProtocolEnum",
    "RegionEnum",
    "RequestModel",
    "ResourceStatus",
    "ResourceTypeEnum",
    "SecurityRuleFields",
    "SecurityRuleRequestFields",
    "TierEnum",
    "VMStatus",
    "VolumeStatus",
    "VolumeTypeEnum",
    "WireModel",
]


class WireModel(BaseModel):
    """Base of every response model: tolerant of extra fields, never echoes input in errors."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True, populate_by_name=True, defer_build=True)


class RequestModel(BaseModel):
    """Base of every request body. Strings stay raw: the rules validate them."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True, populate_by_name=True, defer_build=True)


class Pagination(WireModel):
    page: Count = 1
    per_page: Count = 100
    total: Count = 0
    total_pages: Count = 1


class ErrorBody(WireModel):
    code: SafeStr
    message: SafeStr
    details: dict[str, Any] | list[Any] | None = None


class ErrorResponse(WireModel):
    error: ErrorBody


class MessageResponse(WireModel):
    """Base of the responses that only confirm an operation."""

    message: SafeStr = ""


class SecurityRuleRequestFields(RequestModel):
    """What an instance security rule and a firewall rule ask for alike (F3 validates it)."""

    direction: DirectionEnum
    protocol: ProtocolEnum
    ethertype: EthertypeEnum
    remote_ip_prefix: str
    port_range_min: int | None = None
    port_range_max: int | None = None


class SecurityRuleFields(WireModel):
    """What an instance security rule and a firewall rule look like alike, as the server answers."""

    id: SafeStr
    direction: Tolerant[DirectionEnum]
    protocol: Tolerant[ProtocolEnum]
    ethertype: Tolerant[EthertypeEnum]
    remote_ip_prefix: SafeStr
    port_range_min: Count | None = None
    port_range_max: Count | None = None
