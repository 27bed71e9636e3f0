"""An instance's own security rules: the F3 rule fields (live validation), add and remove forms.

`SecurityRuleFields` is also used by the deploy wizard's advanced step, so a
rule is validated the same way before and after deployment. Every message
shown comes from `rules.validators.validate_security_rule` / `parse_int`; the
forms show the server's refusal in place (`str(exc)`) and stay open. Both
ask first (`ConfirmModal`, Enter confirms) with the rule and its cost effect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import VMInstance, VMSecurityRule, VMSecurityRuleRequest
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.network import (
    DIRECTIONS,
    ETHERTYPES,
    PORTED_PROTOCOLS,
    PROTOCOLS,
    SecurityRuleLike,
    validate_rule_is_new,
)
from barrack_tui.rules.validators import parse_int, validate_security_rule
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.form import FormModal

RULE_FIELD_ORDER = ("direction", "protocol", "ethertype", "remote_ip_prefix", "ports")


def describe_rule(rule: VMSecurityRule | VMSecurityRuleRequest) -> Text:
    """`ingress tcp IPv4 203.0.113.0/24 22-22` as plain Text (the prefix is a server string)."""
    ports = ""
    if rule.port_range_min is not None:
        ports = f" ports {rule.port_range_min}" + (
            f"-{rule.port_range_max}" if rule.port_range_max not in (None, rule.port_range_min) else ""
        )
    return Text(f"{rule.direction} {rule.protocol} {rule.ethertype} {rule.remote_ip_prefix}{ports}")


class SecurityRuleFields(Vertical):
    """Direction, protocol, IP version, remote range and ports, validated on every change."""

    def __init__(self, *, id: str | None = None, existing: Callable[[], Iterable[SecurityRuleLike]] | None = None) -> None:
        super().__init__(id=id, classes="rule-fields")
        self._touched: set[str] = set()
        self._existing = existing  # the rules already there: an identical one is refused before it is sent

    def compose(self) -> ComposeResult:
        with Horizontal(classes="rule-row"):
            yield Select([(d, d) for d in DIRECTIONS], value="ingress", allow_blank=False, id="rule-direction")
            yield Select([(p, p) for p in PROTOCOLS], value="tcp", allow_blank=False, id="rule-protocol")
            yield Select([(e, e) for e in ETHERTYPES], value="IPv4", allow_blank=False, id="rule-ethertype")
        with Horizontal(classes="rule-row"):
            yield Input(placeholder="remote range, e.g. 203.0.113.0/24", id="rule-cidr")
            yield Input(placeholder="port min", id="rule-port-min", classes="rule-port")
            yield Input(placeholder="port max", id="rule-port-max", classes="rule-port")
        yield Static(Text(""), id="rule-errors", classes="error field-error")

    def _port(self, widget_id: str, label: str) -> tuple[int | None, Verdict | None]:
        text = self.query_one(widget_id, Input).value.strip()
        if not text:
            return None, None
        value, verdict = parse_int(text, label=label)
        return value, None if verdict else verdict

    def verdicts(self) -> tuple[VMSecurityRuleRequest | None, dict[str, Verdict]]:
        """The request when every field passes F3, and each field's verdict."""
        direction = str(self.query_one("#rule-direction", Select).value)
        protocol = str(self.query_one("#rule-protocol", Select).value)
        ethertype = str(self.query_one("#rule-ethertype", Select).value)
        prefix = self.query_one("#rule-cidr", Input).value.strip()
        port_min, min_problem = self._port("#rule-port-min", "Minimum port")
        port_max, max_problem = self._port("#rule-port-max", "Maximum port")
        verdicts = validate_security_rule(direction, protocol, ethertype, prefix, port_min, port_max)
        ports_problem = min_problem if min_problem is not None else max_problem
        if ports_problem is not None:  # a refused Verdict is falsy: compare with None
            verdicts["ports"] = ports_problem
        if not all(verdicts.values()):
            return None, verdicts
        request = VMSecurityRuleRequest(
            direction=direction,
            protocol=protocol,
            ethertype=ethertype,
            remote_ip_prefix=prefix,
            port_range_min=port_min,
            port_range_max=port_max,
        )
        return request, verdicts

    def show(self, *, all_fields: bool = False) -> VMSecurityRuleRequest | None:
        """Show the messages of touched fields (all of them on submit); return the request if valid."""
        request, verdicts = self.verdicts()
        touched = self._touched | ({"remote_ip_prefix", "ports"} if all_fields else set())
        messages = [v.message for key, v in verdicts.items() if not v and (key in touched or key in ("direction", "protocol", "ethertype"))]
        if request is not None and self._existing is not None:
            new_rule = validate_rule_is_new(request, self._existing())
            if not new_rule:
                messages.append(new_rule.message)
                request = None
        self.query_one("#rule-errors", Static).update(Text("\n".join(messages)))
        return request

    def clear(self) -> None:
        # Emptied for the next rule, not by the user: no "required" messages until they type.
        with self.prevent(Input.Changed):
            for widget_id in ("#rule-cidr", "#rule-port-min", "#rule-port-max"):
                self.query_one(widget_id, Input).value = ""
        self._touched.clear()
        self.query_one("#rule-errors", Static).update(Text(""))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._touched.add("remote_ip_prefix" if event.input.id == "rule-cidr" else "ports")
        self.show()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "rule-protocol":
            ported = event.value in PORTED_PROTOCOLS
            for widget_id in ("#rule-port-min", "#rule-port-max"):
                port_input = self.query_one(widget_id, Input)
                port_input.disabled = not ported
                if not ported:
                    port_input.value = ""
        self.show()


class AddSecurityRuleModal(FormModal[VMSecurityRule, VMSecurityRuleRequest | None]):
    """Adds the rule through the API; dismisses with the created rule.

    The messages are the rule fields' own (one line, shared with the deploy
    wizard), so the form has no per-field lines: its values are the request
    the fields make (None while a field is refused).
    """

    CSS_PATH = "instances.tcss"
    FORM = "the new security rule form"
    SUBMIT_ID = "add-rule-ok"
    CANCEL_ID = "add-rule-cancel"
    ERROR_ID = "add-rule-server"
    MESSAGE_STYLE = ""  # the line's `error` class colours it
    WORK_GROUP = "instance-rule"

    def __init__(self, instance: VMInstance) -> None:
        super().__init__()
        self.instance = instance

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="add-rule-box"):
            yield Static(Text.assemble("Add a security rule to ", (self.instance.name, "bold")), classes="modal-title")
            yield SecurityRuleFields(id="add-rule-fields")
            server = Static(Text(""), id="add-rule-server", classes="error")
            server.display = False
            yield server
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="add-rule-cancel")
                yield Button("Add rule", variant="primary", id="add-rule-ok")

    def on_mount(self) -> None:
        self.query_one("#rule-cidr", Input).focus()

    def values(self) -> VMSecurityRuleRequest | None:
        return self.query_one(SecurityRuleFields).verdicts()[0]

    def verdicts(self, values: VMSecurityRuleRequest | None) -> dict[str, Verdict]:
        return self.query_one(SecurityRuleFields).verdicts()[1]

    def submit(self) -> None:
        # The fields say what is wrong with the ones not touched yet too.
        self.query_one(SecurityRuleFields).show(all_fields=True)
        super().submit()

    def confirmation(self, values: VMSecurityRuleRequest | None) -> ConfirmModal | None:
        if values is None:
            return None
        body = [Text.assemble("Add ", describe_rule(values), " to ", (self.instance.name, "bold"), "?")]
        return ConfirmModal(title="Add a security rule", resource=self.instance.name, confirm_label="Add rule",
                            cost=cost_effect("rule_add", currency=self.instance.currency), lines=body)

    async def send(self, values: VMSecurityRuleRequest | None) -> VMSecurityRule:
        if values is None:  # submit waits for every field to pass: unreachable, said so for the type checker
            raise RuntimeError("no rule to add")
        answer = await self.barrack.store.send(lambda api: api.add_instance_security_rule(self.instance.id, values))
        rule: VMSecurityRule = answer.rule
        return rule


class RemoveSecurityRuleModal(FormModal[str, VMSecurityRule | None]):
    """Lists the instance's rules (fresh from the API); removes the chosen one; dismisses with its id.

    The list is the form's field: its value is the highlighted rule, and
    Remove rule waits for the rules to load.
    """

    CSS_PATH = "instances.tcss"
    SUBMIT_ID = "remove-rule-ok"
    CANCEL_ID = "remove-rule-cancel"
    ERROR_ID = "remove-rule-status"  # the status line says the refusal too, where it said what to do
    MESSAGE_STYLE = "red"
    WORK_GROUP = "instance-rule"

    def __init__(self, instance: VMInstance) -> None:
        super().__init__()
        self.instance = instance
        self.rules: list[VMSecurityRule] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="remove-rule-box"):
            yield Static(Text.assemble("Remove a security rule from ", (self.instance.name, "bold")), classes="modal-title")
            yield OptionList(id="remove-rule-list")
            yield Static(Text("Loading the rules…", style="dim"), id="remove-rule-status")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="remove-rule-cancel")
                yield Button("Remove rule", variant="error", id="remove-rule-ok", disabled=True)

    def on_mount(self) -> None:
        # The list has the focus: Enter picks the highlighted rule, and a confirmation still follows.
        self.query_one("#remove-rule-list", OptionList).focus()
        self.load()

    @work(exclusive=True, group="instance-rule", exit_on_error=False)
    async def load(self) -> None:
        status = self.query_one("#remove-rule-status", Static)
        try:
            details = await self.barrack.store.send(lambda api: api.get_instance(self.instance.id))
        except ApiError as exc:
            status.update(Text(str(exc), style="red"))
            return
        self.rules = list(details.security_rules)
        options = self.query_one("#remove-rule-list", OptionList)
        options.clear_options()
        options.add_options([Option(describe_rule(rule), id=rule.id) for rule in self.rules])
        if self.rules:
            options.highlighted = 0
            status.update(Text("Choose the rule to remove.", style="dim"))
        else:
            status.update(Text("This instance has no security rules.", style="dim"))
        self.validate()

    @on(OptionList.OptionHighlighted, "#remove-rule-list")
    def _highlighted(self) -> None:
        self.validate()

    @on(OptionList.OptionSelected, "#remove-rule-list")
    def _selected(self) -> None:
        self.submit()

    # --- the form ---------------------------------------------------------------------------------

    def values(self) -> VMSecurityRule | None:
        highlighted = self.query_one("#remove-rule-list", OptionList).highlighted
        return None if highlighted is None or not self.rules else self.rules[highlighted]

    def verdicts(self, values: VMSecurityRule | None) -> dict[str, Verdict]:
        # The status line says what to do: the verdict only holds Remove rule back.
        return {"rule": ALLOWED if values is not None else refuse("NO_RULE", "Choose the rule to remove.")}

    def confirmation(self, values: VMSecurityRule | None) -> ConfirmModal | None:
        if values is None:
            return None
        body = [Text.assemble("Remove ", describe_rule(values), " from ", (self.instance.name, "bold"), "?")]
        return ConfirmModal(title="Remove a security rule", resource=self.instance.name, confirm_label="Remove rule",
                            cost=cost_effect("rule_remove", currency=self.instance.currency), lines=body)

    async def send(self, values: VMSecurityRule | None) -> str:
        if values is None:  # submit waits for a rule: unreachable, said so for the type checker
            raise RuntimeError("no rule to remove")
        rule_id = values.id
        await self.barrack.store.send(lambda api: api.remove_instance_security_rule(self.instance.id, rule_id))
        return rule_id
