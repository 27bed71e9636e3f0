"""Firewall rules (F3, F6): the add-rule form validates as the user types, the simulator refuses the same bodies
with the same words (422), presets, removal with confirmation, and the rule-change notice.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from textual.containers import Horizontal
from textual.widgets import Button, Input, Select

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import InvalidRequestError
from barrack_tui.sim.app import create_app
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.state import DEMO_API_KEY
from barrack_tui.tui.areas.firewalls.details import FirewallDetailsScreen
from barrack_tui.tui.areas.firewalls.rule import AddRuleModal
from barrack_tui.tui.kit.confirm import ConfirmModal
from tests.harness import SIM_URL, make_harness
from tests.tui.firewalls_support import (
    find,
    firewall_named,
    open_details,
    record_notifications,
    shown,
    table_ids,
    text_of,
    wait_until,
)

NOTICE = "Rule changes may take up to 10 minutes to apply."
PORT_RANGE = "Port must be between 1 and 65535"

# (case, protocol, IP version, remote range, min port, max port, field the API names, message under the field)
INVALID_RULES = [
    ("IPv4 prefix 33", "tcp", "IPv4", "10.0.0.0/33", "22", "22", "remote_ip_prefix", "Prefix must be 0-32 for IPv4"),
    ("IPv6 prefix 129", "tcp", "IPv6", "2001:db8::/129", "22", "22", "remote_ip_prefix", "Prefix must be 0-128 for IPv6"),
    ("octet 256", "tcp", "IPv4", "10.0.0.256/24", "22", "22", "remote_ip_prefix", "IPv4 octets must be 0-255 (256 is out of range)"),
    ("IPv6 range, IPv4 selected", "tcp", "IPv4", "2001:db8::/32", "22", "22", "remote_ip_prefix",
     "This is an IPv6 range but IPv4 is selected"),
    ("port 0", "tcp", "IPv4", "0.0.0.0/0", "0", "22", "ports", PORT_RANGE),
    ("port 65536", "udp", "IPv4", "0.0.0.0/0", "53", "65536", "ports", PORT_RANGE),
    ("min > max", "tcp", "IPv4", "0.0.0.0/0", "443", "80", "ports", "Minimum port cannot be greater than the maximum port"),
    ("ports for ICMP", "icmp", "IPv4", "0.0.0.0/0", "22", "22", "ports", "ICMP rules take no ports"),
]
VALID_RULES = [
    ("SSH from a range", "tcp", "IPv4", "198.51.100.0/24", "22", "22"),
    ("HTTPS over IPv6", "tcp", "IPv6", "::/0", "443", "443"),
    ("DNS", "udp", "IPv4", "0.0.0.0/0", "53", "53"),
    ("ping", "icmp", "IPv4", "0.0.0.0/0", "", ""),
]
FIELD_MESSAGE = {"remote_ip_prefix": "#rule-range-message", "ports": "#rule-ports-message"}


async def fill_rule(pilot: Any, protocol: str, ethertype: str, prefix: str, port_min: str, port_max: str) -> None:
    """Fill the form in the order a user would: ports first (while they show), then protocol, IP version, range."""
    app = pilot.app
    find(app, "#rule-protocol", Select).value = "tcp"
    await pilot.pause()
    find(app, "#rule-port-min", Input).value = port_min
    find(app, "#rule-port-max", Input).value = port_max
    find(app, "#rule-protocol", Select).value = protocol
    find(app, "#rule-ethertype", Select).value = ethertype
    find(app, "#rule-range", Input).value = prefix
    await pilot.pause()


async def open_rule_form(h: Any, pilot: Any, name: str = "staging-lockdown") -> None:
    await open_details(h, pilot, name)
    await pilot.press("plus")
    await wait_until(pilot, lambda: isinstance(h.app.screen, AddRuleModal))


async def test_the_form_shows_each_f3_message_as_the_user_types():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_rule_form(h, pilot)
        submit = find(h.app, "#rule-submit", Button)
        for case, protocol, ethertype, prefix, low, high, field, message in INVALID_RULES:
            await fill_rule(pilot, protocol, ethertype, prefix, low, high)
            if protocol == "icmp":
                # Ports are hidden for ICMP and never sent: the form says so with F3's words and stays valid.
                assert not find(h.app, "#rule-ports", Horizontal).display, case
                assert text_of(h.app, "#rule-note") == f"{message}: the port fields are hidden and will not be sent.", case
                assert not submit.disabled, case
                continue
            assert text_of(h.app, FIELD_MESSAGE[field]) == message, case
            assert submit.disabled, case
        for case, protocol, ethertype, prefix, low, high in VALID_RULES:
            await fill_rule(pilot, protocol, ethertype, prefix, low, high)
            assert text_of(h.app, "#rule-range-message") == "", case
            assert text_of(h.app, "#rule-ports-message") == "", case
            assert not submit.disabled, case


async def test_typing_a_range_key_by_key_updates_the_message():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_rule_form(h, pilot)
        find(h.app, "#rule-range", Input).value = ""
        find(h.app, "#rule-range", Input).focus()
        await pilot.pause()
        assert text_of(h.app, "#rule-range-message") == "Remote IP range is required"
        await pilot.press(*"10.0.0.0/3")
        await pilot.pause()
        assert text_of(h.app, "#rule-range-message") == ""
        await pilot.press("3")
        await pilot.pause()
        assert text_of(h.app, "#rule-range-message") == "Prefix must be 0-32 for IPv4"
        await pilot.press("backspace")
        await pilot.pause()
        assert text_of(h.app, "#rule-range-message") == ""


async def test_a_tcp_rule_needs_both_ports_and_whole_numbers():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_rule_form(h, pilot)
        assert text_of(h.app, "#rule-ports-message") == "TCP rules need both a minimum and a maximum port"
        await fill_rule(pilot, "tcp", "IPv4", "0.0.0.0/0", "2x", "22")
        assert text_of(h.app, "#rule-ports-message") == "Minimum port must be a whole number"


@pytest.mark.parametrize(
    ("case", "protocol", "ethertype", "prefix", "low", "high", "field", "message"),
    INVALID_RULES,
    ids=[case[0] for case in INVALID_RULES],
)
async def test_the_simulator_refuses_the_same_bodies_with_the_same_words(case, protocol, ethertype, prefix, low, high, field, message):
    state = seed_demo()
    firewall = firewall_named(state, "staging-lockdown")
    body = {
        "direction": "ingress",
        "protocol": protocol,
        "ethertype": ethertype,
        "remote_ip_prefix": prefix,
        "port_range_min": int(low),
        "port_range_max": int(high),
    }
    async with BarrackClient(SIM_URL, DEMO_API_KEY, transport=httpx.ASGITransport(app=create_app(state))) as client:
        with pytest.raises(InvalidRequestError) as refused:
            await client.add_firewall_rule(firewall.id, body)
    assert refused.value.status == 422
    assert refused.value.fields[field] == message
    assert len(firewall.rules) == 1


async def test_ssh_preset_adds_the_rule_and_the_screen_says_it_may_take_10_minutes(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        await open_rule_form(h, pilot)
        screen_under = h.app.screen_stack[-2]
        assert text_of(h.app, "#fwd-notice") == ""  # not before any change
        await pilot.click("#preset-ssh")
        await pilot.pause()
        assert (find(h.app, "#rule-port-min", Input).value, find(h.app, "#rule-port-max", Input).value) == ("22", "22")
        await pilot.click("#rule-submit")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmModal))  # asks first: Enter confirms
        assert text_of(h.app, "#confirm-cost") == "adding a rule does not change billing"
        assert not any(r.port_range_min == 22 for r in firewall_named(h.state, "staging-lockdown").rules)  # nothing sent yet
        await pilot.press("enter")
        await wait_until(pilot, lambda: h.app.screen is screen_under)
        rules = firewall_named(h.state, "staging-lockdown").rules
        assert [(r.protocol, r.remote_ip_prefix, r.port_range_min, r.port_range_max) for r in rules][-1] == ("tcp", "0.0.0.0/0", 22, 22)
        assert toasts[-1] == f"1 rule added. {NOTICE}"
        assert text_of(h.app, "#fwd-notice") == NOTICE
        await wait_until(pilot, lambda: rules[-1].id in table_ids(h.app, "#fwd-rules"))


async def test_http_https_preset_adds_two_rules_not_a_range():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_rule_form(h, pilot)
        await pilot.click("#preset-web")
        await pilot.pause()
        assert text_of(h.app, "#rule-note") == "Adds two rules: port 80 (HTTP) and port 443 (HTTPS)."
        await pilot.click("#rule-submit")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmModal))
        lines = " ".join(shown(line) for line in h.app.screen.query(".confirm-line"))
        assert "port 80" in lines and "port 443" in lines
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallDetailsScreen))
        ports = [(r.port_range_min, r.port_range_max) for r in firewall_named(h.state, "staging-lockdown").rules]
        assert ports[-2:] == [(80, 80), (443, 443)]


async def test_ping_preset_hides_the_ports_and_sends_none():
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await pilot.pause()
        await open_rule_form(h, pilot)
        await pilot.click("#preset-jupyter")
        await pilot.pause()
        assert find(h.app, "#rule-port-min", Input).value == "8888"
        await pilot.click("#preset-ping")
        await pilot.pause()
        assert not find(h.app, "#rule-ports", Horizontal).display
        await pilot.click("#rule-submit")
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmModal))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallDetailsScreen))
        added = firewall_named(h.state, "staging-lockdown").rules[-1]
        assert (added.protocol, added.port_range_min, added.port_range_max) == ("icmp", None, None)


async def test_remove_rule_asks_first_then_shows_the_notice(monkeypatch):
    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        toasts = record_notifications(h.app, monkeypatch)
        await h.poll()
        await pilot.pause()
        await open_details(h, pilot, "jupyter-lab")
        firewall = firewall_named(h.state, "jupyter-lab")
        first = firewall.rules[0]
        await wait_until(pilot, lambda: first.id in table_ids(h.app, "#fwd-rules"))
        await pilot.press("minus")
        await pilot.pause()
        assert isinstance(h.app.screen, ConfirmModal)
        assert text_of(h.app, ".confirm-line") == "Remove this rule from jupyter-lab?\ningress tcp IPv4 203.0.113.0/24 port 8888"
        assert text_of(h.app, "#confirm-cost") == "removing a rule does not change billing"
        await pilot.press("escape")
        await pilot.pause()
        assert len(firewall.rules) == 3
        await pilot.press("minus")
        await pilot.pause()
        await pilot.press("enter")  # the confirm button has the focus
        await wait_until(pilot, lambda: isinstance(h.app.screen, FirewallDetailsScreen))
        assert first.id not in [r.id for r in firewall.rules]
        assert toasts[-1] == f"Rule removed. {NOTICE}"
        assert text_of(h.app, "#fwd-notice") == NOTICE
        await wait_until(pilot, lambda: first.id not in table_ids(h.app, "#fwd-rules"))


async def test_a_rule_the_firewall_already_has_is_refused_as_it_is_typed() -> None:
    from barrack_tui.rules.network import MSG_RULE_EXISTS

    h = make_harness(initial_mode="firewalls")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await open_rule_form(h, pilot)  # staging-lockdown allows ping from 10.0.0.0/8
        await fill_rule(pilot, "icmp", "IPv4", "10.1.0.0/8", "", "")  # the same network, written another way
        await pilot.pause()
        assert text_of(h.app, "#rule-error") == MSG_RULE_EXISTS
        assert find(h.app, "#rule-submit", Button).disabled
        find(h.app, "#rule-range", Input).value = "10.0.0.0/16"
        await pilot.pause()
        assert text_of(h.app, "#rule-error") == "" and not find(h.app, "#rule-submit", Button).disabled
