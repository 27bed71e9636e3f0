"""Enums, base classes and shapes shared by every area of the contract."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Count, Tolerant


class WireModel(BaseModel):
    """Base of every response model: tolerant of extra fields, never echoes input in errors."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True, populate_by_name=True, defer_build=True)


class RequestModel(BaseModel):
    """Base of every request body. Strings stay raw: the rules validate them."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True, populate_by_name=True, defer_build=True)


class RegionEnum(StrEnum):
    NORWAY_1 = "NORWAY-1"
    CANADA_1 = "CANADA-1"
    US_1 = "US-1"


class TierEnum(StrEnum):
    """A region's tier. The live service calls the basic tier `legacy`; `standard` is its older name here."""

    LEGACY = "legacy"
    STANDARD = "standard"
    ADVANCED = "advanced"


class GpuModelEnum(StrEnum):
    H100_SXM5_80GB = "H100-SXM5-80GB"
    H100_PCIE_NVLINK_80GB = "H100-PCIe-NVLink-80GB"
    H100_PCIE_80GB = "H100-PCIe-80GB"
    A100_SXM4_80GB_NVLINK = "A100-SXM4-80GB-NVLink"
    A100_PCIE_80GB = "A100-PCIe-80GB"
    L40 = "L40"
    RTX_A6000 = "RTX-A6000"
    A40 = "A40"
    B300_262GB = "B300-262GB"


class GpuCountEnum(IntEnum):
    ONE = 1
    TWO = 2
    FOUR = 4
    EIGHT = 8


class CurrencyEnum(StrEnum):
    USD = "USD"
    EUR = "EUR"
    INR = "INR"


class VMStatus(StrEnum):
    CREATING = "CREATING"
    BUILD = "BUILD"
    ACTIVE = "ACTIVE"
    STARTING = "STARTING"
    STOPPING = "STOPPING"
    SHUTOFF = "SHUTOFF"
    REBOOTING = "REBOOTING"
    HIBERNATING = "HIBERNATING"
    HIBERNATED = "HIBERNATED"
    RESTORING = "RESTORING"
    DELETING = "DELETING"
    DELETED = "DELETED"
    ERROR = "ERROR"


TRANSITIONAL_VM_STATUSES = frozenset(
    {
        VMStatus.CREATING,
        VMStatus.BUILD,
        VMStatus.STARTING,
        VMStatus.STOPPING,
        VMStatus.REBOOTING,
        VMStatus.HIBERNATING,
        VMStatus.RESTORING,
        VMStatus.DELETING,
    }
)


class VolumeTypeEnum(StrEnum):
    CLOUD_SSD = "Cloud-SSD"
    SSD = "SSD"
    HDD = "HDD"
    NVME = "NVMe"


class VolumeStatus(StrEnum):
    CREATING = "creating"
    AVAILABLE = "available"
    ATTACHED = "attached"
    ERROR = "error"


class ResourceStatus(StrEnum):
    """Status of firewalls, firewall attachments, snapshots and images."""

    CREATING = "CREATING"
    SUCCESS = "SUCCESS"
    ATTACHING = "ATTACHING"
    ERROR = "ERROR"


class ResourceTypeEnum(StrEnum):
    VM = "vm"
    VOLUME = "volume"
    SNAPSHOT = "snapshot"
    IMAGE = "image"


class DirectionEnum(StrEnum):
    INGRESS = "ingress"
    EGRESS = "egress"


class EthertypeEnum(StrEnum):
    IPV4 = "IPv4"
    IPV6 = "IPv6"


class ProtocolEnum(StrEnum):
    TCP = "tcp"
    UDP = "udp"
    ICMP = "icmp"


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

