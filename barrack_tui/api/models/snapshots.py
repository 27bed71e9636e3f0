"""Snapshots and the custom images made from them."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from datetime import datetime

from pydantic import Field

from barrack_tui.api.models.common import (
    GpuModelEnum,
    MessageResponse,
    RegionEnum,
    RequestModel,
    ResourceStatus,
    WireModel,
)
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.volumes import VolumeBillingRecord, VolumeBillingSummary
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Count, ItemList, ItemsOf, Size, Tolerant


class SnapshotVMConfig(WireModel):
    """The configuration of the instance a snapshot was taken of, used to restore it."""

    gpu_model: Tolerant[GpuModelEnum] | None = None
    gpu_count: Count | None = None
    image_id: SafeStr | None = None
    image_name: SafeStr | None = None
    ssh_key_ids: list[SafeStr] = Field(default_factory=list)


class Snapshot(WireModel):
    id: SafeStr
    name: SafeStr
    description: SafeStr = ""
    instance_id: SafeStr | None = None
    instance_name: SafeStr | None = None
    region: Tolerant[RegionEnum]
    size_gb: Size = 0
    status: Tolerant[ResourceStatus]
    is_image: bool = False
    created_at: datetime
    vm_config: SnapshotVMConfig = Field(default_factory=SnapshotVMConfig)


class SnapshotListResponse(WireModel):
    snapshots: ItemsOf[Snapshot]


class SnapshotEligibleInstancesResponse(WireModel):
    instances: ItemsOf[VMInstance]


class SnapshotBillingResponse(WireModel):
    summary: VolumeBillingSummary
    records: ItemsOf[VolumeBillingRecord] = Field(default_factory=ItemList)


class CreateSnapshotRequest(RequestModel):
    instance_id: str
    name: str
    description: str | None = None
    create_image: bool = False


class CreateSnapshotResponse(WireModel):
    snapshot: Snapshot


class DeleteSnapshotResponse(MessageResponse):
    pass


class RestoreSnapshotRequest(RequestModel):
    name: str


class RestoreSnapshotResponse(WireModel):
    instance: VMInstance


class Image(WireModel):
    id: SafeStr
    name: SafeStr
    description: SafeStr = ""
    region: Tolerant[RegionEnum]
    size_gb: Size = 0
    status: Tolerant[ResourceStatus]
    snapshot_id: SafeStr | None = None
    created_at: datetime


class ImageListResponse(WireModel):
    images: ItemsOf[Image]


class ImageDetailResponse(WireModel):
    image: Image


class CreateImageFromSnapshotRequest(RequestModel):
    snapshot_id: str
    name: str
    description: str | None = None


class ImageCreateResponse(WireModel):
    image: Image


class ImageDeleteResponse(MessageResponse):
    pass


class SnapshotImageRelationshipResponse(WireModel):
    snapshot_id: SafeStr
    image_id: SafeStr | None = None


class GetBatchSnapshotImageRelationshipsRequest(RequestModel):
    snapshot_ids: list[str] = Field(min_length=1)


class BatchSnapshotImageRelationshipResponse(WireModel):
    relationships: ItemsOf[SnapshotImageRelationshipResponse]


