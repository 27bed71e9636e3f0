"""The one base of form dialogs: read the fields, ask the rules, show each field's message, send in a worker.

A form says what it holds and what to do with it; this base runs the cycle the
same way in every form:

- `values()` reads the widgets, `verdicts(values)` asks the rules (one
  `Verdict` per field in `FIELDS`; a verdict under any other key, such as an
  account limit, counts but has no line of its own). On every change each
  field's line (`message_id`) shows its rule's message as plain `Text`, never
  markup, since a message may quote what the user typed. A field in `QUIET`
  says nothing until the user touched it: an empty form is not wrong yet.
  `after_validate` updates what else depends on the values (counters, notes).
- The submit button (`SUBMIT_ID`) is enabled only while every verdict allows.
  Enter in a one-line input or the button submits; `confirmation` may ask first,
  and on yes the rules are asked again about the values it asked about (a poll
  may have changed their answer meanwhile): a refusal is shown, not sent.
- `send(values)` runs in a worker (group `WORK_GROUP`) with the button
  disabled, showing `BUSY_LABEL` and the form line `PROGRESS` when set.
- A refused key (401) is re-raised, so the app's handler offers the login.
  A 422 puts the server's per-field words under the fields (`server_field`
  maps its names); `field_for_error` may put another refusal under a field (a
  name taken meanwhile); the form line (`ERROR_ID`) says the rest
  (`error_text`). A form that sends nowhere (a local file) raises `Refused`
  for the form line. Nothing typed is lost.
- Success dismisses with what `send` returned.

Escape and the discard question come from `BarrackModal` (set `FORM`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.content import ContentText
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static, Switch, TextArea

from barrack_tui.api.errors import ApiError, AuthError, InvalidRequestError
from barrack_tui.rules.verdict import ALLOWED, Verdict
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.discard import AsksBeforeDiscarding
from barrack_tui.tui.kit.field_text import show_line
from barrack_tui.tui.kit.modal import BarrackModal, if_answered

T = TypeVar("T")  # what the form dismisses with
V = TypeVar("V")  # the form's values, as `values` reads them and `send` takes them

_Changed = Input.Changed | TextArea.Changed | Select.Changed | Switch.Changed | Checkbox.Changed


class Refused(Exception):
    """What `send` raises when it is refused by something other than the server (a file that cannot be written)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FormModal(AsksBeforeDiscarding, BarrackModal[T], Generic[T, V]):
    # Plain attributes rather than ClassVars: a form that is two forms (generate or import) sets them per instance.
    FIELDS: tuple[str, ...] = ()  # the fields with a message line, named as the rules and the API name them
    QUIET: frozenset[str] = frozenset()  # fields whose message waits until the user touched them
    SUBMIT_ID = "submit"
    CANCEL_ID = "cancel"
    ERROR_ID = "form-status"  # the form-level line: the server's refusal, or what is being sent; empty: none
    BUSY_LABEL = ""  # the submit button's label while sending; empty keeps its label
    PROGRESS = ""  # what the form line says while sending; empty leaves the line as it is
    MESSAGE_STYLE = "bold red"  # how a refusal reads; empty where the stylesheet styles the lines
    WORK_GROUP = "form-send"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._touched: set[str] = set()
        self.sending = False
        self._idle_label: ContentText = ""

    # --- what a form says ---------------------------------------------------------------------------

    @abstractmethod
    def values(self) -> V:
        """What the fields hold now."""

    @abstractmethod
    def verdicts(self, values: V) -> Mapping[str, Verdict]:
        """The rules' verdict per field (and per form-wide condition) for `values`."""

    @abstractmethod
    async def send(self, values: V) -> T:
        """Send the request; raises the client's errors. What it returns is what the form dismisses with."""

    def message_id(self, field: str) -> str:
        """The id of the line under `field`."""
        return f"{field}-error"

    def field_id(self, field: str) -> str:
        """The id of the widget the user edits for `field` (how a change marks the field touched)."""
        return field

    def is_quiet(self, field: str, values: V) -> bool:
        """Whether `field`'s line says nothing yet (not asked while submitting)."""
        return field in self.QUIET and field not in self._touched

    def ok_message(self, field: str) -> str:
        """What `field`'s line says while its value is allowed (usually nothing)."""
        return ""

    def after_validate(self, values: V, verdicts: Mapping[str, Verdict]) -> None:
        """Update what else follows the values: counters, notes, a row shown or hidden."""

    def confirmation(self, values: V) -> ConfirmModal | None:
        """A question to ask before sending (the request is sent on yes); None sends at once."""
        return None

    def server_field(self, name: str) -> str | None:
        """The field a 422's `name` (the request's field name) belongs to; None puts it nowhere."""
        return name if name in self.FIELDS else None

    def field_for_error(self, exc: ApiError) -> str | None:
        """The field a refusal other than a 422 is about (a name taken meanwhile), if any."""
        return None

    def error_text(self, exc: ApiError, placed: Sequence[str]) -> str:
        """The form line after a refusal, once its words went under the fields in `placed`."""
        return "" if placed else str(exc)

    # --- showing ------------------------------------------------------------------------------------

    def show_message(self, field: str, message: Verdict | str | None) -> None:
        """Put a verdict's message (or the server's words) on `field`'s line; nothing to say hides it."""
        if isinstance(message, Verdict):
            if message.allowed:
                ok = self.ok_message(field)
                self._show(self.message_id(field), Text(ok, style="green") if ok else Text(""))
                return
            message = message.message
        self._show(self.message_id(field), Text(message or "", style=self.MESSAGE_STYLE))

    def show_error(self, message: str) -> None:
        """The form-level line (hidden when `message` is empty)."""
        self._show(self.ERROR_ID, Text(message, style=self.MESSAGE_STYLE))

    def _show(self, line_id: str, text: Text) -> None:
        found = self.query(f"#{line_id}") if line_id else None
        if found:
            show_line(found.only_one(Static), text)

    def submit_button(self) -> Button:
        return self.query_one(f"#{self.SUBMIT_ID}", Button)

    # --- the cycle ----------------------------------------------------------------------------------

    def validate(self, *, show_all: bool = False) -> bool:
        """Show every field's message; enable submit when every verdict allows. `show_all` ignores `QUIET`."""
        values = self.values()
        verdicts = self.verdicts(values)
        for field in self.FIELDS:
            quiet = not show_all and self.is_quiet(field, values)
            self.show_message(field, None if quiet else verdicts.get(field, ALLOWED))
        self.after_validate(values, verdicts)
        valid = all(verdict.allowed for verdict in verdicts.values())
        self.submit_button().disabled = self.sending or not valid
        return valid

    def on_mount(self) -> None:
        # Textual calls every class's own `on_mount`, the subclass's first: its defaults are in place here.
        self.validate()

    def fields_changed(self) -> None:
        """The user changed something: the last refusal no longer applies, the rules are asked again."""
        self.show_error("")
        self.validate()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(Checkbox.Changed)
    def _field_changed(self, event: _Changed) -> None:
        widget = event.control
        if isinstance(widget, Widget) and widget.id:
            self._touched.update(field for field in self.FIELDS if self.field_id(field) == widget.id)
        self.fields_changed()

    @on(Input.Submitted)
    def _entered(self) -> None:
        self.submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT_ID:
            self.submit()
        elif event.button.id == self.CANCEL_ID:
            self.action_cancel()

    def submit(self) -> None:
        """Check every field, loudly; ask first if the form asks; then send."""
        if self.sending:
            return
        self._touched.update(self.FIELDS)
        if not self.validate(show_all=True):
            return
        values = self.values()
        question = self.confirmation(values)
        if question is None:
            self._start(values)
        else:
            self.barrack.push_screen(question, if_answered(partial(self._answered, values)))

    def _answered(self, values: V) -> None:
        # The question may have stood open through a poll (the instance started meanwhile): what the user
        # said yes to is checked again; a refusal the fields do not show goes on the form line.
        verdicts = self.verdicts(values)
        if all(verdict.allowed for verdict in verdicts.values()):
            self._start(values)
            return
        self.validate(show_all=True)
        self.show_error(next((v.message for k, v in verdicts.items() if not v.allowed and k not in self.FIELDS), ""))

    def _start(self, values: V) -> None:
        self.run_worker(self._send(values), group=self.WORK_GROUP, exclusive=True, exit_on_error=False)

    def set_sending(self, sending: bool) -> None:
        """Show that a request is on its way (or no longer is)."""
        self.sending = sending
        button = self.submit_button()
        button.disabled = sending
        if self.BUSY_LABEL:
            if sending:
                self._idle_label = button.label
                button.label = self.BUSY_LABEL
            else:
                button.label = self._idle_label
        if sending and self.PROGRESS:
            self._show(self.ERROR_ID, Text(self.PROGRESS, style="italic"))

    async def _send(self, values: V) -> None:
        self.set_sending(True)
        try:
            result = await self.send(values)
        except AuthError:
            self.set_sending(False)
            raise
        except ApiError as exc:
            self.set_sending(False)
            self.refused(exc)
            return
        except Refused as exc:
            self.set_sending(False)
            self.show_error(exc.message)
            return
        self.dismiss(result)

    def refused(self, exc: ApiError) -> None:
        """Put the server's words under the fields they are about, and the rest on the form line."""
        placed: list[str] = []
        if isinstance(exc, InvalidRequestError):
            for name, message in exc.fields.items():
                field = self.server_field(name)
                if field is not None:
                    self.show_message(field, message)
                    placed.append(field)
        else:
            field = self.field_for_error(exc)
            if field is not None:
                self.show_message(field, exc.message or str(exc))
                placed.append(field)
        self.show_error(self.error_text(exc, placed))
