"""Routes: Volumes — list (with next_name), create, details, delete, resize, clone, attach/detach, types, billing.

Rules V1-V10 come from rules/volumes.py and rules/validators.py: state
refusals are 400 with the rule's code and message, form input is 422 per
field, a taken name is 409 NAME_TAKEN. Attach/detach check every volume
before changing any, so a refused batch changes nothing, and a repeated
detach of an already available volume is refused by V1.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from barrack_tui.api.models.common import RegionEnum, VolumeTypeEnum
from barrack_tui.api.models.volumes import (
    AttachVolumesRequest,
    AttachVolumesResponse,
    CloneVolumeRequest,
    CloneVolumeResponse,
    CreateVolumeRequest,
    CreateVolumeResponse,
    DeleteVolumeResponse,
    DetachVolumesRequest,
    DetachVolumesResponse,
    GetVolumeDetailsResponse,
    GetVolumesWithNextNameResponse,
    GetVolumeTypesResponse,
    ResizeVolumeRequest,
    ResizeVolumeResponse,
    VolumeHourlyBillingResponse,
)
from barrack_tui.rules.validators import validate_name, validate_resize
from barrack_tui.rules.verdict import Verdict
from barrack_tui.rules.volumes import (
    can_attach,
    can_clone,
    can_delete_volume,
    can_detach,
    can_resize,
    validate_create_volume,
)
from barrack_tui.sim import catalogue, read_views, volumes_ops
from barrack_tui.sim.billing_views import volume_billing
from barrack_tui.sim.catalogue import os_images_in, region_tier
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import SimError, require, require_fields
from barrack_tui.sim.routes.common import JSONBody, ResourceId, contract_route, contract_router, error_responses
from barrack_tui.sim.wire import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    get_instance,
    get_volume,
    instance_view,
    volume_list_wire,
    volume_view,
)

router = contract_router(tags=["Volumes"])


def _require_form(checks: dict[str, Verdict]) -> None:
    """422 for the fields' own problems first; a name already in use is a conflict (409)."""
    name_check = checks.pop("name")
    if name_check.code != "NAME_TAKEN":
        checks["name"] = name_check
    require_fields(checks)
    if not name_check:
        raise SimError(409, name_check.code, name_check.message)


@contract_route(router, "list_volumes", response_model=GetVolumesWithNextNameResponse, responses=error_responses(422))
async def list_volumes(
    state: Sim,
    region: RegionEnum | None = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
) -> JSONBody:
    return JSONBody(read_views.volumes_page(state, region, page, per_page))


@contract_route(
    router, "create_volume", status_code=201, response_model=CreateVolumeResponse, responses=error_responses(409, 422)
)
async def create_volume(body: CreateVolumeRequest, state: Sim) -> JSONResponse:
    region = str(body.region)
    _require_form(
        validate_create_volume(
            name=body.name,
            region=region,
            size_gb=body.size_gb,
            bootable=body.bootable,
            os_image_id=body.os_image_id,
            taken_names=state.names_in_use("volumes"),
            os_image_ids_in_region=[image.id for image in os_images_in(region)],
            profile_complete=state.profile_complete,
            balance=state.balance,
            currency=state.currency,
            region_tier=region_tier(region),
            minimum_size_gb=catalogue.VOLUME_MINIMUM_GB,  # what the pricing quote states
        )
    )
    volume = volumes_ops.create_volume(
        state,
        name=body.name,
        region=region,
        size_gb=body.size_gb,
        bootable=body.bootable,
        os_image_id=body.os_image_id,
    )
    return JSONResponse({"volume": volume.wire(state.instances)}, status_code=201)


# Registered before get_volume so "types" is not taken for an id.
@contract_route(router, "list_volume_types", response_model=GetVolumeTypesResponse, responses=error_responses())
async def list_volume_types(state: Sim) -> JSONResponse:
    return JSONResponse({"types": [VolumeTypeEnum.CLOUD_SSD.value]})


@contract_route(router, "get_volume", response_model=GetVolumeDetailsResponse, responses=error_responses(404))
async def get_volume_details(volume_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse({"volume": get_volume(state, volume_id).wire(state.instances)})


@contract_route(router, "delete_volume", response_model=DeleteVolumeResponse, responses=error_responses(400, 404))
async def delete_volume(volume_id: ResourceId, state: Sim) -> JSONResponse:
    volume = get_volume(state, volume_id)
    require(can_delete_volume(volume_view(state, volume)))  # V7
    volumes_ops.delete_volume(state, volume)
    return JSONResponse({"message": f"Volume {volume.id} deleted"})


@contract_route(router, "resize_volume", response_model=ResizeVolumeResponse, responses=error_responses(400, 404, 422))
async def resize_volume(volume_id: ResourceId, body: ResizeVolumeRequest, state: Sim) -> JSONResponse:
    volume = get_volume(state, volume_id)
    require(can_resize(volume_view(state, volume)))  # V8
    require_fields({"size_gb": validate_resize(volume.size_gb, body.size_gb)})  # V9
    volumes_ops.resize_volume(state, volume, body.size_gb)
    return JSONResponse({"volume": volume.wire(state.instances)})


@contract_route(
    router,
    "clone_volume",
    status_code=201,
    response_model=CloneVolumeResponse,
    responses=error_responses(400, 404, 409, 422),
)
async def clone_volume(volume_id: ResourceId, body: CloneVolumeRequest, state: Sim) -> JSONResponse:
    source = get_volume(state, volume_id)
    require(can_clone(volume_view(state, source)))  # V8
    _require_form({"name": validate_name(body.name, taken=state.names_in_use("volumes"), kind="volume")})
    clone = volumes_ops.clone_volume(state, source, body.name)
    return JSONResponse({"volume": clone.wire(state.instances)}, status_code=201)


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


@contract_route(
    router,
    "attach_volumes",
    response_model=AttachVolumesResponse,
    responses=error_responses(400, 404, 422),
)
async def attach_volumes(instance_id: ResourceId, body: AttachVolumesRequest, state: Sim) -> JSONResponse:
    instance = get_instance(state, instance_id)
    target = instance_view(instance)
    volumes = [get_volume(state, volume_id) for volume_id in _unique(body.volume_ids)]
    for volume in volumes:
        require(can_attach(volume_view(state, volume), target, state.currency))  # V6, V4, V3, V5
    for volume in volumes:
        volumes_ops.attach(volume, instance)
    return JSONResponse({"volumes": volume_list_wire(state, volumes)})


@contract_route(
    router,
    "detach_volumes",
    response_model=DetachVolumesResponse,
    responses=error_responses(400, 404, 422),
)
async def detach_volumes(instance_id: ResourceId, body: DetachVolumesRequest, state: Sim) -> JSONResponse:
    instance = get_instance(state, instance_id)
    source = instance_view(instance)
    volumes = [get_volume(state, volume_id) for volume_id in _unique(body.volume_ids)]
    for volume in volumes:
        # A volume attached to another instance than this one is refused by V4 inside can_detach.
        require(can_detach(volume_view(state, volume), source, state.currency))  # V1, V2, V4, V3, V5
    for volume in volumes:
        volumes_ops.detach(volume)
    return JSONResponse({"volumes": volume_list_wire(state, volumes)})


@contract_route(
    router, "get_volume_billing", response_model=VolumeHourlyBillingResponse, responses=error_responses(404)
)
async def get_volume_billing(volume_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse(volume_billing(state, get_volume(state, volume_id)))
