"""Routes: SSH keys (K1) — list, get, import or generate, delete.

A key without `public_key` in the request is generated here (RSA-2048); its
private half goes into that one response and nowhere else: it is never stored
in the state and never logged. An imported key the account already holds is
refused with 409, naming the key that holds it.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from barrack_tui.api.models.common import RegionEnum
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.keys_scripts import (
    CreateSSHKeyRequest,
    CreateSSHKeyResponse,
    DeleteSSHKeyResponse,
    GetSSHKeysResponse,
    SSHKeyResponse,
)
from barrack_tui.rules.resources import can_create_key, can_delete_key
from barrack_tui.rules.sshkeys import is_new_public_key, saved_keys_index
from barrack_tui.rules.validators import validate_key_name, validate_ssh_public_key
from barrack_tui.sim.clock import iso
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import not_found, require
from barrack_tui.sim.keygen import fingerprint, generate_rsa_keypair
from barrack_tui.sim.routes.common import ResourceId, contract_route, contract_router, require_valid
from barrack_tui.sim.state import SimState, SSHKeyRecord

router = contract_router()

# The account's keys are offered in every region; K1's limit is counted per region.
KEY_REGIONS: tuple[str, ...] = tuple(region.value for region in RegionEnum)


def key_wire(key: SSHKeyRecord) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "fingerprint": key.fingerprint,
        "public_key": key.public_key,
        "created_at": iso(key.created_at),
        "regions": list(key.regions),
    }


def _key(state: SimState, key_id: str) -> SSHKeyRecord:
    key = state.ssh_keys.get(key_id)
    if key is None:
        raise not_found("SSH key", key_id)
    return key


def _require_room(state: SimState, regions: tuple[str, ...]) -> None:
    for region in regions:
        require(can_create_key(sum(1 for key in state.ssh_keys.values() if region in key.regions)))


@contract_route(router, "list_ssh_keys", response_model=GetSSHKeysResponse)
async def list_ssh_keys(state: Sim) -> JSONResponse:
    keys = sorted(state.ssh_keys.values(), key=lambda k: (k.created_at, k.id))
    return JSONResponse({"keys": [key_wire(k) for k in keys]})


@contract_route(router, "get_ssh_key", response_model=SSHKeyResponse)
async def get_ssh_key(key_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse(key_wire(_key(state, key_id)))


@contract_route(router, "create_ssh_key", response_model=CreateSSHKeyResponse, status_code=201)
async def create_ssh_key(body: CreateSSHKeyRequest, state: Sim) -> JSONResponse:
    checks = {"name": validate_key_name(body.name, taken=state.names_in_use("ssh_keys"))}
    if body.public_key is not None:
        checks["public_key"] = validate_ssh_public_key(body.public_key)
    require_valid(checks)
    if body.public_key is not None:
        # 409 like a name in use: the key is fine, the account already holds it.
        saved = saved_keys_index((k.name, k.public_key) for k in state.ssh_keys.values())
        require(is_new_public_key(body.public_key, saved), 409)
    _require_room(state, KEY_REGIONS)
    private_key: str | None = None
    if body.public_key is None:
        pair = generate_rsa_keypair(comment=body.name)
        public_key, key_fingerprint, private_key = pair.public_key, pair.fingerprint, pair.private_key
    else:
        public_key = body.public_key.strip()
        key_fingerprint = fingerprint(public_key)
    key = SSHKeyRecord(
        id=state.new_id("key"),
        name=body.name,
        fingerprint=key_fingerprint,
        public_key=public_key,
        created_at=state.now(),
        regions=list(KEY_REGIONS),
    )
    state.ssh_keys[key.id] = key
    return JSONResponse({"key": key_wire(key), "private_key": private_key}, status_code=201)


@contract_route(router, "delete_ssh_key", response_model=DeleteSSHKeyResponse)
async def delete_ssh_key(key_id: ResourceId, state: Sim) -> JSONResponse:
    key = _key(state, key_id)
    users = [VMInstance.model_validate(i.wire()) for i in state.instances.values() if key.id in i.ssh_key_ids]
    require(can_delete_key(key.id, users))
    del state.ssh_keys[key.id]
    return JSONResponse({"message": f"SSH key {key.name} deleted"})
