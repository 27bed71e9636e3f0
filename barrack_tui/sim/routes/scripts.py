"""Routes: startup scripts — list, get, create, update, delete, bulk delete."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from barrack_tui.api.models.keys_scripts import (
    BulkDeleteScriptsRequest,
    BulkDeleteScriptsResponse,
    CreateScriptRequest,
    DeleteScriptResponse,
    Script,
    ScriptListResponse,
    UpdateScriptRequest,
)
from barrack_tui.rules.validators import validate_script
from barrack_tui.sim.clock import iso
from barrack_tui.sim.context import Sim
from barrack_tui.sim.errors import not_found
from barrack_tui.sim.routes.common import ResourceId, contract_route, contract_router, require_valid
from barrack_tui.sim.state import ScriptRecord, SimState

router = contract_router()


def script_wire(script: ScriptRecord) -> dict[str, Any]:
    return {
        "id": script.id,
        "name": script.name,
        "content": script.content,
        "created_at": iso(script.created_at),
        "updated_at": iso(script.updated_at),
    }


def _script(state: SimState, script_id: str) -> ScriptRecord:
    script = state.scripts.get(script_id)
    if script is None:
        raise not_found("Script", script_id)
    return script


@contract_route(router, "list_scripts", response_model=ScriptListResponse)
async def list_scripts(state: Sim) -> JSONResponse:
    scripts = sorted(state.scripts.values(), key=lambda s: (s.created_at, s.id))
    return JSONResponse({"scripts": [script_wire(s) for s in scripts]})


@contract_route(router, "bulk_delete_scripts", response_model=BulkDeleteScriptsResponse)
async def bulk_delete_scripts(body: BulkDeleteScriptsRequest, state: Sim) -> JSONResponse:
    # All or nothing: an unknown id refuses the whole batch before anything is deleted.
    for script_id in body.ids:
        _script(state, script_id)
    deleted = list(dict.fromkeys(body.ids))
    for script_id in deleted:
        del state.scripts[script_id]
    return JSONResponse({"message": f"Deleted {len(deleted)} script(s)", "deleted": deleted})


@contract_route(router, "get_script", response_model=Script)
async def get_script(script_id: ResourceId, state: Sim) -> JSONResponse:
    return JSONResponse(script_wire(_script(state, script_id)))


@contract_route(router, "create_script", response_model=Script, status_code=201)
async def create_script(body: CreateScriptRequest, state: Sim) -> JSONResponse:
    require_valid(validate_script(body.name, body.content, taken=state.names_in_use("scripts")))
    now = state.now()
    script = ScriptRecord(id=state.new_id("scr"), name=body.name, content=body.content, created_at=now, updated_at=now)
    state.scripts[script.id] = script
    return JSONResponse(script_wire(script), status_code=201)


@contract_route(router, "update_script", response_model=Script)
async def update_script(script_id: ResourceId, body: UpdateScriptRequest, state: Sim) -> JSONResponse:
    script = _script(state, script_id)
    name = script.name if body.name is None else body.name
    content = script.content if body.content is None else body.content
    others = {s.name for s in state.scripts.values() if s.id != script.id}
    require_valid(validate_script(name, content, taken=others))
    script.name, script.content, script.updated_at = name, content, state.now()
    return JSONResponse(script_wire(script))


@contract_route(router, "delete_script", response_model=DeleteScriptResponse)
async def delete_script(script_id: ResourceId, state: Sim) -> JSONResponse:
    script = _script(state, script_id)
    del state.scripts[script.id]
    return JSONResponse({"message": f"Script {script.name} deleted"})
