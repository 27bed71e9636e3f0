"""Instances: deployment, lifecycle, details, security rules, billing, hibernation."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from datetime import datetime
from typing import Literal

from pydantic import Field

from barrack_tui.api.models.common import (
    CurrencyEnum,
    GpuModelEnum,
    MessageResponse,
    Pagination,
    RegionEnum,
    RequestModel,
    ResourceStatus,
    SecurityRuleFields,
    SecurityRuleRequestFields,
    VMStatus,
    VolumeStatus,
    WireModel,
)
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Count, Hours, ItemList, ItemsOf, Money, SignedMoney, Size, Tolerant


class BootSource(RequestModel):
    type: Literal["os_image", "volume", "image"]
    id: str


class JupyterConfig(RequestModel):
    enabled: bool = False
    password: str | None = None


class VMSecurityRuleRequest(SecurityRuleRequestFields):
    pass


class DeploymentRequest(RequestModel):
    name: str
    region: RegionEnum
    gpu_model: GpuModelEnum
    gpu_count: int
    boot_source: BootSource
    ssh_key_ids: list[str] = Field(min_length=1)
    public_ip: bool = False
    security_rules: list[VMSecurityRuleRequest] = Field(default_factory=list)
    jupyter: JupyterConfig = Field(default_factory=JupyterConfig)
    cloud_init: str | None = None
    startup_script_id: str | None = None


class VMFlavor(WireModel):
    gpu_model: Tolerant[GpuModelEnum]
    gpu_count: Count
    vcpus: Count
    ram_gb: Size
    storage_gb: Size


class VMImage(WireModel):
    id: SafeStr
    name: SafeStr


class VMInstance(WireModel):
    id: SafeStr
    name: SafeStr
    status: Tolerant[VMStatus]
    region: Tolerant[RegionEnum]
    flavor: VMFlavor
    image: VMImage
    private_ip: SafeStr | None = None
    public_ip: SafeStr | None = None
    ssh_key_ids: list[SafeStr] = Field(default_factory=list)
    currency: Tolerant[CurrencyEnum]
    hourly_price: Money
    created_at: datetime
    updated_at: datetime
    server_uuid: SafeStr | None = None
    deployment_id: SafeStr | None = None


class DeploymentResponse(WireModel):
    deployment_id: SafeStr
    instance: VMInstance


class ListVMsResponse(WireModel):
    instances: ItemsOf[VMInstance]
    pagination: Pagination = Field(default_factory=Pagination)


class VMVolumeAttachment(WireModel):
    id: SafeStr
    name: SafeStr
    size_gb: Size
    status: Tolerant[VolumeStatus]
    bootable: bool = False


class VMSecurityRule(SecurityRuleFields):
    pass


class AttachedFirewall(WireModel):
    id: SafeStr
    name: SafeStr
    status: Tolerant[ResourceStatus]


class VMDetailsResponse(WireModel):
    instance: VMInstance
    volumes: ItemsOf[VMVolumeAttachment] = Field(default_factory=ItemList)
    security_rules: ItemsOf[VMSecurityRule] = Field(default_factory=ItemList)
    firewalls: ItemsOf[AttachedFirewall] = Field(default_factory=ItemList)


class VMActionResponse(WireModel):
    instance: VMInstance
    message: SafeStr = ""


class StartVMResponse(VMActionResponse):
    pass


class StopVMResponse(VMActionResponse):
    pass


class RebootVMResponse(VMActionResponse):
    pass


class HibernateVMResponse(VMActionResponse):
    pass


class RestoreVMResponse(VMActionResponse):
    pass


class ToggleVMPublicIPResponse(WireModel):
    instance: VMInstance
    public_ip: SafeStr | None = None


class AddVMSecurityRuleResponse(WireModel):
    rule: VMSecurityRule


class RemoveVMSecurityRuleResponse(MessageResponse):
    pass


class DeleteVMResponse(MessageResponse):
    instance: VMInstance | None = None


class BillingRecord(WireModel):
    start: datetime
    end: datetime | None = None
    status: Tolerant[VMStatus]
    rate: Money
    amount: Money


class BillingSummary(WireModel):
    total: SignedMoney
    hours_active: Hours = 0.0
    hours_shutoff: Hours = 0.0
    hours_hibernated: Hours = 0.0


class AggregatedBillingResponse(WireModel):
    instance_id: SafeStr
    currency: Tolerant[CurrencyEnum]
    summary: BillingSummary
    records: ItemsOf[BillingRecord] = Field(default_factory=ItemList)


class RecentHibernation(WireModel):
    instance_id: SafeStr
    name: SafeStr
    hibernated_at: datetime


class HibernationBillingMetrics(WireModel):
    hourly_rate: Money
    saved_per_hour: Money


class GetHibernatedVMsResponse(WireModel):
    count: Count
    recent: ItemsOf[RecentHibernation] = Field(default_factory=ItemList)
    metrics: HibernationBillingMetrics


class GetVMAttachedFirewallsResponse(WireModel):
    firewalls: ItemsOf[AttachedFirewall] = Field(default_factory=ItemList)
