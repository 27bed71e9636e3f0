"""Snapshots of the Spend view at 80x24 and 120x40: the burn over hours with a raised runway alert, and over days."""

from __future__ import annotations

from typing import Any

import pytest

from barrack_tui.account.config import Settings
from barrack_tui.tui.shell.header import AppHeader
from tests.harness import make_harness, still_cursor, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def spend_app() -> Any:
    settings = Settings()
    settings.alerts.runway_warn_hours = 48  # the demo's ~35 h is under it: the header shows the alert
    settings.alerts.long_running_hours = 100
    settings.alerts.terminal_notify = "off"
    return make_harness(settings=settings, initial_mode="spend").app


async def _loaded(pilot: Any) -> Any:
    await pilot.app.store.refresh()
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen._read_once and all(len(screen.book.reads[kind]) == len(getattr(pilot.app.store, kind)) for kind in ("instances", "volumes")), what="billing read")
    # The runway alert is raised on a store change the header may have drawn before: wait for it, then redraw
    # the header now rather than at its next one-second tick.
    await wait_until(pilot, lambda: bool(pilot.app.alert_badge()), what="runway alert")
    screen.query_one(AppHeader).update_header()
    pilot.app.clear_notifications()  # the alerts' toasts would cover the charts; the header keeps the alert
    still_cursor(pilot.app)
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_spend_hours(snap_compare, size):
    async def before(pilot: Any) -> None:
        await _loaded(pilot)

    assert snap_compare(spend_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_spend_days(snap_compare, size):
    async def before(pilot: Any) -> None:
        screen = await _loaded(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.span.name == "days", what="days")
        await pilot.pause()

    assert snap_compare(spend_app(), terminal_size=size, run_before=before)
