"""F1-F7: firewall limit, create form, rule fields (table-driven), attachment, deletion, notice, statistics."""

from __future__ import annotations

import pytest

from barrack_tui.rules.firewalls import (
    MAX_FIREWALLS,
    RULE_CHANGE_NOTICE,
    can_attach_firewall,
    can_create_firewall,
    can_delete_firewall,
    firewall_stats,
    validate_create_firewall,
)
from barrack_tui.rules.listing import PAGE_SIZE, page_count, page_items
from barrack_tui.rules.network import validate_cidr, validate_ports, validate_security_rule
from tests.rules.factories import make_firewall


def test_F1_at_most_25_firewalls() -> None:
    assert MAX_FIREWALLS == 25
    assert can_create_firewall(24).allowed
    verdict = can_create_firewall(25)
    assert (verdict.code, verdict.message) == (
        "FIREWALL_LIMIT",
        "You have 25 firewalls, the maximum per account; delete one to create another",
    )


def test_F2_create_form_per_field() -> None:
    ok = validate_create_firewall(name="web", description="HTTPS only", region="US-1", taken_names=["ssh"])
    assert set(ok) == {"name", "description", "region"} and all(ok.values())
    bad = validate_create_firewall(name="ssh", description="d" * 256, region=None, taken_names=["ssh"])
    assert {k: v.message for k, v in bad.items()} == {
        "name": "Name 'ssh' is already used by another firewall",
        "description": "Description must be at most 255 characters",
        "region": "Choose a region",
    }


# (direction, protocol, ethertype, prefix, min, max) -> {field: message}; every other field must pass.
RULE_TABLE = [
    (("ingress", "tcp", "IPv4", "10.0.0.0/33", 22, 22), {"remote_ip_prefix": "Prefix must be 0-32 for IPv4"}),
    (("ingress", "tcp", "IPv6", "2001:db8::/129", 22, 22), {"remote_ip_prefix": "Prefix must be 0-128 for IPv6"}),
    (
        ("ingress", "tcp", "IPv4", "10.0.256.0/24", 22, 22),
        {"remote_ip_prefix": "IPv4 octets must be 0-255 (256 is out of range)"},
    ),
    (
        ("ingress", "tcp", "IPv4", "2001:db8::/32", 22, 22),
        {"remote_ip_prefix": "This is an IPv6 range but IPv4 is selected"},
    ),
    (("egress", "udp", "IPv6", "0.0.0.0/0", 53, 53), {"remote_ip_prefix": "This is an IPv4 range but IPv6 is selected"}),
    (("ingress", "tcp", "IPv4", "203.0.113.7", 22, 22), {"remote_ip_prefix": "Use CIDR notation, e.g. 203.0.113.0/24"}),
    (("ingress", "tcp", "IPv4", "0.0.0.0/0", 0, 22), {"ports": "Port must be between 1 and 65535"}),
    (("ingress", "tcp", "IPv4", "0.0.0.0/0", 22, 65536), {"ports": "Port must be between 1 and 65535"}),
    (
        ("ingress", "udp", "IPv4", "0.0.0.0/0", 9000, 8000),
        {"ports": "Minimum port cannot be greater than the maximum port"},
    ),
    (("ingress", "icmp", "IPv4", "0.0.0.0/0", 8, None), {"ports": "ICMP rules take no ports"}),
    (("ingress", "tcp", "IPv4", "0.0.0.0/0", None, None), {"ports": "TCP rules need both a minimum and a maximum port"}),
    (("ingress", "udp", "IPv4", "0.0.0.0/0", 53, None), {"ports": "UDP rules need both a minimum and a maximum port"}),
    (("sideways", "sctp", "IPv5", "0.0.0.0/0", 1, 1), {
        "direction": "Direction must be ingress or egress",
        "protocol": "Protocol must be tcp, udp or icmp",
        "ethertype": "IP version must be IPv4 or IPv6",
    }),
    (("ingress", "tcp", "IPv4", "10.0.0.1/24", 22, 22), {}),  # host bits set: accepted
    (("ingress", "tcp", "IPv4", "0.0.0.0/0", 1, 65535), {}),
    (("egress", "icmp", "IPv6", "::/0", None, None), {}),
    (("ingress", "tcp", "IPv6", "2001:db8::/32", 443, 443), {}),
]


@pytest.mark.parametrize(("rule", "expected"), RULE_TABLE, ids=[str(r[0]) for r in RULE_TABLE])
def test_F3_rule_table(rule: tuple, expected: dict[str, str]) -> None:
    verdicts = validate_security_rule(*rule)
    assert set(verdicts) == {"direction", "protocol", "ethertype", "remote_ip_prefix", "ports"}
    assert {k: v.message for k, v in verdicts.items() if not v} == expected


@pytest.mark.parametrize(
    ("prefix", "ethertype", "code", "message"),
    [
        ("", "IPv4", "CIDR_REQUIRED", "Remote IP range is required"),
        ("10.0.0.0 /8", "IPv4", "CIDR_SPACES", "Remove the spaces from the IP range"),
        ("10.0.0/8", "IPv4", "CIDR_ADDRESS_INVALID", "An IPv4 address is four numbers 0-255 separated by dots, e.g. 203.0.113.0/24"),
        ("010.0.0.0/8", "IPv4", "CIDR_ADDRESS_INVALID", "IPv4 octets cannot have leading zeros (write 10.0.0.1, not 010.0.0.1)"),
        ("10.0.0.0/", "IPv4", "CIDR_PREFIX_RANGE", "Prefix must be 0-32 for IPv4"),
        ("10.0.0.0/8/8", "IPv4", "CIDR_NOTATION", "Use CIDR notation, e.g. 203.0.113.0/24"),
        ("2001:db8::", "IPv6", "CIDR_NOTATION", "Use CIDR notation, e.g. 2001:db8::/32"),
        ("2001:db8:::1/64", "IPv6", "CIDR_ADDRESS_INVALID", "Not a valid IPv6 address, e.g. 2001:db8::/32"),
        ("fe80::1%eth0/64", "IPv6", "CIDR_ADDRESS_INVALID", "Not a valid IPv6 address, e.g. 2001:db8::/32"),
        ("10.0.0.0/8", "ipv4", "ETHERTYPE_INVALID", "IP version must be IPv4 or IPv6"),
    ],
)
def test_F3_cidr_messages_are_specific(prefix: str, ethertype: str, code: str, message: str) -> None:
    verdict = validate_cidr(prefix, ethertype)
    assert (verdict.code, verdict.message) == (code, message)


@pytest.mark.parametrize("prefix", ["0.0.0.0/0", "255.255.255.255/32", "192.168.1.0/24"])
def test_F3_valid_ipv4_ranges(prefix: str) -> None:
    assert validate_cidr(prefix, "IPv4").allowed


@pytest.mark.parametrize("prefix", ["::/0", "::1/128", "::ffff:192.0.2.1/96", "2001:DB8:0:0:0:0:0:0/48"])
def test_F3_valid_ipv6_ranges(prefix: str) -> None:
    assert validate_cidr(prefix, "IPv6").allowed


def test_F3_port_codes() -> None:
    assert validate_ports("tcp", 0, 1).code == "PORT_RANGE"
    assert validate_ports("tcp", 2, 1).code == "PORT_ORDER"
    assert validate_ports("icmp", None, 1).code == "PORTS_NOT_ALLOWED"
    assert validate_ports("udp", None, 1).code == "PORTS_REQUIRED"
    assert validate_ports("gre", None, None).code == "PROTOCOL_INVALID"
    assert validate_ports("tcp", True, 1).code == "PORT_RANGE"  # a bool is not a port


def test_F4_attach_only_active_provisioned_same_region() -> None:
    base = {"firewall_region": "US-1", "instance_status": "ACTIVE", "server_uuid": "srv-9", "instance_region": "US-1"}
    assert can_attach_firewall(**base).allowed
    refusals = [
        ({"instance_status": "SHUTOFF"}, "INSTANCE_NOT_ACTIVE", "Firewalls can be attached only to ACTIVE instances"),
        (
            {"server_uuid": None},
            "NO_SERVER_UUID",
            "The instance is not fully provisioned yet (no server UUID); try again in a moment",
        ),
        ({"instance_region": "NORWAY-1"}, "REGION_MISMATCH", "Firewall and instance must be in the same region"),
    ]
    for change, code, message in refusals:
        verdict = can_attach_firewall(**{**base, **change})
        assert (verdict.code, verdict.message) == (code, message)


def test_F5_attached_firewall_cannot_be_deleted() -> None:
    verdict = can_delete_firewall(1)
    assert (verdict.code, verdict.message) == ("FIREWALL_ATTACHED", "Detach all instances before deleting this firewall")
    assert can_delete_firewall(0).allowed


def test_F6_rule_change_notice_says_ten_minutes() -> None:
    assert "10 minutes" in RULE_CHANGE_NOTICE


def test_F7_statistics_and_pages_of_six() -> None:
    firewalls = [
        make_firewall(id="a", rule_count=3, attachment_count=2),
        make_firewall(id="b", rule_count=0, attachment_count=0, status="CREATING"),
        make_firewall(id="c", rule_count=1, attachment_count=1, status="ERROR"),
    ]
    stats = firewall_stats(firewalls)
    assert (stats.total_firewalls, stats.total_rules, stats.attachments, stats.active) == (3, 4, 3, 1)
    assert PAGE_SIZE == 6
    items = list(range(13))
    assert page_count(len(items)) == 3
    assert list(page_items(items, 3)) == [12]
