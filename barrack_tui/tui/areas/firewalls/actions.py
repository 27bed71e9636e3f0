"""What the Firewalls list and a firewall's details share: how a firewall and a rule read, and the attach/delete flows.

Both screens mix in `FirewallFlows` and say which firewall is current; the
flows ask the rules (F5 before offering delete), open the modals (which send
the request and show refusals in place), then put the answer in the store.
Notifications are sent with markup off: they quote firewall names, which are
server strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.screen import Screen

from barrack_tui.api.models import FirewallResponse, FirewallRule
from barrack_tui.rules.firewalls import can_delete_firewall
from barrack_tui.tui.areas.firewalls.attach import AttachFirewallModal
from barrack_tui.tui.areas.firewalls.confirm import DeleteFirewallModal
from barrack_tui.tui.kit.access import UsesBarrack


def ports_text(rule: FirewallRule) -> str:
    if rule.port_range_min is None and rule.port_range_max is None:
        return "any" if str(rule.protocol) != "icmp" else "—"
    if rule.port_range_min == rule.port_range_max:
        return str(rule.port_range_min)
    return f"{rule.port_range_min}-{rule.port_range_max}"


def rule_summary(rule: FirewallRule) -> Text:
    """`ingress tcp IPv4 0.0.0.0/0 port 22`, for confirmations."""
    text = Text(f"{rule.direction} {rule.protocol} {rule.ethertype} ")
    text.append(Text(str(rule.remote_ip_prefix)))
    ports = ports_text(rule)
    if ports != "—":
        text.append(f" port {ports}" if "-" not in ports else f" ports {ports}")
    return text


def created_text(created_at: datetime) -> str:
    return created_at.strftime("%Y-%m-%d")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class FirewallFlows(UsesBarrack, Screen[Any]):
    """Attach and delete, from wherever a firewall is current."""

    def current_firewall(self) -> FirewallResponse | None:
        raise NotImplementedError

    def firewall_changed(self) -> None:
        """A mutation landed: fetch the list (and, on the details screen, the details) again."""
        self.run_worker(self.barrack.store.refresh("firewalls"), group="firewalls.refresh", exit_on_error=False)

    def firewall_deleted(self, firewall: FirewallResponse) -> None:
        """Hook: the details screen closes itself."""

    def _need_firewall(self) -> FirewallResponse | None:
        firewall = self.current_firewall()
        if firewall is None:
            self.notify("Select a firewall first.", severity="warning")
        return firewall

    def action_attach(self) -> None:
        firewall = self._need_firewall()
        if firewall is not None:
            self.barrack.push_screen(AttachFirewallModal(firewall), lambda result: self._attached(firewall, result))

    def _attached(self, firewall: FirewallResponse, attachments: list[Any] | None) -> None:
        if not attachments:
            return
        attaching = sum(1 for a in attachments if str(a.status) == "ATTACHING")
        self.notify(
            f"{firewall.name}: attaching to {plural(attaching, 'instance')}. Its rules apply once the attachment is SUCCESS.",
            title="Firewall",
        )
        self.firewall_changed()

    def action_delete(self) -> None:
        firewall = self._need_firewall()
        if firewall is None:
            return
        verdict = can_delete_firewall(firewall.attachment_count, firewall.status)
        if not verdict:
            self.notify(verdict.message, title=f"Cannot delete {firewall.name}", severity="warning")
            return
        self.barrack.push_screen(DeleteFirewallModal(firewall, self.barrack.store.currency), lambda done: self._deleted(firewall, done))

    def _deleted(self, firewall: FirewallResponse, done: bool | None) -> None:
        if not done:
            return
        self.barrack.store.remove("firewalls", firewall.id)
        self.notify(f"Firewall {firewall.name} deleted.", title="Firewall")
        self.firewall_changed()
        self.firewall_deleted(firewall)
