"""Jumps from one area into another, made by the app so that no area imports another.

A Regions stock cell opens the Instances deploy wizard, and a restored snapshot
is shown on Instances: the areas ask the app, and the app finds the target by
name (shell/modes.py), importing it only when the jump happens.
"""

from __future__ import annotations

from barrack_tui.tui.shell.modes import jump


class Navigation:
    """Mixed into `BarrackApp`: every cross-area jump the areas may ask for."""

    def open_deploy(self, *, region: str | None = None, gpu_model: str | None = None,
                    gpu_count: int | None = None) -> None:
        """The deploy wizard, prefilled; after a deploy, Instances shows the new row."""
        jump("deploy")(self, region=region, gpu_model=gpu_model, gpu_count=gpu_count)

    def show_instance(self, instance_id: str) -> None:
        """Instances, with the cursor on `instance_id` (a deploy's or a restore's new instance)."""
        jump("show_instance")(self, instance_id)
