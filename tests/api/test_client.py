"""The client's own behaviour: one request per fleet poll, page walking, request bodies, safe ids."""

from __future__ import annotations

import pytest

from barrack_tui.api.errors import InvalidRequestError
from barrack_tui.api.models import CreateVolumeRequest, VMStatus
from barrack_tui.api.routes import API_PREFIX, ROUTES, Route
from tests.api.scripted import ScriptedTransport, instance_wire, make_client, reply, volume_wire

SCRIPT = {"id": "scr-0001", "name": "setup", "content": "echo hi\n", "created_at": "2026-11-18T08:00:00Z",
          "updated_at": "2026-11-18T08:00:00Z"}


def instances_page(page: int, total_pages: int, ids: list[str]) -> dict:
    return {
        "instances": [instance_wire(instance_id=i) for i in ids],
        "pagination": {"page": page, "per_page": 2, "total": 5, "total_pages": total_pages},
    }


async def test_a_fleet_poll_is_one_request_asking_for_ten_thousand():
    transport = ScriptedTransport(reply(200, json=instances_page(1, 1, ["a", "b", "c"])))
    async with make_client(transport) as client:
        instances = await client.list_instances(region="NORWAY-1", status="ACTIVE")
    assert [i.id for i in instances] == ["a", "b", "c"]
    assert len(transport.requests) == 1
    assert dict(transport.requests[0].url.params) == {
        "region": "NORWAY-1", "status": "ACTIVE", "page": "1", "per_page": "10000"
    }


async def test_every_page_is_walked_and_shifted_items_are_not_duplicated():
    transport = ScriptedTransport(
        reply(200, json=instances_page(1, 3, ["a", "b"])),
        reply(200, json=instances_page(2, 3, ["b", "c"])),  # "b" moved down a page between requests
        reply(200, json=instances_page(3, 3, ["d", "e"])),
    )
    async with make_client(transport) as client:
        instances = await client.list_instances(per_page=2)
    assert [i.id for i in instances] == ["a", "b", "c", "d", "e"]
    assert [r.url.params["page"] for r in transport.requests] == ["1", "2", "3"]


async def test_volume_pages_merge_and_keep_the_next_name():
    transport = ScriptedTransport(
        reply(200, json={"volumes": [volume_wire("v1", "volume1")], "next_name": "volume3",
                         "pagination": {"page": 1, "per_page": 1, "total": 2, "total_pages": 2}}),
        reply(200, json={"volumes": [volume_wire("v2", "volume2")], "next_name": "volume3",
                         "pagination": {"page": 2, "per_page": 1, "total": 2, "total_pages": 2}}),
    )
    async with make_client(transport) as client:
        result = await client.list_volumes(per_page=1)
    assert [v.id for v in result.volumes] == ["v1", "v2"]
    assert result.next_name == "volume3"
    assert result.pagination.total == 2 and result.pagination.total_pages == 1


async def test_a_server_claiming_endless_pages_stops_when_a_page_is_empty():
    transport = ScriptedTransport(
        reply(200, json=instances_page(1, 10**9, ["a"])),
        reply(200, json=instances_page(2, 10**9, [])),
    )
    async with make_client(transport) as client:
        assert [i.id for i in await client.list_instances()] == ["a"]
    assert len(transport.requests) == 2


async def test_request_bodies_follow_the_contract_and_omit_unset_fields():
    created = {"volume": volume_wire()}
    transport = ScriptedTransport(reply(201, json=created))
    async with make_client(transport) as client:
        await client.create_volume(CreateVolumeRequest(name="data-2", region="NORWAY-1", size_gb=50))
        await client.create_volume({"name": "data-3", "region": "US-1", "size_gb": 10})
    assert transport.bodies() == [
        {"name": "data-2", "region": "NORWAY-1", "size_gb": 50, "volume_type": "Cloud-SSD", "bootable": False},
        {"name": "data-3", "region": "US-1", "size_gb": 10, "volume_type": "Cloud-SSD", "bootable": False},
    ]
    assert [r.method for r in transport.requests] == ["POST", "POST"]


async def test_scripts_are_accepted_bare_or_wrapped():
    transport = ScriptedTransport(reply(201, json=SCRIPT), reply(200, json={"script": SCRIPT}))
    async with make_client(transport) as client:
        created = await client.create_script("setup", "echo hi\n")
        fetched = await client.get_script("scr-0001")
    assert created == fetched
    assert transport.bodies()[0] == {"name": "setup", "content": "echo hi\n"}


async def test_unwrapping_methods_return_the_resource():
    transport = ScriptedTransport(reply(200, json={"volume": volume_wire(status="attached")}))
    async with make_client(transport) as client:
        volume = await client.get_volume("vol-0001")
    assert volume.status == "attached"


async def test_an_action_returns_the_instance_in_its_transitional_state():
    transport = ScriptedTransport(
        reply(202, json={"instance": instance_wire(status="STOPPING"), "message": "Stopping gpu-train-1"})
    )
    async with make_client(transport) as client:
        result = await client.stop_instance("ins-0001")
    assert result.instance.status is VMStatus.STOPPING
    assert transport.requests[0].url.path == "/api/v1/instances/ins-0001/stop"


async def test_ids_are_encoded_so_they_cannot_reach_another_endpoint():
    transport = ScriptedTransport(reply(200, json={"volume": volume_wire()}))
    async with make_client(transport) as client:
        await client.get_volume("../../balance?x=1")
        with pytest.raises(InvalidRequestError):
            await client.get_volume("..")
        with pytest.raises(InvalidRequestError):
            await client.delete_volume("")
    assert transport.requests[0].url.raw_path == b"/api/v1/volumes/..%2F..%2Fbalance%3Fx%3D1"
    assert len(transport.requests) == 1


async def test_empty_success_body_is_accepted_for_confirmations():
    transport = ScriptedTransport(reply(204))
    async with make_client(transport) as client:
        result = await client.delete_firewall("fw-0001")
    assert result.message == ""


def test_route_urls_need_exactly_their_parameters():
    route = ROUTES["remove_firewall_rule"]
    assert route == Route("DELETE", "/firewalls/{id}/rules/{rule_id}")
    assert route.url(id="fw 1", rule_id="r/2") == f"{API_PREFIX}/firewalls/fw%201/rules/r%2F2"
    with pytest.raises(TypeError):
        route.url(id="fw-1")


def test_no_path_string_outside_the_routes_table():
    import pathlib

    import barrack_tui.api as api

    package = pathlib.Path(api.__file__).parent
    offenders = [
        path.name
        for path in package.glob("*.py")
        if path.name != "routes.py" and any(f'"{route.path}' in path.read_text() for route in ROUTES.values())
    ]
    assert offenders == []


async def test_a_body_that_cannot_be_built_is_refused_before_sending():
    transport = ScriptedTransport(reply(200, json={"volumes": []}))
    async with make_client(transport) as client:
        with pytest.raises(InvalidRequestError) as caught:
            await client.attach_volumes("ins-0001", [])
        with pytest.raises(InvalidRequestError) as bad_region:
            await client.create_volume({"name": "x", "region": "MARS-1", "size_gb": 10})
    assert transport.requests == []
    assert caught.value.code == "CLIENT_VALIDATION" and "volume_ids" in caught.value.fields
    assert "region" in bad_region.value.fields and "MARS-1" not in str(bad_region.value)
