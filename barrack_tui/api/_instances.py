"""Client methods for instances: deploy, list, details, lifecycle actions, security rules, billing."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
import pydantic

from barrack_tui.api.client_base import DEFAULT_PER_PAGE, MAX_PAGES, ClientBase, dump_request
from barrack_tui.api.errors import BadResponseError, bad_model_error, describe_body
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
    """The fleet as last listed (by id, in the server's order) with a hash of each item's JSON bytes.

    Handed back to `list_instances_incremental`, it lets the next poll validate
    only the instances whose bytes changed: a calm 10,000-instance fleet then
    costs one scan of the answer for item boundaries (no parse into Python
    objects) and one hash per item, not 10,000 model validations.
    """

    instances: dict[str, VMInstance] = field(default_factory=dict)
    # Unchanged bytes mean an unchanged item (its id is in those bytes): the next poll finds it by hash alone.
    ids_by_hash: dict[int, str] = field(default_factory=dict)
    # The ids whose bytes were new in this listing (added or changed): the store's change set, without a diff.
    validated: set[str] = field(default_factory=set)


class _ListPage(msgspec.Struct):
    """A list answer split into its items' raw JSON: msgspec finds the boundaries without building objects."""

    instances: list[msgspec.Raw]
    pagination: msgspec.Raw = msgspec.Raw(b"{}")  # a Raw is never None: "null" stays raw too


_LIST_PAGE = msgspec.json.Decoder(_ListPage)


def _split_page(response: httpx.Response) -> _ListPage:
    try:
        return _LIST_PAGE.decode(response.content)
    except msgspec.ValidationError:
        raise BadResponseError(200, message="the answer has no list of instances", model="ListVMsResponse") from None
    except msgspec.DecodeError:
        problem = describe_body(response.headers.get("content-type", ""), response.content)
        raise BadResponseError(response.status_code, message=problem) from None


# New items in one page from which validation runs with the cyclic collector paused.
_BULK = 1_000


@contextmanager
def _no_collection(pause: bool) -> Iterator[None]:
    """Pause the cyclic GC while thousands of models are built.

    A first load of 10,000 instances allocates ~200,000 objects; CPython starts
    full collections as the heap grows (each walking everything so far), which
    made the same load take 0.33 s or 0.48 s depending on where they fell. Models
    hold no reference cycles, so nothing collectable piles up meanwhile.
    """
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _merge_page(fresh: InstanceListing, old: InstanceListing, raws: list[msgspec.Raw]) -> None:
    """Add one page to `fresh`: known bytes reuse their model, new bytes are validated.

    Written as bulk operations (comprehensions, map, dict.update) because a
    10,000-instance fleet runs this every poll, on the UI's event loop.
    """
    # Python's hash of the bytes (64-bit SipHash, seeded per process): a third of blake2b's cost here. A
    # collision would need an item's new bytes to hash like another item's old bytes, ~1e-11 per poll at 10,000.
    digests = [hash(bytes(raw)) for raw in raws]
    page_ids = list(map(old.ids_by_hash.get, digests))
    models = old.instances
    if None in page_ids:
        models = dict(models)
        with _no_collection(page_ids.count(None) >= _BULK):
            for index, instance_id in enumerate(page_ids):
                if instance_id is None:
                    try:
                        instance = VMInstance.model_validate_json(bytes(raws[index]))
                    except pydantic.ValidationError as exc:
                        raise bad_model_error(200, VMInstance, exc) from None
                    page_ids[index] = instance.id
                    models[instance.id] = instance
                    fresh.validated.add(instance.id)
    # Items can shift between pages while we walk them (or repeat): the first sighting of an id wins.
    seen = fresh.instances
    if seen.keys().isdisjoint(page_ids) and len(set(page_ids)) == len(page_ids):
        seen.update(zip(page_ids, map(models.__getitem__, page_ids)))
        fresh.ids_by_hash.update(zip(digests, page_ids))
        return
    for instance_id, digest in zip(page_ids, digests):
        if instance_id not in seen:
            seen[instance_id] = models[instance_id]
            fresh.ids_by_hash[digest] = instance_id


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
            answer = await self._call_raw("list_instances", params={k: v for k, v in params.items() if v is not None})
            split = _split_page(answer)
            _merge_page(fresh, old, split.instances)
            try:
                pagination = Pagination.model_validate(msgspec.json.decode(split.pagination) or {})
            except pydantic.ValidationError as exc:
                raise bad_model_error(200, Pagination, exc) from None
            if page >= pagination.total_pages or page >= MAX_PAGES or not split.instances:
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
