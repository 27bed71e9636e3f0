"""Client methods for volumes: list (all pages), create, resize, clone, attach, detach, delete, billing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from barrack_tui.api.client_base import ClientBase, dump_request
from barrack_tui.api.models import (
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
    VolumeResponse,
    VolumeTypeEnum,
)
from barrack_tui.api.pages import DEFAULT_PER_PAGE
from barrack_tui.api.tolerant import Tolerant


class VolumesMixin(ClientBase):
    async def list_volumes(
        self, region: str | None = None, *, per_page: int = DEFAULT_PER_PAGE
    ) -> GetVolumesWithNextNameResponse:
        """Every volume (all pages merged) and the server's suggested next name."""
        return await self._call_pages(
            "list_volumes", GetVolumesWithNextNameResponse, "volumes", params={"region": region}, per_page=per_page
        )

    async def create_volume(self, request: CreateVolumeRequest | Mapping[str, Any]) -> CreateVolumeResponse:
        return await self._call("create_volume", CreateVolumeResponse, body=dump_request(request, CreateVolumeRequest))

    async def get_volume(self, volume_id: str) -> VolumeResponse:
        return (await self._call("get_volume", GetVolumeDetailsResponse, path={"id": volume_id})).volume

    async def delete_volume(self, volume_id: str) -> DeleteVolumeResponse:
        return await self._call("delete_volume", DeleteVolumeResponse, path={"id": volume_id})

    async def resize_volume(self, volume_id: str, size_gb: int) -> ResizeVolumeResponse:
        body = dump_request({"size_gb": size_gb}, ResizeVolumeRequest)
        return await self._call("resize_volume", ResizeVolumeResponse, path={"id": volume_id}, body=body)

    async def clone_volume(self, volume_id: str, name: str) -> CloneVolumeResponse:
        body = dump_request({"name": name}, CloneVolumeRequest)
        return await self._call("clone_volume", CloneVolumeResponse, path={"id": volume_id}, body=body)

    async def attach_volumes(self, instance_id: str, volume_ids: Iterable[str]) -> AttachVolumesResponse:
        body = dump_request({"volume_ids": list(volume_ids)}, AttachVolumesRequest)
        return await self._call("attach_volumes", AttachVolumesResponse, path={"id": instance_id}, body=body)

    async def detach_volumes(self, instance_id: str, volume_ids: Iterable[str]) -> DetachVolumesResponse:
        body = dump_request({"volume_ids": list(volume_ids)}, DetachVolumesRequest)
        return await self._call("detach_volumes", DetachVolumesResponse, path={"id": instance_id}, body=body)

    async def list_volume_types(self) -> list[Tolerant[VolumeTypeEnum]]:
        return (await self._call("list_volume_types", GetVolumeTypesResponse)).types

    async def get_volume_billing(self, volume_id: str) -> VolumeHourlyBillingResponse:
        return await self._call("get_volume_billing", VolumeHourlyBillingResponse, path={"id": volume_id})
