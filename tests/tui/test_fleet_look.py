"""A big fleet's first load: the table shows a look at its rows while the fleet is validated, and nothing acts on it."""

from __future__ import annotations

import asyncio

import pytest

from barrack_tui.api import _instances
from barrack_tui.api._instances import LOOK_AT_LEAST
from barrack_tui.sim.clock import FakeClock
from barrack_tui.sim.seed import seed_demo, seed_fleet
from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen
from barrack_tui.tui.kit.key_scheme import INSTANCE_ACTION_KEYS
from barrack_tui.tui.kit.still_reading import STILL_READING
from tests.harness import make_harness, wait_until
from tests.tui.firewalls_support import record_notifications


@pytest.fixture
def held_validation(monkeypatch):
    """The validation after the look, held until the test lets it run."""
    gate = asyncio.Event()
    real = _instances.validate_slices

    async def held(*args, **kwargs):
        await gate.wait()
        await real(*args, **kwargs)

    monkeypatch.setattr(_instances, "validate_slices", held)
    return gate


def big_fleet():
    state = seed_demo(FakeClock())
    seed_fleet(state, LOOK_AT_LEAST)
    return state


def rows_shown(app) -> int:
    model = getattr(app.screen, "model", None)  # the Instances screen's table model
    return len(model.view) if model is not None else 0


def status_line(screen) -> str:
    return screen.query_one("#fleet-status").render().plain


async def test_the_rows_show_before_the_fleet_is_validated_and_nothing_acts_on_them(held_validation, monkeypatch):
    state = big_fleet()
    harness = make_harness(state=state, initial_mode="instances")
    app = harness.app
    told = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: len(screen.model.view) == len(state.instances), what="the look's rows")
        assert not app.store.instances  # nothing validated yet
        assert "reading" in status_line(screen)
        assert "still reading the fleet" in screen.query_one("#fleet-row-info").render().plain
        await pilot.press("enter", "space", INSTANCE_ACTION_KEYS["stop"][0], "ctrl+a")
        await pilot.pause()
        assert told.count(STILL_READING) == 4
        assert not isinstance(app.screen, InstanceDetailsScreen) and not screen.marks
        assert sum(state.mutation_counts.values()) == 0
        # Scrolling and sorting a look is fine: they act on nothing.
        await pilot.press("end")
        assert screen.table.cursor_id == screen.model.view[-1]

        held_validation.set()
        await wait_until(pilot, lambda: app.store.instances and not screen._looking, what="the validated fleet")
        assert "reading" not in status_line(screen)
        assert sorted(screen.model.view) == sorted(state.instances)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InstanceDetailsScreen), what="the details")


async def test_a_fleet_the_look_cannot_read_waits_for_the_validated_fleet(held_validation):
    state = big_fleet()
    next(iter(state.instances.values())).hourly_price = "-1"  # refused by the models too: it costs that item
    harness = make_harness(state=state, initial_mode="instances")
    app = harness.app
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: app.store.in_flight("instances"), what="the first load")
        for _ in range(5):
            await pilot.pause()
        assert not screen.model.view and not screen._looking
        held_validation.set()
        await wait_until(pilot, lambda: app.store.instances, what="the validated fleet")
        await pilot.pause()
        assert len(screen.model.view) == len(state.instances) - 1


async def test_behind_another_screen_the_look_is_not_read_until_instances_is_opened(held_validation, monkeypatch):
    from barrack_tui.api import fleet_look

    state = big_fleet()
    harness = make_harness(state=state, initial_mode="regions")
    app = harness.app
    reads: list[int] = []
    real_read = fleet_look.read_fleet_look
    monkeypatch.setattr(fleet_look, "read_fleet_look", lambda pages: reads.append(len(pages)) or real_read(pages))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.store._fleet_pages is not None, what="the first load, read")
        for _ in range(5):
            await pilot.pause()
        assert reads == []  # Regions does not show it: ~30 ms at 10,000 not spent
        await pilot.press("2")  # Instances, while the fleet is still being validated: the look, at once
        await wait_until(pilot, lambda: rows_shown(app) == len(state.instances), what="the look's rows")
        assert reads == [1] and not app.store.instances
        held_validation.set()
        await wait_until(pilot, lambda: app.store.instances and not app.screen._looking, what="the validated fleet")
        assert app.store.fleet_look() is None
