"""`barrack-tui doctor`'s checks: read every GET operation of a server and compare each answer with the models.

A user with a real key meets a service whose shape we have only partly seen;
this module measures how far it is from what this version reads. It sends
GET requests only (through `ClientBase.get_raw`, which refuses anything
else), so running it changes nothing on the account. For each operation it
records the HTTP status, latency, whether the answer came in the
`{success, message, <payload>, request_id}` envelope, items read and refused,
fields the models do not declare, enum values they kept as `Unknown`, and the
pagination block. Rendering (text, JSON) lives in `cli_doctor`; nothing here
prints or imports Textual.
"""

from __future__ import annotations

import time
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

from barrack_tui.api import models as m
from barrack_tui.api.client_base import ClientBase
from barrack_tui.api.envelope import request_id_of, unwrap
from barrack_tui.api.errors import ApiError, clean_text, describe_body, error_from_response
from barrack_tui.api.pages import DEFAULT_PER_PAGE
from barrack_tui.api.routes import ROUTES
from barrack_tui.api.sanitize import sanitize_line
from barrack_tui.api.tolerant import ItemList, ItemProblem, decode_json, describe_errors, is_unknown

# A server can send any number of odd keys; a report lists this many per operation and counts the rest.
MAX_FINDINGS = 40
MAX_KEY_LENGTH = 60
MAX_DEPTH = 16


@dataclass(frozen=True)
class Probe:
    """How the client reads one GET operation: its model, and where an `{id}` comes from."""

    model: type[pydantic.BaseModel]
    # A single resource the contract shows both bare and wrapped in this key (`{"script": {...}}`).
    wrapped_in: str | None = None
    # (list operation, its items field): the first readable item's id fills `{id}`.
    id_from: tuple[str, str] | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


_PAGE = {"page": 1, "per_page": DEFAULT_PER_PAGE}
_INSTANCES = ("list_instances", "instances")
_FIREWALLS = ("list_firewalls", "firewalls")
_SNAPSHOTS = ("list_snapshots", "snapshots")

# Mirrors the client's mixins: the model each GET operation is parsed into, and how.
PROBES: dict[str, Probe] = {
    "get_balance": Probe(m.CreditBalanceResponse),
    "get_gpu_stocks": Probe(m.GPUStocksResponse),
    "get_gpu_specs": Probe(m.GPUSpecsResponse),
    "list_regions": Probe(m.RegionsResponse),
    "get_pricing": Probe(m.PricingResponse),
    "list_os_images": Probe(m.OSImagesResponse),
    "list_instances": Probe(m.ListVMsResponse, params=_PAGE),
    "get_instance": Probe(m.VMDetailsResponse, id_from=_INSTANCES),
    "get_instance_billing": Probe(m.AggregatedBillingResponse, id_from=_INSTANCES),
    "get_hibernated_instances": Probe(m.GetHibernatedVMsResponse),
    "get_instance_firewalls": Probe(m.GetVMAttachedFirewallsResponse, id_from=_INSTANCES),
    "list_ssh_keys": Probe(m.GetSSHKeysResponse),
    "get_ssh_key": Probe(m.SSHKeyResponse, wrapped_in="key", id_from=("list_ssh_keys", "keys")),
    "list_volumes": Probe(m.GetVolumesWithNextNameResponse, params=_PAGE),
    "get_volume": Probe(m.GetVolumeDetailsResponse, id_from=("list_volumes", "volumes")),
    "list_volume_types": Probe(m.GetVolumeTypesResponse),
    "get_volume_billing": Probe(m.VolumeHourlyBillingResponse, id_from=("list_volumes", "volumes")),
    "list_firewalls": Probe(m.ListFirewallsResponse),
    "get_firewall": Probe(m.GetFirewallDetailsResponse, id_from=_FIREWALLS),
    "list_firewall_protocols": Probe(m.GetSupportedProtocolsResponse),
    "list_firewall_available_instances": Probe(m.FirewallAvailableInstancesResponse, id_from=_FIREWALLS),
    "list_scripts": Probe(m.ScriptListResponse),
    "get_script": Probe(m.Script, wrapped_in="script", id_from=("list_scripts", "scripts")),
    "list_snapshots": Probe(m.SnapshotListResponse),
    "get_snapshot": Probe(m.Snapshot, wrapped_in="snapshot", id_from=_SNAPSHOTS),
    "list_snapshot_eligible_instances": Probe(m.SnapshotEligibleInstancesResponse),
    "get_snapshot_billing": Probe(m.SnapshotBillingResponse, id_from=_SNAPSHOTS),
    "list_images": Probe(m.ImageListResponse),
    "get_image": Probe(m.Image, wrapped_in="image", id_from=("list_images", "images")),
    "get_snapshot_image": Probe(m.SnapshotImageRelationshipResponse, id_from=_SNAPSHOTS),
    "list_ai_models": Probe(m.ModelsResponse),
    "get_ai_usage_summary": Probe(m.UsageSummaryResponse),
    "get_ai_usage_history": Probe(m.UsageHistoryResponse, params={"page": 1}),
}


@dataclass
class Check:
    """What one operation's answer showed. `problems` and the finding lists are sanitized text."""

    op: str
    method: str
    path: str
    status: int | None = None
    latency_ms: float | None = None
    envelope: bool | None = None
    read: int | None = None
    refused: list[tuple[str, ItemProblem]] = field(default_factory=list)
    pagination: str | None = None
    unknown_fields: list[str] = field(default_factory=list)
    unknown_values: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None
    request_id: str | None = None

    @property
    def deviates(self) -> bool:
        return bool(self.problems or self.refused or self.unknown_fields or self.unknown_values)


@dataclass
class Report:
    origin: str
    checks: list[Check] = field(default_factory=list)
    # Every resource id the answers carried, in order of first sight: the JSON report replaces them.
    ids: dict[str, None] = field(default_factory=dict)
    stopped: str | None = None

    @property
    def deviating(self) -> list[Check]:
        return [check for check in self.checks if check.deviates]

    @property
    def ok(self) -> bool:
        return not self.deviating and self.stopped is None

    def verdict(self) -> str:
        done = [check for check in self.checks if check.skipped is None]
        skipped = len(self.checks) - len(done)
        tail = f"; {skipped} skipped (nothing to read)" if skipped else ""
        if self.stopped:
            return f"Verdict: could not check the server: {self.stopped}"
        bad = self.deviating
        if not bad:
            return f"Verdict: OK: all {len(done)} operations read match what this version expects{tail}."
        names = ", ".join(check.op for check in bad[:6]) + (", …" if len(bad) > 6 else "")
        return f"Verdict: DEVIATES: {len(bad)} of {len(done)} operations differ from the contract ({names}){tail}."


def get_operations() -> list[str]:
    """Every GET operation of the routes table: those without an id first, so their lists can supply ids."""
    gets = [op for op, route in ROUTES.items() if route.method == "GET"]
    return [op for op in gets if not ROUTES[op].params] + [op for op in gets if ROUTES[op].params]


async def run_checks(client: ClientBase, secrets: tuple[str, ...] = ()) -> Report:
    """Read every GET operation once; never sends anything but GET."""
    report = Report(origin=client.origin)
    listed: dict[str, pydantic.BaseModel | None] = {}
    for op in get_operations():
        route = ROUTES[op]
        check = Check(op, route.method, route.path)
        report.checks.append(check)
        probe = PROBES.get(op)
        if probe is None:
            check.skipped = "this version has no model for it"
            continue
        path = _path_for(probe, listed, check)
        if check.skipped:
            continue
        parsed = await _check_one(client, probe, check, path, report, secrets)
        listed[op] = parsed
        if check.status == 401:
            report.stopped = f"the server refused the key (HTTP 401 on {op}): {'; '.join(check.problems)}"
            break
    return report


def _path_for(probe: Probe, listed: Mapping[str, pydantic.BaseModel | None], check: Check) -> dict[str, str] | None:
    if probe.id_from is None:
        return None
    source, items_field = probe.id_from
    parsed = listed.get(source)
    if parsed is None:
        check.skipped = f"needs an id from {source}, which could not be read"
        return None
    items = getattr(parsed, items_field, ())
    ids = [item_id for item_id in (getattr(item, "id", None) for item in items) if isinstance(item_id, str) and item_id]
    if not ids:
        what = items_field.replace("_", " ")
        refused = len(getattr(items, "refused", ()))
        check.skipped = (
            f"{source} returned no readable {what} ({refused} refused)" if refused
            else f"{source} returned no {what} to read one of"
        )
        return None
    return {"id": ids[0]}


async def _check_one(
    client: ClientBase,
    probe: Probe,
    check: Check,
    path: dict[str, str] | None,
    report: Report,
    secrets: tuple[str, ...],
) -> pydantic.BaseModel | None:
    started = time.perf_counter()
    try:
        response = await client.get_raw(check.op, path=path, params=probe.params or None)
    except ApiError as exc:  # no HTTP answer (connection refused, timeout, TLS)
        check.problems.append(f"no answer: {clean_text(exc, secrets)}")
        return None
    finally:
        check.latency_ms = (time.perf_counter() - started) * 1000
    check.status = response.status_code
    check.request_id = request_id_of(response.headers)
    content_type = response.headers.get("content-type", "")
    if not 200 <= response.status_code < 300:
        error = error_from_response(response.status_code, response.content, content_type, secrets=secrets)
        check.request_id = error.request_id or check.request_id
        check.problems.append(f"HTTP {response.status_code}: {clean_text(error, secrets)}")
        return None
    try:
        data = decode_json(response.content if response.content.strip() else b"{}")
    except ValueError:
        check.problems.append(f"unreadable body: {clean_text(describe_body(content_type, response.content), secrets)}")
        return None
    _collect_ids(data, report.ids)
    opened = unwrap(data, frozenset(probe.model.model_fields))
    check.envelope = opened.wrapped
    check.request_id = opened.request_id or check.request_id
    if not opened.success:
        check.problems.append(f"success: false: {clean_text(opened.message, secrets) or '(no message)'}")
        return None
    payload = opened.payload
    if probe.wrapped_in and isinstance(payload, dict) and isinstance(payload.get(probe.wrapped_in), dict):
        payload = payload[probe.wrapped_in]
    check.unknown_fields = _capped(unknown_fields(payload, probe.model))
    try:
        parsed = probe.model.model_validate(payload)
    except pydantic.ValidationError as exc:
        check.problems.append("missing or invalid fields: " + "; ".join(describe_errors(exc)))
        return None
    check.unknown_values = _capped(unknown_values(parsed))
    check.read, check.refused = _items(parsed)
    pagination = getattr(parsed, "pagination", None)
    if isinstance(payload, dict) and isinstance(pagination, m.Pagination) and "pagination" in payload:
        check.pagination = f"page {pagination.page} of {pagination.total_pages} ({pagination.total} items)"
    return parsed


def _capped(found: list[str]) -> list[str]:
    if len(found) <= MAX_FINDINGS:
        return found
    return found[:MAX_FINDINGS] + [f"(and {len(found) - MAX_FINDINGS} more)"]


# --- what the answer holds that the models do not declare ------------------------------------------------


def _join(path: str, key: object) -> str:
    text = sanitize_line(str(key))
    if len(text) > MAX_KEY_LENGTH:
        text = text[: MAX_KEY_LENGTH - 1] + "…"
    return f"{path}.{text}" if path else text


def _strip(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _model_of(tp: Any) -> type[pydantic.BaseModel] | None:
    return tp if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel) else None


def _wire_names(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        names[name] = info.annotation
        for alias in (info.alias, info.validation_alias):
            if isinstance(alias, str):
                names[alias] = info.annotation
    return names


def unknown_fields(raw: Any, tp: Any, path: str = "") -> list[str]:
    """Dotted paths (`instances[].flavor.gpu_arch`) of keys in `raw` that the type `tp` does not declare."""
    found: dict[str, None] = {}
    _walk_fields(raw, tp, path, found, 0)
    return list(found)


def _walk_fields(raw: Any, tp: Any, path: str, found: dict[str, None], depth: int) -> None:
    tp = _strip(tp)
    if depth > MAX_DEPTH or tp is Any:
        return
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [_strip(arg) for arg in args if arg is not type(None)]
        candidates = [model for model in map(_model_of, options) if model is not None]
        if isinstance(raw, dict) and candidates:
            # The model the value most likely is: the one declaring most of its keys.
            best = max(candidates, key=lambda model: len(raw.keys() & _wire_names(model).keys()))
            _walk_fields(raw, best, path, found, depth + 1)
            return
        shapes = (dict, Mapping) if isinstance(raw, dict) else (list, tuple, set, frozenset)
        for option in options:
            if typing.get_origin(option) in shapes:
                _walk_fields(raw, option, path, found, depth + 1)
                break
        return
    if origin in (list, tuple, set, frozenset) and isinstance(raw, list):
        item_tp = args[0] if args else Any
        for item in raw:
            _walk_fields(item, item_tp, f"{path}[]", found, depth + 1)
        return
    if origin in (dict, Mapping) and isinstance(raw, dict):
        value_tp = args[1] if len(args) == 2 else Any
        for value in raw.values():
            _walk_fields(value, value_tp, _join(path, "*"), found, depth + 1)
        return
    model = _model_of(tp)
    if model is not None and isinstance(raw, dict):
        declared = _wire_names(model)
        for key, value in raw.items():
            where = _join(path, key)
            if key not in declared:
                found[where] = None
            else:
                _walk_fields(value, declared[key], where, found, depth + 1)


def unknown_values(parsed: Any) -> list[str]:
    """`field=value` for every enum value the models kept as `Unknown` (a status or region this version lacks)."""
    found: dict[str, None] = {}
    _walk_values(parsed, "", found, 0)
    return list(found)


def _walk_values(value: Any, path: str, found: dict[str, None], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if is_unknown(value):
        found[f"{path or '(value)'}={value}"] = None
    elif isinstance(value, pydantic.BaseModel):
        for name, info in type(value).model_fields.items():
            wire = info.alias if isinstance(info.alias, str) else name
            _walk_values(getattr(value, name), _join(path, wire), found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _walk_values(item, f"{path}[]", found, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if is_unknown(key):
                found[f"{_join(path, '(key)')}={key}"] = None
            _walk_values(item, _join(path, "*"), found, depth + 1)


def _items(parsed: pydantic.BaseModel) -> tuple[int | None, list[tuple[str, ItemProblem]]]:
    """Items read in the answer's own lists (None when it has none), and every refused item with where it was."""
    read: int | None = None
    for name in type(parsed).model_fields:
        value = getattr(parsed, name)
        if isinstance(value, ItemList):
            read = (read or 0) + len(value)
    refused: list[tuple[str, ItemProblem]] = []
    _walk_refused(parsed, "", refused, 0)
    return read, refused


def _walk_refused(value: Any, path: str, out: list[tuple[str, ItemProblem]], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, ItemList):
        out.extend((f"{path}[]", problem) for problem in value.refused)
    if isinstance(value, pydantic.BaseModel):
        for name in type(value).model_fields:
            _walk_refused(getattr(value, name), _join(path, name), out, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _walk_refused(item, f"{path}[]", out, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _walk_refused(item, _join(path, "*"), out, depth + 1)


def _collect_ids(data: Any, ids: dict[str, None], depth: int = 0) -> None:
    """Every value under a key `id`, `*_id` or `*_ids`: what a shared report must not show."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            is_id = isinstance(key, str) and (key == "id" or key.endswith(("_id", "_ids", "_uuid")))
            if is_id and key != "request_id":
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, (str, int)) and not isinstance(item, bool) and str(item):
                        ids.setdefault(str(item), None)
            _collect_ids(value, ids, depth + 1)
    elif isinstance(data, list):
        for item in data:
            _collect_ids(item, ids, depth + 1)
