"""Firewalls: list, details, rules, attachments, supported protocols."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from barrack_tui.api.models.common import (
    MessageResponse,
    ProtocolEnum,
    RegionEnum,
    RequestModel,
    SecurityRuleFields,
    SecurityRuleRequestFields,
    ResourceStatus,
    VMStatus,
    WireModel,
)
from barrack_tui.api.sanitize import SafeStr


class FirewallResponse(WireModel):
    id: SafeStr
    name: SafeStr
    description: SafeStr = ""
    region: RegionEnum
    status: ResourceStatus
    rule_count: int = 0
    attachment_count: int = 0
    created_at: datetime


class ListFirewallsResponse(WireModel):
    firewalls: list[FirewallResponse]


class FirewallRule(SecurityRuleFields):
    pass


class FirewallAttachment(WireModel):
    instance_id: SafeStr
    instance_name: SafeStr
    instance_status: VMStatus
    status: ResourceStatus


class GetFirewallDetailsResponse(WireModel):
    firewall: FirewallResponse
    rules: list[FirewallRule] = Field(default_factory=list)
    attachments: list[FirewallAttachment] = Field(default_factory=list)


class Protocol(WireModel):
    name: ProtocolEnum
    has_ports: bool


class GetSupportedProtocolsResponse(WireModel):
    protocols: list[Protocol]


class FirewallVM(WireModel):
    id: SafeStr
    name: SafeStr
    status: VMStatus
    region: RegionEnum
    server_uuid: SafeStr | None = None
    attached: bool = False


class FirewallAvailableInstancesResponse(WireModel):
    instances: list[FirewallVM]


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
    attachments: list[FirewallAttachment]
