"""Clone and Resize (V8: advanced tier only; V9: a larger size), each with the hourly cost change.

Clone asks for the new volume's name (validated like any volume name, unique
in the account); Resize asks for a larger size and states the limits. Both
show what the account will pay per hour before and after, from the same price
table the simulator bills with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from barrack_tui.api.errors import ApiError, ConflictError, InvalidRequestError
from barrack_tui.api.models import VolumeResponse
from barrack_tui.rules.validators import NAME_MAX, VOLUME_MAX_GB, parse_int, validate_name, validate_resize
from barrack_tui.rules.verdict import Verdict, refuse
from barrack_tui.rules.volumes import can_clone, can_resize
from barrack_tui.tui.areas.volumes.common import (
    StoreWatchingModal,
    error_line,
    field_errors,
    format_change,
    format_rate,
    progress_row,
    storage_cost,
    volume_summary,
)
from barrack_tui.tui.kit.form import FormModal
from barrack_tui.tui.shell.store import ChangeSet

_CLONE_SUFFIX = "-clone"


def suggested_clone_name(name: str, taken: set[str]) -> str:
    """`{name}-clone` (then -clone-2, ...), cut to fit 50 characters."""
    n = 1
    while True:
        suffix = _CLONE_SUFFIX if n == 1 else f"{_CLONE_SUFFIX}-{n}"
        candidate = name[: NAME_MAX - len(suffix)].rstrip(" ") + suffix
        if candidate not in taken:
            return candidate
        n += 1


class _VolumeFormModal(StoreWatchingModal[VolumeResponse], FormModal[VolumeResponse, str]):
    """One input, one rule for the volume (V8), one for the input, a cost line and a confirm button.

    The server's refusal of the input stays under it, and holds the confirm
    button, until the input changes: the store's next poll re-asks the rules
    and must not wipe it.
    """

    TITLE_TEXT = ""
    FIELD_LABEL = ""
    FIELD_NAME = ""  # the request's field, for a 422's per-field message
    CONFIRM_LABEL = ""
    SUBMIT_ID = "form-confirm"
    CANCEL_ID = "form-cancel"
    ERROR_ID = ""  # the volume modals' error line and progress row are StoreWatchingModal's
    MESSAGE_STYLE = ""  # the lines' `error` class colours them
    WORK_GROUP = "volume-form"

    def __init__(self, volume_id: str) -> None:
        super().__init__()
        self.volume_id = volume_id
        self.FIELDS = ("volume", self.FIELD_NAME)
        self._server_error = ""

    @property
    def volume(self) -> VolumeResponse | None:
        volume: VolumeResponse | None = self.store.volumes.get(self.volume_id)
        return volume

    def initial_value(self, volume: VolumeResponse) -> str:
        return ""

    def compose(self) -> ComposeResult:
        volume = self.volume
        with Vertical(classes="modal-box", id="volume-form-box"):
            yield Static(Text(self.TITLE_TEXT), classes="modal-title")
            yield Static(id="form-volume")
            yield Static(id="form-limits", classes="hint")
            yield Label(self.FIELD_LABEL, classes="field-label")
            yield Input(self.initial_value(volume) if volume else "", id="form-input")
            yield Static(id="form-msg", classes="field-msg error")
            yield Static(id="form-cost")
            yield Static(id="form-rule", classes="error")
            yield error_line()
            yield from progress_row()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="form-cancel")
                yield Button(self.CONFIRM_LABEL, variant="primary", id="form-confirm", disabled=True)

    def on_mount(self) -> None:
        self.set_busy(False)
        self.query_one("#form-input", Input).focus()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind in ("volumes", "balance"):
            self.validate()

    def volume_rule(self, volume: VolumeResponse) -> Verdict:
        raise NotImplementedError

    def check_input(self, volume: VolumeResponse, text: str) -> tuple[Verdict, Any]:
        """The input's verdict and its parsed value."""
        raise NotImplementedError

    def cost_text(self, volume: VolumeResponse, value: Any, currency: str) -> Text:
        raise NotImplementedError

    def limits_text(self, volume: VolumeResponse) -> Text:
        return Text("")

    # --- the form ---------------------------------------------------------------------------------

    def message_id(self, field: str) -> str:
        return "form-rule" if field == "volume" else "form-msg"

    def values(self) -> str:
        return self.query_one("#form-input", Input).value

    def verdicts(self, values: str) -> dict[str, Verdict]:
        volume = self.volume
        if volume is None:
            return {"volume": refuse("VOLUME_GONE", "This volume no longer exists.")}
        verdict, _ = self.check_input(volume, values)
        if self._server_error:
            verdict = refuse("SERVER", self._server_error)
        return {"volume": self.volume_rule(volume), self.FIELD_NAME: verdict}

    def after_validate(self, values: str, verdicts: Mapping[str, Verdict]) -> None:
        volume = self.volume
        if volume is None:
            return
        self.query_one("#form-volume", Static).update(volume_summary(volume))
        self.query_one("#form-limits", Static).update(self.limits_text(volume))
        verdict, value = self.check_input(volume, values)
        self.query_one("#form-cost", Static).update(self.cost_text(volume, value if verdict else None, self.store.currency))

    @on(Input.Changed, "#form-input")
    def _input_changed(self) -> None:
        self._server_error = ""  # the user answered the server's refusal; the rules speak again

    def set_sending(self, sending: bool) -> None:
        volume = self.volume
        self.set_busy(sending, self.PROGRESS.format(name=volume.name if volume else ""))
        for widget in self.query("Input, Button"):
            widget.disabled = sending
        super().set_sending(sending)

    async def request(self, volume_id: str, value: Any) -> VolumeResponse:
        raise NotImplementedError

    async def send(self, values: str) -> VolumeResponse:
        volume = self.volume
        if volume is None:  # submit waits for the volume: unreachable, said so for the type checker
            raise RuntimeError("the volume no longer exists")
        _, value = self.check_input(volume, values)
        answer = await self.request(volume.id, value)
        self.store.upsert("volumes", answer)
        return answer

    def refused(self, exc: ApiError) -> None:
        if isinstance(exc, InvalidRequestError) and self.FIELD_NAME in field_errors(exc):
            self._server_error = field_errors(exc)[self.FIELD_NAME]
        elif isinstance(exc, ConflictError):
            self._server_error = exc.message or str(exc)
        else:
            self.show_error(exc)
        self.validate()


class VolumeCloneModal(_VolumeFormModal):
    TITLE_TEXT = "Clone volume"
    FORM = "the clone form"
    FIELD_LABEL = "Name of the new volume"
    PROGRESS = "Cloning {name}…"
    FIELD_NAME = "name"
    CONFIRM_LABEL = "Clone"

    def _taken(self) -> set[str]:
        return {volume.name for volume in self.store.volumes.values()}

    def initial_value(self, volume: VolumeResponse) -> str:
        return suggested_clone_name(volume.name, self._taken())

    def volume_rule(self, volume: VolumeResponse) -> Verdict:
        return can_clone(volume)

    def limits_text(self, volume: VolumeResponse) -> Text:
        return Text(f"The clone is a new {volume.size_gb:,} GB volume in {volume.region} with the same data.")

    def check_input(self, volume: VolumeResponse, text: str) -> tuple[Verdict, Any]:
        return validate_name(text, taken=self._taken(), kind="volume"), text

    def cost_text(self, volume: VolumeResponse, value: Any, currency: str) -> Text:
        now = storage_cost(volume.size_gb, currency)
        text = Text("Hourly cost change: ", style="bold")
        text.append(format_change(now, currency))
        text.append(f"  (the new volume bills {format_rate(now, currency)}, like {volume.size_gb:,} GB of storage)")
        return text

    async def request(self, volume_id: str, value: Any) -> VolumeResponse:
        return (await self.barrack.store.send(lambda api: api.clone_volume(volume_id, value))).volume


class VolumeResizeModal(_VolumeFormModal):
    TITLE_TEXT = "Resize volume"
    FORM = "the resize form"
    FIELD_LABEL = "New size (GB)"
    PROGRESS = "Resizing {name}…"
    FIELD_NAME = "size_gb"
    CONFIRM_LABEL = "Resize"

    def initial_value(self, volume: VolumeResponse) -> str:
        return ""

    def volume_rule(self, volume: VolumeResponse) -> Verdict:
        return can_resize(volume)

    def limits_text(self, volume: VolumeResponse) -> Text:
        return Text(
            f"Current size {volume.size_gb:,} GB. New size: more than {volume.size_gb:,} GB, "
            f"at most {VOLUME_MAX_GB:,} GB. A volume can only grow."
        )

    def check_input(self, volume: VolumeResponse, text: str) -> tuple[Verdict, Any]:
        size_gb, parsed = parse_int(text, label="New size")
        if not parsed:
            return parsed, None
        return validate_resize(volume.size_gb, size_gb), size_gb

    def cost_text(self, volume: VolumeResponse, value: Any, currency: str) -> Text:
        now = storage_cost(volume.size_gb, currency)
        text = Text("Hourly cost: ", style="bold")
        text.append(format_rate(now, currency))
        if value is not None:
            after = storage_cost(value, currency)
            text.append(f" → {format_rate(after, currency)}  (")
            text.append(format_change(after - now, currency), style="bold")
            text.append(")")
        return text

    async def request(self, volume_id: str, value: Any) -> VolumeResponse:
        return (await self.barrack.store.send(lambda api: api.resize_volume(volume_id, value))).volume
