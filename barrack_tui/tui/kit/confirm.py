"""The one confirmation every mutation goes through: it names the resource and what the change does to the bill.

Two kinds:
- non-destructive (start, stop, attach, a rule change, ...): the confirm
  button has the focus, so Enter confirms; Esc cancels.
- destructive (delete anything, a volume or firewall detach): the user types
  the resource's name. The name box has the focus from the start, so the
  typed name lands in it; Enter confirms only when the name matches exactly,
  otherwise it says "type <name> to confirm" and does nothing; Esc cancels.

A confirmation either dismisses True and lets its caller send the request, or,
given `run`, sends it itself and shows a refusal in place (the user sees why,
and can try again or cancel). A subclass adds its own content with
`compose_extra` and can hold the confirm back with `refusal` (a rule that
refuses right now: the button stays disabled and Enter does nothing).
Everything shown is rich `Text`: resource names are server strings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static
from textual.widgets.button import ButtonVariant

from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.rules.instances import delete_confirmed
from barrack_tui.tui.kit.modal import BarrackModal

TextLike = Text | str


def _text(value: TextLike) -> Text:
    return value if isinstance(value, Text) else Text(value)


def type_hint(name: str) -> Text:
    """What Enter says while the typed name does not match."""
    return Text.assemble("type ", (name, "bold"), " to confirm")


class ConfirmModal(BarrackModal[Any]):
    """Dismisses True (or `run()`'s result when it has one) on confirm, None on cancel or Esc."""

    DEFAULT_CSS = """
    ConfirmModal .confirm-line { height: auto; }
    ConfirmModal #confirm-cost { height: auto; margin-top: 1; text-style: bold; }
    ConfirmModal #confirm-warning { height: auto; margin-top: 1; color: $warning; }
    ConfirmModal #confirm-prompt { height: auto; }
    ConfirmModal #confirm-name { margin-top: 0; }
    ConfirmModal #confirm-hint { height: auto; color: $warning; }
    ConfirmModal #confirm-error { height: auto; color: $error; }
    ConfirmModal #confirm-status { height: auto; color: $text-muted; text-style: italic; }
    /* The body scrolls (Tab reaches it) so the cost line, the name box and the buttons fit at 80x24. */
    ConfirmModal .confirm-body { height: auto; max-height: 40vh; }
    """
    # Enter confirms wherever the focus is (a button or the name box takes Enter first, for itself).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "confirm", "Confirm", show=False, id="confirm.enter")]

    def __init__(
        self,
        *,
        title: TextLike,
        resource: str,
        confirm_label: str,
        cost: str | None = None,
        lines: Sequence[TextLike] = (),
        warning: TextLike | None = None,
        destructive: bool = False,
        run: Callable[[], Awaitable[Any]] | None = None,
        working: str = "Working…",
        error_words: Callable[[ApiError], str] = str,
        modal_id: str | None = None,
        cancel_label: str = "Cancel",
        confirm_variant: ButtonVariant | None = None,
    ) -> None:
        super().__init__(id=modal_id)
        self.title_text = _text(title)
        self.resource = resource
        self.confirm_label = confirm_label
        self.cost = cost
        self.lines = [_text(line) for line in lines]
        self.warning = None if warning is None else _text(warning)
        self.destructive = destructive
        self.run = run
        self.working = working
        self.error_words = error_words
        self.busy = False
        self.cancel_label = cancel_label
        self.confirm_variant = confirm_variant

    # --- content ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box danger" if self.destructive else "modal-box", id="confirm-box"):
            yield Static(self.title_text, classes="modal-title", id="confirm-title")
            with VerticalScroll(classes="confirm-body"):
                for line in self.lines:
                    yield Static(line, classes="confirm-line")
                yield from self.compose_extra()
                if self.warning is not None:
                    yield Static(Text.assemble("⚠ ", self.warning), id="confirm-warning")
            if self.cost:
                yield Static(Text(self.cost), id="confirm-cost")  # outside the scrolled body: always in view
            if self.destructive:
                yield Static(Text.assemble("Type the name ", (self.resource, "bold"), " to confirm:"), id="confirm-prompt")
                yield Input(placeholder=self.resource, id="confirm-name", compact=True)
            yield Static(id="confirm-hint")
            yield Static(id="confirm-error")
            yield Static(id="confirm-status")
            with Horizontal(classes="buttons"):
                yield Button(self.cancel_label, id="confirm-cancel", compact=True)
                variant: ButtonVariant = self.confirm_variant or ("error" if self.destructive else "primary")
                yield Button(self.confirm_label, variant=variant, id="confirm-ok", compact=True)

    def compose_extra(self) -> ComposeResult:
        """A subclass's own content, in the body above the warning and the cost line."""
        yield from ()

    def on_mount(self) -> None:
        for widget_id in ("#confirm-hint", "#confirm-error", "#confirm-status"):
            self.query_one(widget_id).display = False
        self.evaluate()
        self.query_one("#confirm-name" if self.destructive else "#confirm-ok").focus()

    # --- whether it may be confirmed ---------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why it cannot be confirmed right now (a rule's words), or None."""
        return None

    def name_matches(self) -> bool:
        return not self.destructive or delete_confirmed(self.query_one("#confirm-name", Input).value, self.resource)

    def evaluate(self) -> None:
        """Enable the confirm button exactly when confirming would send."""
        self.query_one("#confirm-ok", Button).disabled = self.busy or self.refusal() is not None or not self.name_matches()

    def show_hint(self, text: Text | None) -> None:
        hint = self.query_one("#confirm-hint", Static)
        hint.display = text is not None
        hint.update(text or Text(""))

    def show_error(self, text: str | None) -> None:
        error = self.query_one("#confirm-error", Static)
        error.display = bool(text)
        error.update(Text(text or ""))

    @on(Input.Changed, "#confirm-name")
    def _typed(self) -> None:
        if self.name_matches():
            self.show_hint(None)
        self.evaluate()

    # --- confirming --------------------------------------------------------------------------------

    @on(Input.Submitted, "#confirm-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#confirm-ok")
    def _ok_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#confirm-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if not self.busy:
            self.dismiss(None)

    def action_cancel(self) -> None:
        if not self.busy:
            super().action_cancel()

    def action_confirm(self) -> None:
        if self.busy:
            return
        if not self.name_matches():
            self.show_hint(type_hint(self.resource))
            return
        if self.refusal() is not None:
            return
        self.show_hint(None)
        self.confirmed()

    def confirmed(self) -> None:
        """The user confirmed: send (in a worker) or hand the answer to the caller."""
        if self.run is None:
            self.dismiss(True)
            return
        self.set_busy(True)
        self._perform()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        status = self.query_one("#confirm-status", Static)
        status.display = busy
        status.update(Text(self.working if busy else ""))
        self.query_one("#confirm-cancel", Button).disabled = busy
        if self.destructive:
            self.query_one("#confirm-name", Input).disabled = busy
        self.evaluate()

    async def perform(self) -> Any:
        """Send the request; a subclass that sends something of its own overrides this."""
        assert self.run is not None
        return await self.run()

    @work(exclusive=True, group="confirm", exit_on_error=False)
    async def _perform(self) -> None:
        self.show_error(None)
        try:
            result = await self.perform()
        except AuthError:
            raise
        except ApiError as exc:
            # The server's (or the guard's) words, here; nothing else changed.
            self.set_busy(False)
            self.show_error(self.error_words(exc))
            self.failed(exc)
            return
        self.set_busy(False)
        self.dismiss(True if result is None else result)

    def failed(self, error: ApiError) -> None:
        """Hook: after a refusal (a subclass re-reads its state)."""
