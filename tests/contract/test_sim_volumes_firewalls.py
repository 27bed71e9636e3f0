"""Volume and firewall operations of the client against the simulator (in-process ASGI)."""

from __future__ import annotations

import pytest

from barrack_tui.api.errors import ConflictError, InvalidRequestError, RuleRefusedError
from barrack_tui.api.models import (
    AddFirewallRuleRequest,
    CreateFirewallRequest,
    CreateVolumeRequest,
    ResourceStatus,
    VolumeStatus,
    VolumeTypeEnum,
)


async def test_list_volumes_and_the_next_name(client):
    listing = await client.list_volumes()
    names = {v.name for v in listing.volumes}
    assert {"data-1", "datasets", "ckpt-archive", "volume1"} <= names
    assert listing.next_name == "volume2"
    assert {v.name for v in (await client.list_volumes(region="CANADA-1")).volumes} == {
        "finetune-h100-os", "models-ca", "ckpt-archive"
    }
    data_1 = next(v for v in listing.volumes if v.name == "data-1")
    assert data_1.instance_name == "inference-a100" and data_1.status is VolumeStatus.ATTACHED
    assert (await client.get_volume(data_1.id)).name == "data-1"


async def test_volume_types_and_billing(client):
    assert await client.list_volume_types() == [VolumeTypeEnum.CLOUD_SSD]
    billing = await client.get_volume_billing("vol-0001")
    assert billing.summary.total >= 0


async def test_create_resize_clone_delete_a_volume(client, clock, state):
    created = await client.create_volume(CreateVolumeRequest(name="scratch", region="CANADA-1", size_gb=20))
    assert created.volume.status is VolumeStatus.CREATING
    clock.advance(state.durations.volume_create + 1)
    assert (await client.get_volume(created.volume.id)).status is VolumeStatus.AVAILABLE

    resized = await client.resize_volume(created.volume.id, 40)
    assert resized.volume.size_gb == 40
    cloned = await client.clone_volume(created.volume.id, "scratch-copy")
    assert cloned.volume.name == "scratch-copy" and cloned.volume.id != created.volume.id

    await client.delete_volume(created.volume.id)
    clock.advance(60)
    assert created.volume.id not in {v.id for v in (await client.list_volumes()).volumes}


async def test_a_taken_volume_name_is_a_conflict(client):
    with pytest.raises(ConflictError):
        await client.create_volume({"name": "data-1", "region": "NORWAY-1", "size_gb": 20})


async def test_a_too_small_volume_lists_the_field(client):
    with pytest.raises(InvalidRequestError) as caught:
        await client.create_volume({"name": "tiny", "region": "NORWAY-1", "size_gb": 1})
    assert "size_gb" in caught.value.fields


async def test_detach_from_an_active_instance_is_refused_with_the_rule_text(client):
    with pytest.raises(RuleRefusedError) as caught:
        await client.detach_volumes("ins-0002", ["vol-0001"])
    assert "ACTIVE" in str(caught.value)


async def test_detach_and_attach_through_a_shutoff_instance(client):
    detached = await client.detach_volumes("ins-0003", ["vol-0002"])
    assert [(v.id, v.status) for v in detached.volumes] == [("vol-0002", VolumeStatus.AVAILABLE)]
    attached = await client.attach_volumes("ins-0003", ["vol-0002"])
    assert [(v.id, v.instance_id) for v in attached.volumes] == [("vol-0002", "ins-0003")]


async def test_firewalls_list_details_protocols(client):
    firewalls = await client.list_firewalls()
    web = next(f for f in firewalls if f.name == "web-ingress")
    assert web.rule_count == 4 and web.attachment_count == 1

    details = await client.get_firewall(web.id)
    assert details.firewall.id == web.id and len(details.rules) == 4
    assert [a.instance_id for a in details.attachments] == ["ins-0004"]

    protocols = {p.name: p.has_ports for p in await client.list_firewall_protocols()}
    assert protocols == {"tcp": True, "udp": True, "icmp": False}

    candidates = await client.list_firewall_available_instances(web.id)
    assert candidates and all(c.region == "CANADA-1" for c in candidates)
    assert next(c for c in candidates if c.id == "ins-0004").attached


async def test_firewall_create_rules_attach_detach_delete(client, clock, state):
    created = await client.create_firewall(CreateFirewallRequest(name="contract-fw", description="t", region="NORWAY-1"))
    firewall_id = created.firewall.id

    rule = await client.add_firewall_rule(
        firewall_id,
        AddFirewallRuleRequest(direction="ingress", protocol="tcp", ethertype="IPv4", remote_ip_prefix="0.0.0.0/0",
                               port_range_min=443, port_range_max=443),
    )
    assert rule.rule.port_range_min == 443

    attached = await client.attach_firewall(firewall_id, ["ins-0001"])
    assert [a.instance_id for a in attached.attachments] == ["ins-0001"]
    assert attached.attachments[0].status in (ResourceStatus.ATTACHING, ResourceStatus.SUCCESS)
    clock.advance(state.durations.firewall_attach + 1)

    with pytest.raises(RuleRefusedError) as caught:
        await client.delete_firewall(firewall_id)
    assert "Detach all instances" in str(caught.value)

    await client.detach_firewall(firewall_id, ["ins-0001"])
    await client.remove_firewall_rule(firewall_id, rule.rule.id)
    assert (await client.get_firewall(firewall_id)).rules == []
    await client.delete_firewall(firewall_id)
    assert firewall_id not in {f.id for f in await client.list_firewalls()}
