"""Lists the store polls whole, read incrementally: an item whose JSON bytes did not change keeps its model.

Volumes, firewalls, SSH keys, scripts, snapshots and images are fetched whole
every poll while their area is shown. Validating 50,000 of them again each
time took 0.4-1.1 s of the UI loop and built 50,000 models only to find them
equal to the ones held. As `list_instances_incremental` does for the fleet,
the answer is split into each item's raw JSON (`msgspec.Raw`, no Python
objects), each item's bytes are hashed, and only bytes not seen at the last
read are validated; an unchanged item keeps the very model it had.

The result reads like the plain list call's: the same models, the items that
could not be read on `refused` (each costs only itself), a walk cut short on
`cut`, the request id, an envelope opened and `success: false` raised. The
rest of the answer (a volume list's `next_name`, pagination) is validated by
the list's own response model, on `shell`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, cast

import msgspec
import pydantic

from barrack_tui.api._httpx import httpx
from barrack_tui.api.client_base import ClientBase
from barrack_tui.api.compact import share_fields_sets
from barrack_tui.api.envelope import META_KEYS, clean_request_id, request_id_of
from barrack_tui.api.errors import BadResponseError, UnsuccessfulError, describe_body
from barrack_tui.api.models import (
    FirewallResponse,
    GetSSHKeysResponse,
    GetVolumesWithNextNameResponse,
    Image,
    ImageListResponse,
    ListFirewallsResponse,
    Pagination,
    Script,
    ScriptListResponse,
    Snapshot,
    SnapshotListResponse,
    SSHKeyResponse,
    VolumeResponse,
)
from barrack_tui.api.pages import DEFAULT_PER_PAGE, PageBudget
from barrack_tui.api.sanitize import sanitize_line
from barrack_tui.api.tolerant import ItemProblem, decode_json, problem_for


class _Keyed(Protocol):
    """An item model of a keyed list: validated from one item's JSON, known by its `id`."""

    @property
    def id(self) -> str: ...

    @classmethod
    def model_validate(cls, obj: Any) -> Self: ...


@dataclass(frozen=True)
class KeyedKind:
    op: str
    field: str  # the answer's key holding the list
    item: type[_Keyed]
    response: type[pydantic.BaseModel]
    paged: bool = False


KEYED_KINDS: dict[str, KeyedKind] = {
    "volumes": KeyedKind("list_volumes", "volumes", VolumeResponse, GetVolumesWithNextNameResponse, paged=True),
    "firewalls": KeyedKind("list_firewalls", "firewalls", FirewallResponse, ListFirewallsResponse),
    "ssh_keys": KeyedKind("list_ssh_keys", "keys", SSHKeyResponse, GetSSHKeysResponse),
    "scripts": KeyedKind("list_scripts", "scripts", Script, ScriptListResponse),
    "snapshots": KeyedKind("list_snapshots", "snapshots", Snapshot, SnapshotListResponse),
    "images": KeyedKind("list_images", "images", Image, ImageListResponse),
}
# New items in one read from which they are validated with the cyclic collector paused (models hold no cycles).
_BULK = 1_000

_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ITEMS = msgspec.json.Decoder(list[msgspec.Raw])


@dataclass
class KeyedListing:
    """One kind as last read: models by id in the server's order, and which item bytes gave which id."""

    items: dict[str, Any] = field(default_factory=dict)
    ids_by_hash: dict[int, str] = field(default_factory=dict)
    refused: list[ItemProblem] = field(default_factory=list)
    cut: str | None = None
    request_id: str | None = None
    # The first page's answer without its list, validated by the list's response model (`next_name`...).
    shell: Any = None
    offset: int = 0

    def __len__(self) -> int:
        return len(self.items)


def _field(top: dict[str, msgspec.Raw], key: str) -> Any:
    raw = top.get(key)
    try:
        return None if raw is None else decode_json(bytes(raw))
    except ValueError:
        return None


def _split(response: httpx.Response, kind: KeyedKind) -> tuple[dict[str, msgspec.Raw], str | None]:
    """The answer's top-level fields as raw JSON, an envelope opened; `success: false` raised."""
    content = response.content
    missing = f"the answer has no list of {kind.field}"
    request_id: str | None = None
    for _ in range(2):  # the answer itself, then (when wrapped) its one payload key
        try:
            top = _TOP.decode(content)
        except msgspec.ValidationError:
            raise BadResponseError(200, message=missing, model=kind.response.__name__) from None
        except msgspec.DecodeError:
            problem = describe_body(response.headers.get("content-type", ""), response.content)
            raise BadResponseError(response.status_code, message=problem).with_request_id(
                request_id_of(response.headers)
            ) from None
        success = _field(top, "success")
        request_id = clean_request_id(_field(top, "request_id")) or request_id or request_id_of(response.headers)
        if success is False:
            message = _field(top, "message")
            text = sanitize_line(message)[:400] if isinstance(message, str) else ""
            raise UnsuccessfulError(response.status_code, "UNSUCCESSFUL", text).with_request_id(request_id)
        if kind.field in top:
            return top, request_id
        payload = [raw for key, raw in top.items() if key not in META_KEYS]
        if not isinstance(success, bool) or len(payload) != 1:
            break
        content = bytes(payload[0])
    raise BadResponseError(200, message=missing, model=kind.response.__name__)


@contextmanager
def _no_collection(pause: bool) -> Iterator[None]:
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _merge(fresh: KeyedListing, old: KeyedListing, raws: list[msgspec.Raw], kind: KeyedKind) -> None:
    """Add one page's items to `fresh`: bytes seen at the last read reuse their model, new bytes are validated."""
    # Python's hash of the bytes, as the instance read uses (a collision needs new bytes to hash like old ones).
    digests = [hash(bytes(raw)) for raw in raws]
    ids = list(map(old.ids_by_hash.get, digests))
    models = old.items
    if None in ids:
        models = dict(models)
        built: list[Any] = []
        unreadable: list[int] = []
        name = kind.item.__name__
        with _no_collection(ids.count(None) >= _BULK):
            for index, item_id in enumerate(ids):
                if item_id is not None:
                    continue
                item = decode_json(bytes(raws[index]))  # fractional numbers as Decimal, never through a float
                try:
                    model = kind.item.model_validate(item)
                except pydantic.ValidationError as exc:
                    fresh.refused.append(problem_for(name, fresh.offset + index, item, exc))
                    unreadable.append(index)
                    continue
                ids[index] = model.id
                models[model.id] = model
                built.append(model)
        share_fields_sets(built)
        for index in reversed(unreadable):
            del ids[index], digests[index]
    fresh.offset += len(raws)
    seen = fresh.items
    # Every None was filled with the id read above or deleted with its unreadable item.
    for item_id, digest in zip(cast(list[str], ids), digests, strict=True):
        if item_id not in seen:  # items can shift between pages while we walk them: the first sighting wins
            seen[item_id] = models[item_id]
            fresh.ids_by_hash[digest] = item_id


class KeyedListsMixin(ClientBase):
    async def list_keyed_incremental(self, kind_name: str, previous: KeyedListing | None = None) -> KeyedListing:
        """Every item of `kind_name` (a `KEYED_KINDS` key), validating only items whose JSON differs from `previous`."""
        kind = KEYED_KINDS[kind_name]
        old = previous or KeyedListing()
        fresh = KeyedListing()
        budget = PageBudget(self._policy.now)
        page = 1
        while True:
            params = {"page": page, "per_page": DEFAULT_PER_PAGE} if kind.paged else None
            top, fresh.request_id = _split(await self._call_raw(kind.op, params=params), kind)
            try:
                raws = _ITEMS.decode(top[kind.field])
            except (msgspec.ValidationError, msgspec.DecodeError):
                raise BadResponseError(200, message=f"{kind.field} is not a list", model=kind.response.__name__) from None
            shell = _shell(top, kind)
            fresh.shell = fresh.shell or shell
            known = len(fresh.items)
            _merge(fresh, old, raws, kind)
            pagination = getattr(shell, "pagination", None)
            if not kind.paged or not isinstance(pagination, Pagination):
                return fresh
            if page >= pagination.total_pages or not raws or len(fresh.items) == known:
                return fresh
            fresh.cut = budget.stop_after(page, len(fresh.items), pagination)
            if fresh.cut:
                return fresh
            page += 1


def _shell(top: dict[str, msgspec.Raw], kind: KeyedKind) -> Any:
    """The answer's other fields through the list's own model (its defaults and sanitizing), the list left empty."""
    rest = {key: _field(top, key) for key in top if key != kind.field and key not in META_KEYS}
    try:
        return kind.response.model_validate({**rest, kind.field: []})
    except pydantic.ValidationError:
        return kind.response.model_validate({kind.field: []})  # an odd extra field costs only itself
