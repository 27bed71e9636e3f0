"""The Instances screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from barrack_tui.tui.screens.base import AreaScreen
from barrack_tui.tui.store import ChangeSet


class InstancesScreen(AreaScreen):
    POLL_KINDS = ()

    def compose_body(self) -> ComposeResult:
        yield Static(Text('Instances'), classes="screen-title")
        yield Static(id="summary")

    def store_changed(self, change: ChangeSet) -> None:
        self.refresh_from_store()

    def refresh_from_store(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        counts = ", ".join(f"{kind}: {len(getattr(store, kind))}" for kind in ("instances",) + self.POLL_KINDS if isinstance(getattr(store, kind), (dict, list)))
        self.query_one("#summary", Static).update(Text(counts))
