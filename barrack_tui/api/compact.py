"""Smaller long-lived response models: one shared set of field names per shape, not one per model.

pydantic keeps on every model the set of names it was given (what
`model_fields_set` reports): ~730 bytes for a five-field model, more than half
of a `Script`'s ~1,340. Fifty thousand items of each of six kinds held
~250 MB of such sets, all with the same few contents. `share_fields_sets`
points every model (and every model nested in one) at one set per (type,
names) instead, so the store's lists cost what their data costs.

The shared set stays a mutable `set`, as pydantic expects (assigning an
attribute adds its name); nothing in this app reads these sets, so a name
added through one model showing on its siblings changes nothing anyone sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

_SHARED: dict[tuple[type, frozenset[str]], set[str]] = {}
# Distinct shapes are few (a type and which optional fields the server sent); this bounds a hostile server.
_MAX_SHAPES = 4_096


def share_fields_sets(models: Iterable[Any]) -> None:
    """Give each model in `models` (and the models nested in it) the one shared set of its field names."""
    last_kind: type | None = None
    last_fields: set[str] = set()
    last_shared: set[str] = set()
    nested_names: tuple[str, ...] = ()
    inner: list[Any] = []
    for model in models:
        kind = type(model)
        if not issubclass(kind, BaseModel):
            continue
        fields = model.__pydantic_fields_set__
        # Consecutive items nearly always have the same shape: compare with the last before hashing.
        if kind is not last_kind or (fields is not last_shared and fields != last_fields):
            last_kind, last_fields, last_shared = kind, set(fields), _shared_set(kind, fields)
            nested_names = _nested_fields(kind)
        if fields is not last_shared:
            object.__setattr__(model, "__pydantic_fields_set__", last_shared)
        for name in nested_names:
            value = model.__dict__.get(name)
            if isinstance(value, BaseModel):
                inner.append(value)
            elif isinstance(value, list | tuple):
                inner.extend(value)
    if inner:
        share_fields_sets(inner)


def _shared_set(kind: type, fields: set[str]) -> set[str]:
    key = (kind, frozenset(fields))
    shared = _SHARED.get(key)
    if shared is None:
        if len(_SHARED) >= _MAX_SHAPES:
            return fields
        shared = _SHARED[key] = set(fields)
    return shared


@cache
def _nested_fields(kind: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `kind` that may hold models (or lists of them): only those are looked into."""
    return tuple(name for name, info in kind.model_fields.items() if _holds_model(info.annotation))


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation))
