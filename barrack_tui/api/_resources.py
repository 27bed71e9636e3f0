"""Client methods for SSH keys, startup scripts, snapshots and custom images."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from barrack_tui.api.client_base import ClientBase, dump_request
from barrack_tui.api.models import (
    BatchSnapshotImageRelationshipResponse,
    BulkDeleteScriptsRequest,
    BulkDeleteScriptsResponse,
    CreateImageFromSnapshotRequest,
    CreateScriptRequest,
    CreateSnapshotRequest,
    CreateSnapshotResponse,
    CreateSSHKeyRequest,
    CreateSSHKeyResponse,
    DeleteScriptResponse,
    DeleteSnapshotResponse,
    DeleteSSHKeyResponse,
    GetBatchSnapshotImageRelationshipsRequest,
    GetSSHKeysResponse,
    Image,
    ImageCreateResponse,
    ImageDeleteResponse,
    ImageListResponse,
    RestoreSnapshotRequest,
    RestoreSnapshotResponse,
    Script,
    ScriptListResponse,
    Snapshot,
    SnapshotBillingResponse,
    SnapshotEligibleInstancesResponse,
    SnapshotImageRelationshipResponse,
    SnapshotListResponse,
    SSHKeyResponse,
    UpdateScriptRequest,
    VMInstance,
)


class KeysScriptsMixin(ClientBase):
    # -- SSH keys
    async def list_ssh_keys(self) -> list[SSHKeyResponse]:
        return (await self._call("list_ssh_keys", GetSSHKeysResponse)).keys

    async def get_ssh_key(self, key_id: str) -> SSHKeyResponse:
        return await self._call("get_ssh_key", SSHKeyResponse, path={"id": key_id}, envelope="key")

    async def create_ssh_key(self, name: str, public_key: str | None = None) -> CreateSSHKeyResponse:
        """Upload `public_key`, or (None) have the server generate a pair: `private_key` is returned this once."""
        body = dump_request({"name": name, "public_key": public_key}, CreateSSHKeyRequest)
        return await self._call("create_ssh_key", CreateSSHKeyResponse, body=body)

    async def delete_ssh_key(self, key_id: str) -> DeleteSSHKeyResponse:
        return await self._call("delete_ssh_key", DeleteSSHKeyResponse, path={"id": key_id})

    # -- startup scripts
    async def list_scripts(self) -> list[Script]:
        return (await self._call("list_scripts", ScriptListResponse)).scripts

    async def get_script(self, script_id: str) -> Script:
        return await self._call("get_script", Script, path={"id": script_id}, envelope="script")

    async def create_script(self, name: str, content: str) -> Script:
        body = dump_request({"name": name, "content": content}, CreateScriptRequest)
        return await self._call("create_script", Script, body=body, envelope="script")

    async def update_script(self, script_id: str, name: str | None = None, content: str | None = None) -> Script:
        """Change the name and/or the content; a field left None is kept as it is."""
        body = dump_request({"name": name, "content": content}, UpdateScriptRequest)
        return await self._call("update_script", Script, path={"id": script_id}, body=body, envelope="script")

    async def delete_script(self, script_id: str) -> DeleteScriptResponse:
        return await self._call("delete_script", DeleteScriptResponse, path={"id": script_id})

    async def bulk_delete_scripts(self, script_ids: Iterable[str]) -> BulkDeleteScriptsResponse:
        body = dump_request({"ids": list(script_ids)}, BulkDeleteScriptsRequest)
        return await self._call("bulk_delete_scripts", BulkDeleteScriptsResponse, body=body)


class SnapshotsImagesMixin(ClientBase):
    # -- snapshots
    async def list_snapshots(self, region: str | None = None) -> list[Snapshot]:
        return (await self._call("list_snapshots", SnapshotListResponse, params={"region": region})).snapshots

    async def get_snapshot(self, snapshot_id: str) -> Snapshot:
        return await self._call("get_snapshot", Snapshot, path={"id": snapshot_id}, envelope="snapshot")

    async def list_snapshot_eligible_instances(self, region: str | None = None) -> list[VMInstance]:
        result = await self._call(
            "list_snapshot_eligible_instances", SnapshotEligibleInstancesResponse, params={"region": region}
        )
        return result.instances

    async def get_snapshot_billing(self, snapshot_id: str) -> SnapshotBillingResponse:
        return await self._call("get_snapshot_billing", SnapshotBillingResponse, path={"id": snapshot_id})

    async def create_snapshot(self, request: CreateSnapshotRequest | Mapping[str, Any]) -> CreateSnapshotResponse:
        body = dump_request(request, CreateSnapshotRequest)
        return await self._call("create_snapshot", CreateSnapshotResponse, body=body)

    async def delete_snapshot(self, snapshot_id: str) -> DeleteSnapshotResponse:
        return await self._call("delete_snapshot", DeleteSnapshotResponse, path={"id": snapshot_id})

    async def restore_snapshot(self, snapshot_id: str, name: str) -> RestoreSnapshotResponse:
        body = dump_request({"name": name}, RestoreSnapshotRequest)
        return await self._call("restore_snapshot", RestoreSnapshotResponse, path={"id": snapshot_id}, body=body)

    # -- custom images
    async def list_images(self, region: str | None = None) -> list[Image]:
        return (await self._call("list_images", ImageListResponse, params={"region": region})).images

    async def get_image(self, image_id: str) -> Image:
        return await self._call("get_image", Image, path={"id": image_id}, envelope="image")

    async def create_image(self, request: CreateImageFromSnapshotRequest | Mapping[str, Any]) -> ImageCreateResponse:
        body = dump_request(request, CreateImageFromSnapshotRequest)
        return await self._call("create_image", ImageCreateResponse, body=body)

    async def delete_image(self, image_id: str) -> ImageDeleteResponse:
        return await self._call("delete_image", ImageDeleteResponse, path={"id": image_id})

    async def get_snapshot_image(self, snapshot_id: str) -> SnapshotImageRelationshipResponse:
        return await self._call("get_snapshot_image", SnapshotImageRelationshipResponse, path={"id": snapshot_id})

    async def get_snapshot_image_relationships(
        self, snapshot_ids: Iterable[str]
    ) -> BatchSnapshotImageRelationshipResponse:
        body = dump_request({"snapshot_ids": list(snapshot_ids)}, GetBatchSnapshotImageRelationshipsRequest)
        return await self._call(
            "get_snapshot_image_relationships", BatchSnapshotImageRelationshipResponse, body=body
        )
