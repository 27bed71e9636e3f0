"""I3: billing rates by state, per-minute cost, and the account's burn rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from barrack_tui.api.models.common import TRANSITIONAL_VM_STATUSES, VMStatus
from barrack_tui.rules.pricing import burn_rate, gpu_hourly, instance_billing_rate, per_minute, storage_hourly
from tests.rules.factories import make_instance

D = Decimal


@pytest.mark.parametrize("status", ["ACTIVE", "SHUTOFF"])
def test_I3_active_and_shutoff_bill_the_full_rate(status: str) -> None:
    assert instance_billing_rate(status, D("5.38"), "USD") == D("5.38")


@pytest.mark.parametrize(("currency", "rate"), [("USD", "0.01"), ("EUR", "0.01"), ("INR", "1.00")])
def test_I3_hibernated_bills_the_flat_rate(currency: str, rate: str) -> None:
    assert instance_billing_rate("HIBERNATED", D("21.52"), currency) == D(rate)


@pytest.mark.parametrize("status", sorted(TRANSITIONAL_VM_STATUSES | {VMStatus.DELETED, VMStatus.ERROR}), ids=str)
def test_I3_transitional_deleted_and_error_bill_nothing(status: VMStatus) -> None:
    assert instance_billing_rate(status, D("5.38"), "USD") == 0


def test_I3_price_scales_with_gpu_count_and_currency() -> None:
    assert gpu_hourly("H100-SXM5-80GB", 8, "USD") == D("21.52")
    assert gpu_hourly("RTX-A6000", 2, "EUR") == D("0.90")
    assert gpu_hourly("L40", 1, "INR") == D("99")


def test_I3_per_minute_cost() -> None:
    assert per_minute(D("2.69")) == D("0.044833")
    assert per_minute(D("60")) == D("1")


def test_I3_storage_price_per_tb_hour() -> None:
    assert storage_hourly(1000, "USD") == D("0.1")
    assert storage_hourly(500, "INR") == D("5")


def test_I3_burn_rate_sums_current_rates_in_the_account_currency() -> None:
    fleet = [
        make_instance(id="a", status="ACTIVE", hourly_price=D("2.69")),
        make_instance(id="b", status="SHUTOFF", hourly_price=D("1.19")),
        make_instance(id="c", status="HIBERNATED", hourly_price=D("21.52")),
        make_instance(id="d", status="STARTING", hourly_price=D("0.69")),
        make_instance(id="e", status="ACTIVE", hourly_price=D("2.49"), currency="EUR"),
    ]
    assert burn_rate(fleet, "USD") == D("3.89")
    assert burn_rate(fleet, "EUR") == D("2.49")
    assert burn_rate([], "USD") == 0
