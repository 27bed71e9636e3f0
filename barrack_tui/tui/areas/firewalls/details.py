"""A firewall's details (pushed from the Firewalls list): the Rules tab and the Attached instances tab.

Rules: add (the F3 form with presets), remove with confirmation; after any
rule change the screen says, and keeps saying, that changes may take up to
10 minutes to apply (F6). Attached instances: attach (F4 in the picker),
detach with a warning that the instance may be left unprotected. Delete is
offered only when F5 allows it, and the reason is on screen when it does not.

Details come from `get_firewall` in a worker: on open, after every change,
when the store reports this firewall (or one of its instances) changed, and
every few seconds while an attachment is still ATTACHING.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from barrack_tui.api.models import FirewallAttachment, FirewallResponse, FirewallRule, GetFirewallDetailsResponse
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.firewalls import RULE_CHANGE_NOTICE, can_delete_firewall
from barrack_tui.tui.areas.firewalls.actions import FirewallFlows, created_text, plural, ports_text, rule_summary
from barrack_tui.tui.areas.firewalls.confirm import firewall_error
from barrack_tui.tui.areas.firewalls.rule import AddRuleModal
from barrack_tui.tui.kit.badge import status_badge, status_text
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.key_scheme import bind
from barrack_tui.tui.kit.synced_table import SyncedTable
from barrack_tui.tui.shell.keymap import key_for
from barrack_tui.tui.shell.read_only import command
from barrack_tui.tui.shell.screen import AreaScreen
from barrack_tui.tui.shell.store import ChangeSet

RULE_COLUMNS = (("direction", "Direction"), ("protocol", "Protocol"), ("ethertype", "IP version"),
                ("range", "Remote range"), ("ports", "Ports"))
ATTACHMENT_COLUMNS = (("instance", "Instance"), ("instance_status", "Instance status"), ("status", "Attachment"))


def rule_cells(rule: FirewallRule) -> list[Text]:
    return [Text(str(rule.direction)), Text(str(rule.protocol)), Text(str(rule.ethertype)),
            Text(str(rule.remote_ip_prefix)), Text(ports_text(rule))]


def attachment_cells(attachment: FirewallAttachment) -> list[Text]:
    return [Text(str(attachment.instance_name)), status_text(attachment.instance_status), status_badge(attachment.status)]


class FirewallDetailsScreen(FirewallFlows, AreaScreen):
    CSS_PATH = "firewalls.tcss"
    POLL_KINDS = ("firewalls", "firewall_details")
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "back", "Back", id="firewall_details.back"),
        bind("add rule", "add_rule", "Add rule", id="firewall_details.add_rule"),
        bind("remove rule", "remove_rule", "Remove rule", id="firewall_details.remove_rule"),
        bind("attach", "attach", "Attach", id="firewall_details.attach"),
        bind("detach", "detach", "Detach", id="firewall_details.detach"),
        bind("delete", "delete", "Delete", id="firewall_details.delete"),
        # `t` switches tab as on every tabbed screen; `i` still jumps straight to the instances.
        bind("tab", "switch_tab", "Rules/Instances", id="firewall_details.tab_rules"),
        Binding("i", "tab('instances')", "Instances tab", show=False, id="firewall_details.tab_instances"),
    ]

    def __init__(self, firewall_id: str) -> None:
        super().__init__()
        self.firewall_id = firewall_id
        self.rule_changed_notice = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="fwd-title", classes="screen-title")
        yield Static(id="fwd-subtitle", classes="hint")
        notice = Static(Text(RULE_CHANGE_NOTICE), id="fwd-notice", classes="notice")
        notice.display = False
        yield notice
        with TabbedContent(initial="rules", id="fwd-tabs"):
            with TabPane("Rules", id="rules"):
                yield SyncedTable(RULE_COLUMNS, id="fwd-rules")
                yield Static(id="fwd-rules-empty", classes="hint")
            with TabPane("Attached instances", id="instances"):
                yield SyncedTable(ATTACHMENT_COLUMNS, id="fwd-attachments")
                yield Static(id="fwd-attachments-empty", classes="hint")
        yield Static(id="fwd-actions", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        # The store reads the details with every other poll (fast while an attachment is ATTACHING).
        self.barrack.store.follow_firewall(self.firewall_id)
        self.query_one("#fwd-rules", SyncedTable).focus()
        self.render_details()
        self.reload()

    def on_unmount(self) -> None:
        super().on_unmount()
        self.barrack.store.unfollow_firewall(self.firewall_id)

    # --- data -------------------------------------------------------------------------------------

    @property
    def details(self) -> GetFirewallDetailsResponse | None:
        details: GetFirewallDetailsResponse | None = self.barrack.store.firewall_details.get(self.firewall_id)
        return details

    def current_firewall(self) -> FirewallResponse | None:
        if self.details is not None:
            return self.details.firewall
        return self.barrack.store.firewalls.get(self.firewall_id)

    def reload(self) -> None:
        """Read the details now (after an action here, or a change the lists showed), not at the next poll."""
        self.run_worker(self.barrack.store.refresh("firewall_details"), group="firewall-details", exclusive=True,
                        exit_on_error=False)

    def refresh_from_store(self) -> None:
        self.render_details()

    def store_changed(self, change: ChangeSet) -> None:
        if change.kind == "firewall_details":
            if self.firewall_id in change.removed:
                self._gone()
            elif self.firewall_id in change.changed:
                self.render_details()
        elif change.kind == "firewalls":
            if self.firewall_id in change.removed:
                self._gone()
            elif self.firewall_id in change.changed:
                self.reload()
        elif change.kind == "instances" and self.details is not None:
            attached = {a.instance_id for a in self.details.attachments}
            if attached & (change.changed | change.removed):
                self.reload()

    def _gone(self) -> None:
        if self.barrack.screen is self:
            self.notify("This firewall no longer exists.", severity="warning")
            self.barrack.pop_screen()

    # --- drawing ----------------------------------------------------------------------------------

    def render_details(self) -> None:
        firewall = self.current_firewall()
        title = Text(no_wrap=True, overflow="ellipsis")
        if firewall is None:
            title.append("Loading firewall…", style="dim")
            self.query_one("#fwd-title", Static).update(title)
            return
        title.append("Firewall ")
        title.append(Text(str(firewall.name), style="bold"))
        title.append(f"  {firewall.region}  ")
        title.append(status_badge(firewall.status))
        self.query_one("#fwd-title", Static).update(title)
        subtitle = Text(no_wrap=True, overflow="ellipsis")
        subtitle.append(Text(str(firewall.description) or "no description"))
        subtitle.append(f"  ·  created {created_text(firewall.created_at)}", style="dim")
        self.query_one("#fwd-subtitle", Static).update(subtitle)
        self.query_one("#fwd-notice").display = self.rule_changed_notice
        if self.details is not None:
            self._render_tables(self.details)
        self._render_actions(firewall)

    def _render_tables(self, details: GetFirewallDetailsResponse) -> None:
        self.query_one("#fwd-rules", SyncedTable).sync([(rule.id, rule_cells(rule)) for rule in details.rules])
        empty = self.query_one("#fwd-rules-empty", Static)
        empty.update(Text(f"No rules yet. {key_for(self, 'firewall_details.add_rule')}: add one (presets: SSH, HTTP/HTTPS, Jupyter, ping)."))
        empty.display = not details.rules
        self.query_one("#fwd-attachments", SyncedTable).sync([(a.instance_id, attachment_cells(a)) for a in details.attachments])
        empty = self.query_one("#fwd-attachments-empty", Static)
        attach = key_for(self, "firewall_details.attach")
        empty.update(Text(f"Not attached to any instance. {attach}: attach to ACTIVE instances in {details.firewall.region}."))
        empty.display = not details.attachments
        tabs = self.query_one("#fwd-tabs", TabbedContent)
        tabs.get_tab("rules").label = Text(f"Rules ({len(details.rules)})")
        tabs.get_tab("instances").label = Text(f"Attached instances ({len(details.attachments)})")

    def _render_actions(self, firewall: FirewallResponse) -> None:
        lines: list[Text] = []
        attachments = self.details.attachments if self.details is not None else []
        attaching = sum(1 for a in attachments if str(a.status) == "ATTACHING")
        if attaching:
            lines.append(Text(f"{plural(attaching, 'attachment')} still ATTACHING: the rules apply to it once SUCCESS.", style="cyan"))
        verdict = can_delete_firewall(firewall.attachment_count, firewall.status)
        if verdict:
            lines.append(Text(f"{key_for(self, 'firewall_details.delete')}: delete (type the name to confirm)"))
        else:
            line = Text("Delete: ")
            line.append(verdict.message, style="yellow")
            lines.append(line)
        self.query_one("#fwd-actions", Static).update(Text("\n").join(lines))

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        table_id = "#fwd-rules" if event.pane.id == "rules" else "#fwd-attachments"
        self.query_one(table_id, SyncedTable).focus()
        self.refresh_bindings()

    @property
    def active_tab(self) -> str:
        return self.query_one("#fwd-tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_rule":
            return self.active_tab == "rules"
        if action == "detach":
            return self.active_tab == "instances"
        return True

    # --- actions ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.barrack.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one("#fwd-tabs", TabbedContent).active = tab

    def action_switch_tab(self) -> None:
        self.action_tab("instances" if self.active_tab == "rules" else "rules")

    def _selected_key(self, table_id: str) -> str | None:
        return self.query_one(table_id, SyncedTable).selected_id

    def selected_rule(self) -> FirewallRule | None:
        key = self._selected_key("#fwd-rules")
        return next((r for r in self.details.rules if r.id == key), None) if self.details else None

    def selected_attachment(self) -> FirewallAttachment | None:
        key = self._selected_key("#fwd-attachments")
        return next((a for a in self.details.attachments if a.instance_id == key), None) if self.details else None

    def action_add_rule(self) -> None:
        firewall = self._need_firewall()
        if firewall is not None:
            rules = self.details.rules if self.details is not None else []
            self.barrack.push_screen(AddRuleModal(firewall, rules), self._rules_added)

    def _rules_added(self, rules: list[FirewallRule] | None) -> None:
        if rules:
            self.rules_changed(f"{plural(len(rules), 'rule')} added.")

    def action_remove_rule(self) -> None:
        firewall, rule = self.current_firewall(), self.selected_rule()
        if firewall is None or rule is None:
            self.notify("Select a rule to remove.", severity="warning")
            return
        body = Text("Remove this rule from ")
        body.append(Text(str(firewall.name), style="bold"))
        body.append("?\n")
        body.append(rule_summary(rule))

        async def remove() -> None:
            await self.barrack.store.send(lambda api: api.remove_firewall_rule(firewall.id, rule.id))

        modal = ConfirmModal(title="Remove rule", resource=str(firewall.name), confirm_label="Remove", lines=[body], run=remove,
                             cost=cost_effect("rule_remove", currency=self.barrack.store.currency),
                             error_words=firewall_error, modal_id="fw-remove-rule")
        self.barrack.push_screen(modal, lambda done: self.rules_changed("Rule removed.") if done else None)

    def rules_changed(self, what: str) -> None:
        """F6: every rule change says it may take up to 10 minutes, and the screen keeps saying it."""
        self.rule_changed_notice = True
        self.query_one("#fwd-notice").display = True
        self.notify(f"{what} {RULE_CHANGE_NOTICE}", title="Firewall rules", timeout=10)
        self.firewall_changed()

    def action_detach(self) -> None:
        firewall, attachment = self.current_firewall(), self.selected_attachment()
        if firewall is None or attachment is None:
            self.notify("Select an attached instance to detach.", severity="warning")
            return
        body = Text("Detach ")
        body.append(Text(str(firewall.name), style="bold"))
        body.append(" from ")
        body.append(Text(str(attachment.instance_name), style="bold"))
        body.append("?")
        warning = Text("Warning: ", style="bold")
        warning.append(Text(str(attachment.instance_name)))
        warning.append(" may be left unprotected: this firewall's rules stop applying to it "
                       "(other firewalls attached to it still apply).")

        async def detach() -> None:
            await self.barrack.store.send(lambda api: api.detach_firewall(firewall.id, [attachment.instance_id]))

        # Destructive: the instance may be left unprotected, so the instance's name is typed to confirm.
        modal = ConfirmModal(title="Detach firewall", resource=str(attachment.instance_name), confirm_label="Detach",
                             lines=[body], warning=warning, run=detach, destructive=True, error_words=firewall_error,
                             cost=cost_effect("firewall_detach", currency=self.barrack.store.currency),
                             modal_id="fw-detach")
        self.barrack.push_screen(modal, lambda done: self._detached(attachment) if done else None)

    def _detached(self, attachment: FirewallAttachment) -> None:
        self.notify(f"Detached from {attachment.instance_name}.", title="Firewall")
        self.firewall_changed()

    def firewall_changed(self) -> None:
        super().firewall_changed()
        self.reload()  # the list's counts come from the store; the tabs come from the details

    def firewall_deleted(self, firewall: FirewallResponse) -> None:
        if self.barrack.screen is self:
            self.barrack.pop_screen()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield command(self, "firewall_details.add_rule", "Firewall: add rule", "With presets for SSH, HTTP/HTTPS, Jupyter, ping",
                      self.action_add_rule)
        yield command(self, "firewall_details.remove_rule", "Firewall: remove rule", "Remove the selected rule", self.action_remove_rule)
        yield command(self, "firewall_details.attach", "Firewall: attach to instances", "", self.action_attach)
        yield command(self, "firewall_details.detach", "Firewall: detach instance", "Detach the selected instance", self.action_detach)
        yield command(self, "firewall_details.delete", "Firewall: delete", "", self.action_delete)
        yield command(self, "firewall_details.back", "Firewall: back to the list", "", self.action_back)
