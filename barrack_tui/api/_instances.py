"""Client methods for instances: deploy, list, details, lifecycle actions, security rules, billing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import pydantic

from barrack_tui.api.client_base import DEFAULT_PER_PAGE, MAX_PAGES, ClientBase, dump_request
from barrack_tui.api.errors import BadResponseError, bad_model_error
from barrack_tui.api.sanitize import sanitize_line
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
    Pagination,
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


@dataclass
class InstanceListing:
    """The fleet as last listed (by id, in the server's order) with a digest of each item's JSON.

    Handed back to `list_instances_incremental`, it lets the next poll validate
    only the instances whose JSON changed: a calm 10,000-instance fleet then
    costs one JSON parse per poll, not 10,000 model validations and comparisons.
    """

    instances: dict[str, VMInstance] = field(default_factory=dict)
    digests: dict[str, bytes] = field(default_factory=dict)


def _digest(raw: Any) -> bytes:
    return hashlib.blake2b(orjson.dumps(raw), digest_size=16).digest()


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

    async def list_instances_incremental(
        self,
        previous: InstanceListing | None = None,
        *,
        region: str | None = None,
        status: str | None = None,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> InstanceListing:
        """Every instance, like `list_instances`, re-validating only items whose JSON differs from `previous`.

        The same request(s) as `list_instances`; the models are the same (an unchanged item's JSON
        gives an equal model, so the previous model is reused as it is).
        """
        old = previous or InstanceListing()
        fresh = InstanceListing()
        page = 1
        while True:
            params = {"region": region, "status": status, "page": page, "per_page": per_page}
            data = await self._call_json("list_instances", params={k: v for k, v in params.items() if v is not None})
            if not isinstance(data, dict) or not isinstance(data.get("instances"), list):
                raise BadResponseError(200, message="the answer has no list of instances", model="ListVMsResponse")
            page_items = data["instances"]
            for raw in page_items:
                digest = _digest(raw)
                known_id = sanitize_line(str(raw.get("id"))) if isinstance(raw, dict) else None
                if known_id is not None and old.digests.get(known_id) == digest:
                    instance = old.instances[known_id]
                else:
                    try:
                        instance = VMInstance.model_validate(raw)
                    except pydantic.ValidationError as exc:
                        raise bad_model_error(200, VMInstance, exc) from None
                # Items can shift between pages while we walk them; never show one twice.
                if instance.id not in fresh.instances:
                    fresh.instances[instance.id] = instance
                    fresh.digests[instance.id] = digest
            try:
                pagination = Pagination.model_validate(data.get("pagination") or {})
            except pydantic.ValidationError as exc:
                raise bad_model_error(200, Pagination, exc) from None
            if page >= pagination.total_pages or page >= MAX_PAGES or not page_items:
                return fresh
            page += 1

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
