"""Client methods for instances: deploy, list, details, lifecycle actions, security rules, billing."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import msgspec
import pydantic

from barrack_tui.api._httpx import httpx
from barrack_tui.api.client_base import ClientBase, dump_request
from barrack_tui.api.compact import share_fields_sets
from barrack_tui.api.envelope import META_KEYS, clean_request_id, request_id_of
from barrack_tui.api.errors import BadResponseError, UnsuccessfulError, describe_body
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
from barrack_tui.api.pages import DEFAULT_PER_PAGE, PageBudget
from barrack_tui.api.sanitize import sanitize_line
from barrack_tui.api.tolerant import ItemProblem, decode_json, problem_for


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
    # Items that could not be read (left out, with why), and why the walk stopped early (None: it did not).
    refused: list[ItemProblem] = field(default_factory=list)
    cut: str | None = None
    request_id: str | None = None
    # Items of earlier pages, so a refused item's position counts across pages.
    offset: int = 0


class _ListPage(msgspec.Struct):
    """A list answer split into its items' raw JSON: msgspec finds the boundaries without building objects.

    `success`, `message`, `request_id` and `data` are there for the live service's envelope: a wrapped answer
    has its meta keys beside the list, or the whole list answer under one payload key.
    """

    instances: list[msgspec.Raw] | None = None
    pagination: msgspec.Raw = msgspec.Raw(b"{}")  # a Raw is never None: "null" stays raw too
    success: bool | None = None
    message: Any = None
    request_id: Any = None


_LIST_PAGE = msgspec.json.Decoder(_ListPage)
_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])


def _split_page(response: httpx.Response) -> tuple[_ListPage, str | None, bytes]:
    """The page's raw items, its request id and the list answer's bytes (an envelope's payload, opened).

    `success: false` is raised.
    """
    content = response.content
    for _ in range(2):  # the answer itself, then (when wrapped) its one payload key
        try:
            page = _LIST_PAGE.decode(content)
        except msgspec.ValidationError:
            raise BadResponseError(200, message="the answer has no list of instances", model="ListVMsResponse") from None
        except msgspec.DecodeError:
            problem = describe_body(response.headers.get("content-type", ""), response.content)
            raise BadResponseError(response.status_code, message=problem).with_request_id(
                request_id_of(response.headers)
            ) from None
        request_id = clean_request_id(page.request_id) or request_id_of(response.headers)
        if page.success is False:
            message = sanitize_line(page.message)[:400] if isinstance(page.message, str) else ""
            raise UnsuccessfulError(response.status_code, "UNSUCCESSFUL", message).with_request_id(request_id)
        if page.instances is not None:
            return page, request_id, content
        payload = [raw for key, raw in _TOP.decode(content).items() if key not in META_KEYS]
        if page.success is None or len(payload) != 1:
            break
        content = bytes(payload[0])
    raise BadResponseError(200, message="the answer has no list of instances", model="ListVMsResponse")


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
        unreadable: list[int] = []
        built: list[VMInstance] = []
        with _no_collection(page_ids.count(None) >= _BULK):
            for index, instance_id in enumerate(page_ids):
                if instance_id is None:
                    # Parsed with every fractional number as a Decimal from its own text (never a float).
                    item = decode_json(bytes(raws[index]))
                    try:
                        instance = VMInstance.model_validate(item)
                    except pydantic.ValidationError as exc:
                        # One unreadable instance costs that instance, never the fleet.
                        fresh.refused.append(problem_for("VMInstance", fresh.offset + index, item, exc))
                        unreadable.append(index)
                        continue
                    page_ids[index] = instance.id
                    models[instance.id] = instance
                    fresh.validated.add(instance.id)
                    built.append(instance)
            # ~1.4 KB of field-name sets per instance (its own, its flavor's, its image's): 70 MB at 50,000.
            share_fields_sets(built)
        if unreadable:
            for index in reversed(unreadable):
                del page_ids[index], digests[index]
    fresh.offset += len(raws)
    # Every None was filled with the id read above or deleted with its unreadable item.
    known_ids = cast(list[str], page_ids)
    # Items can shift between pages while we walk them (or repeat): the first sighting of an id wins.
    seen = fresh.instances
    if seen.keys().isdisjoint(known_ids) and len(set(known_ids)) == len(known_ids):
        seen.update(zip(known_ids, map(models.__getitem__, known_ids)))
        fresh.ids_by_hash.update(zip(digests, known_ids))
        return
    for instance_id, digest in zip(known_ids, digests):
        if instance_id not in seen:
            seen[instance_id] = models[instance_id]
            fresh.ids_by_hash[digest] = instance_id


# A first load at least this big is shown as a look before it is validated (below, ~0.1 s of validation).
LOOK_AT_LEAST = 2_000
# Items validated between two turns of the event loop: ~20 ms of work, so the look paints and keys are read.
_SLICE = 2_000


async def validate_slices(fresh: InstanceListing, old: InstanceListing, pages: list[list[msgspec.Raw]], yields: bool) -> None:
    """Validate the pages' items into `fresh`, a slice at a time, turning the event loop between (if `yields`)."""
    # The collector stays paused across the slices and what runs between them, not only within each (it
    # ran full collections over the growing fleet), even if something else resumes it meanwhile (the app
    # resumes it after the frame that shows the look).
    pause, paused = sum(map(len, pages)) >= _BULK, False
    try:
        for raws in pages:
            for start in range(0, len(raws), _SLICE):
                if pause and gc.isenabled():
                    gc.disable()
                    paused = True
                _merge_page(fresh, old, raws[start : start + _SLICE])
                if yields:
                    await asyncio.sleep(0)
    finally:
        if paused:
            gc.enable()


class InstancesMixin(ClientBase):
    # `list_instances_incremental` takes `look` (the store asks before it passes one).
    SHOWS_FLEET_LOOK = True

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
        look: Callable[[list[bytes], int], None] | None = None,
    ) -> InstanceListing:
        """Every instance, like `list_instances`, re-validating only items whose JSON differs from `previous`.

        The same request(s) as `list_instances`; the models are the same (an unchanged item's JSON
        gives an equal model, so the previous model is reused as it is).

        With `look`, a first load (no `previous`) of at least LOOK_AT_LEAST items reads every page first,
        hands `look` the pages' list answers and their item count, then validates in slices, letting the
        event loop run between them: whoever shows the look paints it before the validated fleet comes.
        """
        old = previous or InstanceListing()
        fresh = InstanceListing()
        budget = PageBudget(self._policy.now)
        looking = look is not None and not old.instances
        pages: list[list[msgspec.Raw]] = []
        bodies: list[bytes] = []
        seen: set[int] = set()
        page = 1
        while True:
            params = {"region": region, "status": status, "page": page, "per_page": per_page}
            answer = await self._call_raw("list_instances", params={k: v for k, v in params.items() if v is not None})
            split, fresh.request_id, body = _split_page(answer)
            raws = split.instances or []
            if looking:
                # Nothing validated yet: a page that adds nothing is one whose every item was on an earlier one.
                digests = {hash(bytes(raw)) for raw in raws}
                adds = not digests <= seen
                seen |= digests
                pages.append(raws)
                bodies.append(body)
                count = len(seen)
            else:
                known = len(fresh.instances)
                _merge_page(fresh, old, raws)
                adds, count = len(fresh.instances) != known, len(fresh.instances)
            try:
                pagination = Pagination.model_validate(decode_json(bytes(split.pagination)) or {})
            except (pydantic.ValidationError, ValueError):
                pagination = Pagination()  # an unreadable pagination block: this page is all we know of
            if page >= pagination.total_pages or not raws or not adds:
                break
            fresh.cut = budget.stop_after(page, count, pagination)
            if fresh.cut:
                break
            page += 1
        if looking:
            big = sum(map(len, pages)) >= LOOK_AT_LEAST
            if big and look is not None:
                look(bodies, sum(map(len, pages)))  # the look's to keep (unwrapped, the items' raw JSON points into them)
                await asyncio.sleep(0)
            await validate_slices(fresh, old, pages, yields=big)
        return fresh

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
