"""Honest states against a server we script: each area says loading, could not load (why, and when it tries
again), stale since, or shows its data; "No volumes yet" only after a read that succeeded; items it could
not read are counted and one key away; one stalled endpoint stalls only its own area.

The real app (Pilot) against the simulator behind `ScriptedServer`, on a fake clock: countdowns and
"stale since" read the store's clock, which the tests move.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.areas.volumes.screen import VolumesScreen
from barrack_tui.tui.shell.area_status import AreaStatus, clock_time
from barrack_tui.tui.shell.unreadable_items import UnreadableItemsModal
from tests.harness import wait_until
from tests.hostile.scripted_server import make_hostile_harness
from tests.tui.volumes_support import WIDE, text_of

BOOM = {"error": {"code": "INTERNAL_ERROR", "message": "the database is down"}}


def status_line(app: Any) -> str:
    """The area's status line as shown now (its once-a-second redraw, done at once)."""
    widget = app.screen.query_one(AreaStatus)
    widget.update_status()
    return widget.shown if widget.display else ""


def header(app: Any) -> str:
    return app.screen.query_one("AppHeader").header_text().plain


def volumes_body(app: Any) -> str:
    return text_of(app.screen.query_one("#volumes-empty", Static))


def fleet_note(app: Any) -> str:
    return text_of(app.screen.query_one("#fleet-row-info", Static))


def failed(app: Any, kind: str) -> bool:
    return app.store.kind_health(kind).state == "failed"


def break_one_volume(body: dict[str, Any]) -> dict[str, Any]:
    """The server's list, with the second volume's size no longer a size."""
    body["volumes"][1]["size_gb"] = -5
    return body


async def test_a_500_says_server_error_not_offline_and_not_no_instances_yet() -> None:
    h = make_hostile_harness(initial_mode="instances")
    h.server.respond("/instances", 500, BOOM)
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: failed(h.app, "instances"), what="the instances poll to fail")
        await pilot.pause()
        assert "▲ server error — retrying in" in header(h.app)
        assert "offline" not in header(h.app)
        assert fleet_note(h.app) == "Could not load instances: server error"
        line = status_line(h.app)
        assert line.startswith("could not load instances: server error, HTTP 500: the database is down (retrying in ")
        assert "No instances yet" not in fleet_note(h.app)


async def test_a_refused_connection_says_offline() -> None:
    h = make_hostile_harness(initial_mode="instances")
    h.server.refuse("/instances")
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: failed(h.app, "instances"), what="the instances poll to fail")
        await pilot.pause()
        assert "▲ offline — retrying in" in header(h.app)
        assert fleet_note(h.app) == "Could not load instances: offline"
        assert "could not load instances: offline, connection refused (retrying in" in status_line(h.app)


async def test_no_volumes_yet_only_after_a_successful_empty_read() -> None:
    h = make_hostile_harness(initial_mode="volumes")
    h.server.hang("/volumes")
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: h.app.store.in_flight("volumes"), what="the volumes poll to start")
        await pilot.pause()
        assert volumes_body(h.app) == "Loading volumes…"

        h.server.respond("/volumes", 500, BOOM)
        h.server.release("/volumes")  # the waiting request now gets the 500
        await wait_until(pilot, lambda: failed(h.app, "volumes"), what="the volumes poll to fail")
        await pilot.pause()
        assert volumes_body(h.app) == "Could not load volumes: server error"
        assert "could not load volumes: server error" in status_line(h.app)

        h.server.clear()
        h.server.rewrite("/volumes", lambda body: {**body, "volumes": []})
        await h.poll("volumes")
        await pilot.pause()
        assert volumes_body(h.app) == "No volumes yet. Press n to create one."
        assert status_line(h.app) == ""


@pytest.mark.parametrize(
    ("mode", "path", "kind", "widget", "words"),
    [
        ("regions", "/regions", "regions", "#regions-loading", "Could not load regions: server error"),
        ("firewalls", "/firewalls", "firewalls", "#fw-selected", "Could not load firewalls: server error"),
        ("snapshots", "/snapshots", "snapshots", "#snapshots-page", "Could not load snapshots: server error"),
        ("keys", "/ssh-keys", "ssh_keys", "#keys-summary", "Could not load SSH keys: server error"),
    ],
)
async def test_every_area_says_it_could_not_load_instead_of_loading_or_empty(mode, path, kind, widget, words) -> None:
    h = make_hostile_harness(initial_mode=mode)
    h.server.respond(path, 500, BOOM)
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: failed(h.app, kind), what=f"the {kind} poll to fail")
        await pilot.pause()
        shown = text_of(h.app.screen.query_one(widget, Static))
        assert words in shown
        assert "Loading" not in shown and "No " not in shown
        assert "server error, HTTP 500: the database is down (retrying in" in status_line(h.app)


async def test_one_broken_volume_among_many_is_counted_and_e_lists_it() -> None:
    h = make_hostile_harness(initial_mode="volumes")
    h.server.rewrite("/volumes", break_one_volume)
    total = len(h.state.volumes)
    broken = sorted(h.state.volumes.values(), key=lambda v: v.id)[1]
    async with h.app.run_test(size=WIDE) as pilot:
        await h.poll()
        await pilot.pause()
        assert len(h.app.store.volumes) == total - 1  # every other volume is there
        assert f"Total Volumes {total - 1}" in text_of(h.app.screen.query_one("#volumes-stats", Static))
        assert status_line(h.app) == f"1 of {total} volumes could not be read: E shows why"

        await pilot.press("E")
        await pilot.pause()
        modal = h.app.screen
        assert isinstance(modal, UnreadableItemsModal)
        listed = text_of(modal.query_one("#unreadable-body", Static))
        assert f"volumes: 1 of {total} could not be read" in listed
        assert f"{broken.name} ({broken.id})" in listed
        assert "size_gb: Input should be greater than or equal to 0" in listed
        assert "-5" not in listed  # the field and the rule, never the value

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(h.app.screen, VolumesScreen)


async def test_an_unreadable_instance_is_counted_and_capital_e_lists_it_since_e_restores() -> None:
    h = make_hostile_harness(initial_mode="instances")
    victim = sorted(h.state.instances.values(), key=lambda r: r.id)[0]

    def break_one(body: dict[str, Any]) -> dict[str, Any]:
        for item in body["instances"]:
            if item["id"] == victim.id:
                item["created_at"] = "yesterday-ish"
        return body

    h.server.rewrite("/instances", break_one)
    async with h.app.run_test(size=WIDE) as pilot:
        await h.poll()
        await pilot.pause()
        total = len(h.state.instances)
        assert len(h.app.store.instances) == total - 1
        assert status_line(h.app) == f"1 of {total} instances could not be read: E shows why"
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(h.app.screen, UnreadableItemsModal)
        listed = text_of(h.app.screen.query_one("#unreadable-body", Static))
        assert f"{victim.name} ({victim.id})" in listed and "created_at" in listed
        assert "request id" in listed  # the simulator sends one with every answer: quotable to support


async def test_stale_data_stays_on_screen_and_says_since_when() -> None:
    h = make_hostile_harness(initial_mode="volumes")
    async with h.app.run_test(size=WIDE) as pilot:
        await h.poll()
        await pilot.pause()
        good_read = h.app.store.kind_health("volumes").last_success
        count = len(h.app.store.volumes)
        h.advance(120)
        h.server.respond("/volumes", 500, BOOM)
        await h.poll("volumes")
        await pilot.pause()
        since = clock_time(h.app.store, h.app, good_read)
        line = status_line(h.app)
        assert line.startswith(f"volumes stale since {since}: server error, HTTP 500: the database is down (retrying in ")
        assert len(h.app.store.volumes) == count and not volumes_body(h.app).startswith("Could not")


async def test_a_503s_retry_after_is_the_countdown_and_an_hour_is_capped_at_a_minute() -> None:
    h = make_hostile_harness(initial_mode="volumes")
    async with h.app.run_test(size=WIDE) as pilot:
        await h.poll()
        h.server.respond("/volumes", 503, BOOM, headers={"Retry-After": "30"})
        await h.poll("volumes")
        await pilot.pause()
        assert "server error, HTTP 503: the database is down (retrying in 30 s)" in status_line(h.app)
        h.advance(10)
        assert "(retrying in 20 s)" in status_line(h.app)
        assert "● updated" in header(h.app)  # a 503 on volumes delays volumes only

        h.server.clear()
        h.server.respond("/volumes", 429, BOOM, headers={"Retry-After": "3600"})
        await h.poll("volumes")
        await pilot.pause()
        assert "rate limited, HTTP 429" in status_line(h.app) and "(retrying in 60 s)" in status_line(h.app)
        assert "▲ rate limited — resuming in 1 min" in header(h.app)


async def test_a_stalled_volumes_endpoint_does_not_stop_instances_from_updating() -> None:
    h = make_hostile_harness(initial_mode="volumes")
    h.server.hang("/volumes")
    renamed = h.instance_named("gpu-train-1")
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: "instances" in h.app.store.loaded, what="the first instances poll")
        assert h.app.store.in_flight("volumes")
        renamed.name = "renamed-while-volumes-hang"
        h.advance(15)
        h.app.store.wake()  # what the pollers' timer does when the interval is up
        await wait_until(
            pilot,
            lambda: h.app.store.instances[renamed.id].name == "renamed-while-volumes-hang",
            what="the instances poll after the interval",
        )
        assert volumes_body(h.app) == "Loading volumes…"
        await pilot.press("2")
        await wait_until(pilot, lambda: h.app.current_mode == "instances", what="the Instances area")
        table = h.app.screen.query_one(FleetTable)
        shown = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert "renamed-while-volumes-hang" in shown
        assert h.server.count("/volumes") == 1  # still the one request, still hanging
        h.server.release()


async def test_a_hung_request_ends_at_the_read_timeout_and_says_so() -> None:
    h = make_hostile_harness(initial_mode="volumes", read_timeout=0.2)
    h.server.hang("/volumes")
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: failed(h.app, "volumes"), timeout=3, what="the read timeout")
        await pilot.pause()
        assert volumes_body(h.app) == "Could not load volumes: offline"
        assert "could not load volumes: offline, no answer within 0.2 s (retrying in" in status_line(h.app)
        assert h.app.store.kind_health("instances").state == "ok"


async def test_a_list_cut_short_says_how_much_was_read() -> None:
    h = make_hostile_harness(initial_mode="volumes")
    first: dict[str, Any] = {}

    def endless(body: dict[str, Any]) -> dict[str, Any]:
        """Every page holds one new volume, and there are ten million pages."""
        page = body["pagination"]["page"]
        if "item" not in first:
            first["item"] = body["volumes"][0]
        item = {**first["item"], "id": f"vol-p{page}", "name": f"page-{page}"}
        pagination = {"page": page, "per_page": 1, "total": 10_000_000, "total_pages": 10_000_000}
        return {**body, "volumes": [item], "pagination": pagination}

    h.server.rewrite("/volumes", endless)
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: "volumes" in h.app.store.loaded, what="the volumes walk")
        assert h.server.count("/volumes") == 20  # a few requests, not ten million
        assert len(h.app.store.volumes) == 20
        line = status_line(h.app)
        assert line == "volumes: showing the first 20 of 10,000,000: stopped after 20 of 10,000,000 pages"
