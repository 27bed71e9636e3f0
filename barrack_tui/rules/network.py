"""F3: security-rule validation — direction, protocol, IP version, CIDR range, ports.

Used for firewall rules and for an instance's own security rules alike. The
CIDR check is hand-written rather than `ipaddress.ip_network` alone because
the user needs to know *which* part is wrong (an octet of 256, a /33, an IPv6
range while IPv4 is selected), not just "invalid network".

Decisions the spec left open: a bare address without "/prefix" is refused
(the user must say how wide the range is); host bits set (10.0.0.1/24) are
accepted — normalising is the server's business; IPv4 octets with leading
zeros are refused because some tools read them as octal.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Any, Protocol

from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

DIRECTIONS = ("ingress", "egress")
PROTOCOLS = ("tcp", "udp", "icmp")
ETHERTYPES = ("IPv4", "IPv6")
PORTED_PROTOCOLS = ("tcp", "udp")
PORT_MIN = 1
PORT_MAX = 65535
_PREFIX_MAX = {"IPv4": 32, "IPv6": 128}
_EXAMPLE = {"IPv4": "203.0.113.0/24", "IPv6": "2001:db8::/32"}

# ---- messages ----
MSG_DIRECTION_INVALID = "Direction must be ingress or egress"
MSG_PROTOCOL_INVALID = "Protocol must be tcp, udp or icmp"
MSG_ETHERTYPE_INVALID = "IP version must be IPv4 or IPv6"
MSG_CIDR_REQUIRED = "Remote IP range is required"
MSG_CIDR_SPACES = "Remove the spaces from the IP range"
MSG_CIDR_NOTATION = "Use CIDR notation, e.g. {example}"
MSG_CIDR_V6_WITH_V4 = "This is an IPv6 range but IPv4 is selected"
MSG_CIDR_V4_WITH_V6 = "This is an IPv4 range but IPv6 is selected"
MSG_IPV4_SHAPE = "An IPv4 address is four numbers 0-255 separated by dots, e.g. 203.0.113.0/24"
MSG_IPV4_OCTET_RANGE = "IPv4 octets must be 0-255 ({octet} is out of range)"
MSG_IPV4_LEADING_ZERO = "IPv4 octets cannot have leading zeros (write 10.0.0.1, not 010.0.0.1)"
MSG_IPV6_INVALID = "Not a valid IPv6 address, e.g. 2001:db8::/32"
MSG_PREFIX_RANGE = "Prefix must be 0-{max} for {family}"
MSG_ICMP_NO_PORTS = "ICMP rules take no ports"
MSG_PORTS_REQUIRED = "{protocol} rules need both a minimum and a maximum port"
MSG_PORT_RANGE = f"Port must be between {PORT_MIN} and {PORT_MAX}"
MSG_PORT_ORDER = "Minimum port cannot be greater than the maximum port"
MSG_RULE_EXISTS = "This rule already exists"

_IPV4_CHARS = re.compile(r"[0-9.]+")
_DIGITS = re.compile(r"[0-9]+")


def _is_one_of(value: object, choices: tuple[str, ...]) -> bool:
    return isinstance(value, str) and value in choices


def _detected_family(address: str) -> str | None:
    """The family the text looks like, or None when it looks like neither."""
    if ":" in address:
        return "IPv6"
    if _IPV4_CHARS.fullmatch(address):
        return "IPv4"
    return None


def _check_ipv4(address: str) -> Verdict:
    octets = address.split(".")
    if len(octets) != 4 or not all(_DIGITS.fullmatch(octet) for octet in octets):
        return refuse("CIDR_ADDRESS_INVALID", MSG_IPV4_SHAPE)
    for octet in octets:
        if len(octet) > 3 or int(octet) > 255:
            shown = octet if len(octet) <= 6 else octet[:6] + "…"
            return refuse("CIDR_OCTET_RANGE", MSG_IPV4_OCTET_RANGE.format(octet=shown))
    if any(len(octet) > 1 and octet.startswith("0") for octet in octets):
        return refuse("CIDR_ADDRESS_INVALID", MSG_IPV4_LEADING_ZERO)
    return ALLOWED


def _check_ipv6(address: str) -> Verdict:
    # A zone id ("%eth0") names a local interface: meaningless in a remote range.
    if "%" in address:
        return refuse("CIDR_ADDRESS_INVALID", MSG_IPV6_INVALID)
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return refuse("CIDR_ADDRESS_INVALID", MSG_IPV6_INVALID)
    return ALLOWED


def _check_prefix(prefix: str, family: str) -> Verdict:
    limit = _PREFIX_MAX[family]
    if not _DIGITS.fullmatch(prefix) or len(prefix) > 3 or int(prefix) > limit:
        return refuse("CIDR_PREFIX_RANGE", MSG_PREFIX_RANGE.format(max=limit, family=family))
    return ALLOWED


def _check_range(text: object, family: str | None) -> Verdict:
    """The CIDR checks; `family` None means "whatever the text looks like"."""
    if not isinstance(text, str) or text == "":
        return refuse("CIDR_REQUIRED", MSG_CIDR_REQUIRED)
    if any(ch.isspace() for ch in text):
        return refuse("CIDR_SPACES", MSG_CIDR_SPACES)
    address, slash, prefix = text.rpartition("/")
    detected = _detected_family(address if slash else text)
    shown_family = family or detected or "IPv4"
    if family is not None and detected is not None and detected != family:
        message = MSG_CIDR_V6_WITH_V4 if detected == "IPv6" else MSG_CIDR_V4_WITH_V6
        return refuse("CIDR_FAMILY_MISMATCH", message)
    if not slash or "/" in address:
        return refuse("CIDR_NOTATION", MSG_CIDR_NOTATION.format(example=_EXAMPLE[shown_family]))
    checked = _check_ipv6(address) if shown_family == "IPv6" else _check_ipv4(address)
    if not checked:
        return checked
    return _check_prefix(prefix, shown_family)


def validate_cidr(prefix: str | None, ethertype: str | None) -> Verdict:
    """F3: a remote range in CIDR notation of the selected IP version."""
    if not _is_one_of(ethertype, ETHERTYPES):
        return refuse("ETHERTYPE_INVALID", MSG_ETHERTYPE_INVALID)
    return _check_range(prefix, str(ethertype))


def validate_ports(protocol: str | None, port_min: int | None, port_max: int | None) -> Verdict:
    """F3: tcp/udp need both ports in 1-65535 with min <= max; icmp takes none."""
    if not _is_one_of(protocol, PROTOCOLS):
        return refuse("PROTOCOL_INVALID", MSG_PROTOCOL_INVALID)
    if protocol == "icmp":
        if port_min is not None or port_max is not None:
            return refuse("PORTS_NOT_ALLOWED", MSG_ICMP_NO_PORTS)
        return ALLOWED
    if port_min is None or port_max is None:
        return refuse("PORTS_REQUIRED", MSG_PORTS_REQUIRED.format(protocol=str(protocol).upper()))
    for port in (port_min, port_max):
        if not isinstance(port, int) or isinstance(port, bool) or not PORT_MIN <= port <= PORT_MAX:
            return refuse("PORT_RANGE", MSG_PORT_RANGE)
    if port_min > port_max:
        return refuse("PORT_ORDER", MSG_PORT_ORDER)
    return ALLOWED


def validate_security_rule(
    direction: str | None,
    protocol: str | None,
    ethertype: str | None,
    remote_ip_prefix: str | None,
    port_min: int | None,
    port_max: int | None,
) -> dict[str, Verdict]:
    """F3 per field: keys direction, protocol, ethertype, remote_ip_prefix, ports.

    A wrong field is reported once, under its own key: with an invalid IP
    version the range is checked only for its own syntax, and with an invalid
    protocol the ports are not judged.
    """
    ethertype_ok = _is_one_of(ethertype, ETHERTYPES)
    protocol_ok = _is_one_of(protocol, PROTOCOLS)
    return {
        "direction": ALLOWED if _is_one_of(direction, DIRECTIONS) else refuse("DIRECTION_INVALID", MSG_DIRECTION_INVALID),
        "protocol": ALLOWED if protocol_ok else refuse("PROTOCOL_INVALID", MSG_PROTOCOL_INVALID),
        "ethertype": ALLOWED if ethertype_ok else refuse("ETHERTYPE_INVALID", MSG_ETHERTYPE_INVALID),
        "remote_ip_prefix": _check_range(remote_ip_prefix, str(ethertype) if ethertype_ok else None),
        "ports": validate_ports(protocol, port_min, port_max) if protocol_ok else ALLOWED,
    }


class SecurityRuleLike(Protocol):
    """A rule as a request, a response or a stored record: the six fields that define it."""

    direction: Any
    protocol: Any
    ethertype: Any
    remote_ip_prefix: Any
    port_range_min: Any
    port_range_max: Any


def _signature(rule: SecurityRuleLike) -> tuple[object, ...]:
    """What makes two rules the same rule: every field, the range compared as a network (10.0.0.1/8 is 10.0.0.0/8)."""
    text = str(rule.remote_ip_prefix or "").strip()
    try:
        text = str(ipaddress.ip_network(text, strict=False))
    except ValueError:
        pass
    ports = (None, None) if rule.protocol == "icmp" else (rule.port_range_min, rule.port_range_max)
    return (str(rule.direction), str(rule.protocol), str(rule.ethertype), text, *ports)


def validate_rule_is_new(rule: SecurityRuleLike, existing: Iterable[SecurityRuleLike]) -> Verdict:
    """An identical rule would change nothing (and the API refuses it, as OpenStack does)."""
    wanted = _signature(rule)
    return refuse("RULE_EXISTS", MSG_RULE_EXISTS) if any(_signature(r) == wanted for r in existing) else ALLOWED
