"""Screenshots of the Instances screen: the fleet table, a filter, the details pane, the action
modals, each deploy-wizard step and the new instance in CREATING.

`shoot(pilot, save)` is called by screenshots/make_screenshots.py (120x40,
frozen clock) on a fresh seeded simulator. The deploy and the stop come last
so the earlier pictures show the demo account as seeded.
"""

from __future__ import annotations

from typing import Any

from shot_steps import key
from textual.widgets import Input, SelectionList, Switch

from barrack_tui.tui.areas.instances.deploy.steps import BootStep, KeysStep
from barrack_tui.tui.areas.instances.details import InstanceDetailsScreen
from barrack_tui.tui.areas.instances.screen import InstancesScreen
from barrack_tui.tui.areas.instances.table import FleetTable
from tests.tui.test_instances_wizard import next_step, open_wizard, step_gpu, step_region, until

INITIAL_MODE = "instances"


class _Driver:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def poll(self, *kinds: str) -> None:
        await self.app.store.refresh(*kinds)


async def _settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def _select(pilot: Any, name: str) -> None:
    instance = next(i for i in pilot.app.store.instances.values() if i.name == name)
    pilot.app.screen.query_one(FleetTable).select_id(instance.id)


async def _back_to_table(pilot: Any) -> None:
    while not isinstance(pilot.app.screen, InstancesScreen):
        await pilot.press("escape")
        await _settle(pilot, 2)


async def shoot(pilot: Any, save: Any) -> None:
    app = pilot.app
    await _settle(pilot)
    _select(pilot, "batch-l40")
    await _settle(pilot)
    save("instances")

    await pilot.press(key("instances.filter"), *"status:ACTIVE", "enter")
    await _settle(pilot)
    save("instances_filtered")
    await pilot.press("escape")
    await _settle(pilot)

    _select(pilot, "finetune-h100")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, InstanceDetailsScreen) and app.screen.billing is not None)
    await app.store.refresh("ssh_keys")
    await _settle(pilot)
    save("instance_details")
    await _back_to_table(pilot)

    _select(pilot, "eval-a100")
    await pilot.press(key("instances.public_ip"))
    await _settle(pilot)
    save("instances_public_ip_warning")
    await _back_to_table(pilot)

    _select(pilot, "batch-l40")
    await pilot.press(key("instances.hibernate"))
    await _settle(pilot)
    save("instances_hibernate_shutoff")
    await _back_to_table(pilot)

    await pilot.press(key("instances.delete"))
    await _settle(pilot)
    app.screen.query_one("#confirm-name", Input).value = "batch-l"
    await _settle(pilot)
    save("instances_delete")
    await _back_to_table(pilot)

    _select(pilot, "dev-a6000")
    await pilot.press(key("instances.stop"))  # I2: dev-a6000 is STARTING
    await _settle(pilot, 2)
    save("instances_action_refused")

    wizard = await open_wizard(_Driver(app), pilot)
    wizard.query_one("#wiz-name", Input).value = "train-h100-2"
    await _settle(pilot)
    save("deploy_region")
    await step_region(pilot, wizard, "train-h100-2", "US-1")
    await until(pilot, lambda: bool(wizard.step.choices))
    await _settle(pilot)
    save("deploy_gpu")
    await step_gpu(pilot, wizard, "H100-SXM5-80GB", 2)
    await until(pilot, lambda: bool(wizard.query_one(BootStep).sources))
    await _settle(pilot)
    save("deploy_boot")
    await next_step(pilot, wizard)
    keys = wizard.query_one(KeysStep)
    await until(pilot, lambda: bool(keys.keys))
    wizard.query_one("#wiz-keys", SelectionList).select(keys.keys[0].id)
    await _settle(pilot)
    save("deploy_keys")
    await next_step(pilot, wizard)
    wizard.query_one("#wiz-public-ip", Switch).value = True
    await _settle(pilot)
    save("deploy_advanced")
    await next_step(pilot, wizard)
    await _settle(pilot)
    save("deploy_review")
    await next_step(pilot, wizard)
    await until(pilot, lambda: isinstance(app.screen, InstancesScreen))
    await _settle(pilot)
    save("instances_deployed_creating")

    _select(pilot, "inference-a100")
    await pilot.press(key("instances.stop"), "enter")
    await until(pilot, lambda: app.store.instances[app.screen.query_one(FleetTable).cursor_id].status == "STOPPING")
    await _settle(pilot)
    save("instances_stopping")
