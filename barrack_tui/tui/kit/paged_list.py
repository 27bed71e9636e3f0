"""One area's list as the user pages through it: filtered and sorted once per change of its data, cut into pages.

Screens used to filter and sort a whole kind on every redraw, and some on
every key-bar refresh (`check_action` asks how many pages there are). At
50,000 items one sort is ~50 ms, so a `PagedList` keeps the ordered list
until the screen says its data or its filter changed (`invalidate`), and
only the current page is ever turned into rows or cards. No widgets here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from barrack_tui.rules.listing import PAGE_SIZE, page_count, page_items

T = TypeVar("T")


class PagedList(Generic[T]):
    """Items of `source()` that `keep`, ordered by `order`, in pages of `page_size`; `page` is 1-based."""

    def __init__(
        self,
        source: Callable[[], Mapping[str, T]],
        *,
        order: Callable[[T], Any],
        keep: Callable[[T], bool] | None = None,
        reverse: bool = False,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._source = source
        self._order = order
        self._keep = keep
        # Public: a screen's sort key (`o`/`O`) flips it, then calls `invalidate`.
        self.reverse = reverse
        self.page_size = page_size
        self.page = 1
        self._items: list[T] | None = None
        self._counted = -1
        self._position: dict[str, int] | None = None

    def invalidate(self) -> None:
        """The data or the filter changed: order again on the next read."""
        self._items = None
        self._position = None

    @property
    def items(self) -> list[T]:
        source = self._source()
        # The length check catches a change nobody announced (cheap, and never wrong to redo).
        if self._items is None or len(source) != self._counted:
            chosen = source.values() if self._keep is None else [item for item in source.values() if self._keep(item)]
            self._items = sorted(chosen, key=self._order, reverse=self.reverse)
            self._counted = len(source)
            self._position = None
        return self._items

    def __len__(self) -> int:
        return len(self.items)

    @property
    def pages(self) -> int:
        return page_count(len(self.items), self.page_size)

    def shown(self) -> Sequence[T]:
        """The current page's items (the page is first clamped to the pages there are)."""
        self.page = min(max(self.page, 1), self.pages)
        return page_items(self.items, self.page, self.page_size)

    def turn(self, step: int) -> bool:
        """Move `step` pages (clamped); whether the page changed."""
        target = min(max(self.page + step, 1), self.pages)
        moved = target != self.page
        self.page = target
        return moved

    def index_of(self, item_id: str) -> int | None:
        items: list[Any] = self.items  # first: it may find the data changed and drop the positions
        if self._position is None:
            self._position = {item.id: index for index, item in enumerate(items)}
        return self._position.get(item_id)

    def go_to(self, item_id: str) -> bool:
        """Turn to the page holding `item_id`; False when it is not listed (filtered out or gone)."""
        index = self.index_of(item_id)
        if index is None:
            return False
        self.page = index // self.page_size + 1
        return True

    def page_words(self, keys: str = "[ and ] change page") -> str:
        """` · page 2 of 8,334 ([ and ] change page)`, or '' when everything fits on one page."""
        pages = self.pages
        if pages <= 1:
            return ""
        return f" · page {min(max(self.page, 1), pages):,} of {pages:,} ({keys})"
