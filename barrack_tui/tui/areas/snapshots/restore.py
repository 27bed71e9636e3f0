"""Restore a snapshot into a new instance, named `{snapshot}-restored` by default (S1), in the snapshot's region.

The form shows what will be deployed (the snapshot's recorded GPU
configuration and image), what it will cost per hour in the account currency,
and whether the balance covers an hour of it (`has_credits_for`). The name is
checked with `validate_name` against the account's instance names as typed.
Dismisses with the new `VMInstance` (in CREATING), which the caller follows
on the Instances screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from barrack_tui.api.errors import ApiError, InvalidRequestError
from barrack_tui.api.models import Snapshot, VMInstance
from barrack_tui.rules.instances import has_credits_for
from barrack_tui.rules.pricing import gpu_hourly, per_minute
from barrack_tui.rules.resources import restored_name
from barrack_tui.rules.validators import NAME_MAX, validate_name
from barrack_tui.rules.verdict import ALLOWED, Verdict
from barrack_tui.tui.kit.field_text import verdict_text
from barrack_tui.tui.kit.form import FormModal


class SnapshotRestoreModal(FormModal[VMInstance, str]):
    CSS_PATH = "snapshots.tcss"
    FORM = "the restore form"
    FIELDS = ("name",)
    PROGRESS = "Restoring…"
    WORK_GROUP = "snapshot-restore"

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        instance_names: Iterable[str],
        currency: str,
        balance: Decimal | None,
    ) -> None:
        super().__init__(id="snapshot-restore")
        self._snapshot = snapshot
        self._taken = frozenset(instance_names)
        config = snapshot.vm_config
        self._hourly = (
            gpu_hourly(config.gpu_model, config.gpu_count, currency) if config.gpu_model and config.gpu_count else None
        )
        self._currency = currency
        # An unknown balance (not polled yet) is not a refusal: the server decides with a 402.
        self._credits: Verdict = (
            has_credits_for(balance, self._hourly) if balance is not None and self._hourly is not None else ALLOWED
        )

    def compose(self) -> ComposeResult:
        snapshot = self._snapshot
        config = snapshot.vm_config
        with Vertical(classes="modal-box compact-form snapshot-form"):
            title = Text("Restore ")
            title.append(snapshot.name, style="bold")
            title.append(" into a new instance")
            yield Static(title, classes="modal-title")
            what = Text()
            what.append("Region ", style="dim")
            what.append(str(snapshot.region))
            if config.gpu_model:
                what.append("  GPU ", style="dim")
                what.append(f"{config.gpu_count or 1}x {config.gpu_model}")
            what.append("  Disk ", style="dim")
            what.append(f"{snapshot.size_gb:,} GB")
            yield Static(what, id="restore-config")
            if config.image_name:
                image = Text("Image ", style="dim")
                image.append(config.image_name)
                yield Static(image)
            if self._hourly is not None:
                price = Text("Costs ", style="dim")
                price.append(f"{self._hourly:,.2f} {self._currency}/h", style="bold")
                price.append(f" ({per_minute(self._hourly):.4f}/min) while it runs", style="dim")
                yield Static(price, id="restore-price")
            yield Static(verdict_text(self._credits), id="credits-error", classes="field-error")
            with Horizontal(classes="field-head"):
                yield Label("New instance name")
                yield Static(id="name-counter", classes="counter")
            yield Input(restored_name(snapshot.name), id="restore-name", compact=True)
            yield Static(id="name-error", classes="field-error")
            follow = "After restoring you are taken to Instances, where the new instance is followed to ACTIVE."
            yield Static(Text(follow, style="dim"), classes="hint")
            yield Static(id="form-status", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Restore", id="submit", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#restore-name", Input).focus()

    def values(self) -> str:
        return self.query_one("#restore-name", Input).value

    def verdicts(self, values: str) -> dict[str, Verdict]:
        # The balance has its own line, written once: it counts against the button, not under the name.
        return {"name": validate_name(values, taken=self._taken, kind="instance"), "credits": self._credits}

    def after_validate(self, values: str, verdicts: Mapping[str, Verdict]) -> None:
        self.query_one("#name-counter", Static).update(Text(f"{len(values)}/{NAME_MAX}"))

    async def send(self, values: str) -> VMInstance:
        restored = await self.barrack.store.send(lambda api: api.restore_snapshot(self._snapshot.id, values))
        instance: VMInstance = restored.instance
        return instance

    def error_text(self, exc: ApiError, placed: Sequence[str]) -> str:
        if not isinstance(exc, InvalidRequestError):
            return str(exc)
        # The server's words about fields this form does not show go on the form line.
        others = [message for field, message in exc.fields.items() if field not in placed]
        return "; ".join(others) if others else ("" if exc.fields else str(exc))
