"""Snapshots of a bulk action: the one confirmation (a refused target among them) and the per-target summary."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from barrack_tui.api.routes import ROUTES
from barrack_tui.tui.kit.bulk import BulkConfirmModal, BulkSummaryModal
from tests.harness import make_harness, settle, still_cursor, wait_until
from tests.tui.test_bulk_actions import FailOne

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
MARKED = ("gpu-train-1", "inference-a100", "batch-l40", "finetune-h100", "eval-a100")


async def _finish(pilot: Any) -> None:
    await settle(pilot, 4)
    pilot.app.clear_notifications()
    still_cursor(pilot.app)
    await settle(pilot, 2)


async def _confirm_stop(pilot: Any) -> None:
    app = pilot.app
    await app.store.refresh()
    await settle(pilot)
    screen = app.screen
    for name in MARKED:
        screen.table.select_id(next(i.id for i in app.store.instances.values() if i.name == name))
        await pilot.press("space")
    await pilot.press("T")
    await wait_until(pilot, lambda: isinstance(app.screen, BulkConfirmModal), what="the bulk confirmation")


async def confirmation(pilot: Any) -> None:
    await _confirm_stop(pilot)
    await _finish(pilot)


async def summary(pilot: Any) -> None:
    await _confirm_stop(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkSummaryModal), what="the summary")
    await _finish(pilot)


def harness_failing_one() -> Any:
    h = make_harness(initial_mode="instances")
    failing = h.instance_named("finetune-h100")
    path = "/api/v1" + ROUTES["stop_instance"].path.format(id=failing.id)
    h.app._transport = httpx.ASGITransport(app=FailOne(h.sim_app, "POST", path))
    return h


@pytest.mark.parametrize("size", SIZES)
def test_bulk_confirmation(snap_compare: Any, size: tuple[int, int]) -> None:
    h = make_harness(initial_mode="instances")
    assert snap_compare(h.app, terminal_size=size, run_before=confirmation)


def test_bulk_summary(snap_compare: Any) -> None:
    assert snap_compare(harness_failing_one().app, terminal_size=(80, 24), run_before=summary)
