"""Routes: firewalls (F1-F5) — list, details, protocols, available instances, create, delete,
rules, attach and detach.

Attachments start ATTACHING and turn SUCCESS after Durations.firewall_attach
(`engine_resources.tick`). Attach and detach are all or nothing: every
instance of the request is checked before any attachment changes.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from barrack_tui.api.models.common import ProtocolEnum, ResourceStatus, VMStatus
from barrack_tui.api.models.firewalls import (
    AddFirewallRuleRequest,
    AddFirewallRuleResponse,
    AttachFirewallRequest,
    AttachFirewallResponse,
    CreateFirewallRequest,
    CreateFirewallResponse,
    DeleteFirewallResponse,
    FirewallAvailableInstancesResponse,
    GetFirewallDetailsResponse,
    GetSupportedProtocolsResponse,
    ListFirewallsResponse,
    RemoveFirewallRuleResponse,
)
from barrack_tui.rules.firewalls import (
    can_attach_firewall,
    can_create_firewall,
    can_delete_firewall,
    validate_create_firewall,
)
from barrack_tui.rules.network import PORTED_PROTOCOLS, validate_rule_is_new
from barrack_tui.rules.validators import validate_security_rule
from barrack_tui.sim.clock import iso
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import SimError, not_found, require, require_fields
from barrack_tui.sim.routes.common import ResourceId, RuleId, contract_route, contract_router, require_valid
from barrack_tui.sim.state import FirewallRecord, InstanceRecord, RuleRecord, SimState

router = contract_router()


def firewall_wire(firewall: FirewallRecord) -> dict[str, Any]:
    return {
        "id": firewall.id,
        "name": firewall.name,
        "description": firewall.description,
        "region": firewall.region,
        "status": firewall.status,
        "rule_count": len(firewall.rules),
        "attachment_count": len(firewall.attachments),
        "created_at": iso(firewall.created_at),
    }


def attachments_wire(state: SimState, firewall: FirewallRecord) -> list[dict[str, Any]]:
    rows = []
    for instance_id, status in firewall.attachments.items():
        instance = state.instances.get(instance_id)
        if instance is None:
            continue  # removed on the next tick; never shown half-gone
        rows.append(
            {
                "instance_id": instance.id,
                "instance_name": instance.name,
                "instance_status": instance.status,
                "status": status,
            }
        )
    return rows


def _firewall(state: SimState, firewall_id: str) -> FirewallRecord:
    firewall = state.firewalls.get(firewall_id)
    if firewall is None:
        raise not_found("Firewall", firewall_id)
    return firewall


def _instance(state: SimState, instance_id: str) -> InstanceRecord:
    instance = state.instances.get(instance_id)
    if instance is None or instance.status == VMStatus.DELETED:
        raise not_found("Instance", instance_id)
    return instance


@contract_route(router, "list_firewalls", response_model=ListFirewallsResponse)
async def list_firewalls(state: Sim, region: str | None = None) -> JSONResponse:
    firewalls = sorted(state.firewalls.values(), key=lambda f: (f.created_at, f.id))
    return JSONResponse({"firewalls": [firewall_wire(f) for f in firewalls if region is None or f.region == region]})


# Registered before "/firewalls/{id}" so "protocols" is never taken for an id.
@contract_route(router, "list_firewall_protocols", response_model=GetSupportedProtocolsResponse)
async def list_firewall_protocols(state: Sim) -> JSONResponse:
    return JSONResponse(
        {"protocols": [{"name": p.value, "has_ports": p.value in PORTED_PROTOCOLS} for p in ProtocolEnum]}
    )


@contract_route(router, "get_firewall", response_model=GetFirewallDetailsResponse)
async def get_firewall(firewall_id: ResourceId, state: Sim) -> JSONResponse:
    firewall = _firewall(state, firewall_id)
    return JSONResponse(
        {
            "firewall": firewall_wire(firewall),
            "rules": [rule.wire() for rule in firewall.rules],
            "attachments": attachments_wire(state, firewall),
        }
    )


@contract_route(router, "list_firewall_available_instances", response_model=FirewallAvailableInstancesResponse)
async def list_firewall_available_instances(firewall_id: ResourceId, state: Sim) -> JSONResponse:
    """Every live instance of the firewall's region, with whether it is attached; F4 decides which are selectable."""
    firewall = _firewall(state, firewall_id)
    candidates = sorted(
        (i for i in state.instances.values() if i.region == firewall.region and i.status != VMStatus.DELETED),
        key=lambda i: (i.name, i.id),
    )
    return JSONResponse(
        {
            "instances": [
                {
                    "id": i.id,
                    "name": i.name,
                    "status": i.status,
                    "region": i.region,
                    "server_uuid": i.server_uuid,
                    "attached": i.id in firewall.attachments,
                }
                for i in candidates
            ]
        }
    )


@contract_route(router, "create_firewall", response_model=CreateFirewallResponse, status_code=201)
async def create_firewall(body: CreateFirewallRequest, state: Sim) -> JSONResponse:
    require(can_create_firewall(len(state.firewalls)))
    require_valid(
        validate_create_firewall(
            name=body.name,
            description=body.description,
            region=body.region,
            taken_names=state.names_in_use("firewalls"),
        )
    )
    firewall = FirewallRecord(
        id=state.new_id("fw"),
        name=body.name,
        description=body.description or "",
        region=body.region,
        status=ResourceStatus.SUCCESS,
        created_at=state.now(),
    )
    state.firewalls[firewall.id] = firewall
    return JSONResponse({"firewall": firewall_wire(firewall)}, status_code=201)


@contract_route(router, "delete_firewall", response_model=DeleteFirewallResponse)
async def delete_firewall(firewall_id: ResourceId, state: Sim) -> JSONResponse:
    firewall = _firewall(state, firewall_id)
    require(can_delete_firewall(len(firewall.attachments), firewall.status))
    del state.firewalls[firewall.id]
    return JSONResponse({"message": f"Firewall {firewall.name} deleted"})


@contract_route(router, "add_firewall_rule", response_model=AddFirewallRuleResponse, status_code=201)
async def add_firewall_rule(firewall_id: ResourceId, body: AddFirewallRuleRequest, state: Sim) -> JSONResponse:
    firewall = _firewall(state, firewall_id)
    require_fields(
        validate_security_rule(
            body.direction,
            body.protocol,
            body.ethertype,
            body.remote_ip_prefix,
            body.port_range_min,
            body.port_range_max,
        )
    )
    # 409 like a name in use: the form is fine, the firewall already has this rule.
    require(validate_rule_is_new(body, firewall.rules), 409)
    rule = RuleRecord(
        id=state.new_id("fwr"),
        direction=body.direction,
        protocol=body.protocol,
        ethertype=body.ethertype,
        remote_ip_prefix=body.remote_ip_prefix,
        port_range_min=body.port_range_min,
        port_range_max=body.port_range_max,
    )
    firewall.rules.append(rule)
    return JSONResponse({"rule": rule.wire()}, status_code=201)


@contract_route(router, "remove_firewall_rule", response_model=RemoveFirewallRuleResponse)
async def remove_firewall_rule(firewall_id: ResourceId, rule_id: RuleId, state: Sim) -> JSONResponse:
    firewall = _firewall(state, firewall_id)
    rule = next((r for r in firewall.rules if r.id == rule_id), None)
    if rule is None:
        raise not_found("Firewall rule", rule_id)
    firewall.rules.remove(rule)
    return JSONResponse({"message": f"Rule {rule.id} removed from {firewall.name}"})


@contract_route(router, "attach_firewall", response_model=AttachFirewallResponse)
async def attach_firewall(firewall_id: ResourceId, body: AttachFirewallRequest, state: Sim) -> JSONResponse:
    firewall = _firewall(state, firewall_id)
    wanted = list(dict.fromkeys(body.instance_ids))
    for instance_id in wanted:
        instance = _instance(state, instance_id)
        if instance.id in firewall.attachments:
            raise SimError(409, "ALREADY_ATTACHED", f"{firewall.name} is already attached to {instance.name}")
        require(
            can_attach_firewall(
                firewall_region=firewall.region,
                instance_status=instance.status,
                server_uuid=instance.server_uuid,
                instance_region=instance.region,
            )
        )
    due = state.now() + state.durations.firewall_attach
    for instance_id in wanted:
        firewall.attachments[instance_id] = ResourceStatus.ATTACHING
        firewall.attach_due[instance_id] = due
    return JSONResponse({"attachments": attachments_wire(state, firewall)})


@contract_route(router, "detach_firewall", response_model=AttachFirewallResponse)
async def detach_firewall(firewall_id: ResourceId, body: AttachFirewallRequest, state: Sim) -> JSONResponse:
    firewall = _firewall(state, firewall_id)
    wanted = list(dict.fromkeys(body.instance_ids))
    for instance_id in wanted:
        instance = _instance(state, instance_id)
        if instance.id not in firewall.attachments:
            raise SimError(409, "NOT_ATTACHED", f"{firewall.name} is not attached to {instance.name}")
    for instance_id in wanted:
        del firewall.attachments[instance_id]
        firewall.attach_due.pop(instance_id, None)
    return JSONResponse({"attachments": attachments_wire(state, firewall)})
