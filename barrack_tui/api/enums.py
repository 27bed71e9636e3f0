"""The contract's enums and the statuses they group, as plain Python: no pydantic.

They live apart from the models so that the rules and the screens that only
compare a status (and the app's first frame, which compares none yet) can
name them without loading pydantic and every model; `api.models` offers the
same objects.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


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
