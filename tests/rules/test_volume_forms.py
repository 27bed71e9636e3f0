"""V9 resize sizes and V10 the create-volume form, one message per failing field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from barrack_tui.rules.validators import validate_resize, validate_volume_size
from barrack_tui.rules.volumes import can_make_bootable, size_for_bootable, validate_create_volume

IMAGES = ("os-ubuntu-22-docker", "os-ubuntu-22")


def form(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "volume3",
        "region": "CANADA-1",
        "size_gb": 100,
        "bootable": False,
        "os_image_id": None,
        "taken_names": ("volume1", "volume2"),
        "os_image_ids_in_region": IMAGES,
        "profile_complete": True,
        "balance": Decimal("25.00"),
        "currency": "USD",
    }
    fields.update(overrides)
    return fields


def failing(**overrides: Any) -> dict[str, tuple[str, str]]:
    return {k: (v.code, v.message) for k, v in validate_create_volume(**form(**overrides)).items() if not v}


def test_V9_resize_must_grow() -> None:
    for new in (500, 499, 10):
        verdict = validate_resize(500, new)
        assert (verdict.code, verdict.message) == ("RESIZE_NOT_LARGER", "New size must be larger than the current size")
    assert validate_resize(500, 501).allowed


def test_V9_resize_upper_limit() -> None:
    assert validate_resize(500, 1_048_576).allowed
    assert validate_resize(500, 1_048_577).message == "Size must be at most 1,048,576 GB"


def test_V9_resize_needs_a_size() -> None:
    assert validate_resize(500, None).message == "New size is required"


def test_V10_valid_form_has_no_failing_field() -> None:
    verdicts = validate_create_volume(**form())
    assert set(verdicts) == {"name", "region", "size_gb", "os_image_id", "profile", "balance"}
    assert failing() == {}


def test_V10_bootable_volume_with_image_of_the_region_is_valid() -> None:
    assert failing(bootable=True, os_image_id="os-ubuntu-22", size_gb=100) == {}


@pytest.mark.parametrize(
    ("overrides", "field", "code", "message"),
    [
        ({"name": ""}, "name", "NAME_REQUIRED", "Name is required"),
        ({"name": "x" * 51}, "name", "NAME_TOO_LONG", "Name must be at most 50 characters"),
        ({"name": "data/1"}, "name", "NAME_CHARSET", "Name may only contain letters, digits, spaces, -, _ and ."),
        ({"name": " data"}, "name", "NAME_EDGE_SPACE", "Name cannot start or end with a space"),
        ({"name": "volume1"}, "name", "NAME_TAKEN", "Name 'volume1' is already used by another volume"),
        ({"region": None}, "region", "REGION_REQUIRED", "Choose a region"),
        ({"region": "MARS-1"}, "region", "REGION_INVALID", "Choose a region from the list"),
        ({"size_gb": 9}, "size_gb", "SIZE_TOO_SMALL", "Size must be at least 10 GB"),
        ({"size_gb": None}, "size_gb", "SIZE_REQUIRED", "Size is required"),
        ({"size_gb": 1_048_577}, "size_gb", "SIZE_TOO_LARGE", "Size must be at most 1,048,576 GB"),
        (
            {"bootable": True, "os_image_id": "os-ubuntu-22", "size_gb": 99},
            "size_gb",
            "SIZE_TOO_SMALL",
            "Size must be at least 100 GB for a bootable volume",
        ),
        ({"bootable": True}, "os_image_id", "OS_IMAGE_REQUIRED", "Choose an OS image for a bootable volume"),
        (
            {"bootable": True, "os_image_id": "os-from-norway"},
            "os_image_id",
            "OS_IMAGE_REGION",
            "This OS image is not available in CANADA-1",
        ),
        (
            {"bootable": True, "os_image_id": "x", "region": "US-1", "os_image_ids_in_region": ()},
            "os_image_id",
            "OS_IMAGE_UNAVAILABLE",
            "No OS image for bootable volumes in US-1",
        ),
        (
            {"profile_complete": False},
            "profile",
            "PROFILE_INCOMPLETE",
            "Complete your account profile before creating a volume",
        ),
        (
            {"balance": Decimal("0.99")},
            "balance",
            "INSUFFICIENT_CREDITS",
            "A balance of at least 1.00 USD is needed to create a volume",
        ),
        (
            {"balance": Decimal("99.99"), "currency": "INR"},
            "balance",
            "INSUFFICIENT_CREDITS",
            "A balance of at least 100.00 INR is needed to create a volume",
        ),
    ],
)
def test_V10_each_failing_field_has_its_own_message(overrides, field, code, message) -> None:
    assert failing(**overrides) == {field: (code, message)}


@pytest.mark.parametrize(("currency", "minimum"), [("USD", "1.00"), ("EUR", "1.00"), ("INR", "100.00")])
def test_V10_minimum_balance_is_exactly_enough(currency: str, minimum: str) -> None:
    assert failing(currency=currency, balance=Decimal(minimum)) == {}


def test_V10_several_fields_fail_at_once() -> None:
    assert set(failing(name="", size_gb=1, profile_complete=False)) == {"name", "size_gb", "profile"}


def test_V10_bootable_refused_outside_advanced_tier_when_tier_known() -> None:
    result = failing(bootable=True, os_image_id="os-ubuntu-22", region="NORWAY-1", region_tier="standard")
    assert result == {"os_image_id": ("TIER", "Bootable volumes from OS images exist only in advanced-tier regions (CANADA-1)")}
    assert can_make_bootable("advanced").allowed
    assert can_make_bootable("standard").code == "TIER"


def test_V10_leftover_image_choice_is_ignored_for_a_plain_volume() -> None:
    assert failing(bootable=False, os_image_id="os-from-norway") == {}


def test_V10_size_limits() -> None:
    assert validate_volume_size(10, bootable=False).allowed
    assert not validate_volume_size(10, bootable=True).allowed
    assert validate_volume_size(100, bootable=True).allowed
    assert validate_volume_size(1_048_576, bootable=True).allowed


@pytest.mark.parametrize(
    ("size", "bootable", "expected"),
    [(10, True, 100), (None, True, 100), (99, True, 100), (100, True, 100), (500, True, 500), (10, False, 10), (None, False, None)],
)
def test_V10_switching_bootable_on_raises_size_to_100(size, bootable, expected) -> None:
    assert size_for_bootable(size, bootable) == expected
