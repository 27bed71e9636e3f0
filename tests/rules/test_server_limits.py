"""Limits the server states (pricing quote) passed into the rules: volume minimum, GPUs per instance, quote checks.

When the server states nothing, the rules keep our constants (10 GB, 1/2/4/8 GPUs).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from barrack_tui.rules.instances import validate_deployment, validate_gpu_count
from barrack_tui.rules.pricing import validate_quote
from barrack_tui.rules.validators import validate_volume_size, volume_minimum_gb
from barrack_tui.rules.volumes import validate_create_volume


@pytest.mark.parametrize(
    ("size", "bootable", "minimum", "message"),
    [
        (9, False, None, "Size must be at least 10 GB"),
        (10, False, None, ""),
        (50, False, 100, "Size must be at least 100 GB"),
        (100, False, 100, ""),
        (50, True, 100, "Size must be at least 100 GB for a bootable volume"),
        (150, True, 200, "Size must be at least 200 GB"),
        (5, False, 5, ""),
        (1, False, 0, ""),  # a stated 0 still means at least 1 GB
        (0, False, 0, "Size must be at least 1 GB"),
        (2000, False, 1500, ""),
        (1200, False, 1500, "Size must be at least 1,500 GB"),
    ],
)
def test_volume_size_follows_the_stated_minimum(size, bootable, minimum, message) -> None:
    assert validate_volume_size(size, bootable=bootable, minimum_gb=minimum).message == message


def test_no_stated_minimum_keeps_ours() -> None:
    assert volume_minimum_gb(None) == 10
    assert volume_minimum_gb(100) == 100


def test_the_create_form_rules_take_the_stated_minimum() -> None:
    fields = dict(
        name="data-9", region="NORWAY-1", size_gb=50, bootable=False, os_image_id=None, taken_names=[],
        os_image_ids_in_region=[], profile_complete=True, balance=Decimal("50"), currency="USD",
    )
    assert validate_create_volume(**fields)["size_gb"]
    refused = validate_create_volume(**fields, minimum_size_gb=100)["size_gb"]
    assert (refused.code, refused.message) == ("SIZE_TOO_SMALL", "Size must be at least 100 GB")


@pytest.mark.parametrize(
    ("count", "limit", "message"),
    [
        (8, None, ""),
        (8, 4, "At most 4 × RTX-A6000 per instance"),
        (4, 4, ""),
        (3, 8, "GPU count must be 1, 2, 4 or 8"),
        (1, 0, "At most 0 × RTX-A6000 per instance"),
    ],
)
def test_gpu_count_follows_the_stated_maximum(count, limit, message) -> None:
    assert validate_gpu_count("RTX-A6000", count, limit).message == message


def test_the_deploy_rules_take_the_stated_maximum_before_stock() -> None:
    fields = dict(
        name="box", taken_names=[], region="CANADA-1", gpu_model="RTX-A6000", gpu_count=8, stock_available=0,
        boot_source_ok=True, ssh_key_ids=["k"], jupyter_enabled=False, jupyter_password=None, cloud_init=None,
    )
    assert validate_deployment(**fields)["gpu_count"].code == "OUT_OF_STOCK"
    over = validate_deployment(**fields, gpu_max_count=4)["gpu_count"]
    assert (over.code, over.message) == ("GPU_COUNT_OVER_MAX", "At most 4 × RTX-A6000 per instance")


def test_a_quote_checks_only_what_it_is_given() -> None:
    assert validate_quote(tier=None, currency=None, volume_size_gb=None, volume_type=None, gpu_model=None, gpu_count=None) == {}
    checks = validate_quote(tier="legacy", currency="USD", volume_size_gb=50, volume_type="SSD", gpu_model="L40",
                            gpu_count=2, volume_minimum_gb=100)
    assert {name: v.message for name, v in checks.items() if not v} == {"volume_size_gb": "Size must be at least 100 GB"}


def test_the_balance_check_takes_the_stated_currencies() -> None:
    fields = dict(
        name="data-9", region="NORWAY-1", size_gb=50, bootable=False, os_image_id=None, taken_names=[],
        os_image_ids_in_region=[], profile_complete=True, balance=Decimal("5000"),
    )
    assert validate_create_volume(**fields, currency="JPY")["balance"].message == "Unknown account currency"
    # A currency the server says it supports is not refused for being new to us; the server checks its minimum.
    assert validate_create_volume(**fields, currency="JPY", supported_currencies=["USD", "JPY"])["balance"]
    assert not validate_create_volume(**fields, currency="INR", supported_currencies=["USD", "JPY"])["balance"]
    low = validate_create_volume(**{**fields, "balance": Decimal("0.5")}, currency="USD", supported_currencies=["USD"])
    assert low["balance"].code == "INSUFFICIENT_CREDITS"
