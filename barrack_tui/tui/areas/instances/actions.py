"""Instance actions shared by the fleet table and the details pane: keys, rules, confirmations, requests.

A screen mixes `InstanceActions` in, adds `ACTION_BINDINGS` to its BINDINGS
and implements `selected_instance()` and `show_reason(text)`. Every
enabled/disabled decision is the rules' Verdict (I1/I2, I5); a refused action
says why in the screen's status line and in a toast, and sends nothing. The
API's answer (the instance in its transitional state) goes into the store at
once, so the row shows STOPPING before the next poll; the pollers then follow
it and the store announces the stable state.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import SuspendNotSupported, SystemCommand
from textual.binding import Binding

from barrack_tui.account import ssh_config
from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VMInstance, VMStatus
from barrack_tui.rules.cost_effects import cost_effect, rate_text
from barrack_tui.rules.instances import PUBLIC_IP_WARNING, can_instance_action, can_toggle_public_ip
from barrack_tui.rules.pricing import hibernation_saving_per_hour, instance_billing_rate, money
from barrack_tui.tui.areas.instances import ssh_session
from barrack_tui.tui.areas.instances.delete import DeleteInstanceModal
from barrack_tui.tui.areas.instances.security_rules import AddSecurityRuleModal, RemoveSecurityRuleModal
from barrack_tui.tui.kit.access import UsesBarrack
from barrack_tui.tui.kit.bulk import BulkConfirmModal, BulkPlan, BulkReport, BulkSummaryModal, BulkTarget
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.key_scheme import INSTANCE_ACTION_KEYS, bind
from barrack_tui.tui.kit.modal import if_answered
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command

# action -> (key, label): the power verbs are capitals (tui/kit/key_scheme.py); hints name keys through key_for.
ACTION_KEYS: dict[str, tuple[str, str]] = INSTANCE_ACTION_KEYS
ACTION_BINDINGS = [
    *(Binding(key, f"instance('{action}')", label, show=False, id=f"instances.{action}") for action, (key, label) in ACTION_KEYS.items()),
    Binding("p", "toggle_public_ip", "Public IP", show=False, id="instances.public_ip"),
    bind("add rule", "add_rule", "Add rule", show=False, id="instances.add_rule"),
    bind("remove rule", "remove_rule", "Remove rule", show=False, id="instances.remove_rule"),
    Binding("s", "ssh", "SSH", id="instances.ssh"),
    bind("copy", "copy_id", "Copy id", show=False, id="instances.copy_id"),
    bind("copy more", "copy_ssh", "Copy ssh cmd", show=False, id="instances.copy_ssh"),
]


def run_ssh(argv: list[str]) -> int:
    """The one place `ssh` is started (tests replace it)."""
    return subprocess.run(argv, check=False).returncode


def per_day(hourly: Decimal) -> Decimal:
    return money(hourly * 24)


# Where each power action leads once its transition is over (a deleted instance bills nothing).
_LEADS_TO = {
    "start": VMStatus.ACTIVE,
    "stop": VMStatus.SHUTOFF,
    "reboot": VMStatus.ACTIVE,
    "hibernate": VMStatus.HIBERNATED,
    "restore": VMStatus.ACTIVE,
}
# What holds for every target of a bulk action, shown once under the list of targets.
BULK_NOTES: dict[str, tuple[Text, ...]] = {
    "stop": (Text("A SHUTOFF instance still bills its full hourly rate; hibernate it to pay the flat rate.", style="yellow"),),
    "hibernate": (Text("Running processes stop; the disks are kept.", style="yellow"),),
    "reboot": (Text("Running processes are restarted.", style="yellow"),),
    "delete": (Text("Each instance and its OS disk are destroyed; this cannot be undone. Attached data volumes are "
                    "detached and kept (they still bill storage).", style="bold"),),
}


def bulk_cost(action: str, instances: list[VMInstance], currency: str) -> str:
    """What the targets bill together now and once the action is done."""
    zero = Decimal(0)
    now = sum((instance_billing_rate(i.status, i.hourly_price, i.currency) for i in instances), zero)
    if action == "delete":
        after = zero
    else:
        after = sum((instance_billing_rate(_LEADS_TO[action], i.hourly_price, i.currency) for i in instances), zero)
    count = f"{len(instances)} instance{'s' if len(instances) != 1 else ''}"
    return f"together the {count} bill {rate_text(now, currency)} now, {rate_text(after, currency)} after"


def hibernate_lines(instance: VMInstance, currency: str, restore_key: str = INSTANCE_ACTION_KEYS["restore"][0]) -> list[Text]:
    """What hibernating this instance saves, from the price table (I3)."""
    saving = hibernation_saving_per_hour(instance.hourly_price, instance.currency)
    lines = [
        Text(f"It bills {money(instance.hourly_price)} {currency}/h ({per_day(instance.hourly_price)} {currency}/day) "
             f"while {instance.status}."),
        Text(f"Hibernated it bills {money(instance.hourly_price - saving)} {currency}/h: "
             f"saves {money(saving)} {currency}/h, {per_day(saving)} {currency}/day. Restore it later with {restore_key}.", style="green"),
    ]
    if instance.status == VMStatus.ACTIVE:
        lines.insert(0, Text("Running processes stop; the disk is kept.", style="yellow"))
    return lines


if TYPE_CHECKING:  # the type checker sees the screen this is mixed into; at run time it is only a mixin
    from barrack_tui.tui.shell.screen import AreaScreen as _MixedInto
else:
    _MixedInto = UsesBarrack


class InstanceActions(_MixedInto):
    """Mixed into a Screen: the instance actions, their confirmations and their requests."""


    def selected_instance(self) -> VMInstance | None:
        raise NotImplementedError

    def show_reason(self, text: str) -> None:
        raise NotImplementedError

    def after_ssh(self) -> None:
        """Called when the ssh session ended (the fleet screen puts the cursor back on its row)."""

    def marked_instances(self) -> list[VMInstance]:
        """The instances the power actions apply to instead of the selected one (the fleet's marks); none here."""
        return []

    def bulk_finished(self, report: BulkReport) -> None:
        """After a bulk run (the fleet unmarks what was done)."""

    def _refuse(self, text: str) -> None:
        self.show_reason(text)
        self.barrack.notify(text, severity="warning", timeout=4)

    def _target(self) -> VMInstance | None:
        instance = self.selected_instance()
        if instance is None:
            self._refuse("No instance selected")
        return instance

    # --- lifecycle ------------------------------------------------------------------------------------

    def action_instance(self, action: str) -> None:
        marked = self.marked_instances()
        if marked:
            self.bulk_instance_action(action, marked)
            return
        instance = self._target()
        if instance is None:
            return
        verdict = can_instance_action(action, instance.status)
        if not verdict:
            self._refuse(f"{ACTION_KEYS[action][1]} {instance.name}: {verdict.message}")
            return
        self.show_reason("")
        label = ACTION_KEYS[action][1]
        if action == "delete":
            self.barrack.push_screen(DeleteInstanceModal(instance), if_answered(partial(self.send_action, "delete", instance.id)))
            return
        # Every action asks first, with what it does to the bill: Enter confirms, Esc cancels.
        body = [Text.assemble(f"{label} ", (instance.name, "bold"), f" ({instance.status}, {instance.region})?")]
        if action == "hibernate":
            body += hibernate_lines(instance, self.barrack.store.currency, key_for(self, "instances.restore"))
        elif action == "stop":
            body.append(Text("A SHUTOFF instance still bills its full hourly rate; hibernate it to pay the flat rate.", style="yellow"))
        cost = cost_effect(action, currency=instance.currency, status=instance.status, hourly_price=instance.hourly_price)
        modal = ConfirmModal(title=f"{label} instance", resource=instance.name, confirm_label=label, cost=cost, lines=body)
        self.barrack.push_screen(modal, if_answered(partial(self.send_action, action, instance.id)))

    @work(group="instance-action", exit_on_error=False)
    async def send_action(self, action: str, instance_id: str) -> None:
        store = self.barrack.store
        try:
            if action == "delete":
                answer = await self.barrack.store.send(lambda api: api.delete_instance(instance_id))
            else:
                answer = await self.barrack.store.send(lambda api: getattr(api, f"{action}_instance")(instance_id))
        except ApiError as exc:
            self._refuse(str(exc))
            await store.refresh("instances")
            return
        instance = getattr(answer, "instance", None)
        if instance is not None:
            store.upsert("instances", instance)
            self.show_reason(f"{ACTION_KEYS[action][1]}: {instance.name} is {instance.status}")
        await store.refresh("instances")

    # --- the same action on every marked instance --------------------------------------------------

    def bulk_instance_action(self, action: str, instances: list[VMInstance]) -> None:
        """One confirmation listing every marked instance (the refused ones with the rule's words), then the run."""
        label = ACTION_KEYS[action][1]
        store = self.barrack.store
        targets: list[BulkTarget] = []
        allowed: list[VMInstance] = []
        for instance in instances:
            verdict = can_instance_action(action, instance.status)
            about = f"{instance.status}, {instance.region}"
            if not verdict:
                targets.append(BulkTarget(instance.id, instance.name, about, refusal=verdict.message))
                continue
            allowed.append(instance)
            targets.append(BulkTarget(instance.id, instance.name, about))

        async def send(target: BulkTarget) -> str:
            if action == "delete":
                answer = await store.send(lambda api: api.delete_instance(target.id))
            else:
                answer = await store.send(lambda api: getattr(api, f"{action}_instance")(target.id))
            changed = getattr(answer, "instance", None)
            if changed is None:
                return "sent"
            store.upsert("instances", changed)
            return f"now {changed.status}"

        plan = BulkPlan(
            verb=action, label=label, kind="instance", plural="instances", targets=targets, send=send,
            destructive=action == "delete", notes=BULK_NOTES.get(action, ()),
            cost=bulk_cost(action, allowed, store.currency) if allowed else None,
        )
        self.show_reason("")
        self.barrack.push_screen(BulkConfirmModal(plan), self._bulk_answered)

    def _bulk_answered(self, report: BulkReport | None) -> None:
        if report is None:
            return
        self.barrack.notify(f"{report.plan.label}: {report.counts()}", severity="warning" if report.failed else "information")
        self.bulk_finished(report)
        self.barrack.push_screen(BulkSummaryModal(report))
        if report.auth_error is not None:
            self.barrack.report_error(report.auth_error)
        self._refresh_after_bulk()

    @work(group="instance-action", exit_on_error=False)
    async def _refresh_after_bulk(self) -> None:
        await self.barrack.store.refresh("instances")

    # --- public IP (I5) -------------------------------------------------------------------------------

    def action_toggle_public_ip(self) -> None:
        instance = self._target()
        if instance is None:
            return
        verdict = can_toggle_public_ip(instance.status)
        if not verdict:
            self._refuse(f"Public IP of {instance.name}: {verdict.message}")
            return
        cost = cost_effect("public_ip", currency=instance.currency)
        if instance.public_ip:
            body = [Text.assemble("Release the public IP ", (instance.public_ip, "bold"), " of ", (instance.name, "bold"), "?"),
                    Text("SSH and services reached through it stop working; the address may not come back.")]
            modal = ConfirmModal(title="Turn the public IP off", resource=instance.name, confirm_label="Turn off", cost=cost, lines=body)
        else:
            body = [Text.assemble("Give ", (instance.name, "bold"), " a public IP address?")]
            modal = ConfirmModal(title="Turn the public IP on", resource=instance.name, confirm_label="Turn on", cost=cost, lines=body,
                                 warning=PUBLIC_IP_WARNING)
        self.barrack.push_screen(modal, if_answered(partial(self.send_toggle_public_ip, instance.id)))

    @work(group="instance-action", exit_on_error=False)
    async def send_toggle_public_ip(self, instance_id: str) -> None:
        try:
            answer = await self.barrack.store.send(lambda api: api.toggle_public_ip(instance_id))
        except ApiError as exc:
            self._refuse(str(exc))
            return
        self.barrack.store.upsert("instances", answer.instance)
        address = answer.public_ip or "off"
        self.barrack.notify(f"{answer.instance.name}: public IP {address}")
        await self.barrack.store.refresh("instances")

    # --- security rules (F3) --------------------------------------------------------------------------

    def action_add_rule(self) -> None:
        instance = self._target()
        if instance is not None:
            self.barrack.push_screen(AddSecurityRuleModal(instance), if_answered(partial(self._rules_changed, instance, "added")))

    def action_remove_rule(self) -> None:
        instance = self._target()
        if instance is not None:
            self.barrack.push_screen(RemoveSecurityRuleModal(instance),
                                    if_answered(partial(self._rules_changed, instance, "removed")))

    def _rules_changed(self, instance: VMInstance, what: str) -> None:
        self.barrack.notify(f"Security rule {what} on {instance.name}")
        self.rules_changed(instance.id)

    def rules_changed(self, instance_id: str) -> None:
        """The details pane re-reads the instance; the table has nothing to redraw."""

    # --- ssh and clipboard ----------------------------------------------------------------------------

    def action_ssh(self) -> None:
        instance = self._target()
        if instance is None:
            return
        settings = self.barrack.settings
        # A refusal names the step that would open the way, with the key that takes it now.
        keys = {action: key_for(self, f"instances.{action}") for action in (*ssh_config.WAKE_ACTIONS, "public_ip")}
        route = ssh_config.ssh_route(instance, settings.ssh_jump_host, keys)
        if route.target is None or route.address is None:
            self._refuse(route.refusal)
            return
        argv = ssh_config.ssh_command(instance, settings.ssh_options, settings.ssh_jump_host) or []
        try:
            with self.barrack.suspend():
                ssh_session.announce(ssh_session.connecting_text(instance.name, route.address, route.jump_host))
                with ssh_session.ctrl_c_goes_to_ssh():
                    code = run_ssh(argv)
        except SuspendNotSupported:
            text = ssh_config.ssh_command_text(instance, settings.ssh_options, settings.ssh_jump_host)
            self._refuse(f"This terminal cannot hand over to ssh; run: {text}")
            return
        except OSError as exc:
            self._refuse(f"Could not start ssh: {exc.strerror}")
            return
        self.show_reason(f"ssh to {instance.name} ended (exit code {code})")
        self.after_ssh()

    def action_copy_id(self) -> None:
        instance = self._target()
        if instance is not None:
            self.barrack.copy_to_clipboard(instance.id)
            self.barrack.notify(f"Copied the id {instance.id}")

    def action_copy_ssh(self) -> None:
        instance = self._target()
        if instance is not None:
            command = ssh_config.ssh_command_text(instance, self.barrack.settings.ssh_options, self.barrack.settings.ssh_jump_host)
            self.barrack.copy_to_clipboard(command)
            self.barrack.notify(f"Copied: {command}")

    def instance_commands(self) -> list[SystemCommand]:
        """The palette's entries for the selected instance's actions (each names its current key)."""
        marked = len(self.marked_instances())
        target = f"the {marked} marked instances" if marked else "the selected instance"
        commands = [
            command(self, f"instances.{action}", f"Instance: {label}", f"{label} {target}",
                    partial(self.action_instance, action))
            for action, (_key, label) in ACTION_KEYS.items()
        ]
        commands += [
            command(self, "instances.public_ip", "Instance: Toggle public IP", "Turn the public IP on/off", self.action_toggle_public_ip),
            command(self, "instances.add_rule", "Instance: Add security rule", "Add an ingress/egress rule", self.action_add_rule),
            command(self, "instances.remove_rule", "Instance: Remove security rule", "Remove one of its rules", self.action_remove_rule),
            command(self, "instances.ssh", "Instance: SSH", "Open ssh to its public IP", self.action_ssh),
            command(self, "instances.copy_id", "Instance: Copy id", "Copy the instance id", self.action_copy_id),
            command(self, "instances.copy_ssh", "Instance: Copy SSH command", "Copy the ssh command line", self.action_copy_ssh),
        ]
        return commands
