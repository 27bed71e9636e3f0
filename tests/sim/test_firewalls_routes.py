"""Firewalls through HTTP: F1-F5, the rule table of F3, attachments and their transition."""

from __future__ import annotations

import pytest

from barrack_tui.api.models import GetFirewallDetailsResponse, ListFirewallsResponse
from barrack_tui.api.models.common import VMStatus
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules import firewalls as fw_rules
from barrack_tui.rules import network
from barrack_tui.rules.network import MSG_RULE_EXISTS
from barrack_tui.rules.validators import MSG_NAME_CHARSET, MSG_NAME_TAKEN
from barrack_tui.sim.state import FirewallRecord
from tests.sim.resource_world import (  # noqa: F401  (fixtures)
    active_instances,
    by_name,
    client,
    clock,
    error_of,
    field_messages,
    instance_named,
    state,
)


def _free_firewall(state) -> FirewallRecord:
    return next(f for f in state.firewalls.values() if not f.attachments)


def _attached_firewall(state) -> FirewallRecord:
    return next(f for f in state.firewalls.values() if f.attachments)


async def test_list_and_details_match_the_seeded_firewalls(client, state):
    listing = ListFirewallsResponse.model_validate((await client.get(ROUTES["list_firewalls"].url())).json())
    assert {f.name for f in listing.firewalls} == {f.name for f in state.firewalls.values()}
    attached = _attached_firewall(state)
    details = GetFirewallDetailsResponse.model_validate((await client.get(ROUTES["get_firewall"].url(id=attached.id))).json())
    assert details.firewall.rule_count == len(details.rules) == len(attached.rules)
    assert details.firewall.attachment_count == len(details.attachments) >= 1
    row = details.attachments[0]
    assert row.instance_name == state.instances[row.instance_id].name
    assert row.status == "SUCCESS"


async def test_protocols_say_which_take_ports(client):
    body = (await client.get(ROUTES["list_firewall_protocols"].url())).json()
    assert {p["name"]: p["has_ports"] for p in body["protocols"]} == {"tcp": True, "udp": True, "icmp": False}


async def test_unknown_firewall_is_404(client):
    response = await client.get(ROUTES["get_firewall"].url(id="fw-9999"))
    assert response.status_code == 404
    assert error_of(response)["code"] == "NOT_FOUND"


async def test_missing_key_is_refused_with_401(client):
    response = await client.get(ROUTES["list_firewalls"].url(), headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


async def test_create_firewall_then_it_is_listed(client):
    response = await client.post(ROUTES["create_firewall"].url(), json={"name": "db-only", "description": "Postgres", "region": "US-1"})
    assert response.status_code == 201
    created = response.json()["firewall"]
    assert (created["name"], created["region"], created["status"], created["rule_count"]) == (
        "db-only",
        "US-1",
        "SUCCESS",
        0,
    )
    names = [f["name"] for f in (await client.get(ROUTES["list_firewalls"].url())).json()["firewalls"]]
    assert "db-only" in names


async def test_F2_bad_fields_are_422_with_the_rules_messages(client):
    response = await client.post(ROUTES["create_firewall"].url(), json={"name": "bad/name", "description": "x" * 256, "region": "US-1"})
    messages = field_messages(response)
    assert messages["name"] == MSG_NAME_CHARSET
    assert messages["description"] == "Description must be at most 255 characters"


async def test_F2_duplicate_name_is_409(client, state):
    taken = next(iter(state.firewalls.values())).name
    response = await client.post(ROUTES["create_firewall"].url(), json={"name": taken, "region": "US-1"})
    assert response.status_code == 409
    assert error_of(response)["message"] == MSG_NAME_TAKEN.format(name=taken, kind="firewall")


async def test_F1_the_26th_firewall_is_refused(client, state):
    for n in range(fw_rules.MAX_FIREWALLS - len(state.firewalls)):
        assert (await client.post(ROUTES["create_firewall"].url(), json={"name": f"fw-{n}", "region": "NORWAY-1"})).status_code == 201
    response = await client.post(ROUTES["create_firewall"].url(), json={"name": "one-too-many", "region": "NORWAY-1"})
    assert response.status_code == 400
    assert error_of(response) == {"code": "FIREWALL_LIMIT", "message": fw_rules.MSG_FIREWALL_LIMIT, "details": None}
    assert len(state.firewalls) == fw_rules.MAX_FIREWALLS


async def test_F5_delete_refused_while_attached_then_allowed_after_detach(client, state):
    firewall = _attached_firewall(state)
    response = await client.delete(ROUTES["delete_firewall"].url(id=firewall.id))
    assert response.status_code == 400
    assert error_of(response)["message"] == "Detach all instances before deleting this firewall"

    detach = await client.post(ROUTES["detach_firewall"].url(id=firewall.id), json={"instance_ids": list(firewall.attachments)})
    assert detach.status_code == 200 and detach.json()["attachments"] == []
    assert (await client.delete(ROUTES["delete_firewall"].url(id=firewall.id))).status_code == 200
    assert (await client.get(ROUTES["get_firewall"].url(id=firewall.id))).status_code == 404


async def test_add_and_remove_a_rule(client, state):
    firewall = _free_firewall(state)
    body = {
        "direction": "ingress",
        "protocol": "tcp",
        "ethertype": "IPv4",
        "remote_ip_prefix": "10.0.0.0/8",
        "port_range_min": 5432,
        "port_range_max": 5432,
    }
    response = await client.post(ROUTES["add_firewall_rule"].url(id=firewall.id), json=body)
    assert response.status_code == 201
    rule = response.json()["rule"]
    assert {k: rule[k] for k in body} == body
    details = (await client.get(ROUTES["get_firewall"].url(id=firewall.id))).json()
    assert rule["id"] in [r["id"] for r in details["rules"]]
    # The same rule again (the range written another way) changes nothing: refused as a conflict.
    again = await client.post(ROUTES["add_firewall_rule"].url(id=firewall.id), json=dict(body, remote_ip_prefix="10.1.2.3/8"))
    assert again.status_code == 409 and again.json()["error"]["message"] == MSG_RULE_EXISTS
    assert len((await client.get(ROUTES["get_firewall"].url(id=firewall.id))).json()["rules"]) == len(details["rules"])

    assert (await client.delete(ROUTES["remove_firewall_rule"].url(id=firewall.id, rule_id=rule['id']))).status_code == 200
    details = (await client.get(ROUTES["get_firewall"].url(id=firewall.id))).json()
    assert rule["id"] not in [r["id"] for r in details["rules"]]
    assert (await client.delete(ROUTES["remove_firewall_rule"].url(id=firewall.id, rule_id=rule['id']))).status_code == 404


F3_TABLE = [
    # (ethertype, remote prefix, protocol, port min, port max) -> (field, message)
    (
        ("IPv4", "10.0.0.0/33", "tcp", 22, 22),
        ("remote_ip_prefix", network.MSG_PREFIX_RANGE.format(max=32, family="IPv4")),
    ),
    (
        ("IPv6", "2001:db8::/129", "tcp", 22, 22),
        ("remote_ip_prefix", network.MSG_PREFIX_RANGE.format(max=128, family="IPv6")),
    ),
    (("IPv4", "10.0.256.0/24", "tcp", 22, 22), ("remote_ip_prefix", network.MSG_IPV4_OCTET_RANGE.format(octet="256"))),
    (("IPv4", "2001:db8::/32", "tcp", 22, 22), ("remote_ip_prefix", network.MSG_CIDR_V6_WITH_V4)),
    (("IPv4", "10.0.0.0/8", "tcp", 0, 22), ("ports", network.MSG_PORT_RANGE)),
    (("IPv4", "10.0.0.0/8", "udp", 1, 65536), ("ports", network.MSG_PORT_RANGE)),
    (("IPv4", "10.0.0.0/8", "tcp", 443, 80), ("ports", network.MSG_PORT_ORDER)),
    (("IPv4", "10.0.0.0/8", "icmp", 1, 1), ("ports", network.MSG_ICMP_NO_PORTS)),
    (("IPv4", "10.0.0.0/8", "tcp", None, None), ("ports", network.MSG_PORTS_REQUIRED.format(protocol="TCP"))),
]


@pytest.mark.parametrize(("rule", "expected"), F3_TABLE, ids=[e[1] for _, e in F3_TABLE])
async def test_F3_bad_rules_are_refused_with_the_rule_message(client, state, rule, expected):
    firewall = _free_firewall(state)
    ethertype, prefix, protocol, port_min, port_max = rule
    body = {
        "direction": "ingress",
        "protocol": protocol,
        "ethertype": ethertype,
        "remote_ip_prefix": prefix,
        "port_range_min": port_min,
        "port_range_max": port_max,
    }
    before = len(firewall.rules)
    response = await client.post(ROUTES["add_firewall_rule"].url(id=firewall.id), json=body)
    field, message = expected
    assert field_messages(response) == {field: message}
    assert len(firewall.rules) == before


async def test_F4_attach_goes_attaching_then_success(client, state, clock):
    instance = active_instances(state, "NORWAY-1")[0]
    firewall = by_name(state.firewalls, "staging-lockdown")
    firewall.region = "NORWAY-1"
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": [instance.id]})
    assert response.status_code == 200
    assert response.json()["attachments"] == [
        {"instance_id": instance.id, "instance_name": instance.name, "instance_status": "ACTIVE", "status": "ATTACHING"}
    ]
    clock.advance(state.durations.firewall_attach)
    details = (await client.get(ROUTES["get_firewall"].url(id=firewall.id))).json()
    assert details["attachments"][0]["status"] == "SUCCESS"
    vm_firewalls = (await client.get(ROUTES["get_instance_firewalls"].url(id=instance.id))).json()["firewalls"]
    assert firewall.id in [f["id"] for f in vm_firewalls]


async def test_F4_already_attached_is_409(client, state):
    firewall = _attached_firewall(state)
    instance_id = next(iter(firewall.attachments))
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": [instance_id]})
    assert response.status_code == 409


async def test_F4_refusals_carry_the_rule_messages(client, state):
    firewall = _free_firewall(state)
    shutoff = instance_named(state, "batch-l40")  # SHUTOFF
    firewall.region = shutoff.region
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": [shutoff.id]})
    assert (response.status_code, error_of(response)["message"]) == (400, fw_rules.MSG_ATTACH_NOT_ACTIVE)

    elsewhere = next(i for i in active_instances(state) if i.region != firewall.region)
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": [elsewhere.id]})
    assert (response.status_code, error_of(response)["message"]) == (400, fw_rules.MSG_ATTACH_REGION)

    unprovisioned = active_instances(state, firewall.region)[0]
    unprovisioned.server_uuid = None
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": [unprovisioned.id]})
    assert (response.status_code, error_of(response)["message"]) == (400, fw_rules.MSG_ATTACH_NO_SERVER)


async def test_F4_attach_is_all_or_nothing(client, state):
    firewall = _free_firewall(state)
    good = active_instances(state, "NORWAY-1")[0]
    firewall.region = "NORWAY-1"
    shutoff = instance_named(state, "batch-l40")
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": [good.id, shutoff.id]})
    assert response.status_code == 400
    assert firewall.attachments == {}


async def test_attach_to_unknown_instance_is_404(client, state):
    firewall = _free_firewall(state)
    response = await client.post(ROUTES["attach_firewall"].url(id=firewall.id), json={"instance_ids": ["ins-9999"]})
    assert response.status_code == 404


async def test_detach_of_an_instance_not_attached_is_refused(client, state):
    firewall = _free_firewall(state)
    instance = active_instances(state)[0]
    response = await client.post(ROUTES["detach_firewall"].url(id=firewall.id), json={"instance_ids": [instance.id]})
    assert response.status_code == 409


async def test_available_instances_are_the_regions_instances_with_attached_flags(client, state):
    firewall = _attached_firewall(state)
    body = (await client.get(ROUTES["list_firewall_available_instances"].url(id=firewall.id))).json()
    rows = {row["id"]: row for row in body["instances"]}
    expected = {i.id for i in state.instances.values() if i.region == firewall.region and i.status != VMStatus.DELETED}
    assert set(rows) == expected
    assert {i for i, row in rows.items() if row["attached"]} == set(firewall.attachments)
    assert all(row["server_uuid"] == state.instances[i].server_uuid for i, row in rows.items())


async def test_deleting_an_instance_removes_its_attachments(client, state, clock):
    firewall = _attached_firewall(state)
    instance = state.instances[next(iter(firewall.attachments))]
    assert (await client.delete(ROUTES["delete_instance"].url(id=instance.id))).status_code == 202
    clock.advance(state.durations.delete)
    details = (await client.get(ROUTES["get_firewall"].url(id=firewall.id))).json()
    assert instance.id not in [a["instance_id"] for a in details["attachments"]]
    assert details["firewall"]["attachment_count"] == len(details["attachments"])


def test_seeded_attachments_obey_F4_and_one_firewall_is_free(state):
    attached = [f for f in state.firewalls.values() if f.attachments]
    assert attached and any(not f.attachments for f in state.firewalls.values())
    for firewall in attached:
        for instance_id, status in firewall.attachments.items():
            instance = state.instances[instance_id]
            verdict = fw_rules.can_attach_firewall(
                firewall_region=firewall.region,
                instance_status=instance.status,
                server_uuid=instance.server_uuid,
                instance_region=instance.region,
            )
            assert verdict.allowed and status == "SUCCESS"
    protocols = {rule.protocol for f in state.firewalls.values() for rule in f.rules}
    ports = {rule.port_range_min for f in state.firewalls.values() for rule in f.rules}
    assert protocols == {"tcp", "udp", "icmp"} and {22, 443} <= ports
