"""The Attach modal: the volume, then the instances of its region with status badges.

An instance is selectable exactly when `rules.volumes.can_attach` allows it
(V3/V4/V5/V6); the others stay listed, greyed, with the rule's reason under
them. The first allowed instance is preselected. The picker is the form's
field: its value is the highlighted instance, its verdict `can_attach`. Attach
asks first (`ConfirmModal`: the volume, the instance, no cost change; Enter
confirms).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VMInstance, VolumeResponse
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.verdict import Verdict, refuse
from barrack_tui.rules.volumes import can_attach
from barrack_tui.tui.areas.volumes.common import StoreWatchingModal, error_line, progress_row, volume_summary
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.form import FormModal
from barrack_tui.tui.shell.store import ChangeSet

# The form's values: the volume and the highlighted instance (None while none is).
_Chosen = tuple[str, str | None]


def instance_option(instance: VMInstance, reason: str) -> Text:
    """One list entry: name, id and status badge; a refused instance gets the rule's reason below."""
    prompt = Text()
    prompt.append(instance.name, style="bold")
    prompt.append(f"  {instance.id}  ", style="dim")
    prompt.append_text(status_badge(instance.status))
    if reason:
        prompt.append(f"\n  ⊘ {reason}", style="italic")
    return prompt


class VolumeAttachModal(StoreWatchingModal[VolumeResponse], FormModal[VolumeResponse, _Chosen]):
    SUBMIT_ID = "attach-confirm"
    CANCEL_ID = "attach-cancel"
    ERROR_ID = ""  # the volume modals' error line and progress row are StoreWatchingModal's
    MESSAGE_STYLE = ""  # the line's `error` class colours it
    WORK_GROUP = "volume-attach"

    def __init__(self, volume_id: str) -> None:
        super().__init__()
        self.volume_id = volume_id
        self._allowed: list[str] = []
        self._listed: tuple[object, ...] = ()

    # Rows the box needs besides the instance list: borders, padding, title, volume, heading, buttons.
    _FIXED_ROWS = 16

    def on_resize(self, event: events.Resize) -> None:
        # On a 24-row terminal a 12-row list squeezed the buttons to one line and hid their labels.
        self.query_one("#attach-instances").styles.max_height = max(3, min(12, event.size.height - self._FIXED_ROWS))

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="attach-box"):
            yield Static(Text("Attach volume"), classes="modal-title")
            yield Static(id="attach-volume")
            yield Static(id="attach-heading", classes="section-title")
            yield OptionList(id="attach-instances")
            yield Static(id="attach-none", classes="hint")
            yield error_line()
            yield from progress_row()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="attach-cancel")
                yield Button("Attach", variant="success", id="attach-confirm", disabled=True)

    def on_mount(self) -> None:
        self.set_busy(False)
        self._list_instances()
        if self._allowed:
            self.query_one("#attach-instances", OptionList).focus()
        else:
            self.query_one("#attach-cancel", Button).focus()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind in ("volumes", "instances", "balance"):
            self._list_instances()
            self.validate()

    def _list_instances(self) -> None:
        """List the region's instances again when they, the volume or the currency changed; keep the highlight."""
        volume: VolumeResponse | None = self.store.volumes.get(self.volume_id)
        options = self.query_one("#attach-instances", OptionList)
        if volume is None:
            self.query_one("#attach-volume", Static).update(Text("This volume no longer exists."))
            options.clear_options()
            self._allowed = []
            return
        self.query_one("#attach-volume", Static).update(volume_summary(volume))
        self.query_one("#attach-heading", Static).update(Text(f"Instances in {volume.region}", style="bold"))
        candidates = sorted(
            (i for i in self.store.instances.values() if i.region == volume.region), key=lambda i: (i.name, i.id)
        )
        currency = self.store.currency
        listed = (volume, tuple(candidates), currency)
        if listed == self._listed:
            return
        self._listed = listed
        highlighted_id = self._highlighted_id()
        verdicts = [(instance, can_attach(volume, instance, currency)) for instance in candidates]
        options.clear_options()
        options.add_options(
            Option(instance_option(instance, "" if verdict else verdict.message), id=instance.id, disabled=not verdict)
            for instance, verdict in verdicts
        )
        self._allowed = [instance.id for instance, verdict in verdicts if verdict]
        none = self.query_one("#attach-none", Static)
        none.display = not candidates
        none.update(Text(f"No instances in {volume.region}. Deploy one in this region to attach the volume."))
        options.display = bool(candidates)
        keep = highlighted_id if highlighted_id in self._allowed else (self._allowed[0] if self._allowed else None)
        if keep is not None:
            options.highlighted = options.get_option_index(keep)

    def _highlighted_id(self) -> str | None:
        options = self.query_one("#attach-instances", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.validate()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit()

    # --- the form ---------------------------------------------------------------------------------

    def values(self) -> _Chosen:
        return self.volume_id, self._highlighted_id()

    def verdicts(self, values: _Chosen) -> dict[str, Verdict]:
        # Asked of the store's latest volume and instance, so the answer after the confirmation is today's.
        volume_id, instance_id = values
        volume: VolumeResponse | None = self.store.volumes.get(volume_id)
        if volume is None:
            return {"instance": refuse("VOLUME_GONE", "This volume no longer exists.")}
        instance = self.store.instances.get(instance_id) if instance_id else None
        return {"instance": can_attach(volume, instance, self.store.currency)}

    def confirmation(self, values: _Chosen) -> ConfirmModal | None:
        volume_id, instance_id = values
        volume = self.store.volumes[volume_id]
        instance = self.store.instances[instance_id]
        body = [Text.assemble("Attach ", (volume.name, "bold"), " to ", (instance.name, "bold"), f" ({instance.status})?")]
        cost = cost_effect("volume_attach", currency=self.store.currency, size_gb=volume.size_gb)
        return ConfirmModal(title="Attach volume", resource=volume.name, confirm_label="Attach", cost=cost, lines=body)

    def set_sending(self, sending: bool) -> None:
        if not sending:
            self.set_busy(False)
        self.query_one("#attach-cancel", Button).disabled = sending
        super().set_sending(sending)

    async def send(self, values: _Chosen) -> VolumeResponse:
        volume_id, instance_id = values
        volume = self.store.volumes[volume_id]
        instance = self.store.instances[instance_id]
        self.show_error(None)
        self.set_busy(True, f"Attaching {volume.name} to {instance.name}…")
        answer = await self.barrack.store.send(lambda api: api.attach_volumes(instance.id, [volume.id]))
        attached = None
        for each in answer.volumes:
            self.store.upsert("volumes", each)
            if each.id == volume_id:
                attached = each
        self.set_busy(False)
        result: VolumeResponse = attached or self.store.volumes.get(volume_id)
        return result

    def refused(self, exc: ApiError) -> None:
        super().refused(exc)
        self._listed = ()  # polls were ignored while it was sending: build the list from the store as it is now
        self._list_instances()
        self.validate()
