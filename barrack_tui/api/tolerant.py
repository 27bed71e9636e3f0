"""Reading a server we did not write: unknown enum values kept, lists read item by item, numbers bounded.

The live service already uses values this client was not built with (a tier
`legacy`, a GPU `B300-262GB`), so it will use more. The types here make a
response model liberal where that costs nothing and strict where a wrong
value would mislead:

- `Tolerant[SomeEnum]`: a known value becomes the enum member; any other short
  string is kept, sanitized, as an `Unknown` (a `str`), which matches no member,
  so every rule that asks "is it SHUTOFF?" says no, and the UI can mark it.
- `ItemsOf[Model]`: a list whose bad items are left out and recorded on the
  list (`.refused`), so one odd instance never blanks the fleet.
- `Money`, `SignedMoney`, `Size`, `Count`, `Hours`: numbers with bounds. Money
  is read from the JSON text (`decode_json` turns every JSON number with a
  fraction or exponent into a `Decimal`, never through a float).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeAlias, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter, ValidationError, WrapSerializer, WrapValidator

from barrack_tui.api.numbers import MAX_COUNT, MAX_HOURS, MAX_SIZE_GB, MAX_UNKNOWN_LENGTH
from barrack_tui.api.numbers import decode_json as decode_json  # re-exported: the readers of answers find it here
from barrack_tui.api.numbers import non_negative as _non_negative
from barrack_tui.api.numbers import to_decimal as _to_decimal
from barrack_tui.api.sanitize import sanitize_line
from barrack_tui.api.unknown import Unknown as Unknown  # re-exported: readers of models find it here too
from barrack_tui.api.unknown import is_unknown as is_unknown

T = TypeVar("T")
E = TypeVar("E", bound=Enum)



def _keep_unknown(value: Any, handler: Any) -> Any:
    try:
        return handler(value)
    except ValidationError:
        if isinstance(value, str) and 0 < len(value) <= MAX_UNKNOWN_LENGTH and value.strip():
            return Unknown(sanitize_line(value))
        raise


def _dump_unknown(value: Any, handler: Any) -> Any:
    return str(value) if isinstance(value, Unknown) else handler(value)


_KEEP_UNKNOWN = WrapValidator(_keep_unknown)
_DUMP_UNKNOWN = WrapSerializer(_dump_unknown, when_used="always")

if TYPE_CHECKING:
    # What a field really holds: code that reads `.value` or `.name` must first rule out an Unknown.
    Tolerant: TypeAlias = E | Unknown
else:
    # pydantic validates the enum itself; the wrap validator catches what it refuses.
    Tolerant = Annotated[E, _KEEP_UNKNOWN, _DUMP_UNKNOWN]
"""`Tolerant[VMStatus]`: the member for a known value, an `Unknown` string for any other (bounded) string."""


def tolerant_type(enum_cls: type[Enum]) -> Any:
    """`Tolerant[enum_cls]` for an enum class chosen at run time, which a type checker cannot subscript."""
    return Annotated[enum_cls, _KEEP_UNKNOWN, _DUMP_UNKNOWN]


# --- lists read item by item -----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemProblem:
    """One list item the client could not read: where it was, what it was called if that could be read, why."""

    model: str
    index: int
    item_id: str | None
    name: str | None
    errors: tuple[str, ...]

    def label(self) -> str:
        if self.name and self.item_id:
            return f"{self.name} ({self.item_id})"
        return self.name or self.item_id or f"item {self.index + 1}"

    def describe(self) -> str:
        return f"{self.label()}: " + "; ".join(self.errors)


class ItemList(list[T], Generic[T]):
    """A list of what could be read, with what could not (`refused`) and how many items the server sent."""

    refused: list[ItemProblem]
    # Why a paged walk stopped before the server's last page ("stopped after 20 of 10,000,000 pages"), or None.
    cut: str | None

    def __init__(self, items: Any = (), refused: list[ItemProblem] | None = None) -> None:
        super().__init__(items)
        self.refused = list(refused or [])
        self.cut = None

    @property
    def sent(self) -> int:
        return len(self) + len(self.refused)


def describe_errors(exc: ValidationError, limit: int = 5) -> tuple[str, ...]:
    """Field paths and pydantic's messages, sanitized; never the values (they may be anything)."""
    out: list[str] = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False)[:limit]:
        where = ".".join(str(part) for part in err.get("loc", ())) or "(item)"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        out.append(sanitize_line(f"{where}: {message}")[:200])
    extra = exc.error_count() - len(out)
    if extra > 0:
        out.append(f"and {extra} more")
    return tuple(out)


def _label_field(item: Any, key: str) -> str | None:
    if isinstance(item, dict):
        value = item.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return sanitize_line(str(value))[:80] or None
    return None


def problem_for(model_name: str, index: int, item: Any, exc: ValidationError) -> ItemProblem:
    return ItemProblem(model_name, index, _label_field(item, "id"), _label_field(item, "name"), describe_errors(exc))


@functools.cache
def _adapter(item_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(item_type)


def read_items(item_type: Any, raw_items: list[Any]) -> ItemList[Any]:
    """Validate each item on its own: the readable ones in order, the others as `ItemProblem`s."""
    adapter = _adapter(item_type)
    name = getattr(item_type, "__name__", "item")
    items: list[Any] = []
    refused: list[ItemProblem] = []
    for index, raw in enumerate(raw_items):
        try:
            items.append(adapter.validate_python(raw))
        except ValidationError as exc:
            refused.append(problem_for(name, index, raw, exc))
    return ItemList(items, refused)


# Items in one list from which it is validated with the cyclic collector paused.
_BULK_ITEMS = 1_000


@contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """Pause the cyclic GC while a long list becomes models.

    50,000 items are ~400,000 new objects; with a big heap already held, the
    collections they set off took 0.3-0.5 s of a 0.75 s validation. Models
    hold no reference cycles, so nothing collectable piles up meanwhile.
    """
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _ItemsFactory:
    def __getitem__(self, item_type: Any) -> Any:
        def per_item(value: Any, handler: Any) -> Any:
            with _collector_paused(isinstance(value, list) and len(value) >= _BULK_ITEMS):
                try:
                    return ItemList(handler(value))  # the fast path: the whole list at once
                except ValidationError:
                    if not isinstance(value, list):
                        raise
                return read_items(item_type, value)

        return Annotated[list[item_type], WrapValidator(per_item)]


if TYPE_CHECKING:
    ItemsOf: TypeAlias = ItemList[T]
else:
    # A factory, not an alias: the per-item fallback needs the item type itself to validate items one by one.
    ItemsOf = _ItemsFactory()
"""`ItemsOf[VolumeResponse]`: a list whose unreadable items are left out and listed on `.refused`."""


def refused_of(items: Any) -> list[ItemProblem]:
    return list(getattr(items, "refused", ()))


# --- bounded numbers ------------------------------------------------------------------------------


Money = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_non_negative)]
"""A price or cost: a JSON number or decimal string, finite, within bounds, not negative."""

SignedMoney = Annotated[Decimal, BeforeValidator(_to_decimal)]
"""A balance or total that may be negative (an overdrawn account)."""


def _whole(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value() or abs(value) > MAX_COUNT:
            raise ValueError("must be a whole number within range")
        return int(value)
    return value


Size = Annotated[int, Field(ge=0, le=MAX_SIZE_GB), BeforeValidator(_whole)]
"""A size in GB: whole, not negative, bounded."""

Count = Annotated[int, Field(ge=0, le=MAX_COUNT), BeforeValidator(_whole)]
"""A count (GPUs, items, tokens): whole, not negative, bounded."""


def _hours(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number of hours")
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value) > Decimal(MAX_HOURS):
            raise ValueError("is out of range")
        return float(value)
    return value


Hours = Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False), BeforeValidator(_hours)]
"""A duration in hours: finite, not negative, bounded."""


# --- JSON ------------------------------------------------------------------------------------------

