"""list_keyed_incremental: every kind the store polls whole reads like its plain list call, and keeps unchanged models."""

from __future__ import annotations

import httpx
import pytest

from barrack_tui.api import keyed_read
from barrack_tui.api.client import BarrackClient
from barrack_tui.api.errors import BadResponseError, UnsuccessfulError
from barrack_tui.api.keyed_read import KEYED_KINDS
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import seed_demo
from tests.api.scripted import BASE_URL, CANARY_KEY, ScriptedTransport, reply

PLAIN = {
    "volumes": lambda c: c.list_volumes(),
    "firewalls": lambda c: c.list_firewalls(),
    "ssh_keys": lambda c: c.list_ssh_keys(),
    "scripts": lambda c: c.list_scripts(),
    "snapshots": lambda c: c.list_snapshots(),
    "images": lambda c: c.list_images(),
}


def world(*, envelope: bool = False):
    state = seed_demo(FakeClock())
    app = create_app(state, FaultConfig(), envelope=envelope)
    return state, BarrackClient(BASE_URL, state.api_key, transport=httpx.ASGITransport(app=app))


@pytest.mark.parametrize("envelope", [False, True])
@pytest.mark.parametrize("kind", list(KEYED_KINDS))
async def test_each_kind_reads_as_the_plain_list_call_does(kind: str, envelope: bool) -> None:
    _, client = world(envelope=envelope)
    listing = await client.list_keyed_incremental(kind)
    plain = await PLAIN[kind](client)
    items = plain.volumes if kind == "volumes" else plain
    assert listing.items == {item.id: item for item in items} and listing.items
    assert listing.refused == [] and listing.cut is None and listing.request_id
    if kind == "volumes":
        assert listing.shell.next_name == plain.next_name
    await client.aclose()


async def test_unchanged_items_keep_their_models_and_a_changed_one_is_fresh_and_sanitized() -> None:
    state, client = world()
    first = await client.list_keyed_incremental("ssh_keys")
    record = next(iter(state.ssh_keys.values()))
    record.name = "renamed \x1b]52;c;Zm9v\x07 key"
    second = await client.list_keyed_incremental("ssh_keys", first)
    assert second.items[record.id].name == "renamed \\x1b]52;c;Zm9v\\x07 key"
    others = [key for key in second.items if key != record.id]
    assert others and all(second.items[key] is first.items[key] for key in others)
    await client.aclose()


async def test_a_broken_item_costs_only_itself_and_is_counted() -> None:
    state, client = world()
    broken = next(iter(state.snapshots.values()))
    broken.size_gb = -5
    listing = await client.list_keyed_incremental("snapshots")
    assert broken.id not in listing.items and len(listing.items) == len(state.snapshots) - 1
    [problem] = listing.refused
    assert problem.item_id == broken.id and "size_gb" in problem.describe()
    again = await client.list_keyed_incremental("snapshots", listing)
    assert len(again.refused) == 1  # still refused on the next read, not remembered as fine
    await client.aclose()


async def test_volumes_are_walked_page_by_page(monkeypatch) -> None:
    state, client = world()
    monkeypatch.setattr(keyed_read, "DEFAULT_PER_PAGE", 3)
    listing = await client.list_keyed_incremental("volumes")
    assert set(listing.items) == set(state.volumes) and len(state.volumes) > 6
    await client.aclose()


async def test_a_refusal_in_the_wrapper_is_an_error_with_the_servers_words_and_request_id() -> None:
    body = {"success": False, "message": "Account suspended", "request_id": "req-77"}
    client = BarrackClient(BASE_URL, CANARY_KEY, transport=ScriptedTransport(reply(200, json=body)))
    with pytest.raises(UnsuccessfulError) as caught:
        await client.list_keyed_incremental("scripts")
    assert "Account suspended" in str(caught.value) and caught.value.request_id == "req-77"
    await client.aclose()


@pytest.mark.parametrize(
    "answer",
    [reply(200, text="<html>gateway</html>", headers={"content-type": "text/html"}), reply(200, json={"other": []}),
     reply(200, json={"scripts": {"not": "a list"}})],
)
async def test_an_answer_without_a_readable_list_is_a_bad_response(answer) -> None:
    client = BarrackClient(BASE_URL, CANARY_KEY, transport=ScriptedTransport(answer))
    with pytest.raises(BadResponseError):
        await client.list_keyed_incremental("scripts")
    await client.aclose()


async def test_a_wrapped_list_under_one_payload_key_is_opened() -> None:
    item = {"id": "scr-1", "name": "boot", "content": "echo", "created_at": "2026-11-11T11:06:40Z",
            "updated_at": "2026-11-11T11:06:40Z"}
    body = {"success": True, "message": "ok", "data": {"scripts": [item]}, "request_id": "req-1"}
    client = BarrackClient(BASE_URL, CANARY_KEY, transport=ScriptedTransport(reply(200, json=body)))
    listing = await client.list_keyed_incremental("scripts")
    assert list(listing.items) == ["scr-1"] and listing.request_id == "req-1"
    await client.aclose()
