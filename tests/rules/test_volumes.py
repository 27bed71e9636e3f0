"""V1-V9: volume detach/attach/delete/clone/resize rules, in their contract order, with the seed's exact texts."""

from __future__ import annotations

import pytest

from barrack_tui.api.models.common import VMStatus
from barrack_tui.rules.volumes import (
    can_attach,
    can_attach_volume,
    can_clone,
    can_delete_volume,
    can_detach,
    can_resize,
)
from tests.rules.factories import make_instance, make_volume

# Copied verbatim from seed/000_a26220e1358b1030.txt and dashboard-rules.md: the rules must match them byte for byte.
SEED_DETACH_ACTIVE = (
    "Cannot detach: Volume is attached to a ACTIVE instance. The instance must be in SHUTOFF state to perform volume "
    "operations. Please shut down the instance first before attempting to detach volumes."
)
SPEC_ATTACH_ACTIVE = (
    "Cannot attach: Instance is in ACTIVE state. The instance must be in SHUTOFF state to perform volume operations. "
    "Please shut down the instance first before attempting to attach volumes."
)
NOT_SHUTOFF = [s for s in VMStatus if s is not VMStatus.SHUTOFF]


def test_V3_detach_refused_when_instance_active() -> None:
    verdict = can_detach(make_volume(), make_instance(status="ACTIVE"), "USD")
    assert not verdict.allowed
    assert verdict.code == "INSTANCE_NOT_SHUTOFF"
    assert verdict.message == SEED_DETACH_ACTIVE


@pytest.mark.parametrize("status", NOT_SHUTOFF, ids=str)
def test_V3_detach_refused_in_every_state_but_shutoff_naming_the_state(status: VMStatus) -> None:
    verdict = can_detach(make_volume(), make_instance(status=status), "USD")
    assert verdict.code == "INSTANCE_NOT_SHUTOFF"
    assert verdict.message == SEED_DETACH_ACTIVE.replace("ACTIVE", status.value)


def test_V3_detach_allowed_when_instance_shutoff() -> None:
    assert can_detach(make_volume(), make_instance(status="SHUTOFF"), "USD").allowed


def test_V3_attach_refused_when_instance_active() -> None:
    verdict = can_attach(make_volume(status="available"), make_instance(status="ACTIVE"), "USD")
    assert (verdict.allowed, verdict.code, verdict.message) == (False, "INSTANCE_NOT_SHUTOFF", SPEC_ATTACH_ACTIVE)


@pytest.mark.parametrize("status", NOT_SHUTOFF, ids=str)
def test_V3_attach_refused_in_every_state_but_shutoff(status: VMStatus) -> None:
    verdict = can_attach(make_volume(status="available"), make_instance(status=status), "USD")
    assert verdict.message == SPEC_ATTACH_ACTIVE.replace("ACTIVE", status.value)


def test_V3_attach_allowed_when_instance_shutoff() -> None:
    assert can_attach(make_volume(status="available"), make_instance(status="SHUTOFF"), "USD").allowed


@pytest.mark.parametrize("status", ["available", "creating", "error"])
def test_V1_detach_refused_when_volume_not_attached(status: str) -> None:
    verdict = can_detach(make_volume(status=status), make_instance(), "USD")
    assert (verdict.code, verdict.message) == ("VOLUME_NOT_ATTACHED", "Volume is not attached")


def test_V1_repeated_detach_of_a_detached_volume_is_refused_not_silently_ok() -> None:
    assert can_detach(make_volume(status="available"), None, "USD").code == "VOLUME_NOT_ATTACHED"


def test_V2_detach_refused_for_bootable_volume() -> None:
    verdict = can_detach(make_volume(bootable=True), make_instance(status="SHUTOFF"), "USD")
    assert (verdict.code, verdict.message) == ("VOLUME_BOOTABLE", "OS/Bootable volumes cannot be detached")


def test_V2_bootable_reason_wins_over_instance_state() -> None:
    """Order V1, V2, V4, V3, V5: shutting the instance down would not help, so say so first."""
    verdict = can_detach(make_volume(bootable=True), make_instance(status="ACTIVE"), "EUR")
    assert verdict.code == "VOLUME_BOOTABLE"


def test_V4_detach_refused_when_instance_not_found() -> None:
    verdict = can_detach(make_volume(), None, "USD")
    assert (verdict.code, verdict.message) == ("INSTANCE_NOT_FOUND", "Could not find a suitable instance")


def test_V4_an_unrelated_instance_counts_as_not_found() -> None:
    verdict = can_detach(make_volume(instance_id="inst-1"), make_instance(id="inst-9"), "USD")
    assert verdict.code == "INSTANCE_NOT_FOUND"


def test_V4_is_checked_before_V3() -> None:
    assert can_detach(make_volume(instance_status="ACTIVE"), None, "USD").code == "INSTANCE_NOT_FOUND"


def test_V5_detach_refused_outside_currency_context() -> None:
    verdict = can_detach(make_volume(), make_instance(currency="EUR"), "USD")
    assert (verdict.code, verdict.message) == ("CURRENCY_CONTEXT", "Instance not available in current currency context")


def test_V5_attach_refused_outside_currency_context() -> None:
    verdict = can_attach(make_volume(status="available"), make_instance(currency="INR"), "USD")
    assert verdict.code == "CURRENCY_CONTEXT"


def test_V3_is_checked_before_V5() -> None:
    verdict = can_detach(make_volume(), make_instance(status="ACTIVE", currency="EUR"), "USD")
    assert verdict.code == "INSTANCE_NOT_SHUTOFF"


@pytest.mark.parametrize("status", ["attached", "creating", "error"])
def test_V6_attach_refused_unless_volume_available(status: str) -> None:
    verdict = can_attach(make_volume(status=status), make_instance(), "USD")
    assert (verdict.code, verdict.message) == ("VOLUME_NOT_AVAILABLE", "Volume is not available")
    assert can_attach_volume(make_volume(status=status)).message == "Volume is not available"


def test_V6_attach_refused_across_regions() -> None:
    verdict = can_attach(make_volume(status="available", region="CANADA-1"), make_instance(region="US-1"), "USD")
    assert (verdict.code, verdict.message) == ("REGION_MISMATCH", "Volume and instance must be in the same region")


def test_V6_attach_order_available_then_found_then_region_then_state() -> None:
    available = make_volume(status="available")
    assert can_attach(make_volume(status="attached"), None, "USD").code == "VOLUME_NOT_AVAILABLE"
    assert can_attach(available, None, "USD").code == "INSTANCE_NOT_FOUND"
    active_elsewhere = make_instance(region="NORWAY-1", status="ACTIVE")
    assert can_attach(available, active_elsewhere, "USD").code == "REGION_MISMATCH"


def test_V7_delete_refused_while_attached() -> None:
    verdict = can_delete_volume(make_volume(status="attached"))
    assert (verdict.code, verdict.message) == ("VOLUME_ATTACHED", "Volume must be detached before deletion")


def test_V7_delete_allowed_when_available() -> None:
    assert can_delete_volume(make_volume(status="available")).allowed


@pytest.mark.parametrize(("status", "code"), [("creating", "VOLUME_CREATING"), ("error", "VOLUME_ERROR")])
def test_V7_delete_refused_while_creating_or_in_error(status: str, code: str) -> None:
    assert can_delete_volume(make_volume(status=status)).code == code


@pytest.mark.parametrize("check", [can_clone, can_resize])
def test_V8_clone_and_resize_refused_on_standard_tier(check) -> None:
    verdict = check(make_volume(tier="standard", region="NORWAY-1"))
    assert (verdict.code, verdict.message) == ("TIER", "Clone and resize are available on the advanced tier only")


@pytest.mark.parametrize("check", [can_clone, can_resize])
@pytest.mark.parametrize("status", ["attached", "available", "error"])
def test_V8_clone_and_resize_allowed_on_advanced_tier_whatever_the_attachment(check, status: str) -> None:
    assert check(make_volume(tier="advanced", status=status)).allowed


@pytest.mark.parametrize("check", [can_clone, can_resize])
def test_V8_clone_and_resize_wait_for_creation(check) -> None:
    assert check(make_volume(tier="advanced", status="creating")).code == "VOLUME_CREATING"
