"""What every area screen shares: header and key bar, store subscription, poll visibility, error routing."""

from __future__ import annotations

from contextlib import suppress
from typing import Any, ClassVar

from textual import events
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from barrack_tui.tui.plain_notify import PlainNotify
from barrack_tui.tui.store import ChangeSet, PollHealthChanged, StoreChanged
from barrack_tui.tui.style_scope import add_area_class
from barrack_tui.tui.widgets.header import AppHeader
from barrack_tui.tui.widgets.key_bar import KeyBar


class AreaScreen(PlainNotify, Screen[None]):
    """A mode's base screen. Subclasses compose `compose_body` and react in `store_changed`."""

    # Kinds the store polls while this screen is visible (instances and balance are always polled).
    POLL_KINDS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual marks a new screen's styles as stale (-1), and the first switch to its mode then re-parses
        # the whole stylesheet and restyles every screen (40-120 ms). Every style file is loaded at start
        # (BarrackApp.CSS_PATH) and this screen is styled from the current sheet when it mounts, so it is
        # current from birth. A theme change later still bumps the app's count and refreshes it as usual.
        # (Private to Textual 8.2.8, which is pinned; tests/tui/test_mode_switch.py fails if this stops working.)
        with suppress(NoActiveAppError):
            self._css_update_count = self.app._css_update_count
        add_area_class(self)
        self._suspended_since_mount = False

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.app.store.subscribe(self)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        self.app.store.unsubscribe(self)  # type: ignore[attr-defined]

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls a subclass's handlers first). A screen shown
        # since it mounted has every widget styled from the current sheet already; the restyle of the
        # whole screen that a resume asks for by default (twice on a first visit: Textual posts two
        # resumes) was ~150 ms of the Volumes screen's ~350 ms first visit. A theme change restyles
        # every screen anyway, and after a suspend the restyle runs as usual.
        if not self._suspended_since_mount:
            event.refresh_styles = False
        self.app.store.set_visible(self.POLL_KINDS)  # type: ignore[attr-defined]
        self.refresh_from_store()

    def on_screen_suspend(self) -> None:
        self._suspended_since_mount = True

    def on_store_changed(self, message: StoreChanged) -> None:
        self.store_changed(message.change)
        self.query_one(AppHeader).update_header()

    def on_poll_health_changed(self, _: PollHealthChanged) -> None:
        self.query_one(AppHeader).update_header()

    def store_changed(self, change: ChangeSet) -> None:
        """Update widgets in place for the ids that changed."""

    def refresh_from_store(self) -> None:
        """Redraw from whatever the store holds (on first show and on return to this mode)."""

    def on_region_context_changed(self, _: Message) -> None:
        # Subclasses add their own handler for their filters; Textual calls both (one per class in the MRO).
        self.query_one(AppHeader).update_header()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)  # type: ignore[attr-defined]
