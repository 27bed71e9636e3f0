"""Marks and bulk actions on Instances and Volumes, through the real app against the simulator.

Space marks (and moves on), ctrl+a marks every item the filter shows, Escape
clears the marks before the filter. An action while items are marked opens
one confirmation listing every target, the rules' refusals in the rules' own
words; confirming runs the rest at bounded concurrency and ends in a summary
of each target's outcome that also reaches the activity log. One target fails
by a fault injected into the simulator's answers for that target alone.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from typing import Any

import httpx
import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input, Static

from barrack_tui.activity.entry import ACCEPTED, FAILED, REFUSED
from barrack_tui.api.errors import ApiError
from barrack_tui.api.routes import ROUTES
from barrack_tui.rules.instances import MSG_WRONG_STATE
from barrack_tui.rules.volumes import MSG_DETACH_NOT_SHUTOFF, MSG_VOLUME_ATTACHED
from barrack_tui.sim.errors import error_body
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from barrack_tui.tui.areas.volumes.card import VolumeCard
from barrack_tui.tui.areas.volumes.screen import VolumesScreen
from barrack_tui.tui.kit.bulk import (
    BULK_CONCURRENCY,
    BulkConfirmModal,
    BulkPlan,
    BulkSummaryModal,
    BulkTarget,
    run_bulk,
)
from barrack_tui.tui.kit.marks import MARK
from tests.harness import make_harness, settle, wait_until

STOP = f"POST {ROUTES['stop_instance'].path}"  # the simulator counts requests by route template
FAULT_WORDS = "Simulated failure for this one target"


class FailOne:
    """ASGI wrapper around the simulator: one method and path always fail; every other request passes through."""

    def __init__(self, app: Any, method: str, path: str, status: int = 500) -> None:
        self.app, self.method, self.path, self.status = app, method, path, status
        self.hits = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == self.method and scope["path"] == self.path:
            self.hits += 1
            body = json.dumps(error_body("INTERNAL_ERROR", FAULT_WORDS)).encode()
            await send({"type": "http.response.start", "status": self.status, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        await self.app(scope, receive, send)


def failing_harness(mode: str, method: str, path_of: Any, name: str, *, status: int = 500) -> tuple[Any, FailOne]:
    h = make_harness(initial_mode=mode)
    item = h.instance_named(name) if mode == "instances" else h.volume_named(name)
    fault = FailOne(h.sim_app, method, "/api/v1" + path_of.format(id=item.id), status)
    # The app builds its clients from this transport when the session starts (on mount).
    h.app._transport = httpx.ASGITransport(app=fault)
    return h, fault


def status_line(screen: InstancesScreen) -> str:
    return screen.query_one("#fleet-status", Static).render().plain


def modal_text(app: Any) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def fleet(h: Any, pilot: Any) -> InstancesScreen:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    assert isinstance(screen, InstancesScreen)
    return screen


async def mark(h: Any, pilot: Any, screen: InstancesScreen, names: Iterable[str]) -> None:
    for name in names:
        assert screen.table.select_id(h.instance_named(name).id)
        await pilot.press("space")
    await settle(pilot, 2)


def entries(h: Any, verb: str) -> list[Any]:
    return [e for e in h.app.activity.entries() if e.verb == verb]


# --- marks --------------------------------------------------------------------------------------------------


async def test_space_marks_moves_on_and_shows_the_mark_and_the_count() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        table = screen.query_one(FleetTable)
        table.move_cursor(0)
        first, second = screen.model.view[0], screen.model.view[1]
        await pilot.press("space", "space")
        await settle(pilot, 2)
        assert set(screen.marks) == {first, second}
        assert table.cursor_index == 2  # marking moved on each time
        assert table.render_line(1).text.startswith(MARK) and table.render_line(2).text.startswith(MARK)
        assert not table.render_line(3).text.startswith(MARK)
        assert "2 marked" in status_line(screen)
        table.move_cursor(0)
        await pilot.press("space")  # again on a marked row: unmarks it
        await settle(pilot, 2)
        assert set(screen.marks) == {second}
        await pilot.press("escape")
        await settle(pilot, 2)
        assert not screen.marks and "marked" not in status_line(screen)


async def test_ctrl_a_marks_what_the_filter_shows_and_escape_clears_marks_before_the_filter() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        norway = {i.id for i in h.state.instances.values() if i.region == "NORWAY-1"}
        await pilot.press("slash", *"region:NORWAY-1", "enter", "ctrl+a")
        await settle(pilot, 2)
        assert set(screen.marks) == norway
        assert f"{len(norway)} marked" in status_line(screen)
        # The filter changes; the marks stay, and the count says how many it hides.
        await pilot.press("slash", *"-1 eval", "enter")  # "region:NORWAY-1 eval": nothing of Norway is shown
        await settle(pilot, 2)
        assert set(screen.marks) == norway
        assert f"{len(norway)} hidden by the filter" in status_line(screen)
        await pilot.press("escape")  # the marks first
        await settle(pilot, 2)
        assert not screen.marks and screen.model.filter.text
        await pilot.press("escape")  # then the filter
        await settle(pilot, 2)
        assert not screen.model.filter.text


async def test_ctrl_a_twice_unmarks_and_the_palette_marks_all_shown() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        await pilot.press("ctrl+a")
        await settle(pilot, 2)
        assert set(screen.marks) == set(screen.model.view)
        await pilot.press("ctrl+a")
        await settle(pilot, 2)
        assert not screen.marks
        commands = {c.title: c for c in h.app.get_system_commands(screen)}
        commands["Instances: Mark every instance shown"].callback()
        await settle(pilot, 2)
        assert set(screen.marks) == set(screen.model.view)
        commands["Instances: Clear the marks"].callback()
        await settle(pilot, 2)
        assert not screen.marks


async def test_a_mark_goes_with_its_instance() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        await mark(h, pilot, screen, ["eval-a100", "gpu-train-1"])
        gone = h.instance_named("eval-a100")
        del h.state.instances[gone.id]
        await h.poll("instances")
        await settle(pilot, 2)
        assert set(screen.marks) == {h.instance_named("gpu-train-1").id}


async def test_marks_typed_in_one_read_reach_the_table_then_the_action() -> None:
    """Space, ctrl+a and an action key arriving in one terminal read, as over SSH."""
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        screen.table.move_cursor(0)
        await settle(pilot, 2)
        first_three = set(screen.model.view[:3])
        feed_one_read(h.app, "   ")
        await wait_until(pilot, lambda: set(screen.marks) == first_three, what="three rows marked")
        assert isinstance(h.app.screen, InstancesScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.marks, what="marks cleared")
        # A filter typed and kept with Enter, every shown row marked with ctrl+a, and the stop key: one read.
        feed_one_read(h.app, "/region:CANADA-1\r\x01T")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        canada = {i.id for i in h.state.instances.values() if i.region == "CANADA-1"}
        assert set(screen.marks) == canada
        assert {t.id for t in h.app.screen.plan.targets} == canada
        assert sum(h.state.mutation_counts.values()) == 0  # it asks first


def feed_one_read(app: Any, text: str) -> None:
    """What the driver does with one read: parse it whole, then post every key before any is handled."""
    parser = XTermParser()
    for event in [*parser.feed(text), *parser.feed("")]:
        if isinstance(event, events.Key):
            app.post_message(event)


# --- the bulk stop ------------------------------------------------------------------------------------------


async def test_bulk_stop_lists_every_target_skips_the_refused_and_reports_a_failure_among_successes() -> None:
    h, fault = failing_harness("instances", "POST", ROUTES["stop_instance"].path, "finetune-h100")
    done = ["gpu-train-1", "inference-a100", "eval-a100"]
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        await mark(h, pilot, screen, [*done, "batch-l40", "finetune-h100"])
        assert len(screen.marks) == 5
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        text = modal_text(h.app)
        for name in [*done, "batch-l40", "finetune-h100"]:
            assert name in text
        assert f"batch-l40  SHUTOFF, NORWAY-1 — {MSG_WRONG_STATE['stop']}" in text  # the rule's exact words
        assert "Stop 5 instances: 4 to stop, 1 refused" in text
        assert sum(h.state.mutation_counts.values()) == 0
        await pilot.press("enter")  # the confirm button has the focus: not a typed confirmation
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkSummaryModal), what="the summary")

        summary = h.app.screen.report
        assert [o.target.name for o in summary.done] == done
        assert [o.target.name for o in summary.refused] == ["batch-l40"]
        assert [o.target.name for o in summary.failed] == ["finetune-h100"]
        assert FAULT_WORDS in summary.failed[0].message
        text = modal_text(h.app)
        assert "Stop 5 instances: 3 done, 1 refused, 1 failed" in text
        assert "Done (3)" in text and "Failed (1)" in text and "Skipped, refused by the rules (1)" in text
        assert text.index("Done (3)") < text.index("Failed (1)")  # successes come first, never hidden

        # What the server saw: three stops handled, the failing one answered by the fault, none for the refused.
        assert h.state.mutation_counts[STOP] == 3 and fault.hits == 1
        for name in done:
            assert h.instance_named(name).status == "STOPPING"
        assert h.instance_named("finetune-h100").status == "ACTIVE"

        # The activity log: the refused target with the rule's words, and the run's one summary line.
        refused = entries(h, "stop")
        assert [(e.target_name, e.result, e.message) for e in refused if e.result == REFUSED] == [
            ("batch-l40", REFUSED, MSG_WRONG_STATE["stop"])]
        (line,) = entries(h, "bulk stop")
        assert line.message == "3 done, 1 refused, 1 failed" and line.result == FAILED and line.target_kind == "instance"

        await pilot.press("enter")
        await settle(pilot, 2)
        assert isinstance(h.app.screen, InstancesScreen)
        # The failed and the refused stay marked for another try; the done are unmarked.
        assert set(screen.marks) == {h.instance_named("batch-l40").id, h.instance_named("finetune-h100").id}


async def test_a_cancelled_bulk_action_sends_and_logs_nothing() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        await mark(h, pilot, screen, ["gpu-train-1", "batch-l40"])
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        await pilot.press("escape")
        await settle(pilot, 2)
        assert isinstance(h.app.screen, InstancesScreen)
        assert sum(h.state.mutation_counts.values()) == 0
        assert not entries(h, "bulk stop") and not entries(h, "stop")
        assert len(screen.marks) == 2


async def test_every_target_refused_offers_nothing_to_confirm() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        await mark(h, pilot, screen, ["batch-l40", "archive-h100"])
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        assert h.app.screen.query_one("#confirm-ok").disabled
        await pilot.press("enter")
        await settle(pilot, 2)
        assert isinstance(h.app.screen, BulkConfirmModal)
        assert sum(h.state.mutation_counts.values()) == 0


async def test_bulk_delete_asks_for_the_count_typed() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        names = ["batch-l40", "notebook-a6000"]
        await mark(h, pilot, screen, names)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        assert isinstance(h.app.focused, Input)  # the phrase box has the focus, as for one delete
        assert "Type 2 instances to confirm:" in modal_text(h.app)
        await pilot.press(*"2 instance", "enter")  # a near miss deletes nothing
        await settle(pilot, 2)
        assert isinstance(h.app.screen, BulkConfirmModal) and sum(h.state.mutation_counts.values()) == 0
        assert "type 2 instances to confirm" in modal_text(h.app)
        await pilot.press("s", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkSummaryModal), what="the summary")
        assert h.app.screen.report.counts() == "2 done"
        for name in names:
            assert h.instance_named(name).status == "DELETING"
        (line,) = entries(h, "bulk delete")
        assert line.result == ACCEPTED


async def test_no_marks_keeps_the_single_item_action() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        assert screen.table.select_id(h.instance_named("gpu-train-1").id)
        await pilot.press("T")
        await settle(pilot)
        assert type(h.app.screen).__name__ == "ConfirmModal"


# --- Volumes ------------------------------------------------------------------------------------------------


async def volumes(h: Any, pilot: Any) -> VolumesScreen:
    await h.poll()
    await settle(pilot)
    screen = h.app.screen
    assert isinstance(screen, VolumesScreen)
    return screen


async def mark_volumes(h: Any, pilot: Any, screen: VolumesScreen, names: Iterable[str]) -> None:
    for name in names:
        volume = h.app.store.volumes[h.volume_named(name).id]
        screen.show_volume(volume)
        await settle(pilot, 2)
        await pilot.press("space")
        await settle(pilot, 2)


async def test_volume_marks_show_on_cards_ctrl_a_follows_the_filter_and_escape_clears() -> None:
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await volumes(h, pilot)
        first = screen.focused_card()
        assert first is not None and first.volume_id
        marked_id = first.volume_id
        await pilot.press("space")
        await settle(pilot, 2)
        assert set(screen.marks) == {marked_id}
        card = next(c for c in screen.query(VolumeCard) if c.volume_id == marked_id)
        assert card.has_class("-marked") and MARK in str(card.query_one(".card-name", Static).render())
        assert screen.focused_card() is not card  # on to the next card
        assert "1 marked" in str(screen.query_one("#volumes-stats", Static).render())
        await pilot.press("escape")
        await settle(pilot, 2)
        assert not screen.marks and not card.has_class("-marked")
        canada = {v.id for v in h.state.volumes.values() if v.region == "CANADA-1"}
        await pilot.press("slash", *"region:CANADA-1", "enter", "ctrl+a")
        await settle(pilot, 2)
        assert set(screen.marks) == canada


async def test_bulk_volume_delete_with_a_refusal_and_a_failure() -> None:
    h, fault = failing_harness("volumes", "DELETE", ROUTES["delete_volume"].path, "ckpt-archive", status=409)
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await volumes(h, pilot)
        await mark_volumes(h, pilot, screen, ["volume1", "data-1", "ckpt-archive"])
        assert len(screen.marks) == 3
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        text = modal_text(h.app)
        assert MSG_VOLUME_ATTACHED in text and "Type 2 volumes to confirm:" in text
        await pilot.press(*"2 volumes", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkSummaryModal), what="the summary")
        report = h.app.screen.report
        assert report.counts() == "1 done, 1 refused, 1 failed"
        assert [o.target.name for o in report.done] == ["volume1"]
        assert [(o.target.name, o.message) for o in report.refused] == [("data-1", MSG_VOLUME_ATTACHED)]
        assert FAULT_WORDS in report.failed[0].message and fault.hits == 1
        assert all(v.status == "deleted" for v in h.state.volumes.values() if v.name == "volume1")
        assert "volume1" not in {v.name for v in h.app.store.volumes.values()}
        assert h.volume_named("ckpt-archive").status == "available"
        (line,) = entries(h, "bulk delete")
        assert line.message == "1 done, 1 refused, 1 failed" and line.target_kind == "volume"
        refused = {e.target_name: e.message for e in entries(h, "delete") if e.result == REFUSED}
        assert refused["data-1"] == MSG_VOLUME_ATTACHED  # the rule's words: nothing was sent for it
        await pilot.press("enter")
        await settle(pilot, 2)
        assert {h.app.store.volumes[i].name for i in screen.marks} == {"data-1", "ckpt-archive"}


async def test_bulk_volume_detach_refuses_a_volume_on_a_running_instance() -> None:
    h = make_harness(initial_mode="volumes")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await volumes(h, pilot)
        await mark_volumes(h, pilot, screen, ["datasets", "data-1"])
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        refusal = MSG_DETACH_NOT_SHUTOFF.format(status="ACTIVE")
        assert [t.refusal for t in h.app.screen.plan.targets if t.name == "data-1"] == [refusal]
        # One target left: its name is what is typed, as for a single detach.
        assert "Type datasets to confirm:" in modal_text(h.app)
        await pilot.press(*"datasets", "enter")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkSummaryModal), what="the summary")
        assert h.app.screen.report.counts() == "1 done, 1 refused"
        assert h.volume_named("datasets").status == "available"
        assert any("If starting batch-l40 without the volume" in str(n.message) for n in h.app._notifications)


# --- the runner ---------------------------------------------------------------------------------------------


async def test_the_runner_keeps_at_most_the_budget_in_flight_and_every_outcome() -> None:
    in_flight = peak = 0
    release = asyncio.Event()

    async def send(target: BulkTarget) -> str:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await release.wait()
        in_flight -= 1
        if target.name == "t3":
            raise ApiError(500, "INTERNAL_ERROR", "boom")
        return "ok"

    targets = [BulkTarget(f"id{n}", f"t{n}") for n in range(10)] + [BulkTarget("idr", "refused", refusal="no")]
    plan = BulkPlan(verb="stop", label="Stop", kind="instance", plural="instances", targets=targets, send=send)
    seen: list[int] = []
    task = asyncio.create_task(run_bulk(plan, progress=lambda report: seen.append(len(report.done) + len(report.failed))))
    for _ in range(5):
        await asyncio.sleep(0)
    assert in_flight == BULK_CONCURRENCY
    release.set()
    report = await task
    assert peak == BULK_CONCURRENCY
    assert [o.target.name for o in report.outcomes] == [t.name for t in targets]  # the plan's order
    assert report.counts() == "9 done, 1 refused, 1 failed"
    assert seen == list(range(1, 11))


@pytest.mark.parametrize("count", [1, 3])
def test_the_typed_phrase_is_the_name_for_one_target_and_the_count_for_more(count: int) -> None:
    targets = [BulkTarget(f"id{n}", f"vol-{n}") for n in range(count)]

    async def send(target: BulkTarget) -> str:
        return ""

    plan = BulkPlan(verb="delete volume", label="Delete", kind="volume", plural="volumes", targets=targets, send=send,
                    destructive=True)
    assert plan.typed_phrase() == ("vol-0" if count == 1 else "3 volumes")


async def test_the_run_shows_its_progress_while_answers_arrive() -> None:
    h = make_harness(initial_mode="instances")
    async with h.app.run_test(size=(120, 40)) as pilot:
        screen = await fleet(h, pilot)
        await mark(h, pilot, screen, ["gpu-train-1", "inference-a100", "eval-a100"])
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkConfirmModal), what="the bulk confirmation")
        modal = h.app.screen
        h.faults.latency = 0.3  # each answer takes a moment, so the running state can be seen
        await pilot.press("enter")
        await wait_until(pilot, lambda: modal.busy, what="the run to start")
        status = modal.query_one("#confirm-status", Static)
        assert status.display and "Stop: 0 of 3 answered" in str(status.render())
        bar = modal.query_one("#bulk-progress")
        assert bar.display and bar.has_class("-running")
        assert modal.query_one("#confirm-ok").disabled and modal.query_one("#confirm-cancel").disabled
        await wait_until(pilot, lambda: isinstance(h.app.screen, BulkSummaryModal), what="the summary")
        h.faults.clear()
        assert h.app.screen.report.counts() == "3 done"
