"""Attach a firewall to instances: pick among the firewall region's instances (F4 decides which can be picked).

The list comes from `list_firewall_available_instances`. An instance F4
refuses (not ACTIVE, no server UUID yet, another region) is shown disabled
with the rule's reason; one already attached is marked and disabled. The
picker is the form's field: its value is the chosen instances, and Attach
waits for one. Attach asks first (`ConfirmModal`: the firewall, the chosen
instances, no cost change; Enter confirms). Dismisses with the attachments
the server answered, or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, SelectionList, Static
from textual.widgets.selection_list import Selection

from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.api.models import FirewallResponse, FirewallVM
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.firewalls import can_attach_firewall
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.tui.kit.badge import status_text
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.form import FormModal

ALREADY_ATTACHED = "already attached"
# A few words per F4 refusal for the picker's rows; the rule's full sentence is shown under the list.
SHORT_REASON = {"INSTANCE_NOT_ACTIVE": "not ACTIVE", "NO_SERVER_UUID": "no server yet", "REGION_MISMATCH": "other region"}


def attach_verdict(firewall: FirewallResponse, instance: FirewallVM) -> Verdict:
    return can_attach_firewall(
        firewall_region=firewall.region,
        instance_status=instance.status,
        server_uuid=instance.server_uuid,
        instance_region=instance.region,
    )


def instance_prompt(instance: FirewallVM, verdict: Verdict) -> Text:
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(Text(str(instance.name), style="bold"))
    prompt.append("  ")
    prompt.append(status_text(instance.status))
    if instance.attached:
        prompt.append(f"  ✓ {ALREADY_ATTACHED}", style="green")
    elif not verdict:
        prompt.append(f"  ✗ {SHORT_REASON.get(verdict.code, verdict.code)}", style="yellow")
    return prompt


def reasons_text(firewall: FirewallResponse, instances: list[FirewallVM]) -> Text:
    """Each F4 refusal in the rule's own words, with the instances it concerns."""
    grouped: dict[str, list[str]] = {}
    for instance in instances:
        verdict = attach_verdict(firewall, instance)
        if not verdict and not instance.attached:
            grouped.setdefault(verdict.message, []).append(str(instance.name))
    text = Text()
    for message, names in grouped.items():
        if text:
            text.append("\n")
        text.append(Text(", ".join(names), style="bold"))
        text.append(f": {message}")
    return text


class AttachFirewallModal(FormModal[list[Any], tuple[str, ...]]):
    CSS_PATH = "firewalls.tcss"
    SUBMIT_ID = "fw-attach-submit"
    CANCEL_ID = "fw-attach-cancel"
    ERROR_ID = "fw-attach-error"
    BUSY_LABEL = "Attaching…"
    MESSAGE_STYLE = ""  # the line's `form-error` class colours it
    WORK_GROUP = "firewall-attach"

    def __init__(self, firewall: FirewallResponse) -> None:
        super().__init__()
        self.firewall = firewall
        self.instances: list[FirewallVM] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="fw-attach-box"):
            title = Text("Attach ")
            title.append(Text(str(self.firewall.name), style="bold"))
            title.append(f" to instances in {self.firewall.region}")
            yield Static(title, classes="modal-title")
            yield Static(
                Text("Only ACTIVE instances with a server in the firewall's region can be chosen; space selects."),
                classes="hint",
            )
            yield SelectionList[str](id="fw-attach-list")
            yield Static(id="fw-attach-reasons", classes="hint")
            yield Static(Text("Loading instances…"), id="fw-attach-status", classes="hint")
            error = Static(id="fw-attach-error", classes="form-error")
            error.display = False
            yield error
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="fw-attach-cancel", compact=True)
                yield Button("Attach", id="fw-attach-submit", variant="primary", compact=True, disabled=True)

    def on_mount(self) -> None:
        self.query_one("#fw-attach-list", SelectionList).focus()
        self.load()

    @work(exclusive=True, group="firewall-attach-load", exit_on_error=False)
    async def load(self) -> None:
        try:
            self.instances = await self.barrack.store.send(lambda api: api.list_firewall_available_instances(self.firewall.id))
        except AuthError:
            raise
        except ApiError as exc:
            self.query_one("#fw-attach-status", Static).update(Text(""))
            self.show_error(str(exc))
            return
        selections = []
        for instance in self.instances:
            verdict = attach_verdict(self.firewall, instance)
            selectable = bool(verdict) and not instance.attached
            selections.append(Selection(instance_prompt(instance, verdict), instance.id, False, disabled=not selectable))
        listing = self.query_one("#fw-attach-list", SelectionList)
        listing.clear_options()
        listing.add_options(selections)
        self.query_one("#fw-attach-reasons", Static).update(reasons_text(self.firewall, self.instances))
        first = next((index for index, selection in enumerate(selections) if not selection.disabled), None)
        if first is not None:
            listing.highlighted = first  # space picks it straight away
        self.loaded = True
        self.validate()

    def selectable_ids(self) -> list[str]:
        return [i.id for i in self.instances if attach_verdict(self.firewall, i) and not i.attached]

    @on(SelectionList.SelectedChanged)
    def _selection_changed(self) -> None:
        self.validate()

    # --- the form ---------------------------------------------------------------------------------

    def values(self) -> tuple[str, ...]:
        return tuple(self.query_one("#fw-attach-list", SelectionList).selected)

    def verdicts(self, values: tuple[str, ...]) -> dict[str, Verdict]:
        # The list's hint and status say what to do: the verdict only holds Attach back.
        return {"instances": ALLOWED if values else refuse("NONE_CHOSEN", "Choose an instance")}

    def after_validate(self, values: tuple[str, ...], verdicts: Mapping[str, Verdict]) -> None:
        if not self.loaded:
            return  # the status line says the list is loading (or, after a refusal, nothing)
        if not self.instances:
            text = Text(f"No instances in {self.firewall.region}.")
        elif not self.selectable_ids():
            text = Text("No instance can be attached right now.", style="yellow")
        else:
            text = Text(f"{len(values)} selected.")
        self.query_one("#fw-attach-status", Static).update(text)

    def confirmation(self, values: tuple[str, ...]) -> ConfirmModal:
        names = [str(i.name) for i in self.instances if i.id in values]
        body = Text("Attach ")
        body.append(Text(str(self.firewall.name), style="bold"))
        body.append(" to ")
        body.append(Text(", ".join(names), style="bold"))
        body.append("? Its rules apply to them once the attachment is SUCCESS.")
        return ConfirmModal(title="Attach firewall", resource=str(self.firewall.name), confirm_label="Attach", lines=[body],
                            cost=cost_effect("firewall_attach", currency=self.barrack.store.currency))

    async def send(self, values: tuple[str, ...]) -> list[Any]:
        answer = await self.barrack.store.send(lambda api: api.attach_firewall(self.firewall.id, list(values)))
        attachments: list[Any] = answer.attachments
        return attachments

    def error_text(self, exc: ApiError, placed: Sequence[str]) -> str:
        return exc.message or str(exc)
