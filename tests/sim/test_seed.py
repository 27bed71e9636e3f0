"""The demo account and synthetic fleets: deterministic, every card state present, stock complete."""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.api.models.common import TRANSITIONAL_VM_STATUSES, VMStatus
from barrack_tui.rules.volumes import can_detach, card_actions
from barrack_tui.sim import engine
from barrack_tui.sim.catalogue import GPU_COUNTS, REGIONS
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.sim.wire import instance_view, volume_view
from tests.sim.core_world import clock, instance_named, small_state, state, volume_named  # noqa: F401


def snapshot_of(state):
    return (
        [i.wire() for i in state.instances.values()],
        [v.wire(state.instances) for v in state.volumes.values()],
        sorted(state.stock.items()),
        dict(state.balances),
    )


def test_the_demo_is_deterministic():
    assert snapshot_of(seed_demo(FakeClock())) == snapshot_of(seed_demo(FakeClock()))


def test_about_500_usd(state):
    assert state.currency == "USD" and state.balances == {"USD": Decimal("500.00")}


def test_instances_in_every_region_and_the_needed_states(state):
    assert {i.region for i in state.instances.values()} == set(REGIONS)
    statuses = {i.status for i in state.instances.values()}
    assert {VMStatus.ACTIVE, VMStatus.SHUTOFF, VMStatus.HIBERNATED} <= statuses
    moving = [i for i in state.instances.values() if i.status in TRANSITIONAL_VM_STATUSES]
    assert len(moving) == 1 and moving[0].pending.due > state.now()
    assert all(i.ssh_key_ids and i.ssh_key_ids[0] in state.ssh_keys for i in state.instances.values())
    assert len({i.name for i in state.instances.values()}) == len(state.instances)


def test_volumes_exercise_every_card_state(state):
    def actions(name):
        volume = volume_named(state, name)
        instance = state.instances.get(volume.instance_id) if volume.instance_id else None
        return card_actions(volume_view(state, volume), instance_view(instance), state.currency)

    data1 = volume_named(state, "data-1")
    assert state.instances[data1.instance_id].status == VMStatus.ACTIVE
    refused = can_detach(volume_view(state, data1), instance_view(state.instances[data1.instance_id]), "USD")
    assert "attached to a ACTIVE instance" in refused.message
    assert actions("datasets").detach.enabled  # attached to a SHUTOFF instance
    boot = volume_named(state, "finetune-h100-os")
    assert boot.bootable and boot.region == "CANADA-1" and state.instances[boot.instance_id].boot_volume_id == boot.id
    assert actions("finetune-h100-os").detach.reason == "OS/Bootable volumes cannot be detached"
    assert actions("volume1").attach.visible and actions("volume1").delete.enabled
    assert volume_named(state, "logs-us").status == "creating"
    advanced = [v for v in state.volumes.values() if v.region == "CANADA-1" and not v.bootable]
    assert advanced and all(actions(v.name).clone.visible for v in advanced)


def test_stock_for_every_offered_configuration_some_sold_out(state):
    expected = {(str(r), str(m), c) for r, info in REGIONS.items() for m in info.available_gpus for c in GPU_COUNTS}
    assert set(state.stock) == expected
    assert any(v == 0 for v in state.stock.values()) and any(v > 0 for v in state.stock.values())
    for instance in state.instances.values():
        assert instance.gpu_model in REGIONS[instance.region].available_gpus


def test_resources_are_seeded_too(state):
    assert state.ssh_keys and state.firewalls and state.scripts and state.snapshots


def test_the_starting_instance_comes_up(state, clock):
    clock.advance(state.durations.start)
    engine.tick(state)
    assert instance_named(state, "dev-a6000").status == VMStatus.ACTIVE


def test_fleet_of_50000_is_unique_spread_and_partly_moving(clock):
    account = small_state(clock)
    fleet = seed_fleet(account, 50_000, transitional_share=0.02)
    assert len(account.instances) == 50_000 and len({i.name for i in fleet}) == 50_000
    assert {i.region for i in fleet} == set(REGIONS)
    assert sum(1 for i in fleet if i.pending is not None) == 1_000
    assert {VMStatus.ACTIVE, VMStatus.SHUTOFF, VMStatus.HIBERNATED} <= {i.status for i in fleet}
    engine.tick(account)  # builds the index once
    assert account.balance > Decimal("100")  # topped up: the bench fleet is not hibernated by I6


def test_fleet_names_continue_after_a_second_call(clock):
    account = small_state(clock)
    seed_fleet(account, 3)
    seed_fleet(account, 2)
    assert sorted(i.name for i in account.instances.values()) == [f"fleet-{n:05d}" for n in range(1, 6)]


def test_the_demo_keys_are_the_ones_their_labels_derive():
    # The demo's keys are written out (seeding then needs no `cryptography`); they must stay what their labels derive.
    from barrack_tui.sim.seed_resources import _key_specs, ecdsa_p256_public_key, ed25519_public_key

    keys = {spec.name: spec.public_key for spec in _key_specs()}
    assert keys["alice-laptop"] == ed25519_public_key("alice-laptop", "alice@laptop")
    assert keys["ci-deploy"] == ed25519_public_key("ci-deploy", "ci@build-runner")
    assert keys["bob-workstation"] == ecdsa_p256_public_key("bob-workstation", "bob@workstation")
