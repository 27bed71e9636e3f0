"""A server that uses values this version does not know: every item still shows, marked, and nothing acts on it.

The simulator sends its stored strings as they are, so setting a record's
status to `PAUSED` is exactly a live server that has a state we never heard of.
"""

from __future__ import annotations

from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from tests.harness import make_harness, wait_until
from tests.tui.volumes_support import WIDE, badge, enabled, focus_card, open_volumes, reasons, shown, text_of

UNKNOWN_WORDS = "which this version of barrack-tui does not know"


def odd_world():
    """The seeded account with one of each kind of value a newer server might send."""
    state = seed_demo(FakeClock())
    by_name = {record.name: record for record in state.instances.values()}
    by_name["gpu-train-1"].status = "PAUSED"
    by_name["inference-a100"].region = "EU-9"
    by_name["batch-l40"].gpu_model = "B200"
    by_name["eval-a100"].currency = "JPY"
    volumes = {record.name: record for record in state.volumes.values()}
    volumes["ckpt-archive"].status = "resizing"
    volumes["datasets"].volume_type = "Quantum-NVMe"
    return state


def fleet_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, InstancesScreen)
    lines = [screen.table.render_line(y).text for y in range(screen.table.size.height)]
    return "\n".join(lines)


async def test_instances_with_unknown_values_are_all_listed_marked_and_counted() -> None:
    state = odd_world()
    h = make_harness(state=state, initial_mode="instances")
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: len(h.app.store.instances) == len(state.instances), what="the fleet")
        await pilot.pause()
        table = fleet_text(h.app)
        for name in ("gpu-train-1", "inference-a100", "batch-l40", "eval-a100"):
            assert name in table, f"{name} was dropped from the list"
        assert "PAUSED ?" in table
        assert "EU-9?" in table
        assert "B200? ×1" in table
        totals = str(h.app.screen.query_one("#fleet-totals").render())
        assert "4 marked ? (unknown to this version)" in totals
        assert "offline" not in str(h.app.screen.query_one("#fleet-status").render()).lower()


async def test_no_action_is_sent_for_an_instance_in_an_unknown_state_and_the_reason_is_shown() -> None:
    state = odd_world()
    h = make_harness(state=state, initial_mode="instances")
    paused = h.instance_named("gpu-train-1")
    async with h.app.run_test(size=WIDE) as pilot:
        await wait_until(pilot, lambda: paused.id in h.app.store.instances, what="the paused instance")
        screen = h.app.screen
        screen.select_instance(paused.id)
        await pilot.pause()
        for key in ("T", "R", "H", "S", "U", "p"):  # stop, reboot, hibernate, start, restore, public IP
            await pilot.press(key)
            await pilot.pause()
            assert h.app.screen is screen, f"{key} opened a dialog for an instance in an unknown state"
        assert paused.status == "PAUSED" and paused.pending is None, "a request reached the server"
        reason = str(screen.query_one("#fleet-row-info").render())
        assert "Cannot act: Instance status is PAUSED" in reason and UNKNOWN_WORDS in reason


async def test_a_volume_in_an_unknown_state_shows_as_it_came_and_says_why_nothing_is_offered() -> None:
    state = odd_world()
    h = make_harness(state=state, initial_mode="volumes")
    async with h.app.run_test(size=WIDE) as pilot:
        await open_volumes(h, pilot)
        card = await focus_card(pilot, "ckpt-archive")
        assert badge(card) == "resizing ?"
        assert not shown(card, "attach") and not shown(card, "detach")
        assert shown(card, "delete") and not enabled(card, "delete")
        assert "Cannot act: Volume status is resizing" in reasons(card)
        await pilot.press("d")  # delete
        await pilot.pause()
        assert len(h.app.screen_stack) == 1, "a delete dialog opened for a volume in an unknown state"
        other = await focus_card(pilot, "datasets")
        facts = " ".join(text_of(widget) for widget in other.query("Static"))
        assert "Quantum-NVMe?" in facts
