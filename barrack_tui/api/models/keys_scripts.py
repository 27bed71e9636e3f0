"""SSH keys and startup scripts."""

# No `from __future__ import annotations` here: pydantic would then compile and evaluate every field's
# annotation from its text, ~20% of the time it takes to define these models as the client loads.

from datetime import datetime

from pydantic import Field

from barrack_tui.api.models.common import MessageResponse, RegionEnum, RequestModel, WireModel
from barrack_tui.api.sanitize import SafeStr, SafeText
from barrack_tui.api.tolerant import ItemsOf, Tolerant


class SSHKeyResponse(WireModel):
    id: SafeStr
    name: SafeStr
    fingerprint: SafeStr
    public_key: SafeStr
    created_at: datetime
    regions: list[Tolerant[RegionEnum]] = Field(default_factory=list)


class GetSSHKeysResponse(WireModel):
    keys: ItemsOf[SSHKeyResponse]


class CreateSSHKeyRequest(RequestModel):
    name: str
    public_key: str | None = None


class CreateSSHKeyResponse(WireModel):
    key: SSHKeyResponse
    private_key: SafeText | None = None


class DeleteSSHKeyResponse(MessageResponse):
    pass


class Script(WireModel):
    id: SafeStr
    name: SafeStr
    content: SafeText
    created_at: datetime
    updated_at: datetime


class ScriptListResponse(WireModel):
    scripts: ItemsOf[Script]


class CreateScriptRequest(RequestModel):
    name: str
    content: str


class UpdateScriptRequest(RequestModel):
    name: str | None = None
    content: str | None = None


class DeleteScriptResponse(MessageResponse):
    pass


class BulkDeleteScriptsRequest(RequestModel):
    ids: list[str] = Field(min_length=1)


class BulkDeleteScriptsResponse(MessageResponse):
    deleted: list[SafeStr] = Field(default_factory=list)
