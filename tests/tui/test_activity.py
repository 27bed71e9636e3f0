"""The activity log through the real app against the simulator (FakeClock): what is sent, refused, failed and
seen goes in; it survives a restart; `/` filters it; `W` exports what the filter shows as CSV or JSON."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from typing import Any

from textual.widgets import Input, Select

from barrack_tui.activity.entry import ACCEPTED, FAILED, OBSERVED, REFUSED
from barrack_tui.rules.instances import MSG_WRONG_STATE
from barrack_tui.sim.state import DEMO_API_KEY
from barrack_tui.tui.areas.activity.export import ExportActivityModal
from barrack_tui.tui.areas.activity.screen import ActivityScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.kit.key_scheme import INSTANCE_ACTION_KEYS
from barrack_tui.tui.kit.synced_table import SyncedTable
from tests.harness import make_harness, settle, wait_until

STOP = INSTANCE_ACTION_KEYS["stop"][0]


async def stop_from_the_fleet(h: Any, pilot: Any, name: str) -> str:
    """Select `name` on Instances, press the stop key and confirm: what a user does. Returns its id."""
    instance_id = h.instance_named(name).id
    assert pilot.app.screen.query_one(FleetTable).select_id(instance_id)
    await settle(pilot, 2)
    await pilot.press(STOP)
    await settle(pilot)
    await pilot.press("enter")  # the confirmation's button has the focus
    await wait_until(pilot, lambda: any(e.verb == "stop" for e in h.app.activity.entries()), what="the stop entry")
    return instance_id


def entries(app: Any, verb: str) -> list[Any]:
    return [entry for entry in app.activity.entries() if entry.verb == verb]


def table_rows(screen: ActivityScreen) -> list[str]:
    table = screen.query_one("#activity-table", SyncedTable)
    return [" | ".join(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def open_activity(pilot: Any) -> ActivityScreen:
    await pilot.press("8")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ActivityScreen), what="the Activity screen")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ActivityScreen)
    return screen


async def test_a_stop_sent_from_the_fleet_is_logged_with_its_result_request_id_and_cost() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        instance_id = await stop_from_the_fleet(h, pilot, "gpu-train-1")
        [entry] = entries(h.app, "stop")
        assert (entry.target_kind, entry.target_name, entry.target_id) == ("instance", "gpu-train-1", instance_id)
        assert entry.result == ACCEPTED and entry.status in (200, 202)
        assert entry.request_id  # the simulator's X-Request-Id
        assert entry.cost_effect.startswith("stopping keeps billing")
        # The poller sees it settle: the log says where it came from and where it landed.
        h.advance(30)
        await h.poll("instances")
        await settle(pilot)
        [seen] = [e for e in entries(h.app, "status") if e.target_id == instance_id]
        assert seen.result == OBSERVED and seen.message == "ACTIVE -> SHUTOFF"
        screen = await open_activity(pilot)
        rows = table_rows(screen)
        [stop_row] = [row for row in rows if "| stop |" in row]
        assert "gpu-train-1" in stop_row and entry.request_id in stop_row and "accepted" in stop_row
        assert rows.index(stop_row) == len(rows) - 1  # newest first: the settle came after it
        assert "ACTIVE -> SHUTOFF" in " ".join(rows)


async def test_a_server_refusal_is_logged_with_the_rules_words() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        # Stopped elsewhere since the last poll: the app still offers stop, the server refuses it.
        record = h.instance_named("gpu-train-1")
        record.status = "SHUTOFF"
        await stop_from_the_fleet(h, pilot, "gpu-train-1")
        [entry] = entries(h.app, "stop")
        assert entry.result == REFUSED and entry.status == 400
        assert entry.message == MSG_WRONG_STATE["stop"]
        assert entry.request_id and entry.cost_effect == ""


async def test_a_server_failure_is_logged_as_failed_with_its_status() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        h.faults.error_rate = 1.0
        await stop_from_the_fleet(h, pilot, "gpu-train-1")
        h.faults.error_rate = 0.0
        [entry] = entries(h.app, "stop")
        assert entry.result == FAILED and entry.status == 500
        assert entry.cost_effect == ""


async def test_a_lost_answer_is_logged_as_failed_with_no_status() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        h.faults.lose_answer = 1
        await stop_from_the_fleet(h, pilot, "gpu-train-1")
        [entry] = entries(h.app, "stop")
        assert entry.result == FAILED and entry.status == 0
        assert "may have reached the server" in entry.message


async def test_a_volume_detached_elsewhere_and_the_balance_falling_are_seen_by_the_pollers() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.poll()
        await settle(pilot)
        attached = next(v for v in h.state.volumes.values() if v.instance_id and not v.bootable)
        owner = h.state.instances[attached.instance_id].name
        attached.instance_id, attached.status = None, "available"
        h.state.balances[h.state.currency] = Decimal("0.50")
        await h.poll("volumes", "balance")
        await settle(pilot)
        [detached] = entries(h.app, "detached")
        assert (detached.target_name, detached.result) == (attached.name, OBSERVED)
        assert detached.message == f"from instance {owner}"
        [balance] = entries(h.app, "balance")
        assert balance.result == OBSERVED and balance.message.startswith("fell below 1.00 USD")


async def test_the_log_survives_a_restart_of_the_app() -> None:
    first = make_harness(initial_mode="instances")
    async with first.app.run_test(size=(120, 40)) as pilot:
        await first.poll()
        await settle(pilot)
        await wait_until(pilot, lambda: first.app.activity._journal is not None, what="the journal")
        instance_id = await stop_from_the_fleet(first, pilot, "gpu-train-1")
    # The same account in the same data dir, a new process's worth of app.
    second = make_harness(state=first.state, initial_mode="activity", key=DEMO_API_KEY)
    async with second.app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: second.app.activity._journal is not None, what="the journal")
        await settle(pilot)
        [entry] = entries(second.app, "stop")
        assert entry.target_id == instance_id and entry.result == ACCEPTED
        screen = pilot.app.screen
        assert isinstance(screen, ActivityScreen)
        assert any("gpu-train-1" in row for row in table_rows(screen))


async def filled_log(pilot: Any) -> ActivityScreen:
    log = pilot.app.activity
    log.record("stop", target_kind="instance", target_name="gpu-train-1", target_id="ins-1", status=202,
               request_id="req-1", cost_effect="stopping keeps billing 2.29 USD/h")
    log.record("detach", target_kind="volume", target_name="data-1", target_id="vol-1", result=REFUSED, status=400,
               message="Stop the instance first", request_id="req-2")
    log.record("delete", target_kind="volume", target_name="=cmd|calc", target_id="vol-2", result=FAILED, status=500)
    log.record("status", target_kind="instance", target_name="gpu [/bold] box", target_id="ins-2", result=OBSERVED,
               message="ACTIVE -> SHUTOFF")
    return await open_activity(pilot)


async def test_slash_filters_the_log_and_names_show_as_typed(pilot) -> None:
    screen = await filled_log(pilot)
    assert "gpu [/bold]" in table_rows(screen)[0]  # newest first, markup shown literally
    assert "instance gpu [/bold] box · ins-2" in str(screen.query_one("#activity-selected").render())
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(pilot.app.focused, Input)
    await pilot.press(*"result:refused")
    await settle(pilot)
    rows = table_rows(screen)
    assert len(rows) == 1 and "data-1" in rows[0]
    await pilot.press("enter")
    await settle(pilot)
    assert [e.target_name for e in screen.shown_entries()] == ["data-1"]
    await pilot.press("escape")  # the box closed: Escape clears the filter
    await settle(pilot)
    assert len(table_rows(screen)) == 4


async def export_to(pilot: Any, path: Any, fmt: str) -> None:
    await pilot.press("W")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportActivityModal), what="the export form")
    modal = pilot.app.screen
    modal.query_one("#activity-export-format", Select).value = fmt
    await settle(pilot)
    modal.query_one("#activity-export-path", Input).value = str(path)
    await settle(pilot)
    await pilot.click("#activity-export-save")
    await wait_until(pilot, lambda: path.exists(), what=f"{path.name} written")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ActivityScreen), what="the form to close")


async def test_export_writes_what_the_filter_shows_as_csv_and_json(pilot, tmp_path) -> None:
    screen = await filled_log(pilot)
    screen.filter_to("volume")
    await settle(pilot)
    await export_to(pilot, tmp_path / "log.csv", "csv")
    rows = list(csv.DictReader((tmp_path / "log.csv").open()))
    assert [row["target_id"] for row in rows] == ["vol-2", "vol-1"]  # the filter's rows, newest first
    assert rows[1]["result"] == REFUSED and rows[1]["message"] == "Stop the instance first"
    assert rows[0]["target_name"] == "'=cmd|calc"  # a spreadsheet never runs a name as a formula
    assert rows[1]["time"].endswith("Z")
    await export_to(pilot, tmp_path / "log.json", "json")
    data = json.loads((tmp_path / "log.json").read_text())
    assert [item["target_id"] for item in data] == ["vol-2", "vol-1"]
    assert data[1]["status"] == 400 and data[1]["request_id"] == "req-2"
    assert (tmp_path / "log.json").stat().st_mode & 0o777 == 0o600
    # An existing file is never overwritten: the form says so and stays open.
    await pilot.press("W")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportActivityModal), what="the export form")
    pilot.app.screen.query_one("#activity-export-path", Input).value = str(tmp_path / "log.json")
    await settle(pilot)
    await pilot.click("#activity-export-save")
    await settle(pilot, 6)
    assert isinstance(pilot.app.screen, ExportActivityModal)
    assert "already exists" in str(pilot.app.screen.query_one("#activity-export-status").render())
