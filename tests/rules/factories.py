"""Contract-model builders for the rules tests: a volume or instance in any state, with sensible defaults."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from barrack_tui.api.models.firewalls import FirewallResponse
from barrack_tui.api.models.instances import VMInstance
from barrack_tui.api.models.volumes import VolumeResponse

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def make_instance(**overrides: Any) -> VMInstance:
    fields: dict[str, Any] = {
        "id": "inst-1",
        "name": "trainer-1",
        "status": "SHUTOFF",
        "region": "CANADA-1",
        "flavor": {"gpu_model": "L40", "gpu_count": 1, "vcpus": 8, "ram_gb": 64, "storage_gb": 100},
        "image": {"id": "img-ubuntu-22", "name": "Ubuntu Server 22.04 LTS R550 CUDA 12.4"},
        "currency": "USD",
        "hourly_price": Decimal("1.19"),
        "created_at": NOW,
        "updated_at": NOW,
        "server_uuid": "srv-1",
    }
    fields.update(overrides)
    return VMInstance.model_validate(fields)


def make_volume(**overrides: Any) -> VolumeResponse:
    """An attached, non-bootable, advanced-tier volume on inst-1 unless told otherwise."""
    fields: dict[str, Any] = {
        "id": "vol-1",
        "name": "data-1",
        "status": "attached",
        "size_gb": 500,
        "region": "CANADA-1",
        "bootable": False,
        "tier": "advanced",
        "instance_id": "inst-1",
        "instance_name": "trainer-1",
        "instance_status": "SHUTOFF",
        "created_at": NOW,
    }
    fields.update(overrides)
    if fields["status"] != "attached" and "instance_id" not in overrides:
        fields.update(instance_id=None, instance_name=None, instance_status=None)
    return VolumeResponse.model_validate(fields)


def make_firewall(**overrides: Any) -> FirewallResponse:
    fields: dict[str, Any] = {
        "id": "fw-1",
        "name": "web",
        "region": "CANADA-1",
        "status": "SUCCESS",
        "rule_count": 2,
        "attachment_count": 0,
        "created_at": NOW,
    }
    fields.update(overrides)
    return FirewallResponse.model_validate(fields)
