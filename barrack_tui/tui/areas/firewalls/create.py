"""The "Create firewall" form: name, description, region, validated as the user types (F2), sent in a worker.

Dismisses with the created `FirewallResponse`, or None when cancelled. A
refusal from the server (the F1 limit reached meanwhile, a name taken by
another session) is shown in place, in the server's own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import CreateFirewallResponse, FirewallResponse, RegionEnum
from barrack_tui.rules.firewalls import validate_create_firewall
from barrack_tui.rules.validators import NAME_MAX
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.form import FormModal

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


class CreateFirewallModal(FormModal[FirewallResponse | None, dict[str, Any]]):
    CSS_PATH = "firewalls.tcss"
    FORM = "the new firewall form"
    FIELDS = ("name", "description", "region")
    # An untouched empty name is not an error yet: the placeholder says what to type.
    QUIET = frozenset({"name"})
    SUBMIT_ID = "fw-create-submit"
    CANCEL_ID = "fw-create-cancel"
    ERROR_ID = "fw-create-error"
    BUSY_LABEL = "Creating…"
    MESSAGE_STYLE = ""  # the stylesheet colours the message lines
    WORK_GROUP = "firewall-create"

    def __init__(self, *, taken_names: Iterable[str], region: str | None) -> None:
        super().__init__()
        self.taken_names = list(taken_names)
        self.initial_region = region

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

    def field_id(self, field: str) -> str:
        return f"fw-{field}"

    def message_id(self, field: str) -> str:
        return f"fw-{field}-message"

    def values(self) -> dict[str, Any]:
        region = self.query_one("#fw-region", Select).value
        description = self.query_one("#fw-description", Input).value
        return {
            "name": self.query_one("#fw-name", Input).value,
            "description": description or None,
            "region": None if region is Select.NULL else str(region),
        }

    def verdicts(self, values: dict[str, Any]) -> dict[str, Verdict]:
        return validate_create_firewall(**values, taken_names=self.taken_names)

    def after_validate(self, values: dict[str, Any], verdicts: Mapping[str, Verdict]) -> None:
        name = values["name"]
        counter = Text(f"{len(name)}/{NAME_MAX}", style="bold red" if len(name) > NAME_MAX else "dim")
        self.query_one("#fw-name-counter", Static).update(counter)

    async def send(self, values: dict[str, Any]) -> FirewallResponse:
        answer: CreateFirewallResponse = await self.barrack.store.send(lambda api: api.create_firewall(values))
        return answer.firewall

    def field_for_error(self, exc: ApiError) -> str | None:
        return "name" if exc.code == NAME_TAKEN else None

    def error_text(self, exc: ApiError, placed: Sequence[str]) -> str:
        # The form line always carries the server's words, also when a field shows them too.
        return exc.message or str(exc)
