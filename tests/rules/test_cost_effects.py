"""The cost sentence each confirmation shows, from the price functions (I3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from barrack_tui.rules.cost_effects import NO_COST, cost_effect

D = Decimal


@pytest.mark.parametrize(
    ("action", "status", "price", "expected"),
    [
        ("restore", "HIBERNATED", D("2.29"), "restoring resumes 2.29 USD/h (0.038167 USD/min) from 0.01 USD/h"),
        ("stop", "ACTIVE", D("1.19"), "stopping keeps billing 1.19 USD/h (SHUTOFF bills the full rate)"),
        ("start", "SHUTOFF", D("1.19"), "starting keeps billing 1.19 USD/h (SHUTOFF already bills the full rate)"),
        ("reboot", "ACTIVE", D("5.38"), "rebooting keeps billing 5.38 USD/h"),
        ("hibernate", "SHUTOFF", D("1.19"), "hibernating drops to 0.01 USD/h (saves 1.18 USD/h)"),
        ("delete", "ACTIVE", D("2.29"), "deleting stops 2.29 USD/h"),
        ("delete", "HIBERNATED", D("2.29"), "deleting stops 0.01 USD/h"),  # what it bills now, not its list price
        ("delete", "ERROR", D("2.29"), "deleting changes nothing: it bills nothing now"),
    ],
)
def test_instance_actions_state_the_rate_before_and_after(action, status, price, expected) -> None:
    assert cost_effect(action, currency="USD", status=status, hourly_price=price) == expected


def test_hibernated_rate_follows_the_currency() -> None:
    assert cost_effect("hibernate", currency="INR", status="ACTIVE", hourly_price=D("99")) == "hibernating drops to 1.00 INR/h (saves 98.00 INR/h)"


def test_storage_below_a_cent_is_not_rounded_away() -> None:
    assert cost_effect("volume_delete", currency="USD", size_gb=50) == "deleting stops 0.0050 USD/h of storage"
    assert cost_effect("snapshot_delete", currency="USD", size_gb=1500) == "deleting stops 0.15 USD/h of storage"


def test_deploy_and_the_changes_that_cost_nothing() -> None:
    assert cost_effect("deploy", currency="EUR", hourly_price=D("2.09")).startswith("deploying starts 2.09 EUR/h")
    assert cost_effect("public_ip", currency="USD") == "public IP: no cost change"
    assert cost_effect("volume_attach", currency="USD", size_gb=500) == (
        "attaching does not change billing: its storage (0.05 USD/h) bills either way"
    )
    assert all(cost_effect(action, currency="USD") for action in NO_COST)


def test_an_action_without_a_cost_sentence_is_an_error() -> None:
    with pytest.raises(ValueError):
        cost_effect("teleport", currency="USD", status="ACTIVE", hourly_price=D(1))
