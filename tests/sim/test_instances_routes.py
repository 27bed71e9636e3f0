"""Instances through HTTP: deploy (I4, 402, 409, stock), list/details, lifecycle (I1, I2), public IP (I5), rules, billing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from barrack_tui.api.models import (
    AggregatedBillingResponse,
    DeploymentResponse,
    GetHibernatedVMsResponse,
    ListVMsResponse,
    VMDetailsResponse,
)
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules import instances as instance_rules
from barrack_tui.rules.network import MSG_PREFIX_RANGE, MSG_RULE_EXISTS
from barrack_tui.rules.validators import (
    MSG_CLOUD_INIT_TOO_LARGE,
    MSG_JUPYTER_PASSWORD_SHORT,
    MSG_NAME_CHARSET,
    MSG_NAME_TAKEN,
)
from barrack_tui.sim.state import DEMO_API_KEY
from tests.sim.core_world import (  # noqa: F401
    client,
    clock,
    error_of,
    faults,
    field_messages,
    instance_named,
    state,
)


def deployment(state, **changes):
    body = {
        "name": "new-box",
        "region": "NORWAY-1",
        "gpu_model": "L40",
        "gpu_count": 1,
        "boot_source": {"type": "os_image", "id": "os-no1-ubuntu-2204-r550-cuda124"},
        "ssh_key_ids": [next(iter(state.ssh_keys))],
        "public_ip": True,
    }
    body.update(changes)
    return body


async def test_deploy_creates_an_instance_takes_stock_and_comes_up(client, state, clock):
    key = ("NORWAY-1", "L40", 1)
    before = state.stock[key]
    response = await client.post(ROUTES["deploy_instance"].url(), json=deployment(state))
    assert response.status_code == 201, response.text
    answer = DeploymentResponse.model_validate(response.json())
    assert re.fullmatch(r"DEP\d{7}", answer.deployment_id)
    assert answer.instance.status == "CREATING" and answer.instance.public_ip is None
    assert state.stock[key] == before - 1

    clock.advance(state.durations.deploy)
    details = VMDetailsResponse.model_validate((await client.get(ROUTES["get_instance"].url(id=answer.instance.id))).json())
    assert details.instance.status == "ACTIVE"
    assert details.instance.server_uuid and details.instance.private_ip and details.instance.public_ip


async def test_I4_deploy_form_errors_are_422_per_field(client, state):
    body = deployment(
        state,
        name="bad/name",
        region="US-1",  # the OS image is a NORWAY-1 one
        jupyter={"enabled": True, "password": "short"},
        cloud_init="x" * 20_000,
    )
    fields = field_messages(await client.post(ROUTES["deploy_instance"].url(), json=body))
    assert fields["name"] == MSG_NAME_CHARSET
    assert fields["jupyter"] == MSG_JUPYTER_PASSWORD_SHORT
    assert fields["cloud_init"] == MSG_CLOUD_INIT_TOO_LARGE.format(size=20_000)
    assert fields["boot_source"] == instance_rules.MSG_BOOT_SOURCE.format(region="US-1")
    assert "gpu_count" not in fields  # L40 is in stock in US-1


async def test_I4_out_of_stock_is_refused_on_gpu_count(client, state):
    body = deployment(state, region="US-1", gpu_model="H100-PCIe-80GB", boot_source={"type": "os_image", "id": "os-us1-ubuntu-2204-r550-cuda124"})
    fields = field_messages(await client.post(ROUTES["deploy_instance"].url(), json=body))
    assert fields == {"gpu_count": instance_rules.MSG_OUT_OF_STOCK.format(gpu_model="H100-PCIe-80GB", region="US-1")}


async def test_I4_model_not_offered_in_region_is_out_of_stock(client, state):
    body = deployment(state, gpu_model="RTX-A6000")  # NORWAY-1 has no RTX-A6000
    assert "gpu_count" in field_messages(await client.post(ROUTES["deploy_instance"].url(), json=body))


async def test_I4_at_least_one_ssh_key(client, state):
    response = await client.post(ROUTES["deploy_instance"].url(), json=deployment(state, ssh_key_ids=[]))
    assert response.status_code == 422
    assert "ssh_key_ids" in {f["field"] for f in error_of(response)["details"]["fields"]}


async def test_deploy_with_an_unknown_ssh_key_is_404(client, state):
    response = await client.post(ROUTES["deploy_instance"].url(), json=deployment(state, ssh_key_ids=["key-nope"]))
    assert response.status_code == 404


async def test_deploy_with_a_taken_name_is_409_with_the_rule_message(client, state):
    response = await client.post(ROUTES["deploy_instance"].url(), json=deployment(state, name="gpu-train-1"))
    assert response.status_code == 409
    assert error_of(response) == {
        "code": "NAME_TAKEN",
        "message": MSG_NAME_TAKEN.format(name="gpu-train-1", kind="instance"),
        "details": None,
    }


async def test_deploy_without_an_hour_of_credits_is_402(client, state):
    state.balances["USD"] = Decimal("1.00")  # an L40 costs 1.19 / h
    before = dict(state.stock)
    response = await client.post(ROUTES["deploy_instance"].url(), json=deployment(state))
    assert response.status_code == 402
    assert error_of(response)["code"] == "INSUFFICIENT_CREDITS"
    assert error_of(response)["message"] == "Insufficient Credits"
    assert state.stock == before and "new-box" not in state.names_in_use("instances")


async def test_deploy_security_rules_are_validated(client, state):
    rule = {"direction": "ingress", "protocol": "tcp", "ethertype": "IPv4", "remote_ip_prefix": "10.0.0.0/33",
            "port_range_min": 22, "port_range_max": 22}
    fields = field_messages(await client.post(ROUTES["deploy_instance"].url(), json=deployment(state, security_rules=[rule])))
    assert fields == {"security_rules.0.remote_ip_prefix": MSG_PREFIX_RANGE.format(max=32, family="IPv4")}


async def test_list_filters_and_pages(client, state):
    body = ListVMsResponse.model_validate((await client.get(ROUTES["list_instances"].url(), params={"region": "US-1"})).json())
    assert {i.name for i in body.instances} == {"eval-a100", "dev-a6000", "archive-h100"}
    body = ListVMsResponse.model_validate((await client.get(ROUTES["list_instances"].url(), params={"status": "HIBERNATED"})).json())
    assert {i.name for i in body.instances} == {"notebook-a6000", "archive-h100"}
    page = ListVMsResponse.model_validate((await client.get(ROUTES["list_instances"].url(), params={"page": 2, "per_page": 3})).json())
    assert [i.name for i in page.instances] == [i.name for i in list(state.instances.values())[3:6]]
    assert (page.pagination.total, page.pagination.total_pages, page.pagination.page) == (8, 3, 2)
    assert (await client.get(ROUTES["list_instances"].url(), params={"per_page": 10_001})).status_code == 422
    assert (await client.get(ROUTES["list_instances"].url(), params={"per_page": 10_000})).status_code == 200


async def test_details_show_volumes_and_firewalls(client, state):
    finetune = instance_named(state, "finetune-h100")
    details = VMDetailsResponse.model_validate((await client.get(ROUTES["get_instance"].url(id=finetune.id))).json())
    assert {v.name for v in details.volumes} == {"finetune-h100-os", "models-ca"}
    expected = [fw.id for fw in state.firewalls.values() if finetune.id in fw.attachments]
    assert [f.id for f in details.firewalls] == expected
    assert (await client.get(ROUTES["get_instance"].url(id="ins-9999"))).status_code == 404


async def test_stop_is_202_stopping_then_shutoff(client, state, clock):
    instance = instance_named(state, "gpu-train-1")
    response = await client.post(ROUTES["stop_instance"].url(id=instance.id))
    assert response.status_code == 202 and response.json()["instance"]["status"] == "STOPPING"
    clock.advance(state.durations.stop)
    assert (await client.get(ROUTES["get_instance"].url(id=instance.id))).json()["instance"]["status"] == "SHUTOFF"


async def test_I2_no_action_while_in_progress(client, state):
    instance = instance_named(state, "dev-a6000")  # STARTING
    for action in ("stop", "reboot", "hibernate"):
        response = await client.post(ROUTES[f"{action}_instance"].url(id=instance.id))
        assert response.status_code == 400
        assert error_of(response)["message"] == "An operation is already in progress"
    assert (await client.delete(ROUTES["delete_instance"].url(id=instance.id))).status_code == 400


@pytest.mark.parametrize(
    ("name", "action"),
    [("gpu-train-1", "start"), ("batch-l40", "stop"), ("batch-l40", "reboot"), ("gpu-train-1", "restore"),
     ("archive-h100", "hibernate")],
)
async def test_I1_wrong_state_is_refused_with_the_rule_text(client, state, name, action):
    instance = instance_named(state, name)
    response = await client.post(ROUTES[f"{action}_instance"].url(id=instance.id))
    assert response.status_code == 400
    assert error_of(response)["message"] == instance_rules.MSG_WRONG_STATE[action]
    assert instance_named(state, name).pending is None


@pytest.mark.parametrize(("name", "action", "shown"), [
    ("batch-l40", "start", "STARTING"), ("gpu-train-1", "reboot", "REBOOTING"),
    ("batch-l40", "hibernate", "HIBERNATING"), ("archive-h100", "restore", "RESTORING"),
])
async def test_actions_answer_202_in_the_transitional_state(client, state, name, action, shown):
    response = await client.post(ROUTES[f"{action}_instance"].url(id=instance_named(state, name).id))
    assert response.status_code == 202
    assert response.json()["instance"]["status"] == shown


async def test_delete_is_202_then_gone_and_stock_is_back(client, state, clock):
    instance = instance_named(state, "eval-a100")
    key = (instance.region, instance.gpu_model, instance.gpu_count)
    before = state.stock[key]
    response = await client.delete(ROUTES["delete_instance"].url(id=instance.id))
    assert response.status_code == 202 and response.json()["instance"]["status"] == "DELETING"
    clock.advance(state.durations.delete)
    assert (await client.get(ROUTES["get_instance"].url(id=instance.id))).status_code == 404
    names = {i["name"] for i in (await client.get(ROUTES["list_instances"].url())).json()["instances"]}
    assert "eval-a100" not in names and state.stock[key] == before + 1


async def test_I5_public_ip_toggle_with_warning(client, state):
    instance = instance_named(state, "eval-a100")
    on = await client.post(ROUTES["toggle_public_ip"].url(id=instance.id))
    assert on.status_code == 200 and on.json()["public_ip"] and on.json()["message"] == instance_rules.PUBLIC_IP_WARNING
    off = await client.post(ROUTES["toggle_public_ip"].url(id=instance.id))
    assert off.json()["public_ip"] is None and off.json()["instance"]["public_ip"] is None
    sleeping = instance_named(state, "archive-h100")
    refused = await client.post(ROUTES["toggle_public_ip"].url(id=sleeping.id))
    assert refused.status_code == 400 and error_of(refused)["message"] == instance_rules.MSG_PUBLIC_IP_STATE


async def test_security_rules_add_validate_remove(client, state):
    instance = instance_named(state, "gpu-train-1")
    rule = {"direction": "ingress", "protocol": "tcp", "ethertype": "IPv4", "remote_ip_prefix": "203.0.113.0/24",
            "port_range_min": 443, "port_range_max": 443}
    added = await client.post(ROUTES["add_instance_security_rule"].url(id=instance.id), json=rule)
    assert added.status_code == 200
    rule_id = added.json()["rule"]["id"]
    details = (await client.get(ROUTES["get_instance"].url(id=instance.id))).json()
    assert [r["id"] for r in details["security_rules"]] == [rule_id]
    again = await client.post(ROUTES["add_instance_security_rule"].url(id=instance.id), json=rule)
    assert again.status_code == 409 and error_of(again)["message"] == MSG_RULE_EXISTS

    bad = dict(rule, remote_ip_prefix="2001:db8::/129", ethertype="IPv6")
    fields = field_messages(await client.post(ROUTES["add_instance_security_rule"].url(id=instance.id), json=bad))
    assert fields == {"remote_ip_prefix": MSG_PREFIX_RANGE.format(max=128, family="IPv6")}

    assert (await client.delete(ROUTES["remove_instance_security_rule"].url(id=instance.id, rule_id=rule_id))).status_code == 200
    assert (await client.get(ROUTES["get_instance"].url(id=instance.id))).json()["security_rules"] == []
    assert (await client.delete(ROUTES["remove_instance_security_rule"].url(id=instance.id, rule_id=rule_id))).status_code == 404


async def test_billing_of_a_new_instance_after_an_hour(client, state, clock):
    created = (await client.post(ROUTES["deploy_instance"].url(), json=deployment(state))).json()["instance"]
    clock.advance(state.durations.deploy + 3600)
    billing = AggregatedBillingResponse.model_validate((await client.get(ROUTES["get_instance_billing"].url(id=created['id']))).json())
    assert [(r.status, r.rate, r.amount) for r in billing.records] == [("ACTIVE", Decimal("1.19"), Decimal("1.19"))]
    assert billing.summary.total == Decimal("1.19") and billing.summary.hours_active == 1.0


async def test_hibernated_summary(client, state):
    body = GetHibernatedVMsResponse.model_validate((await client.get(ROUTES["get_hibernated_instances"].url())).json())
    assert body.count == 2
    assert [r.name for r in body.recent] == ["notebook-a6000", "archive-h100"]  # most recent first
    assert body.metrics.hourly_rate == Decimal("0.02")
    assert body.metrics.saved_per_hour == Decimal("0.69") + Decimal("2.69") - Decimal("0.02")


async def test_instance_firewalls(client, state):
    instance = instance_named(state, "gpu-train-1")
    body = (await client.get(ROUTES["get_instance_firewalls"].url(id=instance.id))).json()
    expected = [{"id": fw.id, "name": fw.name, "status": fw.attachments[instance.id]}
                for fw in state.firewalls.values() if instance.id in fw.attachments]
    assert body == {"firewalls": expected}


async def test_without_the_key_is_401_and_the_key_is_not_echoed(client):
    response = await client.get(ROUTES["list_instances"].url(), headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401 and DEMO_API_KEY not in response.text
    assert (await client.get(ROUTES["list_instances"].url(), headers={"Authorization": ""})).status_code == 401


async def test_deploy_from_a_bootable_volume_attaches_it_for_good(client, state, clock):
    created = await client.post(ROUTES["create_volume"].url(), json={
        "name": "boot-me", "region": "CANADA-1", "size_gb": 100, "bootable": True,
        "os_image_id": "os-ca1-ubuntu-2004-r535-cuda122",
    })
    volume_id = created.json()["volume"]["id"]
    body = deployment(state, region="CANADA-1", gpu_model="RTX-A6000", boot_source={"type": "volume", "id": volume_id})
    still_creating = await client.post(ROUTES["deploy_instance"].url(), json=body)
    assert "boot_source" in field_messages(still_creating)
    clock.advance(state.durations.volume_create)
    response = await client.post(ROUTES["deploy_instance"].url(), json=body)
    assert response.status_code == 201, response.text
    instance = response.json()["instance"]
    assert instance["image"]["name"] == "Ubuntu Server 20.04 LTS R535 CUDA 12.2"
    volume = (await client.get(ROUTES["get_volume"].url(id=volume_id))).json()["volume"]
    assert (volume["status"], volume["instance_id"]) == ("attached", instance["id"])

    clock.advance(state.durations.deploy)
    assert (await client.delete(ROUTES["delete_instance"].url(id=instance['id']))).status_code == 202
    clock.advance(state.durations.delete)
    assert (await client.get(ROUTES["get_volume"].url(id=volume_id))).status_code == 404  # the OS volume went with it


async def test_deploy_from_a_custom_image_of_the_region(client, state):
    image = next(i for i in state.images.values() if i.status == "SUCCESS")
    other_region = next(r for r in ("NORWAY-1", "CANADA-1", "US-1") if r != image.region)
    model = {"NORWAY-1": "L40", "CANADA-1": "RTX-A6000", "US-1": "L40"}
    elsewhere = deployment(state, region=other_region, gpu_model=model[other_region], boot_source={"type": "image", "id": image.id})
    assert "boot_source" in field_messages(await client.post(ROUTES["deploy_instance"].url(), json=elsewhere))
    here = deployment(state, region=image.region, gpu_model=model[image.region], boot_source={"type": "image", "id": image.id})
    response = await client.post(ROUTES["deploy_instance"].url(), json=here)
    assert response.status_code == 201, response.text
    assert response.json()["instance"]["image"] == {"id": image.id, "name": image.name}
