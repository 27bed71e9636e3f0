"""Saving and loading the simulated account (`barrack-tui sim --state FILE`).

The file is JSON written atomically (temporary file in the same directory,
fsync, os.replace), so a crash mid-save leaves the previous state intact.
Records are encoded field by field from their dataclass definitions and
decoded with their type hints, so a field added to a record later is saved
without touching this module, and an old file still loads (missing fields
take their defaults, unknown ones are ignored).

Not saved: the clock, the API key (a secret, given again on the command line),
request counters and the engine's index (rebuilt from the records).

Time stands still while the simulator is off: on load, pending transitions
are shifted by the downtime and open billing periods are split, so nothing
is billed or advanced for the hours the file sat on disk.
"""

from __future__ import annotations

import dataclasses
import json
import os
import types
import typing
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from barrack_tui.account.files import atomic_write
from barrack_tui.sim import engine
from barrack_tui.sim.clock import Clock
from barrack_tui.sim.ledger import open_period
from barrack_tui.sim.state import BillingPeriod, SimState

FORMAT_VERSION = 1
_NOT_SAVED = frozenset({"clock", "api_key", "engine", "request_counts", "mutation_counts"})


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, str):
        return str(value)  # StrEnum members become plain strings
    return value


def _decode(data: Any, hint: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode(data, options[0]) if len(options) == 1 else data
    if hint is Decimal:
        return Decimal(data)
    if hint is float:
        return float(data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode_record(hint, data)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return [_decode(v, item) for v in data]
    if origin in (dict, Counter):
        args = typing.get_args(hint)
        value_hint = args[1] if len(args) == 2 else (int if origin is Counter else Any)
        decoded = {k: _decode(v, value_hint) for k, v in data.items()}
        return Counter(decoded) if origin is Counter else decoded
    return data


def _decode_record(cls: type, data: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.init}
    return cls(**{name: _decode(value, hints[name]) for name, value in data.items() if name in known})


def state_to_dict(state: SimState) -> dict[str, Any]:
    saved: dict[str, Any] = {"format": FORMAT_VERSION, "saved_at": state.now()}
    for f in dataclasses.fields(state):
        if f.name in _NOT_SAVED:
            continue
        if f.name == "stock":
            saved["stock"] = [[region, model, count, free] for (region, model, count), free in state.stock.items()]
        else:
            saved[f.name] = _encode(getattr(state, f.name))
    return saved


def state_from_dict(data: dict[str, Any], clock: Clock) -> SimState:
    state = SimState(clock=clock)
    hints = typing.get_type_hints(SimState)
    for f in dataclasses.fields(state):
        if f.name in _NOT_SAVED or f.name not in data:
            continue
        if f.name == "stock":
            state.stock = {(region, model, int(count)): int(free) for region, model, count, free in data["stock"]}
        else:
            setattr(state, f.name, _decode(data[f.name], hints[f.name]))
    _resume_after_downtime(state, float(data.get("saved_at", state.now())))
    engine.invalidate(state)
    return state


def _resume_after_downtime(state: SimState, saved_at: float) -> None:
    downtime = state.now() - saved_at
    if downtime == 0:
        return
    now = state.now()
    tables: list[dict[str, Any]] = [state.instances, state.volumes, state.snapshots, state.images, state.firewalls]
    for table in tables:
        for record in table.values():
            pending = getattr(record, "pending", None)
            if pending is not None:
                pending.due += downtime
            attach_due = getattr(record, "attach_due", None)
            if attach_due:
                for key in attach_due:
                    attach_due[key] += downtime
            periods: list[BillingPeriod] | None = getattr(record, "billing", None)
            current = open_period(periods) if periods else None
            if periods and current is not None and downtime > 0:
                current.end = saved_at
                current.amount = current.rate * Decimal(str(saved_at - current.start)) / 3600
                periods.append(BillingPeriod(now, current.status, current.rate, size_gb=current.size_gb))


def save_state(state: SimState, path: str | os.PathLike[str]) -> None:
    """Write the state to `path` atomically (readable only by the owner), with the one writer every file uses."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, json.dumps(state_to_dict(state), separators=(",", ":")), 0o600)


def load_state(path: str | os.PathLike[str], clock: Clock) -> SimState:
    """The state saved at `path`, resumed on `clock`."""
    with open(path, "rb") as handle:
        return state_from_dict(json.loads(handle.read()), clock)
