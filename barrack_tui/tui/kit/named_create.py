"""The shape shared by "take a snapshot" and "create an image": pick a source, name it, describe it, create.

A subclass says which sources it offers, the default name for a source, which
rule checks the fields, what request to send and what to send it with. This
base does the rest the same way for both, on `FormModal`'s cycle: the name
follows the source until the user edits it; counters and the rule's messages
update as they type; Create is enabled only when every field is valid; a 422
comes back onto its fields, a 409 (the name was taken meanwhile) onto the
name, and any other refusal into the status line, with everything typed kept.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static

from barrack_tui.api.errors import ApiError, ConflictError
from barrack_tui.rules.validators import DESCRIPTION_MAX, NAME_MAX
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.tui.kit.form import FormModal

T = TypeVar("T")  # what the modal dismisses with
S = TypeVar("S")  # a source: an instance to snapshot, a snapshot to make an image of


@dataclass(frozen=True)
class NamedValues(Generic[S]):
    source: S | None  # None when the form offers no source at all
    name: str
    description: str


class NamedCreateModal(FormModal[T, NamedValues[S]], Generic[T, S]):
    # Widget ids are `<PREFIX>-name`, `<PREFIX>-description`, `<PREFIX>-<SOURCE_ID>`.
    PREFIX: ClassVar[str]
    SOURCE_ID: ClassVar[str]
    NAME_LABEL: ClassVar[str] = "Name"
    FIELDS = ("name", "description")
    WORK_GROUP = "named-create"

    def __init__(self, sources: Mapping[str, S], *, id: str) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self._sources = dict(sources)
        self._name_edited = False

    # --- what a subclass says -----------------------------------------------------------------------

    @abstractmethod
    def default_name(self, source: S) -> str: ...

    @abstractmethod
    def field_verdicts(self, source: S | None, name: str, description: str) -> dict[str, Verdict]:
        """The rule's verdict per field ("name", "description"), as typed."""

    @abstractmethod
    def request(self, source: S, name: str, description: str) -> dict[str, object]: ...

    @abstractmethod
    async def create(self, request: dict[str, object]) -> T:
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

    def focus_first(self) -> None:
        self.query_one(f"#{self.PREFIX}-name", Input).focus()

    def on_mount(self) -> None:
        source = self.source()
        if source is not None:
            self.query_one(f"#{self.PREFIX}-name", Input).value = self.default_name(source)
            self.focus_first()
        else:
            self.query_one("#cancel", Button).focus()

    def values(self) -> NamedValues[S]:
        return NamedValues(
            self.source(),
            self.query_one(f"#{self.PREFIX}-name", Input).value,
            self.query_one(f"#{self.PREFIX}-description", Input).value,
        )

    def verdicts(self, values: NamedValues[S]) -> dict[str, Verdict]:
        verdicts = self.field_verdicts(values.source, values.name, values.description)
        # No source to create from: the form says why above the fields; the button waits for one.
        verdicts["source"] = ALLOWED if values.source is not None else refuse("NO_SOURCE", "")
        return verdicts

    def after_validate(self, values: NamedValues[S], verdicts: Mapping[str, Verdict]) -> None:
        self.query_one("#name-counter", Static).update(Text(f"{len(values.name)}/{NAME_MAX}"))
        self.query_one("#description-counter", Static).update(Text(f"{len(values.description)}/{DESCRIPTION_MAX}"))

    @on(Select.Changed)
    def _source_changed(self) -> None:
        source = self.source()
        if source is not None and not self._name_edited:
            self.query_one(f"#{self.PREFIX}-name", Input).value = self.default_name(source)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id == f"{self.PREFIX}-name":
            source = self.source()
            self._name_edited = event.value != (self.default_name(source) if source is not None else "")

    async def send(self, values: NamedValues[S]) -> T:
        if values.source is None:  # submit waits for a source: unreachable, said so for the type checker
            raise RuntimeError("no source to create from")
        return await self.create(self.request(values.source, values.name, values.description))

    def field_for_error(self, exc: ApiError) -> str | None:
        # 409: the name was taken since the form opened (as in the volume forms).
        return "name" if isinstance(exc, ConflictError) else None
