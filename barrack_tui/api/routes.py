"""The one table of every Barrack API path, keyed by the `BarrackClient` method that calls it.

api-contract.md fixes these paths; the public reference does not, so a path
found to differ on the live service is corrected here and nowhere else. Paths
are written as in the contract (relative to `API_PREFIX`); `Route.url()` builds
the concrete path with every id percent-encoded, so an id taken from a server
response can never walk to a different endpoint.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from urllib.parse import quote

API_PREFIX = "/api/v1"


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    aliases: tuple[str, ...] = ()
    """Further paths the simulator answers for the same operation, left out of its OpenAPI document.

    The client never sends them; they exist so a caller that spells the path
    the other way (e.g. without the live service's trailing slash) is answered,
    not redirected, and so even those paths are written only in this table.
    """

    @property
    def template(self) -> str:
        """The full path template as the server routes it, e.g. `/api/v1/instances/{id}`."""
        return API_PREFIX + self.path

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.path) if name)

    def url(self, **params: str) -> str:
        """The concrete path for these ids (exactly the template's parameters, each encoded as one segment)."""
        expected = set(self.params)
        if set(params) != expected:
            raise TypeError(f"{self.method} {self.path} needs {sorted(expected)}, got {sorted(params)}")
        return self.template.format(**{name: encode_segment(name, value) for name, value in params.items()})


def encode_segment(name: str, value: object) -> str:
    """Percent-encode one path segment; refuse values that would change which resource is addressed."""
    text = str(value)
    if text in ("", ".", ".."):
        raise ValueError(f"{name} must be a non-empty id, not {text!r}")
    return quote(text, safe="")


def _r(method: str, path: str, *aliases: str) -> Route:
    return Route(method, path, aliases)


ROUTES: dict[str, Route] = {
    # Account and catalogue
    "get_balance": _r("GET", "/balance"),
    "get_gpu_stocks": _r("GET", "/gpu/stocks"),
    "get_gpu_specs": _r("GET", "/gpu/specs"),
    "list_regions": _r("GET", "/regions"),
    "get_pricing": _r("GET", "/pricing"),
    "quote_price": _r("POST", "/pricing/", "/pricing"),  # the live service's path, slash included
    "list_os_images": _r("GET", "/os-images"),
    # Instances
    "deploy_instance": _r("POST", "/instances"),
    "list_instances": _r("GET", "/instances"),
    "get_instance": _r("GET", "/instances/{id}"),
    "start_instance": _r("POST", "/instances/{id}/start"),
    "stop_instance": _r("POST", "/instances/{id}/stop"),
    "reboot_instance": _r("POST", "/instances/{id}/reboot"),
    "hibernate_instance": _r("POST", "/instances/{id}/hibernate"),
    "restore_instance": _r("POST", "/instances/{id}/restore"),
    "toggle_public_ip": _r("POST", "/instances/{id}/public-ip"),
    "add_instance_security_rule": _r("POST", "/instances/{id}/security-rules"),
    "remove_instance_security_rule": _r("DELETE", "/instances/{id}/security-rules/{rule_id}"),
    "delete_instance": _r("DELETE", "/instances/{id}"),
    "get_instance_billing": _r("GET", "/instances/{id}/billing"),
    "get_hibernated_instances": _r("GET", "/instances/hibernated"),
    "get_instance_firewalls": _r("GET", "/instances/{id}/firewalls"),
    # SSH keys
    "list_ssh_keys": _r("GET", "/ssh-keys"),
    "get_ssh_key": _r("GET", "/ssh-keys/{id}"),
    "create_ssh_key": _r("POST", "/ssh-keys"),
    "delete_ssh_key": _r("DELETE", "/ssh-keys/{id}"),
    # Volumes
    "list_volumes": _r("GET", "/volumes"),
    "create_volume": _r("POST", "/volumes"),
    "get_volume": _r("GET", "/volumes/{id}"),
    "delete_volume": _r("DELETE", "/volumes/{id}"),
    "resize_volume": _r("POST", "/volumes/{id}/resize"),
    "clone_volume": _r("POST", "/volumes/{id}/clone"),
    "attach_volumes": _r("POST", "/instances/{id}/volumes/attach"),
    "detach_volumes": _r("POST", "/instances/{id}/volumes/detach"),
    "list_volume_types": _r("GET", "/volumes/types"),
    "get_volume_billing": _r("GET", "/volumes/{id}/billing"),
    # Firewalls
    "list_firewalls": _r("GET", "/firewalls"),
    "get_firewall": _r("GET", "/firewalls/{id}"),
    "list_firewall_protocols": _r("GET", "/firewalls/protocols"),
    "list_firewall_available_instances": _r("GET", "/firewalls/{id}/available-instances"),
    "create_firewall": _r("POST", "/firewalls"),
    "delete_firewall": _r("DELETE", "/firewalls/{id}"),
    "add_firewall_rule": _r("POST", "/firewalls/{id}/rules"),
    "remove_firewall_rule": _r("DELETE", "/firewalls/{id}/rules/{rule_id}"),
    "attach_firewall": _r("POST", "/firewalls/{id}/attach"),
    "detach_firewall": _r("POST", "/firewalls/{id}/detach"),
    # Startup scripts
    "list_scripts": _r("GET", "/scripts"),
    "get_script": _r("GET", "/scripts/{id}"),
    "create_script": _r("POST", "/scripts"),
    "update_script": _r("PUT", "/scripts/{id}"),
    "delete_script": _r("DELETE", "/scripts/{id}"),
    "bulk_delete_scripts": _r("POST", "/scripts/bulk-delete"),
    # Snapshots
    "list_snapshots": _r("GET", "/snapshots"),
    "get_snapshot": _r("GET", "/snapshots/{id}"),
    "list_snapshot_eligible_instances": _r("GET", "/snapshots/eligible-instances"),
    "get_snapshot_billing": _r("GET", "/snapshots/{id}/billing"),
    "create_snapshot": _r("POST", "/snapshots"),
    "delete_snapshot": _r("DELETE", "/snapshots/{id}"),
    "restore_snapshot": _r("POST", "/snapshots/{id}/restore"),
    # Custom images
    "list_images": _r("GET", "/images"),
    "get_image": _r("GET", "/images/{id}"),
    "create_image": _r("POST", "/images"),
    "delete_image": _r("DELETE", "/images/{id}"),
    "get_snapshot_image": _r("GET", "/snapshots/{id}/image"),
    "get_snapshot_image_relationships": _r("POST", "/snapshots/image-relationships"),
    # AI Chat (the streamed and the plain completion are one operation of the contract)
    "list_ai_models": _r("GET", "/ai/models"),
    "chat_completion": _r("POST", "/ai/chat/completions"),
    "stream_chat_completion": _r("POST", "/ai/chat/completions"),
    "get_ai_usage_summary": _r("GET", "/ai/usage/summary"),
    "get_ai_usage_history": _r("GET", "/ai/usage/history"),
}
