"""The shape shared by "take a snapshot" and "create an image": pick a source, name it, describe it, create.

A subclass says which sources it offers, the default name for a source, which
rule checks the fields, what request to send and what to send it with. This
base does the rest the same way for both: the name follows the source until
the user edits it; counters and the rule's messages update as they type;
Create is enabled only when every field is valid; a 422 comes back onto its
fields, a 409 (the name was taken meanwhile) onto the name, and any other
refusal into the status line, with everything typed kept.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static

from barrack_tui.api.errors import ApiError, ConflictError, InvalidRequestError
from barrack_tui.rules.validators import DESCRIPTION_MAX, NAME_MAX
from barrack_tui.rules.verdict import Verdict
from barrack_tui.tui.kit.field_text import show_line, verdict_text
from barrack_tui.tui.kit.modal import BarrackModal

T = TypeVar("T")  # what the modal dismisses with
S = TypeVar("S")  # a source: an instance to snapshot, a snapshot to make an image of


class NamedCreateModal(BarrackModal[T], Generic[T, S]):
    # Widget ids are `<PREFIX>-name`, `<PREFIX>-description`, `<PREFIX>-<SOURCE_ID>`.
    PREFIX: ClassVar[str]
    SOURCE_ID: ClassVar[str]
    NAME_LABEL: ClassVar[str] = "Name"
    PROGRESS: ClassVar[str]

    def __init__(self, sources: Mapping[str, S], *, id: str) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self._sources = dict(sources)
        self._name_edited = False

    # --- what a subclass says -----------------------------------------------------------------------

    @abstractmethod
    def default_name(self, source: S) -> str: ...

    @abstractmethod
    def verdicts(self, source: S | None, name: str, description: str) -> dict[str, Verdict]:
        """The rule's verdict per field ("name", "description"), as typed."""

    @abstractmethod
    def request(self, source: S, name: str, description: str) -> dict[str, object]: ...

    @abstractmethod
    async def send(self, request: dict[str, object]) -> T:
        """Create it; raises the client's errors."""

    # --- the shared form ----------------------------------------------------------------------------

    def name_fields(self) -> ComposeResult:
        """Name and description, each with its counter above and its rule's message below."""
        with Horizontal(classes="field-head"):
            yield Label(self.NAME_LABEL)
            yield Static(id="name-counter", classes="counter")
        yield Input(id=f"{self.PREFIX}-name", compact=True)
        yield Static(id="name-error", classes="field-error")
        with Horizontal(classes="field-head"):
            yield Label("Description (optional)")
            yield Static(id="description-counter", classes="counter")
        yield Input(id=f"{self.PREFIX}-description", compact=True)
        yield Static(id="description-error", classes="field-error")

    def status_and_buttons(self, submit_label: str) -> ComposeResult:
        yield Static(id="form-status", classes="hint")
        with Horizontal(classes="buttons"):
            yield Button("Cancel", id="cancel")
            yield Button(submit_label, id="submit", variant="primary")

    def source(self) -> S | None:
        if not self._sources:
            return None
        value = self.query_one(f"#{self.PREFIX}-{self.SOURCE_ID}", Select).value
        return self._sources.get(value) if isinstance(value, str) else None

    def _values(self) -> tuple[str, str]:
        return (
            self.query_one(f"#{self.PREFIX}-name", Input).value,
            self.query_one(f"#{self.PREFIX}-description", Input).value,
        )

    def focus_first(self) -> None:
        self.query_one(f"#{self.PREFIX}-name", Input).focus()

    def on_mount(self) -> None:
        source = self.source()
        if source is not None:
            self.query_one(f"#{self.PREFIX}-name", Input).value = self.default_name(source)
            self.focus_first()
        else:
            self.query_one("#cancel", Button).focus()
        self._validate()

    def _validate(self) -> bool:
        source = self.source()
        name, description = self._values()
        verdicts = self.verdicts(source, name, description)
        self.query_one("#name-counter", Static).update(Text(f"{len(name)}/{NAME_MAX}"))
        self.query_one("#description-counter", Static).update(Text(f"{len(description)}/{DESCRIPTION_MAX}"))
        show_line(self.query_one("#name-error", Static), verdict_text(verdicts["name"]))
        show_line(self.query_one("#description-error", Static), verdict_text(verdicts["description"]))
        valid = source is not None and all(v.allowed for v in verdicts.values())
        self.query_one("#submit", Button).disabled = not valid
        return valid

    @on(Select.Changed)
    def _source_changed(self) -> None:
        source = self.source()
        if source is not None and not self._name_edited:
            self.query_one(f"#{self.PREFIX}-name", Input).value = self.default_name(source)
        self._validate()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == f"{self.PREFIX}-name":
            source = self.source()
            self._name_edited = event.value != (self.default_name(source) if source is not None else "")
        self.fields_changed()

    def fields_changed(self) -> None:
        show_line(self.query_one("#form-status", Static), Text(""))
        self._validate()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        source = self.source()
        if source is None or not self._validate():
            return
        name, description = self._values()
        self.query_one("#submit", Button).disabled = True
        show_line(self.query_one("#form-status", Static), Text(self.PROGRESS, style="italic"))
        self._create(self.request(source, name, description))

    @work(exclusive=True, group="named-create", exit_on_error=False)
    async def _create(self, request: dict[str, object]) -> None:
        try:
            created: Any = await self.send(request)
        except InvalidRequestError as exc:
            targets = {"name": "#name-error", "description": "#description-error"}
            shown = [f for f in exc.fields if f in targets]
            for field_name in shown:
                show_line(self.query_one(targets[field_name], Static), Text(exc.fields[field_name], style="bold red"))
            self._failed("" if shown else str(exc))
            return
        except ConflictError as exc:  # 409: the name was taken since the form opened (as in the volume forms)
            show_line(self.query_one("#name-error", Static), Text(exc.message or str(exc), style="bold red"))
            self._failed("")
            return
        except ApiError as exc:
            self._failed(str(exc))
            return
        self.dismiss(created)

    def _failed(self, message: str) -> None:
        show_line(self.query_one("#form-status", Static), Text(message, style="bold red"))
        self.query_one("#submit", Button).disabled = False
