"""The client against answers our simulator never gives: odd items, odd numbers, wrappers, endless pages."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from barrack_tui.api.errors import NotFoundError, UnsuccessfulError
from barrack_tui.api.tolerant import is_unknown
from tests.api.scripted import ScriptedTransport, instance_wire, make_client, reply, volume_wire


def raw_reply(status: int, text: str, headers: dict[str, str] | None = None):
    """A body written by hand: JSON numbers exactly as a server would spell them."""
    return reply(status, body=text.encode(), headers={"content-type": "application/json", **(headers or {})})


def volumes_page(volumes: list[dict], **extra: object) -> dict:
    return {"volumes": volumes, "next_name": "volume9", **extra}


async def test_one_unreadable_volume_costs_that_volume_and_is_explained() -> None:
    broken = volume_wire("vol-0002", "broken")
    broken["size_gb"] = -5
    nameless = volume_wire("vol-0003")
    del nameless["name"]
    good = [volume_wire("vol-0001", "data-1"), volume_wire("vol-0004", "data-4")]
    transport = ScriptedTransport(reply(200, json=volumes_page([good[0], broken, nameless, good[1]])))
    answer = await make_client(transport).list_volumes()
    assert [v.name for v in answer.volumes] == ["data-1", "data-4"]
    problems = answer.volumes.refused
    assert [p.label() for p in problems] == ["broken (vol-0002)", "vol-0003"]
    assert "size_gb: Input should be greater than or equal to 0" in problems[0].describe()
    assert "name: Field required" in problems[1].describe()


async def test_unknown_values_are_kept_as_they_came_and_sanitised() -> None:
    odd = volume_wire()
    odd["status"] = "resizing\x1b[2J"
    odd["region"] = "EU-9"
    odd["volume_type"] = "Quantum"
    transport = ScriptedTransport(reply(200, json=volumes_page([odd])))
    [volume] = (await make_client(transport).list_volumes()).volumes
    assert volume.status == "resizing\\x1b[2J" and is_unknown(volume.status)
    assert (volume.region, volume.volume_type) == ("EU-9", "Quantum")
    assert is_unknown(volume.region) and is_unknown(volume.volume_type)


async def test_money_is_read_from_the_json_text_never_through_a_float() -> None:
    text = json.dumps({"instance": instance_wire()}).replace('"2.50"', "0.12345678901234567890123")
    transport = ScriptedTransport(raw_reply(200, text))
    details = await make_client(transport).get_instance("ins-0001")
    assert details.instance.hourly_price == Decimal("0.12345678901234567890123")


@pytest.mark.parametrize("number", ["9E+999999", "1e400", '"NaN"', '"Infinity"', "-1", '"9E+999999"'])
async def test_an_absurd_price_fails_only_its_item(number: str) -> None:
    first, second = instance_wire("ins-0001", "a"), instance_wire("ins-0002", "b")
    text = json.dumps({"instances": [first, second]})
    text = text.replace('"2.50"', number, 1)
    transport = ScriptedTransport(raw_reply(200, text))
    listing = await make_client(transport).list_instances_incremental()
    assert list(listing.instances) == ["ins-0002"]
    assert [p.item_id for p in listing.refused] == ["ins-0001"]
    assert "hourly_price" in listing.refused[0].describe()


async def test_the_live_envelope_is_unwrapped_and_its_request_id_kept() -> None:
    wrapped = {"success": True, "message": "ok", "data": volumes_page([volume_wire()]), "request_id": "a1b2c3d4"}
    answer = await make_client(ScriptedTransport(reply(200, json=wrapped))).list_volumes()
    assert [v.name for v in answer.volumes] == ["data-1"]
    flat = {"success": True, "message": "ok", "instances": [instance_wire()], "request_id": "a1b2c3d4"}
    listing = await make_client(ScriptedTransport(reply(200, json=flat))).list_instances_incremental()
    assert list(listing.instances) == ["ins-0001"] and listing.request_id == "a1b2c3d4"


async def test_success_false_is_an_error_with_the_servers_words_and_request_id() -> None:
    body = {"success": False, "message": "Account suspended", "request_id": "r-77"}
    transport = ScriptedTransport(reply(200, json=body))
    with pytest.raises(UnsuccessfulError) as caught:
        await make_client(transport).list_volumes()
    assert str(caught.value) == "The Barrack API reported a failure: Account suspended. (request id r-77)"


async def test_a_request_id_header_reaches_the_error_the_user_sees() -> None:
    body = {"error": {"code": "NOT_FOUND", "message": "No such volume", "details": None}}
    transport = ScriptedTransport(reply(404, json=body, headers={"x-request-id": "hdr-42"}))
    with pytest.raises(NotFoundError) as caught:
        await make_client(transport).get_volume("vol-0009")
    assert "(request id hdr-42)" in str(caught.value)


async def test_a_server_claiming_ten_million_pages_costs_a_few_requests_and_says_where_it_stopped() -> None:
    counter = iter(range(1, 10**9))

    def page(request: httpx.Request):
        n = next(counter)
        body = volumes_page(
            [volume_wire(f"vol-{n:05d}", f"v{n}")],
            pagination={"page": n, "per_page": 1, "total": 10_000_000, "total_pages": 10_000_000},
        )
        return reply(200, json=body)(request)

    transport = ScriptedTransport(page)
    answer = await make_client(transport).list_volumes()
    assert len(transport.requests) == 20
    assert len(answer.volumes) == 20
    assert answer.volumes.cut == "showing the first 20 of 10,000,000: stopped after 20 of 10,000,000 pages"
