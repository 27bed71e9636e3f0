"""Snapshots (S1) and images (M1) through HTTP: create, transitions, restore, billing, relationships."""

from __future__ import annotations

from decimal import Decimal

from barrack_tui.api.models import Image, RestoreSnapshotResponse, Snapshot, SnapshotBillingResponse
from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules import resources as res_rules
from barrack_tui.rules.instances import MSG_INSUFFICIENT_CREDITS, MSG_OUT_OF_STOCK
from barrack_tui.rules.pricing import storage_hourly
from barrack_tui.rules.validators import MSG_NAME_CHARSET, MSG_NAME_TAKEN
from barrack_tui.sim import engine_resources
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.state import SimState, SnapshotRecord
from tests.sim.resource_world import (  # noqa: F401  (fixtures)
    by_name,
    client,
    clock,
    error_of,
    field_messages,
    instance_named,
    state,
)


def _done_snapshot(state) -> SnapshotRecord:
    return next(s for s in sorted(state.snapshots.values(), key=lambda s: s.id) if s.status == "SUCCESS")


def _creating_snapshot(state) -> SnapshotRecord:
    return next(s for s in state.snapshots.values() if s.status == "CREATING")


async def test_list_with_region_filter(client, state):
    everything = (await client.get(ROUTES["list_snapshots"].url())).json()["snapshots"]
    assert {s["id"] for s in everything} == set(state.snapshots)
    region = _done_snapshot(state).region
    filtered = (await client.get(ROUTES["list_snapshots"].url(), params={"region": region})).json()["snapshots"]
    assert filtered and all(s["region"] == region for s in filtered)
    assert {s["id"] for s in filtered} == {s.id for s in state.snapshots.values() if s.region == region}


async def test_eligible_instances_are_the_active_ones(client, state):
    body = (await client.get(ROUTES["list_snapshot_eligible_instances"].url())).json()
    assert {i["id"] for i in body["instances"]} == {
        i.id for i in state.instances.values() if i.status == VMStatus.ACTIVE
    }
    us = (await client.get(ROUTES["list_snapshot_eligible_instances"].url(), params={"region": "US-1"})).json()["instances"]
    assert all(i["region"] == "US-1" and i["status"] == "ACTIVE" for i in us)


async def test_S1_snapshot_of_an_active_instance_goes_creating_then_success(client, state, clock):
    instance = instance_named(state, "gpu-train-1")
    response = await client.post(
        ROUTES["create_snapshot"].url(), json={"instance_id": instance.id, "name": "before-tuning", "description": "pre"}
    )
    assert response.status_code == 202
    snapshot = Snapshot.model_validate(response.json()["snapshot"])
    assert (snapshot.status, snapshot.region, snapshot.instance_name) == ("CREATING", instance.region, "gpu-train-1")
    assert snapshot.vm_config.gpu_model == instance.gpu_model and snapshot.vm_config.gpu_count == instance.gpu_count

    clock.advance(state.durations.snapshot_create - 1)
    assert (await client.get(ROUTES["get_snapshot"].url(id=snapshot.id))).json()["status"] == "CREATING"
    clock.advance(1)
    assert (await client.get(ROUTES["get_snapshot"].url(id=snapshot.id))).json()["status"] == "SUCCESS"


async def test_S1_snapshot_of_a_shutoff_instance_is_refused(client, state):
    instance = instance_named(state, "batch-l40")
    response = await client.post(ROUTES["create_snapshot"].url(), json={"instance_id": instance.id, "name": "nope"})
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "INSTANCE_NOT_ACTIVE",
        "message": res_rules.MSG_SNAPSHOT_NOT_ACTIVE,
        "details": None,
    }
    assert "nope" not in {s.name for s in state.snapshots.values()}


async def test_S1_name_rules(client, state):
    instance = instance_named(state, "gpu-train-1")
    bad = await client.post(ROUTES["create_snapshot"].url(), json={"instance_id": instance.id, "name": "a/b"})
    assert field_messages(bad) == {"name": MSG_NAME_CHARSET}
    taken = _done_snapshot(state).name
    dup = await client.post(ROUTES["create_snapshot"].url(), json={"instance_id": instance.id, "name": taken})
    assert dup.status_code == 409
    assert error_of(dup)["message"] == MSG_NAME_TAKEN.format(name=taken, kind="snapshot")
    missing = await client.post(ROUTES["create_snapshot"].url(), json={"instance_id": "ins-9999", "name": "x"})
    assert missing.status_code == 404


async def test_snapshot_created_as_image_makes_the_image_after_the_snapshot(client, state, clock):
    instance = instance_named(state, "gpu-train-1")
    response = await client.post(
        ROUTES["create_snapshot"].url(), json={"instance_id": instance.id, "name": "golden-2", "create_image": True}
    )
    snapshot = response.json()["snapshot"]
    assert snapshot["is_image"] is True
    relation = (await client.get(ROUTES["get_snapshot_image"].url(id=snapshot['id']))).json()
    image_id = relation["image_id"]
    assert image_id is not None
    assert (await client.get(ROUTES["get_image"].url(id=image_id))).json()["image"]["status"] == "CREATING"

    clock.advance(state.durations.snapshot_create)
    assert (await client.get(ROUTES["get_snapshot"].url(id=snapshot['id']))).json()["status"] == "SUCCESS"
    assert (await client.get(ROUTES["get_image"].url(id=image_id))).json()["image"]["status"] == "CREATING"
    clock.advance(state.durations.image_create)
    image = Image.model_validate((await client.get(ROUTES["get_image"].url(id=image_id))).json()["image"])
    assert (image.status, image.name, image.region, image.snapshot_id) == (
        "SUCCESS",
        "golden-2",
        instance.region,
        snapshot["id"],
    )


async def test_M1_image_from_a_creating_snapshot_is_refused(client, state):
    snapshot = _creating_snapshot(state)
    response = await client.post(ROUTES["create_image"].url(), json={"snapshot_id": snapshot.id, "name": "too-early"})
    assert response.status_code == 400
    assert error_of(response)["message"] == res_rules.MSG_IMAGE_SNAPSHOT_NOT_READY
    assert "too-early" not in {i.name for i in state.images.values()}


async def test_M1_image_from_a_success_snapshot(client, state, clock):
    snapshot = _done_snapshot(state)
    response = await client.post(ROUTES["create_image"].url(), json={"snapshot_id": snapshot.id, "name": "base-v2", "description": "d"})
    assert response.status_code == 201
    image = response.json()["image"]
    assert (image["status"], image["region"], image["size_gb"]) == ("CREATING", snapshot.region, snapshot.size_gb)
    clock.advance(state.durations.image_create)
    assert (await client.get(ROUTES["get_image"].url(id=image['id']))).json()["image"]["status"] == "SUCCESS"
    listed = (await client.get(ROUTES["list_images"].url(), params={"region": snapshot.region})).json()["images"]
    assert image["id"] in [i["id"] for i in listed]

    dup = await client.post(ROUTES["create_image"].url(), json={"snapshot_id": snapshot.id, "name": "base-v2"})
    assert dup.status_code == 409
    assert error_of(dup)["message"] == MSG_NAME_TAKEN.format(name="base-v2", kind="image")
    assert (await client.post(ROUTES["create_image"].url(), json={"snapshot_id": "snap-9999", "name": "x"})).status_code == 404


async def test_deleting_the_only_image_clears_is_image(client, state):
    image = next(iter(state.images.values()))
    source = state.snapshots[image.snapshot_id]
    assert source.is_image
    assert (await client.delete(ROUTES["delete_image"].url(id=image.id))).status_code == 200
    assert (await client.get(ROUTES["get_image"].url(id=image.id))).status_code == 404
    assert (await client.get(ROUTES["get_snapshot"].url(id=source.id))).json()["is_image"] is False
    assert (await client.get(ROUTES["get_snapshot_image"].url(id=source.id))).json() == {"snapshot_id": source.id, "image_id": None}


async def test_batch_relationships(client, state):
    image = next(iter(state.images.values()))
    plain = next(s for s in state.snapshots.values() if s.id != image.snapshot_id)
    body = {"snapshot_ids": [image.snapshot_id, plain.id, "snap-9999"]}
    response = await client.post(ROUTES["get_snapshot_image_relationships"].url(), json=body)
    assert response.json()["relationships"] == [
        {"snapshot_id": image.snapshot_id, "image_id": image.id},
        {"snapshot_id": plain.id, "image_id": None},
        {"snapshot_id": "snap-9999", "image_id": None},
    ]
    assert (await client.get(ROUTES["get_snapshot_image"].url(id="snap-9999"))).status_code == 404


async def test_restore_with_the_default_name_deploys_the_snapshots_configuration(client, state, clock):
    snapshot = _done_snapshot(state)
    key = (snapshot.region, snapshot.vm_config["gpu_model"], snapshot.vm_config["gpu_count"])
    stock_before = state.stock[key]
    response = await client.post(ROUTES["restore_snapshot"].url(id=snapshot.id), json={"name": ""})
    assert response.status_code == 201
    instance = RestoreSnapshotResponse.model_validate(response.json()).instance
    assert instance.name == res_rules.restored_name(snapshot.name) == f"{snapshot.name}-restored"
    assert (instance.region, instance.flavor.gpu_model, instance.flavor.gpu_count) == key
    assert instance.status == "CREATING"
    assert state.stock[key] == stock_before - 1
    listed = (await client.get(ROUTES["list_instances"].url())).json()["instances"]
    assert instance.id in [i["id"] for i in listed]
    clock.advance(state.durations.deploy)
    assert (await client.get(ROUTES["get_instance"].url(id=instance.id))).json()["instance"]["status"] == "ACTIVE"


async def test_restore_with_a_chosen_name(client, state):
    snapshot = _done_snapshot(state)
    response = await client.post(ROUTES["restore_snapshot"].url(id=snapshot.id), json={"name": "rebuilt"})
    assert response.status_code == 201 and response.json()["instance"]["name"] == "rebuilt"


async def test_restore_refusals(client, state):
    creating = _creating_snapshot(state)
    response = await client.post(ROUTES["restore_snapshot"].url(id=creating.id), json={"name": "x"})
    assert (response.status_code, error_of(response)["message"]) == (400, res_rules.MSG_SNAPSHOT_NOT_READY)

    done = _done_snapshot(state)
    taken = next(iter(state.instances.values())).name
    response = await client.post(ROUTES["restore_snapshot"].url(id=done.id), json={"name": taken})
    assert (response.status_code, error_of(response)["message"]) == (
        409,
        MSG_NAME_TAKEN.format(name=taken, kind="instance"),
    )

    config = done.vm_config
    state.stock[(done.region, config["gpu_model"], config["gpu_count"])] = 0
    response = await client.post(ROUTES["restore_snapshot"].url(id=done.id), json={"name": "no-stock"})
    assert field_messages(response) == {
        "gpu_count": MSG_OUT_OF_STOCK.format(gpu_model=config["gpu_model"], region=done.region)
    }


async def test_restore_without_credits_is_402(client, state):
    done = _done_snapshot(state)
    state.balances[state.currency] = Decimal("0.10")
    response = await client.post(ROUTES["restore_snapshot"].url(id=done.id), json={"name": "broke"})
    assert (response.status_code, error_of(response)["message"]) == (402, MSG_INSUFFICIENT_CREDITS)


async def test_billing_accrues_storage_by_the_hour_and_stops_at_delete(client, state, clock):
    snapshot = _done_snapshot(state)
    clock.advance(2 * 3600)
    bill = SnapshotBillingResponse.model_validate((await client.get(ROUTES["get_snapshot_billing"].url(id=snapshot.id))).json())
    rate = storage_hourly(snapshot.size_gb, state.currency)
    assert bill.summary.total == (rate * 2).quantize(Decimal("0.000001"))
    assert bill.summary.hours == 2.0
    assert sum(r.amount for r in bill.records) == bill.summary.total
    assert [r.hour for r in bill.records] == sorted((r.hour for r in bill.records), reverse=True)
    assert all(r.size_gb == snapshot.size_gb for r in bill.records)

    assert (await client.delete(ROUTES["delete_snapshot"].url(id=snapshot.id))).status_code == 200
    assert (await client.get(ROUTES["get_snapshot"].url(id=snapshot.id))).status_code == 404
    assert snapshot.billing[-1].end == clock.now()
    assert (await client.delete(ROUTES["delete_snapshot"].url(id=snapshot.id))).status_code == 404


def test_snapshot_storage_is_deducted_per_whole_minute():
    clock = FakeClock()
    state = SimState(clock=clock, balances={"USD": Decimal("10")})
    snapshot = SnapshotRecord("snap-1", "s", "", None, None, "US-1", 1000, "SUCCESS", clock.now())
    state.snapshots[snapshot.id] = snapshot
    engine_resources.open_storage_billing(state, snapshot, start=clock.now())
    rate = storage_hourly(1000, "USD")  # 0.1 USD per hour

    clock.advance(59)
    engine_resources.tick(state)
    assert state.balances["USD"] == Decimal("10")
    clock.advance(61)  # two whole minutes
    engine_resources.tick(state)
    assert state.balances["USD"] == Decimal("10") - (rate * 2 / 60).quantize(Decimal("0.000001"))
    clock.advance(3600 - 120)
    engine_resources.tick(state)
    engine_resources.tick(state)  # a second look at the same moment charges nothing more
    assert state.balances["USD"] == Decimal("10") - rate


def test_seed_has_finished_and_running_snapshots_and_an_image_of_a_finished_one(state):
    statuses = sorted(s.status for s in state.snapshots.values())
    assert statuses.count("SUCCESS") >= 1 and statuses.count("CREATING") == 1
    [image] = state.images.values()
    assert state.snapshots[image.snapshot_id].status == "SUCCESS" and image.status == "SUCCESS"
    assert image.region == state.snapshots[image.snapshot_id].region


def test_seed_is_deterministic():
    from barrack_tui.sim.seed import seed_demo

    first, second = seed_demo(FakeClock()), seed_demo(FakeClock())
    for table in ("ssh_keys", "firewalls", "scripts", "snapshots", "images"):
        assert getattr(first, table) == getattr(second, table), table


async def test_an_image_whose_snapshot_is_deleted_while_creating_ends_in_error(client, state, clock):
    instance = instance_named(state, "gpu-train-1")
    snapshot = (
        await client.post(ROUTES["create_snapshot"].url(), json={"instance_id": instance.id, "name": "short-lived", "create_image": True})
    ).json()["snapshot"]
    image_id = (await client.get(ROUTES["get_snapshot_image"].url(id=snapshot['id']))).json()["image_id"]
    assert (await client.delete(ROUTES["delete_snapshot"].url(id=snapshot['id']))).status_code == 200
    clock.advance(state.durations.snapshot_create + state.durations.image_create)
    assert (await client.get(ROUTES["get_image"].url(id=image_id))).json()["image"]["status"] == "ERROR"


async def test_restore_of_a_multi_gpu_snapshot_with_one_configuration_left(client, state):
    done = _done_snapshot(state)
    done.vm_config["gpu_count"] = 4
    state.stock[(done.region, done.vm_config["gpu_model"], 4)] = 1
    response = await client.post(ROUTES["restore_snapshot"].url(id=done.id), json={"name": "four-gpus"})
    assert response.status_code == 201, response.json()
    assert response.json()["instance"]["flavor"]["gpu_count"] == 4
    assert state.stock[(done.region, done.vm_config["gpu_model"], 4)] == 0
