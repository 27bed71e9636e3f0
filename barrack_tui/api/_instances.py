"""Client methods for instances: deploy, list, details, lifecycle actions, security rules, billing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from barrack_tui.api.client_base import DEFAULT_PER_PAGE, ClientBase, dump_request
from barrack_tui.api.models import (
    AddVMSecurityRuleResponse,
    AggregatedBillingResponse,
    AttachedFirewall,
    DeleteVMResponse,
    DeploymentRequest,
    DeploymentResponse,
    GetHibernatedVMsResponse,
    GetVMAttachedFirewallsResponse,
    HibernateVMResponse,
    ListVMsResponse,
    RebootVMResponse,
    RemoveVMSecurityRuleResponse,
    RestoreVMResponse,
    StartVMResponse,
    StopVMResponse,
    ToggleVMPublicIPResponse,
    VMDetailsResponse,
    VMInstance,
    VMSecurityRuleRequest,
)


class InstancesMixin(ClientBase):
    async def deploy_instance(self, request: DeploymentRequest | Mapping[str, Any]) -> DeploymentResponse:
        return await self._call("deploy_instance", DeploymentResponse, body=dump_request(request, DeploymentRequest))

    async def list_instances(
        self, region: str | None = None, status: str | None = None, *, per_page: int = DEFAULT_PER_PAGE
    ) -> list[VMInstance]:
        """Every instance (all pages), optionally filtered by region and status."""
        result = await self._call_pages(
            "list_instances", ListVMsResponse, "instances", params={"region": region, "status": status}, per_page=per_page
        )
        return result.instances

    async def get_instance(self, instance_id: str) -> VMDetailsResponse:
        return await self._call("get_instance", VMDetailsResponse, path={"id": instance_id})

    async def start_instance(self, instance_id: str) -> StartVMResponse:
        return await self._call("start_instance", StartVMResponse, path={"id": instance_id})

    async def stop_instance(self, instance_id: str) -> StopVMResponse:
        return await self._call("stop_instance", StopVMResponse, path={"id": instance_id})

    async def reboot_instance(self, instance_id: str) -> RebootVMResponse:
        return await self._call("reboot_instance", RebootVMResponse, path={"id": instance_id})

    async def hibernate_instance(self, instance_id: str) -> HibernateVMResponse:
        return await self._call("hibernate_instance", HibernateVMResponse, path={"id": instance_id})

    async def restore_instance(self, instance_id: str) -> RestoreVMResponse:
        return await self._call("restore_instance", RestoreVMResponse, path={"id": instance_id})

    async def toggle_public_ip(self, instance_id: str) -> ToggleVMPublicIPResponse:
        return await self._call("toggle_public_ip", ToggleVMPublicIPResponse, path={"id": instance_id})

    async def add_instance_security_rule(
        self, instance_id: str, rule: VMSecurityRuleRequest | Mapping[str, Any]
    ) -> AddVMSecurityRuleResponse:
        return await self._call(
            "add_instance_security_rule",
            AddVMSecurityRuleResponse,
            path={"id": instance_id},
            body=dump_request(rule, VMSecurityRuleRequest),
        )

    async def remove_instance_security_rule(self, instance_id: str, rule_id: str) -> RemoveVMSecurityRuleResponse:
        return await self._call(
            "remove_instance_security_rule",
            RemoveVMSecurityRuleResponse,
            path={"id": instance_id, "rule_id": rule_id},
        )

    async def delete_instance(self, instance_id: str) -> DeleteVMResponse:
        return await self._call("delete_instance", DeleteVMResponse, path={"id": instance_id})

    async def get_instance_billing(self, instance_id: str) -> AggregatedBillingResponse:
        return await self._call("get_instance_billing", AggregatedBillingResponse, path={"id": instance_id})

    async def get_hibernated_instances(self) -> GetHibernatedVMsResponse:
        return await self._call("get_hibernated_instances", GetHibernatedVMsResponse)

    async def get_instance_firewalls(self, instance_id: str) -> list[AttachedFirewall]:
        result = await self._call("get_instance_firewalls", GetVMAttachedFirewallsResponse, path={"id": instance_id})
        return result.firewalls
