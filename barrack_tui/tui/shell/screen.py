"""What every area screen shares: header, status line and key bar, store subscription, poll visibility, error routing.

The status line (tui/shell/area_status.py) speaks for the kinds the screen shows
(`area_kinds`): stale or failed polls, items the client could not read (one key,
`e`, lists them), lists cut short. When a kind's poll state changes (loaded,
failed, recovered) the screen redraws from the store, so its empty text never
says "No volumes yet" about a list it never read.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.plain_notify import PlainNotify
from barrack_tui.tui.kit.style_scope import add_area_class
from barrack_tui.tui.shell.area_status import UNREAD_ACTION, AreaStatus
from barrack_tui.tui.shell.header import AppHeader
from barrack_tui.tui.shell.key_bar import KeyBar
from barrack_tui.tui.shell.read_only import refused_binding
from barrack_tui.tui.shell.store import ChangeSet, PollHealthChanged, StoreChanged

if TYPE_CHECKING:
    from barrack_tui.tui.shell.app import RegionContextChanged


UNREAD_BINDING = bind("unreadable", UNREAD_ACTION, "Unreadable items", show=False, id="area.unread")


def _read_only_aware(check: Any) -> Any:
    """A screen's own check_action, with read-only mode greying (None) every mutation it would offer."""

    def check_action(self: Any, action: str, parameters: tuple[object, ...]) -> bool | None:
        verdict = check(self, action, parameters)
        if verdict and refused_binding(self, action, parameters):
            return None
        return verdict

    return check_action


class AreaScreen(PlainNotify, Screen[None]):
    """A mode's base screen. Subclasses compose `compose_body` and react in `store_changed`.

    Focus: every area starts with the focus on its main list, the thing its keys act on (Regions its region
    panels, Instances the fleet table, Volumes the first card, Firewalls, Keys and Snapshots their tables,
    AI Chat its conversation list), never in a text box: a letter typed on arrival is a command of the key
    bar, the same on every area, and the key that opens a box (`/`, `i`) says so. Coming back to an area
    keeps the focus where the user left it.
    """

    # Kinds the store polls while this screen is visible (instances and balance are always polled).
    POLL_KINDS: ClassVar[tuple[str, ...]] = ()
    # Kinds the status line speaks for; None: the polled ones (a screen of always-polled kinds names them).
    AREA_KINDS: ClassVar[tuple[str, ...] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # `E` lists the unreadable items on every area, added at the end of each screen's own bindings:
        # declared on this base, it would take the first place in the merged map and its hint would jump
        # to the front of a screen's key bar.
        declared = [
            binding
            for klass in cls.__mro__
            if issubclass(klass, DOMNode)
            for binding in klass.__dict__.get("BINDINGS", ())
            if isinstance(binding, Binding)
        ]
        if not any(b.action == UNREAD_ACTION for b in declared):
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", ()), UNREAD_BINDING]
        own = cls.__dict__.get("check_action")
        if own is not None:
            cls.check_action = _read_only_aware(own)  # type: ignore[method-assign]  # wrapped once, as the class is made
        super().__init_subclass__(**kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual marks a new screen's styles as stale (-1), and the first switch to its mode then re-parses
        # the whole stylesheet and restyles every screen (40-120 ms). Every style file is loaded at start
        # (BarrackApp.CSS_PATH) and this screen is styled from the current sheet when it mounts, so it is
        # current from birth. A theme change later still bumps the app's count and refreshes it as usual.
        # (Private to Textual 8.2.8, which is pinned; tests/tui/test_mode_switch.py fails if this stops working.)
        with suppress(NoActiveAppError):
            self._css_update_count = self.barrack._css_update_count
        add_area_class(self)
        self._suspended_since_mount = False
        self._health_seen: tuple[tuple[str, str | None], ...] = ()

    @property
    def area_kinds(self) -> tuple[str, ...]:
        return self.AREA_KINDS if self.AREA_KINDS is not None else self.POLL_KINDS

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Read-only mode: every binding that would change the account is shown greyed, from the start.
        return None if refused_binding(self, action, parameters) else True

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield from self.compose_body()
        yield AreaStatus(self.area_kinds)
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.barrack.store.subscribe(self)

    def on_unmount(self) -> None:
        self.barrack.store.unsubscribe(self)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls a subclass's handlers first). A screen shown
        # since it mounted has every widget styled from the current sheet already; the restyle of the
        # whole screen that a resume asks for by default (twice on a first visit: Textual posts two
        # resumes) was ~150 ms of the Volumes screen's ~350 ms first visit. A theme change restyles
        # every screen anyway, and after a suspend the restyle runs as usual.
        if not self._suspended_since_mount:
            event.refresh_styles = False
        self.barrack.store.set_visible(self.POLL_KINDS)
        self.refresh_from_store()

    def on_screen_suspend(self) -> None:
        self._suspended_since_mount = True

    def on_store_changed(self, message: StoreChanged) -> None:
        self.store_changed(message.change)
        self.query_one(AppHeader).update_header()

    def on_poll_health_changed(self, _: PollHealthChanged) -> None:
        self.query_one(AppHeader).update_header()
        self.query_one(AreaStatus).update_status()
        store = self.barrack.store
        seen = tuple((kind, f"{h.state} {h.category}") for kind in self.area_kinds for h in [store.kind_health(kind)])
        # A first read that came back empty changes no item (so no StoreChanged), and a failure none either:
        # the empty text ("Loading…", "Could not load…", "No … yet") follows the poll state from here.
        if seen != self._health_seen:
            self._health_seen = seen
            if self in self.barrack.screen_stack:
                self.refresh_from_store()

    def action_show_unreadable(self) -> None:
        from barrack_tui.tui.shell.unreadable_items import UnreadableItemsModal

        store = self.barrack.store
        self.barrack.push_screen(UnreadableItemsModal([(kind, store.kind_items(kind)) for kind in self.area_kinds]))

    def store_changed(self, change: ChangeSet) -> None:
        """Update widgets in place for the ids that changed."""

    def refresh_from_store(self) -> None:
        """Redraw from whatever the store holds (on first show and on return to this mode)."""

    def on_region_context_changed(self, _: RegionContextChanged) -> None:
        # Subclasses add their own handler for their filters; Textual calls both (one per class in the MRO).
        self.query_one(AppHeader).update_header()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.barrack.report_error(event.worker.error)
