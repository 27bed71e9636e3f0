"""Client methods for firewalls: list, details, protocols, rules, attach/detach to instances."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from barrack_tui.api.client_base import ClientBase, dump_request
from barrack_tui.api.models import (
    AddFirewallRuleRequest,
    AddFirewallRuleResponse,
    AttachFirewallRequest,
    AttachFirewallResponse,
    CreateFirewallRequest,
    CreateFirewallResponse,
    DeleteFirewallResponse,
    FirewallAvailableInstancesResponse,
    FirewallResponse,
    FirewallVM,
    GetFirewallDetailsResponse,
    GetSupportedProtocolsResponse,
    ListFirewallsResponse,
    Protocol,
    RemoveFirewallRuleResponse,
)


class FirewallsMixin(ClientBase):
    async def list_firewalls(self) -> list[FirewallResponse]:
        return (await self._call("list_firewalls", ListFirewallsResponse)).firewalls

    async def get_firewall(self, firewall_id: str) -> GetFirewallDetailsResponse:
        return await self._call("get_firewall", GetFirewallDetailsResponse, path={"id": firewall_id})

    async def list_firewall_protocols(self) -> list[Protocol]:
        return (await self._call("list_firewall_protocols", GetSupportedProtocolsResponse)).protocols

    async def list_firewall_available_instances(self, firewall_id: str) -> list[FirewallVM]:
        result = await self._call(
            "list_firewall_available_instances", FirewallAvailableInstancesResponse, path={"id": firewall_id}
        )
        return result.instances

    async def create_firewall(self, request: CreateFirewallRequest | Mapping[str, Any]) -> CreateFirewallResponse:
        body = dump_request(request, CreateFirewallRequest)
        return await self._call("create_firewall", CreateFirewallResponse, body=body)

    async def delete_firewall(self, firewall_id: str) -> DeleteFirewallResponse:
        return await self._call("delete_firewall", DeleteFirewallResponse, path={"id": firewall_id})

    async def add_firewall_rule(
        self, firewall_id: str, rule: AddFirewallRuleRequest | Mapping[str, Any]
    ) -> AddFirewallRuleResponse:
        body = dump_request(rule, AddFirewallRuleRequest)
        return await self._call("add_firewall_rule", AddFirewallRuleResponse, path={"id": firewall_id}, body=body)

    async def remove_firewall_rule(self, firewall_id: str, rule_id: str) -> RemoveFirewallRuleResponse:
        return await self._call(
            "remove_firewall_rule", RemoveFirewallRuleResponse, path={"id": firewall_id, "rule_id": rule_id}
        )

    async def attach_firewall(self, firewall_id: str, instance_ids: Iterable[str]) -> AttachFirewallResponse:
        body = dump_request({"instance_ids": list(instance_ids)}, AttachFirewallRequest)
        return await self._call("attach_firewall", AttachFirewallResponse, path={"id": firewall_id}, body=body)

    async def detach_firewall(self, firewall_id: str, instance_ids: Iterable[str]) -> AttachFirewallResponse:
        body = dump_request({"instance_ids": list(instance_ids)}, AttachFirewallRequest)
        return await self._call("detach_firewall", AttachFirewallResponse, path={"id": firewall_id}, body=body)
