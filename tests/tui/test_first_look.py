"""The first look: the first answers painted while the client that validates them is still loading."""

from __future__ import annotations

import threading

import pytest

from barrack_tui.api import warm
from barrack_tui.tui.shell import app as app_module
from barrack_tui.tui.shell.header import AppHeader
from tests.harness import make_harness, wait_until
from tests.tui.firewalls_support import record_notifications


def lines(panel) -> list[str]:
    return panel.render().plain.splitlines()


def figures(app) -> str:
    """The header's balance and burn: what the first look and the validated data must agree on."""
    return app.screen.query_one(AppHeader).header_text().plain.split("│ region")[0]


@pytest.fixture
def slow_client(monkeypatch):
    """A fresh process's client load (~0.15 s), held until the test lets it finish."""
    release = threading.Event()
    real_preload = warm.preload

    def preload(base_url=None):
        release.wait(10)
        real_preload(base_url)

    monkeypatch.setattr(app_module, "_client_loaded", lambda: False)
    monkeypatch.setattr(warm, "preload", preload)
    yield release
    release.set()


async def test_the_first_answers_are_painted_before_the_client_loads_and_the_validated_data_agrees(slow_client):
    harness = make_harness()
    app = harness.app
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.first_look is not None, what="the first look")
        assert app.client is None  # nothing validated yet
        norway = app.screen.panel("NORWAY-1")
        await wait_until(pilot, lambda: "Instances 3" in lines(norway)[1])
        looked = (lines(norway), figures(app))
        assert "burn" in looked[1] and "…" not in looked[1]
        slow_client.set()
        await wait_until(pilot, lambda: app.first_look is None and app.store.loaded >= {"instances", "regions"})
        await pilot.pause()
        assert (lines(norway), figures(app)) == looked


async def test_nothing_acts_on_a_first_look(slow_client, monkeypatch):
    harness = make_harness()
    app = harness.app
    told = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.first_look is not None and app.focused is not None)
        await pilot.press("down", "enter", "w", "c")
        await pilot.pause()
        assert told.count("Still reading the account: try again in a moment.") == 3
        assert app.region is None and app.screen.watches == set()
        slow_client.set()
        await wait_until(pilot, lambda: app.first_look is None)
        await pilot.press("c")
        assert app.region == app.screen.panels[0].region_name


async def test_an_answer_the_first_look_cannot_read_leaves_the_cards_waiting_for_the_validated_data(slow_client):
    harness = make_harness()
    next(iter(harness.state.instances.values())).hourly_price = -1  # refused by the models' rules too
    app = harness.app
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app._early is not None)
        reads = app._early[1]
        await wait_until(pilot, lambda: all(task.done() for task in reads._pending.values()), what="the first answers")
        for _ in range(5):
            await pilot.pause()
        assert app.first_look is None
        assert "Loading regions" in str(app.screen.query_one("#regions-loading").render())
        slow_client.set()
        await wait_until(pilot, lambda: "regions" in app.store.loaded)
        assert app.screen.panels  # then the validated data, without the instance the models refused
