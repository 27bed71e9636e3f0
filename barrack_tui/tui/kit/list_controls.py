"""`/` filter and `o`/`O` sort for the paged lists (Volumes, Firewalls, Snapshots/Images, SSH keys, scripts).

A screen mixes `ListControls` in, yields `FilterBox()` where the box goes,
and says which `ListQuery` and `PagedList` are current (`current_query`,
`current_listing`: the active tab's on a tabbed screen) and how to redraw
(`list_changed`). The `PagedList` reads the query through its `keep` and
`order` hooks, so a keystroke in the box costs one filter-and-sort pass, not
one per redraw. Enter keeps the filter, Escape puts back the one from before
the box opened (and, with the box closed, clears it); what the filter could
not use is shown under the box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from barrack_tui.tui.kit.list_query import ListQuery
from barrack_tui.tui.kit.paged_list import PagedList

if TYPE_CHECKING:  # the type checker sees the screen this is mixed into; at run time it is only a mixin
    from textual.screen import Screen

    _MixedInto = Screen[Any]
else:
    _MixedInto = object


class FilterBox(Vertical):
    """The `/` box and the line under it that names the keys it did not understand."""

    DEFAULT_CSS = """
    FilterBox { height: auto; display: none; }
    FilterBox > #list-filter-problems { color: $warning; height: auto; }
    """
    is_open = False

    def __init__(self, placeholder: str = "filter: words, key:value — Enter keeps, Escape reverts") -> None:
        super().__init__(id="list-filter-box")
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, id="list-filter", compact=True)
        yield Static(id="list-filter-problems")

    @property
    def input(self) -> Input:
        return self.query_one("#list-filter", Input)

    def show_problems(self, problems: tuple[str, ...]) -> None:
        line = self.query_one("#list-filter-problems", Static)
        line.update(Text("; ".join(problems)))
        line.display = bool(problems)


class ListControls(_MixedInto):
    """Mixed into a list Screen; see the module docstring for what the screen provides."""

    _filter_before: str = ""
    # A screen with one list keeps it under these names and needs neither hook below; a screen with
    # tabs (one list each) overrides both to answer for the tab in view.
    query_state: ListQuery[Any]
    listing: PagedList[Any]

    def current_query(self) -> ListQuery[Any]:
        return self.query_state

    def current_listing(self) -> PagedList[Any]:
        return self.listing

    def list_changed(self) -> None:
        """Redraw the list (its page, summary and hints) after the filter or the order changed."""

    def focus_list(self) -> None:
        """Give the focus back to the list when the box closes."""

    @property
    def page(self) -> int:
        """The page of the current list on screen (1-based)."""
        return self.current_listing().page

    @page.setter
    def page(self, value: int) -> None:
        self.current_listing().page = value

    @property
    def filter_box(self) -> FilterBox:
        return self.query_one(FilterBox)

    def _apply(self) -> None:
        listing = self.current_listing()
        listing.reverse = self.current_query().reverse
        listing.invalidate()
        listing.page = 1
        self.filter_box.show_problems(self.current_query().problems)
        self.list_changed()

    def action_filter(self) -> None:
        box = self.filter_box
        query = self.current_query()
        self._filter_before = query.text
        box.is_open = True
        box.input.value = query.text
        box.display = box.input.display = True
        box.show_problems(query.problems)
        box.input.focus()

    # Handlers by name, not `@on`: Textual collects decorated handlers only from DOM classes, not mixins.
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "list-filter":
            return
        event.stop()
        if self.filter_box.is_open:
            self.current_query().set_text(event.value)
            self._apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "list-filter":
            return
        event.stop()
        self._close_box()

    def _close_box(self) -> None:
        box = self.filter_box
        box.is_open = False
        box.input.display = False
        # What the kept filter could not use stays said under the list: it is filtered by the rest only.
        box.display = bool(self.current_query().problems)
        self.focus_list()

    def action_filter_escape(self) -> None:
        query = self.current_query()
        if self.filter_box.is_open:
            query.set_text(self._filter_before)
        elif query.text:
            query.set_text("")
        else:
            return
        self._apply()
        self._close_box()

    def action_sort_next(self) -> None:
        self.current_query().cycle()
        self._apply()

    def action_sort_reverse(self) -> None:
        self.current_query().flip()
        self._apply()

    def order_words(self) -> str:
        """` · sort Name ▲ · filter gpu`, for the list's summary line."""
        return f" · {self.current_query().describe()}"
