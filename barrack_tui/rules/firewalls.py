"""Firewall rules F1-F7: the account limit, the create form, attachment, deletion, the rule-change notice, statistics.

F3 (a rule's fields) lives in `network.py`, shared with instance security
rules, and is re-exported here for callers that think in firewall terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from barrack_tui.api.enums import RegionEnum, ResourceStatus, VMStatus
from barrack_tui.rules.network import validate_security_rule
from barrack_tui.rules.unknown import unknown_state
from barrack_tui.rules.validators import validate_description, validate_name
from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse

if TYPE_CHECKING:  # annotations only: the rules run on models without loading them
    from barrack_tui.api.models.firewalls import FirewallResponse

__all__ = [
    "MAX_FIREWALLS",
    "RULE_CHANGE_NOTICE",
    "FirewallStats",
    "can_attach_firewall",
    "can_create_firewall",
    "can_delete_firewall",
    "firewall_stats",
    "validate_create_firewall",
    "validate_security_rule",
]

MAX_FIREWALLS = 25

# ---- messages ----
MSG_FIREWALL_LIMIT = f"You have {MAX_FIREWALLS} firewalls, the maximum per account; delete one to create another"
MSG_REGION_REQUIRED = "Choose a region"
MSG_REGION_INVALID = "Choose a region from the list"
MSG_ATTACH_NOT_ACTIVE = "Firewalls can be attached only to ACTIVE instances"
MSG_ATTACH_NO_SERVER = "The instance is not fully provisioned yet (no server UUID); try again in a moment"
MSG_ATTACH_REGION = "Firewall and instance must be in the same region"
MSG_FIREWALL_ATTACHED = "Detach all instances before deleting this firewall"  # F5, exact
RULE_CHANGE_NOTICE = "Rule changes may take up to 10 minutes to apply."  # F6


def can_create_firewall(existing_count: int) -> Verdict:
    """F1: at most 25 firewalls per account."""
    if existing_count >= MAX_FIREWALLS:
        return refuse("FIREWALL_LIMIT", MSG_FIREWALL_LIMIT)
    return ALLOWED


def _check_region(region: object) -> Verdict:
    if region is None or region == "":
        return refuse("REGION_REQUIRED", MSG_REGION_REQUIRED)
    if not isinstance(region, str) or region not in {r.value for r in RegionEnum}:
        return refuse("REGION_INVALID", MSG_REGION_INVALID)
    return ALLOWED


def validate_create_firewall(
    *, name: str | None, description: str | None, region: RegionEnum | str | None, taken_names: Iterable[str]
) -> dict[str, Verdict]:
    """F2 per field: name, description, region."""
    return {
        "name": validate_name(name, taken=taken_names, kind="firewall"),
        "description": validate_description(description),
        "region": _check_region(region),
    }


def can_attach_firewall(
    *,
    firewall_region: RegionEnum | str,
    instance_status: VMStatus | str,
    server_uuid: str | None,
    instance_region: RegionEnum | str,
) -> Verdict:
    """F4: only ACTIVE instances that have a server_uuid, in the firewall's region."""
    unknown = unknown_state("Instance", instance_status)
    if not unknown.allowed:
        return unknown
    if instance_status != VMStatus.ACTIVE:
        return refuse("INSTANCE_NOT_ACTIVE", MSG_ATTACH_NOT_ACTIVE)
    if not server_uuid:
        return refuse("NO_SERVER_UUID", MSG_ATTACH_NO_SERVER)
    if firewall_region != instance_region:
        return refuse("REGION_MISMATCH", MSG_ATTACH_REGION)
    return ALLOWED


def can_delete_firewall(attachment_count: int, status: object = ResourceStatus.SUCCESS) -> Verdict:
    """F5: a firewall still attached to instances cannot be deleted (nor one in a state this version does not know)."""
    unknown = unknown_state("Firewall", status)
    if not unknown.allowed:
        return unknown
    if attachment_count > 0:
        return refuse("FIREWALL_ATTACHED", MSG_FIREWALL_ATTACHED)
    return ALLOWED


@dataclass(frozen=True, slots=True)
class FirewallStats:
    """F7: the statistics cards of the firewalls page."""

    total_firewalls: int
    total_rules: int
    attachments: int
    active: int


def firewall_stats(firewalls: Iterable[FirewallResponse]) -> FirewallStats:
    """F7. "Active" counts firewalls in SUCCESS state (created and applicable), attached or not."""
    items = list(firewalls)
    return FirewallStats(
        total_firewalls=len(items),
        total_rules=sum(f.rule_count for f in items),
        attachments=sum(f.attachment_count for f in items),
        active=sum(1 for f in items if f.status == ResourceStatus.SUCCESS),
    )
