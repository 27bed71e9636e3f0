"""The simulator's static catalogue: regions, GPU specs and flavors, OS images per region.

Fixed data, no state: the account's stock lives in `SimState.stock`, prices in
`rules/pricing.py`, the price list's wire shape in `sim/price_list.py`. Route handlers and the seed read these tables; nothing
writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from barrack_tui.api.enums import GpuModelEnum, RegionEnum
from barrack_tui.rules.validators import VOLUME_MIN_GB
from barrack_tui.sim.state import REGION_TIERS

GPU_COUNTS: tuple[int, ...] = (1, 2, 4, 8)
# The smallest volume the simulator creates, and states in its pricing quote: it states what it enforces.
# Read as `catalogue.VOLUME_MINIMUM_GB` at call time, so a test can serve another figure.
VOLUME_MINIMUM_GB: int = VOLUME_MIN_GB


@dataclass(frozen=True)
class RegionInfo:
    name: str
    location: str
    tier: str
    available_gpus: tuple[str, ...]


REGIONS: dict[str, RegionInfo] = {
    RegionEnum.NORWAY_1: RegionInfo(
        RegionEnum.NORWAY_1,
        "Oslo, Norway",
        REGION_TIERS[RegionEnum.NORWAY_1],
        (
            GpuModelEnum.H100_SXM5_80GB,
            GpuModelEnum.A100_SXM4_80GB_NVLINK,
            GpuModelEnum.A100_PCIE_80GB,
            GpuModelEnum.L40,
            GpuModelEnum.A40,
        ),
    ),
    RegionEnum.CANADA_1: RegionInfo(
        RegionEnum.CANADA_1,
        "Montreal, Canada",
        REGION_TIERS[RegionEnum.CANADA_1],
        (
            GpuModelEnum.H100_PCIE_NVLINK_80GB,
            GpuModelEnum.H100_PCIE_80GB,
            GpuModelEnum.A100_PCIE_80GB,
            GpuModelEnum.RTX_A6000,
            GpuModelEnum.A40,
        ),
    ),
    RegionEnum.US_1: RegionInfo(
        RegionEnum.US_1,
        "Dallas, United States",
        REGION_TIERS[RegionEnum.US_1],
        (
            GpuModelEnum.H100_SXM5_80GB,
            GpuModelEnum.H100_PCIE_80GB,
            GpuModelEnum.A100_SXM4_80GB_NVLINK,
            GpuModelEnum.RTX_A6000,
            GpuModelEnum.L40,
        ),
    ),
}



@dataclass(frozen=True)
class GpuInfo:
    """One GPU and the share of the host that comes with each GPU of a flavor."""

    model: str
    vram_gb: int
    vcpus_per_gpu: int
    ram_gb_per_gpu: int
    storage_gb_per_gpu: int
    nvlink: bool
    interface: str


GPUS: dict[str, GpuInfo] = {
    info.model: info
    for info in (
        GpuInfo(GpuModelEnum.H100_SXM5_80GB, 80, 28, 180, 750, True, "SXM5"),
        GpuInfo(GpuModelEnum.H100_PCIE_NVLINK_80GB, 80, 28, 180, 750, True, "PCIe"),
        GpuInfo(GpuModelEnum.H100_PCIE_80GB, 80, 28, 180, 750, False, "PCIe"),
        GpuInfo(GpuModelEnum.A100_SXM4_80GB_NVLINK, 80, 24, 120, 500, True, "SXM4"),
        GpuInfo(GpuModelEnum.A100_PCIE_80GB, 80, 24, 120, 500, False, "PCIe"),
        GpuInfo(GpuModelEnum.L40, 48, 16, 64, 400, False, "PCIe"),
        GpuInfo(GpuModelEnum.RTX_A6000, 48, 10, 60, 300, False, "PCIe"),
        GpuInfo(GpuModelEnum.A40, 48, 10, 60, 300, False, "PCIe"),
    )
}


@dataclass(frozen=True)
class Flavor:
    vcpus: int
    ram_gb: int
    storage_gb: int


def flavor(gpu_model: str, gpu_count: int) -> Flavor:
    """What an instance of `gpu_count` x `gpu_model` gets: everything scales with the GPUs."""
    gpu = GPUS[gpu_model]
    return Flavor(gpu.vcpus_per_gpu * gpu_count, gpu.ram_gb_per_gpu * gpu_count, gpu.storage_gb_per_gpu * gpu_count)


@dataclass(frozen=True)
class OSImageInfo:
    id: str
    name: str
    region: str


_OS_IMAGE_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ubuntu-2204-r550-cuda124-docker", "Ubuntu Server 22.04 LTS R550 CUDA 12.4 with Docker"),
    ("ubuntu-2204-r550-cuda124", "Ubuntu Server 22.04 LTS R550 CUDA 12.4"),
    ("ubuntu-2004-r535-cuda122-docker", "Ubuntu Server 20.04 LTS R535 CUDA 12.2 with Docker"),
    ("ubuntu-2004-r535-cuda122", "Ubuntu Server 20.04 LTS R535 CUDA 12.2"),
)

# Keyed by the region's name as requests and records carry it (a RegionEnum member is that string too).
REGION_SLUGS: dict[str, str] = {RegionEnum.NORWAY_1: "no1", RegionEnum.CANADA_1: "ca1", RegionEnum.US_1: "us1"}

OS_IMAGES: dict[str, OSImageInfo] = {
    f"os-{REGION_SLUGS[region]}-{slug}": OSImageInfo(f"os-{REGION_SLUGS[region]}-{slug}", name, region)
    for region in REGIONS
    for slug, name in _OS_IMAGE_VARIANTS
}

DEFAULT_SSH_USER = "ubuntu"
DEFAULT_OS_IMAGE_SLUG = "ubuntu-2204-r550-cuda124-docker"


def os_image(region: str, slug: str = DEFAULT_OS_IMAGE_SLUG) -> OSImageInfo:
    """The OS image `slug` (see _OS_IMAGE_VARIANTS) as offered in `region`."""
    return OS_IMAGES[f"os-{REGION_SLUGS[region]}-{slug}"]


def os_images_in(region: str | None) -> list[OSImageInfo]:
    return [image for image in OS_IMAGES.values() if region is None or image.region == region]


def region_tier(region: str) -> str:
    return REGIONS[region].tier


def offers(region: str, gpu_model: str) -> bool:
    """Whether `region` has `gpu_model` at all (stock may still be zero)."""
    info = REGIONS.get(region)
    return info is not None and gpu_model in info.available_gpus
