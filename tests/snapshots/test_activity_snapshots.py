"""Snapshots of the Activity area at 80x24 and 120x40: the log, the log filtered, and the export form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input

from barrack_tui.activity.entry import ALERT, FAILED, OBSERVED, REFUSED
from tests.harness import make_harness, still_cursor, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Step = Callable[[Any, Any], Awaitable[None]]


def fill(h: Any) -> None:
    """A morning's worth of entries, a minute apart, written out: a real session's request ids are random, and
    moving the shared fake clock would let the pollers add what they see at whatever moment they run."""
    log = h.app.activity
    start = h.clock.now() - 3600
    minutes = iter(range(1000))
    log._wall_clock = lambda: start + 60 * next(minutes)
    lines = [
        dict(verb="deploy", target_kind="instance", target_name="train-h100", target_id="ins-0042", status=201,
             request_id="5f3a9c1e", cost_effect="deploying starts 2.29 USD/h (0.0382 USD/min), billed per minute"),
        dict(verb="stop", target_kind="instance", target_name="gpu-train-1", target_id="ins-0001", status=202,
             request_id="a81b22d0", cost_effect="stopping keeps billing 5.38 USD/h (SHUTOFF bills the full rate)"),
        dict(verb="detach", target_kind="volume", target_name="data-1", target_id="vol-0003", result=REFUSED,
             status=400, request_id="c0ffee12", message="Stop the instance first (from instance gpu-train-1)"),
        dict(verb="status", target_kind="instance", target_name="gpu-train-1", target_id="ins-0001", result=OBSERVED,
             message="ACTIVE -> SHUTOFF"),
        dict(verb="delete", target_kind="snapshot", target_name="gpu [/bold] box", target_id="snap-0007",
             result=FAILED, status=500, request_id="9e9e0001", message="The Barrack API failed (500)."),
        dict(verb="budget", target_kind="account", result=ALERT, message="spend today passed 50.00 USD"),
    ]
    for line in lines:
        log.record(**line)


def run(h: Any, *steps: Step) -> Callable[[Any], Awaitable[None]]:
    async def before(pilot: Any) -> None:
        await h.poll()
        await pilot.pause()
        fill(h)
        await pilot.press("8")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ActivityScreen", what="Activity")
        for step in steps:
            await step(h, pilot)
        for _ in range(3):
            await pilot.pause()
        still_cursor(pilot.app)

    return before


def keys(*pressed: str, until: Callable[[Any], bool] | None = None) -> Step:
    async def step(h: Any, pilot: Any) -> None:
        await pilot.press(*pressed)
        if until is not None:
            await wait_until(pilot, lambda: until(h.app))

    return step


def snapshot(snap_compare: Any, size: tuple[int, int], *steps: Step) -> bool:
    h = make_harness(initial_mode="regions")
    return snap_compare(h.app, terminal_size=size, run_before=run(h, *steps))


@pytest.mark.parametrize("size", SIZES)
def test_activity_log(snap_compare, size):
    assert snapshot(snap_compare, size)


@pytest.mark.parametrize("size", SIZES)
def test_activity_filtered(snap_compare, size):
    assert snapshot(snap_compare, size, keys("slash", *"result:refused,failed"))


def typed_path(h: Any, pilot: Any) -> Awaitable[None]:
    async def step() -> None:
        h.app.screen.query_one("#activity-export-path", Input).value = "~/barrack/activity-today.csv"
        await pilot.pause()

    return step()


@pytest.mark.parametrize("size", SIZES)
def test_activity_export_form(snap_compare, size):
    opened = keys("W", until=lambda app: type(app.screen).__name__ == "ExportActivityModal")
    assert snapshot(snap_compare, size, opened, typed_path)
