"""What `/` and `o`/`O` do to a list other than the fleet: filter terms, the sort column, and what was not understood.

A filter is words (every one must appear in the item's text) and `key:value`
terms for the keys the list names (`status:AVAILABLE region:US-1`; several
values of one key, comma-separated, match any). A term whose key the list does
not have (`colour:red`) is not silently treated as a word: it is listed in
`problems` ("unknown filter key colour: use status:, region:"), which the
screen shows under the box. No widgets here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
# A filter key is a word before a colon; `fe80::1` or `10.0.0.1:22` are words to look for, not keys.
_KEY = re.compile(r"^[a-z_]+$")


@dataclass(frozen=True)
class Column(Generic[T]):
    key: str
    title: str
    sort_key: Callable[[T], Any]
    # How a `key:value` term reads this column (upper-cased values compare); None: not a filter key.
    value: Callable[[T], str] | None = None


@dataclass
class ListQuery(Generic[T]):
    """The filter text, parsed, and the sort column of one list."""

    columns: Sequence[Column[T]]
    haystack: Callable[[T], str]
    text: str = ""
    column: int = 0
    reverse: bool = False
    words: tuple[str, ...] = ()
    terms: dict[str, frozenset[str]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def filter_keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns if column.value is not None)

    def set_text(self, text: str) -> None:
        words: list[str] = []
        terms: dict[str, set[str]] = {}
        problems: list[str] = []
        keys = self.filter_keys
        for token in text.split():
            key, colon, value = token.partition(":")
            key = key.lower()
            if colon and key in keys:
                values = {v.upper() for v in value.split(",") if v}
                if values:
                    terms.setdefault(key, set()).update(values)
                else:
                    problems.append(f"{key}: needs a value")
            elif colon and _KEY.match(key):
                problems.append(f"unknown filter key {key}: use {', '.join(f'{k}:' for k in keys)}")
            else:
                words.append(token.casefold())
        self.text = text
        self.words = tuple(words)
        self.terms = {key: frozenset(values) for key, values in terms.items()}
        self.problems = tuple(problems)

    @property
    def active(self) -> bool:
        return bool(self.words or self.terms)

    def keep(self, item: T) -> bool:
        for key, values in self.terms.items():
            column = next(c for c in self.columns if c.key == key)
            if column.value is not None and column.value(item).upper() not in values:
                return False
        if self.words:
            haystack = self.haystack(item).casefold()
            return all(word in haystack for word in self.words)
        return True

    def order(self, item: T) -> Any:
        return self.columns[self.column].sort_key(item)

    def cycle(self) -> str:
        """`o`: the next column, ascending; its title."""
        self.column = (self.column + 1) % len(self.columns)
        self.reverse = False
        return self.columns[self.column].title

    def flip(self) -> bool:
        """`O`: the same column, the other way."""
        self.reverse = not self.reverse
        return self.reverse

    def describe(self) -> str:
        """`sort Name ▲`, and the filter when there is one: what the list's summary line adds."""
        words = f"sort {self.columns[self.column].title} {'▼' if self.reverse else '▲'}"
        return f"{words} · filter {self.text}" if self.text.strip() else words
