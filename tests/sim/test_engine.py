"""The engine on a FakeClock: every transition at its due time, billing by state (I3), running out of credits (I6)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from barrack_tui.api.models.common import VMStatus, VolumeStatus
from barrack_tui.rules.pricing import money
from barrack_tui.sim import engine, engine_book, instances_ops, volumes_ops
from barrack_tui.sim.ledger import cost, open_period
from barrack_tui.sim.seed import seed_fleet
from tests.sim.core_world import active_instance, advance, clock, deploy, small_state  # noqa: F401

S = VMStatus


@pytest.fixture
def account(clock):
    return small_state(clock)


def start_on_a_minute(account, clock):
    """Settle what accrued so far, so the next whole minutes start now (deductions are per whole minute)."""
    engine_book.book(account).ledger.settle(clock.now(), account.balances)
    return account.balance


def test_deploy_goes_creating_build_active_and_gets_addresses(account, clock):
    instance = deploy(account, public_ip=True)
    half = account.durations.deploy / 2
    assert instance.status == S.CREATING and instance.server_uuid is None and instance.wire()["private_ip"] is None
    advance(account, clock, half - 0.01)
    assert instance.status == S.CREATING
    advance(account, clock, 0.01)
    assert instance.status == S.BUILD
    advance(account, clock, half - 0.01)
    assert instance.status == S.BUILD
    advance(account, clock, 0.01)
    assert instance.status == S.ACTIVE
    assert instance.server_uuid and instance.private_ip.startswith("10.") and instance.public_ip


def test_no_public_ip_unless_asked(account, clock):
    instance = active_instance(account, clock)
    assert instance.public_ip is None and instance.private_ip


def test_stop_shows_stopping_at_once_and_shutoff_after_the_stop_duration(account, clock):
    instance = active_instance(account, clock)
    instances_ops.begin_action(account, instance, "stop")
    assert instance.status == S.STOPPING
    advance(account, clock, account.durations.stop - 0.5)
    assert instance.status == S.STOPPING
    advance(account, clock, 0.5)
    assert instance.status == S.SHUTOFF and instance.pending is None


@pytest.mark.parametrize(
    ("setup", "action", "transitional", "final", "duration"),
    [
        (["stop"], "start", S.STARTING, S.ACTIVE, "start"),
        ([], "reboot", S.REBOOTING, S.ACTIVE, "reboot"),
        ([], "hibernate", S.HIBERNATING, S.HIBERNATED, "hibernate"),
        (["stop"], "hibernate", S.HIBERNATING, S.HIBERNATED, "hibernate"),
        (["hibernate"], "restore", S.RESTORING, S.ACTIVE, "restore"),
    ],
)
def test_each_transition(account, clock, setup, action, transitional, final, duration):
    instance = active_instance(account, clock)
    for step in setup:
        instances_ops.begin_action(account, instance, step)
        advance(account, clock, 60)
    instances_ops.begin_action(account, instance, action)
    assert instance.status == transitional
    advance(account, clock, getattr(account.durations, duration) - 0.1)
    assert instance.status == transitional
    advance(account, clock, 0.1)
    assert instance.status == final


def test_delete_removes_the_instance_returns_stock_and_frees_volumes(account, clock):
    key = ("CANADA-1", "RTX-A6000", 1)
    before = account.stock[key]
    boot = volumes_ops.create_volume(account, name="os", region="CANADA-1", size_gb=100, bootable=True, os_image_id="os-ca1-x")
    data = volumes_ops.create_volume(account, name="data", region="CANADA-1", size_gb=500)
    advance(account, clock, account.durations.volume_create)
    instance = active_instance(account, clock, region="CANADA-1", gpu_model="RTX-A6000", boot_volume_id=boot.id)
    assert account.stock[key] == before - 1 and boot.status == VolumeStatus.ATTACHED
    volumes_ops.attach(data, instance)
    marker = data.contents_marker
    burn_with_instance = account.engine.ledger.burn["USD"]

    instances_ops.begin_action(account, instance, "delete")
    assert instance.status == S.DELETING
    advance(account, clock, account.durations.delete)
    assert instance.id not in account.instances
    assert account.stock[key] == before
    assert boot.id not in account.volumes  # the OS volume goes with its instance
    assert data.status == VolumeStatus.AVAILABLE and data.instance_id is None and data.contents_marker == marker
    assert instance.billing[-1].end is not None
    # What is left billing: the data volume's storage only.
    assert account.engine.ledger.burn["USD"] == Decimal("0.05") < burn_with_instance


def test_volume_becomes_available_after_create_duration_and_bills_from_then(account, clock):
    volume = volumes_ops.create_volume(account, name="v", region="US-1", size_gb=1000)
    assert volume.status == VolumeStatus.CREATING and not volume.billing
    advance(account, clock, account.durations.volume_create)
    assert volume.status == VolumeStatus.AVAILABLE
    assert volume.billing[0].rate == Decimal("0.1") and volume.billing[0].start == clock.now()


@pytest.mark.parametrize(
    ("setup", "hourly_charge"),
    [([], Decimal("2.69")), (["stop"], Decimal("2.69")), (["hibernate"], Decimal("0.01"))],
    ids=["ACTIVE", "SHUTOFF", "HIBERNATED"],
)
def test_I3_one_hour_bills_the_documented_rate_for_the_state(account, clock, setup, hourly_charge):
    instance = active_instance(account, clock)
    for step in setup:
        instances_ops.begin_action(account, instance, step)
        advance(account, clock, 60)  # the transition itself bills nothing
    start = start_on_a_minute(account, clock)
    advance(account, clock, 3600)
    assert money(start - account.balance) == hourly_charge
    period = instance.billing[-1]
    assert period.status == instance.status and period.rate == hourly_charge


def test_I3_transitional_states_bill_nothing(account, clock):
    account.durations.stop = 600
    instance = active_instance(account, clock)
    instances_ops.begin_action(account, instance, "stop")
    start = account.balance
    advance(account, clock, 540)
    assert instance.status == S.STOPPING and account.balance == start


def test_billing_is_deducted_at_whole_minutes_pro_rata(account, clock):
    active_instance(account, clock)  # 2.69 / h
    start = start_on_a_minute(account, clock)
    advance(account, clock, 59)
    assert account.balance == start
    advance(account, clock, 1)
    assert abs((start - account.balance) - Decimal("2.69") / 60) < Decimal("1e-20")


def test_billing_records_follow_the_states(account, clock):
    instance = active_instance(account, clock)
    advance(account, clock, 1800)
    instances_ops.begin_action(account, instance, "stop")
    advance(account, clock, account.durations.stop + 1800)
    statuses = [(p.status, p.end is None) for p in instance.billing]
    assert statuses == [(S.ACTIVE, False), (S.SHUTOFF, True)]
    assert money(instance.billing[0].amount) == Decimal("1.35")  # 2.69 / 2


def test_volume_storage_bills_by_size(account, clock):
    volumes_ops.create_volume(account, name="v", region="US-1", size_gb=2000)
    advance(account, clock, account.durations.volume_create)
    start = start_on_a_minute(account, clock)
    advance(account, clock, 3600)
    assert money(start - account.balance) == Decimal("0.20")


def test_I6_out_of_credits_hibernates_active_and_shutoff_at_the_exact_minute(clock):
    account = small_state(clock, balance="1.00")
    running = active_instance(account, clock, "running")  # 2.69 / h
    stopped = active_instance(account, clock, "stopped", gpu_model="A40")  # 0.69 / h
    instances_ops.begin_action(account, stopped, "stop")
    advance(account, clock, account.durations.stop)
    start_balance, t0 = start_on_a_minute(account, clock), clock.now()
    burn_per_minute = Decimal("3.38") / 60
    minutes_to_zero = math.ceil(start_balance / burn_per_minute)

    # One big jump: the engine still acts at the minute the balance reached zero.
    advance(account, clock, 3 * 3600)
    assert running.status == stopped.status == S.HIBERNATED
    hibernated_at = running.billing[-1].start
    assert hibernated_at == t0 + minutes_to_zero * 60 + account.durations.hibernate
    assert account.balance <= 0
    assert account.engine.ledger.burn["USD"] == Decimal("0.02")


def test_I6_hibernates_an_instance_that_starts_while_out_of_credits(clock):
    account = small_state(clock, balance="0.05")
    instance = active_instance(account, clock)
    advance(account, clock, 600)
    assert instance.status == S.HIBERNATED
    instances_ops.begin_action(account, instance, "restore")
    advance(account, clock, account.durations.restore + 60)
    assert instance.status in (S.HIBERNATING, S.HIBERNATED)


def test_a_rescheduled_transition_does_not_fire_at_its_old_time(account, clock):
    instance = active_instance(account, clock)
    engine_book.schedule(account, engine_book.INSTANCE, instance, S.SHUTOFF, clock.now() + 5)
    engine_book.schedule(account, engine_book.INSTANCE, instance, S.SHUTOFF, clock.now() + 50)
    advance(account, clock, 10)
    assert instance.status == S.ACTIVE
    advance(account, clock, 40)
    assert instance.status == S.SHUTOFF


def test_an_index_rebuilt_from_records_resumes_pending_transitions(account, clock):
    instance = deploy(account)
    engine.invalidate(account)
    advance(account, clock, account.durations.deploy)
    assert instance.status == S.ACTIVE


def test_fleet_transitions_fire(clock):
    account = small_state(clock)
    fleet = seed_fleet(account, 300, transitional_share=0.1)
    moving = [i for i in fleet if i.pending is not None]
    assert len(moving) == 30
    advance(account, clock, 60)
    assert all(i.pending is None and i.status in (S.ACTIVE, S.SHUTOFF) for i in moving)


def test_on_10000_instances_ticks_with_nothing_due_change_nothing_and_a_minute_debits_the_fleets_burn(clock):
    # How fast a tick is belongs to bench/; this checks that the O(1) ledger bills what the records say.
    account = small_state(clock)
    seed_fleet(account, 10_000)
    engine.tick(account)
    balances = dict(account.balances)
    statuses = {i.id: i.status for i in account.instances.values()}
    for _ in range(50):
        engine.tick(account)
    assert account.balances == balances
    assert {i.id: i.status for i in account.instances.values()} == statuses
    per_hour: dict[str, Decimal] = {}
    for record, currency in [(i, i.currency) for i in account.instances.values()] + [
        (v, account.currency) for v in account.volumes.values()
    ]:
        current = open_period(record.billing)
        if current is not None:
            per_hour[currency] = per_hour.get(currency, Decimal(0)) + current.rate
    assert per_hour  # the fleet bills something
    clock.advance(60)
    engine.tick(account)
    for currency, rate in per_hour.items():
        debited = balances[currency] - account.balances[currency]
        # Equal but for Decimal's 28 significant digits on a balance of millions (topped up for the fleet).
        assert abs(debited - cost(rate, 60)) < Decimal("1e-12")
