"""Base of confirmations and forms: Escape cancels, worker failures reach the app's one handler."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.worker import Worker, WorkerState

from barrack_tui.tui.plain_notify import PlainNotify
from barrack_tui.tui.style_scope import add_area_class

T = TypeVar("T")


class BarrackModal(PlainNotify, ModalScreen[T]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="modal.cancel")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_area_class(self)  # its area's styles are nested under this class (tui/style_scope.py)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)  # type: ignore[attr-defined]
