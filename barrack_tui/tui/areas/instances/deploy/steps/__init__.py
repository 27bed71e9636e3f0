"""The deploy wizard's steps, one module each; `STEP_CLASSES` in wizard order."""

from __future__ import annotations

from barrack_tui.tui.areas.instances.deploy.steps.advanced import AdvancedStep
from barrack_tui.tui.areas.instances.deploy.steps.base import WizardStep
from barrack_tui.tui.areas.instances.deploy.steps.boot import BootStep
from barrack_tui.tui.areas.instances.deploy.steps.gpu import GpuStep
from barrack_tui.tui.areas.instances.deploy.steps.keys import KeysStep
from barrack_tui.tui.areas.instances.deploy.steps.region import RegionStep
from barrack_tui.tui.areas.instances.deploy.steps.review import ReviewStep

STEP_CLASSES: tuple[type[WizardStep], ...] = (RegionStep, GpuStep, BootStep, KeysStep, AdvancedStep, ReviewStep)

__all__ = ["STEP_CLASSES", "WizardStep", "RegionStep", "GpuStep", "BootStep", "KeysStep", "AdvancedStep", "ReviewStep"]
