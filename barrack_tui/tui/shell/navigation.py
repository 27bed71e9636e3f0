"""Jumps from one area into another, made by the app so that no area imports another.

A Regions stock cell opens the Instances deploy wizard, and a restored snapshot
is shown on Instances: the areas ask the app, and the app imports the target
area only when the jump happens (areas stay out of the first frame's imports).
"""

from __future__ import annotations

from typing import Any


class Navigation:
    """Mixed into `BarrackApp`: every cross-area jump the areas may ask for."""

    def open_deploy(self, *, region: str | None = None, gpu_model: str | None = None,
                    gpu_count: int | None = None) -> None:
        """The deploy wizard, prefilled; after a deploy, Instances shows the new row."""
        from barrack_tui.tui.areas.instances.deploy.wizard import open_deploy_wizard

        open_deploy_wizard(self._app(), region=region, gpu_model=gpu_model, gpu_count=gpu_count)

    def show_instance(self, instance_id: str) -> None:
        """Instances, with the cursor on `instance_id` (a deploy's or a restore's new instance)."""
        from barrack_tui.tui.areas.instances.screen import show_instance

        show_instance(self._app(), instance_id)

    def _app(self) -> Any:
        return self
