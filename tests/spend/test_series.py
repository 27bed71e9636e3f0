"""Burn over time from billing records and the pollers' samples, and accrued cost per resource."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

from barrack_tui.spend.series import (
    DAYS,
    HOUR,
    HOURS,
    BurnLog,
    Charge,
    accrued,
    bucket_bounds,
    burn_series,
    instance_charges,
    volume_charges,
)

D = Decimal
NOW = 1_795_000_000.0  # the FakeClock's start: 2026-11-18 08:26:40 UTC


def at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def test_instance_records_become_charges_and_an_open_record_runs_until_now():
    records = [
        SimpleNamespace(start=at(NOW - 10 * HOUR), end=at(NOW - 4 * HOUR), amount=D("12")),
        SimpleNamespace(start=at(NOW - 4 * HOUR), end=None, amount=D("0.04")),
        SimpleNamespace(start=at(NOW - HOUR), end=at(NOW - HOUR), amount=D("0")),  # nothing billed: left out
    ]
    assert instance_charges(records, NOW) == [
        Charge(NOW - 10 * HOUR, NOW - 4 * HOUR, D("12")), Charge(NOW - 4 * HOUR, NOW, D("0.04"))
    ]


def test_volume_hours_become_charges_and_the_current_hour_ends_now():
    hour = NOW - NOW % HOUR
    records = [SimpleNamespace(hour=at(hour), amount=D("0.01")), SimpleNamespace(hour=at(hour - HOUR), amount=D("0.05"))]
    assert volume_charges(records, NOW) == [Charge(hour, NOW, D("0.01")), Charge(hour - HOUR, hour, D("0.05"))]


def test_accrued_takes_the_share_of_each_charge_inside_the_period():
    charges = [Charge(0, 10 * HOUR, D("10")), Charge(20 * HOUR, 21 * HOUR, D("3"))]
    assert accrued(charges, 5 * HOUR, 20.5 * HOUR) == D("6.5")
    assert accrued(charges, 30 * HOUR, 40 * HOUR) == 0


def test_the_burn_log_keeps_one_sample_per_change_and_integrates_it():
    log = BurnLog()
    assert log.since is None and log.cost_between(0, HOUR) == 0
    assert log.add(HOUR, D("2"))
    assert not log.add(1.5 * HOUR, D("2"))  # unchanged: no new sample
    assert log.add(2 * HOUR, D("4"))
    assert log.since == HOUR
    # 1 h at 2/h, then 1 h at 4/h (the last sample holds until the end asked for); nothing before the first.
    assert log.cost_between(0, 3 * HOUR) == D("6")


def test_buckets_are_aligned_and_the_last_one_ends_now():
    bounds = bucket_bounds(HOURS, NOW)
    assert len(bounds) == 48
    assert bounds[-1] == (NOW - NOW % HOUR, NOW)
    assert all(end - start == HOUR for start, end in bounds[:-1])
    days = bucket_bounds(DAYS, NOW)
    assert len(days) == 30 and days[-1][0] % (24 * HOUR) == 0


def test_the_series_uses_billing_before_the_samples_and_the_samples_after():
    now = 100 * HOUR + 1800  # half way through an hour
    charges = [Charge(0, now, D("3") * D(now) / D(HOUR))]  # 3/h all along, by the billing records
    log = BurnLog()
    log.add(98 * HOUR, D("5"))  # the pollers saw 5/h (a resource the records did not include) from 98 h
    series = burn_series(HOURS, now, charges, log)
    assert len(series) == 48
    assert series[0] == D("3") and series[-4] == D("3")  # 96-97 h: billing only
    assert series[-3] == D("5")  # 98-99 h: samples only
    assert series[-1] == D("5")  # the half hour so far, scaled to a whole hour


def test_without_samples_the_whole_series_comes_from_billing():
    now = 50 * HOUR
    series = burn_series(HOURS, now, [Charge(40 * HOUR, 50 * HOUR, D("20"))], BurnLog())
    assert series[-10:] == [D("2")] * 10 and series[:38] == [D("0")] * 38


def test_a_series_of_10000_resources_charges_is_quick():
    import time

    now = NOW
    charges = [Charge(now - (i % 700) * HOUR - HOUR, now - (i % 700) * HOUR, D("0.01")) for i in range(15_000)]
    started = time.perf_counter()
    burn_series(DAYS, now, charges, BurnLog())
    burn_series(HOURS, now, charges, BurnLog())
    assert time.perf_counter() - started < 1.0
