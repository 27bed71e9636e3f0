"""Volumes through HTTP: V1-V10 with their exact codes and texts, next_name, data and billing kept across detach/attach."""

from __future__ import annotations

import copy
from decimal import Decimal

from barrack_tui.api.models import GetVolumesWithNextNameResponse, VolumeHourlyBillingResponse, VolumeResponse
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules import volumes as volume_rules
from barrack_tui.rules.validators import (
    MSG_NAME_CHARSET,
    MSG_NAME_TAKEN,
    MSG_RESIZE_NOT_LARGER,
    MSG_SIZE_TOO_SMALL,
    MSG_SIZE_TOO_SMALL_BOOTABLE,
)
from barrack_tui.sim import engine_book
from tests.sim.core_world import (  # noqa: F401
    client,
    clock,
    error_of,
    faults,
    field_messages,
    instance_named,
    state,
    volume_named,
)

SEED_DETACH_TEXT_ACTIVE = (
    "Cannot detach: Volume is attached to a ACTIVE instance. The instance must be in SHUTOFF state to perform volume "
    "operations. Please shut down the instance first before attempting to detach volumes."
)


def refusal(response):
    assert response.status_code == 400, response.text
    error = error_of(response)
    return error["code"], error["message"]


async def detach(client, instance, *volumes):
    return await client.post(ROUTES["detach_volumes"].url(id=instance.id), json={"volume_ids": [v.id for v in volumes]})


async def attach(client, instance, *volumes):
    return await client.post(ROUTES["attach_volumes"].url(id=instance.id), json={"volume_ids": [v.id for v in volumes]})


async def test_list_with_next_name_region_filter_and_pages(client, state):
    body = GetVolumesWithNextNameResponse.model_validate((await client.get(ROUTES["list_volumes"].url())).json())
    assert len(body.volumes) == len(state.volumes) and body.next_name == "volume2"  # volume1 exists
    canada = (await client.get(ROUTES["list_volumes"].url(), params={"region": "CANADA-1"})).json()["volumes"]
    assert {v["name"] for v in canada} == {"finetune-h100-os", "models-ca", "ckpt-archive"}
    page = (await client.get(ROUTES["list_volumes"].url(), params={"page": 2, "per_page": 6})).json()
    assert page["pagination"] == {"page": 2, "per_page": 6, "total": 7, "total_pages": 2} and len(page["volumes"]) == 1


async def test_next_name_is_the_lowest_free_volumeN(client, state, clock):
    created = await client.post(ROUTES["create_volume"].url(), json={"name": "volume2", "region": "US-1", "size_gb": 10})
    assert created.status_code == 201
    assert (await client.get(ROUTES["list_volumes"].url())).json()["next_name"] == "volume3"
    assert (await client.delete(ROUTES["delete_volume"].url(id=volume_named(state, 'volume1').id))).status_code == 200
    assert (await client.get(ROUTES["list_volumes"].url())).json()["next_name"] == "volume1"


async def test_create_is_creating_then_available(client, state, clock):
    response = await client.post(ROUTES["create_volume"].url(), json={"name": "scratch", "region": "NORWAY-1", "size_gb": 50})
    assert response.status_code == 201
    volume = VolumeResponse.model_validate(response.json()["volume"])
    assert volume.status == "creating" and volume.tier == "legacy"  # the live service's name for the basic tier
    clock.advance(state.durations.volume_create)
    assert (await client.get(ROUTES["get_volume"].url(id=volume.id))).json()["volume"]["status"] == "available"


async def test_V10_create_form_errors_are_422_per_field(client, state):
    fields = field_messages(await client.post(ROUTES["create_volume"].url(), json={"name": "a/b", "region": "US-1", "size_gb": 5}))
    assert fields == {"name": MSG_NAME_CHARSET, "size_gb": MSG_SIZE_TOO_SMALL}
    bootable = {"name": "os", "region": "CANADA-1", "size_gb": 50, "bootable": True}
    fields = field_messages(await client.post(ROUTES["create_volume"].url(), json=bootable))
    assert fields == {"size_gb": MSG_SIZE_TOO_SMALL_BOOTABLE, "os_image_id": volume_rules.MSG_OS_IMAGE_REQUIRED}


async def test_V10_bootable_only_on_the_advanced_tier(client):
    body = {"name": "os", "region": "US-1", "size_gb": 100, "bootable": True, "os_image_id": "os-us1-ubuntu-2204-r550-cuda124"}
    assert field_messages(await client.post(ROUTES["create_volume"].url(), json=body)) == {"os_image_id": volume_rules.MSG_BOOTABLE_TIER}
    body.update(region="CANADA-1", os_image_id="os-ca1-ubuntu-2204-r550-cuda124")
    created = await client.post(ROUTES["create_volume"].url(), json=body)
    assert created.status_code == 201 and created.json()["volume"]["bootable"] is True


async def test_V10_balance_and_profile(client, state):
    state.balances["USD"] = Decimal("0.99")
    state.profile_complete = False
    fields = field_messages(await client.post(ROUTES["create_volume"].url(), json={"name": "v", "region": "US-1", "size_gb": 10}))
    assert fields == {
        "profile": volume_rules.MSG_PROFILE_INCOMPLETE,
        "balance": volume_rules.MSG_BALANCE_TOO_LOW.format(minimum=Decimal("1.00"), currency="USD"),
    }


async def test_V10_duplicate_name_is_409(client):
    response = await client.post(ROUTES["create_volume"].url(), json={"name": "data-1", "region": "US-1", "size_gb": 10})
    assert response.status_code == 409
    assert error_of(response)["message"] == MSG_NAME_TAKEN.format(name="data-1", kind="volume")


async def test_V3_detach_from_an_active_instance_gives_the_seed_text(client, state):
    response = await detach(client, instance_named(state, "inference-a100"), volume_named(state, "data-1"))
    assert refusal(response) == ("INSTANCE_NOT_SHUTOFF", SEED_DETACH_TEXT_ACTIVE)
    assert volume_named(state, "data-1").status == "attached"


async def test_detach_from_shutoff_then_V1_refuses_the_repeat(client, state):
    instance, volume = instance_named(state, "batch-l40"), volume_named(state, "datasets")
    first = await detach(client, instance, volume)
    assert first.status_code == 200
    assert first.json()["volumes"][0]["status"] == "available" and first.json()["volumes"][0]["instance_id"] is None
    assert refusal(await detach(client, instance, volume)) == ("VOLUME_NOT_ATTACHED", "Volume is not attached")


async def test_V2_bootable_volume_cannot_be_detached(client, state):
    response = await detach(client, instance_named(state, "finetune-h100"), volume_named(state, "finetune-h100-os"))
    assert refusal(response) == ("VOLUME_BOOTABLE", "OS/Bootable volumes cannot be detached")


async def test_V4_detach_through_another_instance(client, state):
    response = await detach(client, instance_named(state, "gpu-train-1"), volume_named(state, "datasets"))
    assert refusal(response) == ("INSTANCE_NOT_FOUND", "Could not find a suitable instance")


async def test_V5_instance_outside_the_currency_context(client, state):
    instance_named(state, "batch-l40").currency = "EUR"
    response = await detach(client, instance_named(state, "batch-l40"), volume_named(state, "datasets"))
    assert refusal(response) == ("CURRENCY_CONTEXT", "Instance not available in current currency context")


async def test_V3_attach_to_an_active_instance(client, state):
    response = await attach(client, instance_named(state, "eval-a100"), volume_named(state, "volume1"))
    assert refusal(response) == ("INSTANCE_NOT_SHUTOFF", volume_rules.MSG_ATTACH_NOT_SHUTOFF.format(status="ACTIVE"))


async def test_V6_attach_needs_an_available_volume_in_the_same_region(client, state):
    shutoff = instance_named(state, "batch-l40")  # NORWAY-1
    assert refusal(await attach(client, shutoff, volume_named(state, "data-1")))[1] == "Volume is not available"
    wrong_region = await attach(client, shutoff, volume_named(state, "volume1"))  # US-1
    assert refusal(wrong_region)[1] == "Volume and instance must be in the same region"


async def test_a_refused_batch_changes_nothing(client, state, clock):
    instance = instance_named(state, "batch-l40")
    created = (await client.post(ROUTES["create_volume"].url(), json={"name": "extra", "region": "NORWAY-1", "size_gb": 10})).json()["volume"]
    clock.advance(state.durations.volume_create)
    response = await attach(client, instance, state.volumes[created["id"]], volume_named(state, "volume1"))
    assert response.status_code == 400
    assert state.volumes[created["id"]].status == "available"


async def test_detach_and_attach_keep_data_and_hourly_charge(client, state, clock):
    instance, volume = instance_named(state, "batch-l40"), volume_named(state, "datasets")
    clock.advance(60)  # let the seed's transitions (STARTING, creating) finish first
    await client.get(ROUTES["get_balance"].url())
    marker, billing, burn = volume.contents_marker, copy.deepcopy(volume.billing), engine_book.book(state).ledger.burn["USD"]
    rate = billing[-1].rate
    assert (await detach(client, instance, volume)).status_code == 200
    clock.advance(600)
    attached = await attach(client, instance, volume)
    assert attached.status_code == 200 and attached.json()["volumes"][0]["instance_id"] == instance.id
    assert volume.contents_marker == marker
    assert volume.billing == billing and volume.billing[-1].rate == rate and volume.billing[-1].end is None
    assert engine_book.book(state).ledger.burn["USD"] == burn


async def test_V7_delete_only_when_detached(client, state):
    refused = await client.delete(ROUTES["delete_volume"].url(id=volume_named(state, 'data-1').id))
    assert refusal(refused) == ("VOLUME_ATTACHED", "Volume must be detached before deletion")
    available = volume_named(state, "volume1")
    assert (await client.delete(ROUTES["delete_volume"].url(id=available.id))).status_code == 200
    assert (await client.get(ROUTES["get_volume"].url(id=available.id))).status_code == 404
    assert available.billing[-1].end is not None


async def test_V8_clone_and_resize_only_on_the_advanced_tier(client, state):
    standard = volume_named(state, "volume1")
    tier = ("TIER", "Clone and resize are available on the advanced tier only")
    assert refusal(await client.post(ROUTES["clone_volume"].url(id=standard.id), json={"name": "copy"})) == tier
    assert refusal(await client.post(ROUTES["resize_volume"].url(id=standard.id), json={"size_gb": 500})) == tier


async def test_V8_clone_copies_the_data_even_of_an_attached_volume(client, state, clock):
    source = volume_named(state, "models-ca")  # attached to an ACTIVE instance: clone is still offered
    response = await client.post(ROUTES["clone_volume"].url(id=source.id), json={"name": "models-ca-copy"})
    assert response.status_code == 201
    clone = state.volumes[response.json()["volume"]["id"]]
    assert clone.contents_marker == source.contents_marker and clone.size_gb == source.size_gb
    assert clone.status == "creating" and clone.instance_id is None
    taken = await client.post(ROUTES["clone_volume"].url(id=source.id), json={"name": "models-ca-copy"})
    assert taken.status_code == 409


async def test_V9_resize_must_grow_and_rebills(client, state, clock):
    volume = volume_named(state, "ckpt-archive")  # 250 GB, CANADA-1
    fields = field_messages(await client.post(ROUTES["resize_volume"].url(id=volume.id), json={"size_gb": 200}))
    assert fields == {"size_gb": MSG_RESIZE_NOT_LARGER}
    grown = await client.post(ROUTES["resize_volume"].url(id=volume.id), json={"size_gb": 1000})
    assert grown.status_code == 200 and grown.json()["volume"]["size_gb"] == 1000
    assert volume.billing[-2].size_gb == 250 and volume.billing[-1].size_gb == 1000
    assert volume.billing[-1].rate == Decimal("0.1")


async def test_types_and_hourly_billing(client, state, clock):
    assert (await client.get(ROUTES["list_volume_types"].url())).json() == {"types": ["Cloud-SSD"]}
    volume = volume_named(state, "data-1")  # 500 GB for 130 hours
    bill = VolumeHourlyBillingResponse.model_validate((await client.get(ROUTES["get_volume_billing"].url(id=volume.id))).json())
    assert bill.summary.hours == 130.0
    assert bill.summary.total == Decimal("6.50")
    assert sum(r.amount for r in bill.records) == Decimal("6.50")
    assert all(r.size_gb == 500 for r in bill.records)
    assert bill.records[0].hour > bill.records[-1].hour  # newest first
    assert (await client.get(ROUTES["get_volume_billing"].url(id="vol-9999"))).status_code == 404
