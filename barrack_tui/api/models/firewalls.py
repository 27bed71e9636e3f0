"""Firewalls: list, details, rules, attachments, supported protocols."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from datetime import datetime

from pydantic import Field

from barrack_tui.api.models.common import (
    MessageResponse,
    ProtocolEnum,
    RegionEnum,
    RequestModel,
    ResourceStatus,
    SecurityRuleFields,
    SecurityRuleRequestFields,
    VMStatus,
    WireModel,
)
from barrack_tui.api.sanitize import SafeStr
from barrack_tui.api.tolerant import Count, ItemList, ItemsOf, Tolerant


class FirewallResponse(WireModel):
    id: SafeStr
    name: SafeStr
    description: SafeStr = ""
    region: Tolerant[RegionEnum]
    status: Tolerant[ResourceStatus]
    rule_count: Count = 0
    attachment_count: Count = 0
    created_at: datetime


class ListFirewallsResponse(WireModel):
    firewalls: ItemsOf[FirewallResponse]


class FirewallRule(SecurityRuleFields):
    pass


class FirewallAttachment(WireModel):
    instance_id: SafeStr
    instance_name: SafeStr
    instance_status: Tolerant[VMStatus]
    status: Tolerant[ResourceStatus]


class GetFirewallDetailsResponse(WireModel):
    firewall: FirewallResponse
    rules: ItemsOf[FirewallRule] = Field(default_factory=ItemList)
    attachments: ItemsOf[FirewallAttachment] = Field(default_factory=ItemList)


class Protocol(WireModel):
    name: Tolerant[ProtocolEnum]
    has_ports: bool


class GetSupportedProtocolsResponse(WireModel):
    protocols: ItemsOf[Protocol]


class FirewallVM(WireModel):
    id: SafeStr
    name: SafeStr
    status: Tolerant[VMStatus]
    region: Tolerant[RegionEnum]
    server_uuid: SafeStr | None = None
    attached: bool = False


class FirewallAvailableInstancesResponse(WireModel):
    instances: ItemsOf[FirewallVM]


class CreateFirewallRequest(RequestModel):
    name: str
    description: str | None = None
    region: RegionEnum


class CreateFirewallResponse(WireModel):
    firewall: FirewallResponse


class DeleteFirewallResponse(MessageResponse):
    pass


class AddFirewallRuleRequest(SecurityRuleRequestFields):
    pass


class AddFirewallRuleResponse(WireModel):
    rule: FirewallRule


class RemoveFirewallRuleResponse(MessageResponse):
    pass


class AttachFirewallRequest(RequestModel):
    instance_ids: list[str] = Field(min_length=1)


class AttachFirewallResponse(WireModel):
    attachments: ItemsOf[FirewallAttachment]
