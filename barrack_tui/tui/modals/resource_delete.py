"""A destructive confirmation that performs the request itself and shows the server's refusal in place.

Used for deleting SSH keys, scripts (one or several), snapshots and images.
Cancel has the focus first. Confirm runs `perform()` in a worker with a
progress line; success dismisses with its result, an `ApiError` stays in the
modal as the server's own words (the user sees why, and nothing changed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.tui.modals.base import BarrackModal
from barrack_tui.tui.modals.field_text import show_line


class ConfirmDeleteModal(BarrackModal[Any]):
    """Dismisses with `perform()`'s result (or True when it returns None); None when cancelled."""

    def __init__(
        self,
        title: Text,
        lines: Sequence[Text],
        perform: Callable[[], Awaitable[Any]],
        *,
        confirm_label: str = "Delete",
        modal_id: str = "confirm-delete",
    ) -> None:
        super().__init__(id=modal_id)
        self._title = title
        self._lines = list(lines)
        self._perform = perform
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box danger"):
            yield Static(self._title, classes="modal-title")
            for line in self._lines:
                yield Static(line, classes="confirm-line")
            yield Static(id="confirm-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._confirm_label, id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-status", Static).display = False
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.query_one("#confirm", Button).disabled = True
        show_line(self.query_one("#confirm-status", Static), Text("Working…", style="italic"))
        self._run()

    @work(exclusive=True, group="confirm-delete", exit_on_error=False)
    async def _run(self) -> None:
        try:
            result = await self._perform()
        except ApiError as exc:
            show_line(self.query_one("#confirm-status", Static), Text(str(exc), style="bold red"))
            self.query_one("#confirm", Button).disabled = False
            return
        self.dismiss(True if result is None else result)
