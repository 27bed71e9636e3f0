"""Routes: custom images (M1) — list, get, create from a snapshot, delete, and the
snapshot-to-image relationships (single and batch).

An image lives in its snapshot's region and has its size; it is CREATING for
Durations.image_create, then SUCCESS (`engine_resources.tick`).
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from barrack_tui.api.models.common import RegionEnum, ResourceStatus
from barrack_tui.api.models.snapshots import (
    BatchSnapshotImageRelationshipResponse,
    CreateImageFromSnapshotRequest,
    GetBatchSnapshotImageRelationshipsRequest,
    ImageCreateResponse,
    ImageDeleteResponse,
    ImageDetailResponse,
    ImageListResponse,
    SnapshotImageRelationshipResponse,
)
from barrack_tui.rules.resources import can_create_image, validate_create_image
from barrack_tui.sim import engine_resources
from barrack_tui.sim.clock import iso
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import not_found, require
from barrack_tui.sim.routes.common import ResourceId, contract_route, contract_router, require_valid
from barrack_tui.sim.state import ImageRecord, SimState

router = contract_router()


def image_wire(image: ImageRecord) -> dict[str, Any]:
    return {
        "id": image.id,
        "name": image.name,
        "description": image.description,
        "region": image.region,
        "size_gb": image.size_gb,
        "status": image.status,
        "snapshot_id": image.snapshot_id,
        "created_at": iso(image.created_at),
    }


def image_of_snapshot(state: SimState, snapshot_id: str) -> ImageRecord | None:
    """The newest image made from `snapshot_id`, if any."""
    made = [image for image in state.images.values() if image.snapshot_id == snapshot_id]
    return max(made, key=lambda image: (image.created_at, image.id)) if made else None


def _image(state: SimState, image_id: str) -> ImageRecord:
    image = state.images.get(image_id)
    if image is None:
        raise not_found("Image", image_id)
    return image


@contract_route(router, "list_images", response_model=ImageListResponse)
async def list_images(state: Sim, region: RegionEnum | None = None) -> JSONResponse:
    images = sorted(state.images.values(), key=lambda i: (i.created_at, i.id))
    return JSONResponse({"images": [image_wire(i) for i in images if region is None or i.region == region]})


@contract_route(router, "get_image", response_model=ImageDetailResponse)
async def get_image(image_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse({"image": image_wire(_image(state, image_id))})


@contract_route(router, "create_image", response_model=ImageCreateResponse, status_code=201)
async def create_image(body: CreateImageFromSnapshotRequest, state: Sim) -> JSONResponse:
    snapshot = state.snapshots.get(body.snapshot_id)
    if snapshot is None:
        raise not_found("Snapshot", body.snapshot_id)
    require(can_create_image(snapshot.status))
    checks = validate_create_image(
        name=body.name,
        description=body.description,
        snapshot_status=snapshot.status,
        taken_names=state.names_in_use("images"),
    )
    del checks["snapshot"]  # M1's state rule was answered above with 400
    require_valid(checks)
    image = ImageRecord(
        id=state.new_id("img"),
        name=body.name,
        description=body.description or "",
        region=snapshot.region,
        size_gb=snapshot.size_gb,
        status=ResourceStatus.CREATING,
        snapshot_id=snapshot.id,
        created_at=state.now(),
    )
    engine_resources.start_image(state, image)
    state.images[image.id] = image
    snapshot.is_image = True
    return JSONResponse({"image": image_wire(image)}, status_code=201)


@contract_route(router, "delete_image", response_model=ImageDeleteResponse)
async def delete_image(image_id: ResourceId, state: Sim) -> JSONResponse:
    image = _image(state, image_id)
    del state.images[image.id]
    source = state.snapshots.get(image.snapshot_id) if image.snapshot_id else None
    if source is not None:
        source.is_image = image_of_snapshot(state, source.id) is not None
    return JSONResponse({"message": f"Image {image.name} deleted"})


@contract_route(router, "get_snapshot_image", response_model=SnapshotImageRelationshipResponse)
async def get_snapshot_image(snapshot_id: ResourceId, state: Sim) -> JSONResponse:
    if snapshot_id not in state.snapshots:
        raise not_found("Snapshot", snapshot_id)
    image = image_of_snapshot(state, snapshot_id)
    return JSONResponse({"snapshot_id": snapshot_id, "image_id": image.id if image else None})


@contract_route(router, "get_snapshot_image_relationships", response_model=BatchSnapshotImageRelationshipResponse)
async def get_snapshot_image_relationships(body: GetBatchSnapshotImageRelationshipsRequest, state: Sim) -> JSONResponse:
    # Lenient on purpose: a list the TUI fetched a moment ago may name a snapshot deleted since;
    # it gets `image_id: null` instead of failing the whole batch.
    relationships = []
    for snapshot_id in dict.fromkeys(body.snapshot_ids):
        image = image_of_snapshot(state, snapshot_id)
        relationships.append({"snapshot_id": snapshot_id, "image_id": image.id if image else None})
    return JSONResponse({"relationships": relationships})
