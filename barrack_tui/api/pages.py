"""How far a list walk may go: a server that claims ten million pages costs a few requests, not thousands.

Bounded three ways (pages, items, seconds); when a bound stops the walk, `cut`
says so in words the area's status line can show as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Items asked for per page of a list. A server may give fewer (it says so in the pagination block).
DEFAULT_PER_PAGE = 10_000
MAX_PAGES = 20
MAX_ITEMS = 200_000
MAX_SECONDS = 60.0


@dataclass
class PageBudget:
    now: Callable[[], float]
    max_pages: int = MAX_PAGES
    max_items: int = MAX_ITEMS
    max_seconds: float = MAX_SECONDS
    cut: str | None = None
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.now()

    def stop_after(self, page: int, items: int, pagination: Any) -> str | None:
        """Called after each page that has a next one; the reason to stop now, or None to go on."""
        claimed = _bounded(getattr(pagination, "total_pages", 0))
        total = _bounded(getattr(pagination, "total", 0))
        of_total = f" of {total:,}" if total > items else ""
        if page >= self.max_pages:
            self.cut = f"showing the first {items:,}{of_total}: stopped after {page} of {claimed:,} pages"
        elif items >= self.max_items:
            self.cut = f"showing the first {items:,}{of_total}: the list is longer than this app reads"
        elif self.now() - self.started >= self.max_seconds:
            self.cut = f"showing the first {items:,}{of_total}: the server took over {self.max_seconds:g} s to list"
        return self.cut


def _bounded(value: Any) -> int:
    return value if isinstance(value, int) and 0 <= value < 10**12 else 0
