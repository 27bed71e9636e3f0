"""One cost model: the header, the instance rows, the chat and the simulator's assistant agree on every fleet.

The property test builds random fleets (any status, two currency contexts,
volumes and snapshots in every state) and checks that the header's figures,
kept as running totals by the store, equal the sum of what the rows show:
each instance row's billed rate plus storage's labelled parts.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barrack_tui.account.config import PollSettings
from barrack_tui.api.models.common import ResourceStatus, VMStatus, VolumeStatus
from barrack_tui.api.models.snapshots import Snapshot
from barrack_tui.chat.context import account_summary
from barrack_tui.rules.pricing import (
    HIBERNATED_HOURLY,
    accrued_cost,
    cost_breakdown,
    money,
    snapshot_storage_rate,
    storage_hourly,
    volume_storage_rate,
)
from barrack_tui.tui.areas.instances.fleet_model import FleetModel, FleetRow
from barrack_tui.tui.shell.header import burn_text
from barrack_tui.tui.shell.store import ChangeSet, Store
from tests.rules.factories import NOW, make_instance, make_volume

HOUR = 3600.0
PRICES = [Decimal("0.69"), Decimal("1.19"), Decimal("2.29"), Decimal("5.38"), Decimal("21.52")]

instance_specs = st.lists(
    st.tuples(
        st.sampled_from([*VMStatus, "SUSPENDED_BY_SUPPORT"]),  # the last: a state this version does not know
        st.sampled_from(PRICES),
        st.sampled_from(["USD", "USD", "USD", "EUR"]),
    ),
    max_size=30,
)
volume_specs = st.lists(st.tuples(st.sampled_from([*VolumeStatus]), st.integers(1, 20_000)), max_size=12)
snapshot_specs = st.lists(st.tuples(st.sampled_from([*ResourceStatus]), st.integers(0, 5_000)), max_size=8)


def make_snapshot(**overrides: Any) -> Snapshot:
    fields: dict[str, Any] = {
        "id": "snap-1", "name": "weights", "region": "CANADA-1", "size_gb": 100, "status": "SUCCESS", "created_at": NOW,
    }
    fields.update(overrides)
    return Snapshot.model_validate(fields)


def build(instances: list[tuple[str, Decimal, str]], volumes: list[tuple[str, int]], snapshots: list[tuple[str, int]]):
    fleet = [
        make_instance(id=f"i{n}", name=f"box-{n}", status=status, hourly_price=price, currency=currency)
        for n, (status, price, currency) in enumerate(instances)
    ]
    vols = [make_volume(id=f"v{n}", name=f"vol-{n}", status=status, size_gb=size) for n, (status, size) in enumerate(volumes)]
    snaps = [make_snapshot(id=f"s{n}", status=status, size_gb=size) for n, (status, size) in enumerate(snapshots)]
    return fleet, vols, snaps


def headless_store() -> Store:
    return Store(client_getter=lambda: None, settings=PollSettings(), clock=lambda: 0.0)


def fill(store: Store, fleet: list[Any], vols: list[Any], snaps: list[Any]) -> None:
    for kind, items in (("instances", fleet), ("volumes", vols), ("snapshots", snaps)):
        store.publish(store.replace_keyed(kind, items))
    store.loaded |= {"instances", "volumes", "snapshots"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance_specs, volume_specs, snapshot_specs, instance_specs)
def test_the_header_total_is_the_sum_of_the_rows_and_storage_parts(instances, volumes, snapshots, changes):
    fleet, vols, snaps = build(instances, volumes, snapshots)
    store = headless_store()
    fill(store, fleet, vols, snaps)
    # Then some instances change state (a poll), some go away: the running totals must follow.
    changed, _, _ = build(changes[: len(fleet)], [], [])
    for instance in changed:
        store.upsert("instances", instance)
    if fleet:
        store.remove("instances", fleet[-1].id)
    live = list(store.instances.values())

    header = store.costs()
    fresh = cost_breakdown(live, vols, snaps, "USD")
    assert header == fresh

    # The rows: what each instance row shows in its Price/h column, counted as the footer counts them.
    model = FleetModel()
    model.replace_all(live)
    rows = [model.rows[i.id] for i in live]
    on_bill = sum((row.billing_rate for row in rows if row.currency == "USD"), Decimal("0"))
    assert model.totals().cost_per_hour == on_bill == header.instances_per_hour
    volume_rows = sum((volume_storage_rate(v, "USD") for v in vols), Decimal("0"))
    snapshot_rows = sum((snapshot_storage_rate(s, "USD") for s in snaps), Decimal("0"))
    assert header.volumes.per_hour == volume_rows and header.snapshots.per_hour == snapshot_rows
    assert header.total_per_hour == on_bill + volume_rows + snapshot_rows

    shown = burn_text(header, compact=False).plain
    assert shown.startswith(f"burn {header.instances_per_hour:,.2f}/h + storage {header.storage_per_hour:,.2f}/h")
    # The chat's account context states the same parts and the same total.
    summary = account_summary(live, vols, store.balance, snapshots=snaps)
    assert f"instances {money(header.instances_per_hour)} USD/h + storage {money(header.storage_per_hour)} USD/h" in summary
    assert f"= {money(header.total_per_hour)} USD/h in all" in summary


def test_storage_parts_are_labelled_and_count_only_what_is_billed():
    _, vols, snaps = build([], [("available", 1000), ("attached", 500), ("creating", 900), ("error", 700)], [("SUCCESS", 250), ("CREATING", 100)])
    costs = cost_breakdown([], vols, snaps, "USD")
    assert (costs.volumes.label, costs.volumes.count, costs.volumes.size_gb) == ("volumes", 2, 1500)
    assert costs.volumes.per_hour == storage_hourly(1500, "USD") == Decimal("0.15")
    assert (costs.snapshots.label, costs.snapshots.count, costs.snapshots.size_gb) == ("snapshots", 1, 250)
    assert costs.storage_per_hour == Decimal("0.175")
    assert burn_text(costs, compact=True).plain == "0.00/h+st 0.18/h"


def test_storage_not_yet_read_is_shown_as_unknown_not_as_zero():
    assert burn_text(cost_breakdown([], [], [], "USD"), compact=False, storage_known=False).plain == "burn 0.00/h + storage …"


def test_a_hibernated_instance_shows_the_hibernation_rate_and_keeps_its_list_price():
    hibernated = make_instance(status="HIBERNATED", hourly_price=Decimal("0.69"))
    row = FleetRow.from_instance(hibernated)
    assert row.billing_rate == HIBERNATED_HOURLY["USD"] == Decimal("0.01")
    assert row.hourly_price == Decimal("0.69")  # the list price stays for the details
    assert cost_breakdown([hibernated], [], [], "USD").per_instance == {"inst-1": Decimal("0.01")}
    # Sorting by Price/h orders by what the column shows.
    active = FleetRow.from_instance(make_instance(id="inst-2", status="ACTIVE", hourly_price=Decimal("0.69")))
    assert row.sort_key("price", 0) < active.sort_key("price", 0)


def test_accrued_cost_bills_each_period_at_that_periods_rate():
    created = NOW
    hibernated_at = created + timedelta(hours=10)
    restored_at = hibernated_at + timedelta(hours=240)
    model = FleetModel()
    model.replace_all([make_instance(status="ACTIVE", hourly_price=Decimal("2.29"), created_at=created, updated_at=created)])
    model.apply([make_instance(status="HIBERNATED", hourly_price=Decimal("2.29"), created_at=created, updated_at=hibernated_at)])
    model.apply([make_instance(status="RESTORING", hourly_price=Decimal("2.29"), created_at=created, updated_at=restored_at)])
    back = restored_at + timedelta(minutes=1)
    model.apply([make_instance(status="ACTIVE", hourly_price=Decimal("2.29"), created_at=created, updated_at=back)])
    row = model.rows["inst-1"]
    one_hour_later = back.timestamp() + HOUR
    expected = Decimal("2.29") * 10 + Decimal("0.01") * 240 + Decimal("2.29") * 1  # RESTORING billed nothing
    assert money(row.accrued_estimate(one_hour_later)) == money(expected) == Decimal("27.59")
    # Not the jump the full rate over the hibernated time would make.
    assert row.accrued_estimate(one_hour_later) < Decimal("2.29") * 250
    # The pure function over billing periods says the same.
    start = created.timestamp()
    periods = [
        (start, start + 10 * HOUR, Decimal("2.29")),
        (start + 10 * HOUR, start + 250 * HOUR, Decimal("0.01")),
        (start + 250 * HOUR, start + 250 * HOUR + 60, Decimal("0")),
        (start + 250 * HOUR + 60, None, Decimal("2.29")),
    ]
    assert accrued_cost(periods, one_hour_later) == row.accrued_estimate(one_hour_later)


def test_a_store_change_of_volumes_changes_the_header_storage_part():
    store = headless_store()
    _, vols, _ = build([], [("available", 1000)], [])
    fill(store, [], vols, [])
    assert store.costs().volumes.per_hour == Decimal("0.1")
    store.publish(store.replace_keyed("volumes", []))
    assert store.costs().volumes.per_hour == 0
    store.publish(ChangeSet("volumes"))
    assert store.costs().total_per_hour == 0


def test_before_the_first_instance_list_the_burn_is_unknown_not_zero():
    empty = cost_breakdown([], [], [], "USD")
    assert burn_text(empty, compact=False, storage_known=False, instances_known=False).plain == "burn … + storage …"
    assert burn_text(empty, compact=True, storage_known=False, instances_known=False).plain == "…+st …"
