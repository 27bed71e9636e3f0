"""Volumes: list with the suggested next name, create, resize, clone, attach, detach, billing."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from datetime import datetime

from pydantic import Field

from barrack_tui.api.models.common import (
    MessageResponse,
    Pagination,
    RegionEnum,
    RequestModel,
    TierEnum,
    VMStatus,
    VolumeStatus,
    VolumeTypeEnum,
    WireModel,
)
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Hours, ItemList, ItemsOf, Money, SignedMoney, Size, Tolerant


class VolumeResponse(WireModel):
    id: SafeStr
    name: SafeStr
    status: Tolerant[VolumeStatus]
    size_gb: Size
    region: Tolerant[RegionEnum]
    volume_type: Tolerant[VolumeTypeEnum] = VolumeTypeEnum.CLOUD_SSD
    bootable: bool = False
    os_image_id: SafeStr | None = None
    tier: Tolerant[TierEnum] = TierEnum.LEGACY
    instance_id: SafeStr | None = None
    instance_name: SafeStr | None = None
    instance_status: Tolerant[VMStatus] | None = None
    created_at: datetime


class GetVolumesWithNextNameResponse(WireModel):
    volumes: ItemsOf[VolumeResponse]
    next_name: SafeStr = "volume1"
    pagination: Pagination = Field(default_factory=Pagination)


class CreateVolumeRequest(RequestModel):
    name: str
    region: RegionEnum
    size_gb: int
    volume_type: VolumeTypeEnum = VolumeTypeEnum.CLOUD_SSD
    bootable: bool = False
    os_image_id: str | None = None


class CreateVolumeResponse(WireModel):
    volume: VolumeResponse


class GetVolumeDetailsResponse(WireModel):
    volume: VolumeResponse


class DeleteVolumeResponse(MessageResponse):
    pass


class ResizeVolumeRequest(RequestModel):
    size_gb: int


class ResizeVolumeResponse(WireModel):
    volume: VolumeResponse


class CloneVolumeRequest(RequestModel):
    name: str


class CloneVolumeResponse(WireModel):
    volume: VolumeResponse


class AttachVolumesRequest(RequestModel):
    volume_ids: list[str] = Field(min_length=1)


class AttachVolumesResponse(WireModel):
    volumes: ItemsOf[VolumeResponse]


class DetachVolumesRequest(RequestModel):
    volume_ids: list[str] = Field(min_length=1)


class DetachVolumesResponse(WireModel):
    volumes: ItemsOf[VolumeResponse]


class GetVolumeTypesResponse(WireModel):
    types: list[Tolerant[VolumeTypeEnum]]


class VolumeBillingRecord(WireModel):
    hour: datetime
    size_gb: Size
    amount: Money


class VolumeBillingSummary(WireModel):
    total: SignedMoney
    hours: Hours = 0.0


class VolumeHourlyBillingResponse(WireModel):
    summary: VolumeBillingSummary
    records: ItemsOf[VolumeBillingRecord] = Field(default_factory=ItemList)
