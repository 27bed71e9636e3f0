"""The New volume form (V10): name with a live counter, region, size, Make Bootable with its OS image list.

Every message under a field is `rules.volumes.validate_create_volume`'s (size
text first goes through `parse_int`), recomputed on each keystroke, with the
minimum size and currencies the server states in its pricing quote where it
states them (`tui/kit/server_limits.py`; a minimum other than ours is shown). Make
Bootable raises the size with `size_for_bootable` and loads the chosen
region's OS images through the client. A server refusal (422 per field, 409
duplicate name, anything else) lands under the right field or at the bottom,
and the user's input stays as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, Switch

from barrack_tui.api.errors import ApiError, ConflictError, InvalidRequestError
from barrack_tui.api.models import CreateVolumeRequest, OSImage, RegionEnum, VolumeResponse
from barrack_tui.rules.validators import NAME_MAX, VOLUME_MIN_GB, parse_int
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.rules.volumes import size_for_bootable, validate_create_volume
from barrack_tui.tui.areas.volumes.common import (
    StoreWatchingModal,
    error_line,
    field_errors,
    format_rate,
    progress_row,
    show_text,
    storage_cost,
)
from barrack_tui.tui.kit.form import FormModal
from barrack_tui.tui.kit.server_limits import NO_LIMITS, ServerLimits

DEFAULT_SIZE_GB = 50
# The request's field names -> the form's message lines.
_FIELD_LINES = {
    "name": "name",
    "region": "region",
    "size_gb": "size",
    "os_image_id": "os",
    "bootable": "os",
    "profile": "account",
    "balance": "account",
}


def _row(label: str, *widgets: Any, row_id: str | None = None) -> Horizontal:
    """A label column then the control(s) on one line, compact enough for 80x24."""
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row", id=row_id)


def _message(line_id: str) -> Static:
    return Static(id=f"create-{line_id}-msg", classes="field-msg error")


@dataclass(frozen=True)
class _Typed:
    """The form as it stands: the size still as typed (a refused size has no number)."""

    name: str
    region: str | None
    size_text: str
    bootable: bool
    os_image_id: str | None


class VolumeCreateModal(StoreWatchingModal[VolumeResponse], FormModal[VolumeResponse, _Typed]):
    FORM = "the new volume form"
    # The message lines: verdicts() maps the rules' field names onto them, refused() the request's (_FIELD_LINES).
    FIELDS = ("name", "region", "size", "os", "account")
    SUBMIT_ID = "create-confirm"
    CANCEL_ID = "create-cancel"
    ERROR_ID = ""  # the volume modals' error line and progress row are StoreWatchingModal's
    MESSAGE_STYLE = ""  # the lines' `error` class colours them
    PROGRESS = "Creating {name}…"
    WORK_GROUP = "volume-create"

    def __init__(self, default_region: str | None = None) -> None:
        super().__init__()
        self.default_region = default_region or RegionEnum.NORWAY_1.value
        # OS images per region once loaded; a region missing here is still loading.
        self._images: dict[str, list[OSImage]] = {}
        self._image_errors: dict[str, str] = {}
        self._server_errors: dict[str, str] = {}
        self._limits: ServerLimits = NO_LIMITS

    def compose(self) -> ComposeResult:
        regions = [(Text(region.value), region.value) for region in RegionEnum]
        with Vertical(classes="modal-box", id="create-box"):
            yield Static(Text("New volume"), classes="modal-title")
            with VerticalScroll(classes="modal-body"):
                name = Input(self.store.next_volume_name, compact=True, id="create-name")
                yield _row("Name", name, Static(id="create-name-counter"), row_id="create-name-row")
                yield _message("name")
                region = Select(regions, value=self.default_region, allow_blank=False, compact=True, id="create-region")
                yield _row("Region", region)
                yield _message("region")
                size = Input(str(DEFAULT_SIZE_GB), compact=True, id="create-size")
                yield _row("Size (GB)", size, Static(id="create-size-cost"))
                yield _message("size")
                yield Static(id="create-size-limit", classes="hint")
                bootable = Label("Make Bootable: an OS volume, at least 100 GB")
                yield _row("Bootable", Switch(id="create-bootable"), bootable)
                with Vertical(id="create-os"):
                    images: Select[str] = Select([], prompt="Choose an OS image", compact=True, id="create-os-image")
                    yield _row("OS image", images, row_id="create-os-row")
                    yield Static(id="create-os-status", classes="hint")
                    yield _message("os")
                yield Static(id="create-account-msg", classes="field-msg error")
                yield error_line()
            yield from progress_row()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="create-cancel")
                yield Button("Create", variant="primary", id="create-confirm")

    def on_mount(self) -> None:
        self.set_busy(False)
        self.query_one("#create-os").display = False
        self.query_one("#create-size-limit").display = False
        known = self.barrack.store.limits().known()
        if known is not None:
            self._apply_limits(known)
        else:
            self.load_limits()
        self.query_one("#create-name", Input).focus()

    @work(exclusive=True, group="volume-limits", exit_on_error=False)
    async def load_limits(self) -> None:
        self._apply_limits(await self.barrack.store.limits().get())
        self.validate()

    def _apply_limits(self, limits: ServerLimits) -> None:
        """Use the server's stated minimum (shown when it is not ours) and currencies from now on."""
        self._limits = limits
        minimum = limits.volume_minimum_gb
        if minimum is None or minimum == VOLUME_MIN_GB:
            return
        hint = self.query_one("#create-size-limit", Static)
        show_text(hint, Text(f"At least {minimum:,} GB: the smallest volume this server creates", style="dim"))
        size = self.query_one("#create-size", Input)
        if size.value == str(DEFAULT_SIZE_GB) and minimum > DEFAULT_SIZE_GB:
            size.value = str(minimum)  # the untouched default is below what the server accepts
            self.keep_as_initial(size)

    def store_changed(self, change: Any) -> None:
        if change.kind in ("volumes", "balance", "regions"):
            self.validate()

    # --- reading the form -------------------------------------------------------------------------

    @property
    def chosen_region(self) -> str | None:
        value = self.query_one("#create-region", Select).value
        return None if value is Select.NULL else str(value)

    @property
    def bootable(self) -> bool:
        return self.query_one("#create-bootable", Switch).value

    def _os_image_id(self) -> str | None:
        value = self.query_one("#create-os-image", Select).value
        return None if value is Select.NULL else str(value)

    def _region_tier(self, region: str | None) -> str | None:
        for info in self.store.regions:
            if info.name == region:
                return str(info.tier)
        # Regions not loaded: every volume carries its region's tier.
        for volume in self.store.volumes.values():
            if str(volume.region) == region:
                return str(volume.tier)
        return None  # unknown: the server still checks the tier

    def message_id(self, field: str) -> str:
        return f"create-{field}-msg"

    def values(self) -> _Typed:
        return _Typed(
            name=self.query_one("#create-name", Input).value,
            region=self.chosen_region,
            size_text=self.query_one("#create-size", Input).value,
            bootable=self.bootable,
            os_image_id=self._os_image_id(),
        )

    def verdicts(self, values: _Typed) -> dict[str, Verdict]:
        """The rules' answer for the form as it stands, and one verdict per message line.

        A line the server refused says the server's words, and holds Create, until the user edits what it is about.
        """
        size_gb, size_parsed = parse_int(values.size_text, label="Size")
        images = self._images.get(values.region or "", [])
        balance = self.store.balance_amount
        verdicts = validate_create_volume(
            name=values.name,
            region=values.region,
            size_gb=size_gb,
            bootable=values.bootable,
            os_image_id=values.os_image_id,
            taken_names=[volume.name for volume in self.store.volumes.values()],
            os_image_ids_in_region=[image.id for image in images],
            profile_complete=True,  # the API does not expose the profile; the server refuses if incomplete
            balance=balance if balance is not None else Decimal(0),
            currency=self.store.currency,
            region_tier=self._region_tier(values.region),
            minimum_size_gb=self._limits.volume_minimum_gb,
            supported_currencies=self._limits.currencies,
        )
        if not size_parsed:
            verdicts["size_gb"] = size_parsed
        if balance is None:
            verdicts.pop("balance")  # not loaded yet: no message rather than a false one
        account = [v.message for key in ("profile", "balance") if key in verdicts and not (v := verdicts[key])]
        lines = {
            "name": verdicts["name"],
            "region": verdicts["region"],
            "size": verdicts["size_gb"],
            "os": self._os_verdict(values, verdicts["os_image_id"]),
            "account": refuse("ACCOUNT", "\n".join(account)) if account else ALLOWED,
        }
        for line, message in self._server_errors.items():
            lines[line] = refuse("SERVER", message)
        return {**verdicts, **lines}

    def _os_verdict(self, values: _Typed, verdict: Verdict) -> Verdict:
        """The OS image line: nothing while loading or after a load failure (the status line says so), else the rule's."""
        if not values.bootable:
            return ALLOWED
        if verdict.code == "TIER":
            return verdict
        region = values.region or ""
        if region and region not in self._images:
            return refuse("OS_IMAGES_LOADING", "")
        return verdict

    def after_validate(self, values: _Typed, verdicts: Mapping[str, Verdict]) -> None:
        counter = self.query_one("#create-name-counter", Static)
        counter.update(Text(f"{len(values.name)}/{NAME_MAX}", style="bold red" if len(values.name) > NAME_MAX else "dim"))
        size_gb, _ = parse_int(values.size_text, label="Size")
        currency = self.store.currency
        cost_line = ""
        if size_gb is not None and verdicts["size_gb"]:  # no price next to "must be at least 10 GB"
            cost_line = f"Cost: {format_rate(storage_cost(size_gb, currency), currency)}"
        self.query_one("#create-size-cost", Static).update(Text(cost_line))
        self._show_os(values, verdicts["os_image_id"])

    def _show_os(self, values: _Typed, verdict: Verdict) -> None:
        """The OS image part around its message line: shown for a bootable volume, with the picker and its status."""
        self.query_one("#create-os").display = values.bootable
        if not values.bootable:
            return
        status = self.query_one("#create-os-status", Static)
        self.query_one("#create-os-row").display = verdict.code != "TIER"
        if verdict.code == "TIER":
            show_text(status, Text(""))
            return
        region = values.region or ""
        if region and region not in self._images:
            failure = self._image_errors.get(region)
            show_text(status, f"Could not load OS images: {failure}" if failure else f"Loading OS images for {region}…")
            return
        count = len(self._images.get(region, []))
        show_text(status, Text(f"{count} OS image{'s' if count != 1 else ''} in {region}" if count else ""))

    # --- reacting to the user ---------------------------------------------------------------------

    def _edited(self, *lines: str) -> None:
        """The user changed something: the server's old words about it (and about the account) no longer apply."""
        for line in (*lines, "account"):
            self._server_errors.pop(line, None)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        line = {"create-name": "name", "create-size": "size"}.get(event.input.id or "")
        self._edited(*([line] if line else []))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "create-region":
            self._edited("region", "os")
            self._load_images_if_needed()
        elif event.select.id == "create-os-image":
            self._edited("os")

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        self._edited("os")
        size_input = self.query_one("#create-size", Input)
        size_gb, _ = parse_int(size_input.value, label="Size")
        raised = size_for_bootable(size_gb, event.value)
        if raised != size_gb and raised is not None:
            size_input.value = str(raised)  # V10: bootable volumes start at 100 GB
        self._load_images_if_needed()

    def _load_images_if_needed(self) -> None:
        region = self.chosen_region
        if not self.bootable or not region:
            return
        if region in self._images:
            self._offer_images(region)
        else:
            self._image_errors.pop(region, None)
            self.load_images(region)

    def _offer_images(self, region: str) -> None:
        """Fill the OS image list with `region`'s images, the first one chosen."""
        choice = self.query_one("#create-os-image", Select)
        images = self._images.get(region, [])
        choice.set_options((Text(image.name), image.id) for image in images)
        if images:
            choice.value = images[0].id

    @work(exclusive=True, group="volume-os-images", exit_on_error=False)
    async def load_images(self, region: str) -> None:
        try:
            images = await self.barrack.store.send(lambda api: api.list_os_images(region))
        except ApiError as exc:
            self._image_errors[region] = str(exc)
        else:
            self._images[region] = [image for image in images if str(image.region) == region]
            if region == self.chosen_region:
                self._offer_images(region)
        self.validate()

    # --- sending ----------------------------------------------------------------------------------

    def set_sending(self, sending: bool) -> None:
        if sending:
            self.show_error(None)
        self.set_busy(sending, self.PROGRESS.format(name=self.query_one("#create-name", Input).value))
        for widget in self.query("Input, Select, Switch, Button"):
            widget.disabled = sending
        super().set_sending(sending)

    async def send(self, values: _Typed) -> VolumeResponse:
        size_gb, _ = parse_int(values.size_text, label="Size")
        request = CreateVolumeRequest(
            name=values.name,
            region=values.region,
            size_gb=size_gb,
            bootable=values.bootable,
            os_image_id=values.os_image_id if values.bootable else None,
        )
        answer = await self.barrack.store.send(lambda api: api.create_volume(request))
        volume: VolumeResponse = answer.volume
        self.store.upsert("volumes", volume)
        return volume

    def refused(self, exc: ApiError) -> None:
        """Put the server's words where they belong; the input stays exactly as typed."""
        self._server_errors = {}
        unplaced: list[str] = []
        if isinstance(exc, InvalidRequestError) and exc.fields:
            for field_name, message in field_errors(exc).items():
                line = _FIELD_LINES.get(field_name)
                if line:
                    self._server_errors[line] = message
                else:
                    unplaced.append(f"{field_name}: {message}")
        elif isinstance(exc, ConflictError):
            self._server_errors["name"] = exc.message or str(exc)
        else:
            unplaced.append(str(exc))
        self.show_error("\n".join(unplaced) or None)
        self.validate()
