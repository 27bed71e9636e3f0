"""Marks on a list: the items a user picked for one action on many, and how a list shows them.

A list keeps one `Marks`. A mark belongs to an item, not to a row: it follows
the item through re-sorts, filters and pages, and goes when the item leaves
the store (deleted, gone from the account), so an action on marks never names
something that is no longer there. A filter does not unmark: the count says
how many marked items the filter hides, and the bulk confirmation names every
target before anything is sent.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from barrack_tui.tui.kit.paged_list import PagedList

# One cell wide, so a marked row keeps its columns where they were (it replaces the row's left padding).
MARK = "●"
MARK_STYLE = Style(color="yellow", bold=True)


class Marks:
    """The marked ids of one list, in the order they were marked."""

    def __init__(self) -> None:
        self._ids: dict[str, None] = {}

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids))

    def toggle(self, item_id: str) -> bool:
        """Mark `item_id`, or unmark it when it was marked; whether it is marked now."""
        if item_id in self._ids:
            del self._ids[item_id]
            return False
        self._ids[item_id] = None
        return True

    def mark_all(self, ids: Iterable[str]) -> bool:
        """Mark every id given; when all of them were marked already, unmark them (one key both ways).

        Returns whether they are marked now. Marks outside `ids` (hidden by a filter) stay as they are.
        """
        wanted = list(ids)
        if wanted and all(item_id in self._ids for item_id in wanted):
            for item_id in wanted:
                self._ids.pop(item_id, None)
            return False
        for item_id in wanted:
            self._ids[item_id] = None
        return bool(wanted)

    def clear(self) -> int:
        """Unmark everything; how many were marked."""
        count = len(self._ids)
        self._ids.clear()
        return count

    def discard(self, ids: Iterable[str]) -> None:
        for item_id in ids:
            self._ids.pop(item_id, None)

    def keep_only(self, present: Container[str]) -> bool:
        """Drop the marks of items no longer present; whether any went."""
        gone = [item_id for item_id in self._ids if item_id not in present]
        self.discard(gone)
        return bool(gone)

    def count_text(self, shown: Container[str] | None = None) -> Text:
        """"3 marked", and how many of them the filter hides ("3 marked, 1 hidden by the filter"); empty when none."""
        if not self._ids:
            return Text()
        text = Text(f"{len(self._ids):,} marked", style=MARK_STYLE)
        if shown is not None:
            hidden = sum(1 for item_id in self._ids if item_id not in shown)
            if hidden:
                text.append(f", {hidden:,} hidden by the filter", style="yellow")
        return text


class Listed:
    """The ids a `PagedList` lists now, as a container (its own id index, not a set built per redraw)."""

    def __init__(self, listing: PagedList[Any]) -> None:
        self.listing = listing

    def __contains__(self, item_id: object) -> bool:
        return isinstance(item_id, str) and self.listing.index_of(item_id) is not None


def marked_cell(cell: Text, marked: bool) -> Text:
    """A table's first cell with the mark in front when marked; unmarked it is the cell itself, so rows read as before."""
    if not marked:
        return cell
    return Text.assemble((f"{MARK} ", MARK_STYLE), cell, no_wrap=True, overflow="ellipsis")
