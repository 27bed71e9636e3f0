"""list_instances_incremental: unchanged items reuse their models, changed ones are validated and sanitized."""

from __future__ import annotations

import httpx
import pytest

from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import BadResponseError
from barrack_tui.api.tolerant import is_unknown
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import seed_demo


@pytest.fixture
def world():
    state = seed_demo(FakeClock())
    client = BarrackClient("http://sim.test", state.api_key, transport=httpx.ASGITransport(app=create_app(state, FaultConfig())))
    return state, client


async def test_unchanged_instances_keep_their_models_and_changed_ones_are_fresh(world):
    state, client = world
    first = await client.list_instances_incremental()
    assert first.instances == {i.id: i for i in await client.list_instances()}
    record = next(iter(state.instances.values()))
    record.name = "renamed \x1b]52;c;Zm9v\x07 box"
    second = await client.list_instances_incremental(first)
    assert second.instances[record.id].name == "renamed \\x1b]52;c;Zm9v\\x07 box"
    assert second.validated == {record.id}
    others = [key for key in second.instances if key != record.id]
    assert others and all(second.instances[key] is first.instances[key] for key in others)
    await client.aclose()


async def test_an_unknown_status_is_kept_and_a_broken_item_costs_only_itself(world):
    state, client = world
    records = list(state.instances.values())
    records[0].status = "PAUSED"
    records[1].hourly_price = "9E+999999"
    listing = await client.list_instances_incremental()
    assert listing.instances[records[0].id].status == "PAUSED"
    assert is_unknown(listing.instances[records[0].id].status)
    assert records[1].id not in listing.instances
    assert len(listing.instances) == len(records) - 1
    [problem] = listing.refused
    assert problem.item_id == records[1].id and "hourly_price" in problem.describe()
    again = await client.list_instances_incremental(listing)
    assert [p.item_id for p in again.refused] == [records[1].id], "a refused item is refused again, not forgotten"
    await client.aclose()


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (b'{"instances": [{"id": "ins-1"', "application/json", "truncated or invalid JSON"),
        (b"<html><body>502 Bad Gateway</body></html>", "text/html", "HTML"),
        (b'{"volumes": []}', "application/json", "no list of instances"),
        (b'{"instances": {"id": "ins-1"}}', "application/json", "no list of instances"),
    ],
)
async def test_an_unreadable_list_is_a_bad_response_that_says_why(body, content_type, words):
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    client = BarrackClient("http://sim.test", "key", transport=httpx.MockTransport(answer))
    with pytest.raises(BadResponseError) as caught:
        await client.list_instances_incremental()
    assert words in str(caught.value)
    await client.aclose()


async def test_a_bulk_of_new_items_is_validated_with_the_collector_paused_then_resumed(monkeypatch):
    import gc

    import barrack_tui.api._instances as instances_module
    from barrack_tui.sim.seed import seed_fleet

    state = seed_demo(FakeClock())
    seed_fleet(state, instances_module._BULK)
    client = BarrackClient("http://sim.test", state.api_key, transport=httpx.ASGITransport(app=create_app(state, FaultConfig())))
    seen = []
    real = instances_module.VMInstance

    class Recording:
        @staticmethod
        def model_validate(raw):
            seen.append(gc.isenabled())
            return real.model_validate(raw)

    monkeypatch.setattr(instances_module, "VMInstance", Recording)
    assert gc.isenabled()
    listing = await client.list_instances_incremental()
    assert len(listing.instances) >= instances_module._BULK
    assert seen and not any(seen)  # the whole bulk ran paused
    assert gc.isenabled()
    await client.aclose()


async def test_a_fleet_holds_one_set_of_field_names_per_shape_not_one_per_instance(world):
    # ~1.4 KB per instance otherwise (its own set, its flavor's, its image's): 70 MB of a 50,000 fleet.
    _, client = world
    listing = await client.list_instances_incremental()
    first, *others = listing.instances.values()
    assert others
    for other in others:
        assert other.__pydantic_fields_set__ is first.__pydantic_fields_set__
        assert other.flavor.__pydantic_fields_set__ is first.flavor.__pydantic_fields_set__
        assert other.image.__pydantic_fields_set__ is first.image.__pydantic_fields_set__
    await client.aclose()


async def test_a_big_first_load_is_handed_over_as_a_look_before_it_is_validated():
    from barrack_tui.api._instances import LOOK_AT_LEAST
    from barrack_tui.sim.seed import seed_fleet

    state = seed_demo(FakeClock())
    seed_fleet(state, LOOK_AT_LEAST)
    client = BarrackClient("http://sim.test", state.api_key, transport=httpx.ASGITransport(app=create_app(state, FaultConfig())))
    looked: list[tuple[int, int]] = []
    listing = await client.list_instances_incremental(per_page=1_500, look=lambda bodies, count: looked.append((len(bodies), count)))
    assert looked == [(2, len(state.instances))]  # every page read first, then one look at them all
    assert listing.instances == (await client.list_instances_incremental(per_page=1_500)).instances
    assert len(listing.instances) == len(state.instances) and listing.validated == set(state.instances)
    # A poll after the first load, or a small first load, is validated as it comes: no look.
    await client.list_instances_incremental(listing, look=lambda *_: looked.append((0, 0)))
    small = seed_demo(FakeClock())
    small_client = BarrackClient("http://sim.test", small.api_key, transport=httpx.ASGITransport(app=create_app(small, FaultConfig())))
    await small_client.list_instances_incremental(look=lambda *_: looked.append((0, 0)))
    assert looked == [(2, len(state.instances))]
    await client.aclose()
    await small_client.aclose()
