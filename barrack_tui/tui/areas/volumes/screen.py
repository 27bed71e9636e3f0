"""The Volumes screen: region filter, statistics, a responsive grid of volume cards in pages of 6, the actions.

Six card slots are composed once and re-bound to the volumes of the current
page, so polls, paging and filtering update cards in place. The filtered,
ordered list and its statistics are computed once per change of the volumes
or the filter (`PagedList`), and the page bar offers at most `PAGE_BUTTONS`
numbers, so a redraw with 50,000 volumes costs what one with 50 does. A
card's buttons come from `rules.volumes.card_actions` with the attached
instance looked up in the instances store (so an instance reaching SHUTOFF
enables Detach on the next instances poll, with no volumes refresh). Keys act
on the focused card; each action opens its modal (tui/areas/volumes/*.py).
Space marks the focused card's volume (ctrl+a every volume the filter shows,
on every page); while any are marked, delete and detach act on the marked
volumes through one bulk confirmation, and Escape clears the marks first.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from barrack_tui.api.models import RegionEnum, VolumeResponse
from barrack_tui.rules.listing import PAGE_SIZE, VolumeStats, volume_stats
from barrack_tui.tui.areas.volumes.actions import VolumeActions
from barrack_tui.tui.areas.volumes.card import VolumeCard
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.list_columns import volume_query
from barrack_tui.tui.kit.list_controls import FilterBox, ListControls
from barrack_tui.tui.kit.marks import Listed, Marks
from barrack_tui.tui.kit.paged_list import PagedList
from barrack_tui.tui.shell.app import RegionContextChanged
from barrack_tui.tui.shell.area_status import load_state
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

ALL_REGIONS = "all"
# Terminal width from which the grid shows 3 (or 2) columns of cards.
THREE_COLUMNS_FROM = 108
TWO_COLUMNS_FROM = 64
HINT_FROM_HEIGHT = 32
# Page number buttons at most: more pages show the first, the last and a few around the current one.
PAGE_BUTTONS = 9


def page_window(page: int, pages: int, buttons: int = PAGE_BUTTONS) -> tuple[int | None, ...]:
    """The page numbers the bar offers (None marks a gap): all of them when they fit, else 1 … 4 5 6 7 8 … 8334."""
    if pages <= buttons:
        return tuple(range(1, pages + 1))
    inner = buttons - 2  # the slots between the first and the last page, centred on the current one
    start = min(max(page - inner // 2, 2), pages - inner)
    block: list[int | None] = list(range(start, start + inner))
    if block[0] != 2:
        block[0] = None
    if block[-1] != pages - 1:
        block[-1] = None
    return (1, *block, pages)


# (binding id, what it does) in the order of the hint line under the cards; keys come from key_for.
KEY_HINT: tuple[tuple[str, str], ...] = (
    ("volumes.attach", "attach"), ("volumes.detach", "detach"), ("volumes.delete", "delete"), ("volumes.clone", "clone"),
    ("volumes.resize", "resize"), ("volumes.create", "new"), ("volumes.details", "details"), ("volumes.filter", "filter"),
    ("volumes.sort", "sort"), ("volumes.region", "region"),
)


def key_hint(node: Any) -> str:
    page = f"{key_for(node, 'volumes.prev_page')} {key_for(node, 'volumes.next_page')} page"
    return " · ".join([*(f"{key_for(node, binding_id)} {words}" for binding_id, words in KEY_HINT), page])


def columns_for(width: int) -> int:
    return 3 if width >= THREE_COLUMNS_FROM else 2 if width >= TWO_COLUMNS_FROM else 1


class CardGrid(Grid):
    """The cards' grid: rows as tall as their tallest card, so buttons line up across a row."""

    def pre_layout(self, layout: Any) -> None:
        layout.stretch_height = True


class CardScroll(VerticalScroll, can_focus=False):
    """Scrolls the grid when cards are taller than the terminal; the cards, not this, take the focus."""


def stats_line(pairs: list[Text], width: int, *, wide: bool) -> Text:
    """The statistics on one line, or broken between (never inside) "label value" pairs when narrow."""
    separator = Text("  │  " if wide else "  ", style="dim")
    line, used = Text(), 0
    for pair in pairs:
        if used and 0 < width < used + separator.cell_len + pair.cell_len:
            line.append("\n")
            used = 0
        elif used:
            line.append_text(separator)
            used += separator.cell_len
        line.append_text(pair)
        used += pair.cell_len
    return line


class VolumesScreen(VolumeActions, ListControls, AreaScreen):
    CSS_PATH = "volumes.tcss"
    AUTO_FOCUS = "VolumeCard"
    POLL_KINDS = ("volumes", "regions")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("attach", "attach", "Attach", id="volumes.attach"),
        bind("detach", "detach", "Detach", id="volumes.detach"),
        bind("delete", "delete", "Delete", id="volumes.delete"),
        Binding("k", "clone", "Clone", id="volumes.clone"),
        bind("rename/resize", "resize", "Resize", id="volumes.resize"),
        bind("new", "create", "New volume", id="volumes.create"),
        bind("details", "details", "Details", id="volumes.details"),
        bind("filter", "filter", "Filter", show=False, id="volumes.filter"),
        bind("sort", "sort_next", "Sort", show=False, id="volumes.sort"),
        bind("reverse sort", "sort_reverse", "Reverse sort", show=False, id="volumes.sort_reverse"),
        bind("back", "filter_escape", "Clear marks, then filter", show=False, id="volumes.clear_filter"),
        bind("mark", "toggle_mark", "Mark", show=False, id="volumes.mark"),
        bind("mark all", "mark_all", "Mark all shown", show=False, id="volumes.mark_all"),
        bind("region", "focus_region", "Region", id="volumes.region"),
        bind("previous page", "page(-1)", "Prev page", show=False, id="volumes.prev_page"),
        bind("next page", "page(1)", "Next page", show=False, id="volumes.next_page"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.region_filter: str | None = None
        self.query_state = volume_query()
        self.listing: PagedList[VolumeResponse] = PagedList(
            lambda: self.barrack.store.volumes,
            order=self.query_state.order,
            keep=lambda v: (self.region_filter is None or str(v.region) == self.region_filter) and self.query_state.keep(v),
        )
        self._stats: tuple[list[VolumeResponse], VolumeStats] | None = None
        self.marks = Marks()
        self._focused_volume_id: str | None = None
        self._pages_shown: tuple[int | None, ...] = ()

    # --- layout -----------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        region = getattr(self.app, "region", None)
        self.region_filter = region
        options = [(Text("All regions"), ALL_REGIONS)] + [(Text(r.value), r.value) for r in RegionEnum]
        with Horizontal(id="volumes-toolbar"):
            yield Static(Text("Volumes"), classes="screen-title", id="volumes-title")
            yield Label("Region ", id="volumes-region-label")
            yield Select(options, value=region or ALL_REGIONS, allow_blank=False, compact=True, id="volumes-region")
        yield Static(id="volumes-stats")
        yield FilterBox("filter: words, status:AVAILABLE, region:US-1, type:… — Enter keeps, Escape reverts")
        with CardScroll(id="volumes-scroll"):
            with CardGrid(id="volumes-grid"):
                for slot in range(PAGE_SIZE):
                    yield VolumeCard(id=f"volume-card-{slot}")
            yield Static(id="volumes-empty", classes="muted")
        # The compact form's one line: why the focused card's greyed buttons are greyed.
        yield Static(id="volumes-reason")
        with Horizontal(id="volumes-pages"):
            yield Button("‹ Prev", id="volumes-page-prev", compact=True)
            yield Horizontal(id="volumes-page-numbers")
            yield Button("Next ›", id="volumes-page-next", compact=True)
            yield Static(id="volumes-page-label", classes="muted")
        yield Static(Text(key_hint(self)), id="volumes-hint", classes="hint")

    def on_mount(self) -> None:
        for button in self.query("#volumes-pages Button"):
            button.can_focus = False  # [ and ] page from the keyboard
        self._sync()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(CardGrid).styles.grid_size_columns = columns_for(event.size.width)
        # Short terminals keep their rows for cards; the footer still lists the keys.
        self.query_one("#volumes-hint").display = event.size.height >= HINT_FROM_HEIGHT
        # Compact cards (no reason lines, no border) on short or narrow terminals: 4 or more in 80x24.
        self.set_class(event.size.height < HINT_FROM_HEIGHT or event.size.width < TWO_COLUMNS_FROM, "-compact")
        self._sync()
        self._show_reason()

    @property
    def cards(self) -> list[VolumeCard]:
        return list(self.query(VolumeCard))

    # --- data -> cards ----------------------------------------------------------------------------

    def filtered_volumes(self) -> list[VolumeResponse]:
        return self.listing.items

    def _set_filter(self, region: str | None) -> None:
        self.region_filter = region
        self.listing.invalidate()

    def refresh_from_store(self) -> None:
        self._sync()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "volumes":
            self.marks.keep_only(self.barrack.store.volumes)
            self.listing.invalidate()
            self._sync()
        elif change.kind in ("instances", "balance"):
            # Each card redraws only if its volume, instance or the currency really changed.
            self._bind_cards(list(self.listing.shown()))

    def _bind_cards(self, on_page: list[VolumeResponse]) -> None:
        store = self.barrack.store
        currency = store.currency
        for slot, card in enumerate(self.cards):
            volume = on_page[slot] if slot < len(on_page) else None
            # V4: an instance the store does not have is passed as None.
            instance = store.instances.get(volume.instance_id) if volume and volume.instance_id else None
            card.show(volume, instance, currency, marked=volume is not None and volume.id in self.marks)
        self._show_reason()

    def _sync(self) -> None:
        """Statistics, page bar and the cards of the current page, from the store."""
        store = self.barrack.store
        on_page = list(self.listing.shown())
        volumes, pages = self.listing.items, self.listing.pages
        if self._stats is None or self._stats[0] is not volumes:  # a walk over every volume: once per change
            self._stats = (volumes, volume_stats(volumes))
        stats = self._stats[1]
        pairs = [
            Text.assemble(f"{label} ", (value, "bold"))
            for label, value in (
                ("Total Volumes", f"{stats.total_volumes:,}"),
                ("Total Storage (GB)", f"{stats.total_storage_gb:,}"),
                ("Attached Volumes", f"{stats.attached_volumes:,}"),
                ("Bootable Volumes", f"{stats.bootable_volumes:,}"),
            )
        ]
        if self.query_state.column or self.query_state.text.strip():
            pairs.append(Text(self.query_state.describe(), style="dim"))
        if self.marks:
            pairs.append(self.marks.count_text(Listed(self.listing))
                         + Text(f" ({key_for(self, 'volumes.clear_filter')} clears)", style="dim"))
        line = stats_line(pairs, self.size.width - 2, wide=self.size.width >= THREE_COLUMNS_FROM)
        self.query_one("#volumes-stats", Static).update(line)
        self._bind_cards(on_page)
        empty = self.query_one("#volumes-empty", Static)
        empty.display = not volumes
        where = "match the filter" if self.query_state.active else f"in {self.region_filter}" if self.region_filter else "yet"
        advice = f"Press {key_for(self, 'volumes.create')} to create one."
        empty.update(load_state(store, "volumes") or Text(f"No volumes {where}. {advice}"))
        self._sync_pages(len(volumes), pages)
        self._restore_focus()

    def _sync_pages(self, total: int, pages: int) -> None:
        bar = self.query_one("#volumes-pages")
        bar.display = total > PAGE_SIZE  # the page bar exists only when there is more than one page
        numbers = self.query_one("#volumes-page-numbers")
        window = page_window(self.page, pages)
        if window != self._pages_shown:
            self._pages_shown = window
            numbers.remove_children()
            numbers.mount_all(
                Button(str(n), name=str(n), compact=True, classes="page-number")
                if n is not None
                else Label("…", classes="page-gap")
                for n in window
            )
            self.call_after_refresh(self._style_page_numbers)
        self._style_page_numbers()
        self.query_one("#volumes-page-prev", Button).disabled = self.page <= 1
        self.query_one("#volumes-page-next", Button).disabled = self.page >= pages
        self.query_one("#volumes-page-label", Static).update(Text(f"Page {self.page:,} of {pages:,}"))

    def _style_page_numbers(self) -> None:
        for button in self.query(".page-number").results(Button):
            button.can_focus = False
            button.variant = "primary" if button.name == str(self.page) else "default"

    def _restore_focus(self) -> None:
        """Keep the focus on the same volume when it is still on this page (or on the card in its slot)."""
        focused = self.focused
        if focused is not None and not isinstance(focused, VolumeCard):
            return
        visible = [card for card in self.cards if card.volume is not None]
        if not visible:
            return
        same = next((card for card in visible if card.volume_id == self._focused_volume_id), None)
        target = same or (focused if isinstance(focused, VolumeCard) and focused.volume is not None else visible[0])
        if target is not focused:
            target.focus(scroll_visible=True)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, VolumeCard) and event.widget.volume_id:
            self._focused_volume_id = event.widget.volume_id
        self._show_reason()

    def _show_reason(self) -> None:
        focused = self.focused
        line = focused.reasons_line() if isinstance(focused, VolumeCard) else Text()
        reason = self.query_one("#volumes-reason", Static)
        reason.set_class(not line, "-empty")
        reason.update(line)

    # --- marks -------------------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        card = self.focused_card()
        if card is None or card.volume_id is None:
            return
        self.marks.toggle(card.volume_id)
        self._sync()
        # On to the next card, so a run of cards is marked by holding the key.
        self.on_volume_card_move_requested(VolumeCard.MoveRequested(card, "right"))

    def action_mark_all(self) -> None:
        self.marks.mark_all(v.id for v in self.listing.items)
        self._sync()

    def action_filter_escape(self) -> None:
        if self.marks and not self.filter_box.is_open:
            # Marks first: they are the newer, shorter-lived choice, and a filter often made them.
            self.marks.clear()
            self._sync()
            return
        super().action_filter_escape()

    def marked_volumes(self) -> list[VolumeResponse]:
        volumes = self.barrack.store.volumes
        return [volumes[i] for i in self.marks if i in volumes]

    def action_unmark_all(self) -> None:
        self.clear_marks()

    def clear_marks(self, ids: Any = None) -> None:
        if ids is None:
            self.marks.clear()
        else:
            self.marks.discard(ids)
        self._sync()

    # --- filter and pages -------------------------------------------------------------------------

    def list_changed(self) -> None:
        self._sync()

    def focus_list(self) -> None:
        self._restore_focus_any()

    def _restore_focus_any(self) -> None:
        visible = [card for card in self.cards if card.volume is not None]
        if visible:
            same = next((card for card in visible if card.volume_id == self._focused_volume_id), visible[0])
            same.focus(scroll_visible=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "volumes-region":
            return
        event.stop()
        region = None if event.value == ALL_REGIONS else str(event.value)
        if region != self.region_filter:
            self._set_filter(region)
            self.page = 1
            self._sync()

    def on_region_context_changed(self, message: RegionContextChanged) -> None:
        self.query_one("#volumes-region", Select).value = message.region or ALL_REGIONS

    def action_focus_region(self) -> None:
        self.query_one("#volumes-region", Select).focus()

    def action_page(self, delta: int, focus: str = "first") -> None:
        target = min(max(self.page + delta, 1), self.listing.pages)
        if target != self.page:
            self.go_to_page(target, focus=focus)

    def go_to_page(self, page: int, *, focus: str = "first", volume_id: str | None = None) -> None:
        self.page = page
        self._focused_volume_id = volume_id
        self._sync()
        visible = [card for card in self.cards if card.volume is not None]
        if not visible:
            return
        chosen = next((card for card in visible if card.volume_id == volume_id), None)
        (chosen or (visible[-1] if focus == "last" else visible[0])).focus(scroll_visible=True)

    def show_volume(self, volume: VolumeResponse) -> None:
        """Bring `volume`'s card into view (switching the filter if it hides it) and focus it."""
        if self.region_filter is not None and str(volume.region) != self.region_filter:
            self.query_one("#volumes-region", Select).value = str(volume.region)
            self._set_filter(str(volume.region))
        index = self.listing.index_of(volume.id)
        if index is not None:
            self.go_to_page(index // PAGE_SIZE + 1, volume_id=volume.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if button.id == "volumes-page-prev":
            self.action_page(-1)
        elif button.id == "volumes-page-next":
            self.action_page(1)
        elif button.has_class("page-number") and button.name:
            self.go_to_page(int(button.name))

    def on_volume_card_move_requested(self, message: VolumeCard.MoveRequested) -> None:
        visible = [card for card in self.cards if card.volume is not None]
        if message.card not in visible:
            return
        index, count = visible.index(message.card), len(visible)
        columns = self.query_one(CardGrid).styles.grid_size_columns or 1
        last_row = (count - 1) // columns
        target: int | None = None
        if message.direction == "right":
            target = index + 1 if index + 1 < count else None
            if target is None:
                self.action_page(1, focus="first")
        elif message.direction == "left":
            target = index - 1 if index > 0 else None
            if target is None:
                self.action_page(-1, focus="last")
        elif message.direction == "down" and index // columns < last_row:
            target = min(index + columns, count - 1)
        elif message.direction == "up" and index >= columns:
            target = index - columns
        elif message.direction in ("pageup", "pagedown"):
            self.action_page(-1 if message.direction == "pageup" else 1)
        if target is not None:
            visible[target].focus(scroll_visible=True)
