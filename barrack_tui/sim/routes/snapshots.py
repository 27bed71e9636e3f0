"""Routes: snapshots (S1) — list, eligible instances, get, billing, create, delete, restore.

A snapshot records the configuration of the instance it was taken of
(`vm_config`); restoring deploys a new instance of that configuration in the
snapshot's region through `instances_ops.create_instance`, under the same
deploy rules (I4 fields, stock, credits) as a fresh deployment.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from barrack_tui.api.models.common import RegionEnum, ResourceStatus, VMStatus
from barrack_tui.api.models.snapshots import (
    CreateSnapshotRequest,
    CreateSnapshotResponse,
    DeleteSnapshotResponse,
    RestoreSnapshotRequest,
    RestoreSnapshotResponse,
    Snapshot,
    SnapshotBillingResponse,
    SnapshotEligibleInstancesResponse,
    SnapshotListResponse,
)
from barrack_tui.rules.instances import has_credits_for, validate_deployment
from barrack_tui.rules.pricing import gpu_hourly
from barrack_tui.rules.resources import can_restore_snapshot, can_snapshot, restored_name, validate_create_snapshot
from barrack_tui.rules.validators import validate_name
from barrack_tui.sim import engine_resources, read_views
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import SimError, not_found, require
from barrack_tui.sim.instances_ops import create_instance
from barrack_tui.sim.read_views import snapshot_wire
from barrack_tui.sim.routes.common import JSONBody, ResourceId, contract_route, contract_router, require_valid
from barrack_tui.sim.state import ImageRecord, InstanceRecord, SimState, SnapshotRecord

router = contract_router()


def vm_config_of(instance: InstanceRecord) -> dict[str, Any]:
    """What a restore needs to rebuild `instance` (SnapshotVMConfig)."""
    return {
        "gpu_model": instance.gpu_model,
        "gpu_count": instance.gpu_count,
        "image_id": instance.image_id,
        "image_name": instance.image_name,
        "ssh_key_ids": list(instance.ssh_key_ids),
    }


def get_snapshot_record(state: SimState, snapshot_id: str) -> SnapshotRecord:
    snapshot = state.snapshots.get(snapshot_id)
    if snapshot is None:
        raise not_found("Snapshot", snapshot_id)
    return snapshot


def _live_instances(state: SimState) -> list[InstanceRecord]:
    return [i for i in state.instances.values() if i.status != VMStatus.DELETED]


@contract_route(router, "list_snapshots", response_model=SnapshotListResponse)
async def list_snapshots(state: Sim, region: RegionEnum | None = None) -> JSONBody:
    return JSONBody(read_views.snapshots(state, region))


# Registered before "/snapshots/{id}" so "eligible-instances" is never taken for an id.
@contract_route(router, "list_snapshot_eligible_instances", response_model=SnapshotEligibleInstancesResponse)
async def list_snapshot_eligible_instances(state: Sim, region: RegionEnum | None = None) -> JSONResponse:
    eligible = sorted(
        (
            i
            for i in _live_instances(state)
            if (region is None or i.region == region) and can_snapshot(i.status).allowed
        ),
        key=lambda i: (i.name, i.id),
    )
    return JSONResponse({"instances": [i.wire() for i in eligible]})


@contract_route(router, "get_snapshot", response_model=Snapshot)
async def get_snapshot(snapshot_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse(snapshot_wire(get_snapshot_record(state, snapshot_id)))


@contract_route(router, "get_snapshot_billing", response_model=SnapshotBillingResponse)
async def get_snapshot_billing(snapshot_id: ResourceId, state: Sim) -> JSONResponse:
    snapshot = get_snapshot_record(state, snapshot_id)
    return JSONResponse(engine_resources.billing_wire(snapshot.billing, snapshot.size_gb, state.now()))


@contract_route(router, "create_snapshot", response_model=CreateSnapshotResponse, status_code=202)
async def create_snapshot(body: CreateSnapshotRequest, state: Sim) -> JSONResponse:
    instance = state.instances.get(body.instance_id)
    if instance is None or instance.status == VMStatus.DELETED:
        raise not_found("Instance", body.instance_id)
    require(can_snapshot(instance.status))
    checks = validate_create_snapshot(
        name=body.name,
        description=body.description,
        instance_status=instance.status,
        taken_names=state.names_in_use("snapshots"),
    )
    del checks["instance"]  # S1's state rule was answered above with 400, like every state rule
    if checks["name"].allowed and body.create_image:
        # The image made with the snapshot takes its name, so that name must be free among images too.
        checks["name"] = validate_name(body.name, taken=state.names_in_use("images"), kind="image")
    require_valid(checks)

    snapshot = SnapshotRecord(
        id=state.new_id("snap"),
        name=body.name,
        description=body.description or "",
        instance_id=instance.id,
        instance_name=instance.name,
        region=instance.region,
        size_gb=instance.storage_gb,
        status=ResourceStatus.CREATING,
        created_at=state.now(),
        is_image=body.create_image,
        vm_config=vm_config_of(instance),
    )
    engine_resources.start_snapshot(state, snapshot)
    state.snapshots[snapshot.id] = snapshot
    if body.create_image:
        image = ImageRecord(
            id=state.new_id("img"),
            name=snapshot.name,
            description=snapshot.description,
            region=snapshot.region,
            size_gb=snapshot.size_gb,
            status=ResourceStatus.CREATING,
            snapshot_id=snapshot.id,
            created_at=state.now(),
        )
        snapshot_done = snapshot.pending.due if snapshot.pending else state.now()
        engine_resources.start_image(state, image, after=snapshot_done)
        state.images[image.id] = image
    return JSONResponse({"snapshot": snapshot_wire(snapshot)}, status_code=202)


@contract_route(router, "delete_snapshot", response_model=DeleteSnapshotResponse)
async def delete_snapshot(snapshot_id: ResourceId, state: Sim) -> JSONResponse:
    snapshot = get_snapshot_record(state, snapshot_id)
    engine_resources.close_billing(state, snapshot.billing)
    del state.snapshots[snapshot.id]
    return JSONResponse({"message": f"Snapshot {snapshot.name} deleted"})


@contract_route(router, "restore_snapshot", response_model=RestoreSnapshotResponse, status_code=201)
async def restore_snapshot(snapshot_id: ResourceId, body: RestoreSnapshotRequest, state: Sim) -> JSONResponse:
    snapshot = get_snapshot_record(state, snapshot_id)
    require(can_restore_snapshot(snapshot.status))
    config = snapshot.vm_config
    gpu_model, gpu_count = config.get("gpu_model"), config.get("gpu_count")
    if not gpu_model or not gpu_count:
        raise SimError(400, "SNAPSHOT_CONFIG_MISSING", "This snapshot has no instance configuration to restore")
    # An empty name asks for the default, as the dashboard's pre-filled field does.
    name = body.name or restored_name(snapshot.name)
    # Keys deleted since the snapshot cannot be installed; I4 then asks for one.
    ssh_key_ids = [key_id for key_id in config.get("ssh_key_ids", []) if key_id in state.ssh_keys]
    require_valid(
        validate_deployment(
            name=name,
            taken_names={i.name for i in _live_instances(state)},
            region=snapshot.region,
            gpu_model=gpu_model,
            gpu_count=gpu_count,
            # The rule counts GPUs; the stock counts whole configurations of `gpu_count` GPUs.
            stock_available=state.stock.get((snapshot.region, gpu_model, gpu_count), 0) * gpu_count,
            boot_source_ok=True,
            ssh_key_ids=ssh_key_ids,
            jupyter_enabled=False,
            jupyter_password=None,
            cloud_init=None,
        )
    )
    require(has_credits_for(state.balance, gpu_hourly(gpu_model, gpu_count, state.currency)), status=402)
    instance = create_instance(
        state,
        name=name,
        region=snapshot.region,
        gpu_model=gpu_model,
        gpu_count=gpu_count,
        image_id=config.get("image_id") or snapshot.id,
        image_name=config.get("image_name") or snapshot.name,
        ssh_key_ids=ssh_key_ids,
    )
    return JSONResponse({"instance": instance.wire()}, status_code=201)
