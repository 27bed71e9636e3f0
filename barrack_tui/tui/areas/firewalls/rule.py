"""The "Add rule" form of a firewall: F3 validation as the user types, ports hidden for ICMP, common presets.

Every message comes from `rules.validate_security_rule` (the simulator's 422
uses the same function), so the form and the server say the same words.
The HTTP/HTTPS preset is two rules (80 and 443), not the range 80-443 that
would open every port in between; the form says so and sends both.

Add asks first (`ConfirmModal`: the rule(s), the firewall, no cost change;
Enter confirms). Dismisses with the list of rules added (empty or None when
nothing was).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from barrack_tui.api.errors import ApiError
from barrack_tui.api.models import AddFirewallRuleResponse, FirewallResponse, FirewallRule
from barrack_tui.rules.cost_effects import cost_effect
from barrack_tui.rules.network import DIRECTIONS, ETHERTYPES, PROTOCOLS, validate_rule_is_new
from barrack_tui.rules.validators import parse_int, validate_ports, validate_security_rule
from barrack_tui.rules.verdict import ALLOWED, Verdict
from barrack_tui.tui.areas.firewalls.create import form_row
from barrack_tui.tui.kit.confirm import ConfirmModal
from barrack_tui.tui.kit.form import FormModal

DEFAULT_RANGE = {"IPv4": "0.0.0.0/0", "IPv6": "::/0"}

if TYPE_CHECKING:
    from barrack_tui.api.client import BarrackClient


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    protocol: str
    ports: tuple[int, int] | None
    # A second port for the same rule shape (HTTP/HTTPS: 80, then 443).
    second_port: int | None = None


PRESETS = (
    Preset("ssh", "SSH 22", "tcp", (22, 22)),
    Preset("web", "HTTP/HTTPS 80/443", "tcp", (80, 80), second_port=443),
    Preset("jupyter", "Jupyter 8888", "tcp", (8888, 8888)),
    Preset("ping", "Ping", "icmp", None),
)


def body_text(body: dict[str, Any]) -> str:
    """`ingress tcp IPv4 0.0.0.0/0 port 22`: a rule the form is about to send, for its confirmation."""
    text = f"{body['direction']} {body['protocol']} {body['ethertype']} {body['remote_ip_prefix']}"
    low, high = body.get("port_range_min"), body.get("port_range_max")
    if low is not None:
        text += f" port {low}" if high in (None, low) else f" ports {low}-{high}"
    return text


def add_rule(api: BarrackClient, *, firewall_id: str, body: dict[str, Any]) -> Awaitable[AddFirewallRuleResponse]:
    """One rule sent: the form sends a preset's rules one by one."""
    return api.add_firewall_rule(firewall_id, body)


def _choices(values: tuple[str, ...]) -> list[tuple[Text, str]]:
    return [(Text(value), value) for value in values]


class AddRuleModal(FormModal[list[FirewallRule] | None, list[dict[str, Any]]]):
    """The form's values are the rule bodies it would send: one, or two for the HTTP/HTTPS preset."""

    CSS_PATH = "firewalls.tcss"
    FORM = "the new rule form"
    FIELDS = ("direction", "protocol", "ethertype", "remote_ip_prefix", "ports")
    SUBMIT_ID = "rule-submit"
    CANCEL_ID = "rule-cancel"
    ERROR_ID = "rule-error"
    BUSY_LABEL = "Adding…"
    MESSAGE_STYLE = ""  # the stylesheet colours the message lines
    WORK_GROUP = "firewall-rule"

    def __init__(self, firewall: FirewallResponse, rules: Sequence[FirewallRule] = ()) -> None:
        super().__init__()
        self.firewall = firewall
        self.rules = list(rules)  # the firewall's rules as last shown: an identical one is refused before sending
        self.added: list[FirewallRule] = []
        # The HTTPS half of the HTTP/HTTPS preset, while the form still shows that preset's port 80.
        self._second: tuple[int, tuple[str, str, str]] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="fw-rule-box"):
            title = Text("Add rule to ")
            title.append(Text(str(self.firewall.name), style="bold"))
            yield Static(title, classes="modal-title")
            with Horizontal(id="fw-presets"):
                for preset in PRESETS:
                    yield Button(preset.label, id=f"preset-{preset.key}", compact=True, classes="preset")
            yield from form_row(
                "Direction", Select(_choices(DIRECTIONS), allow_blank=False, value="ingress", id="rule-direction", compact=True),
                message_id="rule-direction-message",
            )
            yield from form_row(
                "Protocol", Select(_choices(PROTOCOLS), allow_blank=False, value="tcp", id="rule-protocol", compact=True),
                message_id="rule-protocol-message",
            )
            yield from form_row(
                "IP version", Select(_choices(ETHERTYPES), allow_blank=False, value="IPv4", id="rule-ethertype", compact=True),
                message_id="rule-ethertype-message",
            )
            yield from form_row(
                "Remote range",
                Input(DEFAULT_RANGE["IPv4"], placeholder="CIDR, e.g. 203.0.113.0/24", id="rule-range", compact=True),
                message_id="rule-range-message",
            )
            with Horizontal(classes="form-row", id="rule-ports"):
                yield Static(Text("Ports"), classes="form-label")
                yield Input(placeholder="min 1", id="rule-port-min", compact=True, classes="port")
                yield Static(Text(" to "), classes="port-sep")
                yield Input(placeholder="max 65535", id="rule-port-max", compact=True, classes="port")
            ports_message = Static(id="rule-ports-message", classes="form-message")
            ports_message.display = False
            yield ports_message
            yield Static(id="rule-note", classes="form-note")
            error = Static(id="rule-error", classes="form-error")
            error.display = False
            yield error
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="rule-cancel", compact=True)
                yield Button("Add rule", id="rule-submit", variant="primary", compact=True, disabled=True)

    def on_mount(self) -> None:
        self.query_one("#rule-range", Input).focus()

    def message_id(self, field: str) -> str:
        return {"remote_ip_prefix": "rule-range-message", "ports": "rule-ports-message"}.get(field, f"rule-{field}-message")

    # --- reading the form -------------------------------------------------------------------------

    def _select(self, name: str) -> str | None:
        value = self.query_one(f"#rule-{name}", Select).value
        return None if value is Select.NULL else str(value)

    def _port_texts(self) -> tuple[str, str]:
        return self.query_one("#rule-port-min", Input).value, self.query_one("#rule-port-max", Input).value

    def _parse_ports(self) -> tuple[int | None, int | None, Verdict]:
        """The two port fields as numbers; an empty field is "not given", anything else must be a whole number."""
        parsed: list[int | None] = []
        for text, label in zip(self._port_texts(), ("Minimum port", "Maximum port"), strict=True):
            if not text.strip():
                parsed.append(None)
                continue
            value, verdict = parse_int(text, label=label)
            if not verdict:
                return None, None, verdict
            parsed.append(value)
        return parsed[0], parsed[1], ALLOWED

    def values(self) -> list[dict[str, Any]]:
        protocol = self._select("protocol")
        body: dict[str, Any] = {
            "direction": self._select("direction"),
            "protocol": protocol,
            "ethertype": self._select("ethertype"),
            "remote_ip_prefix": self.query_one("#rule-range", Input).value,
            "port_range_min": None,
            "port_range_max": None,
        }
        if protocol != "icmp":
            body["port_range_min"], body["port_range_max"], _ = self._parse_ports()
        second = self.second_body(body)
        return [body] if second is None else [body, second]

    def second_body(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The HTTPS rule of the HTTP/HTTPS preset, if the form still shows that preset."""
        if self._second is None:
            return None
        port, shown = self._second
        if (body["protocol"], *self._port_texts()) != shown:
            return None
        return {**body, "port_range_min": port, "port_range_max": port}

    # --- live validation --------------------------------------------------------------------------

    def verdicts(self, values: list[dict[str, Any]]) -> dict[str, Verdict]:
        body = values[0]
        verdicts = validate_security_rule(
            body["direction"], body["protocol"], body["ethertype"], body["remote_ip_prefix"], body["port_range_min"], body["port_range_max"]
        )
        _, _, parsed = self._parse_ports()
        if body["protocol"] != "icmp" and not parsed:
            verdicts["ports"] = parsed
        if all(verdicts.values()):
            # An identical rule is refused by the API (409); say so before it is sent.
            for candidate in values:
                new_rule = validate_rule_is_new(SimpleNamespace(**candidate), self.rules)
                if not new_rule:
                    verdicts["new_rule"] = new_rule
                    break
        return verdicts

    def after_validate(self, values: list[dict[str, Any]], verdicts: Mapping[str, Verdict]) -> None:
        is_icmp = values[0]["protocol"] == "icmp"
        self.query_one("#rule-ports").display = not is_icmp
        self.query_one("#rule-note", Static).update(self._note(values, is_icmp))
        if "new_rule" in verdicts:
            self.show_error(verdicts["new_rule"].message)

    def _note(self, values: list[dict[str, Any]], is_icmp: bool) -> Text:
        if is_icmp:
            port_min, port_max, _ = self._parse_ports()
            typed = validate_ports("icmp", port_min, port_max) if any(t.strip() for t in self._port_texts()) else ALLOWED
            if not typed:
                return Text(f"{typed.message}: the port fields are hidden and will not be sent.", style="yellow")
            return Text("ICMP (ping) has no ports.", style="dim")
        if len(values) == 2:
            return Text(f"Adds two rules: port {values[0]['port_range_min']} (HTTP) and port {values[1]['port_range_min']} (HTTPS).", style="dim")
        return Text("One port: the same number in both fields.", style="dim")

    @on(Button.Pressed, ".preset")
    def _preset_pressed(self, event: Button.Pressed) -> None:
        key = (event.button.id or "").removeprefix("preset-")
        self.apply_preset(next(p for p in PRESETS if p.key == key))

    def apply_preset(self, preset: Preset) -> None:
        """Fill direction, protocol and ports; the user's range and IP version stay as typed."""
        self.query_one("#rule-direction", Select).value = "ingress"
        self.query_one("#rule-protocol", Select).value = preset.protocol
        low, high = preset.ports or (None, None)
        min_text = "" if low is None else str(low)
        max_text = "" if high is None else str(high)
        self.query_one("#rule-port-min", Input).value = min_text
        self.query_one("#rule-port-max", Input).value = max_text
        self._second = (preset.second_port, (preset.protocol, min_text, max_text)) if preset.second_port else None
        if not self.query_one("#rule-range", Input).value:
            self.query_one("#rule-range", Input).value = DEFAULT_RANGE.get(self._select("ethertype") or "IPv4", "")
        self.validate()

    def discard(self) -> None:
        # Rules already added (the first half of a preset that then failed) still count as a change.
        self.dismiss(self.added or None)

    # --- sending ----------------------------------------------------------------------------------

    def confirmation(self, values: list[dict[str, Any]]) -> ConfirmModal:
        name = str(self.firewall.name)
        lines = [Text.assemble("Add to ", (name, "bold"), ":")] + [Text(f"• {body_text(b)}") for b in values]
        store = getattr(self.app, "store", None)
        return ConfirmModal(title="Add firewall rule" if len(values) == 1 else f"Add {len(values)} firewall rules",
                            resource=name, confirm_label="Add rule", lines=lines,
                            cost=cost_effect("rule_add", currency=getattr(store, "currency", "")))

    async def send(self, values: list[dict[str, Any]]) -> list[FirewallRule]:
        firewall_id = self.firewall.id
        for body in values:
            answer = await self.barrack.store.send(partial(add_rule, firewall_id=firewall_id, body=body))
            self.added.append(answer.rule)
        return self.added

    def error_text(self, exc: ApiError, placed: Sequence[str]) -> str:
        message = exc.message or str(exc)
        if self.added:
            message = f"{len(self.added)} of the rules was added; the next one was refused: {message}"
        return message
