"""What every area screen shares: header and footer, store subscription, poll visibility, error routing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from barrack_tui.tui.store import ChangeSet, PollHealthChanged, StoreChanged
from barrack_tui.tui.widgets.header import AppHeader


class AreaScreen(Screen[None]):
    """A mode's base screen. Subclasses compose `compose_body` and react in `store_changed`."""

    # Kinds the store polls while this screen is visible (instances and balance are always polled).
    POLL_KINDS: ClassVar[tuple[str, ...]] = ()

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.app.store.subscribe(self)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        self.app.store.unsubscribe(self)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        self.app.store.set_visible(self.POLL_KINDS)  # type: ignore[attr-defined]
        self.refresh_from_store()

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
