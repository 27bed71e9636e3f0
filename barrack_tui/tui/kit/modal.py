"""Base of confirmations and forms: Escape cancels, worker failures reach the app's one handler.

A form names itself in `FORM` ("the new volume form"). Escape on a form then
closes it at once only while it is untouched; with changes it asks first
(`DiscardChangesModal` in kit/discard.py: Enter discards, Esc keeps editing). "Changes" means a
field's value differs from what it held when the form opened: the values of
its inputs, editors, selects, switches and selection lists are recorded once
mounted, so each form gets the check without code of its own. A form that
fills a field itself later (a server limit arriving) calls `keep_as_initial`;
a form whose state lives elsewhere overrides `has_changes`. In a multi-line
editor the first Escape only leaves the editor (Escape is how the keyboard
gets out of a box that takes Enter and Tab), the second one asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Switch, TextArea
from textual.worker import Worker, WorkerState

from barrack_tui.tui.kit.plain_notify import PlainNotify
from barrack_tui.tui.kit.style_scope import add_area_class

T = TypeVar("T")

# The kinds of field whose value is something the user typed or chose.
_FIELD_TYPES = (Input, TextArea, Select, Switch, Checkbox, SelectionList)


def if_answered(then: Callable[[], object]) -> Callable[[object], None]:
    """A `push_screen` callback that calls `then` when the modal closed with an answer (yes, a new item), not on cancel.

    What `then` returns is dropped: often the worker it started, which runs on by itself.
    """

    def answered(result: object) -> None:
        if result:
            then()

    return answered


def field_value(widget: Widget) -> object:
    """What a field holds now, comparable with what it held before."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, SelectionList):
        return tuple(widget.selected)
    return getattr(widget, "value", None)


class BarrackModal(PlainNotify, ModalScreen[T]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="modal.cancel")]
    # What the discard question calls this form ("the new volume form"); empty: not a form, Escape just closes.
    FORM: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_area_class(self)  # its area's styles are nested under this class (tui/kit/style_scope.py)
        self._initial_fields: dict[Widget, object] = {}

    def _on_mount(self, event: events.Mount) -> None:
        # Textual runs a class's own handler after its subclasses' `on_mount`, so the defaults those set count
        # as the form's starting point, not as a change.
        if self.FORM:
            self._initial_fields = {widget: field_value(widget) for widget in self.query("*") if isinstance(widget, _FIELD_TYPES)}

    # --- changes ------------------------------------------------------------------------------------

    def keep_as_initial(self, widget: Widget) -> None:
        """The form itself changed `widget` (not the user): its new value is the starting point."""
        if widget in self._initial_fields:
            self._initial_fields[widget] = field_value(widget)

    def has_changes(self) -> bool:
        """Whether the user changed anything since the form opened (cheap: one look at each field)."""
        return any(widget.is_attached and field_value(widget) != value for widget, value in self._initial_fields.items())

    # --- leaving ------------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.FORM:
            focused = self.focused
            if isinstance(focused, TextArea) and not focused.read_only:
                self.focus_next()  # out of the editor first; the next Escape asks
                return
            if self.has_changes():
                self.ask_to_discard()
                return
        self.discard()

    def ask_to_discard(self) -> None:
        """Ask before throwing away what the user typed. Every form gets the question from `AsksBeforeDiscarding`
        (kit/discard.py; it is a confirmation, which is built on this class); a test checks that every modal
        naming a `FORM` has it, so this plain close is only for a modal that is not a form."""
        self.discard()

    def discard(self) -> None:
        """Close without saving (a form that already saved part of its work dismisses with that part)."""
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.barrack.report_error(event.worker.error)
