"""Hypothesis strategies for well-shaped (and hostile) JSON from a pydantic model's own JSON Schema.

Arbitrary JSON (tests/api/test_sanitizer.py) mostly fails validation at the
first field; data shaped like the model reaches every field, so every string
a model accepts is exercised, with terminal attacks and markup mixed into
the text. Covers the JSON Schema that pydantic emits for the contract's
models: $ref/$defs, anyOf, enum/const, objects with required/optional
properties, arrays, strings (date-time, patterns), numbers, booleans, null.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

HOSTILE_STRINGS = [
    "clr\x1b[2Jscreen",
    "t\x1b]0;x\x07",
    "l\x1b]8;;http://e\x1b\\",
    "c\x1b]52;c;Zm9v\x07",
    "q\x1b[6n",
    "c1\x9b31m",
    "abc\rXYZ",
    "[@click=app.quit]x[/]",
    "gpu [/bold] box",
    "nul\x00del\x7fnel\x85",
    "bidi\u202eevil\u2066",
    "line\nbreak\u2028sep",
    "crlf\r\nok",
]

hostile_text = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=24))
_VALID_DATETIMES = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2200, 1, 1),
    timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=5, minutes=30))]),
).map(lambda d: d.isoformat())
_DATETIMES = st.one_of(_VALID_DATETIMES, st.sampled_from(["2026-11-18T08:00:00Z", "not a date", ""]))
_VALID_INTEGERS = st.integers(min_value=0, max_value=100_000)
_INTEGERS = st.one_of(_VALID_INTEGERS, st.integers(), st.just(2**64))
_VALID_NUMBERS = st.one_of(_VALID_INTEGERS, st.floats(min_value=0, max_value=1e9))
# pydantic writes a Decimal as "number or string"; well-formed, the string is a decimal numeral.
_VALID_DECIMALS = st.one_of(_VALID_NUMBERS, st.decimals(min_value=0, max_value=10**9, places=4).map(str))
_NUMBERS = st.one_of(
    _INTEGERS,
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([float("nan"), float("inf"), -0.0]),
)


def strategy_for_model(model: type[Any]) -> st.SearchStrategy[Any]:
    """JSON-like values shaped by `model`'s validation schema: half well-formed (every enum, date and
    number valid, so the model validates and its strings get checked), half with near misses anywhere."""
    schema = model.model_json_schema(mode="validation")
    defs = schema.get("$defs", {})
    return st.one_of(_from_schema(schema, defs, wild=False), _from_schema(schema, defs, wild=True))


def _from_schema(schema: dict[str, Any], defs: dict[str, Any], *, wild: bool) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return st.deferred(lambda: _from_schema(defs[name], defs, wild=wild))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        members = st.sampled_from(schema["enum"])
        return st.one_of(members, hostile_text) if wild else members
    if "anyOf" in schema:
        kinds = {option.get("type") for option in schema["anyOf"]}
        if not wild and {"number", "string"} <= kinds <= {"number", "string", "null"}:
            return st.one_of(_VALID_DECIMALS, st.none()) if "null" in kinds else _VALID_DECIMALS
        return st.one_of([_from_schema(option, defs, wild=wild) for option in schema["anyOf"]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_from_schema({**schema, "type": one}, defs, wild=wild) for one in kind])
    if kind == "object":
        return _object(schema, defs, wild=wild)
    if kind == "array":
        items = _from_schema(schema.get("items", {}), defs, wild=wild)
        least = schema.get("minItems", 0)
        return st.lists(items, min_size=0 if wild else least, max_size=max(3, least))
    if kind == "string":
        if schema.get("format") == "date-time":
            return _DATETIMES if wild else _VALID_DATETIMES
        if "pattern" in schema:
            pattern = st.from_regex(schema["pattern"], fullmatch=True)
            return st.one_of(pattern, hostile_text) if wild else pattern
        return hostile_text
    if kind == "integer":
        return _INTEGERS if wild else _VALID_INTEGERS
    if kind == "number":
        return _NUMBERS if wild else _VALID_NUMBERS
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.one_of(st.none(), st.booleans(), _INTEGERS, hostile_text)


def _object(schema: dict[str, Any], defs: dict[str, Any], *, wild: bool) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    if not properties:
        return st.dictionaries(st.text(max_size=8), st.one_of(st.none(), _INTEGERS, hostile_text), max_size=3)
    return st.fixed_dictionaries(
        {name: _from_schema(sub, defs, wild=wild) for name, sub in properties.items() if name in required},
        optional={name: _from_schema(sub, defs, wild=wild) for name, sub in properties.items() if name not in required},
    )


def string_leaves(value: Any, *, skip_keys: frozenset[str] = frozenset()) -> list[str]:
    """Every string in a JSON-like value (keys under `skip_keys` left out)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key not in skip_keys for s in string_leaves(item, skip_keys=skip_keys)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in string_leaves(item, skip_keys=skip_keys)]
    return []
