"""The details pane of one instance (Enter on a row): everything about it, with the same action keys.

Loads `get_instance` (volumes, security rules, firewalls) and
`get_instance_billing` (the exact billing summary the table only estimates,
and its history as a chart) in one worker, again whenever the store reports
this instance changed. All server strings are `Text` cells of a Rich grid,
never markup.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.renderables.sparkline import Sparkline
from textual.widgets import Static

from barrack_tui.account import ssh_config
from barrack_tui.api.errors import ApiError, NotFoundError
from barrack_tui.api.models import AggregatedBillingResponse, VMDetailsResponse, VMInstance, VMStatus
from barrack_tui.api.tolerant import is_unknown
from barrack_tui.rules.pricing import hibernation_saving_per_hour, instance_billing_rate, money, per_minute
from barrack_tui.spend.series import HOURS, BurnLog, burn_series, instance_charges
from barrack_tui.tui.areas.instances.actions import ACTION_BINDINGS, ACTION_KEYS, InstanceActions, per_day
from barrack_tui.tui.areas.instances.security_rules import describe_rule
from barrack_tui.tui.areas.instances.watch import WATCH_BINDING, StateWatchActions
from barrack_tui.tui.kit.badge import status_badge
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.unknown_mark import marked_text
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=14)
    grid.add_column(overflow="fold")
    return grid


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


class InstanceDetailsScreen(StateWatchActions, InstanceActions, AreaScreen):
    CSS_PATH = "instances.tcss"
    POLL_KINDS = ("ssh_keys",)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "back", "Back", id="details.back"),
        *ACTION_BINDINGS,
        WATCH_BINDING,
    ]

    def __init__(self, instance_id: str) -> None:
        super().__init__()
        self.instance_id = instance_id
        self.details: VMDetailsResponse | None = None
        self.billing: AggregatedBillingResponse | None = None
        self.load_error = ""
        self.gone = False
        self._reason = ""

    def compose_body(self) -> ComposeResult:
        yield Static(id="details-title")
        yield Static(id="details-reason")
        with VerticalScroll(id="details-scroll"):
            yield Static(id="details-body")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#details-reason").display = False
        self.query_one("#details-scroll").focus()
        self.load()

    # --- data ---------------------------------------------------------------------------------------

    @work(exclusive=True, group="instance-details", exit_on_error=False)
    async def load(self) -> None:
        send = self.barrack.store.send
        try:
            self.details, self.billing = await asyncio.gather(
                send(lambda api: api.get_instance(self.instance_id)), send(lambda api: api.get_instance_billing(self.instance_id))
            )
            self.load_error = ""
        except NotFoundError:
            self.gone = True
            self.load_error = "This instance no longer exists."
        except ApiError as exc:
            self.load_error = str(exc)
        self.redraw()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "instances" and self.instance_id in change.removed:
            self.gone = True
            self.load_error = "This instance was deleted."
            self.show_reason("")  # an action's note about the instance ("... is DELETING") no longer applies
            self.redraw()
        elif change.kind == "instances" and self.instance_id in change.changed:
            self.redraw()
            self.load()
        elif change.kind == "ssh_keys":
            self.redraw()

    def refresh_from_store(self) -> None:
        self.redraw()

    def rules_changed(self, instance_id: str) -> None:
        self.load()

    def selected_instance(self) -> VMInstance | None:
        if self.gone:
            return None
        instance = self.barrack.store.instances.get(self.instance_id)
        if instance is None and self.details is not None:
            instance = self.details.instance
        return instance

    def show_reason(self, text: str) -> None:
        self._reason = text
        reason = self.query_one("#details-reason", Static)
        reason.update(Text(text, style="bold yellow"))
        reason.display = bool(text)

    def action_back(self) -> None:
        self.barrack.pop_screen()

    # --- drawing ------------------------------------------------------------------------------------

    def redraw(self) -> None:
        instance = self.selected_instance()
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" ← Esc  ", style="dim")
        if instance is None:
            title.append(self.instance_id, style="bold")
            self.query_one("#details-title", Static).update(title)
            self.query_one("#details-body", Static).update(Text(self.load_error or "Loading…", style="yellow"))
            return
        title.append(instance.name, style="bold")
        title.append("  ")
        title.append_text(status_badge(instance.status))
        key = lambda binding_id: key_for(self, binding_id)  # noqa: E731
        keys = " ".join(f"{key(f'instances.{action}')} {label.lower()}" for action, (_, label) in ACTION_KEYS.items())
        rules = f"{key('instances.add_rule')}/{key('instances.remove_rule')} rule"
        title.append(f"   {keys} · {key('instances.public_ip')} ip · {rules} · {key('instances.ssh')} ssh"
                     f" · {key('instances.copy_id')}/{key('instances.copy_ssh')} copy", style="dim")
        self.query_one("#details-title", Static).update(title)
        self.query_one("#details-body", Static).update(self._body(instance))

    def _body(self, instance: VMInstance) -> Group:
        store: Any = self.barrack.store
        currency = str(instance.currency)
        parts: list[Any] = []
        if self.load_error:
            parts.append(Text(self.load_error, style="yellow"))
        grid = _grid()
        flavor = instance.flavor
        grid.add_row("Id", Text(instance.id))
        grid.add_row("Region", marked_text(instance.region))
        flavor_line = marked_text(flavor.gpu_model)
        flavor_line.append(f" × {flavor.gpu_count} · {flavor.vcpus} vCPU · {flavor.ram_gb} GB RAM · {flavor.storage_gb} GB disk")
        grid.add_row("Flavor", flavor_line)
        if is_unknown(instance.currency):
            grid.add_row("Currency", marked_text(instance.currency))
        grid.add_row("Image", Text(instance.image.name))
        grid.add_row("Public IP", Text(instance.public_ip or f"none ({key_for(self, 'instances.public_ip')} turns it on)"))
        grid.add_row("Private IP", Text(instance.private_ip or "not assigned yet"))
        settings = self.barrack.settings
        grid.add_row("SSH", Text(ssh_config.ssh_command_text(instance, settings.ssh_options, settings.ssh_jump_host)))
        grid.add_row("Created", Text(instance.created_at.strftime("%Y-%m-%d %H:%M UTC")))
        grid.add_row("Deployment", Text(instance.deployment_id or "—"))
        parts.append(grid)

        parts.append(_section("Price"))
        price = _grid()
        rate = instance_billing_rate(instance.status, instance.hourly_price, instance.currency)
        price.add_row("List price", Text(f"{money(instance.hourly_price)} {currency}/h · {per_minute(instance.hourly_price)} {currency}/min · {per_day(instance.hourly_price)} {currency}/day"))
        price.add_row("Billing now", Text(f"{rate} {currency}/h ({instance.status}) · {per_minute(rate)} {currency}/min"))
        if instance.status == VMStatus.SHUTOFF:
            saving = hibernation_saving_per_hour(instance.hourly_price, instance.currency)
            price.add_row("⚠ Idle", Text(f"SHUTOFF still bills the full rate: hibernating (h) saves {money(saving)} {currency}/h, {per_day(saving)} {currency}/day", style="yellow"))
        parts.append(price)

        parts.append(_section("Billing summary"))
        if self.billing is None:
            parts.append(Text("Loading…" if not self.load_error else "Not available", style="dim"))
        else:
            summary = self.billing.summary
            bill = _grid()
            bill.add_row("Total", Text(f"{money(summary.total)} {self.billing.currency}", style="bold"))
            bill.add_row("Hours", Text(f"{summary.hours_active:.1f} active · {summary.hours_shutoff:.1f} shutoff · {summary.hours_hibernated:.1f} hibernated"))
            parts.append(bill)
            parts.append(self._billing_chart(currency))
            bill = _grid()
            for record in self.billing.records[-4:]:
                end = record.end.strftime("%m-%d %H:%M") if record.end else "now"
                bill.add_row(Text(str(record.status), style="dim"), Text(f"{record.start.strftime('%m-%d %H:%M')} → {end}  {record.rate}/h  {money(record.amount)}", style="dim"))
            parts.append(bill)

        parts.append(_section("SSH keys"))
        parts.append(self._list([Text(getattr(store.ssh_keys.get(k), "name", None) or k) for k in instance.ssh_key_ids], "none"))
        details = self.details
        parts.append(_section("Volumes"))
        if details is None:
            parts.append(Text("Loading…", style="dim"))
        else:
            volumes = []
            for volume in details.volumes:
                line = Text.assemble((volume.name, "bold"), f"  {volume.size_gb} GB  ")
                line.append_text(status_badge(volume.status))
                if volume.bootable:
                    line.append("  boot (cannot be detached)", style="dim")
                volumes.append(line)
            parts.append(self._list(volumes, "no volumes attached"))
            parts.append(_section("Firewalls"))
            firewalls = [Text.assemble((fw.name, "bold"), "  ", status_badge(fw.status)) for fw in details.firewalls]
            parts.append(self._list(firewalls, "no firewalls attached"))
            parts.append(_section("Security rules"))
            parts.append(self._list([describe_rule(rule) for rule in details.security_rules], f"none ({key_for(self, 'instances.add_rule')} adds one)"))
        return Group(*parts)

    def _billing_chart(self, currency: str) -> Group:
        """What this instance cost per hour over the last 48 h, from its billing records."""
        assert self.billing is not None
        now = self.barrack.wall_clock()
        series = burn_series(HOURS, now, instance_charges(self.billing.records, now), BurnLog())
        peak = max(series, default=Decimal(0))
        caption = Text(f"  {currency}/h, {HOURS.label}: peak {money(peak)}, now {money(series[-1])}",
                       style="dim")
        return Group(caption, Sparkline([float(value) for value in series], width=None, height=3))

    @staticmethod
    def _list(items: list[Text], empty: str) -> Group | Text:
        if not items:
            return Text(f"  {empty}", style="dim")
        return Group(*(Text("  ").append_text(item) for item in items))
