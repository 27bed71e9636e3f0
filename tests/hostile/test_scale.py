"""Outsized accounts: thousands of SSH keys, volumes, firewalls, snapshots and images stay paged, counted and quick to leave.

The real app against the in-process simulator, seeded with 5,000 items of a
kind (bench/areas_scale.py measures 50,000; 5,000 keeps each test to a few
seconds). What a user notices: the area counts every item, shows one page of
them, pages with `[` and `]` in the order of the full list, and `q` quits.
No timings are asserted here: the bench reports them.
"""

from __future__ import annotations

import httpx
from rich.text import Text
from textual.widgets import Button, Label, Static

from barrack_tui.account.config import PollSettings
from barrack_tui.api.client import BarrackClient
from barrack_tui.sim.app import create_app
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.faults import FaultConfig
from barrack_tui.sim.seed import seed_demo
from barrack_tui.sim.seed_scale import seed_many
from barrack_tui.tui.areas.keys.screen import TABLE_PAGE
from barrack_tui.tui.kit.synced_table import SyncedTable
from barrack_tui.tui.shell.store import Store
from tests.harness import make_harness, wait_until

MANY = 5_000
SIZE = (120, 40)


def world(*kinds: str):
    state = seed_demo(FakeClock())
    for kind in kinds:
        seed_many(state, kind, MANY)
    return state


def text_of(app, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def first_cells(app, selector: str) -> list[str]:
    table = app.screen.query_one(selector, SyncedTable)
    return [table.get_row(row_id)[table.get_column_index("name")].plain for row_id in table.row_ids]


async def test_a_calm_poll_of_a_big_list_keeps_the_models_held_and_only_a_big_arrival_settles_the_heap() -> None:
    state = world("snapshots")
    client = BarrackClient("http://sim.test", state.api_key, transport=httpx.ASGITransport(app=create_app(state, FaultConfig())))
    settles: list[int] = []
    store = Store(client_getter=lambda: client, settings=PollSettings(), on_big_load=lambda: settles.append(1))
    await store.refresh("snapshots")
    held = dict(store.snapshots)
    assert len(held) == len(state.snapshots) and settles == [1]
    # Models of one shape share one set of field names (pydantic's per-model set was half of each model).
    first, second = list(held.values())[-2:]
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__

    renamed = next(iter(state.snapshots.values()))
    renamed.name = "renamed-on-the-server"
    seen: list = []
    store.subscribe(type("Listener", (), {"post_message": lambda self, message: seen.append(message)})())
    await store.refresh("snapshots")
    changes = [message.change for message in seen if hasattr(message, "change")]
    assert [change.changed for change in changes] == [frozenset({renamed.id})]
    unchanged = [key for key in held if key != renamed.id]
    assert all(store.snapshots[key] is held[key] for key in unchanged)  # no second copy of 5,000 models
    assert store.snapshots[renamed.id].name == "renamed-on-the-server"
    assert settles == [1]

    # An action's answer shown before the poll confirms it: the next poll puts the server's version back.
    other = store.snapshots[unchanged[0]]
    store.upsert("snapshots", other.model_copy(update={"name": "as-the-action-said"}))
    seen.clear()
    await store.refresh("snapshots")
    changes = [message.change for message in seen if hasattr(message, "change")]
    assert [change.changed for change in changes] == [frozenset({other.id})]
    assert store.snapshots[other.id] is other
    await client.aclose()


async def test_five_thousand_ssh_keys_are_counted_paged_in_order_and_q_quits() -> None:
    state = world("ssh_keys")
    total = len(state.ssh_keys)
    oldest_first = [k.name for k in sorted(state.ssh_keys.values(), key=lambda k: (k.created_at, k.id))]
    h = make_harness(state=state, initial_mode="keys")
    async with h.app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(h.app.store.ssh_keys) == total, timeout=30, what="the keys")
        await pilot.pause()
        pages = -(-total // TABLE_PAGE)
        summary = text_of(h.app, "#keys-summary")
        assert f"{total:,} key(s)" in summary
        assert f"page 1 of {pages}" in summary
        assert first_cells(h.app, "#keys-table") == oldest_first[:TABLE_PAGE]

        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert f"page 2 of {pages}" in text_of(h.app, "#keys-summary")
        assert first_cells(h.app, "#keys-table") == oldest_first[TABLE_PAGE : 2 * TABLE_PAGE]
        # The cursor starts the new page at its top, and the hint under the list speaks for that key.
        newest_on_page = h.app.store.ssh_keys[h.app.screen.query_one("#keys-table", SyncedTable).selected_id]
        assert newest_on_page.name == oldest_first[TABLE_PAGE]
        assert newest_on_page.fingerprint in text_of(h.app, "#keys-hint")

        await pilot.press("left_square_bracket")
        await pilot.press("left_square_bracket")  # already on the first page: stays there
        await pilot.pause()
        assert f"page 1 of {pages}" in text_of(h.app, "#keys-summary")
        await pilot.press("q")
    assert h.app.return_code == 0


async def test_a_short_key_list_offers_no_pages() -> None:
    h = make_harness(initial_mode="keys")
    async with h.app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "ssh_keys" in h.app.store.loaded, what="the keys")
        await pilot.pause()
        assert "page" not in text_of(h.app, "#keys-summary")
        assert not h.app.screen.check_action("page", (1,))


async def test_five_thousand_volumes_show_six_cards_and_a_short_page_bar() -> None:
    state = world("volumes")
    total = len(state.volumes)
    oldest_first = [v.name for v in sorted(state.volumes.values(), key=lambda v: (v.created_at, v.name, v.id))]
    h = make_harness(state=state, initial_mode="volumes")
    async with h.app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(h.app.store.volumes) == total, timeout=30, what="the volumes")
        await pilot.pause()
        screen = h.app.screen
        pages = -(-total // 6)
        assert f"Total Volumes {total:,}" in text_of(h.app, "#volumes-stats")
        assert f"Page 1 of {pages:,}" in text_of(h.app, "#volumes-page-label")
        shown = [card.volume.name for card in screen.query("VolumeCard") if card.volume is not None]
        assert shown == oldest_first[:6]
        numbers = [b.name for b in screen.query("#volumes-page-numbers Button").results(Button)]
        assert len(numbers) <= 9 and numbers[0] == "1" and numbers[-1] == str(pages)
        assert list(screen.query("#volumes-page-numbers Label").results(Label))  # the gap before the last page

        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert f"Page 2 of {pages:,}" in text_of(h.app, "#volumes-page-label")
        shown = [card.volume.name for card in screen.query("VolumeCard") if card.volume is not None]
        assert shown == oldest_first[6:12]
        # The last page is one click away, and shows what is left over.
        next(b for b in screen.query("#volumes-page-numbers Button").results(Button) if b.name == str(pages)).press()
        await pilot.pause()
        assert f"Page {pages:,} of {pages:,}" in text_of(h.app, "#volumes-page-label")
        shown = [card.volume.name for card in screen.query("VolumeCard") if card.volume is not None]
        assert shown == oldest_first[(pages - 1) * 6 :]
        await pilot.press("q")
    assert h.app.return_code == 0


async def test_thousands_of_firewalls_snapshots_and_images_page_by_six_with_their_totals() -> None:
    state = world("firewalls", "snapshots", "images")
    h = make_harness(state=state, initial_mode="firewalls")
    async with h.app.run_test(size=SIZE) as pilot:
        firewalls = len(state.firewalls)
        await wait_until(pilot, lambda: len(h.app.store.firewalls) == firewalls, timeout=30, what="the firewalls")
        await pilot.pause()
        assert h.app.screen.query_one("#fw-table", SyncedTable).row_count == 6
        assert f"{firewalls:,} Total Firewalls" in text_of(h.app, "#fw-stat-total")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert f"page 2/{-(-firewalls // 6):,}" in text_of(h.app, "#fw-filter")

        await pilot.press("5")
        await wait_until(pilot, lambda: len(h.app.store.images) == len(state.images), timeout=30, what="the images")
        await pilot.pause()
        snapshots = len(state.snapshots)
        assert f"Total Snapshots {snapshots:,}" in text_of(h.app, "#snapshot-stats")
        assert f"{snapshots:,} snapshots in all regions" in text_of(h.app, "#snapshots-page")
        assert h.app.screen.query_one("#snapshots-table", SyncedTable).row_count == 6
        newest_first = sorted(state.snapshots.values(), key=lambda s: (s.created_at, s.id), reverse=True)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert first_cells(h.app, "#snapshots-table") == [s.name for s in newest_first[6:12]]
        await pilot.press("q")
    assert h.app.return_code == 0
