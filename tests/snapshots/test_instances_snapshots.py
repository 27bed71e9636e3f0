"""Snapshots of the Instances screen: the table, the details pane, each deploy-wizard step, two modals; 80x24 and 120x40."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, SelectionList, Switch

from barrack_tui.tui.areas.instances.deploy.steps import BootStep, KeysStep
from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from tests.harness import make_harness, settle, still_cursor, wait_until
from tests.tui.test_instances_wizard import next_step, open_wizard, step_gpu, step_region, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class _Driver:
    """What the test files' helpers expect of a harness: `poll` and `app`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def poll(self, *kinds: str) -> None:
        await self.app.store.refresh(*kinds)


async def _finish(pilot: Any) -> None:
    await settle(pilot, 4)
    # A clicked button keeps its pressed look for a moment of real time; the picture is of the screen at rest.
    await wait_until(pilot, lambda: not pilot.app.screen.query("Button.-active"), what="buttons at rest")
    pilot.app.clear_notifications()
    still_cursor(pilot.app)
    await settle(pilot, 2)


def _select(pilot: Any, name: str) -> None:
    table = pilot.app.screen.query_one(FleetTable)
    instance = next(i for i in pilot.app.store.instances.values() if i.name == name)
    table.select_id(instance.id)


async def table(pilot: Any) -> None:
    await pilot.app.store.refresh()
    await settle(pilot)
    _select(pilot, "batch-l40")  # a SHUTOFF row: the idle-cost note under the table
    await _finish(pilot)


async def details(pilot: Any) -> None:
    await table(pilot)
    _select(pilot, "gpu-train-1")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, InstanceDetailsScreen) and pilot.app.screen.billing is not None)
    await pilot.app.store.refresh("ssh_keys")
    await _finish(pilot)


async def public_ip_modal(pilot: Any) -> None:
    await table(pilot)
    _select(pilot, "eval-a100")
    await pilot.press("p")
    await _finish(pilot)


async def delete_modal(pilot: Any) -> None:
    await table(pilot)
    _select(pilot, "batch-l40")
    await pilot.press("d")
    await settle(pilot)
    pilot.app.screen.query_one("#confirm-name", Input).value = "batch-l"
    await _finish(pilot)


async def _wizard_to(pilot: Any, step: str) -> None:
    driver = _Driver(pilot.app)
    wizard = await open_wizard(driver, pilot)
    if step == "region":
        wizard.query_one("#wiz-name", Input).value = "train-h100-2"
        await _finish(pilot)
        return
    await step_region(pilot, wizard, "train-h100-2", "US-1")
    if step == "gpu":
        await until(pilot, lambda: bool(wizard.step.choices))
        await _finish(pilot)
        return
    await step_gpu(pilot, wizard, "H100-SXM5-80GB", 2)
    await until(pilot, lambda: bool(wizard.query_one(BootStep).sources))
    if step == "boot":
        await _finish(pilot)
        return
    await next_step(pilot, wizard)
    keys = wizard.query_one(KeysStep)
    await until(pilot, lambda: bool(keys.keys))
    wizard.query_one("#wiz-keys", SelectionList).select(keys.keys[0].id)
    if step == "keys":
        await _finish(pilot)
        return
    await next_step(pilot, wizard)
    wizard.query_one("#wiz-public-ip", Switch).value = True
    if step == "advanced":
        await _finish(pilot)
        return
    await next_step(pilot, wizard)
    await _finish(pilot)


def wizard_at(step: str):
    async def before(pilot: Any) -> None:
        await pilot.app.store.refresh()
        await settle(pilot)
        await _wizard_to(pilot, step)

    return before


SCENARIOS = {
    "table": table,
    "details": details,
    "public_ip_warning": public_ip_modal,
    "delete_typed_name": delete_modal,
    **{f"wizard_{step}": wizard_at(step) for step in ("region", "gpu", "boot", "keys", "advanced", "review")},
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_instances_snapshot(snap_compare, scenario: str, size: tuple[int, int]) -> None:
    h = make_harness(initial_mode="instances")
    assert snap_compare(h.app, terminal_size=size, run_before=SCENARIOS[scenario])
