"""I1-I7: lifecycle actions by state, public IP, running out of credits, deploy form, credits, delete confirmation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from barrack_tui.api.models.common import TRANSITIONAL_VM_STATUSES, VMStatus
from barrack_tui.rules.instances import (
    INSTANCE_ACTIONS,
    MSG_BOOT_SOURCE,
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

S = VMStatus
# The state table of dashboard-rules.md (+ the project decision: hibernate from SHUTOFF too).
EXPECTED_OFFERED = {
    S.ACTIVE: {"stop", "reboot", "hibernate", "delete"},
    S.SHUTOFF: {"start", "hibernate", "delete"},
    S.HIBERNATED: {"restore", "delete"},
    S.ERROR: {"delete"},
}


@pytest.mark.parametrize("status", list(EXPECTED_OFFERED), ids=str)
def test_I1_actions_offered_exactly_from_their_states(status: VMStatus) -> None:
    offered = {action for action, verdict in instance_actions(status).items() if verdict}
    assert offered == EXPECTED_OFFERED[status]


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("start", "ACTIVE", "Instance must be SHUTOFF to start"),
        ("start", "HIBERNATED", "Instance must be SHUTOFF to start"),
        ("stop", "SHUTOFF", "Instance must be ACTIVE to stop"),
        ("reboot", "SHUTOFF", "Instance must be ACTIVE to reboot"),
        ("hibernate", "HIBERNATED", "Instance must be ACTIVE or SHUTOFF to hibernate"),
        ("restore", "ACTIVE", "Instance must be HIBERNATED to restore"),
        ("stop", "ERROR", "Instance must be ACTIVE to stop"),
    ],
)
def test_I1_refusal_names_the_required_state(action: str, status: str, message: str) -> None:
    verdict = can_instance_action(action, status)
    assert (verdict.allowed, verdict.code, verdict.message) == (False, "INSTANCE_STATE", message)


def test_I1_hibernate_allowed_from_shutoff_project_decision() -> None:
    assert can_instance_action("hibernate", "SHUTOFF").allowed


def test_I1_unknown_action_and_status_are_refused() -> None:
    assert can_instance_action("explode", "ACTIVE").code == "UNKNOWN_ACTION"
    refused = can_instance_action("start", "WEIRD")
    assert refused.code == "UNKNOWN_STATE"
    assert "Instance status is WEIRD, which this version of barrack-tui does not know" in refused.message


def test_I1_nothing_on_a_deleted_instance() -> None:
    assert {v.code for v in instance_actions("DELETED").values()} == {"INSTANCE_DELETED"}


@pytest.mark.parametrize("status", sorted(TRANSITIONAL_VM_STATUSES), ids=str)
@pytest.mark.parametrize("action", INSTANCE_ACTIONS)
def test_I2_no_action_while_transitional(status: VMStatus, action: str) -> None:
    verdict = can_instance_action(action, status)
    assert (verdict.code, verdict.message) == ("OPERATION_IN_PROGRESS", "An operation is already in progress")


def test_I5_public_ip_toggle_by_state() -> None:
    assert can_toggle_public_ip("ACTIVE").allowed
    assert can_toggle_public_ip("SHUTOFF").allowed
    assert can_toggle_public_ip("STOPPING").message == "An operation is already in progress"
    assert can_toggle_public_ip("HIBERNATED").code == "INSTANCE_STATE"


def test_I5_warning_mentions_the_exposure() -> None:
    assert "public IP" in PUBLIC_IP_WARNING and "internet" in PUBLIC_IP_WARNING


@pytest.mark.parametrize(
    ("balance", "status", "expected"),
    [
        ("0", "ACTIVE", True),
        ("-0.01", "SHUTOFF", True),
        ("0.01", "ACTIVE", False),
        ("0", "HIBERNATED", False),
        ("0", "STARTING", False),
        ("0", "ERROR", False),
    ],
)
def test_I6_out_of_credits_hibernates_billing_instances(balance: str, status: str, expected: bool) -> None:
    assert hibernates_when_out_of_credits(Decimal(balance), status) is expected


def deploy(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "trainer-2",
        "taken_names": ("trainer-1",),
        "region": "NORWAY-1",
        "gpu_model": "H100-SXM5-80GB",
        "gpu_count": 2,
        "stock_available": 4,
        "boot_source_ok": True,
        "ssh_key_ids": ["key-1"],
        "jupyter_enabled": False,
        "jupyter_password": None,
        "cloud_init": None,
    }
    fields.update(overrides)
    return {k: (v.code, v.message) for k, v in validate_deployment(**fields).items() if not v}


def test_I4_valid_deployment() -> None:
    assert deploy() == {}
    assert deploy(jupyter_enabled=True, jupyter_password="12345678", cloud_init="#cloud-config\n" + "a" * 16000) == {}


@pytest.mark.parametrize(
    ("overrides", "field", "code", "message"),
    [
        ({"name": "trainer-1"}, "name", "NAME_TAKEN", "Name 'trainer-1' is already used by another instance"),
        ({"name": "a" * 51}, "name", "NAME_TOO_LONG", "Name must be at most 50 characters"),
        ({"region": ""}, "region", "REGION_REQUIRED", "Choose a region"),
        ({"gpu_model": None}, "gpu_model", "GPU_MODEL_REQUIRED", "Choose a GPU model"),
        ({"gpu_model": "GTX-1080"}, "gpu_model", "GPU_MODEL_INVALID", "Choose a GPU model from the list"),
        ({"gpu_count": 3}, "gpu_count", "GPU_COUNT_INVALID", "GPU count must be 1, 2, 4 or 8"),
        ({"stock_available": 0}, "gpu_count", "OUT_OF_STOCK", "H100-SXM5-80GB is out of stock in NORWAY-1"),
        (
            {"gpu_count": 8, "stock_available": 4},
            "gpu_count",
            "OUT_OF_STOCK",
            "Only 4 × H100-SXM5-80GB available in NORWAY-1",
        ),
        (
            {"boot_source_ok": False},
            "boot_source",
            "BOOT_SOURCE_REQUIRED",
            "Choose a boot source in NORWAY-1: an OS image, a bootable volume or a custom image",
        ),
        ({"ssh_key_ids": []}, "ssh_key_ids", "SSH_KEY_REQUIRED", "Add at least one SSH key"),
        (
            {"jupyter_enabled": True, "jupyter_password": "1234567"},
            "jupyter",
            "JUPYTER_PASSWORD_SHORT",
            "Jupyter password must be at least 8 characters",
        ),
        (
            {"cloud_init": "x" * 16_385},
            "cloud_init",
            "CLOUD_INIT_TOO_LARGE",
            "Cloud-init script must be at most 16 KB (16,384 bytes); this one is 16,385 bytes",
        ),
    ],
)
def test_I4_each_failing_field_has_its_own_message(overrides, field, code, message) -> None:
    assert deploy(**overrides) == {field: (code, message)}


def test_I4_cloud_init_limit_counts_utf8_bytes_not_characters() -> None:
    assert deploy(cloud_init="é" * 8192) == {}  # 16,384 bytes
    assert "cloud_init" in deploy(cloud_init="é" * 8192 + "x")


def test_I4_credits_need_one_hour_of_the_new_price() -> None:
    assert has_credits_for(Decimal("5.38"), Decimal("5.38")).allowed
    verdict = has_credits_for(Decimal("5.37"), Decimal("5.38"))
    assert (verdict.allowed, verdict.code, verdict.message) == (False, "INSUFFICIENT_CREDITS", "Insufficient Credits")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("trainer-1", True), ("trainer-", False), ("Trainer-1", False), (" trainer-1", False), ("", False), (None, False)],
)
def test_I7_delete_needs_the_exact_name(typed, expected: bool) -> None:
    assert delete_confirmed(typed, "trainer-1") is expected


def test_I7_an_empty_name_never_confirms() -> None:
    assert delete_confirmed("", "") is False


BOOT_REFUSED_IN_NORWAY = "Choose a boot source in NORWAY-1: an OS image, a bootable volume or a custom image"


@pytest.mark.parametrize(
    ("source_type", "source", "usable"),
    [
        ("os_image", {"source_region": "NORWAY-1"}, True),
        ("os_image", {"source_region": "CANADA-1"}, False),
        ("volume", {"source_region": "NORWAY-1", "bootable": True, "status": "available"}, True),
        ("volume", {"source_region": "NORWAY-1", "bootable": False, "status": "available"}, False),
        ("volume", {"source_region": "NORWAY-1", "bootable": True, "status": "attached"}, False),
        ("volume", {"source_region": "NORWAY-1", "bootable": True, "status": "creating"}, False),
        ("volume", {"source_region": "US-1", "bootable": True, "status": "available"}, False),
        ("image", {"source_region": "NORWAY-1", "status": "SUCCESS"}, True),
        ("image", {"source_region": "NORWAY-1", "status": "CREATING"}, False),
        ("image", {"source_region": "NORWAY-1", "status": "ERROR"}, False),
        ("image", {"source_region": "CANADA-1", "status": "SUCCESS"}, False),
        ("image", {}, False),  # not found: no region
        ("snapshot", {"source_region": "NORWAY-1", "status": "SUCCESS"}, False),
        (None, {}, False),
    ],
)
def test_I4_boot_source_must_be_ready_and_in_the_region(source_type, source, usable) -> None:
    verdict = can_boot_from(source_type, "NORWAY-1", **source)
    assert verdict.allowed is usable
    if not usable:
        assert (verdict.code, verdict.message) == ("BOOT_SOURCE_REQUIRED", BOOT_REFUSED_IN_NORWAY)


def test_I4_boot_source_refusal_is_the_deploy_forms_words() -> None:
    refused = can_boot_from("os_image", "NORWAY-1", source_region="US-1")
    assert deploy(boot_source_ok=refused.allowed)["boot_source"] == (refused.code, refused.message)
    assert can_boot_from("os_image", "", source_region="").message == MSG_BOOT_SOURCE.format(region="the chosen region")
    assert not can_boot_from("os_image", None, source_region=None)
