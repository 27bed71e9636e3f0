"""The real app against a server that wraps every answer as the live service does (the simulator's envelope mode).

`{success, message, <payload>, request_id}` around every answer, `X-Request-Id`
on every answer: the screens show the same data as against bare answers, a
refusal shows the server's words with the id to quote, and the limits the
server's pricing quote states reach the forms through the wrapper too.
"""

from __future__ import annotations

import re

from barrack_tui.sim import catalogue
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.kit.confirm import ConfirmModal
from tests.harness import make_harness, settle, wait_until
from tests.tui.test_instances_actions import KEYS, open_on
from tests.tui.test_volumes_create import message, open_form, type_into
from tests.tui.volumes_support import WIDE, badge, card_for, open_volumes, text_of

REQUEST_ID = re.compile(r"\(request id [0-9a-f]{8}\)$")


def fleet_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, InstancesScreen)
    table = screen.query_one(FleetTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_instances_screen_shows_the_fleet() -> None:
    h = make_harness(initial_mode="instances", envelope=True)
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: len(h.app.store.instances) == len(h.state.instances), what="the fleet")
        await settle(pilot)
        table = fleet_text(h.app)
        for record in h.state.instances.values():
            assert record.name in table, f"{record.name} is missing from the fleet table"
        assert "ACTIVE" in table and "HIBERNATED" in table
        status = str(h.app.screen.query_one("#fleet-status").render()).lower()
        assert "offline" not in status and "could not" not in status and "no instances" not in status


async def test_volumes_screen_shows_the_cards() -> None:
    h = make_harness(initial_mode="volumes", envelope=True)
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        await wait_until(pilot, lambda: len(h.app.store.volumes) == len(h.state.volumes), what="the volumes")
        await settle(pilot)
        card = card_for(h.app, "data-1")
        assert "data-1" in text_of(card.query_one(".card-name"))
        assert "GB" in text_of(card.query_one(".card-facts")) and badge(card)
        assert h.app.store.next_volume_name == "volume2"  # a field beside the list, read through the wrapper


async def test_a_refusal_shows_the_servers_words_and_the_request_id() -> None:
    h = make_harness(initial_mode="instances", envelope=True)
    async with h.app.run_test(size=WIDE) as pilot:
        await open_on(h, pilot, "batch-l40")  # SHUTOFF, as the app last saw it
        record = h.instance_named("batch-l40")
        record.status, record.pending = "ACTIVE", None  # someone started it meanwhile, elsewhere
        await pilot.press(KEYS["start"])
        await wait_until(pilot, lambda: isinstance(h.app.screen, ConfirmModal), what="the confirmation")
        await pilot.press("enter")  # the app still believes SHUTOFF, so it asks and sends
        await wait_until(pilot, lambda: any("SHUTOFF to start" in n.message for n in h.app._notifications),
                         what="the refusal")
        shown = next(n.message for n in h.app._notifications if "SHUTOFF to start" in n.message)
        assert shown.startswith("Instance must be SHUTOFF to start") and REQUEST_ID.search(shown), shown


async def test_the_stated_minimum_reaches_the_volume_form_through_the_wrapper(monkeypatch) -> None:
    monkeypatch.setattr(catalogue, "VOLUME_MINIMUM_GB", 100)
    h = make_harness(initial_mode="volumes", envelope=True)
    async with h.app.run_test(size=WIDE) as pilot:
        modal = await open_form(h, pilot)
        await wait_until(pilot, lambda: modal.query_one("#create-size-limit").display, what="the stated minimum")
        await type_into(pilot, modal, "size", "60")
        assert message(modal, "size") == "Size must be at least 100 GB"
