"""Routes: Instances — deploy, list, details, lifecycle actions, public IP, security rules, billing, hibernation.

Every refusal comes from barrack_tui.rules: I4 form checks as 422 with
per-field messages (a taken name as 409 NAME_TAKEN), I4 credits as 402,
I1/I2/I5 as 400 with the rule's code and message.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import JSONResponse

from barrack_tui.api.models.common import RegionEnum, VMStatus
from barrack_tui.api.models.instances import (
    AddVMSecurityRuleResponse,
    AggregatedBillingResponse,
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
    VMSecurityRuleRequest,
)
from barrack_tui.rules.instances import (
    PUBLIC_IP_WARNING,
    can_boot_from,
    can_instance_action,
    can_toggle_public_ip,
    has_credits_for,
    validate_deployment,
)
from barrack_tui.rules.network import validate_rule_is_new
from barrack_tui.rules.pricing import GPU_MAX_COUNT, gpu_hourly
from barrack_tui.rules.validators import validate_security_rule
from barrack_tui.rules.verdict import Verdict
from barrack_tui.sim import instances_ops, read_views
from barrack_tui.sim.billing_views import hibernated_summary, instance_billing
from barrack_tui.sim.catalogue import OS_IMAGES, offers
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import SimError, not_found, require, require_fields
from barrack_tui.sim.routes.common import JSONBody, ResourceId, RuleId, contract_route, contract_router, error_responses
from barrack_tui.sim.state import InstanceRecord, RuleRecord, SimState
from barrack_tui.sim.volumes_ops import volumes_of
from barrack_tui.sim.wire import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from barrack_tui.sim.wire import get_instance as get_instance_record

router = contract_router(tags=["Instances"])


def _check_rule(rule: VMSecurityRuleRequest, prefix: str = "") -> None:
    checks = validate_security_rule(
        rule.direction, rule.protocol, rule.ethertype, rule.remote_ip_prefix, rule.port_range_min, rule.port_range_max
    )
    require_fields({f"{prefix}{field}": verdict for field, verdict in checks.items()})


def _rule_record(state: SimState, rule: VMSecurityRuleRequest, prefix: str = "") -> RuleRecord:
    _check_rule(rule, prefix)
    return _new_rule(state, rule)


def _new_rule(state: SimState, rule: VMSecurityRuleRequest) -> RuleRecord:
    """The stored rule, for a request already checked."""
    return RuleRecord(
        id=state.new_id("sgr"),
        direction=str(rule.direction),
        protocol=str(rule.protocol),
        ethertype=str(rule.ethertype),
        remote_ip_prefix=rule.remote_ip_prefix,
        port_range_min=rule.port_range_min,
        port_range_max=rule.port_range_max,
    )


def _boot_source(state: SimState, body: DeploymentRequest) -> tuple[Verdict, str, str, str | None]:
    """(may it boot here, image id, image name, boot volume id) for the request's boot source."""
    source, region = body.boot_source, str(body.region)
    if source.type == "os_image" and (image := OS_IMAGES.get(source.id)) is not None:
        return can_boot_from(source.type, region, source_region=image.region), image.id, image.name, None
    if source.type == "volume" and (volume := state.volumes.get(source.id)) is not None:
        usable = can_boot_from(
            source.type, region, source_region=volume.region, bootable=volume.bootable, status=volume.status
        )
        os_image = OS_IMAGES.get(volume.os_image_id or "")
        return usable, volume.os_image_id or volume.id, os_image.name if os_image else volume.name, volume.id
    if source.type == "image" and (custom := state.images.get(source.id)) is not None:
        usable = can_boot_from(source.type, region, source_region=custom.region, status=custom.status)
        return usable, custom.id, custom.name, None
    return can_boot_from(source.type, region), source.id, "", None


@contract_route(
    router,
    "deploy_instance",
    status_code=201,
    response_model=DeploymentResponse,
    responses=error_responses(402, 404, 409, 422),
)
async def deploy_instance(body: DeploymentRequest, state: Sim) -> JSONResponse:
    region, gpu_model, gpu_count = str(body.region), str(body.gpu_model), body.gpu_count
    configurations = (
        state.stock.get(instances_ops.stock_key(region, gpu_model, gpu_count), 0) if offers(region, gpu_model) else 0
    )
    boot, image_id, image_name, boot_volume_id = _boot_source(state, body)
    checks = validate_deployment(
        name=body.name,
        taken_names=state.names_in_use("instances"),
        region=region,
        gpu_model=gpu_model,
        gpu_count=gpu_count,
        # The rule counts GPUs; the stock counts whole configurations of `gpu_count` GPUs.
        stock_available=configurations * gpu_count,
        boot_source_ok=boot.allowed,
        ssh_key_ids=body.ssh_key_ids,
        jupyter_enabled=body.jupyter.enabled,
        jupyter_password=body.jupyter.password,
        cloud_init=body.cloud_init,
        gpu_max_count=GPU_MAX_COUNT.get(gpu_model),  # what the pricing quote states
    )
    name_check = checks.pop("name")
    if name_check.code != "NAME_TAKEN":
        checks["name"] = name_check
    require_fields(checks)
    if not name_check:
        raise SimError(409, name_check.code, name_check.message)
    rules = [_rule_record(state, rule, f"security_rules.{i}.") for i, rule in enumerate(body.security_rules)]
    for key_id in body.ssh_key_ids:
        if key_id not in state.ssh_keys:
            raise not_found("SSH key", key_id)
    if body.startup_script_id is not None and body.startup_script_id not in state.scripts:
        raise not_found("Startup script", body.startup_script_id)
    require(has_credits_for(state.balance, gpu_hourly(gpu_model, gpu_count, state.currency)), status=402)
    instance = instances_ops.create_instance(
        state,
        name=body.name,
        region=region,
        gpu_model=gpu_model,
        gpu_count=gpu_count,
        image_id=image_id,
        image_name=image_name,
        ssh_key_ids=body.ssh_key_ids,
        public_ip=body.public_ip,
        boot_volume_id=boot_volume_id,
        security_rules=rules,
        jupyter_enabled=body.jupyter.enabled,
        cloud_init=body.cloud_init,
        startup_script_id=body.startup_script_id,
    )
    return JSONResponse({"deployment_id": instance.deployment_id, "instance": instance.wire()}, status_code=201)


@contract_route(router, "list_instances", response_model=ListVMsResponse, responses=error_responses(422))
async def list_instances(
    state: Sim,
    region: RegionEnum | None = None,
    status: VMStatus | None = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
) -> JSONBody:
    return JSONBody(read_views.instances_page(state, region, status, page, per_page))


# Registered before get_instance so "hibernated" is not taken for an id.
@contract_route(
    router, "get_hibernated_instances", response_model=GetHibernatedVMsResponse, responses=error_responses()
)
async def get_hibernated_instances(state: Sim) -> JSONResponse:
    return JSONResponse(hibernated_summary(state))


def _firewalls_of(state: SimState, instance_id: str) -> list[dict[str, Any]]:
    return [
        {"id": fw.id, "name": fw.name, "status": fw.attachments[instance_id]}
        for fw in state.firewalls.values()
        if instance_id in fw.attachments
    ]


@contract_route(router, "get_instance", response_model=VMDetailsResponse, responses=error_responses(404))
async def get_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    instance = get_instance_record(state, instance_id)
    volumes = [
        {"id": v.id, "name": v.name, "size_gb": v.size_gb, "status": v.status, "bootable": v.bootable}
        for v in volumes_of(state, instance.id)
    ]
    return JSONResponse(
        {
            "instance": instance.wire(),
            "volumes": volumes,
            "security_rules": [rule.wire() for rule in instance.security_rules],
            "firewalls": _firewalls_of(state, instance.id),
        }
    )


def _action(state: SimState, instance_id: str, action: str, message: str) -> JSONResponse:
    instance = get_instance_record(state, instance_id)
    require(can_instance_action(action, instance.status))
    instances_ops.begin_action(state, instance, action)
    return JSONResponse({"instance": instance.wire(), "message": message.format(name=instance.name)}, status_code=202)


@contract_route(
    router, "start_instance", status_code=202, response_model=StartVMResponse, responses=error_responses(400, 404)
)
async def start_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return _action(state, instance_id, "start", "Starting {name}")


@contract_route(
    router, "stop_instance", status_code=202, response_model=StopVMResponse, responses=error_responses(400, 404)
)
async def stop_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return _action(state, instance_id, "stop", "Stopping {name}")


@contract_route(
    router, "reboot_instance", status_code=202, response_model=RebootVMResponse, responses=error_responses(400, 404)
)
async def reboot_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return _action(state, instance_id, "reboot", "Rebooting {name}")


@contract_route(
    router,
    "hibernate_instance",
    status_code=202,
    response_model=HibernateVMResponse,
    responses=error_responses(400, 404),
)
async def hibernate_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return _action(state, instance_id, "hibernate", "Hibernating {name}")


@contract_route(
    router, "restore_instance", status_code=202, response_model=RestoreVMResponse, responses=error_responses(400, 404)
)
async def restore_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return _action(state, instance_id, "restore", "Restoring {name}")


@contract_route(
    router, "delete_instance", status_code=202, response_model=DeleteVMResponse, responses=error_responses(400, 404)
)
async def delete_instance(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return _action(state, instance_id, "delete", "Deleting {name}")


@contract_route(
    router, "toggle_public_ip", response_model=ToggleVMPublicIPResponse, responses=error_responses(400, 404)
)
async def toggle_public_ip(instance_id: ResourceId, state: Sim) -> JSONResponse:
    instance = get_instance_record(state, instance_id)
    require(can_toggle_public_ip(instance.status))
    address = instances_ops.toggle_public_ip(state, instance)
    answer: dict[str, Any] = {"instance": instance.wire(), "public_ip": address}
    if address is not None:
        answer["message"] = PUBLIC_IP_WARNING  # I5: switching it on comes with the warning
    return JSONResponse(answer)


@contract_route(
    router,
    "add_instance_security_rule",
    response_model=AddVMSecurityRuleResponse,
    responses=error_responses(404, 409, 422),
)
async def add_instance_security_rule(instance_id: ResourceId, body: VMSecurityRuleRequest, state: Sim) -> JSONResponse:
    instance = get_instance_record(state, instance_id)
    _check_rule(body)
    # 409 like a name in use: the form is fine, the instance already has this rule.
    require(validate_rule_is_new(body, instance.security_rules), 409)
    rule = _new_rule(state, body)
    instance.security_rules.append(rule)
    instance.updated_at = state.now()
    return JSONResponse({"rule": rule.wire()})


@contract_route(
    router,
    "remove_instance_security_rule",
    response_model=RemoveVMSecurityRuleResponse,
    responses=error_responses(404),
)
async def remove_instance_security_rule(instance_id: ResourceId, rule_id: RuleId, state: Sim) -> JSONResponse:
    instance = get_instance_record(state, instance_id)
    remaining = [rule for rule in instance.security_rules if rule.id != rule_id]
    if len(remaining) == len(instance.security_rules):
        raise not_found("Security rule", rule_id)
    instance.security_rules = remaining
    instance.updated_at = state.now()
    return JSONResponse({"message": f"Security rule {rule_id} removed"})


@contract_route(
    router, "get_instance_billing", response_model=AggregatedBillingResponse, responses=error_responses(404)
)
async def get_instance_billing(instance_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse(instance_billing(state, get_instance_record(state, instance_id)))


@contract_route(
    router, "get_instance_firewalls", response_model=GetVMAttachedFirewallsResponse, responses=error_responses(404)
)
async def get_instance_firewalls(instance_id: ResourceId, state: Sim) -> JSONResponse:
    instance: InstanceRecord = get_instance_record(state, instance_id)
    return JSONResponse({"firewalls": _firewalls_of(state, instance.id)})
