"""Every dashboard rule as a pure function returning a `Verdict` (dashboard-rules.md), plus the input validators.

The TUI asks these functions before it offers an action and the simulator asks
them before it performs one, so both always give the same answer in the same
words. No I/O and no Textual here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Loaded on first use: the app's first frame needs only the pricing rules (the header's cost and the
# Regions cards), not every rule with its validators, ~10 ms.
if TYPE_CHECKING:
    from barrack_tui.rules.firewalls import (
        MAX_FIREWALLS,
        RULE_CHANGE_NOTICE,
        FirewallStats,
        can_attach_firewall,
        can_create_firewall,
        can_delete_firewall,
        firewall_stats,
        validate_create_firewall,
    )
    from barrack_tui.rules.instances import (
        INSTANCE_ACTIONS,
        PUBLIC_IP_WARNING,
        can_boot_from,
        can_instance_action,
        can_toggle_public_ip,
        delete_confirmed,
        has_credits_for,
        hibernates_when_out_of_credits,
        instance_actions,
        validate_deployment,
    )
    from barrack_tui.rules.listing import PAGE_SIZE, VolumeStats, page_count, page_items, volume_stats
    from barrack_tui.rules.pricing import burn_rate, gpu_hourly, instance_billing_rate, per_minute, storage_hourly
    from barrack_tui.rules.resources import (
        MAX_KEYS_PER_REGION,
        can_create_image,
        can_create_key,
        can_delete_key,
        can_restore_snapshot,
        can_snapshot,
        restored_name,
        validate_create_image,
        validate_create_snapshot,
    )
    from barrack_tui.rules.validators import (
        parse_int,
        validate_cidr,
        validate_cloud_init,
        validate_description,
        validate_jupyter_password,
        validate_key_name,
        validate_name,
        validate_ports,
        validate_resize,
        validate_script,
        validate_security_rule,
        validate_ssh_public_key,
        validate_volume_size,
    )
    from barrack_tui.rules.verdict import ALLOWED, Verdict, refuse
    from barrack_tui.rules.volumes import (
        ButtonState,
        CardActions,
        can_attach,
        can_attach_volume,
        can_clone,
        can_delete_volume,
        can_detach,
        can_make_bootable,
        can_resize,
        card_actions,
        size_for_bootable,
        validate_create_volume,
    )

__all__ = [
    "ALLOWED",
    "INSTANCE_ACTIONS",
    "MAX_FIREWALLS",
    "MAX_KEYS_PER_REGION",
    "PAGE_SIZE",
    "PUBLIC_IP_WARNING",
    "RULE_CHANGE_NOTICE",
    "ButtonState",
    "CardActions",
    "FirewallStats",
    "Verdict",
    "VolumeStats",
    "burn_rate",
    "can_attach",
    "can_attach_firewall",
    "can_attach_volume",
    "can_boot_from",
    "can_clone",
    "can_create_firewall",
    "can_create_image",
    "can_create_key",
    "can_delete_firewall",
    "can_delete_key",
    "can_delete_volume",
    "can_detach",
    "can_instance_action",
    "can_make_bootable",
    "can_resize",
    "can_restore_snapshot",
    "can_snapshot",
    "can_toggle_public_ip",
    "card_actions",
    "delete_confirmed",
    "firewall_stats",
    "gpu_hourly",
    "has_credits_for",
    "hibernates_when_out_of_credits",
    "instance_actions",
    "instance_billing_rate",
    "page_count",
    "page_items",
    "parse_int",
    "per_minute",
    "refuse",
    "restored_name",
    "size_for_bootable",
    "storage_hourly",
    "validate_cidr",
    "validate_cloud_init",
    "validate_create_firewall",
    "validate_create_image",
    "validate_create_snapshot",
    "validate_create_volume",
    "validate_deployment",
    "validate_description",
    "validate_jupyter_password",
    "validate_key_name",
    "validate_name",
    "validate_ports",
    "validate_resize",
    "validate_script",
    "validate_security_rule",
    "validate_ssh_public_key",
    "validate_volume_size",
    "volume_stats",
]

_HOMES = {
    "ALLOWED": "verdict",
    "ButtonState": "volumes",
    "CardActions": "volumes",
    "FirewallStats": "firewalls",
    "INSTANCE_ACTIONS": "instances",
    "MAX_FIREWALLS": "firewalls",
    "MAX_KEYS_PER_REGION": "resources",
    "PAGE_SIZE": "listing",
    "PUBLIC_IP_WARNING": "instances",
    "RULE_CHANGE_NOTICE": "firewalls",
    "Verdict": "verdict",
    "VolumeStats": "listing",
    "burn_rate": "pricing",
    "can_attach": "volumes",
    "can_attach_firewall": "firewalls",
    "can_attach_volume": "volumes",
    "can_boot_from": "instances",
    "can_clone": "volumes",
    "can_create_firewall": "firewalls",
    "can_create_image": "resources",
    "can_create_key": "resources",
    "can_delete_firewall": "firewalls",
    "can_delete_key": "resources",
    "can_delete_volume": "volumes",
    "can_detach": "volumes",
    "can_instance_action": "instances",
    "can_make_bootable": "volumes",
    "can_resize": "volumes",
    "can_restore_snapshot": "resources",
    "can_snapshot": "resources",
    "can_toggle_public_ip": "instances",
    "card_actions": "volumes",
    "delete_confirmed": "instances",
    "firewall_stats": "firewalls",
    "gpu_hourly": "pricing",
    "has_credits_for": "instances",
    "hibernates_when_out_of_credits": "instances",
    "instance_actions": "instances",
    "instance_billing_rate": "pricing",
    "page_count": "listing",
    "page_items": "listing",
    "parse_int": "validators",
    "per_minute": "pricing",
    "refuse": "verdict",
    "restored_name": "resources",
    "size_for_bootable": "volumes",
    "storage_hourly": "pricing",
    "validate_cidr": "validators",
    "validate_cloud_init": "validators",
    "validate_create_firewall": "firewalls",
    "validate_create_image": "resources",
    "validate_create_snapshot": "resources",
    "validate_create_volume": "volumes",
    "validate_deployment": "instances",
    "validate_description": "validators",
    "validate_jupyter_password": "validators",
    "validate_key_name": "validators",
    "validate_name": "validators",
    "validate_ports": "validators",
    "validate_resize": "validators",
    "validate_script": "validators",
    "validate_security_rule": "validators",
    "validate_ssh_public_key": "validators",
    "validate_volume_size": "validators",
    "volume_stats": "listing",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value  # the next lookup finds it without this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
