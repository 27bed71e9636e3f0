"""The "Create firewall" form: name, description, region, validated as the user types (F2), sent in a worker.

Dismisses with the created `FirewallResponse`, or None when cancelled. A
refusal from the server (the F1 limit reached meanwhile, a name taken by
another session) is shown in place, in the server's own words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from barrack_tui.api.errors import ApiError, AuthError, InvalidRequestError
from barrack_tui.api.models import FirewallResponse, RegionEnum
from barrack_tui.rules.firewalls import validate_create_firewall
from barrack_tui.rules.validators import NAME_MAX
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.modal import BarrackModal

NAME_TAKEN = "NAME_TAKEN"


def show_verdict(widget: Static, verdict: Verdict | str | None) -> None:
    """Put a rule's message under its field (plain Text: the message may quote user input)."""
    message = verdict if isinstance(verdict, str) or verdict is None else ("" if verdict.allowed else verdict.message)
    widget.update(Text(message or ""))
    widget.display = bool(message)


def form_row(label: str, field: Any, *, message_id: str) -> ComposeResult:
    with Horizontal(classes="form-row"):
        yield Label(Text(label), classes="form-label")
        yield field
    message = Static(id=message_id, classes="form-message")
    message.display = False
    yield message


class CreateFirewallModal(BarrackModal[FirewallResponse | None]):
    CSS_PATH = "firewalls.tcss"
    FORM = "the new firewall form"

    def __init__(self, *, taken_names: Iterable[str], region: str | None) -> None:
        super().__init__()
        self.taken_names = list(taken_names)
        self.initial_region = region
        self._touched: set[str] = set()

    def compose(self) -> ComposeResult:
        regions = [(Text(r.value), r.value) for r in RegionEnum]
        with Vertical(classes="modal-box", id="fw-create-box"):
            yield Static(Text("Create firewall"), classes="modal-title")
            yield from form_row(
                "Name",
                Input(placeholder="letters, digits, space - _ .", id="fw-name", compact=True),
                message_id="fw-name-message",
            )
            yield Static(id="fw-name-counter", classes="form-counter")
            yield from form_row(
                "Description",
                Input(placeholder="optional, up to 255 characters", id="fw-description", compact=True),
                message_id="fw-description-message",
            )
            yield from form_row(
                "Region",
                Select(regions, prompt="Choose a region", value=self.initial_region or Select.NULL, id="fw-region", compact=True),
                message_id="fw-region-message",
            )
            error = Static(id="fw-create-error", classes="form-error")
            error.display = False
            yield error
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="fw-create-cancel", compact=True)
                yield Button("Create", id="fw-create-submit", variant="primary", compact=True, disabled=True)

    def on_mount(self) -> None:
        self.query_one("#fw-name", Input).focus()
        self.validate_form()

    # --- live validation --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        region = self.query_one("#fw-region", Select).value
        description = self.query_one("#fw-description", Input).value
        return {
            "name": self.query_one("#fw-name", Input).value,
            "description": description or None,
            "region": None if region is Select.NULL else str(region),
        }

    def verdicts(self) -> dict[str, Verdict]:
        return validate_create_firewall(**self.values(), taken_names=self.taken_names)

    def validate_form(self) -> bool:
        verdicts = self.verdicts()
        for field in ("name", "description", "region"):
            # An untouched empty name is not an error yet: the placeholder says what to type.
            shown = verdicts[field] if field in self._touched or field != "name" else None
            show_verdict(self.query_one(f"#fw-{field}-message", Static), shown)
        name = self.query_one("#fw-name", Input).value
        counter = Text(f"{len(name)}/{NAME_MAX}", style="bold red" if len(name) > NAME_MAX else "dim")
        self.query_one("#fw-name-counter", Static).update(counter)
        valid = all(verdicts.values())
        self.query_one("#fw-create-submit", Button).disabled = not valid
        return valid

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._touched.add((event.input.id or "").removeprefix("fw-"))
        show_verdict(self.query_one("#fw-create-error", Static), None)
        self.validate_form()

    @on(Select.Changed)
    def _region_changed(self, _: Select.Changed) -> None:
        self._touched.add("region")
        self.validate_form()

    @on(Input.Submitted)
    def _submitted(self, _: Input.Submitted) -> None:
        self.submit()

    @on(Button.Pressed, "#fw-create-submit")
    def _create_pressed(self) -> None:
        self.submit()

    @on(Button.Pressed, "#fw-create-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # --- sending ----------------------------------------------------------------------------------

    def submit(self) -> None:
        self._touched.update({"name", "description", "region"})
        if self.validate_form():
            self.create(self.values())

    @work(exclusive=True, group="firewall-create", exit_on_error=False)
    async def create(self, body: dict[str, Any]) -> None:
        button = self.query_one("#fw-create-submit", Button)
        button.disabled = True
        button.label = "Creating…"
        try:
            answer = await self.barrack.client.create_firewall(body)
        except AuthError:
            raise
        except InvalidRequestError as exc:
            for field, message in exc.fields.items():
                if field in ("name", "description", "region"):
                    show_verdict(self.query_one(f"#fw-{field}-message", Static), message)
            show_verdict(self.query_one("#fw-create-error", Static), exc.message or str(exc))
        except ApiError as exc:
            if exc.code == NAME_TAKEN:
                show_verdict(self.query_one("#fw-name-message", Static), exc.message)
            show_verdict(self.query_one("#fw-create-error", Static), exc.message or str(exc))
        else:
            self.dismiss(answer.firewall)
            return
        finally:
            button.label = "Create"
        button.disabled = False
